#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// Every assumption a scenario can set; the registry lists them in this order.
enum class AssumptionId : std::size_t {
    DepreciationLifeYears,
    GpuEconomicLifeYears,
    Wacc,
    OperatingMargin,
    CapexGrowth,
    CapexGuidanceScale,
    AiRevenueGrowth,
    TokenPriceDeclinePerYear,
    GpuRentalPriceDeclinePerYear,
    DemandElasticity,
    RecoveryRate,
    AlgorithmicEfficiencyPerYear,
    HardwarePricePerformancePerYear,
    InputOutputRatio,
    DebtInterestRate,
    LoanTermYears,
    InitialUtilisation,
    InitialCashCoverage,
    DemandAdoptionGrowth,
    HyperscalerLeverage,
    HyperscalerComputeExposure,
    HyperscalerCircularShare,
    HyperscalerPricedExecution,
    HyperscalerCdsSpreadBp,
    ModelLabLeverage,
    ModelLabComputeExposure,
    ModelLabCircularShare,
    ModelLabPricedExecution,
    ModelLabCdsSpreadBp,
    NeocloudLeverage,
    NeocloudComputeExposure,
    NeocloudCircularShare,
    NeocloudPricedExecution,
    NeocloudCdsSpreadBp,
    EquityHolderLeverage,
    EquityHolderComputeExposure,
    EquityHolderCircularShare,
    EquityHolderPricedExecution,
    Count
};

inline constexpr std::size_t kAssumptionCount = static_cast<std::size_t>(AssumptionId::Count);

/// Where a default comes from: read from cited figures, chosen so that the defaults reproduce a
/// cited claim, or an illustrative value no source gives (shown as kind "assumption").
enum class DefaultKind { Cited, Calibrated, Illustrative };

/// One slider's worth of metadata: bounds, default, unit and the figures behind the default.
struct Assumption {
    AssumptionId id;
    std::string_view key;   ///< snake_case name used in scenarios and on the command line
    std::string_view label; ///< short human label
    std::string_view unit;  ///< "years", "fraction", "x per year", "bp"
    double minValue;
    double maxValue;
    double defaultValue;
    double step;
    std::string_view group; ///< "build-out", "costs", "demand", "credit", "parties"
    std::string_view explanation; ///< one line: what it means and why the default
    DefaultKind kind;
    std::array<std::string_view, 3> sourceFigureIds; ///< figure ids behind the default; may be empty
};

/// The registry in AssumptionId order; static storage, never empty.
std::span<const Assumption> assumptionRegistry();

/// The registry entry for `id`.
const Assumption &assumption(AssumptionId id);

/// The registry entry whose key is `key`, or nothing when no assumption has that key.
std::optional<AssumptionId> findAssumption(std::string_view key);

/// "cited", "calibrated" or "assumption".
std::string_view defaultKindName(DefaultKind kind);

/// The non-empty figure ids behind an assumption's default, in registry order.
std::vector<std::string> sourceFigureIds(const Assumption &entry);

} // namespace cliff::econ
