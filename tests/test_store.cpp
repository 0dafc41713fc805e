// Tests for model/store: the compiled store of cited figures, the dataset compiler's rules,
// and how bad store files are refused without being modified.
#include "store/catalog.h"
#include "store/dataset.h"
#include "store/schema.h"
#include "store/store_file.h"
#include "store/user_store.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace cliff;

class TestStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void embeddedStoreOpens();
    void everyFigureHasACitedSource();
    void everyQuoteSpellsItsNumber();
    void noOrphanSources();
    void categoriesAreCovered();
    void seedDisagreementsAreSeparateRows_data();
    void seedDisagreementsAreSeparateRows();
    void compiledStoreMatchesDatasets();
    void compilerRejectsBadRows_data();
    void compilerRejectsBadRows();
    void badFilesAreRefusedUntouched_data();
    void badFilesAreRefusedUntouched();
    void readOnlyStoreLoads();
    void userStoreIsCreatedAndReopened();
    void userStoreFallsBackInCatalog();

private:
    QTemporaryDir m_dir;
    store::Dataset m_shipped;
};

static QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

static void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

static void execSql(const QString &path, const QStringList &statements)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        for (const QString &statement : statements)
            QVERIFY2(query.exec(statement), qPrintable(statement));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
}

void TestStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    auto catalog = store::loadCatalog({}, {});
    QVERIFY2(catalog.ok(), catalog.ok() ? "" : catalog.error().toString().c_str());
    m_shipped = catalog->figures;
}

void TestStore::embeddedStoreOpens()
{
    QVERIFY(m_shipped.figures.size() > 100);
    QVERIFY(m_shipped.sources.size() > 10);
    auto report = store::checkStore(store::embeddedStorePath().value());
    QVERIFY(report.ok());
    QVERIFY2(report->problems.empty(), report->problems.empty() ? "" : report->problems.front().c_str());
    QCOMPARE(report->figureCount, int(m_shipped.figures.size()));
}

void TestStore::everyFigureHasACitedSource()
{
    for (const Figure &figure : m_shipped.figures) {
        const Source *source = m_shipped.findSource(figure.sourceId);
        QVERIFY2(source, figure.id.c_str());
        if (figure.kind != "assumption")
            QVERIFY2(source->url.rfind("http", 0) == 0, figure.id.c_str());
        if (!figure.readIn.empty()) {
            const Source *seed = m_shipped.findSource(figure.readIn);
            QVERIFY2(seed && seed->sourceKind == "seed", figure.id.c_str());
        }
    }
}

void TestStore::everyQuoteSpellsItsNumber()
{
    const auto units = figureUnits();
    for (const Figure &figure : m_shipped.figures) {
        QVERIFY2(std::find(units.begin(), units.end(), figure.unit) != units.end(), figure.id.c_str());
        QVERIFY2(wordCount(figure.quote) <= 25, figure.id.c_str());
        QVERIFY2(figure.quote.find(figure.quoted) != std::string::npos, figure.id.c_str());
        const auto spelled = parseQuotedNumber(figure.quoted);
        QVERIFY2(spelled.has_value(), figure.id.c_str());
        const double expectedLow = figure.low.value_or(figure.value);
        const double expectedHigh = figure.high.value_or(figure.value);
        QVERIFY2(std::abs(spelled->low - expectedLow) <= 1e-9 * std::max(1.0, std::abs(expectedLow)),
                 figure.id.c_str());
        QVERIFY2(std::abs(spelled->high - expectedHigh) <= 1e-9 * std::max(1.0, std::abs(expectedHigh)),
                 figure.id.c_str());
    }
}

void TestStore::noOrphanSources()
{
    std::set<std::string> cited;
    for (const Figure &figure : m_shipped.figures) {
        cited.insert(figure.sourceId);
        cited.insert(figure.readIn);
    }
    for (const Source &source : m_shipped.sources)
        QVERIFY2(cited.count(source.id), source.id.c_str());
}

void TestStore::categoriesAreCovered()
{
    for (std::string_view category : figureCategories()) {
        const bool present = std::any_of(m_shipped.figures.begin(), m_shipped.figures.end(),
                                         [&](const Figure &f) { return f.category == category; });
        QVERIFY2(present, std::string(category).c_str());
    }
}

void TestStore::seedDisagreementsAreSeparateRows_data()
{
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QString>("metricWord");
    QTest::addColumn<QList<double>>("values");
    // The seeds disagree on these numbers; each value must be its own row.
    QTest::newRow("Nvidia one-day loss") << "Nvidia" << "loss" << QList<double>{589e9, 593e9};
    QTest::newRow("V3 final run cost") << "DeepSeek-V3" << "cost"
                                       << QList<double>{5.576e6, 5.6e6};
}

