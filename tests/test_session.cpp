// The session (scenario, undo, links, story) and the plot specs it hands to the charts, checked
// against the models' own outputs and hand-worked values.
#include "session/session.h"
#include "session/story.h"

#include "econ/fiber_jevons.h"
#include "econ/fragility.h"
#include "econ/revenue_gap.h"
#include "econ/scenario_link.h"
#include "plot/view_plot.h"
#include "store/catalog.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <set>

using cliff::Session;
using cliff::econ::AssumptionId;
using cliff::econ::EconomicView;
using cliff::econ::Scenario;

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void formatUsdRoundsToThreeDigits_data();
    void formatUsdRoundsToThreeDigits();
    void sourceLineListsPublishersOnce();
    void capexBarsSayWhichYearsHaveFigures();
    void everyViewPlotsCitedFigures();
    void revenueChartCarriesTheModelsNumbers();
    void capexBarsAreTheCitedFigures();
    void fragilityBarsSumToEachScore();
    void compareDrawsTheDefaultsBeside();
    void linkRoundTrips();
    void badLinksAreNamed_data();
    void badLinksAreNamed();
    void dragIsOneUndoStep();
    void resetAllIsOneUndoStep();
    void recomputeIsCoalesced();
    void scenarioJsonRoundTrips();
    void corruptScenarioIsRefusedAndChangesNothing();
    void storyStepsReachTheirClaims();
    void openRejectsAMalformedLinkOnTheCommandLine();

private:
    std::vector<cliff::Figure> m_figures;
    std::vector<cliff::Source> m_sources;
};

void TestSession::initTestCase()
{
    auto catalog = cliff::store::loadCatalog({}, {});
    QVERIFY2(catalog.ok(), catalog ? "" : catalog.error().toString().c_str());
    m_figures = catalog->figures.figures;
    m_sources = catalog->figures.sources;
}

void TestSession::formatUsdRoundsToThreeDigits_data()
{
    QTest::addColumn<double>("usd");
    QTest::addColumn<QString>("expected");
    QTest::newRow("trillions") << 1.9898e12 << "$1.99T";
    QTest::newRow("hundreds of billions") << 789.8e9 << "$790B";
    QTest::newRow("tens of millions") << 78e6 << "$78.0M";
    QTest::newRow("millions") << 5.576e6 << "$5.58M";
    QTest::newRow("dollars") << 0.55 << "$0.55";
    QTest::newRow("negative") << -2.5e9 << "-$2.50B";
}

void TestSession::formatUsdRoundsToThreeDigits()
{
    QFETCH(double, usd);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(cliff::plot::formatUsd(usd)), expected);
}

void TestSession::capexBarsSayWhichYearsHaveFigures()
{
    const auto capex = [](const char *id, const char *entity, double usd, const char *period) {
        cliff::Figure figure;
        figure.id = id;
        figure.category = "capex";
        figure.entity = entity;
        figure.metric = "Capex";
        figure.value = usd;
        figure.unit = "USD";
        figure.period = period;
        figure.kind = "reported";
        return figure;
    };
    const std::vector<cliff::Figure> figures = {capex("a20", "Acme", 10e9, "2020"),
                                                capex("a21", "Acme", 11e9, "2021"),
                                                capex("a23", "Acme", 12e9, "2023"),
                                                capex("b21", "Beta", 5e9, "2021")};
    const auto plot = cliff::plot::buildViewPlot(EconomicView::RevenueGap, figures, Scenario{});
    QVERIFY(plot.ok());
    const auto &bars = plot->charts.front();
    QCOMPARE(bars.key, std::string("capex-by-company"));
    QVERIFY2(bars.note.find("Years with a figure: Acme 2020-2021, 2023; Beta 2021.") != std::string::npos,
             bars.note.c_str());
    // Beta has no 2020 figure: its slot is empty and says so, rather than a bar at zero.
    const auto &beta = bars.series.at(1);
    QCOMPARE(beta.name, std::string("Beta"));
    QVERIFY(beta.points.at(0).figureId.empty());
    QCOMPARE(beta.points.at(0).label, std::string("Beta 2020: no figure"));
}

