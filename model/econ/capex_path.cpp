#include "capex_path.h"

#include "calibration.h"
#include "figure_query.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
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
        CapexYear row{year, capexPathUsd(cited, index, capexGrowth, guidanceScale, previousUsd), {},
                      {}, CapexBasis::Extrapolated};
        if (index < cited.years.size()) {
            row.figureId = cited.years[index].figureId;
            row.figureIds = cited.years[index].figureIds;
            row.basis = cited.years[index].basis;
        }
        path.push_back(std::move(row));
    }
    return path;
}

/// One company's figure(s) for one year of the path.
struct CompanyYear {
    double usd = 0.0;
    std::vector<std::string> ids;
};

/// The company's measured cash capex in calendar `year`: four calendar quarters, or else a
/// calendar-year figure.
std::optional<CompanyYear> measuredCompanyYear(const std::vector<Figure> &figures,
                                               std::string_view company, int year)
{
    std::map<int, const Figure *> quarters;
    const Figure *annual = nullptr;
    for (const Figure &figure : figures) {
        if (figure.category != "capex" || figure.entity != company || figure.unit != "USD"
            || !isMeasurement(figure) || !startsWith(figure.metric, "Capex, "))
            continue;
        const auto span = parsePeriod(figure.period);
        if (!span || std::floor(span->startYear) != year)
            continue;
        const bool quarterly = containsNoCase(figure.metric, "quarterly");
        const bool cash = containsNoCase(figure.metric, "cash (purchases of property and equipment)");
        if (!cash)
            continue;
        if (quarterly && figure.period.size() == 7 && figure.period[5] == 'Q')
            quarters[figure.period[6] - '0'] = &figure;
        else if (!quarterly && calendarYear(figure) == year && !startsWith(figure.period, "FY"))
            annual = &figure;
    }
    if (quarters.size() == 4) {
        CompanyYear sum;
        for (const auto &[quarter, figure] : quarters) {
            sum.usd += figure->value;
            sum.ids.push_back(figure->id);
        }
        return sum;
    }
    if (annual)
        return CompanyYear{annual->value, {annual->id}};
    return std::nullopt;
}

/// The company's latest guidance for calendar `year` (the most recently published; on the same
/// date its own guidance before an estimate of it), or its cited projection when `projection`
/// is set.
std::optional<CompanyYear> forwardCompanyYear(const std::vector<Figure> &figures,
                                              std::string_view company, int year, bool projection)
{
    const std::string yearText = std::to_string(year);
    const Figure *best = nullptr;
    for (const Figure &figure : figures) {
        if (figure.category != "capex" || figure.entity != company || figure.unit != "USD"
            || calendarYear(figure) != year || startsWith(figure.period, "FY")
            || figure.metric.find(yearText) == std::string::npos)
            continue;
        const bool wanted = projection
                                ? figure.kind == "projection"
                                : startsWith(figure.metric, "Capex guidance")
                                      && (figure.kind == "guidance" || figure.kind == "estimate");
        if (!wanted)
            continue;
        const auto rank = [](const Figure &f) {
            return std::make_pair(f.published, f.kind == "guidance" ? 1 : 0);
        };
        if (!best || rank(figure) >= rank(*best))
            best = &figure;
    }
    if (!best)
        return std::nullopt;
    return CompanyYear{best->value, {best->id}};
}

/// The sum over kPathCompanies, or nothing when one of them lacks a figure.
template <class Read>
std::optional<CapexYear> companySum(int year, CapexBasis basis, Read read)
{
    CapexYear row{year, 0.0, {}, {}, basis};
    for (const char *company : kPathCompanies) {
        const std::optional<CompanyYear> part = read(company);
        if (!part)
            return std::nullopt;
        row.capexUsd += part->usd;
        row.figureIds.insert(row.figureIds.end(), part->ids.begin(), part->ids.end());
    }
    row.figureId = row.figureIds.front();
    return row;
}

