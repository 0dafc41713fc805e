#include "export_painter.h"

#include "ui/charts/chart_builder.h"
#include "ui/charts/chart_legend.h"
#include "ui/charts/chart_style.h"

#include <QAbstractAxis>
#include <QChart>
#include <QFontDatabase>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
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
    /// The type is at its smallest and still large for the page: a phone-width export.
    bool narrow = false;
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
}

/// A chart built and laid out in its own scene for an area of the page, with its legend measured.
struct LaidOutChart {
    QGraphicsScene scene;
    QChart *chart = nullptr; ///< owned by the scene
    QFont legendFont;
    std::vector<LegendEntry> entries;
    LegendLayout legend;
    QRectF local; ///< the chart's rectangle, the legend's height taken off the area's
};

/// Builds `spec` for `area`; `extraLeft` widens the left margin so that the plot starts further
/// right (to line up with the charts above and below it).
void layOutChart(LaidOutChart &out, const QRectF &area, const plot::ChartSpec &spec,
                 const Metrics &metrics, qreal extraLeft = 0.0)
{
    out.chart = new QChart;
    out.scene.addItem(out.chart);
    ChartStyle style;
    style.labelsAboveBars = metrics.narrow;
    buildChart(*out.chart, spec, style, spec.y.scale);
    setChartFonts(*out.chart, metrics);
    out.chart->setBackgroundVisible(false);
    out.chart->setBackgroundRoundness(0);
    // A little room at the sides: long category labels are elided to the chart's width but
    // their last glyphs can reach past it. Above and at the right, room for half a tick label:
    // ticks at the ends of an axis are labelled on their value, centred on the plot's edge.
    const int side = int(std::lround(metrics.px(6)));
    out.chart->setMargins(QMargins(side + int(std::lround(extraLeft)), int(std::lround(metrics.px(9))),
                                   int(std::lround(metrics.px(18))), 0));
    out.chart->layout()->setContentsMargins(0, 0, 0, 0);
    // The legend goes under the plot, wrapped to the page width (see paintLegend).
    out.legendFont = pixelFont(metrics.px(13));
    out.entries = legendEntries(*out.chart);
    out.legend = layoutLegend(out.entries, out.legendFont, area.width());
    const qreal legendHeight = out.entries.empty() ? 0.0 : out.legend.height + metrics.px(8);
    out.local = QRectF(QPointF(0, 0), QSizeF(area.width(), std::max(1.0, area.height() - legendHeight)));
    out.chart->setGeometry(out.local);
    out.chart->layout()->activate(); // lays out the axes now, not in a posted layout request
    out.scene.setSceneRect(out.local);
}

/// Draws one chart into `area` by way of a Qt Charts scene rendered onto the painter, so lines
/// stay vectors and labels stay text on vector devices.
void drawChart(QPainter &painter, const QRectF &area, const plot::ChartSpec &spec,
               const Metrics &metrics, qreal extraLeft)
{
    if (area.width() < 1 || area.height() < 1)
        return;
    LaidOutChart laid;
    layOutChart(laid, area, spec, metrics, extraLeft);
    laid.scene.render(&painter, QRectF(area.topLeft(), laid.local.size()), laid.local, Qt::IgnoreAspectRatio);
    paintLegend(painter, QPointF(area.left(), area.top() + laid.local.height() + metrics.px(8)), area.width(),
                laid.entries, laid.legend, laid.legendFont, kInk);
}

/// Where a chart goes in its cell: under its title when `withTitle`, above its note.
struct CellLayout {
    QRectF chart;
    QString note;
    QRectF noteArea;
};

