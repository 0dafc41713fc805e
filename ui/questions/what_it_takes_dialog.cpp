#include "what_it_takes_dialog.h"

#include "session/session.h"

#include "econ/distributions.h"
#include "plot/export_subject.h"
#include "plot/view_plot.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleValidator>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <array>
#include <cmath>

namespace cliff::ui {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// How the dialog asks for a metric's value: the unit it is typed in and its factor to the model's
// unit (billions of dollars rather than dollars; percent rather than a fraction).
struct TypedUnit {
    QString label;
    double toModel = 1.0;
};

TypedUnit typedUnit(const QString &key)
{
    if (key == u"gap_2030_usd")
        return {QObject::tr("US$ billions"), 1e9};
    if (key == u"predicted_lag_months")
        return {QObject::tr("months")};
    if (key == u"min_cash_coverage")
        return {QObject::tr("× obligations")};
    if (key == u"strand_year")
        return {QObject::tr("year (2036: none by 2035)")};
    if (key == u"peak_idle_share")
        return {QObject::tr("%"), 0.01};
    if (key.startsWith(u"rank:"))
        return {QObject::tr("rank (1 = most fragile)")};
    return {QObject::tr("points")};
}

// The target's quantity as a reader says it.
QString quantityText(const econ::SolveTarget &target, double value)
{
    if (target.party)
        return QString::number(int(value));
    switch (*target.metric) {
    case econ::HeadlineMetric::Gap2030Usd:
        return qs(plot::formatUsd(value));
    case econ::HeadlineMetric::PredictedLagMonths:
        return QObject::tr("%1 months").arg(value, 0, 'f', 1);
    case econ::HeadlineMetric::MinCashCoverage:
        return QStringLiteral("%1×").arg(value, 0, 'f', 2);
    case econ::HeadlineMetric::StrandYear:
        return value >= econ::kNoStrandYear ? QObject::tr("no strand year by 2035")
                                            : QString::number(int(value));
    case econ::HeadlineMetric::PeakIdleShare:
        return QStringLiteral("%1%").arg(value * 100.0, 0, 'f', 1);
    default:
        return QObject::tr("%1 points").arg(value, 0, 'f', 1);
    }
}

QString figureValueText(const Figure &figure)
{
    return qs(figure.unit == "USD" ? plot::formatUsd(figure.value)
                                   : plot::quantityText(figure.value, figure.unit));
}

} // namespace