/// The path summed company by company, or nothing when no year has every company measured.
std::optional<CitedCapex> companyLevelCapex(const std::vector<Figure> &figures, int lastYear)
{
    int firstYear = lastYear + 1;
    for (const Figure &figure : figures) {
        const auto span = parsePeriod(figure.period);
        if (figure.category == "capex" && span
            && std::find(std::begin(kPathCompanies), std::end(kPathCompanies), figure.entity)
                   != std::end(kPathCompanies))
            firstYear = std::min(firstYear, static_cast<int>(std::floor(span->startYear)));
    }
    CitedCapex cited;
    for (int year = firstYear; year <= lastYear; ++year) {
        auto measured = companySum(year, CapexBasis::Measured, [&](const char *company) {
            return measuredCompanyYear(figures, company, year);
        });
        if (measured)
            cited.years.push_back(std::move(*measured));
        else if (!cited.years.empty())
            break;
    }
    if (cited.years.empty())
        return std::nullopt;
    cited.firstGuidedIndex = cited.years.size();
    const int guidedYear = cited.years.back().year + 1;
    if (guidedYear > lastYear)
        return cited;
    auto guided = companySum(guidedYear, CapexBasis::Guided, [&](const char *company) {
        return forwardCompanyYear(figures, company, guidedYear, false);
    });
    if (!guided)
        return cited;
    cited.years.push_back(std::move(*guided));
    const int projectedYear = guidedYear + 1;
    if (projectedYear > lastYear)
        return cited;
    if (auto projected = companySum(projectedYear, CapexBasis::Projected, [&](const char *company) {
            return forwardCompanyYear(figures, company, projectedYear, true);
        }))
        cited.years.push_back(std::move(*projected));
    return cited;
}

} // namespace

std::string_view capexBasisName(CapexBasis basis)
{
    switch (basis) {
    case CapexBasis::Measured: return "measured";
    case CapexBasis::Guided: return "guided";
    case CapexBasis::Projected: return "projected";
    case CapexBasis::Interpolated: return "interpolated";
    case CapexBasis::Extrapolated: return "extrapolated";
    }
    return "extrapolated";
}

CitedCapex citedCapex(const std::vector<Figure> &figures, int lastYear)
{
    if (auto companies = companyLevelCapex(figures, lastYear))
        return std::move(*companies);

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
                cited.years.push_back({gapYear, cited.years.back().capexUsd * ratio, {}, {},
                                       CapexBasis::Interpolated});
        }
        const CapexBasis basis = pick.kind == 0   ? CapexBasis::Measured
                                 : pick.kind == 1 ? CapexBasis::Guided
                                                  : CapexBasis::Measured;
        cited.years.push_back({year, pick.figure->value, pick.figure->id, {pick.figure->id}, basis});
        if (pick.kind == 0) {
            lastReportedIndex = cited.years.size() - 1;
            anyReported = true;
        }
    }
    if (cited.years.empty()) {
        cited.years.push_back({2025, calibration::kCapex2025Usd, {}, {}, CapexBasis::Measured});
        cited.years.push_back({2026, calibration::kCapex2026Usd, {}, {}, CapexBasis::Guided});
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
    // Per company and period: spending measured (reported, then estimated) before guidance, and
    // among equals the most recently published.
    const auto rank = [](const Figure &f) {
        const int kind = f.kind == "reported" ? 0 : f.kind == "estimate" ? 1 : 2;
        return std::make_pair(-kind, f.published);
    };
    std::map<std::pair<std::string, std::string>, const Figure *> best;
    for (const Figure &figure : figures) {
        if (!isYearlyCapex(figure) || isAggregateLike(figure.entity))
            continue;
        if (kindRank(figure.kind) < 0 || !periodStartYear(figure))
            continue;
        const Figure *&slot = best[{figure.entity, figure.period}];
        if (!slot || rank(figure) >= rank(*slot))
            slot = &figure;
    }
    std::vector<CompanyCapex> rows;
    for (const auto &[key, pick] : best)
        rows.push_back({key.first, key.second, pick->value, pick->id});
    return rows;
}

} // namespace cliff::econ
