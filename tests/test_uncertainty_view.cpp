// Uncertainty as the window and the exports show it: bands, chances and tornado
// charts built from Monte Carlo results, the session's background runs,
// hand-set distributions, and the command line's bands against its own model
// output.
#include "session/session.h"

#include "econ/distributions.h"
#include "plot/export_subject.h"
#include "plot/uncertainty_plot.h"
#include "plot/view_plot.h"
#include "store/catalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using cliff::Session;
using cliff::econ::AssumptionId;
using cliff::econ::Distribution;
using cliff::econ::EconomicView;
using cliff::econ::Scenario;
namespace plot = cliff::plot;

class TestUncertaintyView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tornadoChartPutsTheWidestSwingOnTop();
    void tornadoChartKeepsTheEightWidest();
    void bandsReplaceTheShortfallAndCarryTheQuantiles();
    void chanceOfMostFragileIsSortedAndInPercent();
    void aLongTailIsCutAtTheTopAndSaid();
    void sessionDeliversTheSameResultAsADirectRun();
    void dragKeepsOnlyTheNewestRun();
    void handSetDistributionIsUndoableAndSaved();
    void invalidDistributionIsRefused();
    void exportBandsMatchTheModelCommand();
    void exportRejectsBadDraws();

private:
    [[nodiscard]] plot::ViewPlot revenuePlot() const;

    std::vector<cliff::Figure> m_figures;
    std::vector<cliff::Source> m_sources;
};

namespace {

const plot::ChartSpec *findChart(const plot::ViewPlot &viewPlot, std::string_view key)
{
    const auto found = std::find_if(viewPlot.charts.begin(), viewPlot.charts.end(),
                                    [&](const plot::ChartSpec &chart) { return chart.key == key; });
    return found == viewPlot.charts.end() ? nullptr : &*found;
}

const plot::Series *findSeries(const plot::ChartSpec &chart, std::string_view name)
{
    const auto found =
        std::find_if(chart.series.begin(), chart.series.end(),
                     [&](const plot::Series &series) { return series.name == name; });
    return found == chart.series.end() ? nullptr : &*found;
}

cliff::econ::TornadoBar bar(AssumptionId id, double lowOutput, double highOutput)
{
    return {id, 0.0, 1.0, lowOutput, highOutput, highOutput - lowOutput};
}

QJsonObject runJson(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(CLIFF_EXECUTABLE), arguments);
    if (!process.waitForFinished(300000) || process.exitCode() != 0)
        return {};
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

} // namespace

void TestUncertaintyView::initTestCase()
{
    auto catalog = cliff::store::loadCatalog({}, {});
    QVERIFY2(catalog.ok(), catalog ? "" : catalog.error().toString().c_str());
    m_figures = catalog->figures.figures;
    m_sources = catalog->figures.sources;
}

plot::ViewPlot TestUncertaintyView::revenuePlot() const
{
    auto built = plot::buildViewPlot(EconomicView::RevenueGap, m_figures, Scenario{});
    return built ? *built : plot::ViewPlot{};
}

void TestUncertaintyView::tornadoChartPutsTheWidestSwingOnTop()
{
    // The revenue gap at the scenario is $800B; WACC swings it by 300B, growth by
    // 100B.
    cliff::econ::Tornado tornado;
    tornado.metric = cliff::econ::HeadlineMetric::Gap2030Usd;
    tornado.baseOutput = 800e9;
    tornado.bars = {bar(AssumptionId::Wacc, 650e9, 950e9),
                    bar(AssumptionId::AiRevenueGrowth, 860e9, 760e9)};
    const plot::ChartSpec chart = plot::tornadoChart(tornado);
    QCOMPARE(chart.key, std::string("tornado"));
    QVERIFY(chart.horizontal);
    QCOMPARE(chart.y.unit, std::string("US$ billions"));
    // Horizontal bars draw the first category at the bottom: the widest is last.
    QCOMPARE(chart.x.categories.size(), std::size_t(2));
    QCOMPARE(chart.x.categories.back(),
             std::string(cliff::econ::assumption(AssumptionId::Wacc).label));
    QCOMPARE(chart.series.size(), std::size_t(2));
    const plot::Series &low = chart.series[0];
    const plot::Series &high = chart.series[1];
    QCOMPARE(low.points[1].y, -150.0); // 650B - 800B, in billions
    QCOMPARE(high.points[1].y, 150.0);
    QCOMPARE(low.points[0].y, 60.0);
    QCOMPARE(high.points[0].y, -40.0);
    QCOMPARE(high.points[1].assumptionKey, std::string("wacc"));
    QCOMPARE(low.points[0].assumptionKey, std::string("ai_revenue_growth"));
}

