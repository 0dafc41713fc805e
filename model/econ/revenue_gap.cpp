#include "revenue_gap.h"

#include "calibration.h"
#include "figure_query.h"

#include <algorithm>
#include <cmath>

namespace cliff::econ {

namespace {

struct RevenueAnchor {
    double baseUsd = 0.0;
    int baseYear = calibration::kRevenueBaseYear;
};

const Figure *bainFigure(const std::vector<Figure> &figures, std::string_view metricPrefix)
{
    return latestFigure(selectFigures(figures, [&](const Figure &f) {
        return f.category == "revenue" && f.unit == "USD" && startsWith(f.metric, metricPrefix) &&
               calendarYear(f) == calibration::kHorizonYear;
    }));
}

RevenueAnchor revenueAnchor(const std::vector<Figure> &figures, PreparedRevenueGap &out)
{
    // A cited aggregate AI revenue figure, when one exists, is the base as it stands.
    const Figure *cited = latestFigure(selectFigures(figures, [](const Figure &f) {
        return f.category == "revenue" && f.unit == "USD" && startsWith(f.metric, "AI revenue") &&
               (f.entity == "US hyperscalers" || f.entity == "AI compute build-out (global)") &&
               calendarYear(f).has_value() && f.kind != "projection";
    }));
    if (cited) {
        out.sourceFigureIds.push_back(cited->id);
        return {cited->value, *calendarYear(*cited)};
    }
    // Otherwise back-cast Bain's implied 2030 revenue (need less shortfall) at the default growth.
    const Figure *need = bainFigure(figures, "Annual revenue required");
    const Figure *shortfall = bainFigure(figures, "Projected annual revenue shortfall");
    double needUsd = calibration::kBainRequired2030Usd;
    double shortfallUsd = calibration::kBainShortfall2030Usd;
    if (need && shortfall) {
        needUsd = need->value;
        shortfallUsd = shortfall->value;
        out.sourceFigureIds.push_back(need->id);
        out.sourceFigureIds.push_back(shortfall->id);
    } else {
        out.notes.push_back("Bain's 2030 need and shortfall not in the figures; used the seed's "
                            "$2T and $800B");
    }
    const double growth = assumption(AssumptionId::AiRevenueGrowth).defaultValue;
    const int years = calibration::kHorizonYear - calibration::kRevenueBaseYear;
    return {(needUsd - shortfallUsd) / std::pow(1.0 + growth, years), calibration::kRevenueBaseYear};
}

void capex2026Range(const std::vector<Figure> &figures, PreparedRevenueGap &out)
{
    const Figure *guidance = latestFigure(selectFigures(figures, [](const Figure &f) {
        return f.category == "capex" && f.entity == "US hyperscalers" && f.unit == "USD" &&
               startsWith(f.metric, "Capex") && f.kind == "guidance" && calendarYear(f) == 2026;
    }));
    if (guidance) {
        out.capex2026Usd = guidance->value;
        out.capex2026LowUsd = guidance->low.value_or(guidance->value);
        out.capex2026HighUsd = guidance->high.value_or(guidance->value);
        out.sourceFigureIds.push_back(guidance->id);
    } else {
        out.capex2026Usd = calibration::kCapex2026Usd;
        out.capex2026LowUsd = calibration::kCapex2026LowUsd;
        out.capex2026HighUsd = calibration::kCapex2026HighUsd;
        out.notes.push_back("2026 hyperscaler capex guidance not in the figures; used the seed's "
                            "$690-725B");
    }
}

} // namespace

PreparedRevenueGap prepareRevenueGap(const std::vector<Figure> &figures)
{
    PreparedRevenueGap out;
    out.capex = citedCapex(figures, calibration::kLastPathYear);
    out.companies = companyCapex(figures);
    capex2026Range(figures, out);
    const RevenueAnchor anchor = revenueAnchor(figures, out);
    out.revenueBaseUsd = anchor.baseUsd;
    out.revenueBaseYear = anchor.baseYear;
    bool pathCited = false;
    for (const CapexYear &vintage : out.capex.years) {
        if (!vintage.figureId.empty()) {
            out.sourceFigureIds.push_back(vintage.figureId);
            pathCited = true;
        }
    }
    if (!pathCited)
        out.notes.push_back("no aggregate capex figures; used the seed's 2025 and 2026 capex");
    std::sort(out.sourceFigureIds.begin(), out.sourceFigureIds.end());
    out.sourceFigureIds.erase(std::unique(out.sourceFigureIds.begin(), out.sourceFigureIds.end()),
                              out.sourceFigureIds.end());
    return out;
}

Status evaluateRevenueGap(const PreparedRevenueGap &prepared, const Scenario &scenario,
                          RevenueGapResult &out)
{
    using enum AssumptionId;
    const double lifeYears = scenario.value(DepreciationLifeYears);
    const double economicLifeYears = scenario.value(GpuEconomicLifeYears);
    const double wacc = scenario.value(Wacc);
    const double margin = scenario.value(OperatingMargin);
    const double revenueGrowth = scenario.value(AiRevenueGrowth);
    const double capexGrowth = scenario.value(CapexGrowth);
    const double guidanceScale = scenario.value(CapexGuidanceScale);
    if (margin <= 0.0)
        return Error{"must be above 0", {}, 0, "operating_margin"};

    const CitedCapex &cited = prepared.capex;
    const int firstYear = cited.years.front().year;
    const auto yearCount = static_cast<std::size_t>(
        std::max(calibration::kLastPathYear, cited.years.back().year) - firstYear + 1);
    out.years.resize(yearCount);
    for (std::size_t i = 0; i < yearCount; ++i) {
        RevenueGapYear &row = out.years[i];
        row = RevenueGapYear{};
        row.year = firstYear + static_cast<int>(i);
        row.capexUsd = capexPathUsd(cited, i, capexGrowth, guidanceScale,
                                    i == 0 ? 0.0 : out.years[i - 1].capexUsd);
        row.capexCited = i < cited.years.size() && !cited.years[i].figureId.empty();
    }
    out.requiredRevenue2030Usd = 0.0;
    out.projectedRevenue2030Usd = 0.0;
    out.gap2030Usd = 0.0;
    out.strandedBookValue2030Usd = 0.0;
    // (1 + growth)^(year - base year), carried from year to year.
    double growthFactor = std::pow(1.0 + revenueGrowth, firstYear - prepared.revenueBaseYear);
    for (RevenueGapYear &row : out.years) {
        for (const RevenueGapYear &vintage : out.years) {
            if (vintage.year > row.year)
                break;
            const double bookNow = bookValueFraction(vintage.year, row.year, lifeYears);
            const double bookBefore =
                vintage.year == row.year ? 1.0
                                         : bookValueFraction(vintage.year, row.year - 1, lifeYears);
            row.depreciationUsd += vintage.capexUsd * (bookBefore - bookNow);
            row.netBookValueUsd += vintage.capexUsd * bookNow;
            const double economicNow = bookValueFraction(vintage.year, row.year, economicLifeYears);
            row.strandedBookValueUsd += vintage.capexUsd * std::max(0.0, bookNow - economicNow);
        }
        row.requiredRevenueUsd = (row.depreciationUsd + wacc * row.netBookValueUsd) / margin;
        row.projectedRevenueUsd = prepared.revenueBaseUsd * growthFactor;
        growthFactor *= 1.0 + revenueGrowth;
        row.gapUsd = row.requiredRevenueUsd - row.projectedRevenueUsd;
        if (row.year == calibration::kHorizonYear) {
            out.requiredRevenue2030Usd = row.requiredRevenueUsd;
            out.projectedRevenue2030Usd = row.projectedRevenueUsd;
            out.gap2030Usd = row.gapUsd;
            out.strandedBookValue2030Usd = row.strandedBookValueUsd;
        }
    }

    // Simple payback of the last cited vintage: each year the fleet's cash margin on projected
    // revenue is shared among vintages in proportion to their book value at the start of the year.
    const std::size_t b = cited.years.size() - 1;
    const RevenueGapYear &vintage = out.years[b];
    out.paybackVintageYear = vintage.year;
    out.paybackYears.reset();
    double earnedUsd = 0.0;
    for (std::size_t t = b; t < yearCount && vintage.capexUsd > 0.0; ++t) {
        const RevenueGapYear &row = out.years[t];
        const double vintageStartUsd =
            t == b ? vintage.capexUsd
                   : vintage.capexUsd * bookValueFraction(vintage.year, row.year - 1, lifeYears);
        const double fleetStartUsd =
            (t == 0 ? 0.0 : out.years[t - 1].netBookValueUsd) + row.capexUsd;
        if (vintageStartUsd <= 0.0 || fleetStartUsd <= 0.0)
            break;
        const double thisYearUsd =
            margin * row.projectedRevenueUsd * vintageStartUsd / fleetStartUsd;
        if (earnedUsd + thisYearUsd >= vintage.capexUsd) {
            out.paybackYears = static_cast<double>(t - b) +
                               (vintage.capexUsd - earnedUsd) / thisYearUsd;
            break;
        }
        earnedUsd += thisYearUsd;
    }
    return Ok{};
}

Result<RevenueGapResult> computeRevenueGap(const std::vector<Figure> &figures,
                                           const Scenario &scenario)
{
    const PreparedRevenueGap prepared = prepareRevenueGap(figures);
    RevenueGapResult out;
    out.companies = prepared.companies;
    out.capex2026Usd = prepared.capex2026Usd;
    out.capex2026LowUsd = prepared.capex2026LowUsd;
    out.capex2026HighUsd = prepared.capex2026HighUsd;
    out.revenueBaseUsd = prepared.revenueBaseUsd;
    out.revenueBaseYear = prepared.revenueBaseYear;
    out.sourceFigureIds = prepared.sourceFigureIds;
    out.notes = prepared.notes;
    if (Status status = evaluateRevenueGap(prepared, scenario, out); !status)
        return status.error();
    return out;
}

std::string_view revenueGapMethod()
{
    return R"(Capex path: aggregate US hyperscaler capex per calendar year from the cited figures
(reported first, then guidance, then estimates; 2024 $200B estimate, 2025 $410B reported for the
four largest, 2026 $690-725B guidance, midpoint used), then grown each year at capex_growth.
Years after the last reported one (the 2026 guidance and everything grown from it) are multiplied
by capex_guidance_scale: 1 takes the guidance midpoint, 0.975 and 1.025 its low and high ends.

Required revenue in year t = (depreciation_t + wacc x net book value_t) / operating_margin.
Each year's capex is written off in equal slices over depreciation_life_years, starting in the
year it is spent; net book value is what remains at the end of the year. operating_margin is the
share of revenue left after cash operating costs, so dividing the yearly capital cost by it gives
the revenue that pays for the capital. Its default (0.50) is calibrated: with six-year lives, 9%
cost of capital and 10% capex growth after 2026, required revenue in 2030 comes out near Bain's
$2T a year.

Projected revenue grows at ai_revenue_growth from a base. No cited aggregate AI revenue exists in
the figures, so the base is back-cast from Bain's implied 2030 revenue ($2T need less the $800B
shortfall = $1.2T) at the default growth; at defaults the 2030 projection equals Bain's, and
moving the slider moves it. Gap = required - projected.

Impairment: when gpu_economic_life_years is shorter than depreciation_life_years, each vintage is
worth less than its book value; the stranded book value is the sum over vintages of book value
minus economic value (both straight-line), never negative.

Payback: the simple (undiscounted) payback of the last cited vintage (2026 capex). In each year
from 2026 on, the fleet's cash margin, operating_margin x projected revenue, is shared among the
vintages in proportion to their book value at the start of the year (that year's capex at cost);
the payback is the number of years from the start of 2026 until the vintage's cumulative share
reaches its cost, counting the last year pro rata (2.5 = halfway through 2028). A vintage earns
nothing once written off, so a payback later than depreciation_life_years never happens; when the
cost is not reached by 2035 there is no payback. Compared with gpu_economic_life_years, it says
whether the hardware earns back its cost before newer hardware makes it uneconomic.)";
}

} // namespace cliff::econ
