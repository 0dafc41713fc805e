#pragma once

#include "econ/assumption_registry.h"

#include <QWidget>

#include <span>
#include <vector>

class QDoubleSpinBox;
class QLabel;
class QSlider;
class QToolButton;
class QVBoxLayout;

namespace cliff {
class Session;
}

namespace cliff::ui {

/// A slider and a spin box with its unit for each assumption a view reads, with the assumption's
/// explanation on hover, its source one click away and a reset per row and for all. Observes the
/// session; every change goes through it, so it is undoable.
class AssumptionPanel : public QWidget {
    Q_OBJECT

public:
    explicit AssumptionPanel(Session *session, QWidget *parent = nullptr);

    /// Shows rows for `ids`; with none, shows `emptyNote` instead.
    void setAssumptions(std::span<const econ::AssumptionId> ids, const QString &emptyNote = {});

    /// The slider of an assumption shown now, or nullptr.
    [[nodiscard]] QSlider *slider(econ::AssumptionId id) const;
    /// The spin box of an assumption shown now, or nullptr.
    [[nodiscard]] QDoubleSpinBox *spinBox(econ::AssumptionId id) const;
    /// Scrolls to an assumption's row and gives its slider the focus.
    void focusAssumption(econ::AssumptionId id);
    /// The button that opens an assumption's range editor, or nullptr.
    [[nodiscard]] QToolButton *rangeButton(econ::AssumptionId id) const;

Q_SIGNALS:
    /// The user asked for the figure behind an assumption's default.
    void figureRequested(const QString &figureId);

protected:
    /// Keys on a focused slider: Enter edits the value in its box, Delete resets it, Ctrl+Enter
    /// opens the source figure, Shift+Enter the range editor. Only the sliders take Tab, so the
    /// panel is one tab stop per assumption.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Row {
        econ::AssumptionId id;
        QWidget *widget;
        QLabel *label;
        QSlider *slider;
        QDoubleSpinBox *spinBox;
        QWidget *rangeRow; ///< the distribution and its edit button, shown with the uncertainty
        QLabel *range;
        QToolButton *rangeButton;
    };

    QWidget *makeRow(econ::AssumptionId id);
    void editRange(econ::AssumptionId id);
    void showValues();
    [[nodiscard]] const Row *findRow(econ::AssumptionId id) const;

    Session *m_session;
    QVBoxLayout *m_rowsLayout;
    QLabel *m_emptyNote;
    std::vector<Row> m_rows;
};

/// How an assumption is shown: its unit in display form and the factor from model value to shown
/// value (fractions are shown as percentages).
struct DisplayUnit {
    QString suffix;
    double scale = 1.0;
};

/// The display unit of an assumption unit such as "fraction per year" ("%/yr", 100).
DisplayUnit displayUnit(std::string_view unit);

/// The decimals a shown value of `entry` needs for its slider step.
int displayDecimals(const econ::Assumption &entry);

} // namespace cliff::ui