CellLayout cellLayout(QPainter &painter, const QRectF &cell, const plot::ChartSpec &spec, bool withTitle,
                      const Metrics &metrics)
{
    CellLayout layout;
    qreal top = cell.top();
    if (withTitle)
        top += textHeight(painter, qs(spec.title), pixelFont(metrics.px(16), true), cell.width()) + metrics.px(4);
    qreal bottom = cell.bottom();
    const QFont noteFont = pixelFont(metrics.px(12.5), false, true);
    if (!spec.note.empty()) {
        // A narrow page wraps a note onto more lines.
        layout.note = fitToLines(painter, qs(spec.note), noteFont, cell.width(), cell.width() < metrics.px(900) ? 4 : 2);
        bottom -= textHeight(painter, layout.note, noteFont, cell.width());
        layout.noteArea = QRectF(cell.left(), bottom, cell.width(), cell.bottom() - bottom);
        bottom -= metrics.px(6);
    }
    layout.chart = QRectF(cell.left(), top, cell.width(), std::max(0.0, bottom - top));
    return layout;
}

/// One chart's cell: its title when `withTitle`, the chart, and its note under it.
void drawChartCell(QPainter &painter, const QRectF &cell, const plot::ChartSpec &spec, bool withTitle,
                   const Metrics &metrics, qreal extraLeft)
{
    const CellLayout layout = cellLayout(painter, cell, spec, withTitle, metrics);
    if (withTitle)
        drawText(painter, cell, qs(spec.title), pixelFont(metrics.px(16), true), kInk);
    if (!layout.note.isEmpty())
        drawText(painter, layout.noteArea, layout.note, pixelFont(metrics.px(12.5), false, true), kSoftInk);
    drawChart(painter, layout.chart, spec, metrics, extraLeft);
}

