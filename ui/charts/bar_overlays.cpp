#include "bar_overlays.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QFontMetricsF>
#include <QPainter>
#include <QLogValueAxis>

#include <cmath>

namespace cliff::ui {

namespace {

/// The rectangle Qt gives bar `slot` of set `setIndex`: a category spans one unit of the
/// category axis, its bars share `barWidth` of it side by side, or stack at full width.
QRectF barRect(QChart &chart, QAbstractBarSeries &series, int setIndex, int slot)
{
    const QList<QBarSet *> sets = series.barSets();
    const bool stacked = series.type() == QAbstractSeries::SeriesTypeStackedBar
        || series.type() == QAbstractSeries::SeriesTypeHorizontalStackedBar;
    const bool horizontal = series.type() == QAbstractSeries::SeriesTypeHorizontalBar
        || series.type() == QAbstractSeries::SeriesTypeHorizontalStackedBar;
    const qreal width = series.barWidth();
    qreal from = slot - width / 2.0;
    qreal to = slot + width / 2.0;
    if (!stacked) {
        from += setIndex * width / qreal(sets.size());
        to = from + width / qreal(sets.size());
    }
    qreal base = 0.0;
    if (stacked) {
        for (int below = 0; below < setIndex; ++below)
            base += sets[below]->at(slot);
    }
    const qreal top = base + sets[setIndex]->at(slot);
    // A log value axis has no zero: its bars rise from the axis minimum, as Qt draws them.
    const auto valueAt = [&](qreal value) {
        for (QAbstractAxis *axis : series.attachedAxes()) {
            if (const auto *log = qobject_cast<QLogValueAxis *>(axis); log && value <= 0.0)
                return log->min();
        }
        return value;
    };
    const auto at = [&](qreal category, qreal value) {
        return horizontal ? chart.mapToPosition(QPointF(valueAt(value), category), &series)
                          : chart.mapToPosition(QPointF(category, valueAt(value)), &series);
    };
    return QRectF(at(from, base), at(to, top)).normalized().intersected(chart.plotArea());
}

void hatch(QPainter &painter, const QRectF &rect, const QColor &colour, qreal spacing)
{
    painter.save();
    painter.setClipRect(rect);
    QPen pen(colour);
    pen.setWidthF(std::max(1.0, spacing / 4.0));
    painter.setPen(pen);
    for (qreal x = rect.left() - rect.height(); x < rect.right(); x += spacing)
        painter.drawLine(QPointF(x, rect.bottom()), QPointF(x + rect.height(), rect.top()));
    painter.restore();
}

} // namespace

PlotOverlay::PlotOverlay(QChart &chart)
    : QGraphicsItem(&chart)
    , m_chart(chart)
{
    setZValue(1000.0); // over the series items, which Qt makes the chart's children too
    setAcceptedMouseButtons(Qt::NoButton);
    QObject::connect(&chart, &QChart::plotAreaChanged, &chart, [this] { prepareGeometryChange(); });
}

QRectF PlotOverlay::boundingRect() const { return m_chart.plotArea(); }

template <typename Overlay> Overlay *PlotOverlay::find(QChart &chart)
{
    for (QGraphicsItem *child : chart.childItems()) {
        if (child->type() == Overlay::kType)
            return static_cast<Overlay *>(child);
    }
    return nullptr;
}

BarHatching &BarHatching::of(QChart &chart)
{
    if (BarHatching *existing = find<BarHatching>(chart))
        return *existing;
    return *new BarHatching(chart);
}

void BarHatching::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const qreal spacing = std::max<qreal>(5.0, m_chart.plotArea().height() / 40.0);
    painter->setRenderHint(QPainter::Antialiasing);
    for (QAbstractSeries *series : m_chart.series()) {
        auto *bars = qobject_cast<QAbstractBarSeries *>(series);
        if (!bars || !bars->isVisible())
            continue;
        const QList<QBarSet *> sets = bars->barSets();
        for (int setIndex = 0; setIndex < sets.size(); ++setIndex) {
            for (const qsizetype slot : sets[setIndex]->selectedBars()) {
                const QRectF rect = barRect(m_chart, *bars, setIndex, int(slot));
                if (!rect.isEmpty())
                    hatch(*painter, rect, sets[setIndex]->color(), spacing);
            }
        }
    }
}

void BarLabelsAbove::show(QChart &chart, bool shown)
{
    BarLabelsAbove *existing = find<BarLabelsAbove>(chart);
    if (shown && !existing)
        new BarLabelsAbove(chart);
    else if (!shown)
        delete existing;
}

void BarLabelsAbove::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    auto *axis = qobject_cast<QBarCategoryAxis *>(m_chart.axes(Qt::Vertical).value(0));
    auto *bars = qobject_cast<QAbstractBarSeries *>(m_chart.series().value(0));
    if (!axis || !bars)
        return;
    painter->setFont(axis->labelsFont());
    painter->setPen(axis->labelsColor());
    const QRectF plot = m_chart.plotArea();
    const qreal gap = QFontMetricsF(axis->labelsFont()).height() * 0.15;
    const QStringList names = axis->categories();
    for (int row = 0; row < names.size(); ++row) {
        // Row `row` spans row - 0.5 to row + 0.5 on the category axis, its bar the middle half.
        // (The value 1 maps on linear and log axes alike; only the height is read.)
        const qreal rowTop = m_chart.mapToPosition(QPointF(1.0, row + 0.5), bars).y();
        const qreal barTop = m_chart.mapToPosition(QPointF(1.0, row + bars->barWidth() / 2.0), bars).y();
        const QRectF room(plot.left(), rowTop, plot.width(), barTop - rowTop - gap);
        painter->drawText(room, Qt::AlignLeft | Qt::AlignBottom | Qt::TextWordWrap, names[row]);
    }
}

} // namespace cliff::ui
