#pragma once

#include "assumption_registry.h"
#include "economic_view.h"
#include "fragility.h"
#include "headline_metric.h"
#include "scenario.h"

#include "core/figure.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

class Distributions;
class ViewEvaluator;

/// How a target compares its quantity with its value.
enum class TargetRelation { Equal, Below, Above };

/// What the user wants of a view: one of its headline metrics equal to, below or above a value
/// ("gap_2030_usd=0", "strand_year<2029"), or a fragility party's rank, 1 being the most fragile,
/// equal to, below or above a number ("rank:equity_holders>1").
struct SolveTarget {
    EconomicView view = EconomicView::RevenueGap;
    std::optional<HeadlineMetric> metric; ///< set for a metric target
    std::optional<FragilityParty> party;  ///< set for a rank target
    TargetRelation relation = TargetRelation::Equal;
    double value = 0.0;

    bool operator==(const SolveTarget &) const = default;
};

/// Reads "KEY=VALUE", "KEY<VALUE", "KEY>VALUE" (KEY a headline metric of `view`) or
/// "rank:PARTY=N|<N|>N" (fragility only; PARTY hyperscalers, model_labs, neoclouds or
/// equity_holders). Errors name what is wrong: an unknown key or party, a metric of another
/// view, a value that is not a number, a rank no party can take (or not whole), a strand year
/// outside 1990 to kNoStrandYear or not whole for "=".
Result<SolveTarget> parseSolveTarget(EconomicView view, std::string_view text);

/// The target as parseSolveTarget reads it back, e.g. "gap_2030_usd=0".
std::string targetText(const SolveTarget &target);

/// The target in words, e.g. "Revenue gap in 2030 = 0" or "Debt-financed neoclouds rank below
/// 1st most fragile".
std::string describeTarget(const SolveTarget &target);

/// The key of the target's quantity: the metric's key or "rank_<party>".
std::string targetQuantityKey(const SolveTarget &target);

/// The target's quantity at `evaluator`'s last evaluation: the metric, or the party's rank (1 +
/// the number of parties scoring strictly higher).
double targetQuantity(const SolveTarget &target, const ViewEvaluator &evaluator);

/// Whether the target holds at `evaluator`'s last evaluation; an equal target holds within half
/// the metric's resolution ($1M for the gap, 0.01 months or points, 0.001 of coverage, 0.0001 of
/// a share), and exactly for ranks and strand years.
bool targetHolds(const SolveTarget &target, const ViewEvaluator &evaluator);

/// One assumption the answer moves.
struct AssumptionMove {
    AssumptionId id = AssumptionId::DepreciationLifeYears;
    double from = 0.0;
    double to = 0.0;
    double rangeSpan = 0.0;  ///< its range's 90th minus 10th percentile: the unit of distance
    double rangeUnits = 0.0; ///< (to - from) / rangeSpan
    bool atBound = false;    ///< `to` is the slider's minimum or maximum (within a millionth of its span)
    /// The cited figures behind its default and its range, which the move says are wrong.
    std::vector<std::string> figureIds;
};

/// What solveTarget found.
struct SolveAnswer {
    SolveTarget target;
    bool reachable = false;    ///< some scenario inside the sliders' bounds meets the target
    bool alreadyHolds = false; ///< the start meets it; nothing moves
    Scenario start;
    Scenario answer; ///< the nearest scenario meeting the target, or the closest reachable one
    double quantityAtStart = 0.0;
    double quantityAtAnswer = 0.0;
    double distance = 0.0;            ///< length of the joint move, in range units
    std::vector<AssumptionMove> moves; ///< the assumptions that moved, largest move first
    std::vector<AssumptionId> varied;  ///< what the search could move
    std::vector<AssumptionId> held;    ///< the view's other assumptions (no range, or not asked)
    /// Share of Monte Carlo draws around the start in which chanceStatement holds: the target,
    /// or for an equal target on a continuous metric, the metric at or past the value.
    double chance = 0.0;
    std::string chanceStatement;
    int draws = 0;
    int evaluations = 0; ///< model evaluations the search used
};

/// How to search: which assumptions may move, and the Monte Carlo draws for the chance.
struct SolveOptions {
    std::vector<AssumptionId> vary; ///< empty: every assumption of the view with a range
    int draws = 10000;
    std::uint64_t seed = 1;
};

/// The smallest joint move of the view's assumptions from `start` that meets `target`, distance
/// measured in units of each assumption's range in `ranges` (the 10th to 90th percentile span of
/// its distribution); an assumption whose range has no spread is held. Every value stays inside
/// its slider's bounds. When no scenario inside them meets the target, the answer is the nearest
/// point of those where the target comes closest, marked unreachable. The search is NLopt's
/// COBYLA on the distance with the target as a constraint, strand years and ranks turned into
/// continuous constraints on cash-flow coverage and score differences. Errors: a target of another
/// view, an assumption to vary that the view does not read, or a model error.
Result<SolveAnswer> solveTarget(const std::vector<Figure> &figures, const Scenario &start,
                                const Distributions &ranges, const SolveTarget &target,
                                const SolveOptions &options = {});

/// How the search works, in plain words, for the UI and the README.
std::string_view solverMethod();

} // namespace cliff::econ
