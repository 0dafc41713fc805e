// Runs the compute-cliff executable as a user would and checks its output and exit codes.
#include "core/csv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>

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

private:
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Run run(const QStringList &args);

    QTemporaryDir m_home;
};

TestCli::Run TestCli::run(const QStringList &args)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path()); // never touch the real user store
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(CLIFF_EXECUTABLE), args);
    if (!process.waitForFinished(60000))
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
                QCOMPARE(QString::fromStdString(fields[c]), value.toString());
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
    const Run result = run({QStringLiteral("figures")});
    QCOMPARE(result.exitCode, 0);
    auto listed = cliff::csv::parse(result.out.toStdString(), "stdout");
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), expected.size() + 1);
    const std::vector<std::string> &header = listed->front().fields;
    for (std::size_t r = 1; r < listed->size(); ++r) {
        const std::vector<std::string> &row = listed.value()[r].fields;
        const auto it = expected.find(row.front());
        QVERIFY2(it != expected.end(), row.front().c_str());
        // Text columns match the dataset exactly; numbers match as numbers.
        for (std::size_t c = 0; c < it->second.size(); ++c) {
            if (header[c] == "value" || header[c] == "low" || header[c] == "high")
                QCOMPARE(QByteArray::fromStdString(row[c]).toDouble(),
                         QByteArray::fromStdString(it->second[c]).toDouble());
            else
                QCOMPARE(row[c], it->second[c]);
        }
        QCOMPARE(row.back(), std::string("shipped"));
    }
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
    QTest::newRow("missing scenario") << QStringList{"model", "--view", "fiber", "--scenario", "/nonexistent/s.json", "--format", "json"} << 1 << QByteArray("s.json");
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
    // Bain, as quoted in the white paper: about $2T a year needed by 2030, about $800B short.
    QVERIFY(std::abs(outputs.value("required_revenue_2030_usd").toDouble() - 2e12) < 0.1e12);
    QVERIFY(std::abs(outputs.value("gap_2030_usd").toDouble() - 0.8e12) < 0.1e12);

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

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
