#include "capex_path.h"

#include "calibration.h"
#include "figure_query.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string_view>

namespace cliff::econ {

namespace {

constexpr std::array<std::string_view, 3> kAggregateEntities = {
    "US hyperscalers", "Alphabet, Amazon, Meta and Microsoft", "Top 5 US hyperscalers"};

int entityRank(std::string_view entity)
{
    for (std::size_t i = 0; i < kAggregateEntities.size(); ++i) {
        if (kAggregateEntities[i] == entity)
            return static_cast<int>(i);
    }
    return -1;
}

int kindRank(std::string_view kind)
{
    if (kind == "reported")
        return 0;
    if (kind == "guidance")
        return 1;
    if (kind == "estimate")
        return 2;
    return -1;
}

bool isAggregateLike(std::string_view entity)
{
    return entityRank(entity) >= 0 || containsNoCase(entity, "hyperscaler") ||
           entity.find(',') != std::string_view::npos || containsNoCase(entity, " and ") ||
           containsNoCase(entity, "build-out") || containsNoCase(entity, "Stargate");
}

bool isYearlyCapex(const Figure &figure)
{
    return figure.category == "capex" && startsWith(figure.metric, "Capex") &&
           figure.unit == "USD" && figure.value > 0.0 &&
           !containsNoCase(figure.metric, "quarter") && !containsNoCase(figure.metric, "cumulative") &&
           !containsNoCase(figure.metric, "combined 2025 and") && !containsNoCase(figure.metric, "growth");
}

std::vector<CapexYear> pathOf(const CitedCapex &cited, double capexGrowth, double guidanceScale,
                              int lastYear)
{
    std::vector<CapexYear> path;
    const int firstYear = cited.years.front().year;
    const int lastPathYear = std::max(lastYear, cited.years.back().year);
    for (int year = firstYear; year <= lastPathYear; ++year) {
        const auto index = static_cast<std::size_t>(year - firstYear);
        const double previousUsd = path.empty() ? 0.0 : path.back().capexUsd;
        CapexYear row{year, capexPathUsd(cited, index, capexGrowth, guidanceScale, previousUsd), {}};
        if (index < cited.years.size())
            row.figureId = cited.years[index].figureId;
        path.push_back(std::move(row));
    }
    return path;
}

} // namespace

CitedCapex citedCapex(const std::vector<Figure> &figures, int lastYear)
{
    struct Pick {
        int entity = 99;
        int kind = 99;
        const Figure *figure = nullptr;
    };
    std::map<int, Pick> byYear;
    int lastFirmYear = 0;
    for (const Figure &figure : figures) {
        if (!isYearlyCapex(figure))
            continue;
        const int eRank = entityRank(figure.entity);
        const int kRank = kindRank(figure.kind);
        const auto year = calendarYear(figure);
        if (eRank < 0 || kRank < 0 || !year)
            continue;
        if (kRank <= 1)
            lastFirmYear = std::max(lastFirmYear, *year);
        Pick &pick = byYear[*year];
        if (eRank < pick.entity || (eRank == pick.entity && kRank < pick.kind))
            pick = Pick{eRank, kRank, &figure};
    }

    CitedCapex cited;
    std::size_t lastReportedIndex = 0;
    bool anyReported = false;
    for (const auto &[year, pick] : byYear) {
        if (year > lastFirmYear || year > lastYear)
            continue;
        // Fill a gap between cited years by constant growth between them.
        if (!cited.years.empty() && year > cited.years.back().year + 1) {
            const CapexYear previous = cited.years.back();
            const double steps = static_cast<double>(year - previous.year);
            const double ratio = std::pow(pick.figure->value / previous.capexUsd, 1.0 / steps);
            for (int gapYear = previous.year + 1; gapYear < year; ++gapYear)
                cited.years.push_back({gapYear, cited.years.back().capexUsd * ratio, {}});
        }
        cited.years.push_back({year, pick.figure->value, pick.figure->id});
        if (pick.kind == 0) {
            lastReportedIndex = cited.years.size() - 1;
            anyReported = true;
        }
    }
    if (cited.years.empty()) {
        cited.years.push_back({2025, calibration::kCapex2025Usd, {}});
        cited.years.push_back({2026, calibration::kCapex2026Usd, {}});
        cited.firstGuidedIndex = 1;
        return cited;
    }
    cited.firstGuidedIndex = anyReported ? lastReportedIndex + 1 : 0;
    return cited;
}

double capexPathUsd(const CitedCapex &cited, std::size_t index, double capexGrowth,
                    double guidanceScale, double previousUsd)
{
    if (index >= cited.years.size())
        return previousUsd * (1.0 + capexGrowth);
    const double scale = index >= cited.firstGuidedIndex ? guidanceScale : 1.0;
    return cited.years[index].capexUsd * scale;
}

std::vector<CapexYear> buildCapexPath(const std::vector<Figure> &figures, const Scenario &scenario,
                                      int lastYear)
{
    return pathOf(citedCapex(figures, lastYear), scenario.value(AssumptionId::CapexGrowth),
                  scenario.value(AssumptionId::CapexGuidanceScale), lastYear);
}

std::vector<CapexYear> buildCapexPath(const std::vector<Figure> &figures, double capexGrowth,
                                      int lastYear)
{
    return pathOf(citedCapex(figures, lastYear), capexGrowth, 1.0, lastYear);
}

std::vector<CompanyCapex> companyCapex(const std::vector<Figure> &figures)
{
    std::map<std::pair<std::string, std::string>, std::pair<int, const Figure *>> best;
    for (const Figure &figure : figures) {
        if (!isYearlyCapex(figure) || isAggregateLike(figure.entity))
            continue;
        const int kRank = kindRank(figure.kind);
        if (kRank < 0 || !periodStartYear(figure))
            continue;
        auto &slot = best[{figure.entity, figure.period}];
        if (!slot.second || kRank < slot.first)
            slot = {kRank, &figure};
    }
    std::vector<CompanyCapex> rows;
    for (const auto &[key, pick] : best)
        rows.push_back({key.first, key.second, pick.second->value, pick.second->id});
    return rows;
}

} // namespace cliff::econ
