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

Result<FiberResult> computeFiberJevons(const std::vector<Figure> &figures,
                                       const Scenario &scenario)
{
    using enum AssumptionId;
    const double decline = scenario.value(TokenPriceDeclinePerYear);
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
    if (decline >= 1.0)
        return Error{"must be below 1", {}, 0, "token_price_decline_per_year"};

    FiberResult out;
    const std::vector<CapexYear> path =
        buildCapexPath(figures, scenario.value(CapexGrowth), calibration::kLastPathYear);
    const int firstYear = path.front().year;

    out.years.reserve(path.size());
    for (const CapexYear &current : path) {
        FiberYear row;
        row.year = current.year;
        row.capexUsd = current.capexUsd;
        const int t = current.year - firstYear;
        double fleet = 0.0;
        for (const CapexYear &vintage : path) {
            if (vintage.year > current.year)
                break;
            const int age = current.year - vintage.year + 1;
            const double before =
                age == 1 ? 1.0 : bookValueFraction(vintage.year, current.year - 1, lifeYears);
            row.depreciationUsd +=
                vintage.capexUsd * (before - bookValueFraction(vintage.year, current.year, lifeYears));
            const double debtUsd = leverage * vintage.capexUsd;
            const double paidBefore = std::min(1.0, static_cast<double>(age - 1) / termYears);
            const double paidAfter = std::min(1.0, static_cast<double>(age) / termYears);
            row.debtServiceUsd += debtUsd * ((paidAfter - paidBefore) + rate * (1.0 - paidBefore));
            fleet += vintage.capexUsd * std::pow(hardware, vintage.year - firstYear) *
                     aliveFraction(age, economicLifeYears);
        }
        row.capacityUnits = fleet * std::pow(algorithmic, t);
        row.priceIndex = std::pow(1.0 - decline, t);
        row.demandUnits = std::pow(1.0 + adoptionGrowth, t) *
                          jevonsVolumeMultiplier(1.0 / row.priceIndex, elasticity);
        out.years.push_back(row);
    }
    // The base year is the last cited capex year: the build-out as guided today. Units: base-year
    // capacity = 1 and base-year demand = initial_utilisation; revenue per unit is set so that
    // the base year's cash flow covers its depreciation and debt service initial_cash_coverage
    // times. The question the model answers is when that stops.
    int baseYear = 0;
    for (const CapexYear &vintage : path) {
        if (!vintage.figureId.empty())
            baseYear = vintage.year;
    }
    if (baseYear == 0)
        baseYear = std::clamp(calibration::kFiberBaseYear, firstYear, path.back().year);
    out.baseYear = baseYear;
    const FiberYear baseRow = out.years[static_cast<std::size_t>(baseYear - firstYear)];
    for (FiberYear &row : out.years) {
        row.capacityUnits /= baseRow.capacityUnits;
        row.demandUnits *= utilisation0 / baseRow.demandUnits;
        row.servedUnits = std::min(row.demandUnits, row.capacityUnits);
        row.utilisation = row.capacityUnits > 0.0 ? row.servedUnits / row.capacityUnits : 0.0;
        row.idleShare = 1.0 - row.utilisation;
        if (row.year >= baseYear)
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
        if (!row.covered && !out.strandYear && row.year >= baseYear)
            out.strandYear = row.year;
    }

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

std::string_view fiberJevonsMethod()
{
    return R"(A stylised build-out financed partly with debt, year by year from the first cited
capex year, using the same capex path as view 1.

The base year is the last year with cited capex (2026 guidance): the build-out as guided today.
Price per unit of compute falls by token_price_decline_per_year. Demand grows at
demand_adoption_growth at a constant price and, following Jevons, by k^e more when the price has
fallen by a factor k (e = demand_elasticity); in the base year it is initial_utilisation of
capacity. Capacity is the live fleet: each year's capex buys hardware_price_performance_per_year^
(years since the first vintage) more compute per dollar, algorithms multiply the whole fleet's
output by algorithmic_efficiency_per_year each year, and hardware retires after
gpu_economic_life_years. Served = min(demand, capacity); the idle ("dark") share is
1 - served / capacity.

Money: revenue = price x served volume, scaled so that the base year's cash flow (revenue x
operating_margin) is initial_cash_coverage times its depreciation plus debt service.
Depreciation is straight-line over depreciation_life_years; neocloud_leverage of each vintage is
borrowed at debt_interest_rate and repaid evenly over loan_term_years. The strand year is the first
year from the base year on in which cash flow falls below depreciation plus debt service. Demand
can keep growing (Jevons) while the builder strands: once the fleet is full, revenue per unit
falls with the price faster than efficiency lowers the cost of the hardware already bought.

For comparison, the cited fiber-era figures: less than 5% of laid fiber lit at the bust (2.6% of
capacity in use by one 2001 estimate), market value lost, the WorldCom and Global Crossing
bankruptcies.)";
}

} // namespace cliff::econ
