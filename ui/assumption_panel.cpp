#include "assumption_panel.h"

#include "distribution_dialog.h"
#include "help/glossary.h"

#include "session/session.h"

#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace cliff::ui {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

int sliderSteps(const econ::Assumption &entry)
{
    return static_cast<int>(std::lround((entry.maxValue - entry.minValue) / entry.step));
}

int sliderPosition(const econ::Assumption &entry, double value)
{
    return static_cast<int>(std::lround((value - entry.minValue) / entry.step));
}

QString tooltipFor(const econ::Assumption &entry)
{
    const DisplayUnit unit = displayUnit(entry.unit);
    QString tip = QStringLiteral("<p><b>%1</b></p><p>%2</p><p>")
                      .arg(qs(entry.label).toHtmlEscaped(), qs(entry.explanation).toHtmlEscaped());
    tip += AssumptionPanel::tr("Default %1%2, range %3 to %4%2.")
               .arg(entry.defaultValue * unit.scale)
               .arg(unit.suffix.toHtmlEscaped())
               .arg(entry.minValue * unit.scale)
               .arg(entry.maxValue * unit.scale);
    if (entry.kind == econ::DefaultKind::Illustrative)
        tip += QStringLiteral(" ") + AssumptionPanel::tr("<i>Illustrative assumption: no source gives this value.</i>");
    else if (entry.kind == econ::DefaultKind::Calibrated)
        tip += QStringLiteral(" ") + AssumptionPanel::tr("Calibrated so the defaults reproduce a cited claim.");
    tip += QStringLiteral("</p>");
    if (const GlossaryEntry *term = glossaryEntry(glossaryKeyForAssumption(entry.key)))
        tip += AssumptionPanel::tr("<p><small>F1: %1 in the glossary.</small></p>")
                   .arg(QCoreApplication::translate("Glossary", term->term).toHtmlEscaped());
    return tip;
}

} // namespace

int displayDecimals(const econ::Assumption &entry)
{
    const double step = entry.step * displayUnit(entry.unit).scale;
    int decimals = 0;
    while (decimals < 6 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-9)
        ++decimals;
    return decimals;
}

DisplayUnit displayUnit(std::string_view unit)
{
    if (unit == "fraction")
        return {QStringLiteral("%"), 100.0};
    if (unit == "fraction per year")
        return {AssumptionPanel::tr("%/yr"), 100.0};
    if (unit == "fraction of revenue")
        return {AssumptionPanel::tr("% of revenue"), 100.0};
    if (unit == "x per year")
        return {AssumptionPanel::tr("× per year"), 1.0};
    if (unit == "x")
        return {QStringLiteral("×"), 1.0};
    if (unit.starts_with("x "))
        return {QStringLiteral("×") + qs(unit.substr(1)), 1.0};
    if (unit == "years")
        return {AssumptionPanel::tr(" years"), 1.0};
    return {QStringLiteral(" ") + qs(unit), 1.0};
}

