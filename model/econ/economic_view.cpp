#include "economic_view.h"

#include <array>

namespace cliff::econ {

namespace {

using enum AssumptionId;

constexpr std::array kViews{EconomicView::RevenueGap, EconomicView::CostCurves, EconomicView::Moat,
                            EconomicView::Fragility, EconomicView::FiberJevons};

constexpr std::array kRevenueGapAssumptions{DepreciationLifeYears, GpuEconomicLifeYears,
                                            Wacc,                  OperatingMargin,
                                            CapexGrowth,           CapexGuidanceScale,
                                            AiRevenueGrowth};

constexpr std::array kCostCurvesAssumptions{TokenPriceDeclinePerYear,
                                            AlgorithmicEfficiencyPerYear,
                                            HardwarePricePerformancePerYear, InputOutputRatio};

constexpr std::array kFragilityAssumptions{
    DepreciationLifeYears,       GpuEconomicLifeYears,       TokenPriceDeclinePerYear,
    DemandElasticity,            RecoveryRate,               HyperscalerLeverage,
    HyperscalerComputeExposure,  HyperscalerCircularShare,   HyperscalerPricedExecution,
    HyperscalerCdsSpreadBp,      ModelLabLeverage,           ModelLabComputeExposure,
    ModelLabCircularShare,       ModelLabPricedExecution,    ModelLabCdsSpreadBp,
    NeocloudLeverage,            NeocloudComputeExposure,    NeocloudCircularShare,
    NeocloudPricedExecution,     NeocloudCdsSpreadBp,        EquityHolderLeverage,
    EquityHolderComputeExposure, EquityHolderCircularShare,  EquityHolderPricedExecution};

constexpr std::array kFiberAssumptions{DepreciationLifeYears,
                                       GpuEconomicLifeYears,
                                       OperatingMargin,
                                       CapexGrowth,
                                       CapexGuidanceScale,
                                       GpuRentalPriceDeclinePerYear,
                                       DemandElasticity,
                                       AlgorithmicEfficiencyPerYear,
                                       HardwarePricePerformancePerYear,
                                       DebtInterestRate,
                                       LoanTermYears,
                                       InitialUtilisation,
                                       InitialCashCoverage,
                                       DemandAdoptionGrowth,
                                       NeocloudLeverage};

} // namespace

std::span<const EconomicView> economicViews()
{
    return kViews;
}

std::string_view economicViewKey(EconomicView view)
{
    switch (view) {
    case EconomicView::RevenueGap:
        return "revenue-gap";
    case EconomicView::CostCurves:
        return "cost-curves";
    case EconomicView::Moat:
        return "moat";
    case EconomicView::Fragility:
        return "fragility";
    case EconomicView::FiberJevons:
        return "fiber";
    }
    return {};
}

std::optional<EconomicView> findEconomicView(std::string_view key)
{
    for (EconomicView view : kViews) {
        if (economicViewKey(view) == key)
            return view;
    }
    return std::nullopt;
}

std::span<const AssumptionId> viewAssumptions(EconomicView view)
{
    switch (view) {
    case EconomicView::RevenueGap:
        return kRevenueGapAssumptions;
    case EconomicView::CostCurves:
        return kCostCurvesAssumptions;
    case EconomicView::Moat:
        return {};
    case EconomicView::Fragility:
        return kFragilityAssumptions;
    case EconomicView::FiberJevons:
        return kFiberAssumptions;
    }
    return {};
}

} // namespace cliff::econ
