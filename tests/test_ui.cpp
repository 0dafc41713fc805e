// Offscreen tests of the main window on the embedded store.
#include "ui/main_window.h"

#include "store/catalog.h"

#include <QComboBox>
#include <QFile>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QLineEdit>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

class TestUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void windowShowsEveryFigure();
    void filteringNarrowsTheTable();
    void selectingAFigureShowsItsQuoteAndSource();
    void brokenUserStoreIsReportedNotFatal();
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
    auto *table = window.findChild<QTableView *>();
    auto *search = window.findChild<QLineEdit *>();
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

    auto combos = window.findChildren<QComboBox *>();
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
    auto *details = window.findChild<QTextBrowser *>();
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

QTEST_MAIN(TestUi)
#include "test_ui.moc"
