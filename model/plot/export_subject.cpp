#include "export_subject.h"

#include "core/untrusted_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#ifndef CLIFF_VERSION
#error "CLIFF_VERSION must be defined by the build"
#endif

namespace cliff::plot {

namespace {

/// `value` with up to `significant` significant digits and no trailing zeros: "12", "0.355".
std::string shortNumber(double value, int significant = 4)
{
    char buffer[64];
    if (std::abs(value) >= 1e15 || (value != 0.0 && std::abs(value) < 1e-4)) {
        std::snprintf(buffer, sizeof buffer, "%.*g", significant, value);
        return buffer;
    }
    const int magnitude = value == 0.0 ? 0 : int(std::floor(std::log10(std::abs(value))));
    const int decimals = std::max(0, significant - 1 - magnitude);
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0')
            text.pop_back();
        if (text.back() == '.')
            text.pop_back();
    }
    return text == "-0" ? "0" : text;
}

std::string yearText(double year)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, year == std::floor(year) ? "%.0f" : "%.1f", year);
    return buffer;
}

/// "a", "a and b", "a, b and c".
std::string joinedList(const std::vector<std::string> &items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += i + 1 == items.size() ? " and " : ", ";
        out += items[i];
    }
    return out;
}

std::string_view shapeWord(SeriesShape shape, bool plural)
{
    switch (shape) {
    case SeriesShape::Line:
        return plural ? "lines" : "a line";
    case SeriesShape::Points:
        return plural ? "points" : "points";
    case SeriesShape::Bars:
        return plural ? "bars" : "bars";
    case SeriesShape::StackedBars:
        return plural ? "stacked bar segments" : "stacked bar segments";
    case SeriesShape::Band:
        return plural ? "shaded bands" : "a shaded band";
    }
    return {};
}

/// "lines for A and B, a shaded band for C": the series grouped by how they are drawn, each
/// name once (the reported and unreported halves of a cited series share one name).
std::string seriesDescription(const ChartSpec &chart)
{
    constexpr SeriesShape kOrder[] = {SeriesShape::Line, SeriesShape::Band, SeriesShape::Bars,
                                      SeriesShape::StackedBars, SeriesShape::Points};
    std::vector<std::string> parts;
    for (SeriesShape shape : kOrder) {
        std::vector<std::string> names;
        for (const Series &series : chart.series) {
            if (series.shape == shape && std::find(names.begin(), names.end(), series.name) == names.end())
                names.push_back(series.name);
        }
        if (names.empty())
            continue;
        parts.push_back(std::string(shapeWord(shape, names.size() > 1)) + " for " + joinedList(names));
    }
    return joinedList(parts);
}

struct Range {
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    void add(double v)
    {
        if (std::isfinite(v)) {
            low = std::min(low, v);
            high = std::max(high, v);
        }
    }
    [[nodiscard]] bool valid() const { return low <= high; }
};

/// The y values a reader sees: every plotted value and upper edge, stacked bars as totals.
Range yRange(const ChartSpec &chart)
{
    Range range;
    std::vector<double> stacked(chart.x.categories.size(), 0.0);
    bool anyStacked = false;
    for (const Series &series : chart.series) {
        for (const Point &point : series.points) {
            if (!isPlottedValue(series, point))
                continue;
            if (series.shape == SeriesShape::StackedBars) {
                const auto slot = static_cast<std::size_t>(point.x);
                if (slot < stacked.size()) {
                    stacked[slot] += point.y;
                    anyStacked = true;
                }
                continue;
            }
            range.add(point.y);
            if (point.yHigh)
                range.add(*point.yHigh);
        }
    }
    if (anyStacked) {
        for (double total : stacked)
            range.add(total);
    }
    return range;
}

Range xRange(const ChartSpec &chart)
{
    Range range;
    for (const Series &series : chart.series) {
        for (const Point &point : series.points) {
            if (isPlottedValue(series, point))
                range.add(point.x);
        }
    }
    return range;
}

std::string unitSuffix(const Axis &axis)
{
    if (axis.unit.empty())
        return {};
    if (axis.unit == "%")
        return "%";
    return " " + axis.unit;
}


} // namespace

