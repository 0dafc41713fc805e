#include "evidence_date_dialog.h"

#include "session/session.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace cliff::ui {

EvidenceDateDialog::EvidenceDateDialog(Session &session, QWidget *parent)
    : QDialog(parent),
      m_session(session),
      m_everything(new QRadioButton(tr("&Every figure in hand"))),
      m_cut(new QRadioButton(tr("&Only figures published by"))),
      m_date(new QDateEdit)
{
    setWindowTitle(tr("Evidence as of a date"));
    setObjectName(QStringLiteral("evidenceDateDialog"));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("d MMMM yyyy"));
    m_date->setDateRange(QDate(1990, 1, 1), QDate::currentDate());
    m_date->setDate(session.evidenceDate().value_or(QDate(2025, 1, 27)));
    m_date->setAccessibleName(tr("Evidence date"));
    (session.evidenceDate() ? m_cut : m_everything)->setChecked(true);
    m_date->setEnabled(m_cut->isChecked());
    connect(m_cut, &QRadioButton::toggled, m_date, &QWidget::setEnabled);

    auto *intro = new QLabel(
        tr("The models and charts can be run on only the figures whose source was published on "
           "or before a date, to see what the evidence said then. A source dated only by month or "
           "year counts from its last day; a figure without a publication date is left out. The "
           "charts say how many figures were left out."));
    intro->setWordWrap(true);
    auto *dateRow = new QHBoxLayout;
    dateRow->addWidget(m_cut);
    dateRow->addWidget(m_date, 1);
    auto *presets = new QHBoxLayout;
    const auto preset = [&](const QString &text, QDate date) {
        auto *button = new QPushButton(text);
        connect(button, &QPushButton::clicked, this, [this, date] {
            m_cut->setChecked(true);
            m_date->setDate(date);
        });
        presets->addWidget(button);
    };
    preset(tr("27 January 2025: the Nvidia sell-off"), QDate(2025, 1, 27));
    preset(tr("31 December 2025"), QDate(2025, 12, 31));
    presets->addStretch(1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &EvidenceDateDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_everything);
    layout->addLayout(dateRow);
    layout->addLayout(presets);
    layout->addWidget(buttons);
}

void EvidenceDateDialog::accept()
{
    m_session.setEvidenceDate(m_cut->isChecked() ? std::optional(m_date->date()) : std::nullopt);
    QDialog::accept();
}

} // namespace cliff::ui
