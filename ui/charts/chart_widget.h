#pragma once

#include "chart_style.h"

#include "plot/chart_spec.h"

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QChart;
class QChartView;
class QCheckBox;
class QLabel;
class QPushButton;
class QTimer;

namespace cliff::ui {

class ChartLegend;

/// What a chart says about a stored figure when hovered or listed.
struct FigureInfo {
    QString kind;   ///< "reported", "estimate", ...
    QString source; ///< publisher and title
    QString period;
    bool userOwned = false; ///< one of the user's own, imported figures
};

/// One chart with its title, source line and tools: log/linear, "show data" and, for charts over
/// years, a play button that reveals the years one by one.
class ChartWidget : public QWidget {
    Q_OBJECT

public:
    using FigureLookup = std::function<std::optional<FigureInfo>(const std::string &figureId)>;

    ChartWidget(FigureLookup lookup, QWidget *parent = nullptr);
    ~ChartWidget() override;

    /// Shows `spec` with `sourceLine` under it, updating the drawn series in place when only the
    /// numbers changed.
    void setSpec(const plot::ChartSpec &spec, const QString &sourceLine);
    void setChartStyle(const ChartStyle &style);

    [[nodiscard]] const plot::ChartSpec &spec() const { return m_spec; }
    /// The point the keyboard has reached (Left/Right on the focused chart), as its tooltip reads;
    /// empty before the first key.
    [[nodiscard]] QString keyboardPointText() const;
    [[nodiscard]] QChart *chart() const;
    [[nodiscard]] QChartView *chartView() const { return m_view; }
    [[nodiscard]] const ChartLegend *legend() const { return m_legend; }
    /// The y scale in use (the spec's default until the user toggles it).
    [[nodiscard]] plot::AxisScale yScale() const;
    void setLogScale(bool log);
    [[nodiscard]] bool playing() const;
    /// Starts or stops the year-by-year animation.
    void setPlaying(bool play);

    /// The rows of "show data": series, x, value, unit, kind, figure id, one per plotted point.
    [[nodiscard]] QList<QStringList> dataRows() const;

Q_SIGNALS:
    /// A plotted point that is a stored figure was clicked.
    void figureActivated(const QString &figureId);
    /// A tornado bar was clicked: the key of the assumption it swings.
    void assumptionActivated(const QString &key);

protected:
    void changeEvent(QEvent *event) override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Moves the keyboard's point by `step` (or to the first or last point) and announces it.
    void moveKeyboardPoint(int step);
    void applyFonts();
    void showTitle();
    void redraw(bool rebuild);
    void connectSeries();
    void showPointToolTip(int seriesIndex, QPointF value);
    void activatePoint(int seriesIndex, QPointF value);
    [[nodiscard]] const plot::Point *nearestPoint(int seriesIndex, QPointF value) const;
    [[nodiscard]] QString pointText(const plot::Series &series, const plot::Point &point) const;
    void showData();
    void advancePlay();
    [[nodiscard]] plot::ChartSpec displayedSpec() const;

    FigureLookup m_lookup;
    plot::ChartSpec m_spec;
    int m_keyboardPoint = -1; ///< index into the chart's navigable points, -1 before the first key
    plot::ChartSpec m_drawn; ///< what the chart currently shows (the spec cut at the play year)
    bool m_hasDrawn = false;
    ChartStyle m_style;
    std::optional<plot::AxisScale> m_userScale;
    std::optional<double> m_playYear;
    QLabel *m_title;
    QLabel *m_note;
    QLabel *m_sourceLine;
    QCheckBox *m_logScale;
    QPushButton *m_play;
    QPushButton *m_showData;
    QChartView *m_view;
    ChartLegend *m_legend;
    QTimer *m_playTimer;
};

} // namespace cliff::ui
