// Offscreen tests of the main window on the embedded store.
#include "ui/main_window.h"

#include "ui/assumption_panel.h"
#include "ui/distribution_dialog.h"
#include "ui/charts/axis_ticks.h"
#include "ui/charts/chart_builder.h"
#include "ui/charts/chart_style.h"
#include "ui/charts/chart_widget.h"
#include "ui/views/economic_view_page.h"
#include "ui/views/sources_view.h"

#include "econ/assumption_registry.h"
#include "econ/revenue_gap.h"
#include "session/session.h"

#include "store/catalog.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QSlider>
#include <QFile>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QLineEdit>
#include <QTableView>
#include <QMap>
#include <QInputDialog>
#include <QTimer>
#include <QAction>
#include <QTest>
#include <QTextBrowser>

class TestUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void windowShowsEveryFigure();
    void filteringNarrowsTheTable();
    void selectingAFigureShowsItsQuoteAndSource();
    void brokenUserStoreIsReportedNotFatal();
    void everyViewDrawsSeriesFromTheStore();
    void movingASliderRedrawsWithTheModelsNumbers();
    void resetAllRestoresTheDefaults();
    void undoAndRedoFollowTheSliders();
    void clickingAPointOpensItsFigure();
    void clickingATornadoBarSelectsItsSlider();
    void distributionDialogChecksAsYouType();
    void storyWalksThroughFiveViews();
    void presentationModeLeavesOnEscape();
    void assumptionsPanelMakesRoomOnViewsWithoutAssumptions();
    void valueTicksAreRoundAndReadable_data();
    void valueTicksAreRoundAndReadable();
    void yearAxisEndsAtTheLastYear();
    void axisRangeDependsOnTheDataOnly();
    void axisTitlesSayTheUnitOnce();
    void logAxisLabelsHaveOneStyle();
    void unreportedBarsAreHatched();
    void assumptionUnitsReadLikeLabels();
    void resetAllRestoresTheRevenueAxis();
    void windowFitsAProjector();
    void scenarioLinkDialogShowsALink();
    void chartsHaveNamesAndTheKeyboardWalksTheirPoints();
    void paletteColoursStayApartForColourBlindViewers();
    void assumptionsAreOneTabStopEach();
};

static cliff::store::Catalog shippedCatalog()
{
    auto catalog = cliff::store::loadCatalog({}, {});
    if (!catalog)
        qFatal("%s", catalog.error().toString().c_str());
    return std::move(catalog).value();
}

void TestUi::windowShowsEveryFigure()
{
    cliff::store::Catalog catalog = shippedCatalog();
    const int figures = int(catalog.figures.figures.size());
    cliff::ui::MainWindow window(std::move(catalog));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *table = window.findChild<QTableView *>();
    QVERIFY(table);
    QCOMPARE(table->model()->rowCount(), figures);
}

void TestUi::filteringNarrowsTheTable()
{
    cliff::ui::MainWindow window(shippedCatalog());
    auto *sources = window.findChild<cliff::ui::SourcesView *>();
    QVERIFY(sources);
    auto *table = sources->findChild<QTableView *>();
    auto *search = sources->findChild<QLineEdit *>();
    QVERIFY(table && search);
    const int all = table->model()->rowCount();
    search->setText(QStringLiteral("DeepSeek-V3"));
    const int matching = table->model()->rowCount();
    QVERIFY(matching > 0);
    QVERIFY(matching < all);
    for (int row = 0; row < matching; ++row) {
        bool mentions = false;
        for (int column = 0; column < table->model()->columnCount() && !mentions; ++column) {
            const QModelIndex cell = table->model()->index(row, column);
            mentions = cell.data().toString().contains(u"DeepSeek-V3", Qt::CaseInsensitive)
                       || cell.data(Qt::ToolTipRole).toString().contains(u"DeepSeek-V3", Qt::CaseInsensitive);
        }
        if (!mentions) // the note is the only other searched text
            mentions = table->model()->index(row, 0).data(Qt::WhatsThisRole).toString().contains(u"DeepSeek-V3", Qt::CaseInsensitive);
        QVERIFY(mentions);
    }
    search->clear();
    QCOMPARE(table->model()->rowCount(), all);

    auto combos = sources->findChildren<QComboBox *>();
    QVERIFY(!combos.isEmpty());
    QComboBox *category = combos.front();
    const int credit = category->findData(QStringLiteral("credit"));
    QVERIFY(credit > 0);
    category->setCurrentIndex(credit);
    QVERIFY(table->model()->rowCount() > 0);
    for (int row = 0; row < table->model()->rowCount(); ++row)
        QCOMPARE(table->model()->index(row, 0).data().toString(), QStringLiteral("credit"));
}

