#pragma once

#include "assumption_registry.h"
#include "economic_view.h"
#include "fragility.h"

#include "core/figure.h"
#include "core/result.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

class Distributions;
class Scenario;
class ViewEvaluator;
struct PreparedView;

/// The cumulative probabilities every band and quantile set is reported at.
inline constexpr std::array<double, 5> kQuantileLevels = {0.05, 0.10, 0.50, 0.90, 0.95};

/// The most draws one run accepts (the draws' outputs are kept in memory until the end).
inline constexpr int kMaxMonteCarloDraws = 100000;

/// The message of the error a cancelled run returns.
inline constexpr std::string_view kCancelledMessage = "cancelled";

/// An output's quantiles across the draws (linear interpolation between order statistics).
struct Quantiles {
    double p5 = 0.0;
    double p10 = 0.0;
    double p50 = 0.0;
    double p90 = 0.0;
    double p95 = 0.0;
};

/// One plotted output's quantiles at each x (a year, or a decimal year for curves).
struct Band {
    std::string key; ///< snake_case with unit, e.g. "gap_usd", "idle_share"
    std::vector<double> x;
    std::vector<Quantiles> quantiles; ///< one per x
};

/// One number's quantiles across the draws.
struct NamedQuantiles {
    std::string key; ///< e.g. "gap_2030_usd"
    Quantiles quantiles;
};

/// The share of draws in which a statement holds.
struct NamedProbability {
    std::string key;         ///< e.g. "gap_2030_positive"
    std::string description; ///< the statement, one line
    double probability = 0.0;
};

/// A statement about one draw's outputs whose chance a caller wants beside the view's own.
struct DrawStatement {
    std::string key;         ///< the probability's key in the result
    std::string description; ///< the statement, one line
    /// Whether it holds at the evaluator's last evaluation; called from worker threads.
    std::function<bool(const ViewEvaluator &)> holds;
};

/// How to run: draws, seed, threads, and the hooks a worker needs.
struct MonteCarloOptions {
    int draws = 10000;
    std::uint64_t seed = 1;
    int threads = 0; ///< 0: one per hardware thread; results never depend on this
    const std::atomic<bool> *cancel = nullptr; ///< once true, the run stops at the next chunk
    /// Called on the calling thread between chunks with the draws finished so far (non-decreasing)
    /// and the total; the last call has done == total.
    std::function<void(int done, int total)> progress;
    /// Statements whose chances are reported after the view's own probabilities.
    std::vector<DrawStatement> statements;
};

/// What a run found: bands over the years, quantiles of single numbers, probabilities.
struct MonteCarloResult {
    EconomicView view = EconomicView::RevenueGap;
    int draws = 0;
    std::uint64_t seed = 0;
    std::vector<AssumptionId> sampled; ///< the view's assumptions that were not fixed
    std::vector<Band> bands;
    std::vector<NamedQuantiles> quantiles;
    std::vector<NamedProbability> probabilities;

    /// The band called `key`, or nullptr.
    [[nodiscard]] const Band *band(std::string_view key) const;
    /// The quantiles called `key`, or nullptr.
    [[nodiscard]] const Quantiles *quantilesOf(std::string_view key) const;
    /// The probability called `key`, or nullptr.
    [[nodiscard]] const NamedProbability *probability(std::string_view key) const;
};

/// Draws every assumption of viewAssumptions(view) from `distributions` (the others stay at
/// `centre`), runs the view's model once per draw and summarises the outputs. Draw i takes
/// assumption a's uniform number from output i x kAssumptionCount + a of SplitMix64 at `seed`,
/// so a seed always gives the same result whatever the thread count, and a short run's draws
/// are the first draws of a longer one (a quick pass can be refined with the same seed).
/// Errors: a view without assumptions (moat), draws outside [1, kMaxMonteCarloDraws], a model
/// error, or kCancelledMessage when cancelled.
Result<MonteCarloResult> runMonteCarlo(EconomicView view, const std::vector<Figure> &figures,
                                       const Scenario &centre, const Distributions &distributions,
                                       const MonteCarloOptions &options = {});

/// The statements a Monte Carlo run of the evaluator's view reports chances of, each with whether
/// it holds at `evaluator`'s last evaluation (of `scenario`, on `prepared`): probability 1 or 0.
/// The same statements, worked out by the same code, for one scenario; none for the moat view.
std::vector<NamedProbability> viewStatements(const PreparedView &prepared,
                                             const ViewEvaluator &evaluator,
                                             const Scenario &scenario);

/// The key of the probability that `party` ranks most fragile, e.g. "most_fragile_neoclouds".
std::string mostFragileKey(FragilityParty party);

/// The uncertainty method (distributions, sampling, outputs, tornado), in plain words, for the UI.
std::string_view uncertaintyMethod();

} // namespace cliff::econ
