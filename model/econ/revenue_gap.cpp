#include "revenue_gap.h"

#include "calibration.h"
#include "figure_query.h"

#include <algorithm>
#include <cmath>
#include <map>

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

/// A cited annualized revenue run-rate of one AI business (a lab, or a hyperscaler's AI unit).
bool isAiRunRate(const Figure &f)
{
    return f.category == "revenue" && f.unit == "USD" && isMeasurement(f)
           && (startsWith(f.metric, "Annualized revenue run-rate")
               || f.metric.find("AI business annual revenue run-rate") != std::string::npos);
}

RevenueAnchor revenueAnchor(const std::vector<Figure> &figures, PreparedRevenueGap &out)
{
    // The base is reported revenue: the latest run-rate of each AI business in the figures,
    // added up, in the calendar year of the latest of them.
    std::map<std::string, std::vector<const Figure *>> byBusiness;
    for (const Figure &f : figures) {
        if (isAiRunRate(f))
            byBusiness[f.entity].push_back(&f);
    }
    RevenueAnchor anchor{0.0, 0};
    for (const auto &[business, rates] : byBusiness) {
        const Figure *latest = latestFigure(rates);
        if (!latest || !periodStartYear(*latest))
            continue;
        anchor.baseUsd += latest->value;
        anchor.baseYear = std::max(anchor.baseYear, int(std::floor(*periodStartYear(*latest))));
        out.sourceFigureIds.push_back(latest->id);
        out.revenueBusinesses.push_back(business);
    }
    if (anchor.baseUsd > 0.0)
        return anchor;
    out.notes.push_back("no cited AI revenue run-rates in the figures; used the seed's implied "
                        "2030 revenue ($2T need less $800B shortfall) back-cast at the default "
                        "growth");
    const double growth = assumption(AssumptionId::AiRevenueGrowth).defaultValue;
    const int years = calibration::kHorizonYear - calibration::kRevenueBaseYear;
    return {(calibration::kBainRequired2030Usd - calibration::kBainShortfall2030Usd)
                / std::pow(1.0 + growth, years),
            calibration::kRevenueBaseYear};
}

/// Bain's 2030 need and shortfall, shown beside the model's numbers as cited claims.
void bainClaims(const std::vector<Figure> &figures, PreparedRevenueGap &out)
{
    if (const Figure *need = bainFigure(figures, "Annual revenue required")) {
        out.claimedRequired2030Usd = need->value;
        out.claimFigureIds.push_back(need->id);
    }
    if (const Figure *shortfall = bainFigure(figures, "Projected annual revenue shortfall")) {
        out.claimedShortfall2030Usd = shortfall->value;
        out.claimFigureIds.push_back(shortfall->id);
    }
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
    bainClaims(figures, out);
    out.revenueBaseUsd = anchor.baseUsd;
    out.revenueBaseYear = anchor.baseYear;
    bool pathCited = false;
    for (const CapexYear &vintage : out.capex.years) {
        if (!vintage.figureIds.empty()) {
            out.sourceFigureIds.insert(out.sourceFigureIds.end(), vintage.figureIds.begin(),
                                       vintage.figureIds.end());
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
        row.capexBasis = i < cited.years.size() ? cited.years[i].basis : CapexBasis::Extrapolated;
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
    out.revenueBusinesses = prepared.revenueBusinesses;
    out.claimedRequired2030Usd = prepared.claimedRequired2030Usd;
    out.claimedShortfall2030Usd = prepared.claimedShortfall2030Usd;
    out.claimFigureIds = prepared.claimFigureIds;
    out.sourceFigureIds = prepared.sourceFigureIds;
    out.notes = prepared.notes;
    if (Status status = evaluateRevenueGap(prepared, scenario, out); !status)
        return status.error();
    return out;
}

std::string_view revenueGapMethod()
{
    return R"(Capex path: the capex of Alphabet, Amazon, Meta and Microsoft, added up company by
company. Measured years are the sum of each company's four calendar quarters of cash capex
(purchases of property and equipment, finance leases excluded). The next year is the sum of each
company's latest published guidance, and the year after the sum of each company's cited analyst
projection. Guidance and projections are multiplied by capex_guidance_scale (1 takes them as
cited). After the last cited year the path grows at capex_growth; the chart draws that part as
an extrapolation. Companies define guidance differently (Meta includes finance leases), which
the chart note names.

Required revenue in year t = (depreciation_t + wacc x net book value_t) / operating_margin.
Each year's capex is written off in equal slices over depreciation_life_years, starting in the
year it is spent; net book value is what remains at the end of the year. operating_margin is the
share of revenue left after cash operating costs, so dividing the yearly capital cost by it gives
the revenue that pays for the capital.

Projected revenue starts from reported revenue: the latest annualized revenue run-rate of each
AI business in the figures (the model labs and the hyperscalers' AI units), added up, in the
year of the latest of them. Where one business pays another (a lab renting a hyperscaler's
GPUs), the revenue is counted by both, so the base errs high. It then grows at
ai_revenue_growth, whose default is the growth implied by a cited market forecast. Gap =
required - projected.

Bain's 2030 figures ($2T a year needed, $800B short) are shown as cited claims beside the
model's own 2030 numbers, not used as inputs. They differ because the model reads a different
capex path (the four companies' own spending and guidance), reported revenue and a cited growth
forecast rather than Bain's assumptions.

Impairment: when gpu_economic_life_years is shorter than depreciation_life_years, each vintage is
worth less than its book value; the stranded book value is the sum over vintages of book value
minus economic value (both straight-line), never negative.

Payback: the simple (undiscounted) payback of the last cited vintage. In each year from then on,
the fleet's cash margin, operating_margin x projected revenue, is shared among the vintages in
proportion to their book value at the start of the year (that year's capex at cost); the payback
is the number of years from the start of the vintage year until the vintage's cumulative share
reaches its cost, counting the last year pro rata. A vintage earns nothing once written off, so
a payback later than depreciation_life_years never happens; when the cost is not reached by
2035 there is no payback.)";
}

} // namespace cliff::econ
