#pragma once

#include "cost_curves.h"
#include "economic_view.h"
#include "fiber_jevons.h"
#include "fragility.h"
#include "revenue_gap.h"
#include "scenario.h"

#include "core/figure.h"
#include "core/result.h"

#include <array>
#include <vector>

namespace cliff::econ {

/// The figure-derived inputs of one view's model, read once and then shared read-only between
/// threads; only the member of `view` is filled (fragility's parties need no figures).
struct PreparedView {
    EconomicView view = EconomicView::RevenueGap;
    PreparedRevenueGap revenueGap;
    PreparedCostCurves costCurves;
    PreparedFiber fiber;
};

/// Reads what `view`'s model needs from the figures.
PreparedView prepareView(EconomicView view, const std::vector<Figure> &figures);

/// Evaluates one view's model at scenario after scenario through the model's own evaluate
/// function, reusing its storage; not shared between threads (make one per thread).
class ViewEvaluator {
public:
    /// An evaluator of `prepared`, which must outlive it.
    explicit ViewEvaluator(const PreparedView &prepared);

    /// Runs the view's model at `scenario`; an error for the moat view, which has no model
    /// arithmetic to vary, or when the model refuses the scenario.
    Status evaluate(const Scenario &scenario);

    /// The view evaluated.
    [[nodiscard]] EconomicView view() const { return m_prepared->view; }

    /// The last evaluation's revenue-gap rows and 2030 numbers.
    [[nodiscard]] const RevenueGapResult &revenueGap() const { return m_revenueGap; }
    /// The last evaluation's decline curve, predicted lag and token-price fits.
    [[nodiscard]] const CostCurvesResult &costCurves() const { return m_costCurves; }
    /// The last evaluation's four party scores, in FragilityParty order.
    [[nodiscard]] const std::array<FragilityScore, kFragilityPartyCount> &parties() const
    {
        return m_parties;
    }
    /// The last evaluation's fiber/Jevons rows, strand year and peak idle share.
    [[nodiscard]] const FiberResult &fiber() const { return m_fiber; }

private:
    const PreparedView *m_prepared;
    RevenueGapResult m_revenueGap;
    CostCurvesResult m_costCurves;
    std::array<FragilityScore, kFragilityPartyCount> m_parties{};
    FiberResult m_fiber;
};

} // namespace cliff::econ