void TestUncertaintyView::tornadoChartKeepsTheEightWidest()
{
    cliff::econ::Tornado tornado;
    tornado.metric = cliff::econ::HeadlineMetric::NeocloudScore;
    tornado.baseOutput = 50.0;
    for (int i = 0; i < 12; ++i)
        tornado.bars.push_back(bar(AssumptionId(i), 50.0 - (12 - i), 50.0 + (12 - i)));
    const plot::ChartSpec chart = plot::tornadoChart(tornado);
    QCOMPARE(chart.x.categories.size(), std::size_t(8));
    // The widest (assumption 0, swing 24 points) on top; the narrowest kept is
    // assumption 7.
    QCOMPARE(chart.series[1].points.back().y, 12.0);
    QCOMPARE(chart.series[1].points.front().y, 5.0);
    QVERIFY2(chart.note.find("8 widest of 12") != std::string::npos, chart.note.c_str());
}

void TestUncertaintyView::bandsReplaceTheShortfallAndCarryTheQuantiles()
{
    plot::ViewPlot viewPlot = revenuePlot();
    const plot::ChartSpec *before = findChart(viewPlot, "required-vs-projected");
    QVERIFY(before && findSeries(*before, "Shortfall"));

    plot::ViewUncertainty uncertainty;
    cliff::econ::MonteCarloResult &result = uncertainty.monteCarlo;
    result.view = EconomicView::RevenueGap;
    result.draws = 10000;
    result.seed = 7;
    result.bands.push_back(
        {"required_revenue_usd",
         {2030.0, 2031.0},
         {{1e12, 1.2e12, 2e12, 2.8e12, 3e12}, {1.1e12, 1.3e12, 2.1e12, 2.9e12, 3.1e12}}});
    result.probabilities.push_back(
        {"gap_2030_positive", "Required AI revenue exceeds projected", 0.714});
    plot::addUncertainty(viewPlot, uncertainty);

    const plot::ChartSpec *chart = findChart(viewPlot, "required-vs-projected");
    QVERIFY(chart);
    QVERIFY(!findSeries(*chart, "Shortfall"));
    const plot::Series *inner = findSeries(*chart, "Required revenue, 10th-90th pct");
    const plot::Series *outer = findSeries(*chart, "Required revenue, 5th-95th pct");
    QVERIFY(inner && outer);
    QCOMPARE(inner->evidence, plot::Evidence::Simulated);
    QCOMPARE(inner->points.size(), std::size_t(2));
    QCOMPARE(inner->points[0].y, 1200.0); // p10 in US$ billions
    QCOMPARE(*inner->points[0].yHigh, 2800.0);
    QCOMPARE(outer->points[1].y, 1100.0);
    QCOMPARE(*outer->points[1].yHigh, 3100.0);
    // The bands are drawn first, behind the lines.
    QCOMPARE(chart->series.front().evidence, plot::Evidence::Simulated);
    QVERIFY2(chart->note.find("10,000 draws, seed 7") != std::string::npos, chart->note.c_str());
    QCOMPARE(viewPlot.draws, 10000);
    QCOMPARE(viewPlot.seed, std::uint64_t(7));
    QCOMPARE(viewPlot.chances, std::string("Across 10,000 draws, seed 7: 71% that required AI "
                                           "revenue exceeds projected."));
    QVERIFY(findChart(viewPlot, "tornado") == nullptr); // no bars, no tornado
}

