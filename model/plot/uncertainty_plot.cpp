#include "uncertainty_plot.h"

#include "export_subject.h"
#include "view_plot.h"

#include "econ/assumption_registry.h"
#include "econ/fragility.h"
#include "econ/headline_metric.h"

#include <algorithm>
#include <cmath>

namespace cliff::plot {

namespace {

using econ::EconomicView;

/// Where a band goes: the chart, the Monte Carlo output, the line it belongs to
/// (its name and colour) and the factor from the output's unit to the chart's.
struct BandPlacement {
    std::string_view chartKey;
    std::string_view bandKey;
    std::string_view name;
    int colour;
    double scale;
};

constexpr double kToBillions = 1e-9;
/// How far above its lines a chart's axis may reach to show a band in full.
constexpr double kBandHeadroom = 2.5;
/// The tornado shows this many of the widest swings; more would not fit
/// readable labels.
constexpr std::size_t kTornadoBars = 8;
constexpr double kToPercent = 100.0;

constexpr BandPlacement kBandPlacements[] = {
    {"required-vs-projected", "required_revenue_usd", "Required revenue", 0, kToBillions},
    {"required-vs-projected", "projected_revenue_usd", "Projected revenue", 1, kToBillions},
    {"capex-and-stranded-value", "stranded_book_value_usd", "Stranded book value", 5, kToBillions},
    {"utilisation", "utilisation", "AI compute in use", 0, kToPercent},
    {"cash-coverage", "cash_flow_usd", "Operating cash flow", 2, kToBillions},
    {"cash-coverage", "obligations_usd", "Depreciation + debt service", 5, kToBillions},
};

/// The chances the headline sentence reports, per view, in this order.
std::vector<std::string> headlineChanceKeys(EconomicView view)
{
    switch (view) {
    case EconomicView::RevenueGap:
        return {"gap_2030_positive", "payback_after_economic_life"};
    case EconomicView::CostCurves:
        return {"lag_within_observed"};
    case EconomicView::Fragility:
        return {"seed_order_holds"};
    case EconomicView::FiberJevons:
        return {"strand_before_2030", "idle_above_half"};
    case EconomicView::Moat:
        break;
    }
    return {};
}

std::string percent(double share)
{
    return readableNumber(std::round(share * 100.0)) + "%";
}

/// One band between two quantiles of `band`, in the chart's unit.
Series bandSeries(const econ::Band &band, const BandPlacement &placement, bool inner)
{
    Series series{std::string(placement.name) + (inner ? ", 10th-90th pct" : ", 5th-95th pct"),
                  SeriesShape::Band,
                  Evidence::Simulated,
                  placement.colour,
                  {}};
    for (std::size_t i = 0; i < band.x.size(); ++i) {
        const econ::Quantiles &q = band.quantiles[i];
        const double low = (inner ? q.p10 : q.p5) * placement.scale;
        const double high = (inner ? q.p90 : q.p95) * placement.scale;
        series.points.push_back({band.x[i],
                                 low,
                                 high,
                                 {},
                                 std::string(placement.name) + (inner ? ", 80%" : ", 90%") +
                                     " of draws between " + readableNumber(low) + " and " +
                                     readableNumber(high)});
    }
    return series;
}

/// The highest value or upper edge among `series`, and at least 0.
double topOf(const std::vector<Series> &series)
{
    double top = 0.0;
    for (const Series &one : series) {
        for (const Point &point : one.points)
            top = std::max(top, point.yHigh.value_or(point.y));
    }
    return top;
}

/// Puts the bands of `result` behind the lines of each chart they belong to.
/// The revenue chart's shortfall fill gives way to them: both would shade the
/// same space.
void addBands(ViewPlot &plot, const econ::MonteCarloResult &result, const std::string &basis)
{
    for (ChartSpec &chart : plot.charts) {
        std::vector<Series> bands;
        for (const BandPlacement &placement : kBandPlacements) {
            const econ::Band *band =
                placement.chartKey == chart.key ? result.band(placement.bandKey) : nullptr;
            if (!band)
                continue;
            bands.push_back(bandSeries(*band, placement, false));
            bands.push_back(bandSeries(*band, placement, true));
        }
        if (bands.empty())
            continue;
        std::erase_if(chart.series, [](const Series &series) {
            return series.shape == SeriesShape::Band && series.evidence == Evidence::Modelled;
        });
        const double linesTop = topOf(chart.series);
        const double bandsTop = topOf(bands);
        chart.series.insert(chart.series.begin(), std::make_move_iterator(bands.begin()),
                            std::make_move_iterator(bands.end()));
        chart.appendNote("Shaded: the middle 80% (darker) and 90% of " + basis + ".");
        // A long upper tail would squash the lines into the floor: the axis keeps
        // to the lines and the band runs off the top, which the note says.
        if (chart.y.scale == AxisScale::Linear && linesTop > 0.0 &&
            bandsTop > kBandHeadroom * linesTop) {
            chart.fixedY = std::pair{0.0, kBandHeadroom * linesTop};
            chart.appendNote("The upper bands run beyond the top of the chart, to " +
                                  quantityText(bandsTop, chart.y.unit) + ".");
        }
    }
}

ChartSpec mostFragileChart(const econ::MonteCarloResult &result, const std::string &basis)
{
    struct Chance {
        std::string party;
        double share;
    };
    std::vector<Chance> chances;
    for (std::size_t p = 0; p < econ::kFragilityPartyCount; ++p) {
        const auto party = static_cast<econ::FragilityParty>(p);
        if (const econ::NamedProbability *chance = result.probability(econ::mostFragileKey(party)))
            chances.push_back({std::string(econ::fragilityPartyName(party)), chance->probability});
    }
    // Horizontal bars draw the first category at the bottom: the likeliest goes
    // last, on top.
    std::stable_sort(chances.begin(), chances.end(),
                     [](const Chance &a, const Chance &b) { return a.share < b.share; });
    ChartSpec chart;
    chart.key = "most-fragile-chance";
    chart.title = "Chance of ranking most fragile";
    chart.horizontal = true;
    chart.x.kind = AxisKind::Category;
    chart.x.title = "Party";
    chart.y = {"Share of draws", "%", AxisKind::Value, AxisScale::Linear, false, {}};
    Series series{"Ranks most fragile", SeriesShape::Bars, Evidence::Simulated, 4, {}};
    for (const Chance &chance : chances) {
        series.points.push_back(
            {double(chart.x.categories.size()),
             chance.share * 100.0,
             {},
             {},
             chance.party + " most fragile in " + percent(chance.share) + " of draws"});
        chart.x.categories.push_back(chance.party);
    }
    chart.series.push_back(std::move(series));
    chart.fixedY = std::pair{0.0, 100.0};
    chart.note = "How often each party comes out most fragile when every "
                 "assumption of the view "
                 "is drawn from its range: " +
                 basis + ".";
    return chart;
}

/// The sentence of the view's chances, e.g. "Across 10,000 draws, seed 1: 71%
/// that ...".
std::string chancesSentence(const econ::MonteCarloResult &result, const std::string &basis)
{
    std::vector<std::string> parts;
    for (const std::string &key : headlineChanceKeys(result.view)) {
        if (const econ::NamedProbability *chance = result.probability(key))
            parts.push_back(percent(chance->probability) + " that " +
                            lowerFirst(chance->description));
    }
    if (parts.empty())
        return {};
    std::string sentence = "Across " + basis + ": ";
    for (std::size_t i = 0; i < parts.size(); ++i)
        sentence += (i ? "; " : "") + parts[i];
    return sentence + ".";
}

/// How a headline metric is shown: the unit on the axis and the factor from the
/// metric's unit.
struct MetricDisplay {
    std::string unit;
    double scale;
};

MetricDisplay metricDisplay(econ::HeadlineMetric metric)
{
    using enum econ::HeadlineMetric;
    switch (metric) {
    case Gap2030Usd:
        return {"US$ billions", kToBillions};
    case PredictedLagMonths:
        return {"months", 1.0};
    case TopPartyLeadPoints:
    case HyperscalerScore:
    case ModelLabScore:
    case NeocloudScore:
    case EquityHolderScore:
        return {"points", 1.0};
    case MinCashCoverage:
        return {"x", 1.0};
    case StrandYear:
        return {"years", 1.0};
    case PeakIdleShare:
        return {"percentage points", kToPercent};
    }
    return {"", 1.0};
}

} // namespace

Result<ViewUncertainty> computeViewUncertainty(EconomicView view,
                                               const std::vector<Figure> &figures,
                                               const econ::Scenario &scenario,
                                               const econ::Distributions &distributions,
                                               const econ::MonteCarloOptions &options)
{
    auto monteCarlo = econ::runMonteCarlo(view, figures, scenario, distributions, options);
    if (!monteCarlo)
        return monteCarlo.error();
    auto tornado = econ::computeTornado(view, econ::headlineMetrics(view).front(), figures,
                                        scenario, distributions);
    if (!tornado)
        return tornado.error();
    return ViewUncertainty{std::move(*monteCarlo), std::move(*tornado)};
}

std::string drawsAndSeed(int draws, std::uint64_t seed)
{
    return readableNumber(draws) + (draws == 1 ? " draw" : " draws") + ", seed " +
           std::to_string(seed);
}

void addUncertainty(ViewPlot &plot, const ViewUncertainty &uncertainty)
{
    const econ::MonteCarloResult &result = uncertainty.monteCarlo;
    const std::string basis = drawsAndSeed(result.draws, result.seed);
    addBands(plot, result, basis);
    if (plot.view == EconomicView::Fragility)
        plot.charts.push_back(mostFragileChart(result, basis));
    if (!uncertainty.tornado.bars.empty())
        plot.charts.push_back(tornadoChart(uncertainty.tornado));
    plot.chances = chancesSentence(result, basis);
    plot.draws = result.draws;
    plot.seed = result.seed;
}

ChartSpec tornadoChart(const econ::Tornado &tornado)
{
    const MetricDisplay display = metricDisplay(tornado.metric);
    const std::string label{econ::headlineMetricLabel(tornado.metric)};
    ChartSpec chart;
    chart.key = "tornado";
    chart.title = "What moves the " + lowerFirst(label) + " most";
    chart.horizontal = true;
    chart.x.kind = AxisKind::Category;
    chart.y = {"Change from the scenario", display.unit, AxisKind::Value,
               AxisScale::Linear,          false,        {}};
    Series low{"Assumption at its 10th percentile", SeriesShape::Bars, Evidence::Simulated, 1, {}};
    Series high{"Assumption at its 90th percentile", SeriesShape::Bars, Evidence::Simulated, 0, {}};
    // The bars come widest first; horizontal bars draw the first category at the
    // bottom, so the widest goes last, on top.
    const std::size_t shown = std::min(tornado.bars.size(), kTornadoBars);
    for (auto bar = tornado.bars.begin() + std::ptrdiff_t(shown); bar != tornado.bars.begin();) {
        --bar;
        const econ::Assumption &entry = econ::assumption(bar->id);
        const double x = double(chart.x.categories.size());
        const auto point = [&](double input, double output) {
            const double change = (output - tornado.baseOutput) * display.scale;
            return Point{x,
                         change,
                         {},
                         {},
                         std::string(entry.label) + " at " + formatAssumptionValue(entry, input) +
                             ": " + quantityText(change, display.unit),
                         false,
                         std::string(entry.key)};
        };
        low.points.push_back(point(bar->lowInput, bar->lowOutput));
        high.points.push_back(point(bar->highInput, bar->highOutput));
        chart.x.categories.emplace_back(entry.label);
    }
    chart.series.push_back(std::move(low));
    chart.series.push_back(std::move(high));
    chart.note = "Each bar moves one assumption from the 10th to the 90th "
                 "percentile of its range "
                 "with the others as set; the scenario gives " +
                 quantityText(tornado.baseOutput * display.scale, display.unit) + ".";
    if (shown < tornado.bars.size())
        chart.appendNote("The " + std::to_string(shown) + " widest of " +
                              std::to_string(tornado.bars.size()) + " swings are shown.");
    return chart;
}

} // namespace cliff::plot