/// The plot's left edge within its cell when the chart is laid out as it comes.
qreal naturalPlotLeft(QPainter &painter, const QRectF &cell, const plot::ChartSpec &spec, bool withTitle,
                      const Metrics &metrics)
{
    const CellLayout layout = cellLayout(painter, cell, spec, withTitle, metrics);
    if (layout.chart.width() < 1 || layout.chart.height() < 1)
        return 0.0;
    LaidOutChart laid;
    layOutChart(laid, layout.chart, spec, metrics);
    return laid.chart->plotArea().left();
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

namespace {

/// Scale of type and spacing on a page: 1 at 1200 x 800.
Metrics pageMetrics(const QSizeF &pageSize)
{
    constexpr qreal kSmallestScale = 0.6;
    return {std::clamp(std::min(pageSize.width() / 1200.0, pageSize.height() / 800.0), kSmallestScale, 4.0),
            pageSize.width() / 1200.0 < kSmallestScale};
}

/// The texts around the charts, fitted to the page width, and the heights they take.
struct PageTexts {
    QString title, subtitle, sourceLine, footnote, notes, byline, appLine;
    qreal headerHeight = 0.0; ///< margin, title, subtitle and the gap under them
    qreal footerHeight = 0.0; ///< gap above the notes, notes, rule, source line ... and margin
    qreal lastLine = 0.0;
};

const QFont titleFontAt(const Metrics &metrics) { return pixelFont(metrics.px(30), true); }
const QFont subtitleFontAt(const Metrics &metrics) { return pixelFont(metrics.px(17)); }
const QFont smallFontAt(const Metrics &metrics) { return pixelFont(metrics.px(13)); }
const QFont footFontAt(const Metrics &metrics) { return pixelFont(metrics.px(12)); }

PageTexts pageTexts(QPainter &painter, const QSizeF &pageSize, const plot::ExportSubject &subject,
                    const ExportOptions &options, const Metrics &metrics)
{
    const qreal margin = metrics.px(36);
    const qreal width = pageSize.width() - 2 * margin;
    PageTexts texts;
    texts.title = fitToLines(painter, options.title.isEmpty() ? qs(plot::defaultTitle(subject)) : options.title,
                             titleFontAt(metrics), width, 2);
    const QString subtitle = options.subtitle.isEmpty() ? qs(plot::defaultSubtitle(subject)) : options.subtitle;
    texts.subtitle = subtitle.isEmpty() ? QString() : fitToLines(painter, subtitle, subtitleFontAt(metrics), width, 3);
    texts.headerHeight = margin + textHeight(painter, texts.title, titleFontAt(metrics), width) + metrics.px(18);
    if (!texts.subtitle.isEmpty())
        texts.headerHeight += metrics.px(6) + textHeight(painter, texts.subtitle, subtitleFontAt(metrics), width);

    const QFont smallFont = smallFontAt(metrics);
    const QFont footFont = footFontAt(metrics);
    texts.sourceLine = fitToLines(painter, qs(plot::exportSourceLine(subject)), smallFont, width, 3,
                                  QStringLiteral(" \u2026 (every source is in the CSV)"));
    texts.footnote = options.drawFootnote
                         ? fitToLines(painter, qs(plot::assumptionFootnote(subject)), footFont, width, 3,
                                      QStringLiteral(" \u2026 (all of them in the CSV)"))
                         : QString();
    texts.notes = fitToLines(painter, options.notes.simplified(), smallFont, width, 3);
    texts.byline = options.byline.simplified();
    texts.appLine = qs(plot::appLine());
    const qreal gap = metrics.px(5);
    texts.lastLine = std::max(textHeight(painter, texts.appLine, footFont, width),
                              textHeight(painter, texts.byline, footFont, width * 0.6));
    qreal block = metrics.px(10) + textHeight(painter, texts.sourceLine, smallFont, width) + gap + texts.lastLine;
    if (!texts.footnote.isEmpty())
        block += textHeight(painter, texts.footnote, footFont, width) + gap;
    if (!texts.notes.isEmpty())
        block += textHeight(painter, texts.notes, smallFont, width) + metrics.px(10);
    texts.footerHeight = metrics.px(14) + block + margin;
    return texts;
}

/// Space between stacked charts.
qreal chartGutter(const Metrics &metrics)
{
    return metrics.px(28);
}

/// The least height of a chart's cell (title, plot, legend and a two-line note) at 1200 x 800:
/// below it axis titles, tick labels and legends no longer fit. A horizontal bar chart needs a
/// row of room per bar for its (up to two-line) category labels.
qreal minimumCellHeight(const plot::ChartSpec &spec)
{
    constexpr qreal kChart = 340.0;
    constexpr qreal kFrame = 150.0; // title, axis, legend and note around the bars
    constexpr qreal kPerBar = 40.0;
    if (spec.horizontal)
        return std::max(kChart, kFrame + kPerBar * qreal(spec.x.categories.size()));
    return kChart;
}

/// The same in page pixels: scaled up with the type, never below the 1200 x 800 size, because a
/// narrow page's small type is clamped while its legends and notes take more rows.
qreal minimumCellPx(const plot::ChartSpec &spec, const Metrics &metrics)
{
    return minimumCellHeight(spec) * std::max(metrics.scale, 1.0);
}

qreal minimumCellsPx(const plot::ExportSubject &subject, const Metrics &metrics)
{
    qreal total = 0.0;
    for (std::size_t i = 0; i < subject.charts.size(); ++i)
        total += minimumCellPx(subject.chart(i), metrics);
    return total;
}

} // namespace

int pageHeightForCharts(const QSizeF &pageSize, const plot::ExportSubject &subject,
                        const ExportOptions &options)
{
    QImage probe(1, 1, QImage::Format_RGB32);
    QPainter painter(&probe);
    const auto count = qreal(subject.charts.size());
    qreal height = pageSize.height();
    // Growing the page can raise the type scale, which needs a little more room again.
    for (int round = 0; round < 3; ++round) {
        const QSizeF page(pageSize.width(), height);
        const Metrics metrics = pageMetrics(page);
        const PageTexts texts = pageTexts(painter, page, subject, options, metrics);
        const qreal needed = texts.headerHeight + texts.footerHeight +
                             minimumCellsPx(subject, metrics) + (count - 1) * chartGutter(metrics);
        if (needed <= height)
            break;
        height = std::ceil(needed);
    }
    return int(height);
}

void paintExport(QPainter &painter, const QSizeF &pageSize, const plot::ExportSubject &subject,
                 const ExportOptions &options)
{
    const Metrics metrics = pageMetrics(pageSize);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(QRectF(QPointF(0, 0), pageSize), Qt::white);

    const qreal margin = metrics.px(36);
    const qreal width = pageSize.width() - 2 * margin;
    const qreal left = margin;
    const auto area = [&](qreal top, qreal bottom) { return QRectF(left, top, width, bottom - top); };
    const PageTexts texts = pageTexts(painter, pageSize, subject, options, metrics);

    // Top: title and subtitle.
    qreal top = margin;
    top += drawText(painter, area(top, pageSize.height()), texts.title, titleFontAt(metrics), kInk);
    if (!texts.subtitle.isEmpty()) {
        top += metrics.px(6);
        top += drawText(painter, area(top, pageSize.height()), texts.subtitle, subtitleFontAt(metrics), kSoftInk);
    }
    top += metrics.px(18);

    // Bottom: notes, a rule, source line, footnote, byline and the app line.
    const QFont smallFont = smallFontAt(metrics);
    const QFont footFont = footFontAt(metrics);
    const qreal gap = metrics.px(5);
    const qreal chartsBottom = pageSize.height() - texts.footerHeight;
    qreal y = chartsBottom + metrics.px(14);
    if (!texts.notes.isEmpty())
        y += drawText(painter, area(y, pageSize.height()), texts.notes, smallFont, kInk) + metrics.px(10);
    painter.setPen(QPen(kRule, std::max(1.0, metrics.px(1))));
    painter.drawLine(QPointF(left, y), QPointF(left + width, y));
    y += metrics.px(10);
    y += drawText(painter, area(y, pageSize.height()), texts.sourceLine, smallFont, kInk) + gap;
    if (!texts.footnote.isEmpty())
        y += drawText(painter, area(y, pageSize.height()), texts.footnote, footFont, kSoftInk) + gap;
    drawText(painter, QRectF(left, y, width * 0.6, texts.lastLine), texts.byline, footFont, kFaintInk);
    drawText(painter, area(y, y + texts.lastLine), texts.appLine, footFont, kFaintInk, Qt::AlignRight);

    // Middle: the charts, one above the other.
    const std::size_t count = subject.charts.size();
    const bool titled = subject.allCharts()
                        || (!options.title.isEmpty() && options.title != qs(subject.chart(0).title));
    // Each chart's share of the height is its share of the minimum heights.
    const qreal gutter = chartGutter(metrics);
    const qreal perUnit = (chartsBottom - top - gutter * qreal(count - 1)) / minimumCellsPx(subject, metrics);
    std::vector<QRectF> cells;
    for (std::size_t i = 0; i < count; ++i) {
        const qreal cellHeight = perUnit * minimumCellPx(subject.chart(i), metrics);
        cells.emplace_back(left, top, width, cellHeight);
        top += cellHeight + gutter;
    }
    // Stacked charts with a vertical value axis start their plots at one left edge, the widest
    // tick labels' (a horizontal bar chart keeps its own, set by its category names).
    std::vector<qreal> natural(count, 0.0);
    qreal alignedLeft = 0.0;
    for (std::size_t i = 0; count > 1 && i < count; ++i) {
        if (subject.chart(i).horizontal)
            continue;
        natural[i] = naturalPlotLeft(painter, cells[i], subject.chart(i), titled, metrics);
        alignedLeft = std::max(alignedLeft, natural[i]);
    }
    for (std::size_t i = 0; i < count; ++i) {
        const bool aligned = count > 1 && !subject.chart(i).horizontal;
        drawChartCell(painter, cells[i], subject.chart(i), titled, metrics,
                      aligned ? alignedLeft - natural[i] : 0.0);
    }
    painter.restore();
}

} // namespace cliff::ui