void TestUi::selectingAFigureShowsItsQuoteAndSource()
{
    cliff::store::Catalog catalog = shippedCatalog();
    const cliff::Figure figure = catalog.figures.figures.front();
    const cliff::Source *source = catalog.figures.findSource(figure.sourceId);
    QVERIFY(source);
    const QString url = QString::fromStdString(source->url);
    cliff::ui::MainWindow window(std::move(catalog));
    QVERIFY(window.showFigure(QString::fromStdString(figure.id)));
    QVERIFY(!window.showFigure(QStringLiteral("no-such-figure")));
    auto *details = window.findChild<cliff::ui::SourcesView *>()->findChild<QTextBrowser *>();
    QVERIFY(details);
    const QString shown = details->toPlainText();
    QVERIFY2(shown.contains(QString::fromStdString(figure.quoted)), qPrintable(shown));
    QVERIFY(shown.contains(url));
}

void TestUi::brokenUserStoreIsReportedNotFatal()
{
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("user.sqlite"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a database");
    file.close();
    auto catalog = cliff::store::loadCatalog({}, bad);
    QVERIFY(catalog.ok());
    QVERIFY(catalog->userStoreProblem.has_value());
    cliff::ui::MainWindow window(std::move(catalog).value());
    window.show();
    QVERIFY(window.statusBar()->currentMessage().contains(u"left untouched"));
}

/// Points drawn by a chart: XY points plus bar values.
static int drawnPoints(const QChart *chart)
{
    int points = 0;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *xy = qobject_cast<QXYSeries *>(series))
            points += int(xy->count());
        else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            for (QBarSet *set : bars->barSets())
                points += int(set->count());
        }
    }
    return points;
}

static QLineSeries *lineNamed(const QChart *chart, const QString &name)
{
    for (QAbstractSeries *series : chart->series()) {
        if (series->name() == name)
            return qobject_cast<QLineSeries *>(series);
    }
    return nullptr;
}

static double valueAt(const QLineSeries *series, double x)
{
    for (const QPointF &point : series->points()) {
        if (point.x() == x)
            return point.y();
    }
    return qQNaN();
}

void TestUi::everyViewDrawsSeriesFromTheStore()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    for (cliff::econ::EconomicView view : cliff::econ::economicViews()) {
        const QString key = QString::fromUtf8(cliff::econ::economicViewKey(view).data());
        QVERIFY(window.showView(key));
        window.session()->flushPendingRecompute();
        auto *page = window.page(view);
        QVERIFY(page->isVisible());
        QVERIFY(!page->headline().isEmpty());
        QVERIFY(page->charts().size() >= 2);
        for (cliff::ui::ChartWidget *chart : page->charts()) {
            QVERIFY2(drawnPoints(chart->chart()) > 0, chart->spec().key.c_str());
            QVERIFY(!chart->dataRows().isEmpty());
            // Show data rounds as labels do (the CSV export keeps every digit), and a range
            // whose ends are equal is one value.
            const auto significantDigits = [](QString number) {
                number = number.section(u'e', 0, 0); // the mantissa of 3.5e-08
                if (!number.contains(u'.'))
                    return 0; // whole numbers print whole
                number.remove(QRegularExpression(QStringLiteral("[-,.]")));
                number.remove(QRegularExpression(QStringLiteral("^0+")));
                return int(number.size());
            };
            for (const QStringList &row : chart->dataRows()) {
                const QStringList ends = row.at(2).split(QStringLiteral(" to "));
                for (const QString &end : ends)
                    QVERIFY2(significantDigits(end) <= 3, qPrintable(row.join(u'|')));
                QVERIFY2(ends.size() == 1 || ends.front() != ends.back(), qPrintable(row.join(u'|')));
            }
        }
    }
}

void TestUi::movingASliderRedrawsWithTheModelsNumbers()
{
    using cliff::econ::AssumptionId;
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    window.showView(QStringLiteral("revenue-gap"));
    window.session()->flushPendingRecompute();
    QSlider *slider = window.assumptionPanel()->slider(AssumptionId::Wacc);
    QVERIFY(slider);
    const QChart *chart = window.page(cliff::econ::EconomicView::RevenueGap)->charts().at(1)->chart();
    const double before = valueAt(lineNamed(chart, QStringLiteral("Required revenue")), 2030);

    slider->setValue(slider->maximum()); // WACC 20%
    window.session()->flushPendingRecompute();
    cliff::econ::Scenario expected;
    QVERIFY(expected.set(AssumptionId::Wacc, 0.20).ok());
    QCOMPARE(window.session()->scenario().value(AssumptionId::Wacc), 0.20);
    const auto model = cliff::econ::computeRevenueGap(window.session()->figures(), expected);
    QVERIFY(model.ok());
    const double after = valueAt(lineNamed(chart, QStringLiteral("Required revenue")), 2030);
    QCOMPARE(after, model->requiredRevenue2030Usd / 1e9);
    QVERIFY(after > before);
    QCOMPARE(window.assumptionPanel()->spinBox(AssumptionId::Wacc)->value(), 20.0);
}

