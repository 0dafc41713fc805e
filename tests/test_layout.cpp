// Layout check: every chart of every view, after visiting the others first, at the projector
// size and at a desktop size, and every story step in presentation mode. Measures widgets and
// chart items, not pixels: no text item of a chart is elided, no axis reports truncated labels,
// no label or button is narrower than its text, and every chart keeps a usable size.
#include "ui/main_window.h"

#include "ui/charts/chart_widget.h"
#include "ui/views/economic_view_page.h"

#include "session/session.h"
#include "session/story.h"
#include "store/catalog.h"

#include <QAbstractAxis>
#include <QAbstractButton>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDockWidget>
#include <QFontInfo>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QLegend>
#include <QTest>

namespace {

constexpr int kMinimumChartWidth = 420;
constexpr int kMinimumChartHeight = 260;
// Chart text in presentation mode, readable from the back of a classroom.
constexpr int kClassroomTextPx = 24;

cliff::store::Catalog shippedCatalog()
{
    auto catalog = cliff::store::loadCatalog({}, {});
    if (!catalog)
        qFatal("%s", catalog.error().toString().c_str());
    return std::move(catalog).value();
}

void settle()
{
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

QString elided()
{
    return QStringLiteral("\u2026");
}

/// Problems of one chart: elided text items, truncated axis labels, a plot too small.
QStringList chartProblems(const cliff::ui::ChartWidget &widget, int minimumWidth, int minimumHeight)
{
    QStringList problems;
    const QString name = QString::fromStdString(widget.spec().key);
    QChartView *view = widget.chartView();
    if (view->width() < minimumWidth || view->height() < minimumHeight)
        problems << QStringLiteral("%1: chart is %2 x %3").arg(name).arg(view->width()).arg(view->height());
    for (QAbstractAxis *axis : widget.chart()->axes()) {
        if (axis->labelsTruncated())
            problems << QStringLiteral("%1: axis \"%2\" has truncated labels").arg(name, axis->titleText());
    }
    for (QGraphicsItem *item : view->scene()->items()) {
        if (!item->isVisible())
            continue;
        QString text;
        if (const auto *simple = dynamic_cast<QGraphicsSimpleTextItem *>(item))
            text = simple->text();
        else if (const auto *rich = dynamic_cast<QGraphicsTextItem *>(item))
            text = rich->toPlainText();
        if (text.contains(elided()) || text.contains(QStringLiteral("...")))
            problems << QStringLiteral("%1: text \"%2\" is cut").arg(name, text);
    }
    return problems;
}

/// Labels that do not wrap and buttons narrower than their text, under `root`.
QStringList widgetProblems(const QWidget *root)
{
    QStringList problems;
    for (const QLabel *label : root->findChildren<QLabel *>()) {
        if (label->isVisibleTo(root->window()) && !label->wordWrap() && !label->text().isEmpty()
            && label->width() < label->minimumSizeHint().width())
            problems << QStringLiteral("label \"%1\" is %2 px, needs %3").arg(label->text()).arg(label->width())
                            .arg(label->minimumSizeHint().width());
    }
    for (const QAbstractButton *button : root->findChildren<QAbstractButton *>()) {
        if (button->isVisibleTo(root->window()) && !button->text().isEmpty()
            && button->width() < button->minimumSizeHint().width())
            problems << QStringLiteral("button \"%1\" is %2 px, needs %3").arg(button->text()).arg(button->width())
                            .arg(button->minimumSizeHint().width());
    }
    return problems;
}

QString key(std::string_view view)
{
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
}

} // namespace

class TestLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyChartHoldsAfterVisitingTheOthers_data();
    void everyChartHoldsAfterVisitingTheOthers();
    void everyStoryStepShowsItsChartsInPresentationMode();
};

void TestLayout::everyChartHoldsAfterVisitingTheOthers_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("projector 1280x720") << QSize(1280, 720);
    QTest::newRow("desktop 1600x1000") << QSize(1600, 1000);
}

void TestLayout::everyChartHoldsAfterVisitingTheOthers()
{
    QFETCH(QSize, size);
    cliff::ui::MainWindow window(shippedCatalog());
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList problems;
    for (const cliff::econ::EconomicView view : cliff::econ::economicViews()) {
        // Every other view first, the normal path into this one.
        for (const std::string_view other : cliff::Session::viewKeys())
            QVERIFY(window.showView(key(other)));
        QVERIFY(window.showView(key(cliff::econ::economicViewKey(view))));
        settle();
        cliff::ui::EconomicViewPage *page = window.page(view);
        const auto charts = page->findChildren<cliff::ui::ChartWidget *>();
        QVERIFY(!charts.isEmpty());
        for (const cliff::ui::ChartWidget *chart : charts)
            problems << chartProblems(*chart, kMinimumChartWidth, kMinimumChartHeight);
        problems << widgetProblems(page);
        problems << widgetProblems(window.findChild<QDockWidget *>());
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestLayout::everyStoryStepShowsItsChartsInPresentationMode()
{
    cliff::ui::MainWindow window(shippedCatalog());
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.startStory();
    window.setPresentationMode(true);
    QStringList problems;
    const std::size_t steps = cliff::thesisStory().size();
    for (std::size_t step = 0; step < steps; ++step) {
        window.showStoryStep(int(step));
        settle();
        const auto view = cliff::econ::findEconomicView(window.session()->viewKey().toStdString());
        QVERIFY(view);
        cliff::ui::EconomicViewPage *page = window.page(*view);
        const QString talkedAbout = cliff::thesisStory()[step].chartKey;
        bool found = false;
        for (const cliff::ui::ChartWidget *chart : page->findChildren<cliff::ui::ChartWidget *>()) {
            if (!chart->isVisibleTo(&window))
                continue;
            problems << chartProblems(*chart, kMinimumChartWidth, kMinimumChartHeight);
            for (QAbstractAxis *axis : chart->chart()->axes()) {
                if (QFontInfo(axis->labelsFont()).pixelSize() < kClassroomTextPx)
                    problems << QStringLiteral("%1: tick labels of %2 px").arg(QString::fromStdString(chart->spec().key))
                                    .arg(QFontInfo(axis->labelsFont()).pixelSize());
            }
            if (QString::fromStdString(chart->spec().key) != talkedAbout)
                continue;
            found = true;
            // The chart the step talks about is on screen whole, without scrolling.
            const QRect shown(chart->mapTo(&window, QPoint(0, 0)), chart->size());
            const QWidget *scrollViewport = chart;
            while (scrollViewport && scrollViewport->objectName() != QLatin1String("qt_scrollarea_viewport"))
                scrollViewport = scrollViewport->parentWidget();
            QVERIFY(scrollViewport);
            const QRect visible(scrollViewport->mapTo(&window, QPoint(0, 0)), scrollViewport->size());
            if (!visible.contains(shown))
                problems << QStringLiteral("step %1: chart %2 at %3,%4 %5x%6 is not whole in the view %7,%8 %9x%10")
                                .arg(step + 1).arg(talkedAbout).arg(shown.x()).arg(shown.y()).arg(shown.width())
                                .arg(shown.height()).arg(visible.x()).arg(visible.y()).arg(visible.width())
                                .arg(visible.height());
        }
        if (!found)
            problems << QStringLiteral("step %1: no chart %2").arg(step + 1).arg(talkedAbout);
        problems << widgetProblems(page);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestLayout)
#include "test_layout.moc"