std::string chartSentence(const ChartSpec &chart)
{
    std::string text = "The chart \u201c" + chart.title + "\u201d shows " + seriesDescription(chart);
    if (chart.x.kind == AxisKind::Year) {
        const Range x = xRange(chart);
        if (x.valid())
            text += " by year from " + yearText(std::floor(x.low)) + " to " + yearText(std::ceil(x.high));
    } else if (chart.x.kind == AxisKind::Category && !chart.x.categories.empty()) {
        constexpr std::size_t kListed = 6;
        std::vector<std::string> names(chart.x.categories.begin(),
                                       chart.x.categories.begin()
                                           + std::ptrdiff_t(std::min(kListed, chart.x.categories.size())));
        if (chart.x.categories.size() > kListed)
            names.push_back(std::to_string(chart.x.categories.size() - kListed) + " more");
        text += chart.x.title.empty()
                    ? " for each of " + std::to_string(chart.x.categories.size()) + " items: "
                    : " for each " + lowerFirst(chart.x.title) + ": ";
        text += joinedList(names);
    } else {
        const Range x = xRange(chart);
        if (x.valid())
            text += " against " + lowerFirst(chart.x.title) + " from " + readableNumber(x.low) + " to "
                    + readableNumber(x.high) + unitSuffix(chart.x);
    }
    text += ".";
    const Range y = yRange(chart);
    if (y.valid()) {
        text += " " + chart.y.title + (chart.y.unit.empty() ? "" : " (" + chart.y.unit + ")")
                + " runs from " + readableNumber(y.low) + " to " + readableNumber(y.high);
        text += chart.y.scale == AxisScale::Log ? ", on a logarithmic scale." : ".";
    }
    if (!chart.markers.empty()) {
        std::vector<std::string> labels;
        for (const Marker &marker : chart.markers)
            labels.push_back(marker.label);
        text += " Reference lines mark " + joinedList(labels) + ".";
    }
    return text;
}

std::string_view appVersion()
{
    return CLIFF_VERSION;
}

bool isPlottedValue(const Series &series, const Point &point)
{
    // Bars of cited series are padded with zeros where a category has no figure.
    const bool cited = series.evidence == Evidence::Reported || series.evidence == Evidence::Unreported;
    return !(cited && point.figureId.empty() && (series.shape == SeriesShape::Bars
                                                 || series.shape == SeriesShape::StackedBars));
}

std::string ExportSubject::chartKey() const
{
    return allCharts() ? std::string(kAllCharts) : chart(0).key;
}

std::string ExportSubject::viewKey() const
{
    return std::string(econ::economicViewKey(plot.view));
}

std::vector<std::string> ExportSubject::figureIds() const
{
    std::set<std::string> ids;
    for (std::size_t i = 0; i < charts.size(); ++i)
        ids.insert(chart(i).figureIds.begin(), chart(i).figureIds.end());
    return {ids.begin(), ids.end()};
}

const Figure *ExportSubject::findFigure(const std::string &id) const
{
    const auto found = std::find_if(figures.begin(), figures.end(),
                                    [&](const Figure &figure) { return figure.id == id; });
    return found == figures.end() ? nullptr : &*found;
}

const Source *ExportSubject::findSource(const std::string &id) const
{
    const auto found = std::find_if(sources.begin(), sources.end(),
                                    [&](const Source &source) { return source.id == id; });
    return found == sources.end() ? nullptr : &*found;
}

std::vector<Source> ExportSubject::citedSources() const
{
    std::vector<Source> cited;
    for (const std::string &id : figureIds()) {
        const Figure *figure = findFigure(id);
        const Source *source = figure ? findSource(figure->sourceId) : nullptr;
        if (source && std::none_of(cited.begin(), cited.end(),
                                   [&](const Source &s) { return s.id == source->id; }))
            cited.push_back(*source);
    }
    return cited;
}

std::string ExportSubject::fileStem() const
{
    return viewKey() + "-" + chartKey();
}

std::string_view leadChartKey(econ::EconomicView view)
{
    switch (view) {
    case econ::EconomicView::RevenueGap:
        return "required-vs-projected";
    case econ::EconomicView::CostCurves:
        return "training-cost";
    case econ::EconomicView::Moat:
        return "open-closed-gap";
    case econ::EconomicView::Fragility:
        return "fragility-ranking";
    case econ::EconomicView::FiberJevons:
        return "cash-coverage";
    }
    return {};
}

std::vector<std::string> chartKeys(const ViewPlot &plot)
{
    std::vector<std::string> keys;
    for (const ChartSpec &chart : plot.charts)
        keys.push_back(chart.key);
    return keys;
}