void TestUncertaintyView::chanceOfMostFragileIsSortedAndInPercent()
{
    auto built = plot::buildViewPlot(EconomicView::Fragility, m_figures, Scenario{});
    QVERIFY(built.ok());
    plot::ViewUncertainty uncertainty;
    uncertainty.monteCarlo.view = EconomicView::Fragility;
    uncertainty.monteCarlo.draws = 100;
    using cliff::econ::FragilityParty;
    const std::pair<FragilityParty, double> shares[] = {{FragilityParty::Hyperscalers, 0.0},
                                                        {FragilityParty::ModelLabs, 0.05},
                                                        {FragilityParty::Neoclouds, 0.6},
                                                        {FragilityParty::EquityHolders, 0.35}};
    for (const auto &[party, share] : shares)
        uncertainty.monteCarlo.probabilities.push_back(
            {cliff::econ::mostFragileKey(party), "", share});
    plot::addUncertainty(built.value(), uncertainty);
    const plot::ChartSpec *chart = findChart(*built, "most-fragile-chance");
    QVERIFY(chart);
    const std::vector<std::string> expected{"Diversified hyperscalers", "Model labs",
                                            "Equity holders", "Debt-financed neoclouds"};
    QCOMPARE(chart->x.categories, expected);
    QCOMPARE(chart->series[0].points.back().y, 60.0);
    QCOMPARE(chart->series[0].points[2].y, 35.0);
    QVERIFY(chart->fixedY && chart->fixedY->second == 100.0);
}

void TestUncertaintyView::aLongTailIsCutAtTheTopAndSaid()
{
    plot::ViewPlot viewPlot = revenuePlot();
    const plot::ChartSpec *before = findChart(viewPlot, "required-vs-projected");
    QVERIFY(before);
    double linesTop = 0.0;
    for (const plot::Series &series : before->series)
        for (const plot::Point &point : series.points)
            linesTop = std::max(linesTop, point.yHigh.value_or(point.y));
    plot::ViewUncertainty uncertainty;
    uncertainty.monteCarlo.view = EconomicView::RevenueGap;
    uncertainty.monteCarlo.draws = 10;
    const double tail = linesTop * 10.0 * 1e9; // ten times the lines' top, in dollars
    uncertainty.monteCarlo.bands.push_back(
        {"projected_revenue_usd", {2035.0}, {{0, 0, 0, tail / 2, tail}}});
    plot::addUncertainty(viewPlot, uncertainty);
    const plot::ChartSpec *chart = findChart(viewPlot, "required-vs-projected");
    QVERIFY(chart && chart->fixedY);
    QCOMPARE(chart->fixedY->second, 2.5 * linesTop);
    QVERIFY2(chart->note.find("beyond the top of the chart") != std::string::npos,
             chart->note.c_str());
}

void TestUncertaintyView::sessionDeliversTheSameResultAsADirectRun()
{
    Session session(m_figures, m_sources);
    session.setViewKey(QStringLiteral("fiber"));
    QVERIFY(session.setAssumption(AssumptionId::LoanTermYears, 7).ok());
    session.setShowUncertainty(true);
    session.flushPendingRecompute();
    session.waitForUncertainty();
    const plot::ViewUncertainty *shown = session.uncertainty(EconomicView::FiberJevons);
    QVERIFY(shown);
    QCOMPARE(shown->monteCarlo.draws, plot::kDefaultDraws);

    cliff::econ::MonteCarloOptions options;
    options.draws = plot::kDefaultDraws;
    options.seed = plot::kDefaultSeed;
    const auto direct = plot::computeViewUncertainty(
        EconomicView::FiberJevons, m_figures, session.scenario(), session.distributions(), options);
    QVERIFY(direct.ok());
    const auto *mine = shown->monteCarlo.quantilesOf("min_cash_coverage");
    const auto *theirs = direct->monteCarlo.quantilesOf("min_cash_coverage");
    QVERIFY(mine && theirs);
    QCOMPARE(mine->p10, theirs->p10);
    QCOMPARE(mine->p90, theirs->p90);
    QVERIFY(shown->tornado.bars == direct->tornado.bars);

    const auto viewPlot = session.plot(EconomicView::FiberJevons);
    QVERIFY(viewPlot.ok());
    QVERIFY(findChart(*viewPlot, "tornado"));
    QVERIFY(viewPlot->chances.find("10,000 draws, seed 1") != std::string::npos);

    session.setShowUncertainty(false);
    const auto plain = session.plot(EconomicView::FiberJevons);
    QVERIFY(plain.ok() && !findChart(*plain, "tornado") && plain->chances.empty());
}

