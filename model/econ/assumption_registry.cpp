#include "assumption_registry.h"

namespace cliff::econ {

namespace {

using enum AssumptionId;
using enum DefaultKind;

constexpr std::array<Assumption, kAssumptionCount> kRegistry = {{
    {DepreciationLifeYears, "depreciation_life_years", "Depreciation life of servers", "years",
     2.0, 10.0, 6.0, 0.5, "build-out",
     "Straight-line accounting life of AI servers; US hyperscalers use six years.", Cited,
     {"hyperscaler-depreciation-life-whitepaper", "microsoft-server-life-from-fy2023",
      "alphabet-server-life-from-2023"}},
    {GpuEconomicLifeYears, "gpu_economic_life_years", "Economic life of a GPU", "years",
     1.0, 10.0, 4.0, 0.5, "build-out",
     "Years an accelerator earns its keep before newer hardware makes it uneconomic; illustrative "
     "(Microsoft's schedule before FY2023 was four years).",
     Illustrative, {"microsoft-server-life-before-fy2023", {}, {}}},
    {Wacc, "wacc", "Cost of capital (WACC)", "fraction per year", 0.03, 0.20, 0.09, 0.005,
     "build-out", "Return the capital tied up in book value must earn each year; illustrative.",
     Illustrative, {}},
    {OperatingMargin, "operating_margin", "Margin before capital costs", "fraction of revenue",
     0.10, 0.90, 0.50, 0.01, "build-out",
     "Share of AI revenue left after cash operating costs to pay depreciation and the capital "
     "charge; illustrative.",
     Illustrative, {}},
    {CapexGrowth, "capex_growth", "Capex growth after the last cited year",
     "fraction per year", -0.30, 0.60, 0.10, 0.01, "build-out",
     "Growth of annual capex beyond the last cited year (the analysts' projections for the year "
     "after the guidance); illustrative.",
     Illustrative, {}},
    {CapexGuidanceScale, "capex_guidance_scale", "Capex against guidance", "x guided capex", 0.5,
     1.5, 1.0, 0.01, "build-out",
     "Capex from the first guided year on (the companies' guidance, then the analysts' "
     "projections), as a multiple of the cited values; 1 takes them as given. Its range is the "
     "width of the aggregate 2026 guidance ($690-725B).",
     Cited, {"us-hyperscaler-capex-2026-whitepaper", {}, {}}},
    {AiRevenueGrowth, "ai_revenue_growth", "AI revenue growth", "fraction per year", 0.0, 0.80,
     0.42, 0.01, "demand",
     "Growth of AI revenue from its reported run-rate; the default is Bloomberg Intelligence's "
     "forecast of generative-AI revenue, $40B in 2022 to $1.3T in 2032, about 42% a year. The "
     "slider stops at 80%, about twice the forecast.",
     Cited, {"revenue-genai-market-2022-bi", "revenue-genai-market-2032-bi", {}}},
    {TokenPriceDeclinePerYear, "token_price_decline_per_year", "Token price decline",
     "fraction per year", 0.0, 0.90, 0.75, 0.01, "costs",
     "Yearly fall of the price per token at constant capability; the default matches the cost "
     "decline of the default efficiency sliders (1 - 1/(3 x 1.32)); a cited open-weights cost "
     "collapse of 7.5x in 16 months is about 78% a year. Illustrative.",
     Illustrative, {"open-weights-cost-curve-collapse-casestudy", {}, {}}},
    {GpuRentalPriceDeclinePerYear, "gpu_rental_price_decline_per_year", "GPU rental price decline",
     "fraction per year", 0.0, 0.80, 0.35, 0.01, "costs",
     "Yearly fall of the rental price of an hour on the same GPU; the default is the trend "
     "through the cited H100 rental prices from 2023 to 2026 (about 35% a year).",
     Cited, {"credit-h100-spot-2023-h1", "h100-rental-2025-10", "h100-rental-median-2026-05"}},
    {DemandElasticity, "demand_elasticity", "Demand elasticity (Jevons)", "x", 0.0, 3.0, 1.2,
     0.05, "demand",
     "Volume grows by k^e when the price falls by a factor k; above 1 is Jevons, which the seed "
     "grants. Illustrative.",
     Illustrative, {}},
    {RecoveryRate, "recovery_rate", "Recovery rate on default", "fraction", 0.0, 0.90, 0.35, 0.01,
     "credit", "Share of par recovered in default, used to turn CDS spreads into default odds.",
     Cited, {"cds-recovery-rate-ria", {}, {}}},
    {AlgorithmicEfficiencyPerYear, "algorithmic_efficiency_per_year",
     "Algorithmic efficiency gain", "x per year", 1.0, 10.0, 3.0, 0.1, "costs",
     "Factor by which the compute needed for a fixed capability falls each year (Epoch AI: "
     "about 3x).",
     Cited, {"algorithmic-efficiency-3x-epoch-2025", "compute-efficiency-trend-epoch-endofera", {}}},
    {HardwarePricePerformancePerYear, "hardware_price_performance_per_year",
     "Hardware price-performance gain", "x per year", 1.0, 3.0, 1.32, 0.01, "costs",
     "Factor by which FLOP per dollar rises each year: 2^(1/2.5) from Epoch AI's 2.5-year "
     "doubling time.",
     Cited, {"gpu-price-performance-doubling-epoch", {}, {}}},
    {InputOutputRatio, "input_output_ratio", "Input:output token mix", "input tokens per output token",
     0.1, 20.0, 3.0, 0.1, "costs",
     "Blend of input and output prices; 3:1 is the common industry blend. Illustrative.",
     Illustrative, {}},
    {DebtInterestRate, "debt_interest_rate", "Interest rate on builder debt", "fraction per year",
     0.02, 0.25, 0.10, 0.005, "credit",
     "Cost of a GPU builder's debt; CoreWeave's notes and loans pay 9-11%.", Cited,
     {"credit-coreweave-2030-notes-eff-rate-2025-06", "coreweave-notes-2031-coupon",
      "coreweave-ddtl2-rate-2025-06"}},
    {LoanTermYears, "loan_term_years", "Loan amortisation term", "years", 1.0, 15.0, 5.0, 0.5,
     "credit",
     "Years over which a builder repays the debt on a GPU vintage; each draw on CoreWeave's "
     "delayed-draw loans matures five years after it is drawn.",
     Cited, {"builder-coreweave-ddtl2-5th-amend-draw-term", "builder-coreweave-ddtl5-term", {}}},
    {InitialUtilisation, "initial_utilisation", "Initial utilisation", "fraction", 0.05, 1.0, 0.90,
     0.01, "demand",
     "Share of capacity sold in the base year of the fiber/Jevons model; well-funded neoclouds "
     "typically run at 85-95%.",
     Cited, {"builder-neocloud-utilisation-typical", "builder-gpu-plan-utilisation-observed", {}}},
    {InitialCashCoverage, "initial_cash_coverage", "Initial cash-flow coverage", "x", 0.5, 5.0,
     1.5, 0.05, "credit",
     "First-year cash flow over depreciation plus debt service in the fiber/Jevons model; "
     "illustrative.",
     Illustrative, {}},
    {DemandAdoptionGrowth, "demand_adoption_growth", "Demand growth at constant price",
     "fraction per year", 0.0, 1.0, 0.35, 0.01, "demand",
     "Yearly growth of compute demand from adoption alone, before price effects. Illustrative.",
     Illustrative, {}},
    {HyperscalerLeverage, "hyperscaler_leverage", "Hyperscalers: leverage", "debt share of capital",
     0.0, 0.95, 0.15, 0.01, "parties", "Illustrative: cash-rich franchises fund capex mostly from "
     "operating cash flow.", Illustrative, {}},
    {HyperscalerComputeExposure, "hyperscaler_compute_exposure",
     "Hyperscalers: AI compute exposure", "share of assets and revenue", 0.0, 1.0, 0.30, 0.01,
     "parties", "Illustrative: AI compute is one business among several.", Illustrative, {}},
    {HyperscalerCircularShare, "hyperscaler_circular_share", "Hyperscalers: circular demand",
     "share of AI revenue", 0.0, 1.0, 0.10, 0.01, "parties",
     "Illustrative share of AI revenue paid by firms the hyperscaler funds.", Illustrative, {}},
    {HyperscalerPricedExecution, "hyperscaler_priced_execution",
     "Hyperscalers: priced-in execution", "share of value", 0.0, 1.0, 0.30, 0.01, "parties",
     "Illustrative share of market value that depends on the AI build-out paying off.",
     Illustrative, {}},
    {HyperscalerCdsSpreadBp, "hyperscaler_cds_spread_bp", "Hyperscalers: 5-year CDS spread", "bp",
     0.0, 3000.0, 40.0, 1.0, "parties",
     "Illustrative spread for AA-rated cash-rich issuers (no cited quote in the figures).",
     Illustrative, {}},
    {ModelLabLeverage, "model_lab_leverage", "Model labs: leverage", "debt share of capital", 0.0,
     0.95, 0.30, 0.01, "parties",
     "Illustrative: long-term compute commitments act like debt.", Illustrative, {}},
    {ModelLabComputeExposure, "model_lab_compute_exposure", "Model labs: AI compute exposure",
     "share of assets and revenue", 0.0, 1.0, 0.90, 0.01, "parties",
     "Illustrative: labs sell tokens and subscriptions and little else.", Illustrative, {}},
    {ModelLabCircularShare, "model_lab_circular_share", "Model labs: circular demand",
     "share of funding", 0.0, 1.0, 0.40, 0.01, "parties",
     "Illustrative share of funding that comes back from suppliers (Nvidia's $100B commitment to "
     "OpenAI).",
     Illustrative, {"nvidia-openai-investment-whitepaper", {}, {}}},
    {ModelLabPricedExecution, "model_lab_priced_execution", "Model labs: priced-in execution",
     "share of value", 0.0, 1.0, 0.80, 0.01, "parties",
     "Illustrative: private valuations far above revenue.", Illustrative, {}},
    {ModelLabCdsSpreadBp, "model_lab_cds_spread_bp", "Model labs: spread-equivalent", "bp", 0.0,
     3000.0, 400.0, 1.0, "parties",
     "Illustrative: labs have no traded CDS; a high-yield spread stands in.", Illustrative, {}},
    {NeocloudLeverage, "neocloud_leverage", "Neoclouds: leverage", "debt share of capital", 0.0,
     0.95, 0.70, 0.01, "parties",
     "GPU lessors fund fleets with GPU-backed debt: CoreWeave's $21.4B of debt against $30.6B of "
     "property and equipment at the end of 2025 is 0.70.",
     Cited, {"credit-coreweave-total-debt-2025-12-31", "builder-coreweave-ppe-net-2025-12-31", {}}},
    {NeocloudComputeExposure, "neocloud_compute_exposure", "Neoclouds: AI compute exposure",
     "share of assets and revenue", 0.0, 1.0, 1.00, 0.01, "parties",
     "GPU rental is the whole business.", Illustrative, {}},
    {NeocloudCircularShare, "neocloud_circular_share", "Neoclouds: circular demand",
     "share of revenue", 0.0, 1.0, 0.62, 0.01, "parties",
     "Microsoft, an investor-partner, was 62% of CoreWeave's 2024 revenue (Fitch).", Illustrative, {}},
    {NeocloudPricedExecution, "neocloud_priced_execution", "Neoclouds: priced-in execution",
     "share of value", 0.0, 1.0, 0.50, 0.01, "parties", "Illustrative.", Illustrative, {}},
    {NeocloudCdsSpreadBp, "neocloud_cds_spread_bp", "Neoclouds: 5-year CDS spread", "bp", 0.0,
     3000.0, 643.0, 1.0, "parties", "CoreWeave's 5-year CDS in December 2025.", Cited,
     {"coreweave-cds-2025-12-05", "coreweave-cds-ria-2025-12", {}}},
    {EquityHolderLeverage, "equity_holder_leverage", "Equity holders: leverage",
     "debt ranking ahead of the claim", 0.0, 0.95, 0.70, 0.01, "parties",
     "Illustrative: equity is the first-loss claim behind the build-out's debt and margin loans.",
     Illustrative, {}},
    {EquityHolderComputeExposure, "equity_holder_compute_exposure",
     "Equity holders: AI compute exposure", "share of portfolio", 0.0, 1.0, 0.90, 0.01,
     "parties", "Illustrative: index weight concentrated in the AI build-out.", Illustrative, {}},
    {EquityHolderCircularShare, "equity_holder_circular_share", "Equity holders: circular demand",
     "share of earnings", 0.0, 1.0, 0.60, 0.01, "parties",
     "Illustrative share of held earnings that rest on cross-investment between held firms.",
     Illustrative, {}},
    {EquityHolderPricedExecution, "equity_holder_priced_execution",
     "Equity holders: priced-in execution", "share of value", 0.0, 1.0, 0.95, 0.01, "parties",
     "Illustrative: the seed's 'equity holders have priced perfect execution'.", Illustrative, {}},
}};

constexpr bool registryInIdOrder()
{
    for (std::size_t i = 0; i < kRegistry.size(); ++i) {
        if (static_cast<std::size_t>(kRegistry[i].id) != i)
            return false;
    }
    return true;
}
static_assert(registryInIdOrder(), "kRegistry must list assumptions in AssumptionId order");

} // namespace

std::span<const Assumption> assumptionRegistry()
{
    return kRegistry;
}

const Assumption &assumption(AssumptionId id)
{
    return kRegistry[static_cast<std::size_t>(id)];
}

std::optional<AssumptionId> findAssumption(std::string_view key)
{
    for (const Assumption &entry : kRegistry) {
        if (entry.key == key)
            return entry.id;
    }
    return std::nullopt;
}

std::string_view defaultKindName(DefaultKind kind)
{
    switch (kind) {
    case DefaultKind::Cited:
        return "cited";
    case DefaultKind::Calibrated:
        return "calibrated";
    case DefaultKind::Illustrative:
        return "assumption";
    }
    return "assumption";
}

std::vector<std::string> sourceFigureIds(const Assumption &entry)
{
    std::vector<std::string> ids;
    for (std::string_view id : entry.sourceFigureIds) {
        if (!id.empty())
            ids.emplace_back(id);
    }
    return ids;
}

} // namespace cliff::econ
