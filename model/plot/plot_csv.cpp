#include "plot_csv.h"

#include "core/csv.h"
#include "econ/scenario_link.h"
#include "uncertainty_plot.h"

namespace cliff::plot {

namespace {

/// x, y and y_high; every other column is text, written spreadsheet-safe.
const std::vector<std::size_t> &numberColumns()
{
    static const std::vector<std::size_t> columns = {2, 4, 5};
    return columns;
}

std::string axisText(const Axis &axis)
{
    if (axis.unit.empty() || axis.unit == axis.title)
        return axis.title;
    return axis.title + " (" + axis.unit + ")";
}

std::string kindOf(const Series &series, const Point &point, const ExportSubject &subject)
{
    switch (series.evidence) {
    case Evidence::Modelled:
        return "model";
    case Evidence::Projected:
        return "model projection";
    case Evidence::Baseline:
        return "model at defaults";
    case Evidence::Simulated:
        return "monte carlo";
    case Evidence::Compared:
        return "model, compared scenario";
    case Evidence::Reported:
    case Evidence::Unreported:
        break;
    }
    if (const Figure *figure = point.figureId.empty() ? nullptr : subject.findFigure(point.figureId))
        return figure->kind;
    return series.evidence == Evidence::Reported ? "reported" : "unreported";
}

std::string categoryOf(const ChartSpec &chart, double x)
{
    if (chart.x.kind != AxisKind::Category || x < 0)
        return {};
    const auto slot = static_cast<std::size_t>(x);
    return slot < chart.x.categories.size() ? chart.x.categories[slot] : std::string();
}

/// "user" for the user's own figures, "shipped" for the app's, "" for values a model computed
/// (whose label says when they were computed from the user's figure).
std::string originOf(const Series &series, const Figure *figure)
{
    if (!figure || series.evidence == Evidence::Modelled || series.evidence == Evidence::Projected
        || series.evidence == Evidence::Baseline)
        return {};
    return figure->userOwned ? "user" : "shipped";
}

} // namespace

const std::vector<std::string> &plotCsvColumns()
{
    static const std::vector<std::string> columns{"chart", "series", "x", "category", "y", "y_high",
                                                  "unit", "kind", "figure_id", "source_id", "label",
                                                  "origin"};
    return columns;
}

std::string plotCsv(const ExportSubject &subject)
{
    std::string out = csv::formatComment(appLine());
    out += csv::formatComment("view: " + subject.viewKey() + ": " + subject.plot.question);
    for (std::size_t i = 0; i < subject.charts.size(); ++i) {
        const ChartSpec &chart = subject.chart(i);
        out += csv::formatComment("chart: " + chart.key + ": " + chart.title);
        out += csv::formatComment(
            "  x: " + axisText(chart.x)
            + (chart.x.kind == AxisKind::Category ? " (x is the category's index)" : "")
            + "; y: " + axisText(chart.y)
            + (chart.y.scale == AxisScale::Log ? " (drawn on a log scale)" : ""));
    }
    out += csv::formatComment("scenario: "
                              + econ::formatScenarioLink(subject.viewKey(), subject.scenario));
    for (const std::string &context : {subject.plot.comparison, subject.plot.evidence}) {
        if (!context.empty()) // what the rows of kind "model, compared scenario" are, and the date
            out += csv::formatComment(context);
    }
    if (subject.plot.draws > 0)
        out += csv::formatComment(
            "monte carlo: " + drawsAndSeed(subject.plot.draws, subject.plot.seed)
            + "; kind \"monte carlo\" rows are quantiles or shares across the draws");
    const std::vector<std::string> changed = changedAssumptionLines(subject);
    if (changed.empty())
        out += csv::formatComment("assumptions changed from the defaults: none");
    for (const std::string &line : changed)
        out += csv::formatComment("assumption changed: " + line);
    for (const Source &source : subject.citedSources()) {
        out += csv::formatComment("source: " + source.id + ": " + source.publisher + ", \u201c"
                                  + source.title + "\u201d, " + source.published
                                  + (source.url.empty() ? "" : ", " + source.url)
                                  + (source.tier.empty() ? "" : "; tier " + source.tier));
    }
    if (const std::string own = userFiguresLine(subject); !own.empty())
        out += csv::formatComment(own);
    out += csv::formatRecord(plotCsvColumns());

    for (std::size_t i = 0; i < subject.charts.size(); ++i) {
        const ChartSpec &chart = subject.chart(i);
        const std::string unit = chart.y.unit.empty() ? chart.y.title : chart.y.unit;
        for (const Series &series : chart.series) {
            for (const Point &point : series.points) {
                if (!isPlottedValue(series, point))
                    continue;
                const Figure *figure = point.figureId.empty() ? nullptr : subject.findFigure(point.figureId);
                out += csv::formatRecord({chart.key, series.name, econ::formatDouble(point.x),
                                          categoryOf(chart, point.x), econ::formatDouble(point.y),
                                          point.yHigh ? econ::formatDouble(*point.yHigh) : std::string(),
                                          unit, kindOf(series, point, subject), point.figureId,
                                          figure ? figure->sourceId : std::string(), point.label,
                                          originOf(series, figure)},
                                         numberColumns());
            }
        }
        for (const Marker &marker : chart.markers) {
            out += csv::formatRecord({chart.key, marker.label,
                                      marker.vertical ? econ::formatDouble(marker.value) : std::string(),
                                      {}, marker.vertical ? std::string() : econ::formatDouble(marker.value),
                                      {}, marker.vertical ? chart.x.unit : unit, "marker", {}, {},
                                      marker.vertical ? "vertical line" : "horizontal line", {}},
                                     numberColumns());
        }
    }
    return out;
}

} // namespace cliff::plot
