#include "view_plot.h"

#include "econ/capex_path.h"
#include "econ/cost_curves.h"
#include "econ/fiber_jevons.h"
#include "econ/figure_query.h"
#include "econ/fragility.h"
#include "econ/moat.h"
#include "econ/revenue_gap.h"

#include <algorithm>
#include <iterator>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

namespace cliff::plot {

namespace {

using econ::EconomicView;

constexpr double kBillion = 1e9;
constexpr double kMillion = 1e6;
// A token-price projection is not drawn past this fall from its starting price (see
// tokenPriceChart).
constexpr double kPlausiblePriceFall = 100.0;
// Compute demand beyond this multiple of the fleet is not drawn (see fiberPlot).
constexpr int kPlausibleDemandOverCapacity = 10;

/// Figures by id, for the kind of each plotted figure.
class FigureIndex {
public:
    explicit FigureIndex(const std::vector<Figure> &figures)
    {
        m_byId.reserve(figures.size());
        for (const Figure &figure : figures)
            m_byId.emplace(figure.id, &figure);
    }

    [[nodiscard]] const Figure *find(const std::string &id) const
    {
        const auto found = m_byId.find(id);
        return found == m_byId.end() ? nullptr : found->second;
    }

    /// Reported figures draw solid; everything else a source did not report as fact draws hollow.
    [[nodiscard]] Evidence evidenceOf(const std::string &id) const
    {
        const Figure *figure = find(id);
        return figure && figure->kind == "reported" ? Evidence::Reported : Evidence::Unreported;
    }

private:
    std::unordered_map<std::string, const Figure *> m_byId;
};

std::string printed(const char *format, double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

/// Sorted, unique figure ids of every point, plus `extra`.
std::vector<std::string> collectFigureIds(const ChartSpec &chart,
                                          const std::vector<std::string> &extra = {})
{
    std::set<std::string> ids(extra.begin(), extra.end());
    for (const Series &series : chart.series) {
        for (const Point &point : series.points) {
            if (!point.figureId.empty())
                ids.insert(point.figureId);
        }
    }
    ids.erase(std::string{});
    return {ids.begin(), ids.end()};
}

Axis yearAxis()
{
    return {"Year", "year", AxisKind::Year, AxisScale::Linear, false, {}};
}

Axis valueAxis(std::string title, std::string unit, AxisScale scale = AxisScale::Linear,
               bool logAllowed = false)
{
    return {std::move(title), std::move(unit), AxisKind::Value, scale, logAllowed, {}};
}

Axis categoryAxis(std::string title, std::vector<std::string> categories)
{
    return {std::move(title), {}, AxisKind::Category, AxisScale::Linear, false,
            std::move(categories)};
}

/// The entities of the items that `keep` accepts, once each, in order of first appearance.
template <class Item, class Keep>
std::vector<std::string> distinctEntities(const std::vector<Item> &items, Keep keep)
{
    std::vector<std::string> entities;
    for (const Item &item : items) {
        if (keep(item) && std::find(entities.begin(), entities.end(), item.entity) == entities.end())
            entities.push_back(item.entity);
    }
    return entities;
}

/// Splits cited points into a reported and an unreported series of the same name and colour.
void addCitedPoints(ChartSpec &chart, const std::string &name, int colour,
                    const std::vector<Point> &points, const FigureIndex &index)
{
    Series reported{name, SeriesShape::Points, Evidence::Reported, colour, {}};
    Series unreported{name, SeriesShape::Points, Evidence::Unreported, colour, {}};
    for (const Point &point : points)
        (index.evidenceOf(point.figureId) == Evidence::Reported ? reported : unreported)
            .points.push_back(point);
    for (Series *series : {&reported, &unreported}) {
        if (!series->points.empty())
            chart.series.push_back(std::move(*series));
    }
}

// ---- View 1: does the build-out pay back? -------------------------------------------------------

/// The calendar year a company's capex falls in: its own year, or for a fiscal year ("FY2025")
/// the calendar year the fiscal year ends in.
std::optional<int> capexCalendarYear(const std::string &period)
{
    const std::string digits = period.starts_with("FY") ? period.substr(2) : period;
    if (digits.size() != 4 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        return std::nullopt;
    return std::stoi(digits);
}

/// Sorted years as ranges: {2020, 2021, 2024, 2025, 2026} is "2020-2021, 2024-2026".
std::string yearRanges(const std::vector<int> &years)
{
    std::string text;
    for (std::size_t i = 0; i < years.size();) {
        std::size_t j = i;
        while (j + 1 < years.size() && years[j + 1] == years[j] + 1)
            ++j;
        text += (text.empty() ? "" : ", ") + std::to_string(years[i])
                + (j > i ? "-" + std::to_string(years[j]) : "");
        i = j + 1;
    }
    return text;
}

ChartSpec capexByCompanyChart(const econ::RevenueGapResult &result, const FigureIndex &index)
{
    std::set<int> years;
    std::vector<std::string> companies;
    for (const econ::CompanyCapex &capex : result.companies) {
        const auto year = capexCalendarYear(capex.period);
        if (!year)
            continue;
        years.insert(*year);
        const std::string name = capex.entity + (capex.period.starts_with("FY") ? " (fiscal years)" : "");
        if (std::find(companies.begin(), companies.end(), name) == companies.end())
            companies.push_back(name);
    }
    const std::vector<int> yearList(years.begin(), years.end());

    ChartSpec chart;
    chart.key = "capex-by-company";
    chart.title = "Capex by company and year";
    std::vector<std::string> categories;
    for (int year : yearList)
        categories.push_back(std::to_string(year));
    chart.x = categoryAxis("Year", categories);
    chart.y = valueAxis("Capex", "US$ billions");
    std::string coverage;
    for (std::size_t c = 0; c < companies.size(); ++c) {
        Series series{companies[c], SeriesShape::Bars, Evidence::Reported, static_cast<int>(c), {}};
        std::vector<int> covered;
        for (std::size_t slot = 0; slot < yearList.size(); ++slot) {
            Point point{static_cast<double>(slot), 0.0, {}, {},
                        companies[c] + " " + categories[slot] + ": no figure"};
            for (const econ::CompanyCapex &capex : result.companies) {
                const std::string name = capex.entity + (capex.period.starts_with("FY") ? " (fiscal years)" : "");
                if (name == companies[c] && capexCalendarYear(capex.period) == yearList[slot]) {
                    point.y = capex.capexUsd / kBillion;
                    point.figureId = capex.figureId;
                    point.label = capex.entity + " " + capex.period;
                    point.unreported = index.evidenceOf(capex.figureId) != Evidence::Reported;
                }
            }
            if (!point.figureId.empty())
                covered.push_back(yearList[slot]);
            series.points.push_back(point);
        }
        coverage += (coverage.empty() ? "" : "; ") + companies[c] + " " + yearRanges(covered);
        chart.series.push_back(std::move(series));
    }
    // A company without a figure for a year gets no bar; the note says so, so that a gap is not
    // read as zero.
    chart.note = "Hatched bars are guidance or estimates; fiscal years sit in the calendar year they "
                 "end in. No bar means no figure, not zero. Years with a figure: " + coverage + ".";
    chart.figureIds = collectFigureIds(chart);
    return chart;
}

ChartSpec revenueChart(const econ::RevenueGapResult &result,
                       const econ::RevenueGapResult *baseline, const FigureIndex &index)
{
    ChartSpec chart;
    chart.key = "required-vs-projected";
    chart.title = "AI revenue required vs projected";
    chart.x = yearAxis();
    chart.y = valueAxis("Annual revenue", "US$ billions", AxisScale::Linear, true);

    Series gap{"Shortfall", SeriesShape::Band, Evidence::Modelled, 5, {}};
    Series required{"Required revenue", SeriesShape::Line, Evidence::Modelled, 0, {}};
    Series projected{"Projected revenue", SeriesShape::Line, Evidence::Modelled, 1, {}};
    for (const econ::RevenueGapYear &year : result.years) {
        const double x = year.year;
        required.points.push_back({x, year.requiredRevenueUsd / kBillion, {}, {}, "Required"});
        projected.points.push_back({x, year.projectedRevenueUsd / kBillion, {}, {}, "Projected"});
        const double low = std::min(year.requiredRevenueUsd, year.projectedRevenueUsd);
        gap.points.push_back({x, low / kBillion, year.requiredRevenueUsd / kBillion, {},
                              "Shortfall " + formatUsd(std::max(0.0, year.gapUsd))});
    }
    chart.series.push_back(std::move(gap));
    chart.series.push_back(std::move(required));
    chart.series.push_back(std::move(projected));
    if (baseline) {
        Series requiredAtDefaults{"Required (defaults)", SeriesShape::Line, Evidence::Baseline, 0, {}};
        Series projectedAtDefaults{"Projected (defaults)", SeriesShape::Line, Evidence::Baseline, 1, {}};
        for (const econ::RevenueGapYear &year : baseline->years) {
            requiredAtDefaults.points.push_back(
                {double(year.year), year.requiredRevenueUsd / kBillion, {}, {}, "Required at defaults"});
            projectedAtDefaults.points.push_back(
                {double(year.year), year.projectedRevenueUsd / kBillion, {}, {}, "Projected at defaults"});
        }
        chart.series.push_back(std::move(requiredAtDefaults));
        chart.series.push_back(std::move(projectedAtDefaults));
    }

    // Bain's 2030 claims, beside the model's own numbers: the revenue needed, and the revenue
    // its need less its shortfall implies.
    std::vector<Point> claimedNeed;
    std::vector<Point> claimedRevenue;
    if (result.claimedRequired2030Usd && !result.claimFigureIds.empty()) {
        claimedNeed.push_back({2030.0, *result.claimedRequired2030Usd / kBillion, {},
                               result.claimFigureIds.front(), "Bain: needed in 2030"});
        if (result.claimedShortfall2030Usd && result.claimFigureIds.size() > 1)
            claimedRevenue.push_back(
                {2030.0, (*result.claimedRequired2030Usd - *result.claimedShortfall2030Usd) / kBillion,
                 {}, result.claimFigureIds[1], "Bain: need less shortfall"});
    }
    addCitedPoints(chart, "Bain's claim: revenue needed", 0, claimedNeed, index);
    addCitedPoints(chart, "Bain's claim: revenue in sight", 1, claimedRevenue, index);
    chart.figureIds = collectFigureIds(chart, result.sourceFigureIds);
    return chart;
}

ChartSpec capexPathChart(const econ::RevenueGapResult &result, const std::vector<Figure> &figures,
                         const econ::Scenario &scenario, const FigureIndex &index)
{
    ChartSpec chart;
    chart.key = "capex-and-stranded-value";
    chart.title = "Hyperscaler capex, depreciation and stranded book value";
    chart.x = yearAxis();
    // Capex and depreciation are flows in a year, stranded book value a stock at its end: the
    // axis names the money only, and the note says which is which.
    chart.y = valueAxis("US dollars", "US$ billions");

    const int lastYear = result.years.empty() ? 2030 : result.years.back().year;
    // The line follows the scenario (guidance scaled, then grown); the markers stay at the
    // cited values.
    const auto asCited = econ::buildCapexPath(
        figures, scenario.value(econ::AssumptionId::CapexGrowth), lastYear);
    std::vector<Point> cited;
    std::vector<std::string> summedIds;
    std::string bases;
    int lastCitedYear = 0;
    for (const econ::CapexYear &year : asCited) {
        if (year.figureId.empty())
            continue;
        const std::string basis{econ::capexBasisName(year.basis)};
        cited.push_back({double(year.year), year.capexUsd / kBillion, {}, year.figureId,
                         "Cited capex " + std::to_string(year.year) + " (" + basis + ")"});
        summedIds.insert(summedIds.end(), year.figureIds.begin(), year.figureIds.end());
        bases += (bases.empty() ? "" : ", ") + std::to_string(year.year) + " " + basis;
        lastCitedYear = year.year;
    }
    Series extended{"Capex path", SeriesShape::Line, Evidence::Modelled, 2, {}};
    Series extrapolated{"Extrapolated at capex growth", SeriesShape::Line, Evidence::Projected, 2, {}};
    for (const econ::CapexYear &year : econ::buildCapexPath(figures, scenario, lastYear)) {
        const Point point{double(year.year), year.capexUsd / kBillion, {}, {}, "Capex"};
        if (year.year <= lastCitedYear || lastCitedYear == 0)
            extended.points.push_back(point);
        if (year.year >= lastCitedYear && lastCitedYear != 0)
            extrapolated.points.push_back(point);
    }
    Series depreciation{"Depreciation", SeriesShape::Line, Evidence::Modelled, 3, {}};
    Series stranded{"Stranded book value", SeriesShape::Line, Evidence::Modelled, 5, {}};
    for (const econ::RevenueGapYear &year : result.years) {
        depreciation.points.push_back({double(year.year), year.depreciationUsd / kBillion, {}, {}, "Depreciation"});
        stranded.points.push_back({double(year.year), year.strandedBookValueUsd / kBillion, {}, {}, "Stranded book value"});
    }
    chart.note = "Capex of Alphabet, Amazon, Meta and Microsoft added up company by company ("
                 + bases + "); after " + std::to_string(lastCitedYear)
                 + " it grows at the capex-growth assumption. Capex and depreciation are spent "
                   "in each year; stranded book value is what is left on the books at its end.";
    chart.series.push_back(std::move(extended));
    if (extrapolated.points.size() > 1)
        chart.series.push_back(std::move(extrapolated));
    chart.series.push_back(std::move(depreciation));
    chart.series.push_back(std::move(stranded));
    addCitedPoints(chart, "Cited capex", 2, cited, index);
    chart.figureIds = collectFigureIds(chart, summedIds);
    return chart;
}

Result<ViewPlot> revenueGapPlot(const std::vector<Figure> &figures, const econ::Scenario &scenario,
                                const ViewPlotOptions &options, const FigureIndex &index)
{
    auto result = econ::computeRevenueGap(figures, scenario);
    if (!result)
        return result.error();
    std::optional<econ::RevenueGapResult> baseline;
    if (options.compareWithDefaults) {
        auto atDefaults = econ::computeRevenueGap(figures, econ::Scenario{});
        if (atDefaults)
            baseline = std::move(*atDefaults);
    }
    ViewPlot plot;
    plot.headline = "In 2030 the build-out needs " + formatUsd(result->requiredRevenue2030Usd)
                    + " of AI revenue a year; " + formatUsd(result->projectedRevenue2030Usd)
                    + " is projected, " + formatUsd(std::abs(result->gap2030Usd))
                    + (result->gap2030Usd >= 0 ? " short." : " to spare.");
    if (result->claimedRequired2030Usd && result->claimedShortfall2030Usd)
        plot.headline += " (Bain's claim: " + formatUsd(*result->claimedRequired2030Usd)
                         + " needed, " + formatUsd(*result->claimedShortfall2030Usd) + " short.)";
    plot.charts.push_back(capexByCompanyChart(*result, index));
    plot.charts.push_back(
        revenueChart(*result, baseline ? &*baseline : nullptr, index));
    plot.charts.push_back(capexPathChart(*result, figures, scenario, index));
    plot.notes = result->notes;
    return plot;
}

// ---- View 2: how fast does the cost of frontier capability fall? --------------------------------

ChartSpec trainingCostChart(const econ::CostCurvesResult &result,
                            const econ::CostCurvesResult *baseline, const FigureIndex &index)
{
    ChartSpec chart;
    chart.key = "training-cost";
    chart.title = "Training cost of frontier-class models";
    chart.x = yearAxis();
    chart.y = valueAxis("Training cost", "US$ millions", AxisScale::Log, true);

    std::vector<Point> cited;
    int rangeColour = 4;
    for (const econ::TrainingCostPoint &point : result.trainingCosts) {
        // Company-wide compute budgets and fleet sizes sit in the same category but are not the
        // cost of training one model.
        if (!econ::containsNoCase(point.metric, "cost"))
            continue;
        const std::string label = point.entity + ": " + point.metric;
        cited.push_back({point.year, point.costUsd / kMillion, {}, point.figureId, label});
        if (point.lowUsd && point.highUsd) {
            // A range is drawn as a narrow band at its date so both ends stay visible.
            Series range{point.entity + " " + point.metric + " (range)", SeriesShape::Band,
                         Evidence::Unreported, rangeColour, {}};
            for (double dx : {-0.12, 0.12})
                range.points.push_back({point.year + dx, *point.lowUsd / kMillion,
                                        *point.highUsd / kMillion, point.figureId, label});
            chart.series.push_back(std::move(range));
        }
    }
    addCitedPoints(chart, "Cited training cost", 0, cited, index);

    const auto declineSeries = [](const econ::CostCurvesResult &curves, std::string name,
                                  Evidence evidence) {
        Series series{std::move(name), SeriesShape::Line, evidence, 1, {}};
        for (const econ::CurvePoint &point : curves.declineCurve)
            series.points.push_back({point.year, point.value / kMillion, {}, {}, "Decline curve"});
        return series;
    };
    if (!result.declineCurve.empty()) {
        const std::string from = result.reference ? " from " + result.reference->entity : "";
        chart.series.push_back(declineSeries(result, "Cost at the slider decline" + from,
                                             Evidence::Modelled));
    }
    if (baseline && !baseline->declineCurve.empty())
        chart.series.push_back(declineSeries(*baseline, "Decline at defaults", Evidence::Baseline));
    chart.figureIds = collectFigureIds(chart);
    return chart;
}

ChartSpec tokenPriceChart(const econ::CostCurvesResult &result, const ViewPlotOptions &options,
                          double inputPerOutput, const FigureIndex &index)
{
    ChartSpec chart;
    chart.key = "token-prices";
    chart.title = "API price per million tokens, blended input:output";
    chart.x = yearAxis();
    chart.y = valueAxis("Price", "US$ per 1M tokens", AxisScale::Log, true);

    std::optional<double> cutYear;
    for (const econ::TierFit &fit : result.fits) {
        const int colour = static_cast<int>(fit.tier);
        std::string tier{econ::priceTierName(fit.tier)};
        tier[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(tier[0])));
        std::vector<Point> prices;
        for (const econ::BlendedPrice &price : result.prices) {
            if (price.tier == fit.tier)
                prices.push_back({price.year, price.blendedUsdPerMTok, {}, price.outputFigureId,
                                  price.model});
        }
        addCitedPoints(chart, tier, colour, prices, index);
        if (!fit.projection.empty()) {
            // A projection is dashed like every projection, and drawn only while the price stays
            // within a hundredth of the tier's newest cited price: past that the trend is a
            // formula, not evidence.
            Series projection{tier + ", projected", SeriesShape::Line,
                              Evidence::Projected, colour, {}};
            const double floor = fit.projection.front().value / kPlausiblePriceFall;
            for (const econ::CurvePoint &point : fit.projection) {
                if (point.value < floor) {
                    cutYear = cutYear ? std::min(*cutYear, point.year) : point.year;
                    break;
                }
                projection.points.push_back({point.year, point.value, {}, {}, tier + " projection"});
            }
            chart.series.push_back(std::move(projection));
        }
    }
    if (cutYear)
        chart.note = "Each projection stops where the price has fallen a hundredfold from the "
                     "tier's newest price (the first in " + printed("%.0f", std::floor(*cutYear)) +
                     "): beyond that the trend is arithmetic, not evidence.";
    if (const auto &machine = options.machineCost) {
        const double blended = econ::blendedPriceUsdPerMTok(machine->inputUsdPerMTok,
                                                            machine->outputUsdPerMTok, inputPerOutput);
        chart.series.push_back({machine->label, SeriesShape::Points, Evidence::Modelled, 6,
                                {{machine->year, blended, {}, {}, machine->label}}});
    }
    // The blended price needs both list prices, so cite the input figures too.
    std::vector<std::string> inputIds;
    for (const econ::BlendedPrice &price : result.prices)
        inputIds.push_back(price.inputFigureId);
    chart.figureIds = collectFigureIds(chart, inputIds);
    return chart;
}

Result<ViewPlot> costCurvesPlot(const std::vector<Figure> &figures, const econ::Scenario &scenario,
                                const ViewPlotOptions &options, const FigureIndex &index)
{
    auto result = econ::computeCostCurves(figures, scenario);
    if (!result)
        return result.error();
    std::optional<econ::CostCurvesResult> baseline;
    if (options.compareWithDefaults) {
        if (auto atDefaults = econ::computeCostCurves(figures, econ::Scenario{}))
            baseline = std::move(*atDefaults);
    }
    ViewPlot plot;
    plot.headline = "At these settings the cost of a fixed capability falls "
                    + printed("%.2g", result->costDeclineFactorPerYear) + "\u00d7 a year";
    if (result->reference && result->follower) {
        plot.headline += ": " + result->follower->entity + " at " + formatUsd(result->follower->costUsd)
                         + " is " + printed("%.3g", result->followerCostRatio) + "\u00d7 below "
                         + result->reference->entity + " at " + formatUsd(result->reference->costUsd)
                         + ", a lag of " + printed("%.0f", result->predictedLagMonths)
                         + " months (observed: " + printed("%.0f", result->observedLagMonths) + ")";
    }
    plot.headline += ".";
    plot.charts.push_back(trainingCostChart(*result, baseline ? &*baseline : nullptr, index));
    plot.charts.push_back(tokenPriceChart(
        *result, options, scenario.value(econ::AssumptionId::InputOutputRatio), index));
    plot.notes = result->notes;
    return plot;
}

// ---- View 3: is the moat dissolving? ------------------------------------------------------------

std::vector<Point> moatPoints(const std::vector<econ::MoatPoint> &points, double scale = 1.0)
{
    std::vector<Point> out;
    for (const econ::MoatPoint &point : points)
        out.push_back({point.year, point.value * scale, {}, point.figureId,
                       point.entity + ": " + point.metric});
    return out;
}

Result<ViewPlot> moatPlot(const std::vector<Figure> &figures, const econ::Scenario &scenario,
                          const FigureIndex &index)
{
    auto result = econ::computeMoat(figures, scenario);
    if (!result)
        return result.error();
    ViewPlot plot;

    ChartSpec share;
    share.key = "leaderboard-share";
    share.title = "Chinese and open models on the leaderboards";
    share.x = yearAxis();
    share.y = valueAxis("Share", "%");
    // One series per entity: Chinese labs' places and US developers' downloads are different things.
    int colour = 0;
    for (const auto &[points, what] : {std::pair{&result->top10Share, ": places in the Arena top 10"},
                                       std::pair{&result->downloadShare, ": share of downloads"}}) {
        for (const std::string &entity : distinctEntities(*points, [](const auto &) { return true; })) {
            std::vector<econ::MoatPoint> own;
            std::copy_if(points->begin(), points->end(), std::back_inserter(own),
                         [&entity](const econ::MoatPoint &point) { return point.entity == entity; });
            addCitedPoints(share, entity + what, colour++, moatPoints(own), index);
        }
    }
    share.figureIds = collectFigureIds(share);
    plot.charts.push_back(std::move(share));

    ChartSpec gap;
    gap.key = "open-closed-gap";
    gap.title = "How far open models trail the frontier";
    gap.x = yearAxis();
    gap.y = valueAxis("Capability gap", "months");
    std::vector<econ::MoatPoint> fitted;
    std::vector<econ::MoatPoint> notFitted;
    for (const econ::MoatPoint &point : result->gapMonths)
        (point.fedFit ? fitted : notFitted).push_back(point);
    addCitedPoints(gap, "Measured gap (fitted)", 2, moatPoints(fitted), index);
    addCitedPoints(gap, "Beliefs and plans (not fitted)", 3, moatPoints(notFitted), index);
    if (result->gapTrendFitted && !fitted.empty()) {
        double first = fitted.front().year;
        double last = first;
        for (const econ::MoatPoint &point : fitted) {
            first = std::min(first, point.year);
            last = std::max(last, point.year);
        }
        const double end = result->gapClosesYear ? std::max(last, *result->gapClosesYear) : last + 1.0;
        Series trend{"Fitted trend", SeriesShape::Line, Evidence::Modelled, 2, {}};
        for (double year : {first, end}) {
            const double months = result->gapTrendInterceptMonths
                                  + result->gapTrendMonthsPerYear * (year - result->gapTrendReferenceYear);
            trend.points.push_back({year, std::max(0.0, months), {}, {}, "Fitted gap"});
        }
        gap.series.push_back(std::move(trend));
    }
    gap.figureIds = collectFigureIds(gap);
    plot.charts.push_back(std::move(gap));

    if (!result->topScore.empty() || !result->topOpenScore.empty()) {
        ChartSpec scores;
        scores.key = "arena-scores";
        scores.title = "Arena score of the best model and the best open model";
        scores.x = yearAxis();
        scores.y = valueAxis("Arena score", "points");
        addCitedPoints(scores, "Best model overall", 0, moatPoints(result->topScore), index);
        addCitedPoints(scores, "Best open-weights model", 1, moatPoints(result->topOpenScore), index);
        scores.figureIds = collectFigureIds(scores);
        plot.charts.push_back(std::move(scores));
    }

    if (result->gapTrendFitted) {
        plot.headline = "Fitted through " + std::to_string(result->gapPointsFitted)
                        + " measurements, the open-vs-closed gap changes by "
                        + printed("%+.1f", result->gapTrendMonthsPerYear) + " months a year";
        plot.headline += result->gapClosesYear
                             ? "; the fitted line reaches zero in " + printed("%.0f", *result->gapClosesYear) + "."
                             : ".";
    } else {
        plot.headline = "Too few dated measurements of the gap to fit a trend.";
    }
    plot.notes = result->notes;
    return plot;
}

// ---- View 4: who strands first? -----------------------------------------------------------------

std::string factorLabel(econ::FragilityFactor factor)
{
    std::string name{econ::fragilityFactorName(factor)};
    std::replace(name.begin(), name.end(), '_', ' ');
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    return name;
}

Result<ViewPlot> fragilityPlot(const std::vector<Figure> &figures, const econ::Scenario &scenario,
                               const ViewPlotOptions &options, const FigureIndex &index)
{
    auto result = econ::computeFragility(figures, scenario);
    if (!result)
        return result.error();
    std::map<std::string, double> defaultScores;
    if (options.compareWithDefaults) {
        if (auto atDefaults = econ::computeFragility(figures, econ::Scenario{})) {
            for (const econ::FragilityScore &score : atDefaults->ranking)
                defaultScores[score.party] = score.score;
        }
    }
    ViewPlot plot;

    ChartSpec ranking;
    ranking.key = "fragility-ranking";
    ranking.title = "Fragility score by party, most fragile on top";
    ranking.horizontal = true;
    std::vector<std::string> categories;
    for (const econ::FragilityScore &score : result->ranking) {
        std::string label = score.party + (score.firm ? " (firm)" : "") + "  "
                            + printed("%.1f", score.score);
        if (const auto found = defaultScores.find(score.party);
            found != defaultScores.end() && std::abs(found->second - score.score) >= 0.05)
            label += printed(" (default %.1f)", found->second);
        categories.push_back(std::move(label));
    }
    ranking.x = categoryAxis("Party", categories);
    ranking.y = valueAxis("Score: 0 robust, 100 fragile", "");
    for (std::size_t f = 0; f < econ::kFragilityFactorCount; ++f) {
        const auto factor = static_cast<econ::FragilityFactor>(f);
        Series series{factorLabel(factor), SeriesShape::StackedBars, Evidence::Modelled,
                      static_cast<int>(f), {}};
        for (std::size_t p = 0; p < result->ranking.size(); ++p) {
            series.points.push_back({static_cast<double>(p), result->ranking[p].contributions[f], {}, {},
                                     result->ranking[p].party + ": " + factorLabel(factor)});
        }
        ranking.series.push_back(std::move(series));
    }
    std::vector<std::string> cdsIds;
    for (const econ::CdsReading &cds : result->cds)
        cdsIds.push_back(cds.figureId);
    ranking.figureIds = collectFigureIds(ranking, cdsIds);
    plot.charts.push_back(std::move(ranking));

    ChartSpec credit;
    credit.key = "implied-default";
    credit.title = "Five-year default probability implied by CDS spreads";
    std::vector<std::string> firms;
    Series implied{"Implied at the recovery-rate slider", SeriesShape::Bars, Evidence::Modelled, 0, {}};
    std::vector<Point> cited;
    for (const econ::CdsReading &cds : result->cds) {
        const double x = static_cast<double>(firms.size());
        firms.push_back(cds.entity + " (" + printed("%.0f", cds.cdsSpreadBp) + " bp)");
        implied.points.push_back({x, cds.impliedPd5y * 100.0, {}, cds.figureId, cds.entity + " " + cds.period});
        if (cds.citedPd5yPercent)
            cited.push_back({x, *cds.citedPd5yPercent, {}, cds.citedPdFigureId, cds.entity + ": cited"});
    }
    credit.x = categoryAxis("Firm (5-year CDS spread)", firms);
    credit.y = valueAxis("Probability", "%");
    credit.series.push_back(std::move(implied));
    if (!cited.empty())
        credit.series.push_back({"Cited implied probability", SeriesShape::Bars,
                                 index.evidenceOf(cited.front().figureId), 1, {}});
    // Bars need one value per category; firms without a cited probability get zero.
    if (!cited.empty()) {
        Series &citedSeries = credit.series.back();
        for (std::size_t f = 0; f < firms.size(); ++f) {
            Point point{double(f), 0.0, {}, {}, firms[f] + ": no cited probability"};
            for (const Point &c : cited) {
                if (c.x == double(f))
                    point = c;
            }
            citedSeries.points.push_back(point);
        }
    }
    credit.figureIds = collectFigureIds(credit);
    plot.charts.push_back(std::move(credit));

    if (!result->ranking.empty()) {
        const auto &least = result->ranking.front();
        const auto &most = result->ranking.back();
        plot.headline = "Most fragile: " + most.party + " (" + printed("%.1f", most.score)
                        + "); least fragile: " + least.party + " (" + printed("%.1f", least.score) + ").";
    }
    return plot;
}

// ---- View 5: have we seen this before? ----------------------------------------------------------

Result<ViewPlot> fiberPlot(const std::vector<Figure> &figures, const econ::Scenario &scenario,
                           const ViewPlotOptions &options, const FigureIndex &index)
{
    auto result = econ::computeFiberJevons(figures, scenario);
    if (!result)
        return result.error();
    std::optional<econ::FiberResult> baseline;
    if (options.compareWithDefaults) {
        if (auto atDefaults = econ::computeFiberJevons(figures, econ::Scenario{}))
            baseline = std::move(*atDefaults);
    }
    ViewPlot plot;
    // The fleet and its costs grow from the cited capex path.
    std::vector<std::string> capexIds;
    const int lastYear = result->years.empty() ? result->baseYear : result->years.back().year;
    for (const econ::CapexYear &year :
         econ::buildCapexPath(figures, scenario, lastYear)) {
        capexIds.insert(capexIds.end(), year.figureIds.begin(), year.figureIds.end());
    }

    ChartSpec volume;
    volume.key = "demand-vs-capacity";
    volume.title = "Compute demanded vs compute built";
    volume.x = yearAxis();
    volume.y = valueAxis("Compute", "x base year", AxisScale::Log, true);
    Series demand{"Demand (Jevons)", SeriesShape::Line, Evidence::Modelled, 0, {}};
    Series capacity{"Capacity of the live fleet", SeriesShape::Line, Evidence::Modelled, 1, {}};
    // Demand far beyond the fleet is the Jevons formula run past any evidence: it is drawn
    // while it stays within kPlausibleDemandOverCapacity times the fleet, and the note says so.
    std::optional<int> demandLeavesRange;
    for (const econ::FiberYear &year : result->years) {
        if (!demandLeavesRange && year.demandUnits > double(kPlausibleDemandOverCapacity) * year.capacityUnits)
            demandLeavesRange = year.year;
        if (!demandLeavesRange)
            demand.points.push_back({double(year.year), year.demandUnits, {}, {}, "Demand"});
        capacity.points.push_back({double(year.year), year.capacityUnits, {}, {}, "Capacity"});
    }
    if (demandLeavesRange)
        volume.note = "Demand is drawn while it stays within " + std::to_string(kPlausibleDemandOverCapacity) +
                      " times the fleet; from " + std::to_string(*demandLeavesRange) +
                      " the Jevons demand runs beyond that, past any cited evidence.";
    volume.series.push_back(std::move(demand));
    volume.series.push_back(std::move(capacity));
    volume.figureIds = collectFigureIds(volume, capexIds);
    plot.charts.push_back(std::move(volume));

    ChartSpec utilisation;
    utilisation.key = "utilisation";
    utilisation.title = "Share of the fleet in use, beside fiber lit at the bust";
    utilisation.x = yearAxis();
    utilisation.y = valueAxis("In use", "%");
    const auto utilisationSeries = [](const econ::FiberResult &fiber, std::string name,
                                      Evidence evidence) {
        Series series{std::move(name), SeriesShape::Line, evidence, 0, {}};
        for (const econ::FiberYear &year : fiber.years)
            series.points.push_back({double(year.year), year.utilisation * 100.0, {}, {}, "In use"});
        return series;
    };
    utilisation.series.push_back(utilisationSeries(*result, "AI compute in use", Evidence::Modelled));
    if (baseline)
        utilisation.series.push_back(utilisationSeries(*baseline, "In use at defaults", Evidence::Baseline));
    std::vector<std::string> litIds;
    for (const econ::FiberComparison &lit : result->litShareAtBust) {
        utilisation.markers.push_back({false, lit.value,
                                       "Fiber in use, " + lit.period.substr(0, 4) + ": "
                                           + printed("%.3g", lit.value) + "%"});
        litIds.push_back(lit.figureId);
    }
    utilisation.figureIds = collectFigureIds(utilisation, litIds);
    plot.charts.push_back(std::move(utilisation));

    ChartSpec coverage;
    coverage.key = "cash-coverage";
    coverage.title = "Cash flow against depreciation and debt service";
    coverage.x = yearAxis();
    coverage.y = valueAxis("US dollars per year", "US$ billions");
    Series cash{"Operating cash flow", SeriesShape::Line, Evidence::Modelled, 2, {}};
    Series charges{"Depreciation + debt service", SeriesShape::Line, Evidence::Modelled, 5, {}};
    for (const econ::FiberYear &year : result->years) {
        cash.points.push_back({double(year.year), year.cashFlowUsd / kBillion, {}, {}, "Cash flow"});
        charges.points.push_back({double(year.year),
                                  (year.depreciationUsd + year.debtServiceUsd) / kBillion, {}, {},
                                  "Depreciation + debt service"});
    }
    coverage.series.push_back(std::move(cash));
    coverage.series.push_back(std::move(charges));
    if (result->strandYear)
        coverage.markers.push_back({true, double(*result->strandYear),
                                    "Strands in " + std::to_string(*result->strandYear)});
    coverage.figureIds = collectFigureIds(coverage, capexIds);
    plot.charts.push_back(std::move(coverage));

    ChartSpec era;
    era.key = "fiber-era";
    era.title = "The fiber bust of 1999-2002 in dollars";
    era.horizontal = true;
    Series amounts{"Fiber era, cited", SeriesShape::Bars, Evidence::Reported, 3, {}};
    std::vector<std::string> labels;
    // The bars are what the bust cost: value lost, debt at failure or defaulted, money lent or
    // sunk. Yearly flows (capex, revenue) are series; quarterly revenue is drawn below.
    const auto isQuarterly = [](const econ::FiberComparison &item) {
        return item.unit == "USD" && econ::containsNoCase(item.metric, "quarterly");
    };
    const auto isLoss = [](const econ::FiberComparison &item) {
        for (const char *word : {"market value", "lost", "extinguished", "debt", "financing",
                                 "spend on fiber"}) {
            if (econ::containsNoCase(item.metric, word))
                return true;
        }
        return false;
    };
    // Smallest first: a horizontal chart lists its first category at the bottom, so the largest
    // sum leads. The period stays in the label; the tooltip has the figure in full.
    std::vector<const econ::FiberComparison *> losses;
    for (const econ::FiberComparison &item : result->fiberEra) {
        if (item.unit == "USD" && !isQuarterly(item) && isLoss(item))
            losses.push_back(&item);
    }
    std::stable_sort(losses.begin(), losses.end(),
                     [](const auto *a, const auto *b) { return a->value < b->value; });
    for (const econ::FiberComparison *item : losses) {
        amounts.points.push_back({double(labels.size()), item->value / kBillion, {}, item->figureId,
                                  item->entity + ": " + item->metric + " (" + item->period + ")"});
        const auto span = parsePeriod(item->period);
        const int first = span ? int(std::floor(span->startYear)) : 0;
        const int last = span ? int(std::ceil(span->endYear)) - 1 : 0;
        const std::string years = !span ? item->period
                                  : first == last ? std::to_string(first)
                                                  : std::to_string(first) + "-" + std::to_string(last);
        labels.push_back(item->entity + ": " + item->metric + ", " + years);
    }
    era.x = categoryAxis("", labels);
    // The sums span from half a billion to trillions: on a linear axis most bars vanish.
    era.y = valueAxis("US dollars", "US$ billions", AxisScale::Log, true);
    era.series.push_back(std::move(amounts));
    era.figureIds = collectFigureIds(era);
    plot.charts.push_back(std::move(era));

    ChartSpec vendors;
    vendors.key = "fiber-vendors";
    vendors.title = "Telecom equipment makers' revenue through the bust";
    vendors.x = yearAxis();
    vendors.y = valueAxis("Revenue", "US$ billions");
    int colour = 0;
    for (const std::string &maker : distinctEntities(result->fiberEra, isQuarterly)) {
        std::vector<Point> points;
        for (const econ::FiberComparison &item : result->fiberEra) {
            const auto span = parsePeriod(item.period);
            if (isQuarterly(item) && item.entity == maker && span)
                points.push_back({0.5 * (span->startYear + span->endYear), item.value / kBillion,
                                  {}, item.figureId, maker + ", " + item.period});
        }
        std::sort(points.begin(), points.end(),
                  [](const Point &a, const Point &b) { return a.x < b.x; });
        addCitedPoints(vendors, maker, colour++, points, index);
    }
    if (!vendors.series.empty()) {
        vendors.note = "Each company's revenue as it reported it each quarter; fiscal quarters are "
                       "placed in the calendar quarter they mostly cover.";
        vendors.figureIds = collectFigureIds(vendors);
        plot.charts.push_back(std::move(vendors));
    }

    plot.headline = result->strandYear
                        ? "At these settings cash flow stops covering depreciation and debt "
                          "service in " + std::to_string(*result->strandYear) + "; "
                        : "At these settings cash flow covers depreciation and debt service through "
                              + std::to_string(result->years.empty() ? 0 : result->years.back().year)
                              + "; ";
    plot.headline += "at most " + printed("%.0f", result->peakIdleShare * 100.0)
                     + "% of the fleet stands idle (fiber: under 5% lit at the bust).";
    plot.notes = result->notes;
    return plot;
}

/// Marks every point that plots or is computed from one of the user's own figures, so that
/// every chart, tooltip and export built from the plot says whose number it is.
void markUserFigures(ViewPlot &plot, const FigureIndex &index)
{
    for (ChartSpec &chart : plot.charts) {
        bool ringed = false;
        for (Series &series : chart.series) {
            const bool modelled = series.evidence == Evidence::Modelled
                                  || series.evidence == Evidence::Projected
                                  || series.evidence == Evidence::Baseline;
            for (Point &point : series.points) {
                const Figure *figure = point.figureId.empty() ? nullptr : index.find(point.figureId);
                if (!figure || !figure->userOwned)
                    continue;
                point.userOwned = true;
                point.label = (point.label.empty() ? series.name : point.label)
                              + (modelled ? " (from your figure)" : " (your figure)");
                ringed = ringed || series.shape == SeriesShape::Points;
            }
        }
        // The charts draw a ring around each user figure plotted as a marker.
        if (ringed)
            chart.appendNote("Ringed markers are your own figures.");
    }
}

} // namespace

Result<ViewPlot> buildViewPlot(EconomicView view, const std::vector<Figure> &figures,
                               const econ::Scenario &scenario, const ViewPlotOptions &options)
{
    const FigureIndex index(figures);
    Result<ViewPlot> plot = Error{"unknown view", {}, 0, {}};
    switch (view) {
    case EconomicView::RevenueGap:
        plot = revenueGapPlot(figures, scenario, options, index);
        break;
    case EconomicView::CostCurves:
        plot = costCurvesPlot(figures, scenario, options, index);
        break;
    case EconomicView::Moat:
        plot = moatPlot(figures, scenario, index);
        break;
    case EconomicView::Fragility:
        plot = fragilityPlot(figures, scenario, options, index);
        break;
    case EconomicView::FiberJevons:
        plot = fiberPlot(figures, scenario, options, index);
        break;
    }
    if (plot) {
        plot->view = view;
        plot->question = viewQuestion(view);
        markUserFigures(plot.value(), index);
        if (options.uncertainty && options.uncertainty->monteCarlo.view == view)
            addUncertainty(plot.value(), *options.uncertainty);
    }
    return plot;
}

std::string_view viewQuestion(EconomicView view)
{
    switch (view) {
    case EconomicView::RevenueGap:
        return "Does the build-out pay back?";
    case EconomicView::CostCurves:
        return "How fast does the cost of frontier capability fall?";
    case EconomicView::Moat:
        return "Is the moat dissolving?";
    case EconomicView::Fragility:
        return "Who strands first?";
    case EconomicView::FiberJevons:
        return "Have we seen this before?";
    }
    return {};
}

std::string_view viewMethod(EconomicView view)
{
    switch (view) {
    case EconomicView::RevenueGap:
        return econ::revenueGapMethod();
    case EconomicView::CostCurves:
        return econ::costCurvesMethod();
    case EconomicView::Moat:
        return econ::moatMethod();
    case EconomicView::Fragility:
        return econ::fragilityMethod();
    case EconomicView::FiberJevons:
        return econ::fiberJevonsMethod();
    }
    return {};
}

std::string sourceLine(const std::vector<std::string> &figureIds, const std::vector<Figure> &figures,
                       const std::vector<Source> &sources)
{
    std::vector<std::string> publishers;
    std::string newest; // ISO dates of any precision order as text ("2026-09" before "2026-09-20")
    for (const std::string &id : figureIds) {
        const auto figure = std::find_if(figures.begin(), figures.end(),
                                         [&](const Figure &f) { return f.id == id; });
        if (figure == figures.end())
            continue;
        newest = std::max(newest, figure->published);
        const auto source = std::find_if(sources.begin(), sources.end(),
                                         [&](const Source &s) { return s.id == figure->sourceId; });
        if (source == sources.end())
            continue;
        if (std::find(publishers.begin(), publishers.end(), source->publisher) == publishers.end())
            publishers.push_back(source->publisher);
    }
    if (publishers.empty())
        return {};
    // The date comes first so that a line cut short for space still carries it.
    std::string line;
    if (!newest.empty())
        line = "Figures as of " + readableDate(newest) + ". ";
    line += "Sources: ";
    for (std::size_t i = 0; i < publishers.size(); ++i)
        line += (i ? "; " : "") + publishers[i];
    return line + ".";
}

std::string readableDate(const std::string &isoDate)
{
    static const char *const kMonths[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
    const auto span = parsePeriod(isoDate);
    if (!span || (isoDate.size() != 7 && isoDate.size() != 10))
        return isoDate;
    const int month = std::stoi(isoDate.substr(5, 2));
    const std::string monthYear = std::string(kMonths[month - 1]) + " " + isoDate.substr(0, 4);
    return isoDate.size() == 7 ? monthYear : std::to_string(std::stoi(isoDate.substr(8, 2))) + " " + monthYear;
}

std::string formatUsd(double usd)
{
    const double magnitude = std::abs(usd);
    const char *sign = usd < 0 ? "-" : "";
    const auto scaled = [&](double divisor, const char *suffix) {
        const double value = magnitude / divisor;
        return sign + std::string("$") + printed(value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value) + suffix;
    };
    if (magnitude >= 1e12)
        return scaled(1e12, "T");
    if (magnitude >= 1e9)
        return scaled(1e9, "B");
    if (magnitude >= 1e6)
        return scaled(1e6, "M");
    if (magnitude >= 1e3)
        return scaled(1e3, "K");
    return sign + std::string("$") + printed("%.2f", magnitude);
}

} // namespace cliff::plot
