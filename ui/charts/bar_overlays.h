#pragma once

#include <QGraphicsItem>

class QChart;

namespace cliff::ui {

/// Something drawn over a chart's plot area as a child of the chart, so the window and the
/// exports draw it alike; it follows the plot area as the chart lays out.
class PlotOverlay : public QGraphicsItem
{
public:
    QRectF boundingRect() const override;

protected:
    explicit PlotOverlay(QChart &chart);

    /// The chart's overlay of type `Overlay`, or nullptr.
    template <typename Overlay> static Overlay *find(QChart &chart);

    QChart &m_chart;
};

/// Hatches the bars a chart's bar sets hold selected, the figures that are not reported
/// (guidance, estimates). Qt draws a selected bar in one flat colour, so a paler tint alone can
/// pass for another series' hue; diagonal lines in the series' own colour cannot.
class BarHatching : public PlotOverlay
{
public:
    static constexpr int kType = UserType + 71;

    /// The chart's hatching item, made on first use.
    static BarHatching &of(QChart &chart);

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    int type() const override { return kType; }

private:
    using PlotOverlay::PlotOverlay;
};

/// Draws each category's name above its bar, across the plot's width, on a horizontal bar chart
/// too narrow to give the names a column of their own (a phone-width export). The category
/// axis keeps its ticks and hides its labels.
class BarLabelsAbove : public PlotOverlay
{
public:
    static constexpr int kType = UserType + 72;
    /// The share of a category's row its bar takes, leaving room above it for one line of text.
    static constexpr qreal kBarWidth = 0.5;

    /// Gives `chart` its labels-above item, or takes it away.
    static void show(QChart &chart, bool shown);

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    int type() const override { return kType; }

private:
    using PlotOverlay::PlotOverlay;
};

} // namespace cliff::ui
