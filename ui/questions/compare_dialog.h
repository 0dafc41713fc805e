#pragma once

#include "econ/economic_view.h"
#include "econ/scenario_comparison.h"

#include <QDialog>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QTableWidget;

namespace cliff {
class Session;
}

namespace cliff::ui {

/// Scenarios side by side: the scenario on screen beside up to three others (the defaults, a
/// story step, a saved file, a scenario link, or the scenario on screen itself with its
/// evidence cut at a date),
/// in a table of the assumptions that differ, the headlines and the statements that flip, and
/// drawn over the view's charts on request.
class CompareDialog : public QDialog {
    Q_OBJECT

public:
    CompareDialog(Session &session, econ::EconomicView view, QWidget *parent = nullptr);

    /// Fills the rows as "then and now": the scenario on screen as of 27 January 2025 and as of
    /// 31 December 2025, beside itself with every figure in hand.
    void fillThenAndNow();
    /// Recomputes the table from the rows; the comparison, or nothing when it failed.
    const std::optional<econ::ScenarioComparison> &refresh();

private:
    struct Row {
        QComboBox *source;
        QCheckBox *dated;
        QDateEdit *date;
        std::optional<econ::Scenario> picked; ///< read when "File…" or "Link…" is chosen
        QString pickedName;
    };

    void chooseFile(Row &row);
    void chooseLink(Row &row);
    [[nodiscard]] std::vector<econ::ComparedCase> others() const;

    Session &m_session;
    econ::EconomicView m_view;
    std::vector<Row> m_rows;
    QLabel *m_status;
    QTableWidget *m_table;
    std::optional<econ::ScenarioComparison> m_comparison;
};

} // namespace cliff::ui
