#pragma once

#include <QDialog>

class QDateEdit;
class QRadioButton;

namespace cliff {
class Session;
}

namespace cliff::ui {

/// "Evidence as of": runs the models on every figure in hand, or only on those published by a
/// chosen date (the Nvidia sell-off and the end of 2025 one click away).
class EvidenceDateDialog : public QDialog {
    Q_OBJECT

public:
    explicit EvidenceDateDialog(Session &session, QWidget *parent = nullptr);

private:
    void accept() override;

    Session &m_session;
    QRadioButton *m_everything;
    QRadioButton *m_cut;
    QDateEdit *m_date;
};

} // namespace cliff::ui