void TestStore::seedDisagreementsAreSeparateRows()
{
    QFETCH(QString, entity);
    QFETCH(QString, metricWord);
    QFETCH(QList<double>, values);
    for (double value : values) {
        const bool found = std::any_of(m_shipped.figures.begin(), m_shipped.figures.end(), [&](const Figure &f) {
            return QString::fromStdString(f.entity) == entity
                   && QString::fromStdString(f.metric).contains(metricWord, Qt::CaseInsensitive)
                   && std::abs(f.value - value) <= 1e-9 * value;
        });
        QVERIFY2(found, qPrintable(QString::number(value, 'g', 10)));
    }
}

void TestStore::compiledStoreMatchesDatasets()
{
    auto text = store::readDatasetDir(CLIFF_DATASETS_DIR);
    QVERIFY2(text.ok(), text.ok() ? "" : text.error().toString().c_str());
    QCOMPARE(text->figures.size(), m_shipped.figures.size());
    QCOMPARE(text->sources.size(), m_shipped.sources.size());
    for (const Figure &figure : text->figures) {
        const Figure *stored = m_shipped.findFigure(figure.id);
        QVERIFY2(stored, figure.id.c_str());
        QVERIFY2(*stored == figure, figure.id.c_str());
    }
}

static const char *const kSourceHeader = "id,title,publisher,url,published,source_kind,note\n";
static const char *const kFigureHeader =
    "id,category,entity,metric,value,low,high,unit,period,kind,source_id,read_in,quoted,quote,note\n";
static const char *const kGoodSource = "src,A report,Someone,https://example.org/r,2025-01,report,\n";
static const char *const kGoodFigure =
    "f1,capex,Acme,Capex,5000000000,,,USD,2025,reported,src,,$5 billion,Acme spent $5 billion,\n";

void TestStore::compilerRejectsBadRows_data()
{
    QTest::addColumn<QByteArray>("sources");
    QTest::addColumn<QByteArray>("figures");
    QTest::addColumn<int>("line");       // 0: the error is about the dataset as a whole
    QTest::addColumn<QString>("field");
    const QByteArray s = QByteArray(kSourceHeader) + kGoodSource;
    const QByteArray f = QByteArray(kFigureHeader) + kGoodFigure;
    QTest::newRow("good") << s << f << -1 << "";
    QTest::newRow("wrong header") << s << QByteArray("id,value\n1,2\n") << 1 << "";
    QTest::newRow("too few fields") << s << f + "f2,capex\n" << 3 << "";
    QTest::newRow("comma decimal") << s << f + "f2,capex,Acme,Capex,\"5,5\",,,USD,2025,reported,src,,$5 billion,x $5 billion,\n" << 3 << "value";
    QTest::newRow("bad unit") << s << f + "f2,capex,Acme,Capex,5000000000,,,USD bn,2025,reported,src,,$5 billion,x $5 billion,\n" << 3 << "unit";
    QTest::newRow("unknown source") << s << f + "f2,capex,Acme,Capex,5000000000,,,USD,2025,reported,nope,,$5 billion,x $5 billion,\n" << 0 << "source_id";
    QTest::newRow("duplicate id") << s << f + kGoodFigure << 0 << "id";
    QTest::newRow("source without url") << QByteArray(kSourceHeader) + "src,A,B,,2025,report,\n" << f << 2 << "url";
    QTest::newRow("orphan source") << s + "other,B,C,https://example.org/b,2025,news,\n" << f << 0 << "id";
    QTest::newRow("read in a non-seed") << s << QByteArray(kFigureHeader) + "f1,capex,Acme,Capex,5000000000,,,USD,2025,reported,src,src,$5 billion,Acme spent $5 billion,\n" << 0 << "read_in";
}

void TestStore::compilerRejectsBadRows()
{
    QFETCH(QByteArray, sources);
    QFETCH(QByteArray, figures);
    QFETCH(int, line);
    QFETCH(QString, field);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sources")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("figures")));
    writeFile(dir.filePath(QStringLiteral("sources/s.csv")), sources);
    writeFile(dir.filePath(QStringLiteral("figures/f.csv")), figures);
    auto dataset = store::readDatasetDir(dir.path().toStdString());
    if (line < 0) {
        QVERIFY2(dataset.ok(), dataset.ok() ? "" : dataset.error().toString().c_str());
        return;
    }
    QVERIFY(!dataset.ok());
    QCOMPARE(dataset.error().line, line);
    if (line > 0)
        QVERIFY(QString::fromStdString(dataset.error().file).endsWith(u".csv"));
    if (!field.isEmpty())
        QCOMPARE(QString::fromStdString(dataset.error().field), field);
}

