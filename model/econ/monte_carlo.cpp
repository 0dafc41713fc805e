#include "monte_carlo.h"

#include "counter_rng.h"
#include "distributions.h"
#include "headline_metric.h"
#include "scenario.h"
#include "view_evaluator.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <optional>
#include <span>
#include <system_error>
#include <thread>

namespace cliff::econ {

namespace {

// Draws are handed to threads in chunks this long; small enough for a prompt cancel and smooth
// progress, large enough for the sampling to run as Eigen array arithmetic.
constexpr int kChunkDraws = 256;

struct SeriesSpec {
    std::string key;
    std::vector<double> x;
};

struct ProbabilitySpec {
    std::string key;
    std::string description;
};

// What one draw records, in row order: every series at every x, then the scalars, then a 0 or 1
// for each probability.
struct Layout {
    std::vector<SeriesSpec> series;
    std::vector<std::string> scalars;
    std::vector<ProbabilitySpec> probabilities;

    [[nodiscard]] Eigen::Index columns() const
    {
        std::size_t count = scalars.size() + probabilities.size();
        for (const SeriesSpec &spec : series)
            count += spec.x.size();
        return static_cast<Eigen::Index>(count);
    }
};


std::string tierKey(PriceTier tier)
{
    std::string key(priceTierName(tier));
    std::replace(key.begin(), key.end(), '-', '_');
    return key + "_projection_usd_per_mtok";
}

// Appends one draw's outputs along its row of the draws x outputs matrix.
class RowWriter {
public:
    RowWriter(Eigen::MatrixXd &outputs, Eigen::Index draw) : m_outputs(&outputs), m_draw(draw) {}
    void operator()(double value) { (*m_outputs)(m_draw, m_column++) = value; }

private:
    Eigen::MatrixXd *m_outputs;
    Eigen::Index m_draw;
    Eigen::Index m_column = 0;
};

Layout layoutOf(const PreparedView &prepared, const ViewEvaluator &centre,
                std::span<const DrawStatement> statements)
{
    Layout layout;
    switch (centre.view()) {
    case EconomicView::RevenueGap: {
        std::vector<double> years;
        for (const RevenueGapYear &row : centre.revenueGap().years)
            years.push_back(row.year);
        for (const char *key : {"required_revenue_usd", "projected_revenue_usd", "gap_usd",
                                "stranded_book_value_usd"})
            layout.series.push_back({key, years});
        layout.scalars = {"gap_2030_usd", "required_revenue_2030_usd",
                          "projected_revenue_2030_usd"};
        const std::string vintage = std::to_string(centre.revenueGap().paybackVintageYear);
        layout.probabilities = {
            {"gap_2030_positive", "Required AI revenue exceeds projected AI revenue in 2030"},
            {"payback_after_economic_life",
             "The " + vintage +
                 " capex pays back later than the GPU economic life (or not by 2035)"},
            {"no_payback_by_2035", "The " + vintage + " capex does not pay back by 2035"}};
        break;
    }
    case EconomicView::CostCurves: {
        const CostCurvesResult &curves = centre.costCurves();
        if (!curves.declineCurve.empty()) {
            SeriesSpec decline{"decline_curve_usd", {}};
            for (const CurvePoint &point : curves.declineCurve)
                decline.x.push_back(point.year);
            layout.series.push_back(std::move(decline));
        }
        for (const TierFit &fit : curves.fits) {
            if (fit.projection.empty())
                continue;
            SeriesSpec projection{tierKey(fit.tier), {}};
            for (const CurvePoint &point : fit.projection)
                projection.x.push_back(point.year);
            layout.series.push_back(std::move(projection));
        }
        layout.scalars = {"predicted_lag_months", "cost_decline_factor_per_year"};
        if (prepared.costCurves.follower) {
            char months[32];
            std::snprintf(months, sizeof months, "%.0f", prepared.costCurves.observedLagMonths);
            layout.probabilities = {
                {"lag_within_observed", "The decline curve puts the follower no more than the "
                                        "observed " + std::string(months) + " months behind"}};
        }
        break;
    }
    case EconomicView::Fragility:
        for (std::size_t p = 0; p < kFragilityPartyCount; ++p)
            layout.scalars.push_back(std::string(fragilityPartyKey(static_cast<FragilityParty>(p))) + "_score_points");
        for (std::size_t p = 0; p < kFragilityPartyCount; ++p) {
            layout.probabilities.push_back(
                {mostFragileKey(static_cast<FragilityParty>(p)),
                 std::string(fragilityPartyName(static_cast<FragilityParty>(p))) +
                     " rank most fragile of the four parties"});
        }
        layout.probabilities.push_back(
            {"seed_order_holds", "The order Kymata Labs' \"The Compute Cliff\" gives holds: "
                                 "hyperscalers, model labs, neoclouds, equity holders, least to "
                                 "most fragile"});
        break;
    case EconomicView::FiberJevons: {
        std::vector<double> years;
        for (const FiberYear &row : centre.fiber().years)
            years.push_back(row.year);
        for (const char *key :
             {"utilisation", "idle_share", "cash_flow_usd", "obligations_usd", "cash_coverage"})
            layout.series.push_back({key, years});
        layout.scalars = {"peak_idle_share", "min_cash_coverage", "strand_year"};
        layout.probabilities = {
            {"strand_before_2030", "The debt-financed builder strands before 2030: cash flow falls "
                                   "below depreciation plus debt service"},
            {"strand_by_2035", "The debt-financed builder strands by 2035"},
            {"idle_above_half", "More than half the fleet stands idle in some year from the base "
                                "year on"}};
        break;
    }
    case EconomicView::Moat:
        break;
    }
    for (const DrawStatement &statement : statements)
        layout.probabilities.push_back({statement.key, statement.description});
    return layout;
}

// Writes one draw's outputs in the order of layoutOf(), the caller's statements excepted.
void recordView(const PreparedView &prepared, const ViewEvaluator &evaluator,
                const Scenario &scenario, RowWriter &put)
{
    const auto indicator = [](bool holds) { return holds ? 1.0 : 0.0; };
    switch (evaluator.view()) {
    case EconomicView::RevenueGap: {
        const RevenueGapResult &gap = evaluator.revenueGap();
        for (const RevenueGapYear &year : gap.years)
            put(year.requiredRevenueUsd);
        for (const RevenueGapYear &year : gap.years)
            put(year.projectedRevenueUsd);
        for (const RevenueGapYear &year : gap.years)
            put(year.gapUsd);
        for (const RevenueGapYear &year : gap.years)
            put(year.strandedBookValueUsd);
        put(gap.gap2030Usd);
        put(gap.requiredRevenue2030Usd);
        put(gap.projectedRevenue2030Usd);
        put(indicator(gap.gap2030Usd > 0.0));
        put(indicator(!gap.paybackYears ||
                      *gap.paybackYears > scenario.value(AssumptionId::GpuEconomicLifeYears)));
        put(indicator(!gap.paybackYears));
        return;
    }
    case EconomicView::CostCurves: {
        const CostCurvesResult &curves = evaluator.costCurves();
        for (const CurvePoint &point : curves.declineCurve)
            put(point.value);
        for (const TierFit &fit : curves.fits) {
            for (const CurvePoint &point : fit.projection)
                put(point.value);
        }
        put(curves.predictedLagMonths);
        put(curves.costDeclineFactorPerYear);
        if (prepared.costCurves.follower)
            put(indicator(curves.predictedLagMonths <= prepared.costCurves.observedLagMonths));
        return;
    }
    case EconomicView::Fragility: {
        const auto &parties = evaluator.parties();
        for (const FragilityScore &score : parties)
            put(score.score);
        const FragilityParty top = mostFragileParty(evaluator);
        for (std::size_t p = 0; p < kFragilityPartyCount; ++p)
            put(indicator(static_cast<FragilityParty>(p) == top));
        bool ordered = true;
        for (std::size_t p = 1; p < kFragilityPartyCount; ++p)
            ordered = ordered && parties[p - 1].score < parties[p].score;
        put(indicator(ordered));
        return;
    }
    case EconomicView::FiberJevons: {
        const FiberResult &fiber = evaluator.fiber();
        for (const FiberYear &year : fiber.years)
            put(year.utilisation);
        for (const FiberYear &year : fiber.years)
            put(year.idleShare);
        for (const FiberYear &year : fiber.years)
            put(year.cashFlowUsd);
        for (const FiberYear &year : fiber.years)
            put(year.depreciationUsd + year.debtServiceUsd);
        for (const FiberYear &year : fiber.years)
            put(year.cashFlowUsd / (year.depreciationUsd + year.debtServiceUsd));
        put(fiber.peakIdleShare);
        put(headlineValue(HeadlineMetric::MinCashCoverage, evaluator));
        put(headlineValue(HeadlineMetric::StrandYear, evaluator));
        put(indicator(fiber.strandYear && *fiber.strandYear < 2030));
        put(indicator(fiber.strandYear.has_value()));
        put(indicator(fiber.peakIdleShare > 0.5));
        return;
    }
    case EconomicView::Moat:
        return;
    }
}

// Writes one draw's outputs in the order of layoutOf().
void record(const PreparedView &prepared, const ViewEvaluator &evaluator, const Scenario &scenario,
            std::span<const DrawStatement> statements, RowWriter put)
{
    recordView(prepared, evaluator, scenario, put);
    for (const DrawStatement &statement : statements)
        put(statement.holds(evaluator) ? 1.0 : 0.0);
}

// Puts the elements of ranks [firstRank, lastRank) (sorted, distinct, inside [first, last)) at
// their sorted places; each selection splits the range for the others.
void selectRanks(double *first, double *last, const std::size_t *firstRank,
                 const std::size_t *lastRank, double *base)
{
    if (firstRank == lastRank || last - first < 2)
        return;
    const std::size_t *middle = firstRank + (lastRank - firstRank) / 2;
    double *nth = base + *middle;
    std::nth_element(first, nth, last);
    selectRanks(first, nth, firstRank, middle, base);
    selectRanks(nth + 1, last, middle + 1, lastRank, base);
}

// Quantiles at kQuantileLevels, interpolating linearly between order statistics (Hyndman and
// Fan's type 7, the default of R and NumPy). Reorders `values`.
Quantiles quantilesOf(std::vector<double> &values)
{
    constexpr std::size_t levels = kQuantileLevels.size();
    const std::size_t n = values.size();
    std::array<double, levels> h{};
    std::array<std::size_t, levels> ranks{};
    for (std::size_t i = 0; i < levels; ++i) {
        h[i] = static_cast<double>(n - 1) * kQuantileLevels[i];
        ranks[i] = static_cast<std::size_t>(std::floor(h[i])); // rising with the levels
    }
    const auto distinctEnd = std::unique(ranks.begin(), ranks.end());
    double *data = values.data();
    selectRanks(data, data + n, ranks.data(), &*distinctEnd, data);
    std::array<double, levels> q{};
    for (std::size_t i = 0; i < levels; ++i) {
        const auto k = static_cast<std::size_t>(std::floor(h[i]));
        // The next order statistic is the smallest element between this rank and the next one
        // selected (everything there lies between the two).
        const std::size_t *next = std::upper_bound(ranks.data(), &*distinctEnd, k);
        const std::size_t stop = next == &*distinctEnd ? n : *next + 1;
        const double below = data[k];
        const double above = k + 1 < n ? *std::min_element(data + k + 1, data + stop) : below;
        q[i] = below + (h[i] - static_cast<double>(k)) * (above - below);
    }
    return {q[0], q[1], q[2], q[3], q[4]};
}

// Runs body(0) here and body(1..threads-1) on new threads; when a thread cannot be started the
// others do its share, since every body pulls work from a shared counter.
void runOnThreads(int threads, const std::function<void(int)> &body)
{
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) {
        try {
            workers.emplace_back(body, t);
        } catch (const std::system_error &) {
            break;
        }
    }
    body(0);
    for (std::thread &worker : workers)
        worker.join();
}

} // namespace

