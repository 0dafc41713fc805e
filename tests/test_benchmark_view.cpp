// Offscreen tests of the benchmark view: it builds, a tiny run fills its charts and history,
// and a cancel stops a long run.
#include "ui/charts/chart_widget.h"
#include "ui/views/benchmark_view.h"

#include "bench/model_shape.h"
#include "store/bench_history.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using cliff::ui::BenchmarkView;
using cliff::ui::ChartWidget;

class TestBenchmarkView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void viewBuildsWithEveryPreset();
    void tinyRunFillsChartsAndHistory();
    void cancelStopsARun();

private:
    // The smallest run the view allows: a few tokens, one repetition, no dense models.
    static void makeTiny(BenchmarkView &view)
    {
        view.findChild<QComboBox *>(QStringLiteral("presetCombo"))->setCurrentText(QStringLiteral("olmoe-1b-7b"));
        view.findChild<QSpinBox *>(QStringLiteral("tokensSpin"))->setValue(2);
        view.findChild<QSpinBox *>(QStringLiteral("promptTokensSpin"))->setValue(4);
        view.findChild<QSpinBox *>(QStringLiteral("repetitionsSpin"))->setValue(1);
        view.findChild<QCheckBox *>(QStringLiteral("compareDenseCheck"))->setChecked(false);
    }

    QTemporaryDir m_dir;
};

void TestBenchmarkView::viewBuildsWithEveryPreset()
{
    BenchmarkView view({});
    view.resize(1280, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *preset = view.findChild<QComboBox *>(QStringLiteral("presetCombo"));
    QVERIFY(preset);
    QCOMPARE(preset->count(), static_cast<int>(cliff::bench::presets().size()));
    auto *attention = view.findChild<QLabel *>(QStringLiteral("attentionLabel"));
    QVERIFY(attention);
    preset->setCurrentText(QStringLiteral("deepseek-v3"));
    QVERIFY(attention->text().contains(QStringLiteral("multi-head latent attention")));
    QVERIFY(attention->text().contains(QStringLiteral("latent of 512 values")));
    QVERIFY(attention->text().contains(QStringLiteral("top-8 of 256")));
    if (qEnvironmentVariableIsSet("CLIFF_SCREENSHOT_DIR")) {
        QTest::qWait(300); // let the charts lay out their axes
        view.grab().save(qEnvironmentVariable("CLIFF_SCREENSHOT_DIR") +
                         QStringLiteral("/benchmark-deepseek-v3.png"));
    }
    preset->setCurrentText(QStringLiteral("deepseek-v2-lite"));
    QVERIFY(attention->text().contains(QStringLiteral("multi-head latent attention")));
    QVERIFY(!attention->text().contains(QStringLiteral("Queries pass through")));
    preset->setCurrentText(QStringLiteral("mixtral-8x7b"));
    QVERIFY(!attention->text().contains(QStringLiteral("latent attention")));
    QVERIFY(attention->text().contains(QStringLiteral("grouped-query attention")));
    QVERIFY(attention->text().contains(QStringLiteral("8 KV heads")));
    // OLMoE has a key and value head for each of its 16 query heads.
    preset->setCurrentText(QStringLiteral("olmoe-1b-7b"));
    QVERIFY(attention->text().contains(QStringLiteral("multi-head attention")));
    QVERIFY(!attention->text().contains(QStringLiteral("grouped-query")));
    QCOMPARE(view.findChildren<ChartWidget *>().size(), 5);
    QVERIFY(!view.running());
}

void TestBenchmarkView::tinyRunFillsChartsAndHistory()
{
    const QString db = m_dir.filePath(QStringLiteral("tiny.sqlite"));
    BenchmarkView view(db);
    view.resize(1280, 900);
    view.show();
    makeTiny(view);
    // Two repetitions, so each ceiling is probed twice and may be seen to move.
    view.findChild<QSpinBox *>(QStringLiteral("repetitionsSpin"))->setValue(2);
    // Before the first result, a line stands where the charts will be.
    auto *notRunYet = view.findChild<QLabel *>(QStringLiteral("notRunYetLabel"));
    auto *speed = view.findChild<ChartWidget *>(QStringLiteral("speedChart"));
    QVERIFY(notRunYet && speed);
    QVERIFY(notRunYet->isVisible());
    QVERIFY(!speed->isVisible());
    QSignalSpy finished(&view, &BenchmarkView::runFinished);
    view.findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    QVERIFY(view.running());
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled());
    QVERIFY(finished.wait(600000));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(!view.running());
    QVERIFY(view.lastReport().has_value());

    // The saved run, read back from the database, is what the charts and the table show.
    auto history = cliff::store::BenchHistory::open(db);
    QVERIFY(history.ok());
    auto runs = history->runs();
    QVERIFY(runs.ok());
    QCOMPARE(runs->size(), std::size_t{1});
    const cliff::store::BenchRun &saved = runs->front();
    QCOMPARE(saved.preset, std::string("olmoe-1b-7b"));
    QCOMPARE(saved.samples.size(), std::size_t{4}); // two decode and two prefill repetitions

    QVERIFY(speed->isVisible());
    QVERIFY(!notRunYet->isVisible());
    QCOMPARE(speed->spec().series.size(), std::size_t{1});
    QCOMPARE(speed->spec().series[0].points[0].y, saved.decodeTokensPerSecond);
    QCOMPARE(speed->spec().series[0].points[1].y, saved.prefillTokensPerSecond);
    auto *roofline = view.findChild<ChartWidget *>(QStringLiteral("rooflineChart"));
    // The machine's ceilings first (read-only bandwidth, instruction peak), then the lower ones.
    QVERIFY(saved.decodeRooflineFraction && saved.prefillPeakFraction);
    QCOMPARE(roofline->spec().series.size(), std::size_t{2});
    QCOMPARE(roofline->spec().series[0].points[0].y, 100.0 * *saved.decodeRooflineFraction);
    QCOMPARE(roofline->spec().series[0].points[1].y, 100.0 * *saved.prefillPeakFraction);
    QCOMPARE(roofline->spec().series[1].points[0].y, 100.0 * saved.decodeTriadFraction);
    QCOMPARE(roofline->spec().series[1].points[1].y, 100.0 * saved.prefillGemmFraction);
    // The note says a ceiling moved exactly when its two probes differ by more than 15% of
    // their mean.
    for (const auto &[probes, ceiling] :
         {std::pair{view.lastReport()->readGbPerSecond.values, "the read-only bandwidth moved"},
          std::pair{view.lastReport()->instructionPeakGflopsPerSecond.values,
                    "the instruction peak moved"}}) {
        QCOMPARE(probes.size(), std::size_t{2});
        const bool moved = std::abs(probes[0] - probes[1]) > 0.15 * (probes[0] + probes[1]) / 2;
        QCOMPARE(QString::fromStdString(roofline->spec().note).contains(QLatin1String(ceiling)),
                 moved);
    }
    // Both divide one measured speed, so they stand in the ratio of their ceilings.
    QCOMPARE(*saved.decodeRooflineFraction * *saved.bandwidthReadGbPerSecond,
             saved.decodeTriadFraction * saved.bandwidthTriadGbPerSecond);
    // The waterfall's parts, from the roofline down, add up to its last bar, the measured time.
    auto *waterfall = view.findChild<ChartWidget *>(QStringLiteral("decodeWaterfallChart"));
    QVERIFY(waterfall);
    const auto &parts = waterfall->spec().series.at(0).points; // bottom-up: measured first
    QCOMPARE(parts.size(), std::size_t{7});
    double sum = 0.0;
    for (std::size_t i = 1; i < parts.size(); ++i)
        sum += parts[i].y;
    QCOMPARE(sum, parts[0].y);
    auto *dense = view.findChild<ChartWidget *>(QStringLiteral("denseChart"));
    QVERIFY(dense->spec().series.empty()); // dense models were not run

    // Each load histogram counts every one of OLMoE's 64 experts once.
    auto *load = view.findChild<ChartWidget *>(QStringLiteral("expertLoadChart"));
    QCOMPARE(load->spec().series.size(), std::size_t{2});
    for (const auto &series : load->spec().series) {
        double experts = 0.0;
        for (const auto &point : series.points)
            experts += point.y;
        QCOMPARE(experts, 64.0);
    }

    auto *table = view.findChild<QTableWidget *>(QStringLiteral("historyTable"));
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("olmoe-1b-7b"));
    QCOMPARE(table->item(0, 9)->text(), QStringLiteral("multi-head"));
    QCOMPARE(table->item(0, 0)->text(), QString::fromStdString(saved.runAtUtc));

    // Changing the cost inputs reprices the run without running it again.
    auto *cost = view.findChild<QLabel *>(QStringLiteral("costLabel"));
    const QString before = cost->text();
    view.findChild<QDoubleSpinBox *>(QStringLiteral("powerSpin"))->setValue(1000.0);
    QVERIFY(cost->text() != before);
    QVERIFY(cost->text().contains(QStringLiteral("1,000 W")) || cost->text().contains(QStringLiteral("1000 W")));

    if (qEnvironmentVariableIsSet("CLIFF_SCREENSHOT")) {
        view.resize(1400, 1500);
        QTest::qWait(300); // let the charts lay out their axes
        view.grab().save(qEnvironmentVariable("CLIFF_SCREENSHOT"));
    }
}

