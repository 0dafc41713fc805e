#include "distribution_dialog.h"

#include "help/glossary.h"

#include "assumption_panel.h"

#include "econ/distributions.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cliff::ui {

namespace {

using econ::DistributionKind;

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

constexpr DistributionKind kKinds[] = {DistributionKind::Fixed, DistributionKind::Uniform,
                                       DistributionKind::Triangular, DistributionKind::LogNormal};

QDoubleSpinBox *valueBox(const econ::Assumption &entry, const DisplayUnit &unit)
{
    auto *box = new QDoubleSpinBox;
    // One decimal finer than the slider: cited ranges fall between its steps.
    box->setDecimals(displayDecimals(entry) + 1);
    box->setRange(entry.minValue * unit.scale, entry.maxValue * unit.scale);
    box->setSingleStep(entry.step * unit.scale);
    box->setSuffix(unit.suffix);
    box->setKeyboardTracking(true);
    return box;
}

} // namespace

QString distributionText(const econ::Assumption &entry, const econ::Distribution &distribution)
{
    const DisplayUnit unit = displayUnit(entry.unit);
    const auto number = [&](double value) { return QString::number(value * unit.scale, 'g', 3); };
    // The unit once, after the range: "5 to 6 years".
    const QString range = number(distribution.low) + DistributionDialog::tr(" to ") +
                          number(distribution.high) + unit.suffix;
    switch (distribution.kind) {
    case DistributionKind::Fixed:
        return DistributionDialog::tr("fixed at %1").arg(number(distribution.centre) + unit.suffix);
    case DistributionKind::Uniform:
        return DistributionDialog::tr("uniform, %1").arg(range);
    case DistributionKind::Triangular:
        return DistributionDialog::tr("triangular, %1, mode %2")
            .arg(range, number(distribution.centre));
    case DistributionKind::LogNormal:
        return DistributionDialog::tr("log-normal, median %1, sigma %2")
            .arg(number(distribution.centre) + unit.suffix,
                 QString::number(distribution.sigma, 'g', 3));
    }
    return {};
}

DistributionDialog::DistributionDialog(econ::AssumptionId id, const econ::Distribution &current,
                                       const QString &defaultBasis, QWidget *parent)
    : QDialog(parent),
      m_id(id),
      m_scale(displayUnit(econ::assumption(id).unit).scale),
      m_kind(new QComboBox),
      m_sigma(new QDoubleSpinBox),
      m_lowLabel(new QLabel(tr("Low"))),
      m_centreLabel(new QLabel),
      m_highLabel(new QLabel(tr("High"))),
      m_sigmaLabel(new QLabel(tr("Sigma of ln x"))),
      m_problem(new QLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                     QDialogButtonBox::RestoreDefaults))
{
    const econ::Assumption &entry = econ::assumption(id);
    const DisplayUnit unit = displayUnit(entry.unit);
    setWindowTitle(tr("Range of %1").arg(qs(entry.label)));
    setHelpTopic(this, "distribution");
    m_low = valueBox(entry, unit);
    m_centre = valueBox(entry, unit);
    m_high = valueBox(entry, unit);
    m_sigma->setDecimals(3);
    m_sigma->setRange(0.001, 5.0);
    m_sigma->setSingleStep(0.05);
    for (DistributionKind kind : kKinds)
        m_kind->addItem(qs(econ::distributionKindName(kind)), int(kind));

    m_kind->setCurrentIndex(m_kind->findData(int(current.kind)));
    m_low->setValue(current.low * m_scale);
    m_centre->setValue(current.centre * m_scale);
    m_high->setValue(current.high * m_scale);
    m_sigma->setValue(current.sigma > 0 ? current.sigma : 0.25);
    if (current.kind == DistributionKind::Fixed) {
        // A fixed value gives no range yet: start from the slider's full range.
        m_low->setValue(entry.minValue * m_scale);
        m_high->setValue(entry.maxValue * m_scale);
    }

    auto *basis = new QLabel(tr("Default range: %1").arg(defaultBasis));
    basis->setWordWrap(true);
    auto *explain = new QLabel(tr("The Monte Carlo draws this assumption from the range below; "
                                  "the tornado chart swings it from the range's 10th to its 90th "
                                  "percentile."));
    explain->setWordWrap(true);
    m_problem->setWordWrap(true);
    QPalette warning = m_problem->palette();
    warning.setColor(QPalette::WindowText, QColor(0xD5, 0x5E, 0x00));
    m_problem->setPalette(warning);

    auto *form = new QFormLayout;
    form->addRow(tr("Shape"), m_kind);
    form->addRow(m_lowLabel, m_low);
    form->addRow(m_centreLabel, m_centre);
    form->addRow(m_highLabel, m_high);
    form->addRow(m_sigmaLabel, m_sigma);
    m_buttons->button(QDialogButtonBox::RestoreDefaults)->setText(tr("Use default range"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explain);
    layout->addWidget(basis);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        showKind();
        check();
    });
    for (QDoubleSpinBox *box : {m_low, m_centre, m_high, m_sigma})
        connect(box, &QDoubleSpinBox::valueChanged, this, &DistributionDialog::check);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        m_outcome = Outcome::Set;
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] {
                m_outcome = Outcome::UseDefault;
                accept();
            });
    showKind();
    check();
}