void TestUi::resetAllRestoresTheDefaults()
{
    using cliff::econ::AssumptionId;
    cliff::ui::MainWindow window(shippedCatalog());
    window.showView(QStringLiteral("fiber"));
    auto *panel = window.assumptionPanel();
    panel->spinBox(AssumptionId::DemandElasticity)->setValue(0.5);
    panel->slider(AssumptionId::LoanTermYears)->setValue(panel->slider(AssumptionId::LoanTermYears)->minimum());
    QVERIFY(window.session()->scenario() != cliff::econ::Scenario{});
    QPushButton *reset = nullptr;
    for (QPushButton *button : panel->findChildren<QPushButton *>()) {
        if (button->text().contains(u"Reset all"))
            reset = button;
    }
    QVERIFY(reset);
    reset->click();
    QVERIFY(window.session()->scenario() == cliff::econ::Scenario{});
    QCOMPARE(panel->spinBox(AssumptionId::DemandElasticity)->value(), 1.2);
}

void TestUi::undoAndRedoFollowTheSliders()
{
    using cliff::econ::AssumptionId;
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showView(QStringLiteral("fragility"));
    QSlider *slider = window.assumptionPanel()->slider(AssumptionId::RecoveryRate);
    QVERIFY(slider);
    const int start = slider->value();
    slider->setSliderDown(true);
    for (int step = 1; step <= 10; ++step)
        slider->setValue(start + step);
    slider->setSliderDown(false);
    QCOMPARE(window.session()->undoStack()->count(), 1);
    const double dragged = window.session()->scenario().value(AssumptionId::RecoveryRate);
    QVERIFY(qAbs(dragged - 0.45) < 1e-9);

    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(window.session()->scenario().value(AssumptionId::RecoveryRate), 0.35);
    QCOMPARE(slider->value(), start);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(window.session()->scenario().value(AssumptionId::RecoveryRate), dragged);
    QCOMPARE(slider->value(), start + 10);
    // Ctrl+Y redoes as well.
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(window.session()->scenario().value(AssumptionId::RecoveryRate), 0.35);
    QTest::keyClick(&window, Qt::Key_Y, Qt::ControlModifier);
    QCOMPARE(window.session()->scenario().value(AssumptionId::RecoveryRate), dragged);

    // No key sequence belongs to two actions: Qt would call it ambiguous and run neither.
    QMap<QString, QString> owner;
    for (const QAction *action : window.findChildren<QAction *>()) {
        for (const QKeySequence &key : action->shortcuts()) {
            const QString text = key.toString();
            QVERIFY2(!owner.contains(text), qPrintable(text + u' ' + owner.value(text) + u' ' + action->text()));
            owner.insert(text, action->text());
        }
    }
}

void TestUi::clickingAPointOpensItsFigure()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.showView(QStringLiteral("cost-curves"));
    window.session()->flushPendingRecompute();
    cliff::ui::ChartWidget *chart = window.page(cliff::econ::EconomicView::CostCurves)->charts().front();
    std::string figureId;
    for (const auto &series : chart->spec().series) {
        for (const auto &point : series.points) {
            if (!point.figureId.empty() && figureId.empty())
                figureId = point.figureId;
        }
    }
    QVERIFY(!figureId.empty());
    Q_EMIT chart->figureActivated(QString::fromStdString(figureId));
    QCOMPARE(window.session()->viewKey(), QStringLiteral("sources"));
    const QString shown = window.findChild<cliff::ui::SourcesView *>()->findChild<QTextBrowser *>()->toPlainText();
    const cliff::Figure *figure = window.session()->findFigure(figureId);
    QVERIFY(figure);
    QVERIFY2(shown.contains(QString::fromStdString(figure->quoted)), qPrintable(shown));
}

void TestUi::clickingATornadoBarSelectsItsSlider()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    window.showView(QStringLiteral("fiber"));
    cliff::Session *session = window.session();
    session->setShowUncertainty(true);
    session->flushPendingRecompute();
    session->waitForUncertainty();
    session->flushPendingRecompute();
    const cliff::plot::ViewUncertainty *uncertainty = session->uncertainty(cliff::econ::EconomicView::FiberJevons);
    QVERIFY(uncertainty && !uncertainty->tornado.bars.empty());
    const cliff::econ::AssumptionId widest = uncertainty->tornado.bars.front().id;

    cliff::ui::ChartWidget *tornado = nullptr;
    for (cliff::ui::ChartWidget *chart : window.page(cliff::econ::EconomicView::FiberJevons)->charts()) {
        if (chart->isVisible() && chart->spec().key == "tornado")
            tornado = chart;
    }
    QVERIFY(tornado);
    auto *bars = qobject_cast<QAbstractBarSeries *>(tornado->chart()->series().constFirst());
    QVERIFY(bars && bars->barSets().size() == 2);
    // The widest swing is the top bar, the last category.
    const int top = int(tornado->spec().x.categories.size()) - 1;
    Q_EMIT bars->barSets().at(1)->clicked(top);
    QSlider *slider = window.assumptionPanel()->slider(widest);
    QVERIFY(slider);
    QCOMPARE(window.focusWidget(), slider);
}

