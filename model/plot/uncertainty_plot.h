#pragma once

#include "chart_spec.h"

#include "core/figure.h"
#include "core/result.h"
#include "econ/economic_view.h"
#include "econ/monte_carlo.h"
#include "econ/tornado.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cliff::econ {
class Distributions;
class Scenario;
} // namespace cliff::econ

namespace cliff::plot {

struct ViewPlot;

/// The draws and seed the window and exports use unless told otherwise.
inline constexpr int kDefaultDraws = 10000;
inline constexpr std::uint64_t kDefaultSeed = 1;

/// What the ranges of a view's assumptions imply: Monte Carlo bands and
/// chances, and the tornado of the view's headline number.
struct ViewUncertainty {
    econ::MonteCarloResult monteCarlo;
    econ::Tornado tornado;
};

/// Runs the Monte Carlo of `view` with `options` and the tornado of its default
/// headline metric, both over `distributions` around `scenario`. Errors as
/// runMonteCarlo and computeTornado.
Result<ViewUncertainty> computeViewUncertainty(econ::EconomicView view,
                                               const std::vector<Figure> &figures,
                                               const econ::Scenario &scenario,
                                               const econ::Distributions &distributions,
                                               const econ::MonteCarloOptions &options);

/// Adds `uncertainty` (of plot.view) to `plot`: fan bands (10th-90th and
/// 5th-95th percentiles) behind the modelled lines they belong to, the chance
/// of ranking most fragile (fragility), a tornado chart of the headline, a
/// sentence of the view's chances, and the draws and seed.
void addUncertainty(ViewPlot &plot, const ViewUncertainty &uncertainty);

/// The tornado of `tornado` as a chart: a pair of bars for each of the eight
/// widest swings (the headline with the assumption at its 10th and at its 90th
/// percentile, less the scenario's value), widest on top; each bar's point
/// carries the assumption's key.
ChartSpec tornadoChart(const econ::Tornado &tornado);

/// "10,000 draws, seed 1".
std::string drawsAndSeed(int draws, std::uint64_t seed);

} // namespace cliff::plot
