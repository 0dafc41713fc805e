#include "compare_dialog.h"

#include "session/session.h"
#include "session/story.h"

#include "econ/evidence_date.h"
#include "econ/headline_metric.h"
#include "econ/scenario_link.h"
#include "plot/comparison_plot.h"
#include "plot/export_subject.h"
#include "store/file_checks.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cliff::ui {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// The sources a row can take, as item data.
enum Source { None, ThisScenario, Defaults, File, Link, FirstStoryStep };

QString isoToday()
{
    return QDate::currentDate().toString(Qt::ISODate);
}

} // namespace

CompareDialog::CompareDialog(Session &session, econ::EconomicView view, QWidget *parent)
    : QDialog(parent),
      m_session(session),
      m_view(view),
      m_status(new QLabel),
      m_table(new QTableWidget)
{
    setWindowTitle(tr("Compare scenarios"));
    setObjectName(QStringLiteral("compareDialog"));
    auto *intro = new QLabel(tr("The scenario on screen beside up to three others. Each may cut its "
                                "evidence at a date, to see what the figures said then."));
    intro->setWordWrap(true);
    auto *grid = new QGridLayout;
    const std::vector<StoryStep> story = thesisStory();
    for (int r = 0; r < plot::kMaxComparedScenarios; ++r) {
        Row row{new QComboBox, new QCheckBox(tr("evidence as of")), new QDateEdit, std::nullopt, {}};
        row.source->addItem(tr("(none)"), int(None));
        row.source->addItem(tr("This scenario"), int(ThisScenario));
        row.source->addItem(tr("Defaults"), int(Defaults));
        row.source->addItem(tr("Scenario file…"), int(File));
        row.source->addItem(tr("Scenario link…"), int(Link));
        for (std::size_t s = 0; s < story.size(); ++s)
            row.source->addItem(tr("Story: %1").arg(story[s].title), int(FirstStoryStep + int(s)));
        row.source->setAccessibleName(tr("Scenario %1").arg(r + 2));
        row.date->setCalendarPopup(true);
        row.date->setDisplayFormat(QStringLiteral("d MMMM yyyy"));
        row.date->setDateRange(QDate(1990, 1, 1), QDate::currentDate());
        row.date->setDate(QDate(2025, 1, 27));
        row.date->setEnabled(false);
        connect(row.dated, &QCheckBox::toggled, row.date, &QWidget::setEnabled);
        grid->addWidget(new QLabel(tr("Scenario %1:").arg(r + 2)), r, 0);
        grid->addWidget(row.source, r, 1);
        grid->addWidget(row.dated, r, 2);
        grid->addWidget(row.date, r, 3);
        m_rows.push_back(row);
    }
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        connect(m_rows[r].source, &QComboBox::activated, this, [this, r] {
            const int source = m_rows[r].source->currentData().toInt();
            if (source == File)
                chooseFile(m_rows[r]);
            else if (source == Link)
                chooseLink(m_rows[r]);
            refresh();
        });
        connect(m_rows[r].dated, &QCheckBox::toggled, this, [this] { refresh(); });
        connect(m_rows[r].date, &QDateEdit::dateChanged, this, [this] { refresh(); });
    }
    m_rows[0].source->setCurrentIndex(m_rows[0].source->findData(int(Defaults)));

    m_status->setWordWrap(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->setWordWrap(true);
    m_table->setAccessibleName(tr("Comparison"));

    auto *thenAndNow = new QPushButton(tr("&Then and now"));
    thenAndNow->setToolTip(tr("This scenario as of 27 January 2025 and 31 December 2025, beside itself today"));
    connect(thenAndNow, &QPushButton::clicked, this, &CompareDialog::fillThenAndNow);
    auto *draw = new QPushButton(tr("&Draw on the charts"));
    connect(draw, &QPushButton::clicked, this, [this] {
        if (refresh())
            m_session.setComparedScenarios(others());
    });
    auto *stop = new QPushButton(tr("&Stop comparing"));
    connect(stop, &QPushButton::clicked, this, [this] { m_session.setComparedScenarios({}); });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(thenAndNow, QDialogButtonBox::ActionRole);
    buttons->addButton(draw, QDialogButtonBox::ActionRole);
    buttons->addButton(stop, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(grid);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(1000, 600);
    refresh();
}

void CompareDialog::chooseFile(Row &row)
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Scenario to compare"), {},
                                                      tr("Scenarios (*.json)"));
    if (path.isEmpty()) {
        row.source->setCurrentIndex(row.source->findData(int(None)));
        return;
    }
    const auto read = store::readSmallFile(path, econ::kMaxScenarioJsonBytes);
    econ::Scenario scenario;
    const Status applied = read ? scenario.applyJson(std::string_view(read->constData(), std::size_t(read->size())))
                                : Status(read.error());
    if (!applied) {
        m_status->setText(tr("%1 cannot be compared: %2").arg(path, QString::fromStdString(applied.error().message)));
        row.source->setCurrentIndex(row.source->findData(int(None)));
        return;
    }
    // A scenario saved with an evidence date is compared at that date.
    const auto asOf = econ::scenarioEvidenceDate(std::string_view(read->constData(), std::size_t(read->size())));
    if (!asOf) {
        m_status->setText(tr("%1 cannot be compared: %2").arg(path, QString::fromStdString(asOf.error().message)));
        row.source->setCurrentIndex(row.source->findData(int(None)));
        return;
    }
    if (!asOf->empty()) {
        row.dated->setChecked(true);
        row.date->setDate(QDate::fromString(QString::fromStdString(*asOf), Qt::ISODate));
    }
    row.picked = scenario;
    row.pickedName = QFileInfo(path).completeBaseName();
    row.source->setItemText(row.source->findData(int(File)), tr("File: %1").arg(row.pickedName));
}