void TestUi::distributionDialogChecksAsYouType()
{
    using cliff::econ::AssumptionId;
    cliff::ui::DistributionDialog dialog(AssumptionId::Wacc, cliff::econ::Distribution::fixed(0.09),
                                         QStringLiteral("illustrative"));
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    dialog.kindBox()->setCurrentIndex(dialog.kindBox()->findText(QStringLiteral("triangular")));
    dialog.lowBox()->setValue(12.0); // shown in %: 12% .. 8%, mode 9%
    dialog.highBox()->setValue(8.0);
    dialog.centreBox()->setValue(9.0);
    QVERIFY(!ok->isEnabled());
    QVERIFY(!dialog.distribution());
    dialog.lowBox()->setValue(6.0);
    dialog.highBox()->setValue(14.0);
    QVERIFY(ok->isEnabled());
    const auto entered = dialog.distribution();
    QVERIFY(entered);
    QCOMPARE(entered->kind, cliff::econ::DistributionKind::Triangular);
    QCOMPARE(entered->low, 0.06);
    QCOMPARE(entered->centre, 0.09);
    QCOMPARE(entered->high, 0.14);
}

void TestUi::storyWalksThroughFiveViews()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.startStory();
    QStringList views;
    for (int step = 0; step < 5; ++step) {
        QCOMPARE(window.storyStep(), step);
        views << window.session()->viewKey();
        QTest::keyClick(&window, Qt::Key_Right);
    }
    QCOMPARE(window.storyStep(), 4);
    QCOMPARE(views, QStringList({"revenue-gap", "cost-curves", "moat", "fragility", "fiber"}));
    QCOMPARE(window.session()->scenario().value(cliff::econ::AssumptionId::DemandElasticity), 0.9);
    QTest::keyClick(&window, Qt::Key_Left);
    QCOMPARE(window.session()->viewKey(), QStringLiteral("fragility"));

    // On a focused slider the arrows move the slider; Page Down still steps the story.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSlider *slider = window.assumptionPanel()->slider(cliff::econ::AssumptionId::RecoveryRate);
    QVERIFY(slider);
    slider->setFocus();
    QTRY_VERIFY_WITH_TIMEOUT(slider->hasFocus(), 300000);
    const int before = slider->value();
    QTest::keyClick(slider, Qt::Key_Right);
    QCOMPARE(window.storyStep(), 3);
    QVERIFY(slider->value() > before);
    QTest::keyClick(slider, Qt::Key_PageDown);
    QCOMPARE(window.storyStep(), 4);

    QTest::keyClick(&window, Qt::Key_Escape);
    QCOMPARE(window.storyStep(), -1);
}

void TestUi::presentationModeLeavesOnEscape()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *dock = window.findChild<QDockWidget *>();
    QVERIFY(dock && dock->isVisible());
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY(window.presentationMode());
    QVERIFY(!dock->isVisible());
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(!window.presentationMode());
    QVERIFY(dock->isVisible());
}

// The benchmark and sources pages (and Moat, which has no assumptions) get the panel's width;
// the panel returns on the next view with assumptions, unless the user closed it meanwhile.
void TestUi::assumptionsPanelMakesRoomOnViewsWithoutAssumptions()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *dock = window.findChild<QDockWidget *>();
    QVERIFY(window.showView(QStringLiteral("revenue-gap")));
    QVERIFY(dock && dock->isVisible());
    for (const char *view : {"benchmark", "sources", "moat"}) {
        QVERIFY(window.showView(QString::fromLatin1(view)));
        QVERIFY2(!dock->isVisible(), view);
    }
    QVERIFY(window.showView(QStringLiteral("cost-curves")));
    QVERIFY(dock->isVisible());
    // Opened by hand on the benchmark page, it stays open.
    QVERIFY(window.showView(QStringLiteral("benchmark")));
    QTest::keyClick(&window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(dock->isVisible());
    QVERIFY(window.showView(QStringLiteral("fragility")));
    QVERIFY(dock->isVisible());
    // Closed by hand, it stays closed on every view.
    QTest::keyClick(&window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!dock->isVisible());
    QVERIFY(window.showView(QStringLiteral("sources")));
    QVERIFY(window.showView(QStringLiteral("revenue-gap")));
    QVERIFY(!dock->isVisible());
}

void TestUi::valueTicksAreRoundAndReadable_data()
{
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::newRow("revenue") << 0.0 << 4531.0;
    QTest::newRow("demand") << 0.0 << 1.2e8;
    QTest::newRow("bands") << 0.0 << 164055.0;
    QTest::newRow("share") << 0.0 << 100.0;
    QTest::newRow("small") << 0.0 << 0.42;
    QTest::newRow("negative") << -3200.0 << 900.0;
    QTest::newRow("flat") << 96.666667 << 96.666667;
}

