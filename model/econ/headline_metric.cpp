#include "headline_metric.h"

#include "view_evaluator.h"

#include <algorithm>
#include <array>
#include <limits>

namespace cliff::econ {

namespace {

using enum HeadlineMetric;

struct MetricInfo {
    HeadlineMetric metric;
    std::string_view key;
    std::string_view label;
};

constexpr std::array<MetricInfo, 10> kMetrics = {{
    {Gap2030Usd, "gap_2030_usd", "Revenue gap in 2030"},
    {PredictedLagMonths, "predicted_lag_months", "Predicted follower lag"},
    {TopPartyLeadPoints, "top_party_lead_points", "Lead of the most fragile party"},
    {HyperscalerScore, "hyperscaler_score_points", "Hyperscalers' fragility score"},
    {ModelLabScore, "model_lab_score_points", "Model labs' fragility score"},
    {NeocloudScore, "neocloud_score_points", "Neoclouds' fragility score"},
    {EquityHolderScore, "equity_holder_score_points", "Equity holders' fragility score"},
    {MinCashCoverage, "min_cash_coverage", "Lowest cash-flow coverage"},
    {StrandYear, "strand_year", "Strand year"},
    {PeakIdleShare, "peak_idle_share", "Peak idle share"},
}};

constexpr std::array kRevenueGapMetrics{Gap2030Usd};
constexpr std::array kCostCurvesMetrics{PredictedLagMonths};
constexpr std::array kFragilityMetrics{TopPartyLeadPoints, HyperscalerScore, ModelLabScore,
                                       NeocloudScore, EquityHolderScore};
constexpr std::array kFiberMetrics{MinCashCoverage, StrandYear, PeakIdleShare};

const MetricInfo &info(HeadlineMetric metric)
{
    return kMetrics[static_cast<std::size_t>(metric)];
}

constexpr bool metricsInOrder()
{
    for (std::size_t i = 0; i < kMetrics.size(); ++i) {
        if (static_cast<std::size_t>(kMetrics[i].metric) != i)
            return false;
    }
    return true;
}
static_assert(metricsInOrder(), "kMetrics must list the metrics in enum order");

double partyScore(const ViewEvaluator &evaluator, FragilityParty party)
{
    return evaluator.parties()[static_cast<std::size_t>(party)].score;
}

} // namespace

std::span<const HeadlineMetric> headlineMetrics(EconomicView view)
{
    switch (view) {
    case EconomicView::RevenueGap:
        return kRevenueGapMetrics;
    case EconomicView::CostCurves:
        return kCostCurvesMetrics;
    case EconomicView::Moat:
        return {};
    case EconomicView::Fragility:
        return kFragilityMetrics;
    case EconomicView::FiberJevons:
        return kFiberMetrics;
    }
    return {};
}

std::string_view headlineMetricKey(HeadlineMetric metric)
{
    return info(metric).key;
}

std::string_view headlineMetricLabel(HeadlineMetric metric)
{
    return info(metric).label;
}

std::optional<HeadlineMetric> findHeadlineMetric(std::string_view key)
{
    for (const MetricInfo &entry : kMetrics) {
        if (entry.key == key)
            return entry.metric;
    }
    return std::nullopt;
}

Result<double> headlineAt(EconomicView view, HeadlineMetric metric, const std::vector<Figure> &figures,
                          const Scenario &scenario)
{
    const auto metrics = headlineMetrics(view);
    if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
        return Error{std::string(headlineMetricKey(metric)) + " is not a headline of the " +
                         std::string(economicViewKey(view)) + " view",
                     {}, 0, "headline"};
    }
    const PreparedView prepared = prepareView(view, figures);
    ViewEvaluator evaluator(prepared);
    if (Status status = evaluator.evaluate(scenario); !status)
        return status.error();
    return headlineValue(metric, evaluator);
}

FragilityParty mostFragileParty(const ViewEvaluator &evaluator)
{
    std::size_t best = 0;
    for (std::size_t p = 1; p < kFragilityPartyCount; ++p) {
        if (evaluator.parties()[p].score > evaluator.parties()[best].score)
            best = p;
    }
    return static_cast<FragilityParty>(best);
}

double headlineValue(HeadlineMetric metric, const ViewEvaluator &evaluator, FragilityParty leader)
{
    switch (metric) {
    case Gap2030Usd:
        return evaluator.revenueGap().gap2030Usd;
    case PredictedLagMonths:
        return evaluator.costCurves().predictedLagMonths;
    case TopPartyLeadPoints: {
        double runnerUp = -std::numeric_limits<double>::infinity();
        for (std::size_t p = 0; p < kFragilityPartyCount; ++p) {
            if (static_cast<FragilityParty>(p) != leader)
                runnerUp = std::max(runnerUp, evaluator.parties()[p].score);
        }
        return partyScore(evaluator, leader) - runnerUp;
    }
    case HyperscalerScore:
        return partyScore(evaluator, FragilityParty::Hyperscalers);
    case ModelLabScore:
        return partyScore(evaluator, FragilityParty::ModelLabs);
    case NeocloudScore:
        return partyScore(evaluator, FragilityParty::Neoclouds);
    case EquityHolderScore:
        return partyScore(evaluator, FragilityParty::EquityHolders);
    case MinCashCoverage: {
        const FiberResult &fiber = evaluator.fiber();
        double lowest = std::numeric_limits<double>::infinity();
        for (const FiberYear &row : fiber.years) {
            if (row.year >= fiber.baseYear) {
                const double obligationsUsd = row.depreciationUsd + row.debtServiceUsd;
                lowest = std::min(lowest, row.cashFlowUsd / obligationsUsd);
            }
        }
        return lowest;
    }
    case StrandYear:
        return static_cast<double>(evaluator.fiber().strandYear.value_or(kNoStrandYear));
    case PeakIdleShare:
        return evaluator.fiber().peakIdleShare;
    }
    return 0.0;
}

} // namespace cliff::econ