void TestSession::sourceLineListsPublishersOnce()
{
    std::vector<cliff::Figure> figures(3);
    figures[0].id = "a";
    figures[0].sourceId = "s1";
    figures[1].id = "b";
    figures[1].sourceId = "s2";
    figures[2].id = "c";
    figures[2].sourceId = "s1";
    std::vector<cliff::Source> sources(2);
    sources[0].id = "s1";
    sources[0].publisher = "Bain & Company";
    sources[1].id = "s2";
    sources[1].publisher = "Reuters";
    QCOMPARE(cliff::plot::sourceLine({"c", "b", "a"}, figures, sources),
             std::string("Sources: Bain & Company; Reuters."));
    QCOMPARE(cliff::plot::sourceLine({"missing"}, figures, sources), std::string());
    // With publication dates, the line ends with the newest of the charted figures' dates.
    figures[0].published = "2026-11-20";
    figures[1].published = "2026-09";
    figures[2].published = "2025";
    QCOMPARE(cliff::plot::sourceLine({"c", "b", "a"}, figures, sources),
             std::string("Figures as of 20 November 2026. Sources: Bain & Company; Reuters."));
    QCOMPARE(cliff::plot::sourceLine({"c", "b"}, figures, sources),
             std::string("Figures as of September 2026. Sources: Bain & Company; Reuters."));
    QCOMPARE(cliff::plot::sourceLine({"c"}, figures, sources),
             std::string("Figures as of 2025. Sources: Bain & Company."));
}

void TestSession::everyViewPlotsCitedFigures()
{
    std::set<std::string> ids;
    for (const cliff::Figure &figure : m_figures)
        ids.insert(figure.id);
    for (EconomicView view : cliff::econ::economicViews()) {
        auto plot = cliff::plot::buildViewPlot(view, m_figures, Scenario{});
        QVERIFY(plot.ok());
        QVERIFY(!plot->headline.empty());
        QVERIFY(plot->charts.size() >= 2);
        for (const cliff::plot::ChartSpec &chart : plot->charts) {
            std::size_t points = 0;
            for (const auto &series : chart.series)
                points += series.points.size();
            QVERIFY2(points > 0, chart.key.c_str());
            QVERIFY2(!chart.figureIds.empty(), chart.key.c_str());
            for (const std::string &id : chart.figureIds)
                QVERIFY2(ids.count(id), id.c_str());
            QVERIFY(!cliff::plot::sourceLine(chart.figureIds, m_figures, m_sources).empty());
        }
    }
}

static const cliff::plot::Series *findSeries(const cliff::plot::ChartSpec &chart, const std::string &name)
{
    for (const auto &series : chart.series) {
        if (series.name == name)
            return &series;
    }
    return nullptr;
}

static const cliff::plot::ChartSpec *findChart(const cliff::plot::ViewPlot &plot, const std::string &key)
{
    for (const auto &chart : plot.charts) {
        if (chart.key == key)
            return &chart;
    }
    return nullptr;
}

void TestSession::revenueChartCarriesTheModelsNumbers()
{
    Scenario scenario;
    QVERIFY(scenario.set(AssumptionId::Wacc, 0.12).ok());
    const auto model = cliff::econ::computeRevenueGap(m_figures, scenario);
    const auto plot = cliff::plot::buildViewPlot(EconomicView::RevenueGap, m_figures, scenario);
    QVERIFY(model.ok() && plot.ok());
    const auto *chart = findChart(*plot, "required-vs-projected");
    QVERIFY(chart);
    const auto *required = findSeries(*chart, "Required revenue");
    QVERIFY(required);
    bool found = false;
    for (const auto &point : required->points) {
        if (point.x == 2030.0) {
            QCOMPARE(point.y, model->requiredRevenue2030Usd / 1e9);
            found = true;
        }
    }
    QVERIFY(found);
}

void TestSession::capexBarsAreTheCitedFigures()
{
    const auto plot = cliff::plot::buildViewPlot(EconomicView::RevenueGap, m_figures, Scenario{});
    QVERIFY(plot.ok());
    const auto *chart = findChart(*plot, "capex-by-company");
    QVERIFY(chart);
    int bars = 0;
    for (const auto &series : chart->series) {
        for (const auto &point : series.points) {
            if (point.figureId.empty()) {
                QCOMPARE(point.y, 0.0);
                continue;
            }
            const auto figure = std::find_if(m_figures.begin(), m_figures.end(),
                                             [&](const auto &f) { return f.id == point.figureId; });
            QVERIFY(figure != m_figures.end());
            QCOMPARE(point.y, figure->value / 1e9);
            QCOMPARE(point.unreported, figure->kind != "reported");
            ++bars;
        }
    }
    QVERIFY(bars >= 10);
}

