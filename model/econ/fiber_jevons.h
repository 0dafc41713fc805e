#pragma once

#include "capex_path.h"
#include "scenario.h"

#include "core/figure.h"
#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// One year of the demand/capacity model.
struct FiberYear {
    int year = 0;
    double capexUsd = 0.0;
    double priceIndex = 0.0;      ///< rental price of a unit of hardware compute, base year = 1
    double demandUnits = 0.0;     ///< hardware compute demanded, base-year capacity = 1
    double capacityUnits = 0.0;   ///< hardware compute of the live fleet, base-year capacity = 1
    double servedUnits = 0.0;
    double utilisation = 0.0;     ///< served / capacity, fraction
    double idleShare = 0.0;       ///< 1 - utilisation: the "dark" share
    double revenueUsd = 0.0;
    double cashFlowUsd = 0.0;     ///< revenue x operating_margin
    double depreciationUsd = 0.0;
    double debtServiceUsd = 0.0;  ///< interest plus principal due in the year
    bool covered = true;          ///< cash flow >= depreciation + debt service
};

/// A cited number from the fiber era, for comparison.
struct FiberComparison {
    std::string figureId;
    std::string entity;
    std::string metric;
    double value = 0.0;
    std::string unit;
    std::string period;
};

/// Output of the fiber/Jevons model (view 5).
struct FiberResult {
    std::vector<FiberYear> years;
    int baseYear = 0; ///< the year whose coverage is initial_cash_coverage (last cited capex year)
    std::optional<int> strandYear; ///< first year from baseYear on with cash flow < depreciation + debt service
    double peakIdleShare = 0.0;
    std::vector<FiberComparison> fiberEra; ///< every fiber_analogue figure
    std::vector<FiberComparison> litShareAtBust;   ///< share of fiber lit/in use, %
    std::vector<FiberComparison> marketValueLost;  ///< market value lost, USD
    std::vector<std::string> notes;
};

/// Volume demanded when the price has fallen by a factor `priceFallFactor` (>= 1), relative to
/// the volume before: priceFallFactor^elasticity.
double jevonsVolumeMultiplier(double priceFallFactor, double elasticity);

/// What the fiber/Jevons model reads from the figures, worked out once per set of figures.
struct PreparedFiber {
    CitedCapex capex;
    int baseYear = 0; ///< the last cited capex year, or calibration::kFiberBaseYear without one
    std::vector<FiberComparison> fiberEra;
    std::vector<FiberComparison> litShareAtBust;
    std::vector<FiberComparison> marketValueLost;
    std::vector<std::string> notes;
};

/// The figure-derived inputs of the fiber/Jevons model; independent of the scenario.
PreparedFiber prepareFiberJevons(const std::vector<Figure> &figures);

/// Writes the yearly rows, base year, strand year and peak idle share into `out` (reusing its
/// storage) from prepared inputs and the scenario; leaves the fiber-era comparisons alone.
Status evaluateFiberJevons(const PreparedFiber &prepared, const Scenario &scenario,
                           FiberResult &out);

/// Demand vs capacity of a debt-financed build-out year by year, and the year it strands.
Result<FiberResult> computeFiberJevons(const std::vector<Figure> &figures,
                                       const Scenario &scenario);

/// The method of the fiber/Jevons model, in plain words, for the UI.
std::string_view fiberJevonsMethod();

} // namespace cliff::econ
