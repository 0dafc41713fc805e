#pragma once

#include "econ/assumption_registry.h"
#include "econ/distribution.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;

namespace cliff::ui {

/// An assumption's distribution in words, in the units the panel shows:
/// "triangular 3 to 7 years, most likely 5 years".
QString distributionText(const econ::Assumption &entry, const econ::Distribution &distribution);

/// Edits one assumption's distribution: its shape and parameters in the panel's
/// units, checked as they are typed (OK stays disabled while they are invalid,
/// with the reason shown), beside what the default range rests on.
class DistributionDialog : public QDialog {
    Q_OBJECT

public:
    /// What the user chose: a distribution, or the default range back.
    enum class Outcome { Cancelled, Set, UseDefault };

    DistributionDialog(econ::AssumptionId id, const econ::Distribution &current,
                       const QString &defaultBasis, QWidget *parent = nullptr);

    /// The distribution as entered, when it is valid.
    [[nodiscard]] std::optional<econ::Distribution> distribution() const;
    [[nodiscard]] Outcome outcome() const { return m_outcome; }

    /// The spin boxes, for tests: low, centre (value, mode or median), high,
    /// sigma.
    [[nodiscard]] QDoubleSpinBox *lowBox() const { return m_low; }
    [[nodiscard]] QDoubleSpinBox *centreBox() const { return m_centre; }
    [[nodiscard]] QDoubleSpinBox *highBox() const { return m_high; }
    [[nodiscard]] QDoubleSpinBox *sigmaBox() const { return m_sigma; }
    [[nodiscard]] QComboBox *kindBox() const { return m_kind; }

private:
    void showKind();
    void check();

    econ::AssumptionId m_id;
    double m_scale;
    Outcome m_outcome = Outcome::Cancelled;
    QComboBox *m_kind;
    QDoubleSpinBox *m_low;
    QDoubleSpinBox *m_centre;
    QDoubleSpinBox *m_high;
    QDoubleSpinBox *m_sigma;
    QLabel *m_lowLabel;
    QLabel *m_centreLabel;
    QLabel *m_highLabel;
    QLabel *m_sigmaLabel;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace cliff::ui
