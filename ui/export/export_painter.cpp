#include "export_painter.h"

#include "ui/charts/chart_builder.h"
#include "ui/charts/chart_style.h"

#include <QAbstractAxis>
#include <QChart>
#include <QFontDatabase>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QLegend>
#include <QPainter>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace cliff::ui {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// Type sizes and spacing at a 1200 x 800 page; everything scales with the page.
struct Metrics {
    qreal scale = 1.0;
    [[nodiscard]] qreal px(qreal atBase) const { return atBase * scale; }
};

QFont pixelFont(qreal pixels, bool bold = false, bool italic = false)
{
    QFont font(exportFontFamily());
    font.setPixelSize(std::max(1, int(std::lround(pixels))));
    font.setBold(bold);
    font.setItalic(italic);
    font.setHintingPreference(QFont::PreferNoHinting); // the same layout at every scale
    return font;
}

const QColor kInk(0x1A, 0x1A, 0x1A);
const QColor kSoftInk(0x44, 0x44, 0x44);
const QColor kFaintInk(0x6E, 0x6E, 0x6E);
const QColor kRule(0xC8, 0xC8, 0xC8);

constexpr int kTextFlags = Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop;

/// Height of `text` wrapped to `width` in `font` on the painter's device.
qreal textHeight(QPainter &painter, const QString &text, const QFont &font, qreal width)
{
    if (text.isEmpty())
        return 0.0;
    painter.setFont(font);
    return painter.boundingRect(QRectF(0, 0, width, 1e6), kTextFlags, text).height();
}

/// `text` cut at a word so that it wraps to at most `maxLines` lines of `width`, ending in
/// `ellipsis` when cut.
QString fitToLines(QPainter &painter, const QString &text, const QFont &font, qreal width, int maxLines,
                   const QString &ellipsis = QStringLiteral(" \u2026"))
{
    QTextLayout layout(text, font, painter.device());
    QTextOption option;
    option.setWrapMode(QTextOption::WordWrap);
    layout.setTextOption(option);
    layout.beginLayout();
    int lines = 0;
    int end = int(text.size());
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        if (++lines == maxLines)
            end = line.textStart() + line.textLength();
    }
    layout.endLayout();
    if (lines <= maxLines)
        return text;
    QString cut = text.left(end);
    // Room for the ellipsis: drop the last words until the cut text fits again.
    const QFontMetricsF metrics(font, painter.device());
    const qreal room = metrics.horizontalAdvance(ellipsis);
    qreal dropped = 0.0;
    while (dropped < room && cut.contains(u' ')) {
        const qsizetype space = cut.lastIndexOf(u' ');
        dropped += metrics.horizontalAdvance(cut.mid(space));
        cut.truncate(space);
    }
    return cut + ellipsis;
}

/// Draws wrapped text at the top of `area` and returns its height.
qreal drawText(QPainter &painter, const QRectF &area, const QString &text, const QFont &font,
               const QColor &colour, int alignment = Qt::AlignLeft)
{
    if (text.isEmpty())
        return 0.0;
    painter.setFont(font);
    painter.setPen(colour);
    const int flags = Qt::TextWordWrap | Qt::AlignTop | alignment;
    QRectF used;
    painter.drawText(QRectF(area.left(), area.top(), area.width(), 1e6), flags, text, &used);
    return used.height();
}

void setChartFonts(QChart &chart, const Metrics &metrics)
{
    const QFont labels = pixelFont(metrics.px(13));
    const QFont titles = pixelFont(metrics.px(13), true);
    for (QAbstractAxis *axis : chart.axes()) {
        axis->setLabelsFont(labels);
        axis->setTitleFont(titles);
    }
    chart.legend()->setFont(labels);
}

/// Draws one chart into `area` by way of a Qt Charts scene rendered onto the painter, so lines
/// stay vectors and labels stay text on vector devices.
void drawChart(QPainter &painter, const QRectF &area, const plot::ChartSpec &spec,
               const Metrics &metrics)
{
    if (area.width() < 1 || area.height() < 1)
        return;
    QGraphicsScene scene;
    auto *chart = new QChart;
    scene.addItem(chart);
    buildChart(*chart, spec, ChartStyle{}, spec.y.scale);
    setChartFonts(*chart, metrics);
    chart->setBackgroundVisible(false);
    chart->setBackgroundRoundness(0);
    // A little room at the sides: long category labels are elided to the chart's width but
    // their last glyphs can reach past it. Above and at the right, room for half a tick label:
    // ticks at the ends of an axis are labelled on their value, centred on the plot's edge.
    const int side = int(std::lround(metrics.px(6)));
    chart->setMargins(QMargins(side, int(std::lround(metrics.px(9))), int(std::lround(metrics.px(18))), 0));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->setContentsMargins(0, metrics.px(4), 0, 0);
    const QRectF local(QPointF(0, 0), area.size());
    chart->setGeometry(local);
    chart->layout()->activate(); // lays out axes and legend now, not in a posted layout request
    scene.setSceneRect(local);
    scene.render(&painter, area, local, Qt::IgnoreAspectRatio);
}

