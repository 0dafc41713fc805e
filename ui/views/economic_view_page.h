#pragma once

#include "ui/charts/chart_style.h"

#include "econ/economic_view.h"

#include <QWidget>

#include <map>
#include <string>
#include <vector>

class QLabel;
class QScrollArea;
class QGridLayout;

namespace cliff {
class Session;
}

namespace cliff::ui {

class ChartWidget;

/// One economic view: its question, the headline numbers, its charts and the model's method.
/// Redraws from the session's plots when it is the visible view.
class EconomicViewPage : public QWidget {
    Q_OBJECT

public:
    EconomicViewPage(Session *session, econ::EconomicView view, QWidget *parent = nullptr);

    [[nodiscard]] econ::EconomicView view() const { return m_view; }
    /// Rebuilds the plot from the session and redraws every chart.
    void refresh();
    void setChartStyle(const ChartStyle &style);
    [[nodiscard]] const std::vector<ChartWidget *> &charts() const { return m_charts; }
    /// Scrolls the chart with this key to the top of the view, now or once it is drawn; false
    /// when the view has no such chart yet.
    bool showChart(const QString &key);
    [[nodiscard]] QString headline() const;

Q_SIGNALS:
    void figureActivated(const QString &figureId);
    /// A tornado bar was clicked: the key of its assumption.
    void assumptionActivated(const QString &key);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void layoutCharts();
    void scrollToPendingChart();
    void applyFonts();
    void ensureCharts(std::size_t count);
    [[nodiscard]] QString sourceLineFor(const std::vector<std::string> &figureIds);

    Session *m_session;
    econ::EconomicView m_view;
    ChartStyle m_style;
    QLabel *m_question;
    QLabel *m_headline;
    QLabel *m_chances;
    QLabel *m_context; ///< the evidence date and the compared scenarios, when set
    QLabel *m_notes;
    QLabel *m_method;
    QGridLayout *m_grid;
    int m_columns = 1;
    std::vector<ChartWidget *> m_charts;
    QScrollArea *m_scroll = nullptr;
    QString m_pendingChart; ///< shown by scrollToPendingChart once the layout has room
    std::map<std::vector<std::string>, QString> m_sourceLines;
};

} // namespace cliff::ui
