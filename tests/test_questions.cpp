// Tests of the window's questions: "what would it take" puts its answer on the sliders in one undo
// step, the comparison dialog's "then and now" cuts the evidence at its dates and draws the other
// scenarios over the charts, and an evidence date cuts the figures the models read and travels
// with a saved scenario. With CLIFF_SCREENSHOT_DIR set, each dialog is saved there as a PNG.

#include "ui/main_window.h"
#include "ui/questions/compare_dialog.h"
#include "ui/questions/guess_scale.h"
#include "ui/questions/what_it_takes_dialog.h"
#include "ui/story_bar.h"

#include "econ/evidence_date.h"
#include "econ/fiber_jevons.h"
#include "econ/revenue_gap.h"
#include "session/session.h"

#include "store/catalog.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

#include <map>

using namespace cliff;

namespace {

store::Catalog shippedCatalog()
{
    auto catalog = store::loadCatalog({}, {});
    if (!catalog)
        qFatal("%s", catalog.error().toString().c_str());
    return std::move(catalog).value();
}

void saveScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("CLIFF_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QCoreApplication::processEvents(); // wrapped labels take their height
    widget.grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

QPushButton *buttonNamed(QWidget &parent, const QString &text)
{
    for (QPushButton *button : parent.findChildren<QPushButton *>()) {
        if (button->text().remove(u'&') == text)
            return button;
    }
    return nullptr;
}

std::string today()
{
    return QDate::currentDate().toString(Qt::ISODate).toStdString();
}

} // namespace

class TestQuestions : public QObject {
    Q_OBJECT

private slots:
    void whatItTakesAppliesInOneUndoStep();
    void unreachableTargetSaysSo();
    void compareThenAndNowCutsTheEvidence();
    void evidenceDateCutsTheModelsAndIsSaved();
    void shippedQuestionsHaveTheirFiguresAsAnswers();
    void storyFileIsRead();
    void badStoryFilesNameTheLine_data();
    void badStoryFilesNameTheLine();
    void revealPlacesTheGuesses();
};

void TestQuestions::whatItTakesAppliesInOneUndoStep()
{
    ui::MainWindow window(shippedCatalog());
    Session &session = *window.session();
    ui::WhatItTakesDialog dialog(session, econ::EconomicView::RevenueGap);
    dialog.show();
    QVERIFY(dialog.solveFor(QStringLiteral("gap_2030_usd=0")));
    const econ::SolveAnswer &answer = *dialog.answer();
    QVERIFY(answer.reachable);
    QVERIFY(!answer.moves.empty());
    QVERIFY(dialog.findChild<QTableWidget *>()->rowCount() > 0);
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("solveSummary"))->text().contains(u"reachable"));
    saveScreenshot(dialog, QStringLiteral("what-would-it-take"));

    const int steps = session.undoStack()->count();
    buttonNamed(dialog, QStringLiteral("Apply to the sliders"))->click();
    QCOMPARE(session.scenario(), answer.answer);
    QCOMPARE(session.undoStack()->count(), steps + 1);
    // The revenue-gap model itself, run at the applied sliders, closes the gap (to $0.5M).
    const auto gap = econ::computeRevenueGap(session.figures(), session.scenario());
    QVERIFY(gap.ok());
    QVERIFY2(std::abs(gap->gap2030Usd) <= 0.5e6, std::to_string(gap->gap2030Usd).c_str());
    session.undoStack()->undo();
    QCOMPARE(session.scenario(), econ::Scenario());
}

void TestQuestions::unreachableTargetSaysSo()
{
    ui::MainWindow window(shippedCatalog());
    ui::WhatItTakesDialog dialog(*window.session(), econ::EconomicView::CostCurves);
    QVERIFY(dialog.solveFor(QStringLiteral("predicted_lag_months<3")));
    QVERIFY(!dialog.answer()->reachable);
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("solveSummary"))->text().contains(u"cannot be reached"));
    QVERIFY(!dialog.solveFor(QStringLiteral("strand_year<2029"))); // not a target of this view
}