AssumptionPanel::AssumptionPanel(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_rowsLayout(new QVBoxLayout),
      m_emptyNote(new QLabel)
{
    auto *resetAll = new QPushButton(tr("Reset all to defaults"));
    resetAll->setToolTip(tr("Put every assumption back to its cited or illustrative default"));
    connect(resetAll, &QPushButton::clicked, m_session, &Session::resetAll);
    auto *legend = new QLabel(tr("<i>Italic labels</i> are illustrative assumptions; the others "
                                 "are cited or calibrated. Hover a label for its meaning."));
    legend->setWordWrap(true);
    m_emptyNote->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(resetAll);
    layout->addWidget(legend);
    layout->addWidget(m_emptyNote);
    layout->addLayout(m_rowsLayout);
    layout->addStretch(1);
    connect(m_session, &Session::scenarioChanged, this, &AssumptionPanel::showValues);
    connect(m_session, &Session::distributionsChanged, this, &AssumptionPanel::showValues);
    connect(m_session, &Session::showUncertaintyChanged, this, &AssumptionPanel::showValues);
}

void AssumptionPanel::setAssumptions(std::span<const econ::AssumptionId> ids, const QString &emptyNote)
{
    m_emptyNote->setText(emptyNote);
    const bool same = ids.size() == m_rows.size()
                      && std::equal(ids.begin(), ids.end(), m_rows.begin(),
                                    [](econ::AssumptionId id, const Row &row) { return row.id == id; });
    if (same)
        return;
    for (const Row &row : m_rows)
        delete row.widget;
    m_rows.clear();
    for (econ::AssumptionId id : ids)
        m_rowsLayout->addWidget(makeRow(id));
    m_emptyNote->setVisible(ids.empty());
    showValues();
}

QWidget *AssumptionPanel::makeRow(econ::AssumptionId id)
{
    const econ::Assumption &entry = econ::assumption(id);
    const DisplayUnit unit = displayUnit(entry.unit);
    auto *widget = new QWidget;
    widget->setObjectName(qs(entry.key));
    setHelpTopic(widget, glossaryKeyForAssumption(entry.key));
    auto *label = new QLabel(qs(entry.label));
    label->setToolTip(tooltipFor(entry));
    label->setWordWrap(true);
    if (entry.kind == econ::DefaultKind::Illustrative) {
        QFont italic = label->font();
        italic.setItalic(true);
        label->setFont(italic);
    }

    auto *slider = new QSlider(Qt::Horizontal);
    slider->setRange(0, sliderSteps(entry));
    slider->setToolTip(label->toolTip());
    slider->setAccessibleName(qs(entry.label));

    auto *spin = new QDoubleSpinBox;
    spin->setDecimals(displayDecimals(entry));
    spin->setRange(entry.minValue * unit.scale, entry.maxValue * unit.scale);
    spin->setSingleStep(entry.step * unit.scale);
    spin->setSuffix(unit.suffix);
    spin->setAccessibleName(qs(entry.label));
    spin->setKeyboardTracking(false);

    auto *source = new QToolButton;
    source->setText(tr("Source"));
    const auto figureIds = econ::sourceFigureIds(entry);
    source->setEnabled(!figureIds.empty());
    source->setToolTip(figureIds.empty() ? tr("No source gives this value: it is illustrative")
                                         : tr("Open the figure behind the default in Sources"));
    auto *reset = new QToolButton;
    reset->setText(tr("Reset"));
    reset->setToolTip(tr("Back to the default"));

    connect(slider, &QSlider::valueChanged, this, [this, slider, id, &entry](int position) {
        const double value = entry.minValue + position * entry.step;
        (void)m_session->setAssumption(id, std::min(value, entry.maxValue), slider->isSliderDown());
    });
    connect(slider, &QSlider::sliderReleased, m_session, &Session::endDrag);
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this, id, scale = unit.scale](double shown) {
        (void)m_session->setAssumption(id, shown / scale);
    });
    if (!figureIds.empty()) {
        const QString first = QString::fromStdString(figureIds.front());
        connect(source, &QToolButton::clicked, this, [this, first] { Q_EMIT figureRequested(first); });
    }
    connect(reset, &QToolButton::clicked, this, [this, id] { m_session->resetAssumption(id); });

    // One tab stop per assumption: the slider. Its keys reach the box and the buttons.
    slider->installEventFilter(this);
    slider->setAccessibleDescription(
        tr("Arrows move it; Enter types a value; Delete resets it; Ctrl+Enter opens its source; "
           "Shift+Enter edits its range; F1 explains it."));
    for (QWidget *clickOnly : std::initializer_list<QWidget *>{spin, source, reset})
        clickOnly->setFocusPolicy(Qt::ClickFocus);

    auto *rangeRow = new QWidget;
    auto *range = new QLabel;
    range->setWordWrap(true);
    range->setMinimumWidth(120); // wraps rather than widening the panel
    QFont small = range->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    range->setFont(small);
    auto *rangeButton = new QToolButton;
    rangeButton->setText(tr("Range…"));
    rangeButton->setToolTip(tr("Set the distribution the Monte Carlo draws this assumption from"));
    rangeButton->setAccessibleName(tr("Range of %1").arg(qs(entry.label)));
    rangeButton->setFocusPolicy(Qt::ClickFocus);
    connect(rangeButton, &QToolButton::clicked, this, [this, id] { editRange(id); });
    auto *rangeLayout = new QHBoxLayout(rangeRow);
    rangeLayout->setContentsMargins(0, 0, 0, 0);
    rangeLayout->addWidget(range, 1);
    rangeLayout->addWidget(rangeButton);

    // The slider has a line of its own, so that every slider is as long as the panel is wide and
    // a wide value ("1.00× guided capex") never squeezes it.
    auto *controls = new QHBoxLayout;
    controls->addWidget(spin);
    controls->addStretch(1);
    controls->addWidget(source);
    controls->addWidget(reset);
    auto *grid = new QVBoxLayout(widget);
    grid->setContentsMargins(0, 4, 0, 4);
    grid->setSpacing(2);
    grid->addWidget(label);
    grid->addWidget(slider);
    grid->addLayout(controls);
    grid->addWidget(rangeRow);
    m_rows.push_back({id, widget, label, slider, spin, rangeRow, range, rangeButton});
    return widget;
}

