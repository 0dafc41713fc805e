#include "session.h"

#include "scenario_command.h"

#include "econ/scenario_link.h"

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
    connect(&m_recomputeTimer, &QTimer::timeout, this, &Session::plotsInvalidated);
    setFigures(std::move(figures), std::move(sources));
}

void Session::setFigures(std::vector<Figure> figures, std::vector<Source> sources)
{
    m_figures = std::move(figures);
    m_sources = std::move(sources);
    m_figureIndex.clear();
    m_sourceIndex.clear();
    for (std::size_t i = 0; i < m_figures.size(); ++i)
        m_figureIndex.emplace(m_figures[i].id, i);
    for (std::size_t i = 0; i < m_sources.size(); ++i)
        m_sourceIndex.emplace(m_sources[i].id, i);
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
    return Ok{};
}

void Session::endDrag()
{
    ++m_dragSerial;
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

Result<plot::ViewPlot> Session::plot(econ::EconomicView view) const
{
    return plot::buildViewPlot(view, m_figures, m_scenario, {m_compareWithDefaults, m_machineCost});
}

QByteArray Session::scenarioJson() const
{
    QJsonObject assumptions;
    for (const econ::Assumption &entry : econ::assumptionRegistry())
        assumptions.insert(qs(entry.key), m_scenario.value(entry.id));
    const QJsonObject document{{QStringLiteral("view"), m_viewKey},
                               {QStringLiteral("assumptions"), assumptions}};
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
    const QJsonObject document = QJsonDocument::fromJson(json).object();
    const QString view = document.value(QStringLiteral("view")).toString();
    const auto &keys = viewKeys();
    const bool knownView =
        std::find(keys.begin(), keys.end(), view.toStdString()) != keys.end();
    if (!view.isEmpty() && !knownView)
        return fail("unknown view '" + view.toStdString() + "'");
    replaceScenario(loaded, tr("Load scenario"));
    if (knownView)
        setViewKey(view);
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
        Q_EMIT plotsInvalidated();
    }
}

void Session::scheduleRecompute()
{
    if (!m_recomputeTimer.isActive())
        m_recomputeTimer.start();
}

} // namespace cliff