void TestUi::valueTicksAreRoundAndReadable()
{
    QFETCH(double, low);
    QFETCH(double, high);
    const cliff::ui::AxisTicks ticks = cliff::ui::valueTicks(low, high);
    QVERIFY(ticks.low <= low && ticks.high >= high);
    QVERIFY(ticks.values.size() >= 2 && ticks.values.size() <= 7);
    QCOMPARE(ticks.values.front(), ticks.low);
    QCOMPARE(ticks.values.back(), ticks.high);
    QStringList labels;
    for (double value : ticks.values) {
        const QString label = cliff::ui::tickLabel(value, ticks.decimals);
        QVERIFY2(!label.contains(u'e') && !label.contains(u'E'), qPrintable(label));
        if (std::abs(value) >= 1000.0)
            QVERIFY2(label.contains(u','), qPrintable(label));
        QVERIFY2(!labels.contains(label), qPrintable(label)); // distinct: enough decimals
        labels.append(label);
    }
    QCOMPARE(cliff::ui::tickLabel(4000000.0, 0), QStringLiteral("4,000,000"));
    QCOMPARE(cliff::ui::tickLabel(-0.0001, 2), QStringLiteral("0.00"));
}

void TestUi::yearAxisEndsAtTheLastYear()
{
    const cliff::ui::AxisTicks ticks = cliff::ui::yearTicks(2024.0, 2035.0);
    QCOMPARE(ticks.low, 2024.0);
    QCOMPARE(ticks.high, 2035.0);
    for (double year : ticks.values)
        QVERIFY(year >= 2024.0 && year <= 2035.0);
    QCOMPARE(cliff::ui::yearLabel(2030.0), QStringLiteral("2030"));
}

static cliff::plot::ChartSpec revenueSpec(double scale)
{
    cliff::plot::ChartSpec spec;
    spec.key = "revenue";
    spec.x = {"Year", "", cliff::plot::AxisKind::Year, cliff::plot::AxisScale::Linear, false, {}};
    spec.y = {"Annual revenue", "US$ billions", cliff::plot::AxisKind::Value,
              cliff::plot::AxisScale::Linear, false, {}};
    cliff::plot::Series line{"Required revenue", cliff::plot::SeriesShape::Line,
                             cliff::plot::Evidence::Modelled, 0, {}};
    for (int year = 2024; year <= 2035; ++year)
        line.points.push_back({double(year), scale * (year - 2023), {}, {}, {}});
    spec.series.push_back(line);
    return spec;
}

static QStringList axisLabels(QChart &chart, Qt::Orientation orientation)
{
    auto *axis = qobject_cast<QCategoryAxis *>(chart.axes(orientation).value(0));
    return axis ? axis->categoriesLabels() : QStringList{QStringLiteral("not a category axis")};
}

void TestUi::axisRangeDependsOnTheDataOnly()
{
    const cliff::plot::ChartSpec defaults = revenueSpec(360.0);
    QChart fresh;
    cliff::ui::buildChart(fresh, defaults, cliff::ui::ChartStyle{}, cliff::plot::AxisScale::Linear);
    const QStringList freshY = axisLabels(fresh, Qt::Vertical);
    QCOMPARE(freshY.front(), QStringLiteral("0"));
    QVERIFY2(freshY.contains(QStringLiteral("4,000")), qPrintable(freshY.join(u' ')));

    // Move the scenario far and back, as Reset all and Play years do.
    QChart visited;
    cliff::ui::buildChart(visited, defaults, cliff::ui::ChartStyle{}, cliff::plot::AxisScale::Linear);
    for (double scale : {900.0, 40.0, 9000.0, 360.0}) {
        cliff::plot::ChartSpec next = revenueSpec(scale);
        QVERIFY(cliff::ui::updateChart(visited, defaults, next, cliff::plot::AxisScale::Linear));
    }
    cliff::plot::ChartSpec played = revenueSpec(360.0);
    played.fixedX = std::pair{2024.0, 2035.0};
    played.fixedY = std::pair{360.0, 360.0 * 12};
    played.series.front().points.resize(3);
    QVERIFY(cliff::ui::updateChart(visited, defaults, played, cliff::plot::AxisScale::Linear));
    QVERIFY(cliff::ui::updateChart(visited, played, defaults, cliff::plot::AxisScale::Linear));

    QCOMPARE(axisLabels(visited, Qt::Vertical), freshY);
    auto *freshAxis = static_cast<QCategoryAxis *>(fresh.axes(Qt::Vertical).front());
    auto *visitedAxis = static_cast<QCategoryAxis *>(visited.axes(Qt::Vertical).front());
    QCOMPARE(visitedAxis->min(), freshAxis->min());
    QCOMPARE(visitedAxis->max(), freshAxis->max());
    auto *years = static_cast<QCategoryAxis *>(visited.axes(Qt::Horizontal).front());
    QCOMPARE(years->max(), 2035.0);
    QVERIFY(!axisLabels(visited, Qt::Horizontal).contains(QStringLiteral("2036")));
}

