#include "target_solver.h"

#include "counter_rng.h"
#include "default_distributions.h"
#include "distributions.h"
#include "monte_carlo.h"
#include "view_evaluator.h"

#include <nlopt.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>

namespace cliff::econ {

namespace {

constexpr int kLowestRank = static_cast<int>(kFragilityPartyCount);

// Strand-year targets are read between these years (kNoStrandYear: none by the last path year).
constexpr int kEarliestStrandTarget = 1990;

// The smallest difference a metric's value is shown with; an equal target holds within half of
// it.
double resolution(HeadlineMetric metric)
{
    switch (metric) {
    case HeadlineMetric::Gap2030Usd:
        return 1e6;
    case HeadlineMetric::PredictedLagMonths:
    case HeadlineMetric::TopPartyLeadPoints:
    case HeadlineMetric::HyperscalerScore:
    case HeadlineMetric::ModelLabScore:
    case HeadlineMetric::NeocloudScore:
    case HeadlineMetric::EquityHolderScore:
        return 0.01;
    case HeadlineMetric::MinCashCoverage:
        return 0.001;
    case HeadlineMetric::StrandYear:
        return 1.0;
    case HeadlineMetric::PeakIdleShare:
        return 0.0001;
    }
    return 1e-6;
}

std::optional<double> parseNumber(std::string_view text)
{
    double value = 0.0;
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string ordinal(int n)
{
    const char *suffix = n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th";
    return std::to_string(n) + suffix;
}

std::string_view relationSymbol(TargetRelation relation)
{
    switch (relation) {
    case TargetRelation::Equal:
        return "=";
    case TargetRelation::Below:
        return "<";
    case TargetRelation::Above:
        return ">";
    }
    return "=";
}

Error targetError(std::string message)
{
    return Error{std::move(message), {}, 0, "target"};
}

// The lowest cash-flow coverage over the years from the base year to `lastYear`; +infinity when
// there are none.
double lowestCoverageThrough(const FiberResult &fiber, int lastYear)
{
    double lowest = std::numeric_limits<double>::infinity();
    for (const FiberYear &row : fiber.years) {
        if (row.year >= fiber.baseYear && row.year <= lastYear)
            lowest = std::min(lowest, row.cashFlowUsd / (row.depreciationUsd + row.debtServiceUsd));
    }
    return lowest;
}

// The scores of the parties other than `party`, highest first.
std::array<double, kFragilityPartyCount - 1> otherScoresDescending(const ViewEvaluator &evaluator,
                                                                   FragilityParty party)
{
    std::array<double, kFragilityPartyCount - 1> others{};
    std::size_t next = 0;
    for (std::size_t p = 0; p < kFragilityPartyCount; ++p) {
        if (static_cast<FragilityParty>(p) != party)
            others[next++] = evaluator.parties()[p].score;
    }
    std::sort(others.begin(), others.end(), std::greater<>());
    return others;
}

double partyScore(const ViewEvaluator &evaluator, FragilityParty party)
{
    return evaluator.parties()[static_cast<std::size_t>(party)].score;
}

// A stand-in for infinity that keeps the optimiser's arithmetic finite: +inf (missed by far) and
// -inf (met with room, e.g. coverage over no years) keep their sides; NaN reads as missed.
constexpr double kFarOff = 1e6;

double finiteOrFar(double value)
{
    return std::isnan(value) ? kFarOff : std::clamp(value, -kFarOff, kFarOff);
}

// The target as one or two continuous inequalities g <= 0, in units of `scale`. An equal target
// on a metric becomes "no further than the value" from the start's side: the nearest point past
// the value lies on it, as the metric is continuous. Strand years become bounds on cash-flow
// coverage and ranks bounds on score differences, so the optimiser sees slopes, not steps.
class TargetConstraints {
public:
    /// `startAbove`: the metric starts above the value (decides an equal target's side).
    TargetConstraints(const SolveTarget &target, double scale, bool startAbove)
        : m_target(target), m_scale(scale), m_startAbove(startAbove)
    {
    }

    /// The inequalities' g at the evaluator's last evaluation.
    [[nodiscard]] std::vector<double> values(const ViewEvaluator &evaluator) const
    {
        if (m_target.party)
            return rankValues(evaluator, *m_target.party);
        if (*m_target.metric == HeadlineMetric::StrandYear)
            return strandValues(evaluator.fiber());
        const double m = headlineValue(*m_target.metric, evaluator);
        // A strict target is aimed a tenth of the resolution inside its bound, an equal one
        // no more than 0.4 of it past the value (it holds within half).
        const double inside = 0.1 * resolution(*m_target.metric);
        const double past = 0.4 * resolution(*m_target.metric);
        switch (m_target.relation) {
        case TargetRelation::Equal:
            return {finiteOrFar(
                ((m_startAbove ? m - m_target.value : m_target.value - m) - past) / m_scale)};
        case TargetRelation::Below:
            return {finiteOrFar((m - m_target.value + inside) / m_scale)};
        case TargetRelation::Above:
            return {finiteOrFar((m_target.value - m + inside) / m_scale)};
        }
        return {};
    }

    /// How many values values() returns.
    [[nodiscard]] std::size_t count() const
    {
        if (m_target.relation != TargetRelation::Equal)
            return 1;
        // Ranks and strand years are whole and bounded by the parser, so they cast safely.
        if (m_target.party) {
            const auto n = static_cast<int>(m_target.value);
            return std::size_t(n > 1) + std::size_t(n < kLowestRank);
        }
        if (*m_target.metric == HeadlineMetric::StrandYear)
            return 1 + std::size_t(static_cast<int>(m_target.value) < kNoStrandYear);
        return 1;
    }

private:
    // Coverage below 1 in some year makes that year the strand year.
    [[nodiscard]] std::vector<double> strandValues(const FiberResult &fiber) const
    {
        constexpr double inside = 1e-6;
        const auto year = static_cast<int>(m_target.value); // bounded by the parser
        switch (m_target.relation) {
        case TargetRelation::Below: { // strands in or before the last whole year below the value
            const int last = static_cast<int>(std::ceil(m_target.value)) - 1;
            return {finiteOrFar(lowestCoverageThrough(fiber, last) - 1.0 + inside)};
        }
        case TargetRelation::Above: { // covered through the first whole year above the value, less one
            const int first = static_cast<int>(std::floor(m_target.value)) + 1;
            return {finiteOrFar(1.0 + inside - lowestCoverageThrough(fiber, first - 1))};
        }
        case TargetRelation::Equal: { // covered through the year before, short in the year
            std::vector<double> g{finiteOrFar(1.0 + inside - lowestCoverageThrough(fiber, year - 1))};
            if (year < kNoStrandYear)
                g.push_back(finiteOrFar(lowestCoverageThrough(fiber, year) - 1.0 + inside));
            return g;
        }
        }
        return {};
    }

    // Rank r means r - 1 others score strictly higher.
    [[nodiscard]] std::vector<double> rankValues(const ViewEvaluator &evaluator,
                                                 FragilityParty party) const
    {
        constexpr double inside = 1e-6;
        const auto others = otherScoresDescending(evaluator, party);
        const double own = partyScore(evaluator, party);
        const auto n = static_cast<int>(m_target.value);
        // At least k others strictly above: the k-th highest other beats the party.
        const auto atLeastAbove = [&](int k) { return (own - others[std::size_t(k - 1)] + inside) / m_scale; };
        // At most k others strictly above: the (k+1)-th highest other does not beat it.
        const auto atMostAbove = [&](int k) { return (others[std::size_t(k)] - own + inside) / m_scale; };
        std::vector<double> g;
        switch (m_target.relation) {
        case TargetRelation::Above: // rank > n: at least n others above
            g.push_back(atLeastAbove(n));
            break;
        case TargetRelation::Below: // rank < n: at most n - 2 others above
            g.push_back(atMostAbove(n - 2));
            break;
        case TargetRelation::Equal:
            if (n > 1)
                g.push_back(atLeastAbove(n - 1));
            if (n < kLowestRank)
                g.push_back(atMostAbove(n - 1));
            break;
        }
        return g;
    }

    SolveTarget m_target;
    double m_scale;
    bool m_startAbove;
};

// The search space: each varied assumption's move from the start in range units, kept inside
// its slider's bounds, and the model evaluated there.
class SearchSpace {
public:
    SearchSpace(const PreparedView &prepared, const Scenario &start,
                std::vector<AssumptionId> ids, std::vector<double> spans,
                const TargetConstraints &constraints)
        : m_evaluator(prepared), m_start(start), m_ids(std::move(ids)), m_spans(std::move(spans)),
          m_constraints(&constraints)
    {
        for (std::size_t i = 0; i < m_ids.size(); ++i) {
            const Assumption &entry = assumption(m_ids[i]);
            const double from = start.value(m_ids[i]);
            m_lower.push_back((entry.minValue - from) / m_spans[i]);
            m_upper.push_back((entry.maxValue - from) / m_spans[i]);
        }
    }

    [[nodiscard]] std::size_t size() const { return m_ids.size(); }
    [[nodiscard]] const std::vector<double> &lower() const { return m_lower; }
    [[nodiscard]] const std::vector<double> &upper() const { return m_upper; }
    [[nodiscard]] int evaluations() const { return m_evaluations; }
    [[nodiscard]] const TargetConstraints &constraints() const { return *m_constraints; }

    [[nodiscard]] Scenario scenarioAt(const double *u) const
    {
        Scenario scenario = m_start;
        for (std::size_t i = 0; i < m_ids.size(); ++i) {
            const Assumption &entry = assumption(m_ids[i]);
            const double value = std::clamp(m_start.value(m_ids[i]) + u[i] * m_spans[i],
                                            entry.minValue, entry.maxValue);
            (void)scenario.set(m_ids[i], value); // inside the bounds, so it cannot fail
        }
        return scenario;
    }

    /// The constraint values at u (the last point's are reused); a model error reads as far off.
    const std::vector<double> &constraintsAt(const double *u)
    {
        if (!m_lastU.empty() && std::equal(m_lastU.begin(), m_lastU.end(), u))
            return m_lastValues;
        m_lastU.assign(u, u + m_ids.size());
        ++m_evaluations;
        if (m_evaluator.evaluate(scenarioAt(u)))
            m_lastValues = m_constraints->values(m_evaluator);
        else
            m_lastValues.assign(m_constraints->count(), kFarOff);
        return m_lastValues;
    }

    /// How far u is from meeting the target: the largest g (not above 0 once met).
    double shortfallAt(const double *u)
    {
        const std::vector<double> &values = constraintsAt(u);
        return *std::max_element(values.begin(), values.end());
    }

    [[nodiscard]] static double distanceSquared(const double *u, std::size_t n)
    {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            sum += u[i] * u[i];
        return sum;
    }

private:
    ViewEvaluator m_evaluator;
    Scenario m_start;
    std::vector<AssumptionId> m_ids;
    std::vector<double> m_spans;
    const TargetConstraints *m_constraints;
    std::vector<double> m_lower;
    std::vector<double> m_upper;
    std::vector<double> m_lastU;
    std::vector<double> m_lastValues;
    int m_evaluations = 0;
};

using Optimiser = std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)>;

constexpr int kMaxEvaluationsPerRun = 4000;

Optimiser makeOptimiser(nlopt_algorithm algorithm, SearchSpace &space)
{
    const auto n = static_cast<unsigned>(space.size());
    Optimiser opt(nlopt_create(algorithm, n), &nlopt_destroy);
    nlopt_set_lower_bounds(opt.get(), space.lower().data());
    nlopt_set_upper_bounds(opt.get(), space.upper().data());
    nlopt_set_xtol_abs1(opt.get(), 1e-7);
    nlopt_set_ftol_abs(opt.get(), 1e-12);
    nlopt_set_maxeval(opt.get(), kMaxEvaluationsPerRun);
    nlopt_set_initial_step1(opt.get(), 0.25);
    return opt;
}

double distanceObjective(unsigned n, const double *u, double *, void *)
{
    return SearchSpace::distanceSquared(u, n);
}

double shortfallObjective(unsigned, const double *u, double *, void *data)
{
    return static_cast<SearchSpace *>(data)->shortfallAt(u);
}

// Constraint j of the space, allowed to reach `allowance` (above 0 for the closest reachable
// point of a target nothing meets).
struct ConstraintSlot {
    SearchSpace *space;
    std::size_t index;
    double allowance;
};

double inequalityConstraint(unsigned, const double *u, double *, void *data)
{
    const auto *slot = static_cast<ConstraintSlot *>(data);
    return slot->space->constraintsAt(u)[slot->index] - slot->allowance;
}

void clampInto(std::vector<double> &u, const SearchSpace &space)
{
    for (std::size_t i = 0; i < u.size(); ++i)
        u[i] = std::clamp(u[i], space.lower()[i], space.upper()[i]);
}

// Minimises the shortfall from `from`; returns the point and its shortfall.
std::pair<std::vector<double>, double> leastShortfall(SearchSpace &space, std::vector<double> from)
{
    Optimiser opt = makeOptimiser(NLOPT_LN_SBPLX, space);
    nlopt_set_min_objective(opt.get(), shortfallObjective, &space);
    clampInto(from, space);
    double best = 0.0;
    nlopt_optimize(opt.get(), from.data(), &best);
    return {from, space.shortfallAt(from.data())};
}

// Minimises the distance from the start subject to every constraint staying within
// `allowance`, starting at `from`.
std::vector<double> nearestMeeting(SearchSpace &space, std::vector<double> from, double allowance)
{
    Optimiser opt = makeOptimiser(NLOPT_LN_COBYLA, space);
    nlopt_set_min_objective(opt.get(), distanceObjective, nullptr);
    std::vector<ConstraintSlot> slots;
    for (std::size_t j = 0; j < space.constraints().count(); ++j)
        slots.push_back({&space, j, allowance});
    for (ConstraintSlot &slot : slots)
        nlopt_add_inequality_constraint(opt.get(), inequalityConstraint, &slot, 0.0);
    clampInto(from, space);
    double value = 0.0;
    nlopt_optimize(opt.get(), from.data(), &value);
    return from;
}

// Shortens a point that meets the allowance one assumption at a time: each move, smallest first,
// is dropped when the point still meets it without, or else cut back by bisection to the
// shortest that does. COBYLA stops near, not at, the optimum; this removes the small moves that
// change nothing and never lengthens the answer.
void pullBack(SearchSpace &space, std::vector<double> &u, double allowance)
{
    constexpr int kSweeps = 2;
    constexpr int kBisections = 40;
    const auto meets = [&] { return space.shortfallAt(u.data()) <= allowance; };
    for (int sweep = 0; sweep < kSweeps; ++sweep) {
        std::vector<std::size_t> order(u.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return std::abs(u[a]) < std::abs(u[b]); });
        for (std::size_t i : order) {
            const double moved = u[i];
            if (moved == 0.0)
                continue;
            u[i] = 0.0;
            if (meets())
                continue;
            double missing = 0.0; // a cut back to here misses the allowance
            double meeting = moved;
            for (int step = 0; step < kBisections; ++step) {
                u[i] = 0.5 * (missing + meeting);
                (meets() ? meeting : missing) = u[i];
            }
            u[i] = meeting;
        }
    }
}

// Points spread over the box (besides the start) from which the least shortfall is sought, so
// that a target reachable only far from the start is not declared unreachable.
constexpr int kExtraStarts = 8;

std::vector<std::vector<double>> startingPoints(const SearchSpace &space)
{
    std::vector<std::vector<double>> points{std::vector<double>(space.size(), 0.0)};
    for (int s = 0; s < kExtraStarts; ++s) {
        std::vector<double> point(space.size());
        for (std::size_t i = 0; i < space.size(); ++i) {
            const double t =
                unitInterval(splitMix64At(0x5eed, std::uint64_t(s) * kAssumptionCount + i));
            point[i] = space.lower()[i] + t * (space.upper()[i] - space.lower()[i]);
        }
        points.push_back(std::move(point));
    }
    return points;
}

std::vector<std::string> figuresBehind(AssumptionId id, const DistributionDefault &range,
                                       const std::vector<Figure> &figures)
{
    std::vector<std::string> ids = sourceFigureIds(assumption(id));
    for (const std::string &figureId : range.figureIds) {
        if (std::find(ids.begin(), ids.end(), figureId) == ids.end())
            ids.push_back(figureId);
    }
    std::erase_if(ids, [&](const std::string &figureId) {
        return std::none_of(figures.begin(), figures.end(),
                            [&](const Figure &figure) { return figure.id == figureId; });
    });
    return ids;
}

bool isViewAssumption(EconomicView view, AssumptionId id)
{
    const auto ids = viewAssumptions(view);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace

Result<SolveTarget> parseSolveTarget(EconomicView view, std::string_view text)
{
    if (headlineMetrics(view).empty()) {
        return targetError("the " + std::string(economicViewKey(view)) +
                           " view has no headline to solve for");
    }
    const std::size_t at = text.find_first_of("=<>");
    if (at == std::string_view::npos || at == 0) {
        return targetError("target \"" + std::string(text) +
                           "\" is not KEY=VALUE, KEY<VALUE, KEY>VALUE or rank:PARTY>N");
    }
    SolveTarget target;
    target.view = view;
    target.relation = text[at] == '=' ? TargetRelation::Equal
                      : text[at] == '<' ? TargetRelation::Below
                                        : TargetRelation::Above;
    const std::string_view key = text.substr(0, at);
    const std::string_view valueText = text.substr(at + 1);
    const auto value = parseNumber(valueText);
    if (!value)
        return targetError("target value \"" + std::string(valueText) + "\" is not a number");
    target.value = *value;

    constexpr std::string_view rankPrefix = "rank:";
    if (key.starts_with(rankPrefix)) {
        if (view != EconomicView::Fragility)
            return targetError("rank targets belong to the fragility view");
        const std::string_view partyKey = key.substr(rankPrefix.size());
        for (std::size_t p = 0; p < kFragilityPartyCount; ++p) {
            if (fragilityPartyKey(static_cast<FragilityParty>(p)) == partyKey)
                target.party = static_cast<FragilityParty>(p);
        }
        if (!target.party) {
            return targetError("unknown party \"" + std::string(partyKey) +
                               "\" (hyperscalers, model_labs, neoclouds, equity_holders)");
        }
        const double n = target.value;
        const bool whole = n == std::floor(n);
        const bool possible = whole && (target.relation == TargetRelation::Equal ? n >= 1 && n <= kLowestRank
                                        : target.relation == TargetRelation::Below
                                            ? n >= 2 && n <= kLowestRank + 1
                                            : n >= 0 && n <= kLowestRank - 1);
        if (!possible) {
            return targetError("rank " + std::string(relationSymbol(target.relation)) +
                               std::string(valueText) + " is not a whole rank any of the " +
                               std::to_string(kLowestRank) + " parties can take");
        }
        // rank > 0 and rank < 5 always hold; they are read as the nearest ranks that may not.
        if (target.relation == TargetRelation::Above && n == 0)
            return targetError("rank >0 always holds; ask for rank >1 or more");
        if (target.relation == TargetRelation::Below && n == kLowestRank + 1)
            return targetError("rank <" + std::to_string(kLowestRank + 1) + " always holds");
        return target;
    }

    const auto metric = findHeadlineMetric(key);
    if (!metric) {
        std::string known;
        for (HeadlineMetric candidate : headlineMetrics(view))
            known += (known.empty() ? "" : ", ") + std::string(headlineMetricKey(candidate));
        return targetError("unknown target \"" + std::string(key) + "\" for the " +
                           std::string(economicViewKey(view)) + " view (" + known +
                           (view == EconomicView::Fragility ? ", or rank:PARTY" : "") + ")");
    }
    const auto metrics = headlineMetrics(view);
    if (std::find(metrics.begin(), metrics.end(), *metric) == metrics.end()) {
        return targetError(std::string(key) + " is not a headline of the " +
                           std::string(economicViewKey(view)) + " view");
    }
    target.metric = metric;
    if (*metric == HeadlineMetric::StrandYear) {
        if (target.value < kEarliestStrandTarget || target.value > kNoStrandYear) {
            return targetError("strand year " + std::string(valueText) + " is outside " +
                               std::to_string(kEarliestStrandTarget) + " to " +
                               std::to_string(kNoStrandYear) + " (" + std::to_string(kNoStrandYear) +
                               ": none by " + std::to_string(kNoStrandYear - 1) + ")");
        }
        if (target.relation == TargetRelation::Equal && target.value != std::floor(target.value))
            return targetError("strand_year=" + std::string(valueText) + " is not a whole year");
    }
    return target;
}

std::string targetText(const SolveTarget &target)
{
    const std::string key = target.party
                                ? "rank:" + std::string(fragilityPartyKey(*target.party))
                                : std::string(headlineMetricKey(*target.metric));
    return key + std::string(relationSymbol(target.relation)) + formatDouble(target.value);
}

std::string describeTarget(const SolveTarget &target)
{
    if (target.party) {
        const std::string name(fragilityPartyName(*target.party));
        const auto n = static_cast<int>(target.value);
        switch (target.relation) {
        case TargetRelation::Equal:
            return name + " rank " + ordinal(n) + " most fragile";
        case TargetRelation::Below: // a smaller rank number: more fragile
            return name + (n == 2 ? " rank most fragile"
                                  : " rank among the " + std::to_string(n - 1) + " most fragile");
        case TargetRelation::Above:
            return name + (n == 1 ? " no longer rank most fragile"
                                  : " no longer rank among the " + std::to_string(n) +
                                        " most fragile");
        }
    }
    return std::string(headlineMetricLabel(*target.metric)) + " " +
           std::string(relationSymbol(target.relation)) + " " + formatDouble(target.value);
}

std::string targetQuantityKey(const SolveTarget &target)
{
    return target.party ? "rank_" + std::string(fragilityPartyKey(*target.party))
                        : std::string(headlineMetricKey(*target.metric));
}

double targetQuantity(const SolveTarget &target, const ViewEvaluator &evaluator)
{
    if (!target.party)
        return headlineValue(*target.metric, evaluator);
    const double own = partyScore(evaluator, *target.party);
    int rank = 1;
    for (std::size_t p = 0; p < kFragilityPartyCount; ++p)
        rank += evaluator.parties()[p].score > own ? 1 : 0;
    return rank;
}

bool targetHolds(const SolveTarget &target, const ViewEvaluator &evaluator)
{
    const double quantity = targetQuantity(target, evaluator);
    switch (target.relation) {
    case TargetRelation::Below:
        return quantity < target.value;
    case TargetRelation::Above:
        return quantity > target.value;
    case TargetRelation::Equal: {
        const double tolerance = target.metric ? 0.5 * resolution(*target.metric) : 0.0;
        return std::abs(quantity - target.value) <= tolerance;
    }
    }
    return false;
}

Result<SolveAnswer> solveTarget(const std::vector<Figure> &figures, const Scenario &start,
                                const Distributions &ranges, const SolveTarget &target,
                                const SolveOptions &options)
{
    const EconomicView view = target.view;
    std::vector<AssumptionId> varied;
    std::vector<double> spans;
    const auto rangeSpan = [&](AssumptionId id) {
        const Distribution &range = ranges.get(id);
        return range.quantile(0.9) - range.quantile(0.1);
    };
    for (AssumptionId id : options.vary) {
        if (!isViewAssumption(view, id)) {
            return Error{std::string(assumption(id).key) + " is not an assumption of the " +
                             std::string(economicViewKey(view)) + " view",
                         {}, 0, "vary"};
        }
        if (!(rangeSpan(id) > 0.0)) {
            return Error{std::string(assumption(id).key) +
                             " has no range (its distribution is fixed), so a move in it cannot "
                             "be measured",
                         {}, 0, "vary"};
        }
    }
    SolveAnswer answer;
    answer.target = target;
    answer.start = start;
    for (AssumptionId id : viewAssumptions(view)) {
        const bool asked = options.vary.empty()
                               ? rangeSpan(id) > 0.0
                               : std::find(options.vary.begin(), options.vary.end(), id) !=
                                     options.vary.end();
        if (asked) {
            varied.push_back(id);
            spans.push_back(rangeSpan(id));
        } else {
            answer.held.push_back(id);
        }
    }
    answer.varied = varied;

    const PreparedView prepared = prepareView(view, figures);
    ViewEvaluator evaluator(prepared);
    if (Status status = evaluator.evaluate(start); !status)
        return status.error();
    answer.quantityAtStart = targetQuantity(target, evaluator);
    const double scale =
        target.metric && *target.metric != HeadlineMetric::StrandYear
            ? std::max({std::abs(target.value), std::abs(answer.quantityAtStart),
                        resolution(*target.metric)})
            : 1.0;
    const TargetConstraints constraints(target, scale, answer.quantityAtStart > target.value);

    answer.answer = start;
    answer.quantityAtAnswer = answer.quantityAtStart;
    answer.alreadyHolds = targetHolds(target, evaluator);
    answer.reachable = answer.alreadyHolds;

    if (!answer.alreadyHolds && !varied.empty()) {
        SearchSpace space(prepared, start, varied, spans, constraints);
        const auto length = [](const std::vector<double> &u) {
            return SearchSpace::distanceSquared(u.data(), u.size());
        };
        // Where does the target come closest? From the start and from points across the box;
        // among points that meet it, the nearest.
        std::vector<double> closest;
        double closestShortfall = std::numeric_limits<double>::infinity();
        for (std::vector<double> &from : startingPoints(space)) {
            auto [point, shortfall] = leastShortfall(space, std::move(from));
            const bool bothMeet = shortfall <= 0.0 && closestShortfall <= 0.0;
            if (closest.empty() || (bothMeet ? length(point) < length(closest)
                                             : shortfall < closestShortfall)) {
                closest = std::move(point);
                closestShortfall = shortfall;
            }
        }
        // When nothing meets the target, the answer only has to come as close as that point.
        const double allowance = std::max(0.0, closestShortfall) + (closestShortfall > 0.0 ? 1e-10 : 0.0);
        const double accepted = allowance + 1e-9; // COBYLA may end a hair outside
        std::vector<std::vector<double>> candidates{closest};
        const std::vector<double> zero(space.size(), 0.0);
        for (const std::vector<double> &from : {zero, closest}) {
            std::vector<double> u = nearestMeeting(space, from, allowance);
            if (space.shortfallAt(u.data()) <= accepted)
                candidates.push_back(std::move(u));
        }
        std::vector<double> best;
        for (std::vector<double> &candidate : candidates) {
            pullBack(space, candidate, accepted);
            if (best.empty() || length(candidate) < length(best))
                best = candidate;
        }
        answer.answer = space.scenarioAt(best.data());
        answer.reachable = evaluator.evaluate(answer.answer) && targetHolds(target, evaluator);
        answer.evaluations = space.evaluations();
    }

    if (Status status = evaluator.evaluate(answer.answer); !status)
        return status.error();
    answer.quantityAtAnswer = targetQuantity(target, evaluator);
    const std::vector<DistributionDefault> details = defaultDistributionDetails(figures);
    double sumSquares = 0.0;
    for (std::size_t i = 0; i < varied.size(); ++i) {
        const AssumptionId id = varied[i];
        const Assumption &entry = assumption(id);
        AssumptionMove move{id, start.value(id), answer.answer.value(id), spans[i], 0.0, false, {}};
        move.rangeUnits = (move.to - move.from) / move.rangeSpan;
        if (std::abs(move.rangeUnits) < 1e-6)
            continue;
        const double boundTolerance = 1e-6 * (entry.maxValue - entry.minValue);
        move.atBound = std::abs(move.to - entry.minValue) <= boundTolerance ||
                       std::abs(move.to - entry.maxValue) <= boundTolerance;
        move.figureIds = figuresBehind(id, details[static_cast<std::size_t>(id)], figures);
        sumSquares += move.rangeUnits * move.rangeUnits;
        answer.moves.push_back(std::move(move));
    }
    std::sort(answer.moves.begin(), answer.moves.end(), [](const auto &a, const auto &b) {
        return std::abs(a.rangeUnits) > std::abs(b.rangeUnits);
    });
    answer.distance = std::sqrt(sumSquares);

    // A continuous metric equals a value in no draw; the chance of an equal target is that of
    // reaching the value from the start's side.
    SolveTarget reached = target;
    answer.chanceStatement = describeTarget(target);
    if (target.metric && *target.metric != HeadlineMetric::StrandYear &&
        target.relation == TargetRelation::Equal) {
        const bool fromAbove = answer.quantityAtStart > target.value;
        reached.relation = fromAbove ? TargetRelation::Below : TargetRelation::Above;
        reached.value += (fromAbove ? 0.5 : -0.5) * resolution(*target.metric);
        answer.chanceStatement = std::string(headlineMetricLabel(*target.metric)) +
                                 (fromAbove ? " at or below " : " at or above ") +
                                 formatDouble(target.value);
    }
    MonteCarloOptions monteCarlo;
    monteCarlo.draws = options.draws;
    monteCarlo.seed = options.seed;
    monteCarlo.statements.push_back({"target_holds", answer.chanceStatement,
                                     [reached](const ViewEvaluator &draw) {
                                         return targetHolds(reached, draw);
                                     }});
    auto chance = runMonteCarlo(view, figures, start, ranges, monteCarlo);
    if (!chance)
        return chance.error();
    answer.chance = chance->probability("target_holds")->probability;
    answer.draws = chance->draws;
    return answer;
}

std::string_view solverMethod()
{
    return R"(What would it take: the smallest joint move of the view's assumptions, away from the
scenario on screen, after which the target holds. A move is measured in each assumption's own
range: its distribution's 90th minus 10th percentile, a span that comes from the cited figures
behind it where they give one. Moving one assumption by its whole range counts 1; moves in several
combine as the square root of the sum of their squares. An assumption whose distribution is fixed
has no range and is held. Every value stays inside its slider's bounds.

Search: first, from the start and from eight points spread over the bounds, NLopt's Subplex
method looks for the point where the target comes closest (for an equality, the smallest
difference; otherwise the largest amount by which a condition is missed). If even that point
misses, the target is unreachable inside the bounds, and the answer is the nearest point that
comes as close. Otherwise NLopt's COBYLA, started at the scenario and at that point, minimises
the move subject to the target, and the shorter answer that meets the target when recomputed is
kept. Whole-number targets become continuous ones: a strand year before Y is cash-flow coverage
below 1 in some year before Y, and a party's rank is its score against the others' scores.

Chance: the share of Monte Carlo draws, from the ranges around the scenario on screen, in which
the target holds.)";
}

} // namespace cliff::econ
