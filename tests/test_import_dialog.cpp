// Offscreen tests of File > Import figures: the preview, the error list and both import buttons.
#include "ui/import_dialog.h"

#include "store/user_store.h"

#include <QFile>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

class TestImportDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void previewShowsRowsAndErrors();
    void validRowsOnlyWritesTheGoodRows();
    void importAllWritesEveryRow();
    void unreadableFileDisablesImport();

private:
    QString writeCsv(const QString &name, const QByteArray &rows);
    QTemporaryDir m_dir;
};

static const QByteArray kHeader =
    "id,category,entity,metric,value,low,high,unit,period,kind,source_id,read_in,quoted,quote,"
    "note,source_title,source_publisher,source_url,source_published,source_kind,origin\n";

static QByteArray row(const QByteArray &id, const QByteArray &billions, const QByteArray &unit = "USD")
{
    return id + ",capex,Acme,Capex," + billions + "000000000,,,"+ unit + ",2025,reported,acme-10k,,$"
           + billions + " billion,Acme spent $" + billions
           + " billion,,Acme annual report,Acme Inc.,https://example.org/acme-10k,2025-02,filing,user\n";
}

QString TestImportDialog::writeCsv(const QString &name, const QByteArray &rows)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(rows);
    return path;
}

static QStringList userFigureIds(const QString &path)
{
    auto user = cliff::store::UserStore::open(path);
    if (!user)
        return {QStringLiteral("cannot open: ") + QString::fromStdString(user.error().toString())};
    const auto own = user->figures();
    if (!own)
        return {QStringLiteral("cannot read: ") + QString::fromStdString(own.error().toString())};
    QStringList ids;
    for (const cliff::Figure &figure : own->figures)
        ids << QString::fromStdString(figure.id);
    ids.sort();
    return ids;
}

void TestImportDialog::initTestCase() { QVERIFY(m_dir.isValid()); }

void TestImportDialog::previewShowsRowsAndErrors()
{
    const QString csv = writeCsv(QStringLiteral("mixed.csv"), kHeader + row("a", "5") + row("b", "6", "EUR") + row("c", "7"));
    const QString db = m_dir.filePath(QStringLiteral("preview.sqlite"));
    cliff::ui::ImportDialog dialog(db);
    QVERIFY(dialog.loadFile(csv));
    auto *table = dialog.findChild<QTableView *>();
    auto *errors = dialog.findChild<QListWidget *>(QStringLiteral("importErrors"));
    auto *all = dialog.findChild<QPushButton *>(QStringLiteral("importAll"));
    auto *valid = dialog.findChild<QPushButton *>(QStringLiteral("importValidOnly"));
    QVERIFY(table && errors && all && valid);
    QCOMPARE(table->model()->rowCount(), 3);
    QCOMPARE(table->model()->index(1, 0).data().toInt(), 3); // the file line of the bad row
    QCOMPARE(table->model()->index(1, 2).data().toString(), QStringLiteral("b"));
    QCOMPARE(errors->count(), 1);
    QVERIFY2(errors->item(0)->text().startsWith(csv + QStringLiteral(":3: unit:")), qPrintable(errors->item(0)->text()));
    QVERIFY(!all->isEnabled());
    QVERIFY(valid->isEnabled());
    // Looking is not importing: no database is created by a preview.
    QVERIFY(!QFile::exists(db));
}

void TestImportDialog::validRowsOnlyWritesTheGoodRows()
{
    const QString csv = writeCsv(QStringLiteral("mixed2.csv"), kHeader + row("a", "5") + row("b", "6", "EUR") + row("c", "7"));
    const QString db = m_dir.filePath(QStringLiteral("valid.sqlite"));
    cliff::ui::ImportDialog dialog(db);
    QSignalSpy imported(&dialog, &cliff::ui::ImportDialog::figuresImported);
    QVERIFY(dialog.loadFile(csv));
    dialog.findChild<QPushButton *>(QStringLiteral("importValidOnly"))->click();
    QCOMPARE(imported.count(), 1);
    QCOMPARE(imported.front().at(0).toInt(), 2);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(userFigureIds(db), (QStringList{"a", "c"}));
}

void TestImportDialog::importAllWritesEveryRow()
{
    const QString csv = writeCsv(QStringLiteral("good.csv"), kHeader + row("a", "5") + row("b", "6"));
    const QString db = m_dir.filePath(QStringLiteral("all.sqlite"));
    cliff::ui::ImportDialog dialog(db);
    QVERIFY(dialog.loadFile(csv));
    auto *all = dialog.findChild<QPushButton *>(QStringLiteral("importAll"));
    QVERIFY(all->isEnabled());
    all->click();
    QCOMPARE(userFigureIds(db), (QStringList{"a", "b"}));
    // Shown again, the same file has nothing left to import.
    cliff::ui::ImportDialog again(db);
    QVERIFY(again.loadFile(csv));
    QCOMPARE(again.preview()->count(cliff::store::ImportAction::Unchanged), std::size_t(2));
    QVERIFY(!again.findChild<QPushButton *>(QStringLiteral("importAll"))->isEnabled());
    QVERIFY(!again.findChild<QPushButton *>(QStringLiteral("importValidOnly"))->isEnabled());
}

void TestImportDialog::unreadableFileDisablesImport()
{
    const QString csv = writeCsv(QStringLiteral("wrong.csv"), "name,price\nx,1\n");
    cliff::ui::ImportDialog dialog(m_dir.filePath(QStringLiteral("none.sqlite")));
    QVERIFY(!dialog.loadFile(csv));
    QVERIFY(!dialog.preview());
    auto *errors = dialog.findChild<QListWidget *>(QStringLiteral("importErrors"));
    QCOMPARE(errors->count(), 1);
    QVERIFY(errors->item(0)->text().contains(csv + QStringLiteral(":1: name: unknown column")));
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("importAll"))->isEnabled());
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("importValidOnly"))->isEnabled());
}

QTEST_MAIN(TestImportDialog)
#include "test_import_dialog.moc"