const Band *MonteCarloResult::band(std::string_view key) const
{
    for (const Band &item : bands) {
        if (item.key == key)
            return &item;
    }
    return nullptr;
}

const Quantiles *MonteCarloResult::quantilesOf(std::string_view key) const
{
    for (const NamedQuantiles &item : quantiles) {
        if (item.key == key)
            return &item.quantiles;
    }
    return nullptr;
}

std::string mostFragileKey(FragilityParty party)
{
    return "most_fragile_" + std::string(fragilityPartyKey(party));
}

const NamedProbability *MonteCarloResult::probability(std::string_view key) const
{
    for (const NamedProbability &item : probabilities) {
        if (item.key == key)
            return &item;
    }
    return nullptr;
}

Result<MonteCarloResult> runMonteCarlo(EconomicView view, const std::vector<Figure> &figures,
                                       const Scenario &centre, const Distributions &distributions,
                                       const MonteCarloOptions &options)
{
    const auto ids = viewAssumptions(view);
    if (ids.empty()) {
        return Error{"the " + std::string(economicViewKey(view)) +
                         " view has no assumptions to vary",
                     {}, 0, "view"};
    }
    if (options.draws < 1 || options.draws > kMaxMonteCarloDraws) {
        return Error{std::to_string(options.draws) + " draws is out of range [1, " +
                         std::to_string(kMaxMonteCarloDraws) + "]",
                     {}, 0, "draws"};
    }
    const int draws = options.draws;

    // Fixed distributions are applied once; the others are drawn.
    Scenario base = centre;
    std::vector<AssumptionId> sampled;
    for (AssumptionId id : ids) {
        const Distribution &distribution = distributions.get(id);
        if (distribution.kind == DistributionKind::Fixed) {
            if (Status status = base.set(id, distribution.centre); !status)
                return status.error();
        } else {
            sampled.push_back(id);
        }
    }
    const PreparedView prepared = prepareView(view, figures);
    ViewEvaluator centreEvaluator(prepared);
    if (Status status = centreEvaluator.evaluate(base); !status)
        return status.error();
    const Layout layout = layoutOf(prepared, centreEvaluator, options.statements);
    const Eigen::Index columns = layout.columns();
    Eigen::MatrixXd outputs(draws, columns); // one column per output, contiguous for the quantiles

    const int chunks = (draws + kChunkDraws - 1) / kChunkDraws;
    const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = std::clamp(options.threads > 0 ? options.threads : hardware, 1, chunks);
    const auto cancelled = [&] { return options.cancel && options.cancel->load(); };

    std::atomic<int> nextChunk{0};
    std::atomic<int> drawsDone{0};
    std::mutex errorMutex;
    std::optional<std::pair<int, Error>> firstError; // the error of the earliest draw
    runOnThreads(threads, [&](int thread) {
        ViewEvaluator evaluator(prepared);
        Scenario scenario = base;
        Eigen::ArrayXXd uniforms(kChunkDraws, static_cast<Eigen::Index>(sampled.size()));
        for (;;) {
            if (cancelled())
                return;
            const int chunk = nextChunk.fetch_add(1);
            if (chunk >= chunks)
                return;
            const int first = chunk * kChunkDraws;
            const int count = std::min(kChunkDraws, draws - first);
            for (std::size_t j = 0; j < sampled.size(); ++j) {
                const auto column = static_cast<Eigen::Index>(j);
                const auto dimension = static_cast<std::uint64_t>(sampled[j]);
                for (int r = 0; r < count; ++r) {
                    const auto draw = static_cast<std::uint64_t>(first + r);
                    const std::uint64_t n = draw * kAssumptionCount + dimension;
                    uniforms(r, column) = unitInterval(splitMix64At(options.seed, n));
                }
                distributions.get(sampled[j]).quantiles(uniforms.col(column).head(count));
            }
            for (int r = 0; r < count; ++r) {
                Status status = Ok{};
                for (std::size_t j = 0; j < sampled.size() && status; ++j)
                    status = scenario.set(sampled[j], uniforms(r, static_cast<Eigen::Index>(j)));
                if (status)
                    status = evaluator.evaluate(scenario);
                if (!status) {
                    const std::lock_guard lock(errorMutex);
                    if (!firstError || first + r < firstError->first)
                        firstError.emplace(first + r, status.error());
                    continue;
                }
                record(prepared, evaluator, scenario, options.statements, RowWriter(outputs, first + r));
            }
            const int done = drawsDone.fetch_add(count) + count;
            if (thread == 0 && options.progress)
                options.progress(done, draws);
        }
    });
    if (cancelled())
        return Error{std::string(kCancelledMessage), {}, 0, {}};
    if (firstError)
        return firstError->second;
    if (options.progress)
        options.progress(draws, draws);

    // Every column's quantiles (or mean, for a probability), also spread over the threads.
    const Eigen::Index quantileColumns =
        columns - static_cast<Eigen::Index>(layout.probabilities.size());
    std::vector<Quantiles> columnQuantiles(static_cast<std::size_t>(quantileColumns));
    std::atomic<Eigen::Index> nextColumn{0};
    const int summaryThreads =
        std::min(threads, static_cast<int>(std::max<Eigen::Index>(1, quantileColumns)));
    runOnThreads(summaryThreads, [&](int) {
        std::vector<double> values(static_cast<std::size_t>(draws));
        for (Eigen::Index c = nextColumn.fetch_add(1); c < quantileColumns;
             c = nextColumn.fetch_add(1)) {
            Eigen::Map<Eigen::VectorXd>(values.data(), draws) = outputs.col(c);
            columnQuantiles[static_cast<std::size_t>(c)] = quantilesOf(values);
        }
    });

    MonteCarloResult result;
    result.view = view;
    result.draws = draws;
    result.seed = options.seed;
    result.sampled = sampled;
    std::size_t column = 0;
    for (const SeriesSpec &spec : layout.series) {
        Band band{spec.key, spec.x, {}};
        for (std::size_t i = 0; i < spec.x.size(); ++i)
            band.quantiles.push_back(columnQuantiles[column++]);
        result.bands.push_back(std::move(band));
    }
    for (const std::string &key : layout.scalars)
        result.quantiles.push_back({key, columnQuantiles[column++]});
    for (const ProbabilitySpec &spec : layout.probabilities) {
        const double share = outputs.col(static_cast<Eigen::Index>(column++)).sum() / draws;
        result.probabilities.push_back({spec.key, spec.description, share});
    }
    return result;
}

