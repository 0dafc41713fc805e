// Times the five models on the figures under datasets/figures (or an empty set) and prints the
// median time per model and for all five together, then the median time of a Monte Carlo run of
// 10,000 draws per view on one and on two threads.

#include "cost_curves.h"
#include "default_distributions.h"
#include "economic_view.h"
#include "fiber_jevons.h"
#include "fragility.h"
#include "moat.h"
#include "monte_carlo.h"
#include "revenue_gap.h"
#include "scenario.h"

#include "core/csv.h"
#include "core/figure.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<cliff::Figure> readFigures(const std::filesystem::path &dir)
{
    std::vector<cliff::Figure> figures;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return figures;
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".csv")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto &file : files) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto records = cliff::csv::parse(text.str(), file.string());
        if (!records || records->empty())
            continue;
        std::map<std::string, std::size_t> column;
        for (std::size_t i = 0; i < records->front().fields.size(); ++i)
            column[records->front().fields[i]] = i;
        auto field = [&](const cliff::csv::Record &record, const char *name) -> std::string {
            const auto it = column.find(name);
            return it != column.end() && it->second < record.fields.size()
                       ? record.fields[it->second]
                       : std::string();
        };
        for (std::size_t r = 1; r < records->size(); ++r) {
            const auto &record = (*records)[r];
            cliff::Figure figure;
            figure.id = field(record, "id");
            figure.category = field(record, "category");
            figure.entity = field(record, "entity");
            figure.metric = field(record, "metric");
            figure.value = std::strtod(field(record, "value").c_str(), nullptr);
            if (const std::string low = field(record, "low"); !low.empty())
                figure.low = std::strtod(low.c_str(), nullptr);
            if (const std::string high = field(record, "high"); !high.empty())
                figure.high = std::strtod(high.c_str(), nullptr);
            figure.unit = field(record, "unit");
            figure.period = field(record, "period");
            figure.kind = field(record, "kind");
            figures.push_back(std::move(figure));
        }
    }
    return figures;
}

double medianMicroseconds(const std::function<void()> &work, int runs)
{
    std::vector<double> times;
    times.reserve(static_cast<std::size_t>(runs));
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        const auto stop = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
    }
    std::nth_element(times.begin(), times.begin() + runs / 2, times.end());
    return times[static_cast<std::size_t>(runs / 2)];
}

} // namespace

int main(int argc, char *argv[])
{
    const std::filesystem::path dir = argc > 1 ? argv[1] : CLIFF_FIGURES_DIR;
    const std::vector<cliff::Figure> figures = readFigures(dir);
    cliff::econ::Scenario scenario;
    // A slider drag changes one value per frame; alternate it so no result can be reused.
    int tick = 0;
    auto nudge = [&] {
        (void)scenario.set(cliff::econ::AssumptionId::TokenPriceDeclinePerYear,
                           (tick++ % 2) ? 0.75 : 0.76);
    };
    volatile double sink = 0.0;
    const int runs = 2001;
    struct Row {
        const char *name;
        std::function<void()> work;
    };
    const std::vector<Row> rows = {
        {"revenue-gap", [&] { nudge(); sink = sink + computeRevenueGap(figures, scenario)->gap2030Usd; }},
        {"cost-curves", [&] { nudge(); sink = sink + computeCostCurves(figures, scenario)->costDeclineFactorPerYear; }},
        {"moat", [&] { nudge(); sink = sink + computeMoat(figures, scenario)->gapTrendMonthsPerYear; }},
        {"fragility", [&] { nudge(); sink = sink + computeFragility(figures, scenario)->netPricePressure; }},
        {"fiber", [&] { nudge(); sink = sink + computeFiberJevons(figures, scenario)->peakIdleShare; }},
    };
    std::printf("figures: %zu from %s\n", figures.size(), dir.string().c_str());
    for (const Row &row : rows)
        std::printf("%-12s median %8.2f us over %d runs\n", row.name, medianMicroseconds(row.work, runs), runs);
    const double total = medianMicroseconds(
        [&] {
            for (const Row &row : rows)
                row.work();
        },
        runs);
    std::printf("%-12s median %8.2f us (all five models, one assumption change each)\n", "total", total);

    // Uncertainty bands: 10,000 draws of every assumption of a view, default distributions.
    const cliff::econ::Scenario centre;
    const cliff::econ::Distributions distributions =
        cliff::econ::defaultDistributions(figures).centredOn(centre);
    const int mcRuns = 11;
    for (cliff::econ::EconomicView view : cliff::econ::economicViews()) {
        if (cliff::econ::viewAssumptions(view).empty())
            continue;
        for (int threads : {1, 2}) {
            cliff::econ::MonteCarloOptions options;
            options.draws = 10000;
            options.seed = 7;
            options.threads = threads;
            // CPU time beside wall time: on a busy machine the two threads wait for a core.
            std::vector<double> cpuMs;
            const double micros = medianMicroseconds(
                [&] {
                    const std::clock_t cpuStart = std::clock();
                    const auto result =
                        cliff::econ::runMonteCarlo(view, figures, centre, distributions, options);
                    cpuMs.push_back(1000.0 * static_cast<double>(std::clock() - cpuStart) /
                                    CLOCKS_PER_SEC);
                    sink = sink + (result ? static_cast<double>(result->bands.size()) : -1.0);
                },
                mcRuns);
            std::nth_element(cpuMs.begin(), cpuMs.begin() + mcRuns / 2, cpuMs.end());
            std::printf("monte-carlo %-12s %d thread%s median %7.2f ms wall, %7.2f ms CPU, for "
                        "10,000 draws over %d runs\n",
                        std::string(cliff::econ::economicViewKey(view)).c_str(), threads,
                        threads == 1 ? " " : "s", micros / 1000.0,
                        cpuMs[static_cast<std::size_t>(mcRuns / 2)], mcRuns);
        }
    }
    return 0;
}