// Cancels once the run is timing its model, the setup behind it. How soon the run stops is a
// speed, printed by the cliff-bench-cancel harness; here only the outcome counts: cancelled,
// nothing saved, the controls back. The waits are only guards against a hang.
void TestBenchmarkView::cancelStopsARun()
{
    const QString db = m_dir.filePath(QStringLiteral("cancel.sqlite"));
    BenchmarkView view(db);
    makeTiny(view);
    // Tens of thousands of decode steps would run for many minutes if the cancel were ignored.
    view.findChild<QSpinBox *>(QStringLiteral("tokensSpin"))->setValue(60000);
    view.findChild<QSpinBox *>(QStringLiteral("repetitionsSpin"))->setValue(5);
    QSignalSpy finished(&view, &BenchmarkView::runFinished);
    view.run();
    auto *stage = view.findChild<QLabel *>(QStringLiteral("stageLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(stage->text().contains(QStringLiteral("decode")), 600000);
    QVERIFY(view.running());
    view.findChild<QPushButton *>(QStringLiteral("cancelButton"))->click();
    QVERIFY(finished.wait(600000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!view.running());
    QVERIFY(view.findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled());
    QCOMPARE(stage->text(), QStringLiteral("Cancelled."));
    auto history = cliff::store::BenchHistory::open(db);
    QVERIFY(history.ok());
    QVERIFY(history->runs()->empty());
}

QTEST_MAIN(TestBenchmarkView)
#include "test_benchmark_view.moc"