void TestSession::fragilityBarsSumToEachScore()
{
    Scenario scenario;
    QVERIFY(scenario.set(AssumptionId::RecoveryRate, 0.1).ok());
    const auto model = cliff::econ::computeFragility(m_figures, scenario);
    const auto plot = cliff::plot::buildViewPlot(EconomicView::Fragility, m_figures, scenario);
    QVERIFY(model.ok() && plot.ok());
    const auto *ranking = findChart(*plot, "fragility-ranking");
    QVERIFY(ranking);
    QCOMPARE(ranking->x.categories.size(), model->ranking.size());
    for (std::size_t party = 0; party < model->ranking.size(); ++party) {
        double sum = 0.0;
        for (const auto &series : ranking->series)
            sum += series.points.at(party).y;
        QVERIFY(qAbs(sum - model->ranking[party].score) < 1e-9);
        QVERIFY(ranking->x.categories[party].starts_with(model->ranking[party].party));
    }
}

void TestSession::compareDrawsTheDefaultsBeside()
{
    Scenario scenario;
    QVERIFY(scenario.set(AssumptionId::OperatingMargin, 0.3).ok());
    const auto plain = cliff::plot::buildViewPlot(EconomicView::RevenueGap, m_figures, scenario);
    const auto compared = cliff::plot::buildViewPlot(EconomicView::RevenueGap, m_figures, scenario, {true, {}});
    const auto atDefaults = cliff::econ::computeRevenueGap(m_figures, Scenario{});
    QVERIFY(plain.ok() && compared.ok() && atDefaults.ok());
    QVERIFY(!findSeries(*findChart(*plain, "required-vs-projected"), "Required (defaults)"));
    const auto *baseline = findSeries(*findChart(*compared, "required-vs-projected"), "Required (defaults)");
    QVERIFY(baseline);
    QCOMPARE(baseline->evidence, cliff::plot::Evidence::Baseline);
    for (const auto &point : baseline->points) {
        if (point.x == 2030.0)
            QCOMPARE(point.y, atDefaults->requiredRevenue2030Usd / 1e9);
    }
}

void TestSession::linkRoundTrips()
{
    Scenario scenario;
    QVERIFY(scenario.set(AssumptionId::Wacc, 0.095).ok());
    QVERIFY(scenario.set(AssumptionId::RecoveryRate, 0.4).ok());
    const std::string link = cliff::econ::formatScenarioLink("fragility", scenario);
    QCOMPARE(link, std::string("compute-cliff:view=fragility&wacc=0.095&recovery_rate=0.4"));
    const auto parsed = cliff::econ::parseScenarioLink("  " + link + "\n", Session::viewKeys());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->view, std::string("fragility"));
    QVERIFY(parsed->scenario == scenario);
}

void TestSession::badLinksAreNamed_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no prefix") << "view=moat" << "compute-cliff:";
    QTest::newRow("no view") << "compute-cliff:wacc=0.1" << "names no view";
    QTest::newRow("unknown view") << "compute-cliff:view=pies" << "unknown view \"pies\"";
    QTest::newRow("unknown key") << "compute-cliff:view=moat&colour=red" << "colour";
    QTest::newRow("not a number") << "compute-cliff:view=moat&wacc=high" << "wacc";
    QTest::newRow("out of range") << "compute-cliff:view=moat&wacc=5" << "out of range";
    QTest::newRow("twice") << "compute-cliff:view=moat&wacc=0.1&wacc=0.2" << "given twice";
    QTest::newRow("no equals") << "compute-cliff:view=moat&wacc" << "key=value";
}

void TestSession::badLinksAreNamed()
{
    QFETCH(QString, link);
    QFETCH(QString, mentions);
    Session session(m_figures, m_sources);
    const cliff::Status opened = session.openScenarioLink(link);
    QVERIFY(!opened.ok());
    const QString message = QString::fromStdString(opened.error().message);
    QVERIFY2(message.contains(mentions), qPrintable(message));
    QVERIFY(session.scenario() == Scenario{});
    QCOMPARE(session.undoStack()->count(), 0);
}

void TestSession::dragIsOneUndoStep()
{
    Session session(m_figures, m_sources);
    for (double wacc : {0.10, 0.11, 0.12, 0.13})
        QVERIFY(session.setAssumption(AssumptionId::Wacc, wacc, true).ok());
    session.endDrag();
    QCOMPARE(session.undoStack()->count(), 1);
    QVERIFY(session.setAssumption(AssumptionId::Wacc, 0.05, true).ok());
    session.endDrag();
    QCOMPARE(session.undoStack()->count(), 2);
    session.undoStack()->undo();
    QCOMPARE(session.scenario().value(AssumptionId::Wacc), 0.13);
    session.undoStack()->undo();
    QVERIFY(session.scenario() == Scenario{});
    session.undoStack()->redo();
    QCOMPARE(session.scenario().value(AssumptionId::Wacc), 0.13);
    QVERIFY(!session.setAssumption(AssumptionId::Wacc, 0.5).ok());
    QCOMPARE(session.scenario().value(AssumptionId::Wacc), 0.13);
}

