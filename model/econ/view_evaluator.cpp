#include "view_evaluator.h"

namespace cliff::econ {

PreparedView prepareView(EconomicView view, const std::vector<Figure> &figures)
{
    PreparedView prepared;
    prepared.view = view;
    switch (view) {
    case EconomicView::RevenueGap:
        prepared.revenueGap = prepareRevenueGap(figures);
        break;
    case EconomicView::CostCurves:
        prepared.costCurves = prepareCostCurves(figures);
        break;
    case EconomicView::FiberJevons:
        prepared.fiber = prepareFiberJevons(figures);
        break;
    case EconomicView::Moat:
    case EconomicView::Fragility:
        break;
    }
    return prepared;
}

ViewEvaluator::ViewEvaluator(const PreparedView &prepared) : m_prepared(&prepared) {}

Status ViewEvaluator::evaluate(const Scenario &scenario)
{
    switch (m_prepared->view) {
    case EconomicView::RevenueGap:
        return evaluateRevenueGap(m_prepared->revenueGap, scenario, m_revenueGap);
    case EconomicView::CostCurves:
        evaluateCostCurves(m_prepared->costCurves, scenario, m_costCurves);
        return Ok{};
    case EconomicView::Fragility:
        return scoreFragilityParties(scenario, m_parties);
    case EconomicView::FiberJevons:
        return evaluateFiberJevons(m_prepared->fiber, scenario, m_fiber);
    case EconomicView::Moat:
        break;
    }
    return Error{"the moat view plots cited figures only; it has no assumptions to vary", {}, 0,
                 "view"};
}

} // namespace cliff::econ
