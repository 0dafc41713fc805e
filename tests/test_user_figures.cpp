// Offscreen tests of the user's own figures in the window: a rival for a shipped figure, the
// choice between them in the Sources view, and editing and deleting the user's figure, on a
// temporary user database. Model numbers are checked against values worked out by hand.
#include "ui/figure_edit_dialog.h"
#include "ui/figure_table_model.h"
#include "ui/main_window.h"
#include "ui/views/sources_view.h"

#include "econ/assumption_registry.h"
#include "econ/economic_view.h"
#include "econ/fragility.h"
#include "plot/view_plot.h"
#include "session/session.h"
#include "store/catalog.h"
#include "store/figure_import.h"
#include "store/user_store.h"

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>

#include <cmath>
#include <functional>
#include <memory>

namespace {

/// Oracle's five-year default probability implied by a CDS spread at the default 35% recovery:
/// 1 - exp(-5 x spread / (1 - 0.35)), worked out here rather than by the model.
double oraclePd(double spreadBp) { return 1.0 - std::exp(-5.0 * spreadBp / 10000.0 / 0.65); }

const char *const kShippedSpread = "credit-oracle-cds-2025-12-12-ice"; // 151.3 bp, the latest shipped
const char *const kMySpread = "my-oracle-cds";

/// The shipped source the user's figure says also states its number (a shipped source's id).
const char *const kAlsoIn = "credit-aastocks-oracle-bonds-2025-12-15";

const QByteArray kRivalCsv =
    "id,category,entity,metric,value,low,high,unit,period,kind,source_id,read_in,quoted,quote,"
    "note,also_in,source_title,source_publisher,source_url,source_published,source_kind,"
    "source_tier,origin\n"
    "my-oracle-cds,credit,Oracle,5-year CDS spread,200,,,bp,2025-12-12,reported,broker-note,,200,"
    "Oracle CDS at 200 bps,,credit-aastocks-oracle-bonds-2025-12-15,Credit weekly,Broker Inc.,"
    "https://example.org/credit-weekly,2025-12,analysis,secondary,user\n";

/// Runs `act` on the next modal dialog as soon as it is shown (exec() blocks the test).
void onNextModal(std::function<void(QWidget *)> act)
{
    auto *poll = new QTimer;
    poll->setInterval(10);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, act = std::move(act)] {
        if (QWidget *modal = QApplication::activeModalWidget()) {
            poll->stop();
            poll->deleteLater();
            act(modal);
        }
    });
    poll->start();
}

} // namespace

class TestUserFigures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void modelsReadTheUsersRivalByDefault();
    void choosingTheShippedFigureAndUndoing();
    void shippedFiguresAreReadOnly();
    void editingChecksEveryFieldBeforeWriting();
    void deletingAsksThenGivesTheSlotBack();
    void sourcesShowTierAlsoInAndReaders();

private:
    /// Oracle's implied five-year default probability as the window's models compute it.
    double modelsOraclePd() const;
    /// The window's sources view, with the figure `id` selected.
    cliff::ui::SourcesView *sourcesShowing(const char *id) const;
    QPushButton *button(const char *id, const char *name) const;
    double storedSpread() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    std::unique_ptr<cliff::ui::MainWindow> m_window;
};

void TestUserFigures::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("user.sqlite"));
    auto shipped = cliff::store::loadCatalog({}, {});
    QVERIFY(shipped.ok());
    auto preview = cliff::store::checkImport(kRivalCsv.toStdString(), "rival.csv", shipped->figures, {});
    QVERIFY(preview.ok());
    auto user = cliff::store::UserStore::open(m_db);
    QVERIFY(user.ok());
    auto imported = user->importFigures(*preview, cliff::store::ImportMode::AllOrNothing);
    QVERIFY2(imported.ok(), imported.ok() ? "" : imported.error().toString().c_str());
    QCOMPARE(imported->added, std::size_t(1));

    auto catalog = cliff::store::loadCatalog({}, m_db);
    QVERIFY(catalog.ok() && !catalog->userStoreProblem);
    m_window = std::make_unique<cliff::ui::MainWindow>(std::move(catalog).value(), m_db);
    m_window->show();
}

void TestUserFigures::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

double TestUserFigures::modelsOraclePd() const
{
    auto result = cliff::econ::computeFragility(m_window->session()->figures(), cliff::econ::Scenario{});
    if (!result)
        return -1.0;
    for (const cliff::econ::CdsReading &reading : result->cds) {
        if (reading.entity == "Oracle")
            return reading.impliedPd5y;
    }
    return -1.0;
}

cliff::ui::SourcesView *TestUserFigures::sourcesShowing(const char *id) const
{
    if (!m_window->showFigure(QString::fromLatin1(id)))
        return nullptr;
    return m_window->findChild<cliff::ui::SourcesView *>();
}