Result<ExportSubject> makeExportSubject(ViewPlot plot, std::string_view chartKey,
                                        const econ::Scenario &scenario, std::vector<Figure> figures,
                                        std::vector<Source> sources)
{
    if (plot.charts.empty())
        return Error{"the view has no chart to export", {}, 0, "chart"};
    ExportSubject subject;
    if (chartKey == kAllCharts) {
        for (std::size_t i = 0; i < plot.charts.size(); ++i)
            subject.charts.push_back(i);
    } else {
        const std::string_view wanted = chartKey.empty() ? leadChartKey(plot.view) : chartKey;
        const auto found = std::find_if(plot.charts.begin(), plot.charts.end(),
                                        [&](const ChartSpec &chart) { return chart.key == wanted; });
        if (found != plot.charts.end()) {
            subject.charts.push_back(std::size_t(found - plot.charts.begin()));
        } else if (chartKey.empty()) {
            subject.charts.push_back(0);
        } else {
            std::string keys;
            for (const std::string &key : chartKeys(plot))
                keys += key + ", ";
            return Error{"unknown chart " + quoteUntrusted(chartKey) + " for view "
                             + std::string(econ::economicViewKey(plot.view)) + " (one of: " + keys
                             + std::string(kAllCharts) + ")",
                         {}, 0, "chart"};
        }
    }
    subject.plot = std::move(plot);
    subject.scenario = scenario;
    subject.figures = std::move(figures);
    subject.sources = std::move(sources);
    return subject;
}

std::string defaultTitle(const ExportSubject &subject)
{
    return subject.allCharts() ? subject.plot.question : subject.chart(0).title;
}

std::string defaultSubtitle(const ExportSubject &subject)
{
    // The headline speaks about the lead chart; another chart alone gets the view's question.
    if (subject.allCharts() || subject.chart(0).key == leadChartKey(subject.plot.view))
        return subject.plot.headline;
    return subject.plot.question;
}

std::vector<const Figure *> userFigures(const ExportSubject &subject)
{
    std::vector<const Figure *> own;
    for (const std::string &id : subject.figureIds()) {
        if (const Figure *figure = subject.findFigure(id); figure && figure->userOwned)
            own.push_back(figure);
    }
    return own;
}

std::string userFiguresLine(const ExportSubject &subject)
{
    std::vector<std::string> names;
    for (const Figure *figure : userFigures(subject))
        names.push_back(figure->entity + ", " + figure->metric + ", " + figure->period);
    if (names.empty())
        return {};
    std::string line = "Your own figures, not from the app's sources: ";
    for (std::size_t i = 0; i < names.size(); ++i)
        line += (i ? "; " : "") + names[i];
    return line + ".";
}

std::string exportSourceLine(const ExportSubject &subject)
{
    std::string line = sourceLine(subject.figureIds(), subject.figures, subject.sources);
    if (line.empty())
        line = "Source: " + std::string(kAppName)
               + " model output at the assumptions stated; the chart plots no cited figure.";
    if (const std::string own = userFiguresLine(subject); !own.empty())
        line += " " + own;
    return line;
}

std::string lowerFirst(std::string text)
{
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    return text;
}

std::string readableNumber(double value)
{
    // Rounding noise of a model (1.46e-13 months) is zero to a reader.
    if (std::abs(value) < 1e-9)
        return "0";
    std::string text = shortNumber(value, 3);
    if (text.find('e') != std::string::npos)
        return text;
    const std::size_t point = std::min(text.find('.'), text.size());
    const std::size_t digitsStart = text.front() == '-' ? 1 : 0;
    for (std::size_t at = point; at > digitsStart + 3; at -= 3)
        text.insert(at - 3, ",");
    return text;
}

std::string quantityText(double value, std::string_view unit)
{
    if (unit == "US$ billions")
        return formatUsd(value * 1e9);
    if (unit == "US$ millions")
        return formatUsd(value * 1e6);
    if (unit == "US$" || unit.starts_with("US$ per ")) {
        const std::string per = unit == "US$" ? std::string() : std::string(unit.substr(3));
        if (std::abs(value) >= 1.0)
            return formatUsd(value) + per;
        return (value < 0 ? "-$" : "$") + readableNumber(std::abs(value)) + per;
    }
    if (unit == "%")
        return readableNumber(value) + "%";
    if (unit == "x" || unit.starts_with("x "))
        return readableNumber(value) + "\u00d7" + std::string(unit.substr(1));
    if (unit.empty())
        return readableNumber(value);
    return readableNumber(value) + " " + std::string(unit);
}

std::string formatAssumptionValue(const econ::Assumption &entry, double value)
{
    const std::string_view unit = entry.unit;
    if (unit.starts_with("fraction")) {
        std::string_view rest = unit.substr(std::string_view("fraction").size());
        return shortNumber(value * 100.0) + "%" + std::string(rest);
    }
    if (unit.starts_with("share") || unit.starts_with("debt"))
        return shortNumber(value * 100.0) + "%"; // the label already says share of what
    if (unit == "x" || unit.starts_with("x "))
        return shortNumber(value) + "\u00d7" + std::string(unit.substr(1));
    return shortNumber(value) + " " + std::string(unit);
}