bool AssumptionPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto row = std::find_if(m_rows.begin(), m_rows.end(),
                                  [&](const Row &candidate) { return candidate.slider == watched; });
    if (row == m_rows.end())
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (enter && key->modifiers() & Qt::ControlModifier) {
        const auto figureIds = econ::sourceFigureIds(econ::assumption(row->id));
        if (!figureIds.empty())
            Q_EMIT figureRequested(QString::fromStdString(figureIds.front()));
        return true;
    }
    if (enter && key->modifiers() & Qt::ShiftModifier) {
        if (row->rangeButton->isVisibleTo(this))
            editRange(row->id);
        return true;
    }
    if (enter) {
        row->spinBox->setFocus(Qt::TabFocusReason);
        row->spinBox->selectAll();
        return true;
    }
    if (key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) {
        m_session->resetAssumption(row->id);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void AssumptionPanel::editRange(econ::AssumptionId id)
{
    const econ::DistributionDefault fallback = m_session->defaultDistribution(id);
    DistributionDialog dialog(id, m_session->distributions().get(id),
                              QString::fromStdString(fallback.basis), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.outcome() == DistributionDialog::Outcome::UseDefault)
        m_session->resetDistribution(id);
    else if (const auto distribution = dialog.distribution())
        (void)m_session->setDistribution(id, *distribution);
}

void AssumptionPanel::showValues()
{
    const bool showRanges = m_session->showUncertainty();
    const econ::Distributions distributions =
        showRanges ? m_session->distributions() : econ::Distributions();
    for (const Row &row : m_rows) {
        row.rangeRow->setVisible(showRanges);
        if (showRanges) {
            const QString text = distributionText(econ::assumption(row.id), distributions.get(row.id));
            row.range->setText(m_session->hasDistributionOverride(row.id)
                                   ? tr("Range (set by you): %1").arg(text)
                                   : tr("Range: %1").arg(text));
        }
        const econ::Assumption &entry = econ::assumption(row.id);
        const double value = m_session->scenario().value(row.id);
        const QSignalBlocker sliderBlocker(row.slider);
        const QSignalBlocker spinBlocker(row.spinBox);
        if (!row.slider->isSliderDown())
            row.slider->setValue(sliderPosition(entry, value));
        row.spinBox->setValue(value * displayUnit(entry.unit).scale);
        const bool changed = value != entry.defaultValue;
        QFont font = row.label->font();
        font.setBold(changed);
        row.label->setFont(font);
    }
}

const AssumptionPanel::Row *AssumptionPanel::findRow(econ::AssumptionId id) const
{
    for (const Row &row : m_rows) {
        if (row.id == id)
            return &row;
    }
    return nullptr;
}

QSlider *AssumptionPanel::slider(econ::AssumptionId id) const
{
    const Row *row = findRow(id);
    return row ? row->slider : nullptr;
}

QDoubleSpinBox *AssumptionPanel::spinBox(econ::AssumptionId id) const
{
    const Row *row = findRow(id);
    return row ? row->spinBox : nullptr;
}

void AssumptionPanel::focusAssumption(econ::AssumptionId id)
{
    const Row *row = findRow(id);
    if (!row)
        return;
    for (QWidget *up = parentWidget(); up; up = up->parentWidget()) {
        if (auto *scroll = qobject_cast<QScrollArea *>(up)) {
            scroll->ensureWidgetVisible(row->widget);
            break;
        }
    }
    row->slider->setFocus(Qt::OtherFocusReason);
}

QToolButton *AssumptionPanel::rangeButton(econ::AssumptionId id) const
{
    const Row *row = findRow(id);
    return row ? row->rangeButton : nullptr;
}

} // namespace cliff::ui
