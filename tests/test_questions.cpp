// Tests of the window's questions: "what would it take" puts its answer on the sliders in one undo
// step, the comparison dialog's "then and now" cuts the evidence at its dates and draws the other
// scenarios over the charts, and an evidence date cuts the figures the models read and travels
// with a saved scenario. With CLIFF_SCREENSHOT_DIR set, each dialog is saved there as a PNG.

#include "ui/main_window.h"
#include "ui/questions/compare_dialog.h"
#include "ui/questions/what_it_takes_dialog.h"

#include "econ/evidence_date.h"
#include "econ/revenue_gap.h"
#include "session/session.h"

#include "store/catalog.h"

#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

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

QTEST_MAIN(TestQuestions)
#include "test_questions.moc"