void TestUncertaintyView::dragKeepsOnlyTheNewestRun()
{
    Session session(m_figures, m_sources);
    session.setShowUncertainty(true);
    for (int step = 0; step < 30; ++step) {
        QVERIFY(session.setAssumption(AssumptionId::Wacc, 0.05 + 0.002 * step, true).ok());
        session.flushPendingRecompute();
    }
    session.endDrag();
    session.waitForUncertainty();
    const plot::ViewUncertainty *shown = session.uncertainty(EconomicView::RevenueGap);
    QVERIFY(shown);
    QCOMPARE(shown->monteCarlo.draws, plot::kDefaultDraws);
    // The tornado's base is the headline at the last scenario, not at a stale
    // one.
    const auto direct = cliff::econ::computeTornado(
        EconomicView::RevenueGap, cliff::econ::HeadlineMetric::Gap2030Usd, m_figures,
        session.scenario(), session.distributions());
    QVERIFY(direct.ok());
    QCOMPARE(shown->tornado.baseOutput, direct->baseOutput);
}

void TestUncertaintyView::handSetDistributionIsUndoableAndSaved()
{
    Session session(m_figures, m_sources);
    const Distribution before = session.distributions().get(AssumptionId::Wacc);
    const Distribution chosen = Distribution::uniform(0.06, 0.14);
    QVERIFY(session.setDistribution(AssumptionId::Wacc, chosen).ok());
    QVERIFY(session.hasDistributionOverride(AssumptionId::Wacc));
    QVERIFY(session.distributions().get(AssumptionId::Wacc) == chosen);
    // A hand-set range stays put when the slider moves; a default one follows it.
    QVERIFY(session.setAssumption(AssumptionId::Wacc, 0.12).ok());
    QVERIFY(session.distributions().get(AssumptionId::Wacc) == chosen);

    // What the session saves, the command line reads back the same way.
    const QByteArray saved = session.scenarioJson();
    cliff::econ::Distributions read;
    QVERIFY(read.applyJson(std::string_view(saved.constData(), std::size_t(saved.size()))).ok());
    QVERIFY(read.get(AssumptionId::Wacc) == chosen);
    Session reopened(m_figures, m_sources);
    QVERIFY(reopened.loadScenarioJson(saved, QStringLiteral("s.json")).ok());
    QVERIFY(reopened.distributions().get(AssumptionId::Wacc) == chosen);
    QVERIFY(reopened.scenario() == session.scenario());

    session.undoStack()->undo(); // the WACC value
    session.undoStack()->undo(); // the range
    QVERIFY(!session.hasDistributionOverride(AssumptionId::Wacc));
    QVERIFY(session.distributions().get(AssumptionId::Wacc) == before);
    session.undoStack()->redo();
    QVERIFY(session.distributions().get(AssumptionId::Wacc) == chosen);
    session.resetDistribution(AssumptionId::Wacc);
    QVERIFY(!session.hasDistributionOverride(AssumptionId::Wacc));
}

