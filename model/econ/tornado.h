#pragma once

#include "assumption_registry.h"
#include "economic_view.h"
#include "headline_metric.h"

#include "core/figure.h"
#include "core/result.h"

#include <vector>

namespace cliff::econ {

class Distributions;
class Scenario;

/// One assumption's bar: the headline at its distribution's 10th and 90th percentiles.
struct TornadoBar {
    AssumptionId id = AssumptionId::DepreciationLifeYears;
    double lowInput = 0.0;   ///< the assumption at its 10th percentile
    double highInput = 0.0;  ///< the assumption at its 90th percentile
    double lowOutput = 0.0;  ///< the headline with the assumption at lowInput
    double highOutput = 0.0; ///< the headline with the assumption at highInput
    double swing = 0.0;      ///< highOutput - lowOutput, in the metric's unit

    bool operator==(const TornadoBar &) const = default;
};

/// The swings of one view's headline, largest first.
struct Tornado {
    EconomicView view = EconomicView::RevenueGap;
    HeadlineMetric metric = HeadlineMetric::Gap2030Usd;
    double baseOutput = 0.0;   ///< the headline at the centre scenario
    std::vector<TornadoBar> bars; ///< each of the view's assumptions, largest |swing| first
};

/// For each assumption of viewAssumptions(view): the headline `metric` with that assumption at
/// its distribution's 10th and then 90th percentile and every other at `centre`. Errors: a view
/// without assumptions (moat), a metric not of the view, or a model error.
Result<Tornado> computeTornado(EconomicView view, HeadlineMetric metric,
                               const std::vector<Figure> &figures, const Scenario &centre,
                               const Distributions &distributions);

} // namespace cliff::econ
