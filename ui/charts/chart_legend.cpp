#include "chart_legend.h"

#include "chart_builder.h"

#include <QAreaSeries>
#include <QBarLegendMarker>
#include <QBarSet>
#include <QChart>
#include <QFontMetricsF>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>

namespace cliff::ui {

namespace {

constexpr int kTextFlags = Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignVCenter;

/// Swatch width and the gaps, as multiples of the font's height.
constexpr qreal kSwatchEm = 1.8;
constexpr qreal kGapEm = 0.4;
constexpr qreal kEntryGapEm = 1.2;

LegendEntry entryFor(QLegendMarker &marker)
{
    LegendEntry entry;
    entry.label = marker.label();
    if (auto *bar = qobject_cast<QBarLegendMarker *>(&marker)) {
        entry.shape = LegendEntry::Shape::Bar;
        entry.brush = bar->barset()->brush();
        entry.pen = bar->barset()->pen();
        return entry;
    }
    if (auto *scatter = qobject_cast<QScatterSeries *>(marker.series())) {
        entry.shape = LegendEntry::Shape::Point;
        entry.brush = scatter->brush();
        entry.pen = scatter->pen();
        return entry;
    }
    if (auto *line = qobject_cast<QLineSeries *>(marker.series())) {
        entry.pen = line->pen();
        return entry;
    }
    if (auto *area = qobject_cast<QAreaSeries *>(marker.series())) {
        entry.shape = LegendEntry::Shape::Area;
        entry.brush = area->brush();
        entry.pen = area->pen();
        return entry;
    }
    entry.pen = marker.pen();
    entry.brush = marker.brush();
    return entry;
}

void paintSwatch(QPainter &painter, const QRectF &box, const LegendEntry &entry)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    switch (entry.shape) {
    case LegendEntry::Shape::Line: {
        QPen pen = entry.pen;
        pen.setCapStyle(Qt::FlatCap);
        painter.setPen(pen);
        painter.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()));
        break;
    }
    case LegendEntry::Shape::Point: {
        const qreal size = std::min(box.height(), box.width()) * 0.7;
        painter.setPen(entry.pen);
        painter.setBrush(entry.brush);
        painter.drawEllipse(QRectF(box.center().x() - size / 2, box.center().y() - size / 2, size, size));
        break;
    }
    case LegendEntry::Shape::Area:
    case LegendEntry::Shape::Bar: {
        const QRectF swatch(box.left(), box.top() + box.height() * 0.15, box.width(), box.height() * 0.7);
        painter.setPen(entry.pen.style() == Qt::NoPen ? QPen(entry.brush.color(), 1.0) : entry.pen);
        painter.setBrush(entry.brush);
        painter.drawRect(swatch);
        break;
    }
    }
    painter.restore();
}

} // namespace

std::vector<LegendEntry> legendEntries(QChart &chart)
{
    // One entry per name: the reported and unreported halves of a cited series share it.
    std::vector<LegendEntry> entries;
    QStringList seen;
    for (QLegendMarker *marker : chart.legend()->markers()) {
        const bool ring = marker->series()->property(kUserRingProperty).toBool();
        if (ring || seen.contains(marker->label()))
            continue;
        seen.append(marker->label());
        entries.push_back(entryFor(*marker));
    }
    return entries;
}

LegendLayout layoutLegend(const std::vector<LegendEntry> &entries, const QFont &font, qreal width)
{
    const QFontMetricsF metrics(font);
    const qreal em = metrics.height();
    const qreal swatch = kSwatchEm * em;
    const qreal gap = kGapEm * em;
    LegendLayout layout;
    qreal x = 0.0;
    qreal y = 0.0;
    qreal rowHeight = 0.0;
    for (const LegendEntry &entry : entries) {
        const qreal textRoom = std::max(em, width - swatch - gap);
        const QRectF text = metrics.boundingRect(QRectF(0, 0, textRoom, 1e6), kTextFlags, entry.label);
        const QSizeF cell(swatch + gap + std::ceil(text.width()) + 1.0, std::max(em, text.height()));
        if (x > 0.0 && x + cell.width() > width) {
            x = 0.0;
            y += rowHeight + gap;
            rowHeight = 0.0;
        }
        layout.cells.emplace_back(QPointF(x, y), cell);
        x += cell.width() + kEntryGapEm * em;
        rowHeight = std::max(rowHeight, cell.height());
    }
    layout.height = entries.empty() ? 0.0 : y + rowHeight;
    return layout;
}

void paintLegend(QPainter &painter, const QPointF &topLeft, qreal width, const std::vector<LegendEntry> &entries,
                 const LegendLayout &layout, const QFont &font, const QColor &text)
{
    const qreal em = QFontMetricsF(font).height();
    const qreal used = layout.cells.empty() ? 0.0 : layout.cells.back().right();
    const bool oneRow = layout.height <= em * 1.5;
    const QPointF origin = topLeft + QPointF(oneRow ? std::max(0.0, (width - used) / 2) : 0.0, 0.0);
    const qreal swatch = kSwatchEm * em;
    const qreal gap = kGapEm * em;
    painter.save();
    painter.setFont(font);
    for (std::size_t i = 0; i < entries.size() && i < layout.cells.size(); ++i) {
        const QRectF cell = layout.cells[i].translated(origin);
        paintSwatch(painter, QRectF(cell.left(), cell.top() + (std::min(cell.height(), em) - em) / 2,
                                    swatch, em),
                    entries[i]);
        painter.setPen(text);
        painter.drawText(QRectF(cell.left() + swatch + gap, cell.top(), cell.width() - swatch - gap, cell.height()),
                         kTextFlags, entries[i].label);
    }
    painter.restore();
}

ChartLegend::ChartLegend(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    QSizePolicy policy = sizePolicy();
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ChartLegend::setEntries(std::vector<LegendEntry> entries)
{
    const int before = heightForWidth(width());
    m_entries = std::move(entries);
    m_layoutWidth = -1;
    QStringList names;
    for (const LegendEntry &entry : m_entries)
        names << entry.label;
    setAccessibleName(tr("Legend"));
    setAccessibleDescription(names.join(QStringLiteral("; ")));
    // A slider step that only renames an entry ("Strands in 2029") repaints the legend; only a
    // change of height lays the page out again.
    if (heightForWidth(width()) != before)
        updateGeometry();
    update();
}

const LegendLayout &ChartLegend::layoutAt(int width) const
{
    if (width != m_layoutWidth) {
        m_layout = layoutLegend(m_entries, font(), width);
        m_layoutWidth = width;
    }
    return m_layout;
}

int ChartLegend::heightForWidth(int width) const
{
    return int(std::ceil(layoutAt(width).height));
}

void ChartLegend::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange) {
        m_layoutWidth = -1;
        updateGeometry();
    }
    QWidget::changeEvent(event);
}

QSize ChartLegend::sizeHint() const
{
    const int width = std::max(200, this->width());
    return {width, heightForWidth(width)};
}

QSize ChartLegend::minimumSizeHint() const
{
    return {0, heightForWidth(std::max(200, width()))};
}

void ChartLegend::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paintLegend(painter, QPointF(0, 0), width(), m_entries, layoutAt(width()), font(),
                palette().color(QPalette::WindowText));
}

} // namespace cliff::ui