/// One chart's cell: its title when `withTitle`, the chart, and its note under it.
void drawChartCell(QPainter &painter, const QRectF &cell, const plot::ChartSpec &spec,
                   bool withTitle, const Metrics &metrics)
{
    qreal top = cell.top();
    if (withTitle)
        top += drawText(painter, cell, qs(spec.title), pixelFont(metrics.px(16), true), kInk)
               + metrics.px(4);
    qreal bottom = cell.bottom();
    QString note = qs(spec.note);
    const QFont noteFont = pixelFont(metrics.px(12.5), false, true);
    if (!note.isEmpty()) {
        note = fitToLines(painter, note, noteFont, cell.width(), 2);
        bottom -= textHeight(painter, note, noteFont, cell.width());
        drawText(painter, QRectF(cell.left(), bottom, cell.width(), cell.bottom() - bottom), note,
                 noteFont, kSoftInk);
        bottom -= metrics.px(6);
    }
    drawChart(painter, QRectF(cell.left(), top, cell.width(), std::max(0.0, bottom - top)), spec, metrics);
}

} // namespace

QString exportFontFamily()
{
    static const QString family = [] {
        const QStringList installed = QFontDatabase::families();
        for (const char *wanted : {"DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"}) {
            if (installed.contains(QLatin1String(wanted)))
                return QString::fromLatin1(wanted);
        }
        return QFont().family();
    }();
    return family;
}

void paintExport(QPainter &painter, const QSizeF &pageSize, const plot::ExportSubject &subject,
                 const ExportOptions &options)
{
    const Metrics metrics{std::clamp(std::min(pageSize.width() / 1200.0, pageSize.height() / 800.0), 0.6, 4.0)};
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(QRectF(QPointF(0, 0), pageSize), Qt::white);

    const qreal margin = metrics.px(36);
    const qreal width = pageSize.width() - 2 * margin;
    const qreal left = margin;
    const auto area = [&](qreal top, qreal bottom) { return QRectF(left, top, width, bottom - top); };

    // Top: title and subtitle.
    const QString title = options.title.isEmpty() ? qs(plot::defaultTitle(subject)) : options.title;
    const QString subtitle = options.subtitle.isEmpty() ? qs(plot::defaultSubtitle(subject)) : options.subtitle;
    qreal top = margin;
    const QFont titleFont = pixelFont(metrics.px(30), true);
    top += drawText(painter, area(top, pageSize.height()), fitToLines(painter, title, titleFont, width, 2),
                    titleFont, kInk);
    if (!subtitle.isEmpty()) {
        const QFont subtitleFont = pixelFont(metrics.px(17));
        top += metrics.px(6);
        top += drawText(painter, area(top, pageSize.height()),
                        fitToLines(painter, subtitle, subtitleFont, width, 3), subtitleFont, kSoftInk);
    }
    top += metrics.px(18);

    // Bottom, measured first and drawn upwards: notes, a rule, source line, footnote, byline
    // and the app line.
    const QFont smallFont = pixelFont(metrics.px(13));
    const QFont footFont = pixelFont(metrics.px(12));
    const QString sourceLine = fitToLines(painter, qs(plot::exportSourceLine(subject)), smallFont, width, 3);
    const QString footnote = options.drawFootnote
                                 ? fitToLines(painter, qs(plot::assumptionFootnote(subject)), footFont, width, 3,
                                              QStringLiteral(" \u2026 (all of them in the CSV)"))
                                 : QString();
    const QString notes = fitToLines(painter, options.notes.simplified(), smallFont, width, 3);
    const QString byline = options.byline.simplified();
    const QString appLine = qs(plot::appLine());
    const qreal gap = metrics.px(5);
    const qreal lastLine = std::max(textHeight(painter, appLine, footFont, width),
                                    textHeight(painter, byline, footFont, width * 0.6));
    qreal blockHeight = metrics.px(10) + textHeight(painter, sourceLine, smallFont, width) + gap + lastLine;
    if (!footnote.isEmpty())
        blockHeight += textHeight(painter, footnote, footFont, width) + gap;
    const qreal notesHeight = notes.isEmpty() ? 0.0 : textHeight(painter, notes, smallFont, width) + metrics.px(10);
    qreal y = pageSize.height() - margin - blockHeight - notesHeight;
    const qreal chartsBottom = y - metrics.px(14);

    if (!notes.isEmpty())
        y += drawText(painter, area(y, pageSize.height()), notes, smallFont, kInk) + metrics.px(10);
    painter.setPen(QPen(kRule, std::max(1.0, metrics.px(1))));
    painter.drawLine(QPointF(left, y), QPointF(left + width, y));
    y += metrics.px(10);
    y += drawText(painter, area(y, pageSize.height()), sourceLine, smallFont, kInk) + gap;
    if (!footnote.isEmpty())
        y += drawText(painter, area(y, pageSize.height()), footnote, footFont, kSoftInk) + gap;
    drawText(painter, QRectF(left, y, width * 0.6, lastLine), byline, footFont, kFaintInk);
    drawText(painter, area(y, y + lastLine), appLine, footFont, kFaintInk, Qt::AlignRight);

    // Middle: the charts, one above the other.
    const std::size_t count = subject.charts.size();
    const bool titled = subject.allCharts()
                        || (!options.title.isEmpty() && options.title != qs(subject.chart(0).title));
    const qreal gutter = metrics.px(28);
    const qreal cellHeight = (chartsBottom - top - gutter * qreal(count - 1)) / qreal(count);
    for (std::size_t i = 0; i < count; ++i) {
        const QRectF cell(left, top + qreal(i) * (cellHeight + gutter), width, cellHeight);
        drawChartCell(painter, cell, subject.chart(i), titled, metrics);
    }
    painter.restore();
}

} // namespace cliff::ui
