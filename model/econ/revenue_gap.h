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

/// One year of view 1: capex, the capital cost it creates and the revenue it needs.
struct RevenueGapYear {
    int year = 0;
    double capexUsd = 0.0;
    bool capexCited = false;
    CapexBasis capexBasis = CapexBasis::Extrapolated;
    double depreciationUsd = 0.0;
    double netBookValueUsd = 0.0;      ///< at the end of the year
    double requiredRevenueUsd = 0.0;
    double projectedRevenueUsd = 0.0;
    double gapUsd = 0.0;               ///< required minus projected
    double strandedBookValueUsd = 0.0; ///< book value above economic value at the end of the year
};

/// Output of the revenue-gap model (view 1).
struct RevenueGapResult {
    std::vector<RevenueGapYear> years;
    std::vector<CompanyCapex> companies;
    double capex2026Usd = 0.0;
    double capex2026LowUsd = 0.0;
    double capex2026HighUsd = 0.0;
    double requiredRevenue2030Usd = 0.0;
    double projectedRevenue2030Usd = 0.0;
    double gap2030Usd = 0.0;
    double strandedBookValue2030Usd = 0.0;
    double revenueBaseUsd = 0.0; ///< projected revenue in revenueBaseYear
    int revenueBaseYear = 0;
    std::vector<std::string> revenueBusinesses; ///< whose run-rates make up the base
    std::optional<double> claimedRequired2030Usd;  ///< Bain's cited need, a claim to compare with
    std::optional<double> claimedShortfall2030Usd; ///< Bain's cited shortfall
    std::vector<std::string> claimFigureIds;
    int paybackVintageYear = 0; ///< the vintage whose payback is measured: the last cited capex year
    std::optional<double> paybackYears; ///< simple payback of that vintage; empty when not by the last path year
    std::vector<std::string> sourceFigureIds; ///< the figures the numbers came from, sorted, unique
    std::vector<std::string> notes;           ///< fallbacks taken, in plain words
};

/// What the revenue-gap model reads from the figures, worked out once per set of figures.
struct PreparedRevenueGap {
    CitedCapex capex;
    double revenueBaseUsd = 0.0;
    int revenueBaseYear = 0;
    std::vector<std::string> revenueBusinesses;
    std::optional<double> claimedRequired2030Usd;
    std::optional<double> claimedShortfall2030Usd;
    std::vector<std::string> claimFigureIds;
    double capex2026Usd = 0.0;
    double capex2026LowUsd = 0.0;
    double capex2026HighUsd = 0.0;
    std::vector<CompanyCapex> companies;
    std::vector<std::string> sourceFigureIds; ///< sorted, unique
    std::vector<std::string> notes;
};

/// The figure-derived inputs of the revenue-gap model; independent of the scenario.
PreparedRevenueGap prepareRevenueGap(const std::vector<Figure> &figures);

/// Writes the yearly rows, the 2030 numbers and the payback into `out` (reusing its storage) from
/// prepared inputs and the scenario; leaves the figure-derived members of `out` alone.
Status evaluateRevenueGap(const PreparedRevenueGap &prepared, const Scenario &scenario,
                          RevenueGapResult &out);

/// Required vs projected AI revenue by year, USD, from the capex path and the scenario.
Result<RevenueGapResult> computeRevenueGap(const std::vector<Figure> &figures,
                                           const Scenario &scenario);

/// The method of the revenue-gap model, in plain words, for the UI.
std::string_view revenueGapMethod();

} // namespace cliff::econ
