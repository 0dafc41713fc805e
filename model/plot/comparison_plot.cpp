#include "comparison_plot.h"

#include "export_subject.h"

#include "econ/evidence_date.h"

#include <array>

namespace cliff::plot {

static_assert(kMaxComparedScenarios + 1 == static_cast<int>(econ::kMaxComparedCases),
              "a dash for every case after the first");

namespace {

using econ::ComparedCase;

bool isModelLine(const Series &series)
{
    return series.shape == SeriesShape::Line &&
           (series.evidence == Evidence::Modelled || series.evidence == Evidence::Projected);
}

// The four parties' scores in each scenario as grouped bars: a stacked ranking cannot carry a
// second scenario, and its order may differ between them.
ChartSpec scoresByScenario(const econ::ScenarioComparison &comparison)
{
    static constexpr std::array<econ::HeadlineMetric, econ::kFragilityPartyCount> kScores = {
        econ::HeadlineMetric::HyperscalerScore, econ::HeadlineMetric::ModelLabScore,
        econ::HeadlineMetric::NeocloudScore, econ::HeadlineMetric::EquityHolderScore};
    const auto metrics = econ::headlineMetrics(econ::EconomicView::Fragility);
    ChartSpec chart;
    chart.key = "scores-by-scenario";
    chart.title = "Fragility score of each party, by scenario";
    chart.horizontal = true;
    std::vector<std::string> parties;
    for (std::size_t p = 0; p < econ::kFragilityPartyCount; ++p)
        parties.emplace_back(econ::fragilityPartyName(static_cast<econ::FragilityParty>(p)));
    chart.x = Axis{"Party", "", AxisKind::Category, AxisScale::Linear, false, parties};
    chart.y = Axis{"Score: 0 robust, 100 fragile", "", AxisKind::Value, AxisScale::Linear, false, {}};
    for (std::size_t c = 0; c < comparison.cases.size(); ++c) {
        Series series{comparison.cases[c].name, SeriesShape::Bars,
                      c == 0 ? Evidence::Modelled : Evidence::Compared, static_cast<int>(c), {}};
        series.comparedScenario = static_cast<int>(c);
        for (std::size_t p = 0; p < kScores.size(); ++p) {
            const auto m = static_cast<std::size_t>(
                std::find(metrics.begin(), metrics.end(), kScores[p]) - metrics.begin());
            series.points.push_back({static_cast<double>(p), comparison.outcomes[c].headlines[m], {},
                                     {}, parties[p] + ": " + comparison.cases[c].name});
        }
        chart.series.push_back(std::move(series));
    }
    chart.note = "Each bar is one party's score in one scenario; the ranking above shows the first.";
    return chart;
}

// The view's assumptions that differ from their defaults in `scenario`, in words, or "every
// assumption at its default".
std::string changesOf(const econ::Scenario &scenario, econ::EconomicView view)
{
    std::string text;
    for (econ::AssumptionId id : econ::viewAssumptions(view)) {
        const double value = scenario.value(id);
        const econ::Assumption &entry = econ::assumption(id);
        if (value != entry.defaultValue) {
            text += (text.empty() ? "" : ", ") + lowerFirst(std::string(entry.label)) + " " +
                    formatAssumptionValue(entry, value);
        }
    }
    return text.empty() ? "every assumption at its default" : text;
}

} // namespace

std::string_view comparedDashName(int comparedScenario)
{
    static constexpr std::array<std::string_view, kMaxComparedScenarios + 1> kNames = {
        "solid", "dashed", "dotted", "dash-dotted"};
    return kNames[static_cast<std::size_t>(std::clamp(comparedScenario, 0, kMaxComparedScenarios))];
}

Result<ViewPlot> buildComparisonPlot(econ::EconomicView view, const std::vector<Figure> &figures,
                                     const std::vector<ComparedCase> &cases,
                                     std::string_view today, const ViewPlotOptions &options)
{
    // The same checks and cuts as the comparison table, so the charts and the table agree.
    const auto comparison = econ::compareScenarios(view, figures, cases, today);
    if (!comparison)
        return comparison.error();
    std::vector<ViewPlot> plots;
    for (const ComparedCase &item : cases) {
        std::vector<Figure> cut = figures;
        if (!item.asOf.empty())
            cut = econ::evidenceAsOf(figures, item.asOf, today)->figures; // checked above
        ViewPlotOptions caseOptions = options;
        if (!plots.empty())
            caseOptions.uncertainty = nullptr; // bands belong to the first scenario only
        auto built = buildViewPlot(view, cut, item.scenario, caseOptions);
        if (!built)
            return Error{item.name + ": " + built.error().message, {}, 0, built.error().field};
        plots.push_back(std::move(*built));
    }
    ViewPlot result = std::move(plots.front());
    const std::string firstName = " (" + cases.front().name + ")";
    for (ChartSpec &chart : result.charts) {
        for (Series &series : chart.series) {
            if (isModelLine(series))
                series.name += firstName;
        }
        for (std::size_t c = 1; c < plots.size(); ++c) {
            const auto other = std::find_if(plots[c].charts.begin(), plots[c].charts.end(),
                                            [&](const ChartSpec &spec) { return spec.key == chart.key; });
            if (other == plots[c].charts.end())
                continue;
            const auto mark = [&](Series series) {
                series.evidence = Evidence::Compared;
                series.comparedScenario = static_cast<int>(c);
                series.name += " (" + cases[c].name + ")";
                chart.series.push_back(std::move(series));
            };
            for (const Series &series : other->series) {
                if (isModelLine(series))
                    mark(series);
            }
        }
    }
    if (view == econ::EconomicView::Fragility)
        result.charts.insert(result.charts.begin() + 1, scoresByScenario(*comparison));
    // Each case's name carries its evidence date; its assumptions are said once when all share them.
    const bool sameAssumptions = std::all_of(cases.begin(), cases.end(), [&](const ComparedCase &item) {
        return item.scenario == cases.front().scenario;
    });
    result.comparison = "Scenarios compared: ";
    for (std::size_t c = 0; c < cases.size(); ++c) {
        result.comparison += (c ? "; " : "") + cases[c].name + " (" +
                             std::string(comparedDashName(static_cast<int>(c))) + ")";
        if (!sameAssumptions)
            result.comparison += ": " + changesOf(cases[c].scenario, view);
    }
    result.comparison += sameAssumptions ? ". All with " + changesOf(cases.front().scenario, view) + "."
                                         : ".";
    return result;
}

} // namespace cliff::plot