void TestUi::axisTitlesSayTheUnitOnce()
{
    using cliff::plot::Axis;
    using cliff::plot::AxisKind;
    using cliff::plot::AxisScale;
    QCOMPARE(cliff::ui::axisTitle(Axis{"US dollars per year", "US$ billions", AxisKind::Value,
                                       AxisScale::Linear, false, {}}),
             QStringLiteral("US$ billions per year"));
    QCOMPARE(cliff::ui::axisTitle(Axis{"Annual revenue", "US$ billions", AxisKind::Value,
                                       AxisScale::Linear, false, {}}),
             QStringLiteral("Annual revenue (US$ billions)"));
    QCOMPARE(cliff::ui::axisTitle(Axis{"Compute", "x base year", AxisKind::Value, AxisScale::Log,
                                       true, {}}),
             QStringLiteral("Compute (\u00d7 base year)"));
}

// Qt formats log-axis labels itself: with the chart's locale and format they read "100,000,000"
// and "0.001" on one axis, never "1e+08" beside "10000".
void TestUi::logAxisLabelsHaveOneStyle()
{
    cliff::plot::ChartSpec spec = revenueSpec(1.0);
    spec.y.scale = cliff::plot::AxisScale::Log;
    spec.series.front().points.front().y = 0.001;
    spec.series.front().points.back().y = 1e8;
    QChart chart;
    cliff::ui::buildChart(chart, spec, cliff::ui::ChartStyle{}, cliff::plot::AxisScale::Log);
    auto *axis = qobject_cast<QLogValueAxis *>(chart.axes(Qt::Vertical).value(0));
    QVERIFY(axis);
    QVERIFY(chart.localizeNumbers());
    QVERIFY(axis->min() <= 0.001 && axis->max() >= 1e8);
    const QString format = axis->labelFormat();
    QVERIFY(format.endsWith(u'g'));
    const int precision = format.mid(2, format.size() - 3).toInt();
    QStringList labels;
    for (double value = 0.001; value <= 1e8 * 1.01; value *= 10.0)
        labels << chart.locale().toString(value, 'g', precision);
    QVERIFY2(!labels.join(u' ').contains(u'e', Qt::CaseInsensitive), qPrintable(labels.join(u' ')));
    QCOMPARE(labels.front(), QStringLiteral("0.001"));
    QCOMPARE(labels.back(), QStringLiteral("100,000,000"));
}

// A guidance bar beside reported ones is hatched in its series' colour over a paler tint, so it
// cannot pass for another series; a reported bar is one flat colour.
void TestUi::unreportedBarsAreHatched()
{
    cliff::plot::ChartSpec spec;
    spec.key = "capex";
    spec.x = {"Year", "", cliff::plot::AxisKind::Category, cliff::plot::AxisScale::Linear, false,
              {"2025", "2026"}};
    spec.y = {"Capex", "US$ billions", cliff::plot::AxisKind::Value, cliff::plot::AxisScale::Linear,
              false, {}};
    cliff::plot::Series bars{"Alphabet", cliff::plot::SeriesShape::Bars,
                             cliff::plot::Evidence::Reported, 0, {}};
    bars.points.push_back({0.0, 90.0, {}, {}, {}});
    bars.points.push_back({1.0, 90.0, {}, {}, {}, true}); // 2026 guidance
    spec.series.push_back(bars);
    auto *chart = new QChart;
    const cliff::ui::ChartStyle style;
    cliff::ui::buildChart(*chart, spec, style, cliff::plot::AxisScale::Linear);
    QChartView view(chart);
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.grab().toImage();
    const QColor full = style.seriesColour(0);

    // Walk a row through the middle of both bars, a third of the way up; count the runs of the
    // series' full colour in each category.
    auto *series = qobject_cast<QAbstractBarSeries *>(chart->series().value(0));
    QVERIFY(series);
    const int row = int(chart->mapToPosition(QPointF(0.0, 30.0), series).y());
    const auto runsOfFullColour = [&](qreal category) {
        const int from = int(chart->mapToPosition(QPointF(category - 0.5, 30.0), series).x());
        const int to = int(chart->mapToPosition(QPointF(category + 0.5, 30.0), series).x());
        int runs = 0;
        bool inRun = false;
        for (int x = from; x < to; ++x) {
            const QColor pixel = image.pixelColor(x, row);
            const bool isFull = std::abs(pixel.red() - full.red()) + std::abs(pixel.green() - full.green())
                    + std::abs(pixel.blue() - full.blue()) < 40;
            runs += isFull && !inRun;
            inRun = isFull;
        }
        return runs;
    };
    QCOMPARE(runsOfFullColour(0.0), 1);     // reported: one solid bar
    QVERIFY2(runsOfFullColour(1.0) >= 4,  // guidance: stripes
             qPrintable(QString::number(runsOfFullColour(1.0))));
}