QPushButton *TestUserFigures::button(const char *id, const char *name) const
{
    cliff::ui::SourcesView *sources = sourcesShowing(id);
    return sources ? sources->findChild<QPushButton *>(QString::fromLatin1(name)) : nullptr;
}

double TestUserFigures::storedSpread() const
{
    auto user = cliff::store::UserStore::open(m_db);
    if (!user)
        return -1.0;
    auto own = user->figures();
    const cliff::Figure *mine = own ? own->findFigure(kMySpread) : nullptr;
    return mine ? mine->value : -1.0;
}

void TestUserFigures::modelsReadTheUsersRivalByDefault()
{
    QVERIFY(std::abs(modelsOraclePd() - oraclePd(200.0)) < 1e-12);
    QVERIFY(std::abs(oraclePd(200.0) - 0.14259608) < 1e-8);

    // The sources view lists the rival beside the figure and says which one the models read.
    cliff::ui::SourcesView *sources = sourcesShowing(kShippedSpread);
    QVERIFY(sources);
    const QString details = sources->findChild<QTextBrowser *>()->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("Rival figures for this slot")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("200 bp — your figure, Broker Inc. — the models use this one")),
             qPrintable(details));
    QVERIFY(details.contains(QStringLiteral("this figure: 151.3 bp — shipped")));
    auto *table = sources->findChild<QTableView *>();
    const QModelIndex current = table->currentIndex();
    QCOMPARE(current.siblingAtColumn(cliff::ui::FigureTableModel::Models).data().toString(),
             QStringLiteral("rival in use"));

    // The charts say whose number it is.
    auto plot = m_window->session()->plot(cliff::econ::EconomicView::Fragility);
    QVERIFY(plot.ok());
    bool marked = false;
    for (const auto &chart : plot->charts) {
        for (const auto &series : chart.series) {
            for (const auto &point : series.points)
                marked = marked || (point.figureId == kMySpread && point.userOwned
                                    && point.label == "Oracle 2025-12-12 (from your figure)");
        }
    }
    QVERIFY(marked);
}

void TestUserFigures::choosingTheShippedFigureAndUndoing()
{
    QPushButton *use = button(kShippedSpread, "useFigure");
    QVERIFY(use && use->isEnabled());
    QVERIFY(!button(kShippedSpread, "forgetChoice")->isEnabled());
    button(kShippedSpread, "useFigure")->click();
    QVERIFY(std::abs(modelsOraclePd() - oraclePd(151.3)) < 1e-12);
    QVERIFY(!button(kShippedSpread, "useFigure")->isEnabled()); // already read
    QVERIFY(button(kMySpread, "useFigure")->isEnabled());
    const QString details = sourcesShowing(kMySpread)->findChild<QTextBrowser *>()->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("151.3 bp — shipped, ")) && details.contains(QStringLiteral("You chose")),
             qPrintable(details));

    QPushButton *undo = button(kMySpread, "forgetChoice");
    QVERIFY(undo && undo->isEnabled());
    undo->click();
    QVERIFY(std::abs(modelsOraclePd() - oraclePd(200.0)) < 1e-12);
    QVERIFY(!button(kShippedSpread, "forgetChoice")->isEnabled());
}

void TestUserFigures::shippedFiguresAreReadOnly()
{
    for (const char *name : {"editFigure", "deleteFigure"}) {
        QPushButton *shipped = button(kShippedSpread, name);
        QVERIFY(shipped && !shipped->isEnabled());
        QVERIFY2(shipped->toolTip().contains(QStringLiteral("read-only")), qPrintable(shipped->toolTip()));
        QVERIFY(button(kMySpread, name)->isEnabled());
    }
}

void TestUserFigures::editingChecksEveryFieldBeforeWriting()
{
    QStringList refusals;
    double storedAfterRefusals = 0.0;
    onNextModal([this, &refusals, &storedAfterRefusals](QWidget *modal) {
        auto *dialog = qobject_cast<cliff::ui::FigureEditDialog *>(modal);
        if (!dialog) {
            modal->close();
            return;
        }
        auto *value = dialog->findChild<QLineEdit *>(QStringLiteral("value"));
        auto *quoted = dialog->findChild<QLineEdit *>(QStringLiteral("quoted"));
        auto *quote = dialog->findChild<QPlainTextEdit *>(QStringLiteral("quote"));
        value->setText(QStringLiteral("3,5")); // a comma is not a decimal point
        if (!dialog->trySave())
            refusals << dialog->errorText();
        value->setText(QStringLiteral("300")); // no longer the number quoted
        if (!dialog->trySave())
            refusals << dialog->errorText();
        storedAfterRefusals = storedSpread();
        quoted->setText(QStringLiteral("300"));
        quote->setPlainText(QStringLiteral("Oracle CDS at 300 bps"));
        if (!dialog->trySave())
            refusals << dialog->errorText();
    });
    button(kMySpread, "editFigure")->click();
    QCOMPARE(refusals.size(), 2);
    QVERIFY2(refusals[0].startsWith(QStringLiteral("Not saved: value: \"3,5\" is not a number")), qPrintable(refusals[0]));
    QVERIFY2(refusals[1].startsWith(QStringLiteral("Not saved: quoted: \"200\" does not match value")), qPrintable(refusals[1]));
    QCOMPARE(storedAfterRefusals, 200.0); // nothing written on error
    QCOMPARE(storedSpread(), 300.0);
    QVERIFY(std::abs(modelsOraclePd() - oraclePd(300.0)) < 1e-12);
}