void TestStore::badFilesAreRefusedUntouched_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");
    const QString good = store::embeddedStorePath().value();
    QFile original(good);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray bytes = original.readAll();

    auto make = [this](const QString &name, const QByteArray &content) {
        const QString path = m_dir.filePath(name);
        writeFile(path, content);
        return path;
    };
    QTest::newRow("missing") << m_dir.filePath(QStringLiteral("absent.sqlite")) << "no such file";
    QTest::newRow("empty") << make(QStringLiteral("empty.sqlite"), {}) << "empty";
    QTest::newRow("text") << make(QStringLiteral("text.sqlite"), "id,value\n1,2\n") << "not an SQLite";
    QTest::newRow("truncated") << make(QStringLiteral("cut.sqlite"), bytes.left(bytes.size() / 2)) << "truncated";
    QByteArray garbled = bytes;
    for (qsizetype i = 4096; i < garbled.size(); i += 7)
        garbled[i] = char(garbled[i] ^ 0x5A);
    QTest::newRow("garbled pages") << make(QStringLiteral("garbled.sqlite"), garbled) << "";

    const QString foreign = m_dir.filePath(QStringLiteral("foreign.sqlite"));
    execSql(foreign, {QStringLiteral("CREATE TABLE t(x)")});
    QTest::newRow("other application") << foreign << "not a Compute Cliff store";

    const QString newer = make(QStringLiteral("newer.sqlite"), bytes);
    execSql(newer, {QStringLiteral("PRAGMA user_version = 99")});
    QTest::newRow("newer schema") << newer << "newer";
}

void TestStore::badFilesAreRefusedUntouched()
{
    QFETCH(QString, path);
    QFETCH(QString, reason);
    const QByteArray before = fileHash(path);

    const bool exists = QFile::exists(path);
    auto loaded = store::loadStore(path);
    auto checked = store::checkStore(path);
    const bool checkFailed = !checked.ok() || !checked->problems.empty();
    QVERIFY(checkFailed);
    if (exists) // a missing user database is created on first use, which is right
        QVERIFY(!store::UserStore::open(path).ok());
    if (!reason.isEmpty()) {
        QVERIFY(!loaded.ok());
        QVERIFY2(QString::fromStdString(loaded.error().message).contains(reason),
                 loaded.error().message.c_str());
        QCOMPARE(QString::fromStdString(loaded.error().file), path);
    }
    QCOMPARE(fileHash(path), before);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
}

void TestStore::readOnlyStoreLoads()
{
    const QString path = m_dir.filePath(QStringLiteral("readonly.sqlite"));
    QVERIFY(QFile::copy(store::embeddedStorePath().value(), path));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup);
    const QByteArray before = fileHash(path);
    auto loaded = store::loadStore(path);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->figures.size(), m_shipped.figures.size());
    QCOMPARE(fileHash(path), before);
}

void TestStore::userStoreIsCreatedAndReopened()
{
    const QString path = m_dir.filePath(QStringLiteral("nested/user.sqlite"));
    {
        auto user = store::UserStore::open(path);
        QVERIFY2(user.ok(), user.ok() ? "" : user.error().toString().c_str());
        QVERIFY(user->saveScenario("bear case", R"({"wacc": 0.12})").ok());
        QVERIFY(user->saveScenario("bull case", R"({"wacc": 0.07})").ok());
        QVERIFY(user->saveScenario("bear case", R"({"wacc": 0.13})").ok());
    }
    auto reopened = store::UserStore::open(path);
    QVERIFY(reopened.ok());
    auto names = reopened->scenarioNames();
    QVERIFY(names.ok());
    QCOMPARE(names->size(), std::size_t(2));
    QCOMPARE(names->front(), std::string("bear case"));
    auto report = store::checkStore(path);
    QVERIFY(report.ok());
    QCOMPARE(report->schemaVersion, store::kUserSchemaVersion);
    QVERIFY(report->problems.empty());
}

void TestStore::userStoreFallsBackInCatalog()
{
    const QString bad = m_dir.filePath(QStringLiteral("bad-user.sqlite"));
    writeFile(bad, "not a database at all, but long enough to look like one if you squint....");
    const QByteArray before = fileHash(bad);
    auto catalog = store::loadCatalog({}, bad);
    QVERIFY(catalog.ok());
    QVERIFY(catalog->userStoreProblem.has_value());
    QCOMPARE(catalog->figures.figures.size(), m_shipped.figures.size());
    QCOMPARE(fileHash(bad), before);
}

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
