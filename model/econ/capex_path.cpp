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

} // namespace

double bookValueFraction(int vintageYear, int year, double lifeYears)
{
    if (year < vintageYear)
        return 0.0;
    const double yearsDepreciated = static_cast<double>(year - vintageYear + 1);
    return std::max(0.0, 1.0 - yearsDepreciated / lifeYears);
}

std::vector<CapexYear> buildCapexPath(const std::vector<Figure> &figures, double capexGrowth,
                                      int lastYear)
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

    std::vector<CapexYear> path;
    for (const auto &[year, pick] : byYear) {
        if (year > lastFirmYear || year > lastYear)
            continue;
        // Fill a gap between cited years by constant growth between them.
        if (!path.empty() && year > path.back().year + 1) {
            const CapexYear previous = path.back();
            const double steps = static_cast<double>(year - previous.year);
            const double ratio = std::pow(pick.figure->value / previous.capexUsd, 1.0 / steps);
            for (int gapYear = previous.year + 1; gapYear < year; ++gapYear)
                path.push_back({gapYear, path.back().capexUsd * ratio, {}});
        }
        path.push_back({year, pick.figure->value, pick.figure->id});
    }
    if (path.empty()) {
        path.push_back({2025, calibration::kCapex2025Usd, {}});
        path.push_back({2026, calibration::kCapex2026Usd, {}});
    }
    while (path.back().year < lastYear)
        path.push_back({path.back().year + 1, path.back().capexUsd * (1.0 + capexGrowth), {}});
    return path;
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
