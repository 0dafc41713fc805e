#pragma once

#include "calibration.h"
#include "economic_view.h"
#include "fragility.h"

#include "core/figure.h"
#include "core/result.h"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace cliff::econ {

class Scenario;
class ViewEvaluator;

/// The single numbers a view can be summed up by, for tornado charts.
enum class HeadlineMetric {
    Gap2030Usd,            ///< revenue gap: required minus projected AI revenue in 2030, USD
    PredictedLagMonths,    ///< cost curves: months the decline curve puts the follower behind
    TopPartyLeadPoints,    ///< fragility: lead of the party most fragile at the centre, points
    HyperscalerScore,      ///< fragility: the hyperscalers' score, points
    ModelLabScore,         ///< fragility: the model labs' score, points
    NeocloudScore,         ///< fragility: the neoclouds' score, points
    EquityHolderScore,     ///< fragility: the equity holders' score, points
    MinCashCoverage,       ///< fiber: lowest cash flow / (depreciation + debt service), x
    StrandYear,            ///< fiber: the strand year; kNoStrandYear when it does not strand
    PeakIdleShare,         ///< fiber: the largest idle share from the base year, fraction
};

/// The strand year reported when the builder does not strand by the last path year (2035).
inline constexpr int kNoStrandYear = calibration::kLastPathYear + 1;

/// The metrics of `view`, the default first; empty for the moat view.
std::span<const HeadlineMetric> headlineMetrics(EconomicView view);

/// snake_case key with unit: "gap_2030_usd", "predicted_lag_months", "top_party_lead_points",
/// "hyperscaler_score_points", ..., "min_cash_coverage", "strand_year", "peak_idle_share".
std::string_view headlineMetricKey(HeadlineMetric metric);

/// A short human label, e.g. "Revenue gap in 2030".
std::string_view headlineMetricLabel(HeadlineMetric metric);

/// The metric whose key is `key`, or nothing.
std::optional<HeadlineMetric> findHeadlineMetric(std::string_view key);

/// `metric` of `view`'s model run on `figures` at `scenario` (see headlineValue); an error for a
/// metric of another view or when the model refuses the scenario.
Result<double> headlineAt(EconomicView view, HeadlineMetric metric, const std::vector<Figure> &figures,
                          const Scenario &scenario);

/// The party that leads the ranking in `evaluator`'s last fragility evaluation.
FragilityParty mostFragileParty(const ViewEvaluator &evaluator);

/// `metric` of `evaluator`'s last evaluation; TopPartyLeadPoints is the score of `leader` minus
/// the highest score among the other three parties (negative once another party overtakes it).
double headlineValue(HeadlineMetric metric, const ViewEvaluator &evaluator,
                     FragilityParty leader = FragilityParty::EquityHolders);

} // namespace cliff::econ