void TestUserFigures::deletingAsksThenGivesTheSlotBack()
{
    // Cancelled: nothing changes.
    onNextModal([](QWidget *modal) {
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            box->button(QMessageBox::Cancel)->click();
    });
    button(kMySpread, "deleteFigure")->click();
    QCOMPARE(storedSpread(), 200.0);

    onNextModal([](QWidget *modal) {
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            box->button(QMessageBox::Yes)->click();
    });
    button(kMySpread, "deleteFigure")->click();
    QCOMPARE(storedSpread(), -1.0);
    QVERIFY(std::abs(modelsOraclePd() - oraclePd(151.3)) < 1e-12);
    QVERIFY(!m_window->showFigure(QString::fromLatin1(kMySpread)));
}

void TestUserFigures::sourcesShowTierAlsoInAndReaders()
{
    // The user's figure cites a source imported as tier secondary and lists a shipped source in
    // also_in; the fragility view plots it, since it wins its slot.
    cliff::ui::SourcesView *sources = sourcesShowing(kMySpread);
    QVERIFY(sources);
    auto *table = sources->findChild<QTableView *>();
    const QModelIndex mine = table->currentIndex();
    QCOMPARE(mine.siblingAtColumn(cliff::ui::FigureTableModel::Tier).data().toString(),
             QStringLiteral("secondary"));
    QCOMPARE(table->model()->headerData(cliff::ui::FigureTableModel::Tier, Qt::Horizontal).toString(),
             QStringLiteral("Tier"));
    QCOMPARE(mine.siblingAtColumn(cliff::ui::FigureTableModel::Models).data().toString(),
             QStringLiteral("Fragility"));
    const auto catalog = cliff::store::loadCatalog({}, m_db);
    QVERIFY(catalog.ok());
    const cliff::Source *alsoIn = catalog->figures.findSource(kAlsoIn);
    QVERIFY(alsoIn);
    auto *browser = sources->findChild<QTextBrowser *>();
    const QString details = browser->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("Tier: secondary")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Also stated in:")), qPrintable(details));
    QVERIFY2(details.contains(QString::fromStdString(alsoIn->title + " — " + alsoIn->publisher)),
             qPrintable(details));
    QVERIFY2(browser->toHtml().contains(QString::fromStdString(alsoIn->url).toHtmlEscaped()),
             qPrintable(browser->toHtml()));
    QVERIFY2(details.contains(QStringLiteral("Read by: Fragility.")), qPrintable(details));

    // A figure behind an assumption's default is read by every view that reads the assumption.
    int checked = 0;
    for (const cliff::econ::Assumption &entry : cliff::econ::assumptionRegistry()) {
        const std::vector<std::string> ids = cliff::econ::sourceFigureIds(entry);
        if (ids.empty() || ids.front() == kShippedSpread || !catalog->figures.findFigure(ids.front()))
            continue;
        sources = sourcesShowing(ids.front().c_str());
        QVERIFY(sources);
        const QString models = table->currentIndex()
                                   .siblingAtColumn(cliff::ui::FigureTableModel::Models)
                                   .data()
                                   .toString();
        for (cliff::econ::EconomicView view : cliff::econ::economicViews()) {
            const auto read = cliff::econ::viewAssumptions(view);
            if (std::find(read.begin(), read.end(), entry.id) != read.end())
                QVERIFY2(models.contains(cliff::ui::economicViewTitle(view)),
                         qPrintable(QString::fromStdString(ids.front()) + u' ' + models));
        }
        const QString label = QString::fromUtf8(entry.label.data(), qsizetype(entry.label.size()));
        QVERIFY2(browser->toPlainText().contains(label), qPrintable(browser->toPlainText()));
        ++checked;
    }
    QVERIFY(checked > 0);
}

QTEST_MAIN(TestUserFigures)
#include "test_user_figures.moc"