void DistributionDialog::showKind()
{
    const auto kind = DistributionKind(m_kind->currentData().toInt());
    const bool bounded = kind == DistributionKind::Uniform || kind == DistributionKind::Triangular;
    m_centreLabel->setText(kind == DistributionKind::Fixed       ? tr("Value")
                           : kind == DistributionKind::LogNormal ? tr("Median")
                                                                 : tr("Most likely"));
    const bool centred = kind != DistributionKind::Uniform;
    m_centreLabel->setVisible(centred);
    m_centre->setVisible(centred);
    for (QWidget *widget : std::initializer_list<QWidget *>{m_lowLabel, m_low, m_highLabel, m_high})
        widget->setVisible(bounded);
    m_sigmaLabel->setVisible(kind == DistributionKind::LogNormal);
    m_sigma->setVisible(kind == DistributionKind::LogNormal);
}

std::optional<econ::Distribution> DistributionDialog::distribution() const
{
    const double low = m_low->value() / m_scale;
    const double centre = m_centre->value() / m_scale;
    const double high = m_high->value() / m_scale;
    const econ::Assumption &entry = econ::assumption(m_id);
    econ::Distribution distribution;
    switch (DistributionKind(m_kind->currentData().toInt())) {
    case DistributionKind::Fixed:
        distribution = econ::Distribution::fixed(centre);
        break;
    case DistributionKind::Uniform:
        distribution = econ::Distribution::uniform(low, high);
        break;
    case DistributionKind::Triangular:
        distribution = econ::Distribution::triangular(low, centre, high);
        break;
    case DistributionKind::LogNormal:
        distribution =
            econ::Distribution::logNormal(centre, m_sigma->value(), entry.minValue, entry.maxValue);
        break;
    }
    if (!econ::validateDistribution(m_id, distribution))
        return std::nullopt;
    return distribution;
}

void DistributionDialog::check()
{
    const double low = m_low->value() / m_scale;
    const double centre = m_centre->value() / m_scale;
    const double high = m_high->value() / m_scale;
    QString problem;
    switch (DistributionKind(m_kind->currentData().toInt())) {
    case DistributionKind::Uniform:
        if (!(low < high))
            problem = tr("Low must be below high.");
        break;
    case DistributionKind::Triangular:
        if (!(low < high))
            problem = tr("Low must be below high.");
        else if (centre < low || centre > high)
            problem = tr("The most likely value must lie between low and high.");
        break;
    case DistributionKind::LogNormal:
        if (!(centre > 0))
            problem = tr("A log-normal needs a median above zero.");
        break;
    case DistributionKind::Fixed:
        break;
    }
    if (problem.isEmpty() && !distribution())
        problem = tr("These values are outside the assumption's range.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace cliff::ui