void TestQuestions::compareThenAndNowCutsTheEvidence()
{
    ui::MainWindow window(shippedCatalog());
    Session &session = *window.session();
    session.setViewKey(QStringLiteral("revenue-gap"));
    ui::CompareDialog dialog(session, econ::EconomicView::RevenueGap);
    dialog.show();
    dialog.fillThenAndNow();
    const auto &comparison = dialog.refresh();
    QVERIFY(comparison.has_value());
    QCOMPARE(comparison->cases.size(), std::size_t(3));
    QCOMPARE(comparison->cases[1].asOf, std::string("2025-01-27"));
    QCOMPARE(comparison->cases[2].asOf, std::string("2025-12-31"));
    // Each case used what evidenceAsOf keeps at its date, and the first every figure in hand.
    QCOMPARE(comparison->outcomes[0].figuresUsed, int(session.figuresInHand().size()));
    for (std::size_t c = 1; c < 3; ++c) {
        const auto cut = econ::evidenceAsOf(session.figuresInHand(), comparison->cases[c].asOf, today());
        QCOMPARE(comparison->outcomes[c].figuresUsed, int(cut->figures.size()));
        QVERIFY(comparison->outcomes[c].figuresUsed < comparison->outcomes[0].figuresUsed);
    }
    saveScreenshot(dialog, QStringLiteral("compare-then-and-now"));

    buttonNamed(dialog, QStringLiteral("Draw on the charts"))->click();
    QCOMPARE(session.comparedScenarios().size(), std::size_t(2));
    const auto plot = session.plot(econ::EconomicView::RevenueGap);
    QVERIFY(plot.ok());
    QVERIFY(plot->comparison.find("as of 27 January 2025") != std::string::npos);
    int compared = 0;
    for (const plot::ChartSpec &chart : plot->charts) {
        for (const plot::Series &series : chart.series)
            compared += series.evidence == plot::Evidence::Compared ? 1 : 0;
    }
    QVERIFY(compared >= 4); // required and projected revenue in each of the two others
    window.resize(1280, 720);
    window.show();
    QCoreApplication::processEvents();
    session.flushPendingRecompute();
    QCoreApplication::processEvents();
    saveScreenshot(window, QStringLiteral("window-compare-then-and-now"));
    buttonNamed(dialog, QStringLiteral("Stop comparing"))->click();
    QVERIFY(session.comparedScenarios().empty());
}

void TestQuestions::evidenceDateCutsTheModelsAndIsSaved()
{
    ui::MainWindow window(shippedCatalog());
    Session &session = *window.session();
    const std::size_t inHand = session.figures().size();
    session.setEvidenceDate(QDate(2025, 1, 27));
    const auto cut = econ::evidenceAsOf(session.figuresInHand(), "2025-01-27", today());
    QCOMPARE(session.figures().size(), cut->figures.size());
    QVERIFY(session.figures().size() < inHand);
    const auto plot = session.plot(econ::EconomicView::Fragility);
    QVERIFY(plot.ok());
    QVERIFY(plot->evidence.starts_with("Evidence as of 27 January 2025: "));

    const QByteArray saved = session.scenarioJson();
    QVERIFY(saved.contains("\"as_of\": \"2025-01-27\""));
    session.setEvidenceDate(std::nullopt);
    QCOMPARE(session.figures().size(), inHand);
    QVERIFY(session.loadScenarioJson(saved, QStringLiteral("saved.json")).ok());
    QCOMPARE(session.evidenceDate(), std::optional(QDate(2025, 1, 27)));
    // A bad date is refused with the key named, and the date stays as it was.
    const auto refused = session.loadScenarioJson(R"({"as_of": "2025-02-30"})", QStringLiteral("bad.json"));
    QVERIFY(!refused.ok());
    QVERIFY(QString::fromStdString(refused.error().message).contains(u"as_of"));
    QCOMPARE(session.evidenceDate(), std::optional(QDate(2025, 1, 27)));
}

void TestQuestions::shippedQuestionsHaveTheirFiguresAsAnswers()
{
    const store::Catalog catalog = shippedCatalog();
    const std::vector<Figure> figures = catalog.modelFigures();
    const std::vector<StoryStep> story = thesisStory();
    // In the unit the class types: the figure's value over the unit's size.
    const std::map<QString, double> perUnit = {{QStringLiteral("US$ billions"), 1e9},
                                               {QStringLiteral("US$ millions"), 1e6},
                                               {QStringLiteral("count"), 1.0},
                                               {QStringLiteral("%"), 1.0}};
    for (const StoryStep &step : story) {
        QVERIFY2(step.question.has_value(), qPrintable(step.title));
        const auto answer = answerStoryQuestion(step, figures, catalog.figures.sources);
        QVERIFY2(answer.ok(), answer ? "" : answer.error().message.c_str());
        if (step.question->figureId.isEmpty()) {
            // A model answer: the fiber model's own strand year at the step's assumptions.
            const auto fiber = econ::computeFiberJevons(figures, step.scenario);
            QCOMPARE(answer->value, double(fiber->strandYear.value_or(2036)));
            continue;
        }
        const auto figure = std::find_if(figures.begin(), figures.end(), [&](const Figure &item) {
            return item.id == step.question->figureId.toStdString();
        });
        QVERIFY(figure != figures.end());
        QCOMPARE(answer->value, figure->value / perUnit.at(step.question->unit));
        QCOMPARE(answer->quote, QString::fromStdString(figure->quote));
        QVERIFY(!answer->source.isEmpty());
    }
}

