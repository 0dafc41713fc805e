#pragma once

#include <QGraphicsItem>

class QChart;

namespace cliff::ui {

/// Hatches the bars a chart's bar sets hold selected, the figures that are not reported
/// (guidance, estimates). Qt draws a selected bar in one flat colour, so a paler tint alone can
/// pass for another series' hue; diagonal lines in the series' own colour cannot. The item is a
/// child of the chart, so the window and the exports draw it alike.
class BarHatching : public QGraphicsItem
{
public:
    explicit BarHatching(QChart &chart);

    /// The chart's hatching item, made on first use.
    static BarHatching &of(QChart &chart);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    int type() const override { return kType; }

private:
    static constexpr int kType = UserType + 71;
    QChart &m_chart;
};

/// Draws each category's name above its bar, across the plot's width, on a horizontal bar chart
/// too narrow to give the names a column of their own (a phone-width export). The category
/// axis keeps its ticks and hides its labels.
class BarLabelsAbove : public QGraphicsItem
{
public:
    /// The share of a category's row its bar takes, leaving room above it for one line of text.
    static constexpr qreal kBarWidth = 0.5;

    explicit BarLabelsAbove(QChart &chart);

    /// Gives `chart` its labels-above item, or takes it away.
    static void show(QChart &chart, bool shown);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    int type() const override { return kType; }

private:
    static constexpr int kType = UserType + 72;
    QChart &m_chart;
};

} // namespace cliff::ui
