#include "session.h"

#include "plot/comparison_plot.h"
#include "plot/export_subject.h"

#include "scenario_command.h"

#include "econ/scenario_link.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace cliff {

namespace {

// Slider steps of one drag share a merge key; keys of different drags never collide.
constexpr quint64 kMergeKeysPerDrag = 64;
static_assert(econ::kAssumptionCount < kMergeKeysPerDrag);

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

Session::Session(std::vector<Figure> figures, std::vector<Source> sources, QObject *parent)
    : QObject(parent), m_viewKey(QStringLiteral("revenue-gap"))
{
    m_recomputeTimer.setSingleShot(true);
    m_recomputeTimer.setInterval(0);
    connect(&m_recomputeTimer, &QTimer::timeout, this, &Session::onRecomputeDue);
    m_uncertaintyThrottle.setSingleShot(true);
    m_uncertaintyThrottle.setInterval(kUncertaintyIntervalMs);
    connect(&m_uncertaintyThrottle, &QTimer::timeout, this, &Session::startUncertaintyRun);
    setFigures(std::move(figures), std::move(sources));
}

Session::~Session()
{
    cancelUncertaintyRun();
    m_run.waitForFinished();
}

void Session::setFigures(std::vector<Figure> figures, std::vector<Source> sources)
{
    m_figuresInHand = std::move(figures);
    m_sources = std::move(sources);
    applyEvidenceDate();
}

void Session::setEvidenceDate(std::optional<QDate> date)
{
    if (date == m_evidenceDate)
        return;
    m_evidenceDate = date;
    applyEvidenceDate();
    Q_EMIT evidenceDateChanged();
}

void Session::applyEvidenceDate()
{
    m_evidence.reset();
    m_figures = m_figuresInHand;
    if (m_evidenceDate) {
        auto cut = econ::evidenceAsOf(m_figuresInHand,
                                      m_evidenceDate->toString(Qt::ISODate).toStdString(),
                                      QDate::currentDate().toString(Qt::ISODate).toStdString());
        if (cut) { // a QDate is always a valid date; one before 1990 falls back to every figure
            m_figures = cut->figures;
            m_evidence = std::move(*cut);
        }
    }
    m_figureIndex.clear();
    m_sourceIndex.clear();
    for (std::size_t i = 0; i < m_figures.size(); ++i)
        m_figureIndex.emplace(m_figures[i].id, i);
    for (std::size_t i = 0; i < m_sources.size(); ++i)
        m_sourceIndex.emplace(m_sources[i].id, i);
    m_distributionDefaults = econ::defaultDistributionDetails(m_figures);
    m_defaultDistributions = econ::Distributions();
    for (const econ::DistributionDefault &detail : m_distributionDefaults)
        (void)m_defaultDistributions.set(detail.id, detail.distribution);
    ++m_figuresVersion;
    scheduleRecompute();
}

const Figure *Session::findFigure(const std::string &id) const
{
    const auto found = m_figureIndex.find(id);
    return found == m_figureIndex.end() ? nullptr : &m_figures[found->second];
}

const Source *Session::findSource(const std::string &id) const
{
    const auto found = m_sourceIndex.find(id);
    return found == m_sourceIndex.end() ? nullptr : &m_sources[found->second];
}

Status Session::setAssumption(econ::AssumptionId id, double value, bool dragging)
{
    econ::Scenario after = m_scenario;
    if (Status set = after.set(id, value); !set)
        return set;
    if (after == m_scenario)
        return Ok{};
    if (!dragging)
        endDrag();
    const quint64 mergeKey = dragging ? m_dragSerial * kMergeKeysPerDrag + quint64(id) + 1 : 0;
    m_undoStack.push(new ScenarioCommand(this, m_scenario, after,
                                         tr("Change %1").arg(qs(econ::assumption(id).label)),
                                         mergeKey));
    if (!dragging)
        endDrag();
    m_dragging = dragging;
    return Ok{};
}

void Session::endDrag()
{
    ++m_dragSerial;
    if (m_dragging) {
        m_dragging = false;
        scheduleRecompute(); // the full Monte Carlo run waits for the end of a drag
    }
}

void Session::resetAssumption(econ::AssumptionId id)
{
    econ::Scenario after = m_scenario;
    (void)after.set(id, econ::assumption(id).defaultValue);
    if (after != m_scenario)
        replaceScenario(after, tr("Reset %1").arg(qs(econ::assumption(id).label)));
}

void Session::resetAll()
{
    if (m_scenario != econ::Scenario{})
        replaceScenario(econ::Scenario{}, tr("Reset all assumptions"));
}

void Session::replaceScenario(const econ::Scenario &scenario, const QString &what)
{
    endDrag();
    if (scenario != m_scenario)
        m_undoStack.push(new ScenarioCommand(this, m_scenario, scenario, what));
}

void Session::assignScenario(const econ::Scenario &scenario)
{
    m_scenario = scenario;
    Q_EMIT scenarioChanged();
    scheduleRecompute();
}

void Session::setViewKey(const QString &key)
{
    if (key == m_viewKey)
        return;
    m_viewKey = key;
    Q_EMIT viewKeyChanged(key);
    scheduleRecompute();
}

void Session::setCompareWithDefaults(bool compare)
{
    if (compare == m_compareWithDefaults)
        return;
    m_compareWithDefaults = compare;
    Q_EMIT compareWithDefaultsChanged(compare);
    scheduleRecompute();
}

void Session::setMachineCost(std::optional<plot::MachineCost> cost)
{
    m_machineCost = std::move(cost);
    scheduleRecompute();
}

void Session::setShowUncertainty(bool show)
{
    if (show == m_showUncertainty)
        return;
    m_showUncertainty = show;
    if (!show)
        cancelUncertaintyRun();
    Q_EMIT showUncertaintyChanged(show);
    scheduleRecompute();
}

econ::Distributions Session::distributions() const
{
    econ::Distributions distributions = m_defaultDistributions.centredOn(m_scenario);
    for (const auto &[id, distribution] : m_distributionOverrides)
        (void)distributions.set(id, distribution);
    return distributions;
}

econ::DistributionDefault Session::defaultDistribution(econ::AssumptionId id) const
{
    econ::DistributionDefault detail = m_distributionDefaults[static_cast<std::size_t>(id)];
    detail.distribution = m_defaultDistributions.centredOn(m_scenario).get(id);
    return detail;
}

bool Session::hasDistributionOverride(econ::AssumptionId id) const
{
    return m_distributionOverrides.contains(id);
}

Status Session::setDistribution(econ::AssumptionId id, const econ::Distribution &distribution)
{
    // Distributions::set completes a log-normal's truncation, so the stored value is its output.
    econ::Distributions checked;
    if (Status set = checked.set(id, distribution); !set)
        return set;
    DistributionOverrides after = m_distributionOverrides;
    after[id] = checked.get(id);
    if (after != m_distributionOverrides) {
        m_undoStack.push(new DistributionCommand(
            this, m_distributionOverrides, after,
            tr("Set the range of %1").arg(qs(econ::assumption(id).label))));
    }
    return Ok{};
}

void Session::resetDistribution(econ::AssumptionId id)
{
    if (!m_distributionOverrides.contains(id))
        return;
    DistributionOverrides after = m_distributionOverrides;
    after.erase(id);
    m_undoStack.push(new DistributionCommand(
        this, m_distributionOverrides, after,
        tr("Reset the range of %1").arg(qs(econ::assumption(id).label))));
}

void Session::assignDistributionOverrides(const DistributionOverrides &overrides)
{
    m_distributionOverrides = overrides;
    Q_EMIT distributionsChanged();
    scheduleRecompute();
}

const plot::ViewUncertainty *Session::uncertainty(econ::EconomicView view) const
{
    return m_uncertainty && m_uncertainty->monteCarlo.view == view ? m_uncertainty.get() : nullptr;
}

Result<plot::ViewPlot> Session::plot(econ::EconomicView view) const
{
    const plot::ViewPlotOptions options{m_compareWithDefaults, m_machineCost,
                                        m_showUncertainty ? uncertainty(view) : nullptr};
    if (!m_compared.empty() && !econ::headlineMetrics(view).empty()) {
        std::vector<econ::ComparedCase> cases{currentCase()};
        cases.insert(cases.end(), m_compared.begin(), m_compared.end());
        return plot::buildComparisonPlot(view, m_figuresInHand, cases,
                                         QDate::currentDate().toString(Qt::ISODate).toStdString(),
                                         options);
    }
    auto built = plot::buildViewPlot(view, m_figures, m_scenario, options);
    if (built && m_evidence)
        built->evidence = plot::evidenceLine(*m_evidence, view);
    return built;
}

void Session::setComparedScenarios(std::vector<econ::ComparedCase> cases)
{
    if (cases.size() > std::size_t(plot::kMaxComparedScenarios))
        cases.resize(std::size_t(plot::kMaxComparedScenarios));
    m_compared = std::move(cases);
    Q_EMIT comparedScenariosChanged();
    scheduleRecompute();
}

econ::ComparedCase Session::currentCase() const
{
    if (!m_evidenceDate)
        return {tr("This scenario").toStdString(), m_scenario, {}};
    const std::string date = m_evidenceDate->toString(Qt::ISODate).toStdString();
    return {tr("This scenario, as of %1").arg(QString::fromStdString(plot::readableDate(date))).toStdString(),
            m_scenario, date};
}

void Session::onRecomputeDue()
{
    startUncertaintyRun();
    Q_EMIT plotsInvalidated();
}

void Session::startUncertaintyRun()
{
    const auto view = econ::findEconomicView(m_viewKey.toStdString());
    if (!m_showUncertainty || !view || econ::viewAssumptions(*view).empty())
        return;
    UncertaintyInputs inputs{*view, m_scenario, distributions(), m_figuresVersion};
    const bool full = !m_dragging;
    if (m_runInputs == inputs && (m_runIsFull || !full))
        return;
    // Bands redraw at most every kUncertaintyIntervalMs, leaving the frames between to the drag;
    // the throttle's end starts a run of the inputs as they are then.
    if (m_uncertaintyThrottle.isActive())
        return;
    m_uncertaintyThrottle.start();
    cancelUncertaintyRun();
    m_runInputs = inputs;
    m_runIsFull = full;
    const quint64 generation = ++m_uncertaintyGeneration;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_runCancel = cancel;
    // One worker thread: the other core stays free for the drag and the painting.
    std::vector<int> passes{kQuickDraws};
    if (full)
        passes.push_back(plot::kDefaultDraws);
    m_run = QtConcurrent::run([this, inputs, cancel, generation, passes, figures = m_figures] {
        for (const int draws : passes) {
            econ::MonteCarloOptions options;
            options.draws = draws;
            options.seed = plot::kDefaultSeed;
            options.threads = 1;
            options.cancel = cancel.get();
            auto result = plot::computeViewUncertainty(inputs.view, figures, inputs.scenario,
                                                       inputs.distributions, options);
            if (cancel->load())
                return;
            const bool failed = !result.ok();
            // The session outlives the run (its destructor waits), so `this` is safe here.
            QMetaObject::invokeMethod(this, [this, generation, result = std::move(result)]() mutable {
                receiveUncertainty(generation, std::move(result));
            }, Qt::QueuedConnection);
            if (failed)
                return;
        }
    });
}

void Session::cancelUncertaintyRun()
{
    if (m_runCancel)
        m_runCancel->store(true);
    m_runInputs.reset();
}

void Session::receiveUncertainty(quint64 generation, Result<plot::ViewUncertainty> result)
{
    if (generation != m_uncertaintyGeneration)
        return;
    if (result) {
        m_uncertainty = std::make_shared<const plot::ViewUncertainty>(std::move(*result));
        m_uncertaintyError.clear();
    } else {
        m_uncertaintyError = QString::fromStdString(result.error().toString());
    }
    Q_EMIT uncertaintyUpdated();
    scheduleRecompute();
}

void Session::waitForUncertainty()
{
    m_uncertaintyThrottle.stop();
    startUncertaintyRun();
    m_run.waitForFinished();
    QCoreApplication::sendPostedEvents(this);
}

QByteArray Session::scenarioJson() const
{
    QJsonObject assumptions;
    for (const econ::Assumption &entry : econ::assumptionRegistry())
        assumptions.insert(qs(entry.key), m_scenario.value(entry.id));
    QJsonObject document{{QStringLiteral("view"), m_viewKey},
                         {QStringLiteral("assumptions"), assumptions}};
    if (m_evidenceDate)
        document.insert(QStringLiteral("as_of"), m_evidenceDate->toString(Qt::ISODate));
    if (!m_distributionOverrides.empty()) {
        std::vector<econ::AssumptionId> ids;
        for (const auto &entry : m_distributionOverrides)
            ids.push_back(entry.first);
        const std::string text = econ::distributionsJson(distributions(), ids);
        document.insert(QStringLiteral("distributions"),
                        QJsonDocument::fromJson(QByteArray::fromStdString(text)).object());
    }
    return QJsonDocument(document).toJson(QJsonDocument::Indented);
}

Status Session::loadScenarioJson(const QByteArray &json, const QString &fileName)
{
    const auto fail = [&](const std::string &message) -> Status {
        return Error{message, fileName.toStdString(), 0, {}};
    };
    econ::Scenario loaded;
    if (Status applied = loaded.applyJson(std::string_view(json.constData(), size_t(json.size())));
        !applied) {
        const Error &error = applied.error();
        return fail((error.field.empty() ? "" : error.field + ": ") + error.message);
    }
    econ::Distributions given;
    if (Status applied = given.applyJson(std::string_view(json.constData(), size_t(json.size())));
        !applied) {
        const Error &error = applied.error();
        return fail((error.field.empty() ? "" : error.field + ": ") + error.message);
    }
    const QJsonObject document = QJsonDocument::fromJson(json).object();
    const QString view = document.value(QStringLiteral("view")).toString();
    const auto &keys = viewKeys();
    const bool knownView =
        std::find(keys.begin(), keys.end(), view.toStdString()) != keys.end();
    if (!view.isEmpty() && !knownView)
        return fail("unknown view '" + view.toStdString() + "'");
    const auto date = econ::scenarioEvidenceDate(std::string_view(json.constData(), size_t(json.size())));
    if (!date)
        return fail("as_of: " + date.error().message);
    const std::optional<QDate> asOf =
        date->empty() ? std::nullopt
                      : std::optional(QDate::fromString(QString::fromStdString(*date), Qt::ISODate));
    // The file's distributions replace the hand-set ones; applyJson has checked their keys.
    DistributionOverrides overrides;
    for (const QString &key : document.value(QStringLiteral("distributions")).toObject().keys()) {
        if (const auto id = econ::findAssumption(key.toStdString()))
            overrides[*id] = given.get(*id);
    }
    m_undoStack.beginMacro(tr("Load scenario"));
    replaceScenario(loaded, tr("Load scenario"));
    if (overrides != m_distributionOverrides)
        m_undoStack.push(new DistributionCommand(this, m_distributionOverrides, overrides,
                                                 tr("Load ranges")));
    m_undoStack.endMacro();
    if (knownView)
        setViewKey(view);
    setEvidenceDate(asOf);
    return Ok{};
}

QString Session::scenarioLink() const
{
    return QString::fromStdString(
        econ::formatScenarioLink(m_viewKey.toStdString(), m_scenario));
}

Status Session::openScenarioLink(const QString &text)
{
    auto link = econ::parseScenarioLink(text.toStdString(), viewKeys());
    if (!link)
        return link.error();
    replaceScenario(link->scenario, tr("Open scenario link"));
    setViewKey(QString::fromStdString(link->view));
    return Ok{};
}

const std::vector<std::string_view> &Session::viewKeys()
{
    static const std::vector<std::string_view> keys = [] {
        std::vector<std::string_view> all;
        for (econ::EconomicView view : econ::economicViews())
            all.push_back(econ::economicViewKey(view));
        all.push_back("benchmark");
        all.push_back("sources");
        return all;
    }();
    return keys;
}

void Session::flushPendingRecompute()
{
    if (m_recomputeTimer.isActive()) {
        m_recomputeTimer.stop();
        onRecomputeDue();
    }
}

void Session::scheduleRecompute()
{
    if (!m_recomputeTimer.isActive())
        m_recomputeTimer.start();
}

} // namespace cliff
