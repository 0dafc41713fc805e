#include "fiber_jevons.h"

#include "calibration.h"
#include "capex_path.h"
#include "figure_query.h"

#include <algorithm>
#include <cmath>

namespace cliff::econ {

namespace {

// Fraction of the year a vintage in its `ageYears`-th year (1-based) is still economically alive.
double aliveFraction(int ageYears, double economicLifeYears)
{
    return std::clamp(economicLifeYears - static_cast<double>(ageYears - 1), 0.0, 1.0);
}

FiberComparison comparison(const Figure &figure)
{
    return {figure.id, figure.entity, figure.metric, figure.value, figure.unit, figure.period};
}

} // namespace

double jevonsVolumeMultiplier(double priceFallFactor, double elasticity)
{
    return std::pow(priceFallFactor, elasticity);
}

PreparedFiber prepareFiberJevons(const std::vector<Figure> &figures)
{
    PreparedFiber out;
    out.capex = citedCapex(figures, calibration::kLastPathYear);
    const int firstYear = out.capex.years.front().year;
    const int lastYear = std::max(calibration::kLastPathYear, out.capex.years.back().year);
    // The base year is the last measured or guided capex year: the build-out as guided today
    // (analysts' projections beyond it are not the companies' own plans).
    for (const CapexYear &vintage : out.capex.years) {
        if (!vintage.figureIds.empty() && vintage.basis != CapexBasis::Projected)
            out.baseYear = vintage.year;
    }
    if (out.baseYear == 0)
        out.baseYear = std::clamp(calibration::kFiberBaseYear, firstYear, lastYear);

    for (const Figure &figure : figures) {
        if (figure.category != "fiber_analogue")
            continue;
        out.fiberEra.push_back(comparison(figure));
        if (figure.unit == "%" && (containsNoCase(figure.metric, "lit") ||
                                   containsNoCase(figure.metric, "in use")))
            out.litShareAtBust.push_back(comparison(figure));
        if (figure.unit == "USD" && containsNoCase(figure.metric, "market value"))
            out.marketValueLost.push_back(comparison(figure));
    }
    if (out.fiberEra.empty())
        out.notes.push_back("no fiber-era figures to compare with");
    return out;
}

Status evaluateFiberJevons(const PreparedFiber &prepared, const Scenario &scenario,
                           FiberResult &out)
{
    using enum AssumptionId;
    const double decline = scenario.value(GpuRentalPriceDeclinePerYear);
    const double elasticity = scenario.value(DemandElasticity);
    const double algorithmic = scenario.value(AlgorithmicEfficiencyPerYear);
    const double hardware = scenario.value(HardwarePricePerformancePerYear);
    const double lifeYears = scenario.value(DepreciationLifeYears);
    const double economicLifeYears = scenario.value(GpuEconomicLifeYears);
    const double margin = scenario.value(OperatingMargin);
    const double leverage = scenario.value(NeocloudLeverage);
    const double rate = scenario.value(DebtInterestRate);
    const double termYears = scenario.value(LoanTermYears);
    const double utilisation0 = scenario.value(InitialUtilisation);
    const double coverage0 = scenario.value(InitialCashCoverage);
    const double adoptionGrowth = scenario.value(DemandAdoptionGrowth);
    const double capexGrowth = scenario.value(CapexGrowth);
    const double guidanceScale = scenario.value(CapexGuidanceScale);
    if (decline >= 1.0)
        return Error{"must be below 1", {}, 0, "gpu_rental_price_decline_per_year"};

    const CitedCapex &cited = prepared.capex;
    const int firstYear = cited.years.front().year;
    const auto yearCount = static_cast<std::size_t>(
        std::max(calibration::kLastPathYear, cited.years.back().year) - firstYear + 1);
    out.years.resize(yearCount);
    for (std::size_t i = 0; i < yearCount; ++i) {
        FiberYear &row = out.years[i];
        row = FiberYear{};
        row.year = firstYear + static_cast<int>(i);
        row.capexUsd = capexPathUsd(cited, i, capexGrowth, guidanceScale,
                                    i == 0 ? 0.0 : out.years[i - 1].capexUsd);
    }
    // Compute is counted in hardware units (what a GPU-hour of the first vintage delivers). The
    // rental price of a hardware unit falls by `decline` a year; algorithms make each unit
    // serve algorithmic^t more tokens, so the price of a token falls by (1 - decline) /
    // algorithmic a year. Token demand grows with adoption and, by Jevons, with that price fall;
    // the hardware it needs is token demand / algorithmic^t.
    double algorithmicFactor = 1.0;
    double rentFactor = 1.0;
    double adoptionFactor = 1.0;
    for (FiberYear &row : out.years) {
        double fleet = 0.0;
        double computePerUsd = 1.0; // hardware^(vintage year - first year)
        for (const FiberYear &vintage : out.years) {
            if (vintage.year > row.year)
                break;
            const int age = row.year - vintage.year + 1;
            const double before =
                age == 1 ? 1.0 : bookValueFraction(vintage.year, row.year - 1, lifeYears);
            row.depreciationUsd +=
                vintage.capexUsd * (before - bookValueFraction(vintage.year, row.year, lifeYears));
            const double debtUsd = leverage * vintage.capexUsd;
            const double paidBefore = std::min(1.0, static_cast<double>(age - 1) / termYears);
            const double paidAfter = std::min(1.0, static_cast<double>(age) / termYears);
            row.debtServiceUsd += debtUsd * ((paidAfter - paidBefore) + rate * (1.0 - paidBefore));
            fleet += vintage.capexUsd * computePerUsd * aliveFraction(age, economicLifeYears);
            computePerUsd *= hardware;
        }
        row.capacityUnits = fleet;
        row.priceIndex = rentFactor;
        const double tokenPriceFall = algorithmicFactor / rentFactor;
        row.demandUnits = adoptionFactor * jevonsVolumeMultiplier(tokenPriceFall, elasticity) /
                          algorithmicFactor;
        algorithmicFactor *= algorithmic;
        rentFactor *= 1.0 - decline;
        adoptionFactor *= 1.0 + adoptionGrowth;
    }
    // Units: base-year capacity = 1 and base-year demand = initial_utilisation; revenue per unit
    // is set so that the base year's cash flow covers its depreciation and debt service
    // initial_cash_coverage times. The question the model answers is when that stops.
    out.baseYear = prepared.baseYear;
    out.strandYear.reset();
    out.peakIdleShare = 0.0;
    const FiberYear baseRow = out.years[static_cast<std::size_t>(prepared.baseYear - firstYear)];
    for (FiberYear &row : out.years) {
        row.capacityUnits /= baseRow.capacityUnits;
        row.demandUnits *= utilisation0 / baseRow.demandUnits;
        row.servedUnits = std::min(row.demandUnits, row.capacityUnits);
        row.utilisation = row.capacityUnits > 0.0 ? row.servedUnits / row.capacityUnits : 0.0;
        row.idleShare = 1.0 - row.utilisation;
        if (row.year >= prepared.baseYear)
            out.peakIdleShare = std::max(out.peakIdleShare, row.idleShare);
    }
    const double revenuePerUnitUsd =
        coverage0 * (baseRow.depreciationUsd + baseRow.debtServiceUsd) /
        (margin * utilisation0 * baseRow.priceIndex);
    for (FiberYear &row : out.years) {
        row.priceIndex /= baseRow.priceIndex;
        row.revenueUsd = revenuePerUnitUsd * baseRow.priceIndex * row.priceIndex * row.servedUnits;
        row.cashFlowUsd = margin * row.revenueUsd;
        row.covered = row.cashFlowUsd >= row.depreciationUsd + row.debtServiceUsd;
        if (!row.covered && !out.strandYear && row.year >= prepared.baseYear)
            out.strandYear = row.year;
    }
    return Ok{};
}

Result<FiberResult> computeFiberJevons(const std::vector<Figure> &figures,
                                       const Scenario &scenario)
{
    const PreparedFiber prepared = prepareFiberJevons(figures);
    FiberResult out;
    out.fiberEra = prepared.fiberEra;
    out.litShareAtBust = prepared.litShareAtBust;
    out.marketValueLost = prepared.marketValueLost;
    out.notes = prepared.notes;
    if (Status status = evaluateFiberJevons(prepared, scenario, out); !status)
        return status.error();
    return out;
}

std::string_view fiberJevonsMethod()
{
    return R"(A debt-financed GPU build-out, year by year from the first cited capex year,
using the same capex path as view 1 (capex_growth and capex_guidance_scale included).

The base year is the last year with cited capex (2026 guidance): the build-out as guided today.
Compute is counted in hardware units. Each year's capex buys hardware_price_performance_per_year^
(years since the first vintage) more units per dollar, and a vintage retires after
gpu_economic_life_years. The rental price of a unit falls by gpu_rental_price_decline_per_year,
the trend through the cited H100 rental prices. Algorithms let each unit serve
algorithmic_efficiency_per_year more tokens every year, so the price of a token falls faster than
the rent. Token demand grows at demand_adoption_growth and, following Jevons, by k^e more when the
token price has fallen by a factor k (e = demand_elasticity); the hardware it needs is that demand
divided by the algorithmic gain. In the base year demand is initial_utilisation of capacity, the
cited utilisation of neoclouds. Served = min(demand, capacity); the idle ("dark") share is
1 - served / capacity.

Money: revenue = rent x served units, scaled so that the base year's cash flow is
initial_cash_coverage times its depreciation plus debt service. Depreciation is straight-line
over depreciation_life_years; neocloud_leverage of each vintage (CoreWeave's debt against its
property and equipment) is borrowed at debt_interest_rate (CoreWeave's cited rates) and repaid
evenly over loan_term_years (its loans' cited five-year term). The strand year is the first year
from the base year on in which cash flow falls below depreciation plus debt service: the rent on
hardware already bought falls every year, while its depreciation and debt service do not.

For comparison, the cited fiber-era figures: less than 5% of laid fiber lit at the bust (2.6% of
capacity in use by one 2001 estimate), market value lost, the WorldCom and Global Crossing
bankruptcies.)";
}

} // namespace cliff::econ