void CompareDialog::chooseLink(Row &row)
{
    const QString text = QInputDialog::getText(this, tr("Scenario to compare"),
                                               tr("Scenario link (compute-cliff:view=…):"));
    std::vector<std::string_view> views(Session::viewKeys().begin(), Session::viewKeys().end());
    const auto link = econ::parseScenarioLink(text.toStdString(), views);
    if (text.isEmpty() || !link) {
        if (!text.isEmpty())
            m_status->setText(tr("That link cannot be compared: %1").arg(QString::fromStdString(link.error().message)));
        row.source->setCurrentIndex(row.source->findData(int(None)));
        return;
    }
    row.picked = link->scenario;
    row.pickedName = tr("Link");
}

std::vector<econ::ComparedCase> CompareDialog::others() const
{
    const std::vector<StoryStep> story = thesisStory();
    std::vector<econ::ComparedCase> cases;
    for (const Row &row : m_rows) {
        const int source = row.source->currentData().toInt();
        econ::ComparedCase item;
        if (source == None || ((source == File || source == Link) && !row.picked))
            continue;
        if (source == ThisScenario) {
            item = {tr("This scenario").toStdString(), m_session.scenario(), {}};
        } else if (source == Defaults) {
            item = {tr("Defaults").toStdString(), econ::Scenario(), {}};
        } else if (source == File || source == Link) {
            item = {row.pickedName.toStdString(), *row.picked, {}};
        } else {
            const StoryStep &step = story[std::size_t(source - FirstStoryStep)];
            item = {step.title.toStdString(), step.scenario, {}};
        }
        if (row.dated->isChecked()) {
            item.asOf = row.date->date().toString(Qt::ISODate).toStdString();
            item.name += tr(", as of %1").arg(QString::fromStdString(plot::readableDate(item.asOf))).toStdString();
        }
        cases.push_back(std::move(item));
    }
    return cases;
}