std::vector<NamedProbability> viewStatements(const PreparedView &prepared,
                                             const ViewEvaluator &evaluator,
                                             const Scenario &scenario)
{
    const Layout layout = layoutOf(prepared, evaluator, {});
    Eigen::MatrixXd row(1, layout.columns());
    record(prepared, evaluator, scenario, {}, RowWriter(row, 0));
    std::vector<NamedProbability> statements;
    Eigen::Index column = layout.columns() - static_cast<Eigen::Index>(layout.probabilities.size());
    for (const ProbabilitySpec &spec : layout.probabilities)
        statements.push_back({spec.key, spec.description, row(0, column++)});
    return statements;
}

std::string_view uncertaintyMethod()
{
    return R"(Distributions: every assumption carries one - fixed, uniform, triangular or log-normal
(ln x normal, truncated to the assumption's allowed range). The default is derived from the cited
figures behind the assumption where they give a range: the lowest and highest of their values,
lows and highs, converted to the assumption's unit, with the default as the mode (2026 capex
guidance $690-725B as a multiple of its midpoint; a 5-10x cost collapse over 16 months as a
yearly price decline of 70-82%; CoreWeave's coupons of 9-11%; its CDS quotes of 368-675 bp;
server lives of 5-6 years; the 2027 capex consensus as the high end of capex growth). Algorithmic
efficiency is log-normal around 3x a year with Epoch's earlier 1.7x at the 5th percentile. Every
other assumption has a stated illustrative spread (party profiles: 10 points either side). When a
slider moves, the distribution moves with it: shifted (uniform, triangular) or scaled (log-normal)
so that its centre is the slider's value, clipped to the allowed range. A distribution given
explicitly in a scenario file is used as given.

Sampling: draw i takes assumption a's uniform number u from output i x N + a of the SplitMix64
generator started at the seed (N being the number of assumptions in the registry, a an
assumption's place in it) and turns it into a value by
the distribution's inverse distribution function: low + u (high - low) for uniform; for
triangular low + sqrt(u (high - low)(mode - low)) below the mode's probability and high -
sqrt((1 - u)(high - low)(high - mode)) above it; for log-normal exp(mu + sigma z) with z from
Acklam's inverse normal at a u rescaled into the truncation's probabilities. Every draw depends
only on the seed and its own number, so a seed gives the same result on any number of threads.
Only the view's own assumptions are drawn; the model itself is the same code the view runs.

Outputs: for each plotted output, its 5th, 10th, 50th, 90th and 95th percentiles across the draws
in each year (linear interpolation between order statistics), and probabilities as the share of
draws in which a statement holds: revenue gap - required revenue above projected in 2030, and the
2026 capex paying back later than the GPU economic life (payback as defined in the revenue-gap
method: years until the vintage's book-value share of the fleet's cash margin repays its cost;
no payback by 2035 counts as later); fiber - the builder strands before 2030 or by 2035, more
than half the fleet idle; fragility - each party ranks most fragile, and the order of Kymata Labs'
white paper "The Compute Cliff" holds; cost curves - the predicted follower lag is no longer than the observed one.

Tornado: each assumption of the view in turn is set to its distribution's 10th and then 90th
percentile, every other assumption staying at the scenario's value, and the view's headline
number is recomputed; bars are sorted by the size of the swing. Headlines: revenue gap - the 2030
gap in USD; cost curves - the predicted follower lag in months; fragility - the lead in points of
the party most fragile at the scenario over the next one (or one party's score); fiber - the
lowest cash-flow coverage from the base year on (or the strand year, 2036 meaning none by 2035,
or the peak idle share).)";
}

} // namespace cliff::econ
