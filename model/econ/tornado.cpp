#include "tornado.h"

#include "distributions.h"
#include "scenario.h"
#include "view_evaluator.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace cliff::econ {

Result<Tornado> computeTornado(EconomicView view, HeadlineMetric metric,
                               const std::vector<Figure> &figures, const Scenario &centre,
                               const Distributions &distributions)
{
    const auto ids = viewAssumptions(view);
    if (ids.empty()) {
        return Error{"the " + std::string(economicViewKey(view)) +
                         " view has no assumptions to vary",
                     {}, 0, "view"};
    }
    const auto metrics = headlineMetrics(view);
    if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
        return Error{"the " + std::string(economicViewKey(view)) + " view has no headline " +
                         std::string(headlineMetricKey(metric)),
                     {}, 0, "metric"};
    }
    const PreparedView prepared = prepareView(view, figures);
    ViewEvaluator evaluator(prepared);
    if (Status status = evaluator.evaluate(centre); !status)
        return status.error();
    const FragilityParty leader = view == EconomicView::Fragility ? mostFragileParty(evaluator)
                                                                  : FragilityParty::EquityHolders;

    Tornado out;
    out.view = view;
    out.metric = metric;
    out.baseOutput = headlineValue(metric, evaluator, leader);
    for (AssumptionId id : ids) {
        const Distribution &distribution = distributions.get(id);
        TornadoBar bar;
        bar.id = id;
        bar.lowInput = distribution.quantile(0.10);
        bar.highInput = distribution.quantile(0.90);
        Scenario moved = centre;
        for (const auto &[input, output] :
             {std::pair{bar.lowInput, &bar.lowOutput}, std::pair{bar.highInput, &bar.highOutput}}) {
            if (Status status = moved.set(id, input); !status)
                return status.error();
            if (Status status = evaluator.evaluate(moved); !status)
                return status.error();
            *output = headlineValue(metric, evaluator, leader);
        }
        bar.swing = bar.highOutput - bar.lowOutput;
        out.bars.push_back(bar);
    }
    // Stable: bars of equal size keep the registry order.
    std::stable_sort(out.bars.begin(), out.bars.end(),
                     [](const TornadoBar &a, const TornadoBar &b) {
                         return std::abs(a.swing) > std::abs(b.swing);
                     });
    return out;
}

} // namespace cliff::econ
