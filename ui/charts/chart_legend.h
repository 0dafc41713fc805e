#pragma once

#include <QBrush>
#include <QPen>
#include <QString>
#include <QWidget>

#include <vector>

class QChart;
class QFontMetricsF;
class QPainter;

namespace cliff::ui {

/// One legend entry, drawn the way its series is drawn: a line with the series' pen (so a dashed
/// projection is dashed), a marker with its fill and border (so a hollow estimate is hollow), an
/// area or a bar with its brush (so a hatched bar is hatched).
struct LegendEntry {
    enum class Shape { Line, Point, Area, Bar };
    QString label;
    Shape shape = Shape::Line;
    QPen pen;
    QBrush brush;
};

/// The legend entries of a chart built by buildChart, in order, one per name, without the rings
/// around the user's figures. The chart's own legend stays hidden: it cuts long names short and
/// cannot wrap.
std::vector<LegendEntry> legendEntries(QChart &chart);

/// Where each entry goes when the entries flow left to right in rows `width` wide; a name wider
/// than a row wraps inside its entry.
struct LegendLayout {
    std::vector<QRectF> cells; ///< swatch and name of each entry, from the legend's top-left
    qreal height = 0.0;
};
LegendLayout layoutLegend(const std::vector<LegendEntry> &entries, const QFont &font, qreal width);

/// Paints the entries laid out by layoutLegend for `width` at `topLeft`; a legend of one row is
/// centred in the width, like the chart it belongs to.
void paintLegend(QPainter &painter, const QPointF &topLeft, qreal width, const std::vector<LegendEntry> &entries,
                 const LegendLayout &layout, const QFont &font, const QColor &text);

/// A chart's legend under it in the window, wrapping to as many rows as its names need.
class ChartLegend : public QWidget {
    Q_OBJECT

public:
    explicit ChartLegend(QWidget *parent = nullptr);

    void setEntries(std::vector<LegendEntry> entries);
    [[nodiscard]] const std::vector<LegendEntry> &entries() const { return m_entries; }

    [[nodiscard]] bool hasHeightForWidth() const override { return true; }
    [[nodiscard]] int heightForWidth(int width) const override;
    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    /// The layout at `width`, kept until the entries, the font or the width change: layouts ask
    /// for the height often, and measuring wrapped text is not free.
    const LegendLayout &layoutAt(int width) const;

    std::vector<LegendEntry> m_entries;
    mutable int m_layoutWidth = -1;
    mutable LegendLayout m_layout;
};

} // namespace cliff::ui