void TestQuestions::storyFileIsRead()
{
    const store::Catalog catalog = shippedCatalog();
    const QByteArray text = R"(# A teacher's story
[step]
title: What did V3 cost?
view: cost-curves
chart: training-cost
caption: The final run, by DeepSeek's account.
question: What did the final run cost?
answer: figure v3-final-run-cost-report
unit: US$ millions

[step]
title: A dearer world
view: revenue-gap
set: wacc=0.12
set: ai_revenue_growth=0.5
caption: Capital costs more here.
question: How large is the 2030 gap at these settings?
answer: headline gap_2030_usd
unit: US$ billions
)";
    const auto steps = parseStoryFile(text, QStringLiteral("class.story"), catalog.modelFigures(),
                                      catalog.figures.sources);
    QVERIFY2(steps.ok(), steps ? "" : steps.error().toString().c_str());
    QCOMPARE(steps->size(), std::size_t(2));
    QCOMPARE(steps->at(0).question->figureId, QStringLiteral("v3-final-run-cost-report"));
    QCOMPARE(steps->at(1).scenario.value(econ::AssumptionId::Wacc), 0.12);
    QCOMPARE(steps->at(1).scenario.value(econ::AssumptionId::AiRevenueGrowth), 0.5);
    // The model answer is the revenue-gap model's own number at the step's settings, in billions.
    const auto answer = answerStoryQuestion(steps->at(1), catalog.modelFigures(), catalog.figures.sources);
    const auto gap = econ::computeRevenueGap(catalog.modelFigures(), steps->at(1).scenario);
    QVERIFY(std::abs(answer->value - gap->gap2030Usd / 1e9) < 1e-6);
}

void TestQuestions::badStoryFilesNameTheLine_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("mentions");
    const QByteArray head = "[step]\ntitle: T\nview: moat\ncaption: C\n";
    QTest::newRow("before a step") << QByteArray("title: T\n") << 1 << "before the first [step]";
    QTest::newRow("unknown key") << head + "colour: red\n" << 5 << "colour";
    QTest::newRow("twice") << head + "title: again\n" << 5 << "twice";
    QTest::newRow("unknown view") << QByteArray("[step]\ntitle: T\nview: weather\n") << 3 << "weather";
    QTest::newRow("bad set") << head + "set: wacc=9\n" << 5 << "wacc";
    QTest::newRow("no caption") << QByteArray("\n[step]\ntitle: T\nview: moat\n") << 2 << "caption";
    QTest::newRow("no unit") << head + "question: Q?\nanswer: figure v3-final-run-cost-report\n" << 1 << "unit";
    QTest::newRow("missing figure") << head + "question: Q?\nanswer: figure no-such-figure\nunit: count\n" << 6
                                    << "no-such-figure";
    QTest::newRow("wrong unit") << head + "question: Q?\nanswer: figure v3-final-run-cost-report\nunit: %\n" << 6
                                << "cannot express";
    QTest::newRow("headline elsewhere") << head + "question: Q?\nanswer: headline gap_2030_usd\nunit: US$\n" << 6
                                        << "not a headline";
    QTest::newRow("bad answer") << head + "question: Q?\nanswer: guess 5\nunit: count\n" << 6 << "figure ID";
    QTest::newRow("bad unit") << head + "unit: furlongs\n" << 5 << "furlongs";
    QTest::newRow("no colon") << head + "just words\n" << 5 << "key: value";
    QTest::newRow("unknown chart") << head + "chart: pie\n" << 5 << "pie";
    QTest::newRow("empty") << QByteArray("# nothing\n") << 0 << "no [step]";
}

void TestQuestions::badStoryFilesNameTheLine()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, mentions);
    const store::Catalog catalog = shippedCatalog();
    const auto steps = parseStoryFile(text, QStringLiteral("bad.story"), catalog.modelFigures(),
                                      catalog.figures.sources);
    QVERIFY(!steps.ok());
    QCOMPARE(steps.error().line, line);
    QCOMPARE(QString::fromStdString(steps.error().file), QStringLiteral("bad.story"));
    QVERIFY2(QString::fromStdString(steps.error().message).contains(mentions), steps.error().message.c_str());
}

void TestQuestions::revealPlacesTheGuesses()
{
    ui::MainWindow window(shippedCatalog());
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.startStory();
    window.showStoryStep(1); // step 2: DeepSeek-V3's cost
    QCOMPARE(window.storyStep(), 1);
    auto *bar = window.findChild<ui::StoryBar *>();
    QVERIFY(bar && bar->isVisible());
    QPushButton *ask = buttonNamed(*bar, QStringLiteral("Ask"));
    QVERIFY(ask && ask->isVisible());
    ask->click();
    auto *guesses = bar->findChild<QLineEdit *>();
    QVERIFY(guesses->isVisible());
    guesses->setText(QStringLiteral("1, 50, 500"));
    QVERIFY(bar->reveal());
    const QString answer = bar->findChild<QLabel *>(QStringLiteral("storyAnswer"))->text();
    QVERIFY2(answer.contains(u"$5.576 million"), qPrintable(answer));
    QVERIFY(answer.contains(u"DeepSeek-V3 Technical Report"));
    QVERIFY(answer.contains(u"8.97× too high"));
    auto *scale = bar->findChild<ui::GuessScale *>();
    QVERIFY(scale->isVisible());
    QVERIFY(scale->logScale());
    QCoreApplication::processEvents();
    saveScreenshot(window, QStringLiteral("window-story-reveal"));
    guesses->setText(QStringLiteral("five"));
    QVERIFY(!bar->reveal()); // the reason is shown instead
}

QTEST_MAIN(TestQuestions)
#include "test_questions.moc"