// The revenue chart's y axis after a far scenario and Reset all is the one it had at the start.
void TestUi::resetAllRestoresTheRevenueAxis()
{
    using cliff::econ::AssumptionId;
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(window.showView(QStringLiteral("revenue-gap")));
    window.session()->flushPendingRecompute();
    cliff::ui::ChartWidget *revenue = nullptr;
    for (cliff::ui::ChartWidget *chart : window.page(cliff::econ::EconomicView::RevenueGap)->charts()) {
        if (chart->spec().key == "required-vs-projected")
            revenue = chart;
    }
    QVERIFY(revenue);
    const QStringList before = axisLabels(*revenue->chart(), Qt::Vertical);
    auto *panel = window.assumptionPanel();
    QSlider *growth = panel->slider(AssumptionId::AiRevenueGrowth);
    QVERIFY(growth);
    for (int value : {growth->maximum(), growth->minimum(), growth->maximum()}) {
        growth->setValue(value);
        window.session()->flushPendingRecompute();
    }
    QVERIFY(axisLabels(*revenue->chart(), Qt::Vertical) != before);
    for (QPushButton *button : panel->findChildren<QPushButton *>()) {
        if (button->text().contains(u"Reset all"))
            button->click();
    }
    window.session()->flushPendingRecompute();
    QCOMPARE(axisLabels(*revenue->chart(), Qt::Vertical), before);
}

// The spin boxes write units as every label does: "42%", "1.20×", "1.00× guided capex".
void TestUi::assumptionUnitsReadLikeLabels()
{
    for (const cliff::econ::Assumption &entry : cliff::econ::assumptionRegistry()) {
        const QString suffix = cliff::ui::displayUnit(entry.unit).suffix;
        QVERIFY2(!suffix.startsWith(QStringLiteral(" %")), qPrintable(suffix));
        QVERIFY2(!suffix.startsWith(u'x') && !suffix.contains(QStringLiteral(" x ")), qPrintable(suffix));
        QVERIFY2(!suffix.contains(u'$') || suffix.startsWith(u'$'), qPrintable(suffix));
    }
    QCOMPARE(cliff::ui::displayUnit("x guided capex").suffix, QStringLiteral("\u00d7 guided capex"));
}

// A 1280x720 projector: the window, in either mode and on every view, can be that small.
void TestUi::windowFitsAProjector()
{
    const QSize projector(1280, 720);
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QRect available = window.screen()->availableGeometry();
    QVERIFY2(window.frameGeometry().width() <= std::max(available.width(), projector.width())
                 && window.frameGeometry().height() <= std::max(available.height(), projector.height()),
             qPrintable(QStringLiteral("%1x%2").arg(window.width()).arg(window.height())));
    for (const std::string_view view : cliff::Session::viewKeys()) {
        const QString key = QString::fromUtf8(view.data(), qsizetype(view.size()));
        QVERIFY(window.showView(key));
        for (bool presenting : {false, true}) {
            window.setPresentationMode(presenting);
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
            QVERIFY2(minimum.width() <= projector.width() && minimum.height() <= projector.height(),
                     qPrintable(QStringLiteral("%1 %2: %3x%4").arg(key)
                                    .arg(presenting).arg(minimum.width()).arg(minimum.height())));
        }
        window.setPresentationMode(false);
    }
}

void TestUi::scenarioLinkDialogShowsALink()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QAction *open = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->text().startsWith(u"Open scenario l"))
            open = action;
    }
    QVERIFY(open);
    const QString link = window.session()->scenarioLink();
    int boxWidth = 0;
    int dialogWidth = 0;
    int linkWidth = 0;
    QTimer::singleShot(0, &window, [&] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto *box = dialog->findChild<QLineEdit *>();
        boxWidth = box ? box->width() : 0;
        linkWidth = box ? box->fontMetrics().horizontalAdvance(link.left(80)) : 0;
        dialogWidth = dialog->frameGeometry().width();
        dialog->reject();
    });
    open->trigger();
    QVERIFY2(boxWidth >= linkWidth && linkWidth > 0,
             qPrintable(QStringLiteral("box %1 px, 80 characters of a link %2 px").arg(boxWidth).arg(linkWidth)));
    QVERIFY(dialogWidth <= 1280);
}

void TestUi::chartsHaveNamesAndTheKeyboardWalksTheirPoints()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.showView(QStringLiteral("moat")));
    QCoreApplication::processEvents();
    cliff::ui::ChartWidget *gap = nullptr;
    for (cliff::ui::ChartWidget *chart : window.page(cliff::econ::EconomicView::Moat)->charts()) {
        // Every chart is named by its title and described in words, as its alt text is.
        QCOMPARE(chart->chartView()->accessibleName(), QString::fromStdString(chart->spec().title));
        QVERIFY(chart->chartView()->accessibleDescription().contains(QString::fromStdString(chart->spec().title)));
        QCOMPARE(chart->chartView()->focusPolicy(), Qt::StrongFocus);
        if (chart->spec().key == "open-closed-gap")
            gap = chart;
    }
    QVERIFY(gap);
    // Count the walkable points by hand: every point of every series that is not a band.
    int count = 0;
    for (const auto &series : gap->spec().series)
        if (series.shape != cliff::plot::SeriesShape::Band)
            count += int(series.points.size());
    QVERIFY(count > 1);
    gap->chartView()->setFocus();
    QTest::keyClick(gap->chartView(), Qt::Key_Right);
    const auto &first = gap->spec().series.front();
    QVERIFY(gap->keyboardPointText().contains(QStringLiteral("(point 1 of %1)").arg(count)));
    QVERIFY(gap->keyboardPointText().contains(QString::fromStdString(
        first.points.front().label.empty() ? first.name : first.points.front().label)));
    QVERIFY(gap->chartView()->accessibleName().contains(QStringLiteral("point 1 of")));
    QTest::keyClick(gap->chartView(), Qt::Key_End);
    QVERIFY(gap->keyboardPointText().contains(QStringLiteral("(point %1 of %1)").arg(count)));
    QTest::keyClick(gap->chartView(), Qt::Key_Right); // stays on the last point
    QVERIFY(gap->keyboardPointText().contains(QStringLiteral("(point %1 of %1)").arg(count)));
    // Enter on a cited point opens its figure in Sources.
    QTest::keyClick(gap->chartView(), Qt::Key_Home);
    QVERIFY(!first.points.front().figureId.empty());
    QTest::keyClick(gap->chartView(), Qt::Key_Return);
    QCOMPARE(window.session()->viewKey(), QStringLiteral("sources"));
}

