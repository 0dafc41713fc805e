#include "chart_builder.h"

#include "axis_ticks.h"
#include "bar_overlays.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QLegendMarker>
#include <QLocale>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cliff::ui {

namespace {

using plot::AxisKind;
using plot::AxisScale;
using plot::ChartSpec;
using plot::Evidence;
using plot::SeriesShape;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

bool isBarShape(SeriesShape shape)
{
    return shape == SeriesShape::Bars || shape == SeriesShape::StackedBars;
}

bool usesCategories(const ChartSpec &spec)
{
    return spec.x.kind == AxisKind::Category;
}

struct Extent {
    double xMin = std::numeric_limits<double>::max();
    double xMax = std::numeric_limits<double>::lowest();
    double yMin = std::numeric_limits<double>::max();
    double yMax = std::numeric_limits<double>::lowest();

    void addX(double x) { xMin = std::min(xMin, x); xMax = std::max(xMax, x); }
    void addY(double y) { yMin = std::min(yMin, y); yMax = std::max(yMax, y); }
    [[nodiscard]] bool hasY() const { return yMin <= yMax; }
    [[nodiscard]] bool hasX() const { return xMin <= xMax; }
};

bool plottable(double y, AxisScale scale)
{
    return std::isfinite(y) && (scale == AxisScale::Linear || y > 0.0);
}

/// The data extent, with stacked bars summed per category.
Extent extentOf(const ChartSpec &spec, AxisScale yScale)
{
    Extent extent;
    std::vector<double> stackedUp(spec.x.categories.size(), 0.0);
    std::vector<double> stackedDown(spec.x.categories.size(), 0.0);
    for (const plot::Series &series : spec.series) {
        for (const plot::Point &point : series.points) {
            extent.addX(point.x);
            if (series.shape == SeriesShape::StackedBars) {
                const auto slot = static_cast<std::size_t>(point.x);
                if (slot < stackedUp.size())
                    (point.y >= 0 ? stackedUp[slot] : stackedDown[slot]) += point.y;
                continue;
            }
            if (plottable(point.y, yScale))
                extent.addY(point.y);
            if (point.yHigh && plottable(*point.yHigh, yScale))
                extent.addY(*point.yHigh);
        }
    }
    for (std::size_t slot = 0; slot < stackedUp.size(); ++slot) {
        if (stackedUp[slot] != 0.0 || stackedDown[slot] != 0.0) {
            extent.addY(stackedUp[slot]);
            extent.addY(stackedDown[slot]);
        }
    }
    for (const plot::Marker &marker : spec.markers) {
        if (marker.vertical)
            extent.addX(marker.value);
        else if (plottable(marker.value, yScale))
            extent.addY(marker.value);
    }
    return extent;
}

/// Puts `ticks` on `axis` as labelled positions, replacing those of an earlier range.
void setTicks(QCategoryAxis &axis, const AxisTicks &ticks, bool years)
{
    for (const QString &label : axis.categoriesLabels())
        axis.remove(label);
    axis.setStartValue(ticks.low);
    for (double value : ticks.values)
        axis.append(years ? yearLabel(value) : tickLabel(value, ticks.decimals), value);
    axis.setRange(ticks.low, ticks.high);
}

/// The most intervals between value ticks, kept on the chart for updateChart.
constexpr const char *kValueIntervalsProperty = "cliffValueIntervals";

void applyRanges(QChart &chart, const ChartSpec &spec, AxisScale yScale)
{
    Extent extent = extentOf(spec, yScale);
    if (spec.fixedX) {
        extent.xMin = spec.fixedX->first;
        extent.xMax = spec.fixedX->second;
    }
    if (spec.fixedY) {
        extent.yMin = spec.fixedY->first;
        extent.yMax = spec.fixedY->second;
    }
    const bool categories = usesCategories(spec);
    const auto xAxes = chart.axes(spec.horizontal ? Qt::Vertical : Qt::Horizontal);
    const auto yAxes = chart.axes(spec.horizontal ? Qt::Horizontal : Qt::Vertical);
    if (xAxes.isEmpty() || yAxes.isEmpty())
        return;

    if (!categories && extent.hasX()) {
        if (auto *xAxis = qobject_cast<QCategoryAxis *>(xAxes.first())) {
            if (spec.x.kind == AxisKind::Year)
                setTicks(*xAxis, yearTicks(extent.xMin, extent.xMax), true);
            else
                setTicks(*xAxis, valueTicks(extent.xMin, extent.xMax), false);
        }
    }

    double low = extent.hasY() ? extent.yMin : 0.0;
    double high = extent.hasY() ? extent.yMax : 1.0;
    if (yScale == AxisScale::Log) {
        auto *yAxis = static_cast<QLogValueAxis *>(yAxes.first());
        if (!extent.hasY()) {
            low = 1.0;
            high = 10.0;
        }
        low = std::pow(10.0, std::floor(std::log10(low)));
        high = std::pow(10.0, std::ceil(std::log10(high)));
        if (high <= low)
            high = low * 10.0;
        // Past six decades a label every other decade keeps the ticks readable.
        const bool wide = std::log10(high / low) > 6.0;
        if (wide) {
            low = std::pow(100.0, std::floor(std::log10(low) / 2.0));
            high = std::pow(100.0, std::ceil(std::log10(high) / 2.0));
        }
        yAxis->setBase(wide ? 100.0 : 10.0);
        yAxis->setMinorTickCount(wide ? 0 : -1);
        yAxis->setRange(low, high);
        return;
    }
    auto *yAxis = qobject_cast<QCategoryAxis *>(yAxes.first());
    if (!yAxis)
        return;
    low = std::min(low, 0.0);
    if (high <= low)
        high = low + 1.0;
    // A share cannot pass 100%: a chart that reaches it ends there instead of at 150.
    const bool shareToFull = spec.y.unit == "%" && high > 50.0 && high <= 100.0;
    // Presentation type is large: fewer ticks keep their labels apart (see buildChart).
    const int intervals = chart.property(kValueIntervalsProperty).toInt();
    setTicks(*yAxis, valueTicks(low, shareToFull ? 100.0 : high + (high - low) * 0.05, intervals > 0 ? intervals : 6),
             false);
}

QPen seriesPen(const plot::Series &series, const ChartStyle &style)
{
    QPen pen(series.evidence == Evidence::Baseline ? style.baseline()
                                                   : style.seriesColour(series.colour));
    pen.setWidthF(series.evidence == Evidence::Baseline ? style.lineWidth() * 0.75 : style.lineWidth());
    if (series.evidence == Evidence::Compared) {
        // One dash per compared scenario, named alike in the footnote (plot::comparedDashName).
        static constexpr std::array<Qt::PenStyle, plot::kMaxComparedScenarios> kDashes = {
            Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
        pen.setStyle(kDashes[std::size_t(std::clamp(series.comparedScenario, 1, plot::kMaxComparedScenarios) - 1)]);
    } else if (series.evidence == Evidence::Unreported || series.evidence == Evidence::Projected) {
        pen.setStyle(Qt::DashLine);
    } else if (series.evidence == Evidence::Baseline) {
        pen.setStyle(Qt::DotLine);
    }
    return pen;
}

QList<QPointF> pointsOf(const plot::Series &series, AxisScale yScale, bool upper = false)
{
    QList<QPointF> points;
    points.reserve(qsizetype(series.points.size()));
    for (const plot::Point &point : series.points) {
        const double y = upper && point.yHigh ? *point.yHigh : point.y;
        if (plottable(y, yScale))
            points.append({point.x, y});
    }
    return points;
}

/// A long category name broken at words into lines of about `lineChars` characters, so that a
/// horizontal chart's labels stay narrow enough to be shown whole.
QString wrappedLabel(const QString &label, qsizetype lineChars)
{
    if (label.size() <= lineChars)
        return label;
    QStringList lines{QString()};
    for (const QString &word : label.split(u' ', Qt::SkipEmptyParts)) {
        if (!lines.back().isEmpty() && lines.back().size() + 1 + word.size() > lineChars)
            lines.append(QString());
        lines.back() += (lines.back().isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    return lines.join(QStringLiteral("<br>"));
}

QList<qreal> barValues(const plot::Series &series, std::size_t categories)
{
    QList<qreal> values(qsizetype(categories), 0.0);
    for (const plot::Point &point : series.points) {
        const auto slot = static_cast<qsizetype>(point.x);
        if (slot >= 0 && slot < values.size())
            values[slot] = point.y;
    }
    return values;
}


bool hasUserPoints(const plot::Series &series)
{
    return series.shape == SeriesShape::Points
           && std::any_of(series.points.begin(), series.points.end(),
                          [](const plot::Point &point) { return point.userOwned; });
}

QList<QPointF> userPointsOf(const plot::Series &series, AxisScale yScale)
{
    QList<QPointF> points;
    for (const plot::Point &point : series.points) {
        if (point.userOwned && plottable(point.y, yScale))
            points.append({point.x, point.y});
    }
    return points;
}

/// A ring around each of the user's own figures in `series`, on screen and in every export, so
/// that a number the app did not ship is never taken for one it did (the chart's note says so).
/// It carries the series' index, so hovering or clicking it acts on the figure inside.
QScatterSeries *makeUserRing(const plot::Series &series, const ChartStyle &style, AxisScale yScale)
{
    auto *ring = new QScatterSeries;
    ring->setMarkerSize(style.markerSize() * 2.0);
    ring->setColor(Qt::transparent);
    ring->setBorderColor(style.foreground());
    QPen pen(style.foreground());
    pen.setWidthF(1.5);
    ring->setPen(pen);
    ring->setProperty(kUserRingProperty, true);
    ring->replace(userPointsOf(series, yScale));
    return ring;
}

QAbstractSeries *makeXySeries(const plot::Series &series, const ChartStyle &style, AxisScale yScale)
{
    const QColor colour = style.seriesColour(series.colour);
    switch (series.shape) {
    case SeriesShape::Points: {
        auto *scatter = new QScatterSeries;
        scatter->setMarkerSize(style.markerSize());
        scatter->setColor(series.evidence == Evidence::Unreported ? style.background() : colour);
        scatter->setBorderColor(colour);
        QPen border(colour);
        border.setWidthF(series.evidence == Evidence::Unreported ? 2.0 : 1.0);
        scatter->setPen(border);
        scatter->replace(pointsOf(series, yScale));
        return scatter;
    }
    case SeriesShape::Band: {
        // QAreaSeries does not own its edges, so they are its children.
        auto *area = new QAreaSeries;
        auto *lower = new QLineSeries(area);
        auto *upper = new QLineSeries(area);
        lower->replace(pointsOf(series, yScale));
        upper->replace(pointsOf(series, yScale, true));
        area->setUpperSeries(upper);
        area->setLowerSeries(lower);
        QColor fill = colour;
        // Nested Monte Carlo bands of one colour overlap, so the middle band shows darker.
        fill.setAlphaF(series.evidence == Evidence::Simulated ? 0.2f : 0.25f);
        area->setBrush(fill);
        QPen edge(colour);
        edge.setWidthF(1.0);
        if (series.evidence == Evidence::Unreported)
            edge.setStyle(Qt::DashLine);
        else if (series.evidence == Evidence::Simulated)
            edge.setStyle(Qt::NoPen);
        area->setPen(edge);
        return area;
    }
    default: {
        auto *line = new QLineSeries;
        line->setPen(seriesPen(series, style));
        line->replace(pointsOf(series, yScale));
        return line;
    }
    }
}

QAbstractBarSeries *makeBarSeries(const ChartSpec &spec)
{
    const bool stacked = std::any_of(spec.series.begin(), spec.series.end(), [](const auto &s) {
        return s.shape == SeriesShape::StackedBars;
    });
    if (spec.horizontal)
        return stacked ? static_cast<QAbstractBarSeries *>(new QHorizontalStackedBarSeries)
                       : new QHorizontalBarSeries;
    return stacked ? static_cast<QAbstractBarSeries *>(new QStackedBarSeries) : new QBarSeries;
}

/// Bars of unreported figures in a reported series draw in the lighter "selected" colour, which
/// BarHatching hatches.
void selectUnreportedBars(QBarSet &set, const plot::Series &series)
{
    QList<int> unreported;
    for (const plot::Point &point : series.points) {
        if (point.unreported)
            unreported.append(int(point.x));
    }
    set.deselectAllBars();
    set.selectBars(unreported);
}

QBarSet *makeBarSet(const plot::Series &series, const ChartSpec &spec, const ChartStyle &style)
{
    auto *set = new QBarSet(qs(series.name));
    const QColor colour = style.seriesColour(series.colour);
    set->setColor(colour);
    set->setBorderColor(style.background());
    if (series.evidence == Evidence::Unreported)
        set->setBrush(QBrush(colour, Qt::BDiagPattern));
    set->append(barValues(series, spec.x.categories.size()));
    set->setSelectedColor(colour.lighter(135));
    selectUnreportedBars(*set, series);
    return set;
}

QAbstractAxis *makeValueAxis(const plot::Axis &axis, AxisScale scale, const ChartStyle &style)
{
    QAbstractAxis *made = nullptr;
    if (scale == AxisScale::Log) {
        auto *log = new QLogValueAxis;
        log->setBase(10.0);
        // Twelve significant digits in the chart's locale: "10,000", "0.01", exponents only past
        // a trillion or below 0.0001 (decade ticks carry no more digits than they need).
        log->setLabelFormat(QStringLiteral("%.12g"));
        log->setMinorTickCount(-1);
        made = log;
    } else {
        // Labels are written by setTicks, so that they carry thousands separators and years do not.
        auto *linear = new QCategoryAxis;
        linear->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        made = linear;
    }
    made->setTitleText(axisTitle(axis));
    QFont font = made->labelsFont();
    font.setPointSize(style.fontPointSize());
    made->setLabelsFont(font);
    font.setBold(true);
    made->setTitleFont(font);
    made->setLabelsColor(style.foreground());
    made->setTitleBrush(style.foreground());
    QColor grid = style.foreground();
    grid.setAlphaF(0.15f);
    made->setGridLineColor(grid);
    made->setLinePenColor(style.foreground());
    return made;
}

bool sameStructure(const ChartSpec &a, const ChartSpec &b)
{
    if (a.series.size() != b.series.size() || a.markers.size() != b.markers.size()
        || a.x.categories.size() != b.x.categories.size() || a.horizontal != b.horizontal || a.x.kind != b.x.kind)
        return false;
    for (std::size_t i = 0; i < a.series.size(); ++i) {
        const auto &left = a.series[i];
        const auto &right = b.series[i];
        if (left.name != right.name || left.shape != right.shape || left.evidence != right.evidence
            || left.colour != right.colour || hasUserPoints(left) != hasUserPoints(right))
            return false;
    }
    // A marker's label may change in place ("Strands in 2029" to "... 2030"; see setMarkerData).
    for (std::size_t i = 0; i < a.markers.size(); ++i) {
        if (a.markers[i].vertical != b.markers[i].vertical)
            return false;
    }
    return true;
}

/// A marker's two end points, across the whole current range of the other axis.
QList<QPointF> markerPoints(const plot::Marker &marker, const Extent &extent, AxisScale yScale)
{
    if (marker.vertical) {
        const double low = yScale == AxisScale::Log ? std::max(extent.yMin, 1e-12) : std::min(extent.yMin, 0.0);
        return {{marker.value, low}, {marker.value, extent.yMax}};
    }
    return {{extent.xMin, marker.value}, {extent.xMax, marker.value}};
}

void setMarkerData(QChart &chart, const ChartSpec &spec, AxisScale yScale)
{
    const Extent extent = extentOf(spec, yScale);
    std::size_t marker = 0;
    for (QAbstractSeries *series : chart.series()) {
        if (series->property(kSpecSeriesProperty).toInt() != -1 || marker >= spec.markers.size())
            continue;
        auto *line = static_cast<QLineSeries *>(series);
        if (const QString label = qs(spec.markers[marker].label); line->name() != label)
            line->setName(label);
        line->replace(markerPoints(spec.markers[marker++], extent, yScale));
    }
}

} // namespace

std::optional<std::pair<std::pair<double, double>, std::pair<double, double>>>
dataExtent(const ChartSpec &spec, AxisScale yScale)
{
    const Extent extent = extentOf(spec, yScale);
    if (!extent.hasX() || !extent.hasY())
        return std::nullopt;
    return std::pair{std::pair{extent.xMin, extent.xMax}, std::pair{extent.yMin, extent.yMax}};
}

QString axisTitle(const plot::Axis &axis)
{
    const QString title = qs(axis.title);
    QString unit = qs(axis.unit);
    // Multiples read "× base year", as in every other label.
    if (unit == QLatin1String("x") || unit.startsWith(QLatin1String("x ")))
        unit.replace(0, 1, QChar(0x00D7));
    if (unit.isEmpty() || axis.kind == AxisKind::Year || unit == title)
        return title;
    // "US dollars per year" in "US$ billions" says the currency twice: "US$ billions per year".
    const QLatin1String dollars("US dollars");
    if (title.startsWith(dollars) && unit.startsWith(QLatin1String("US$")))
        return unit + title.mid(dollars.size());
    return QStringLiteral("%1 (%2)").arg(title, unit);
}

void buildChart(QChart &chart, const ChartSpec &spec, const ChartStyle &style, AxisScale yScale)
{
    chart.removeAllSeries();
    for (QAbstractAxis *axis : chart.axes()) {
        chart.removeAxis(axis); // gives the axis back to us
        delete axis;
    }
    chart.setBackgroundBrush(style.background());
    chart.setPlotAreaBackgroundVisible(false);
    chart.setTitle({});
    // Log-axis labels are numbers that Qt formats: with this locale they carry thousands commas.
    chart.setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    chart.setLocalizeNumbers(true);
    chart.legend()->setLabelColor(style.foreground());
    QFont legendFont = chart.legend()->font();
    legendFont.setPointSize(style.fontPointSize());
    chart.legend()->setFont(legendFont);
    chart.legend()->setAlignment(Qt::AlignBottom);
    chart.legend()->setShowToolTips(true);

    const bool categories = usesCategories(spec);
    const bool labelsAbove = categories && spec.horizontal && style.labelsAboveBars;
    QAbstractAxis *xAxis = nullptr;
    if (categories) {
        auto *categoryAxis = new QBarCategoryAxis;
        // Two lines at most: wide enough for half the longest name and a word more.
        qsizetype longest = 0;
        for (const std::string &category : spec.x.categories)
            longest = std::max(longest, qs(category).size());
        // Beside horizontal bars a name may take two lines of half its length and a word; under
        // vertical bars, two short lines.
        const qsizetype lineChars = spec.horizontal ? std::max<qsizetype>(46, longest / 2 + 12)
                                                    : std::max<qsizetype>(10, longest / 2 + 2);
        for (const std::string &category : spec.x.categories)
            categoryAxis->append(labelsAbove ? qs(category) : wrappedLabel(qs(category), lineChars));
        categoryAxis->setLabelsVisible(!labelsAbove); // BarLabelsAbove draws them
        // Names written above their bars need no axis title to say what they are.
        categoryAxis->setTitleText(spec.x.title.empty() || labelsAbove ? QString() : axisTitle(spec.x));
        QFont font = categoryAxis->labelsFont();
        font.setPointSize(style.fontPointSize());
        categoryAxis->setLabelsFont(font);
        categoryAxis->setLabelsColor(style.foreground());
        categoryAxis->setTitleBrush(style.foreground());
        categoryAxis->setGridLineVisible(false);
        // Qt elides a label as one line; wrapped labels are narrow enough to show whole.
        categoryAxis->setTruncateLabels(false);
        xAxis = categoryAxis;
    } else {
        xAxis = makeValueAxis(spec.x, AxisScale::Linear, style);
    }
    QAbstractAxis *yAxis = makeValueAxis(spec.y, yScale, style);
    // In presentation type a vertical value title would outgrow the plot; the chart's heading
    // carries it instead (see ChartWidget).
    if (style.presentation && !spec.horizontal)
        yAxis->setTitleText(QString());
    chart.addAxis(xAxis, spec.horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart.addAxis(yAxis, spec.horizontal ? Qt::AlignBottom : Qt::AlignLeft);

    QAbstractBarSeries *bars = nullptr;
    for (std::size_t index = 0; index < spec.series.size(); ++index) {
        const plot::Series &series = spec.series[index];
        if (isBarShape(series.shape)) {
            if (!bars)
                bars = makeBarSeries(spec);
            QBarSet *set = makeBarSet(series, spec, style);
            set->setProperty(kSpecSeriesProperty, int(index));
            bars->append(set);
            continue;
        }
        QAbstractSeries *drawn = makeXySeries(series, style, yScale);
        drawn->setName(qs(series.name));
        drawn->setProperty(kSpecSeriesProperty, int(index));
        chart.addSeries(drawn);
        drawn->attachAxis(xAxis);
        drawn->attachAxis(yAxis);
        if (hasUserPoints(series)) {
            QScatterSeries *ring = makeUserRing(series, style, yScale);
            ring->setProperty(kSpecSeriesProperty, int(index));
            chart.addSeries(ring);
            ring->attachAxis(xAxis);
            ring->attachAxis(yAxis);
        }
    }
    if (bars) {
        bars->setBarWidth(labelsAbove ? BarLabelsAbove::kBarWidth : 0.7);
        bars->setProperty(kSpecSeriesProperty, -2);
        chart.addSeries(bars);
        bars->attachAxis(xAxis);
        bars->attachAxis(yAxis);
        BarHatching::of(chart).update();
    }
    BarLabelsAbove::show(chart, labelsAbove);
    for (const plot::Marker &marker : spec.markers) {
        auto *line = new QLineSeries;
        QPen pen(style.foreground());
        pen.setWidthF(style.lineWidth() * 0.75);
        pen.setStyle(Qt::DashDotLine);
        line->setPen(pen);
        line->setName(qs(marker.label));
        line->setProperty(kSpecSeriesProperty, -1);
        chart.addSeries(line);
        line->attachAxis(xAxis);
        line->attachAxis(yAxis);
    }

    // The names are drawn by ChartLegend (window) and paintLegend (exports), which wrap where Qt's
    // legend would cut a long name short; legendEntries keeps one entry per name.
    chart.legend()->hide();
    chart.setProperty(kValueIntervalsProperty, style.presentation ? 3 : 6);
    applyRanges(chart, spec, yScale);
    setMarkerData(chart, spec, yScale);
}

bool updateChart(QChart &chart, const ChartSpec &previous, const ChartSpec &spec, AxisScale yScale)
{
    if (!sameStructure(previous, spec))
        return false;
    if (previous.x.categories != spec.x.categories) {
        const auto axes = chart.axes(spec.horizontal ? Qt::Vertical : Qt::Horizontal);
        if (auto *categoryAxis = axes.isEmpty() ? nullptr : qobject_cast<QBarCategoryAxis *>(axes.first())) {
            QStringList labels;
            for (const std::string &category : spec.x.categories)
                labels.append(qs(category));
            categoryAxis->setCategories(labels);
        }
    }
    for (QAbstractSeries *drawn : chart.series()) {
        const int index = drawn->property(kSpecSeriesProperty).toInt();
        if (index == -2) {
            for (QBarSet *set : static_cast<QAbstractBarSeries *>(drawn)->barSets()) {
                const auto &series = spec.series[std::size_t(set->property(kSpecSeriesProperty).toInt())];
                const QList<qreal> values = barValues(series, spec.x.categories.size());
                for (int slot = 0; slot < int(values.size()); ++slot) {
                    if (set->at(slot) != values[slot])
                        set->replace(slot, values[slot]);
                }
                selectUnreportedBars(*set, series);
            }
            BarHatching::of(chart).update();
            continue;
        }
        if (index < 0)
            continue;
        const plot::Series &series = spec.series[std::size_t(index)];
        if (drawn->property(kUserRingProperty).toBool()) {
            static_cast<QXYSeries *>(drawn)->replace(userPointsOf(series, yScale));
        } else if (series.shape == SeriesShape::Band) {
            auto *area = static_cast<QAreaSeries *>(drawn);
            area->upperSeries()->replace(pointsOf(series, yScale, true));
            area->lowerSeries()->replace(pointsOf(series, yScale));
        } else {
            static_cast<QXYSeries *>(drawn)->replace(pointsOf(series, yScale));
        }
    }
    applyRanges(chart, spec, yScale);
    setMarkerData(chart, spec, yScale);
    return true;
}

} // namespace cliff::ui
