#pragma once

#include "econ/economic_view.h"
#include "econ/target_solver.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace cliff {
class Session;
}

namespace cliff::ui {

/// "What would it take?": the user sets a target for the view's headline; the dialog shows the
/// smallest move of the assumptions that reaches it (econ::solveTarget), the figures each move
/// contradicts and the target's chance, and can put the answer on the sliders in one undo step.
class WhatItTakesDialog : public QDialog {
    Q_OBJECT

public:
    WhatItTakesDialog(Session &session, econ::EconomicView view, QWidget *parent = nullptr);

    /// Sets the target as solve's text would ("gap_2030_usd=0") and solves; false when the text
    /// is not a target of the view.
    bool solveFor(const QString &targetText);
    /// The last answer, or nothing before one.
    [[nodiscard]] const std::optional<econ::SolveAnswer> &answer() const { return m_answer; }

Q_SIGNALS:
    /// The user asked to save the applied answer as a scenario file.
    void saveRequested();

private:
    void solve();
    void apply();
    void showAnswer();
    /// Puts a value that asks for something in the value box: a zero gap, the first rank.
    void startTargetValue();
    [[nodiscard]] std::optional<econ::SolveTarget> targetFromControls(QString &error) const;

    Session &m_session;
    econ::EconomicView m_view;
    QComboBox *m_quantity;
    QComboBox *m_relation;
    QLineEdit *m_value;
    QLabel *m_unit;
    QLabel *m_summary;
    QTableWidget *m_moves;
    QPushButton *m_apply;
    QPushButton *m_applyAndSave;
    std::optional<econ::SolveAnswer> m_answer;
};

} // namespace cliff::ui