WhatItTakesDialog::WhatItTakesDialog(Session &session, econ::EconomicView view, QWidget *parent)
    : QDialog(parent),
      m_session(session),
      m_view(view),
      m_quantity(new QComboBox),
      m_relation(new QComboBox),
      m_value(new QLineEdit),
      m_unit(new QLabel),
      m_summary(new QLabel),
      m_moves(new QTableWidget(0, 5)),
      m_apply(new QPushButton(tr("&Apply to the sliders"))),
      m_applyAndSave(new QPushButton(tr("Apply and &save as…")))
{
    setWindowTitle(tr("What would it take?"));
    setObjectName(QStringLiteral("whatItTakesDialog"));
    for (econ::HeadlineMetric metric : econ::headlineMetrics(view))
        m_quantity->addItem(qs(econ::headlineMetricLabel(metric)), qs(econ::headlineMetricKey(metric)));
    if (view == econ::EconomicView::Fragility) {
        for (std::size_t p = 0; p < econ::kFragilityPartyCount; ++p) {
            m_quantity->addItem(
                tr("Rank of %1").arg(qs(econ::fragilityPartyName(static_cast<econ::FragilityParty>(p)))),
                QStringLiteral("rank:%1").arg(qs(econ::fragilityPartyKey(static_cast<econ::FragilityParty>(p)))));
        }
    }
    m_quantity->setAccessibleName(tr("Quantity"));
    m_relation->addItem(tr("equal to"), QStringLiteral("="));
    m_relation->addItem(tr("below"), QStringLiteral("<"));
    m_relation->addItem(tr("above"), QStringLiteral(">"));
    m_relation->setAccessibleName(tr("Relation"));
    auto *validator = new QDoubleValidator(m_value);
    validator->setLocale(QLocale::c());
    m_value->setValidator(validator);
    m_value->setAccessibleName(tr("Target value"));
    auto *find = new QPushButton(tr("&Find"));
    find->setDefault(true);

    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(new QLabel(tr("Target:")));
    targetRow->addWidget(m_quantity, 2);
    targetRow->addWidget(m_relation);
    targetRow->addWidget(m_value, 1);
    targetRow->addWidget(m_unit);
    targetRow->addWidget(find);

    auto *intro = new QLabel(
        tr("The smallest joint move of this view's assumptions, away from the scenario on screen, "
           "after which the target holds. Moves are counted in each assumption's cited range "
           "(10th to 90th percentile): 1 means one assumption moved across its whole range."));
    intro->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("solveSummary"));
    m_moves->setHorizontalHeaderLabels({tr("Assumption"), tr("From"), tr("To"), tr("Move (ranges)"),
                                        tr("Cited figures this move says are wrong")});
    m_moves->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_moves->horizontalHeader()->setStretchLastSection(true);
    m_moves->verticalHeader()->setVisible(false);
    m_moves->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_moves->setWordWrap(true);
    m_moves->setAccessibleName(tr("Assumptions that move"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_apply, QDialogButtonBox::ActionRole);
    buttons->addButton(m_applyAndSave, QDialogButtonBox::ActionRole);
    m_apply->setEnabled(false);
    m_applyAndSave->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(targetRow);
    layout->addWidget(m_summary);
    layout->addWidget(m_moves, 1);
    layout->addWidget(buttons);

    connect(find, &QPushButton::clicked, this, &WhatItTakesDialog::solve);
    connect(m_value, &QLineEdit::returnPressed, this, &WhatItTakesDialog::solve);
    connect(m_quantity, &QComboBox::currentIndexChanged, this, &WhatItTakesDialog::startTargetValue);
    connect(m_apply, &QPushButton::clicked, this, &WhatItTakesDialog::apply);
    connect(m_applyAndSave, &QPushButton::clicked, this, [this] {
        apply();
        Q_EMIT saveRequested();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    startTargetValue();
    resize(980, 560);
}

void WhatItTakesDialog::startTargetValue()
{
    const QString key = m_quantity->currentData().toString();
    const TypedUnit unit = typedUnit(key);
    m_unit->setText(unit.label);
    if (key == u"gap_2030_usd")
        m_value->setText(QStringLiteral("0"));
    else if (key.startsWith(u"rank:"))
        m_value->setText(QStringLiteral("1"));
    else
        m_value->clear();
}

std::optional<econ::SolveTarget> WhatItTakesDialog::targetFromControls(QString &error) const
{
    bool ok = false;
    const double typed = QLocale::c().toDouble(m_value->text(), &ok);
    if (!ok) {
        error = tr("Type the target value as a number.");
        return std::nullopt;
    }
    const QString key = m_quantity->currentData().toString();
    const double value = typed * typedUnit(key).toModel;
    const QString text = key + m_relation->currentData().toString() + QString::number(value, 'g', 17);
    const auto target = econ::parseSolveTarget(m_view, text.toStdString());
    if (!target) {
        error = QString::fromStdString(target.error().message);
        return std::nullopt;
    }
    return *target;
}

bool WhatItTakesDialog::solveFor(const QString &targetText)
{
    const auto target = econ::parseSolveTarget(m_view, targetText.toStdString());
    if (!target)
        return false;
    const QString key = target->party ? QStringLiteral("rank:%1").arg(qs(econ::fragilityPartyKey(*target->party)))
                                      : qs(econ::headlineMetricKey(*target->metric));
    m_quantity->setCurrentIndex(m_quantity->findData(key));
    m_relation->setCurrentIndex(m_relation->findData(QString(targetText.at(key.size()))));
    m_value->setText(QString::number(target->value / typedUnit(key).toModel, 'g', 12));
    solve();
    return m_answer.has_value();
}

void WhatItTakesDialog::solve()
{
    QString error;
    const auto target = targetFromControls(error);
    if (!target) {
        m_summary->setText(error);
        return;
    }
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    auto answer = econ::solveTarget(m_session.figures(), m_session.scenario(),
                                    m_session.distributions(), *target);
    QGuiApplication::restoreOverrideCursor();
    if (!answer) {
        m_answer.reset();
        m_summary->setText(tr("No answer: %1").arg(QString::fromStdString(answer.error().message)));
        m_moves->setRowCount(0);
        m_apply->setEnabled(false);
        m_applyAndSave->setEnabled(false);
        return;
    }
    m_answer = std::move(*answer);
    showAnswer();
}

void WhatItTakesDialog::showAnswer()
{
    const econ::SolveAnswer &answer = *m_answer;
    const QString target = qs(econ::describeTarget(answer.target));
    const QString from = quantityText(answer.target, answer.quantityAtStart);
    const QString to = quantityText(answer.target, answer.quantityAtAnswer);
    const QString chance = tr("Under the current ranges (%1 Monte Carlo draws) the chance that %2 is %3%.")
                               .arg(QLocale().toString(answer.draws))
                               .arg(qs(plot::lowerFirst(answer.chanceStatement)))
                               .arg(answer.chance * 100.0, 0, 'f', 1);
    // Moves too small to read are applied but not listed.
    constexpr double kListed = 0.01;
    int hidden = 0;
    for (const econ::AssumptionMove &move : answer.moves)
        hidden += std::abs(move.rangeUnits) < kListed ? 1 : 0;
    const QString small = hidden == 0 ? QString()
                                      : tr(" %n smaller move(s), each under %1 of a range, come with it.", "", hidden)
                                            .arg(kListed);
    if (answer.alreadyHolds) {
        m_summary->setText(tr("<b>%1</b> already holds here (%2): nothing needs to move. %3")
                               .arg(target.toHtmlEscaped(), from, chance));
    } else if (answer.reachable) {
        m_summary->setText(tr("<b>%1</b> is reachable. The smallest move is <b>%2 ranges</b>; it takes "
                              "%3 from %4 to %5.%6 %7")
                               .arg(target.toHtmlEscaped())
                               .arg(answer.distance, 0, 'f', 2)
                               .arg(qs(econ::targetQuantityKey(answer.target)) == u"strand_year"
                                        ? tr("the strand year")
                                        : tr("it"),
                                    from, to, small, chance));
    } else {
        m_summary->setText(tr("<b>%1</b> cannot be reached within the sliders' bounds. The closest "
                              "reachable point, %2 ranges away, gives %3 (now %4).%5 %6")
                               .arg(target.toHtmlEscaped())
                               .arg(answer.distance, 0, 'f', 2)
                               .arg(to, from, small, chance));
    }

    m_moves->setRowCount(0);
    for (const econ::AssumptionMove &move : answer.moves) {
        if (std::abs(move.rangeUnits) < kListed)
            continue;
        const econ::Assumption &entry = econ::assumption(move.id);
        const int row = m_moves->rowCount();
        m_moves->insertRow(row);
        QString label = qs(entry.label);
        if (entry.kind == econ::DefaultKind::Illustrative)
            label += tr(" (assumption)");
        const auto item = [](const QString &text) { return new QTableWidgetItem(text); };
        m_moves->setItem(row, 0, item(label));
        m_moves->setItem(row, 1, item(qs(plot::formatAssumptionValue(entry, move.from))));
        m_moves->setItem(row, 2, item(qs(plot::formatAssumptionValue(entry, move.to)) +
                                      (move.atBound ? tr(" (slider's end)") : QString())));
        m_moves->setItem(row, 3, item((move.rangeUnits > 0 ? QStringLiteral("+") : QString()) +
                                      QString::number(move.rangeUnits, 'f', 2)));
        QStringList cited;
        QStringList quotes;
        for (const std::string &id : move.figureIds) {
            const Figure *figure = m_session.findFigure(id);
            if (!figure)
                continue;
            const Source *source = m_session.findSource(figure->sourceId);
            cited << tr("%1, %2: %3 (%4)")
                         .arg(qs(figure->entity), qs(figure->period), figureValueText(*figure),
                              source ? qs(source->publisher) : qs(figure->sourceId));
            quotes << QStringLiteral("“%1”").arg(qs(figure->quote));
        }
        auto *figures = item(cited.isEmpty() ? tr("none: an illustrative value") : cited.join(u"; "));
        figures->setToolTip(quotes.join(u"\n"));
        m_moves->setItem(row, 4, figures);
    }
    m_moves->resizeRowsToContents();
    const bool moves = !answer.alreadyHolds && !answer.moves.empty();
    m_apply->setEnabled(moves);
    m_applyAndSave->setEnabled(moves);
}

void WhatItTakesDialog::apply()
{
    if (!m_answer)
        return;
    m_session.replaceScenario(m_answer->answer,
                              tr("What would it take: %1").arg(qs(econ::describeTarget(m_answer->target))));
}

} // namespace cliff::ui