void CompareDialog::fillThenAndNow()
{
    const std::array<QDate, 2> dates = {QDate(2025, 1, 27), QDate(2025, 12, 31)};
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        Row &row = m_rows[r];
        const bool used = r < dates.size();
        row.source->setCurrentIndex(row.source->findData(int(used ? ThisScenario : None)));
        row.dated->setChecked(used);
        if (used)
            row.date->setDate(dates[r]);
    }
    refresh();
}

const std::optional<econ::ScenarioComparison> &CompareDialog::refresh()
{
    std::vector<econ::ComparedCase> cases{m_session.currentCase()};
    for (econ::ComparedCase &item : others())
        cases.push_back(std::move(item));
    auto comparison = econ::compareScenarios(m_view, m_session.figuresInHand(), cases,
                                             isoToday().toStdString());
    m_table->clear();
    if (!comparison) {
        m_comparison.reset();
        m_status->setText(cases.size() < econ::kMinComparedCases
                              ? tr("Choose at least one scenario to compare with the one on screen.")
                              : QString::fromStdString(comparison.error().message));
        m_table->setRowCount(0);
        m_table->setColumnCount(0);
        return m_comparison;
    }
    m_comparison = std::move(*comparison);
    const econ::ScenarioComparison &result = *m_comparison;
    QStringList header{tr("")};
    for (const econ::ComparedCase &item : result.cases)
        header << QString::fromStdString(item.name);
    m_table->setColumnCount(int(header.size()));
    m_table->setHorizontalHeaderLabels(header);
    m_table->setRowCount(0);
    const auto addRow = [&](const QString &label, const auto &cellOf, bool bold = false) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto *first = new QTableWidgetItem(label);
        QFont font = first->font();
        font.setBold(bold);
        first->setFont(font);
        m_table->setItem(row, 0, first);
        for (std::size_t c = 0; c < result.cases.size(); ++c)
            m_table->setItem(row, int(c) + 1, new QTableWidgetItem(cellOf(c)));
    };
    addRow(tr("Figures used"), [&](std::size_t c) {
        const econ::CaseOutcome &outcome = result.outcomes[c];
        return outcome.publishedLater + outcome.undated == 0
                   ? tr("all %1").arg(outcome.figuresUsed)
                   : tr("%1 (%2 left out)").arg(outcome.figuresUsed).arg(outcome.publishedLater + outcome.undated);
    });
    for (econ::AssumptionId id : result.differing) {
        const econ::Assumption &entry = econ::assumption(id);
        addRow(qs(entry.label), [&](std::size_t c) {
            return qs(plot::formatAssumptionValue(entry, result.cases[c].scenario.value(id)));
        });
    }
    const auto metrics = econ::headlineMetrics(m_view);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        const bool usd = metrics[m] == econ::HeadlineMetric::Gap2030Usd;
        const auto text = [&](double value) {
            return usd ? qs(plot::formatUsd(value)) : QString::number(value, 'f', 2);
        };
        addRow(qs(econ::headlineMetricLabel(metrics[m])), [&](std::size_t c) {
            const double value = result.outcomes[c].headlines[m];
            const double change = value - result.outcomes.front().headlines[m];
            return c == 0 || change == 0.0 ? text(value)
                                           : QStringLiteral("%1 (%2%3)").arg(text(value), change > 0 ? QStringLiteral("+") : QString(), text(change));
        }, true);
    }
    for (std::size_t s : result.flipped) {
        addRow(tr("Flips: %1").arg(qs(result.outcomes.front().statements[s].description)), [&](std::size_t c) {
            const econ::NamedProbability &statement = result.outcomes[c].statements[s];
            return !econ::statementKnown(statement) ? tr("n/a: no figure then")
                   : econ::statementHolds(statement) ? tr("yes")
                                                     : tr("no");
        });
    }
    m_status->setText(result.flipped.empty()
                          ? tr("No conclusion of this view flips between these scenarios.")
                          : tr("%n conclusion(s) of this view flip between these scenarios.", "",
                               int(result.flipped.size())));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->resizeRowsToContents();
    return m_comparison;
}

} // namespace cliff::ui