void TestSession::resetAllIsOneUndoStep()
{
    Session session(m_figures, m_sources);
    QVERIFY(session.setAssumption(AssumptionId::Wacc, 0.15).ok());
    QVERIFY(session.setAssumption(AssumptionId::RecoveryRate, 0.2).ok());
    session.resetAssumption(AssumptionId::Wacc);
    QCOMPARE(session.scenario().value(AssumptionId::Wacc), 0.09);
    QCOMPARE(session.scenario().value(AssumptionId::RecoveryRate), 0.2);
    session.resetAll();
    QVERIFY(session.scenario() == Scenario{});
    QCOMPARE(session.undoStack()->count(), 4);
    session.undoStack()->undo();
    QCOMPARE(session.scenario().value(AssumptionId::RecoveryRate), 0.2);
}

void TestSession::recomputeIsCoalesced()
{
    Session session(m_figures, m_sources);
    QSignalSpy invalidated(&session, &Session::plotsInvalidated);
    for (int step = 1; step <= 20; ++step)
        QVERIFY(session.setAssumption(AssumptionId::Wacc, 0.05 + 0.005 * step, true).ok());
    QCOMPARE(invalidated.count(), 0);
    QVERIFY(invalidated.wait(300000));
    QCOMPARE(invalidated.count(), 1);
}

void TestSession::scenarioJsonRoundTrips()
{
    Session first(m_figures, m_sources);
    QVERIFY(first.setAssumption(AssumptionId::CapexGrowth, -0.05).ok());
    QVERIFY(first.setAssumption(AssumptionId::LoanTermYears, 7).ok());
    first.setViewKey(QStringLiteral("fiber"));
    Session second(m_figures, m_sources);
    QVERIFY(second.loadScenarioJson(first.scenarioJson(), QStringLiteral("s.json")).ok());
    QVERIFY(second.scenario() == first.scenario());
    QCOMPARE(second.viewKey(), QStringLiteral("fiber"));
}

void TestSession::corruptScenarioIsRefusedAndChangesNothing()
{
    Session session(m_figures, m_sources);
    QVERIFY(session.setAssumption(AssumptionId::Wacc, 0.1).ok());
    const Scenario before = session.scenario();
    const QList<QByteArray> bad{"{ \"wacc\": ", "\x01\x02garbage", "{\"assumptions\": {\"wacc\": 9}}",
                                "{\"view\": \"nowhere\", \"assumptions\": {}}",
                                "{\"assumptions\": {\"no_such_key\": 1}}"};
    for (const QByteArray &json : bad) {
        const cliff::Status loaded = session.loadScenarioJson(json, QStringLiteral("broken.json"));
        QVERIFY2(!loaded.ok(), json.constData());
        QCOMPARE(QString::fromStdString(loaded.error().file), QStringLiteral("broken.json"));
        QVERIFY(!loaded.error().message.empty());
        QVERIFY(session.scenario() == before);
    }
}

void TestSession::storyStepsReachTheirClaims()
{
    const auto story = cliff::thesisStory();
    QCOMPARE(story.size(), std::size_t(5));
    for (const auto &step : story) {
        const auto &keys = Session::viewKeys();
        QVERIFY(std::find(keys.begin(), keys.end(), step.viewKey.toStdString()) != keys.end());
        QVERIFY(!step.caption.isEmpty());
    }
    // The cliff: at its preset the fleet strands; at defaults it does not.
    const auto strands = cliff::econ::computeFiberJevons(m_figures, story.back().scenario);
    QVERIFY(strands.ok());
    QVERIFY(strands->strandYear.has_value());
    // The cracks: the neoclouds rank above the hyperscalers.
    const auto cracks = cliff::econ::computeFragility(m_figures, story[3].scenario);
    QVERIFY(cracks.ok());
    QVERIFY(cracks->ranking.back().score > cracks->ranking.front().score);
}

void TestSession::openRejectsAMalformedLinkOnTheCommandLine()
{
    QProcess process;
    process.start(QStringLiteral(CLIFF_EXECUTABLE),
                  {QStringLiteral("--open"), QStringLiteral("compute-cliff:view=moat&wacc=7")});
    QVERIFY(process.waitForFinished(300000));
    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(u"wacc") && error.contains(u"out of range"), qPrintable(error));
    QCOMPARE(error.count(u'\n'), 1);
}

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"