std::vector<std::string> changedAssumptionLines(const ExportSubject &subject)
{
    std::vector<std::string> lines;
    for (econ::AssumptionId id : econ::viewAssumptions(subject.plot.view)) {
        const econ::Assumption &entry = econ::assumption(id);
        const double value = subject.scenario.value(id);
        if (value == entry.defaultValue)
            continue;
        lines.push_back(std::string(entry.label) + " " + formatAssumptionValue(entry, value)
                        + " (default " + formatAssumptionValue(entry, entry.defaultValue) + ")");
    }
    return lines;
}

bool plotsModelOutput(const ExportSubject &subject)
{
    if (econ::viewAssumptions(subject.plot.view).empty())
        return false;
    for (std::size_t i = 0; i < subject.charts.size(); ++i) {
        for (const Series &series : subject.chart(i).series) {
            if (series.evidence != Evidence::Reported && series.evidence != Evidence::Unreported)
                return true;
        }
    }
    return false;
}

namespace {

// The footnote's assumptions and chances, without the evidence date.
std::string assumptionsAndChances(const ExportSubject &subject)
{
    const std::string chances =
        subject.plot.chances.empty() ? std::string() : " " + subject.plot.chances;
    if (!plotsModelOutput(subject))
        return (subject.allCharts() ? "The charts plot cited figures only; no assumption changes them."
                                    : "The chart plots cited figures only; no assumption changes it.")
               + chances;
    const std::vector<std::string> lines = changedAssumptionLines(subject);
    if (lines.empty())
        return "Every assumption of the model at its default value." + chances;
    std::string text = "Assumptions changed from the defaults: ";
    for (std::size_t i = 0; i < lines.size(); ++i)
        text += (i ? "; " : "") + lines[i];
    return text + "." + chances;
}

} // namespace

std::string assumptionFootnote(const ExportSubject &subject)
{
    // Compared scenarios name their own assumptions.
    const std::string rest = subject.plot.comparison.empty() ? assumptionsAndChances(subject)
                                                             : subject.plot.chances;
    std::string text;
    for (const std::string &part : {subject.plot.comparison, subject.plot.evidence, rest}) {
        if (!part.empty())
            text += (text.empty() ? "" : " ") + part;
    }
    return text;
}

std::string evidenceLine(const econ::EvidenceAsOf &asOf, econ::EconomicView view)
{
    std::string text = "Evidence as of " + readableDate(asOf.date) + ": " +
                       std::to_string(asOf.figures.size()) + " figures published by then";
    std::vector<std::string> leftOut;
    if (asOf.publishedLater > 0)
        leftOut.push_back(std::to_string(asOf.publishedLater) + " published later");
    if (asOf.undated > 0)
        leftOut.push_back(std::to_string(asOf.undated) + " without a publication date");
    if (leftOut.empty()) {
        text += "; none left out.";
    } else {
        text += "; ";
        for (std::size_t i = 0; i < leftOut.size(); ++i)
            text += (i ? " and " : "") + leftOut[i];
        text += " left out.";
    }
    const auto ids = econ::viewAssumptions(view);
    std::vector<std::string> later;
    for (econ::AssumptionId id : asOf.defaultsCitedLater) {
        if (std::find(ids.begin(), ids.end(), id) != ids.end())
            later.push_back(lowerFirst(std::string(econ::assumption(id).label)));
    }
    if (later.empty())
        return text;
    text += " Not yet cited then, though used: the default";
    text += later.size() > 1 ? "s of " : " of ";
    for (std::size_t i = 0; i < later.size(); ++i)
        text += (i == 0 ? "" : i + 1 == later.size() ? " and " : ", ") + later[i];
    return text + ".";
}

std::string appLine()
{
    return std::string(kAppName) + " " + std::string(appVersion());
}

std::string altText(const ExportSubject &subject)
{
    std::string text;
    for (std::size_t i = 0; i < subject.charts.size(); ++i)
        text += (i ? " " : "") + chartSentence(subject.chart(i));
    if (!subject.plot.headline.empty())
        text += " Headline: " + subject.plot.headline;
    if (!subject.plot.chances.empty())
        text += " " + subject.plot.chances;
    if (const std::string own = userFiguresLine(subject); !own.empty())
        text += " " + own;
    if (plotsModelOutput(subject)) {
        text += changedAssumptionLines(subject).empty() ? " All assumptions are at their defaults."
                                                        : " " + assumptionFootnote(subject);
    }
    return text;
}

} // namespace cliff::plot