void TestUncertaintyView::invalidDistributionIsRefused()
{
    Session session(m_figures, m_sources);
    QSignalSpy changed(&session, &Session::distributionsChanged);
    const auto refused =
        session.setDistribution(AssumptionId::Wacc, Distribution::triangular(0.1, 0.2, 0.05));
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().toString().find("wacc") != std::string::npos,
             refused.error().toString().c_str());
    QVERIFY(!session.setDistribution(AssumptionId::Wacc, Distribution::uniform(0.0, 7.0)).ok());
    QCOMPARE(changed.count(), 0);
    QCOMPARE(session.undoStack()->count(), 0);
}

void TestUncertaintyView::exportBandsMatchTheModelCommand()
{
    QTemporaryDir dir;
    const QString csvPath = dir.filePath(QStringLiteral("bands.csv"));
    QProcess exporter;
    exporter.start(QStringLiteral(CLIFF_EXECUTABLE),
                   {QStringLiteral("export"), QStringLiteral("--view"),
                    QStringLiteral("revenue-gap"), QStringLiteral("--format"),
                    QStringLiteral("csv"), QStringLiteral("--monte-carlo"), QStringLiteral("500"),
                    QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--set"),
                    QStringLiteral("wacc=0.11"), QStringLiteral("--out"), csvPath});
    QVERIFY(exporter.waitForFinished(300000));
    QCOMPARE(exporter.exitCode(), 0);
    QFile file(csvPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(file.readAll());
    QVERIFY(csv.contains(u"# monte carlo: 500 draws, seed 3"));

    const QJsonObject model =
        runJson({QStringLiteral("model"), QStringLiteral("--view"), QStringLiteral("revenue-gap"),
                 QStringLiteral("--monte-carlo"), QStringLiteral("500"), QStringLiteral("--seed"),
                 QStringLiteral("3"), QStringLiteral("--set"), QStringLiteral("wacc=0.11")});
    QVERIFY(!model.isEmpty());
    // The model command's 2030 required-revenue band, against the export's row
    // for 2030.
    double p10 = 0, p90 = 0;
    const QJsonArray rows = model[QStringLiteral("monte_carlo")][QStringLiteral("bands")]
                                 [QStringLiteral("required_revenue_usd")]
                                     .toArray();
    for (const QJsonValue &row : rows) {
        if (row[QStringLiteral("year")].toDouble() == 2030.0) {
            p10 = row[QStringLiteral("p10")].toDouble();
            p90 = row[QStringLiteral("p90")].toDouble();
        }
    }
    QVERIFY(p10 > 0 && p90 > p10);
    bool found = false;
    for (const QString &line : csv.split(u'\n')) {
        if (!line.startsWith(u"required-vs-projected,\"Required revenue, 10th-90th pct\",2030,"))
            continue;
        const QStringList cells = line.split(u',');
        // chart, "series, with comma", x, category, y, y_high, ...
        QVERIFY(qAbs(cells[5].toDouble() - p10 / 1e9) < 1e-6 * p10 / 1e9);
        QVERIFY(qAbs(cells[6].toDouble() - p90 / 1e9) < 1e-6 * p90 / 1e9);
        found = true;
    }
    QVERIFY2(found, qPrintable(csv.left(2000)));
}

void TestUncertaintyView::exportRejectsBadDraws()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("x.png"));
    const QList<QStringList> bad = {
        {QStringLiteral("--monte-carlo"), QStringLiteral("0")},
        {QStringLiteral("--monte-carlo"), QStringLiteral("lots")},
        {QStringLiteral("--seed"), QStringLiteral("4")},
    };
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"),
                       dir.path()); // no warning on stderr
    for (const QStringList &extra : bad) {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(CLIFF_EXECUTABLE),
                      QStringList{QStringLiteral("export"), QStringLiteral("--view"),
                                  QStringLiteral("fiber"), QStringLiteral("--out"), out} +
                          extra);
        QVERIFY(process.waitForFinished(300000));
        QCOMPARE(process.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(process.readAllStandardError()).count(u'\n'), 1);
        QVERIFY(!QFile::exists(out));
    }
}

QTEST_GUILESS_MAIN(TestUncertaintyView)
#include "test_uncertainty_view.moc"