namespace {

double linear(double channel)
{
    channel /= 255.0;
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

// CIE L*a*b* (D65) of linear RGB.
std::array<double, 3> lab(const std::array<double, 3> &rgb)
{
    const double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
    const double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    const double z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
    const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return {116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))};
}

} // namespace

void TestUi::paletteColoursStayApartForColourBlindViewers()
{
    // Machado, Oliveira and Fernandes (2009), full severity, on linear RGB; identity for normal
    // vision. Any two of the first six series colours stay at least 15 CIELAB units apart.
    using Matrix = std::array<std::array<double, 3>, 3>;
    const std::array<std::pair<const char *, Matrix>, 4> visions = {{
        {"normal", {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}},
        {"deuteranopia", {{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}}},
        {"protanopia", {{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}}},
        {"tritanopia", {{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}}},
    }};
    for (const bool dark : {false, true}) {
        cliff::ui::ChartStyle style;
        style.dark = dark;
        for (const auto &[vision, matrix] : visions) {
            std::vector<std::array<double, 3>> seen;
            for (int index = 0; index < 6; ++index) {
                const QColor colour = style.seriesColour(index);
                const std::array<double, 3> rgb{linear(colour.red()), linear(colour.green()), linear(colour.blue())};
                std::array<double, 3> simulated{};
                for (std::size_t row = 0; row < 3; ++row)
                    simulated[row] = std::clamp(matrix[row][0] * rgb[0] + matrix[row][1] * rgb[1] + matrix[row][2] * rgb[2], 0.0, 1.0);
                seen.push_back(lab(simulated));
            }
            for (std::size_t a = 0; a < seen.size(); ++a) {
                for (std::size_t b = a + 1; b < seen.size(); ++b) {
                    const double distance = std::hypot(seen[a][0] - seen[b][0], seen[a][1] - seen[b][1], seen[a][2] - seen[b][2]);
                    QVERIFY2(distance >= 15.0, qPrintable(QStringLiteral("%1 palette, %2: colours %3 and %4 are %5 apart")
                                                              .arg(dark ? "dark" : "light", vision).arg(a).arg(b).arg(distance)));
                }
            }
        }
    }
}

void TestUi::assumptionsAreOneTabStopEach()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.showView(QStringLiteral("fragility")));
    QCoreApplication::processEvents();
    auto *panel = window.assumptionPanel();
    int tabStops = 0;
    for (const QWidget *widget : panel->findChildren<QWidget *>()) {
        // A spin box's text field hands its focus to the box (its focus proxy).
        const QWidget *taker = widget->focusProxy() ? widget->focusProxy() : widget;
        if (widget->isVisibleTo(&window) && (taker->focusPolicy() & Qt::TabFocus))
            ++tabStops;
    }
    const auto assumptions = cliff::econ::viewAssumptions(cliff::econ::EconomicView::Fragility);
    // The sliders and the "Reset all" button, nothing else.
    QCOMPARE(tabStops, int(assumptions.size()) + 1);

    // From the slider: Enter types a value, Delete resets.
    const auto id = cliff::econ::AssumptionId::RecoveryRate;
    QSlider *slider = panel->slider(id);
    QVERIFY(slider);
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Right);
    const double moved = window.session()->scenario().value(id);
    QVERIFY(moved != cliff::econ::assumption(id).defaultValue);
    QTest::keyClick(slider, Qt::Key_Delete);
    QCOMPARE(window.session()->scenario().value(id), cliff::econ::assumption(id).defaultValue);
    QApplication::setActiveWindow(&window);
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Return);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(panel->spinBox(id)));
    // Tab goes from one slider to the next.
    QSlider *first = panel->slider(assumptions[0]);
    first->setFocus();
    QTest::keyClick(first, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(panel->slider(assumptions[1])));
    // Ctrl+Enter opens the source of a cited default.
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(window.session()->viewKey(), QStringLiteral("sources"));
}

QTEST_MAIN(TestUi)
#include "test_ui.moc"
