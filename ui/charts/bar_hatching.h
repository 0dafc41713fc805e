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

} // namespace cliff::ui
