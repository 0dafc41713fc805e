#include "bench_history.h"

#include "connection.h"
#include "file_checks.h"
#include "schema.h"
#include "user_store.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <iterator>
#include <map>

namespace cliff::store {

namespace {

// The user schema versions that added bench_runs and bench_samples, and the columns of the
// physical ceilings (read-only bandwidth, instruction peak).
constexpr int kBenchTablesVersion = 3;
constexpr int kCeilingColumnsVersion = 5;

const QString kRunColumns = QStringLiteral(
    "id, run_at, preset, precision, cpu_model, logical_cores, threads_used, ram_total_bytes, "
    "simd, build_type, compiler, decode_tokens_per_s, decode_tokens_per_s_stddev, "
    "prefill_tokens_per_s, prefill_tokens_per_s_stddev, decode_roofline_fraction, "
    "decode_triad_fraction, prefill_gemm_fraction, prefill_peak_fraction, "
    "bandwidth_read_gbps_measured, bandwidth_triad_gbps_measured, gemm_peak_gflops_measured, "
    "instruction_peak_gflops_measured, dense_over_moe_time_ratio, decode_usd_per_million_tokens, "
    "prefill_usd_per_million_tokens, power_w, electricity_usd_per_kwh, hardware_usd, "
    "amortisation_years, scaled, report_json");
constexpr int kRunValues = 31; // the columns above but id

/// kRunColumns as a file from before kCeilingColumnsVersion holds them, read as its migration
/// (schema.cpp) fills them: read-only figures from the report, no instruction peak.
QString columnsBeforeCeilings()
{
    const QString fromReport =
        QStringLiteral("CASE WHEN json_valid(report_json) THEN json_extract(report_json, '$.%1') END");
    QString columns = kRunColumns;
    columns.replace(QStringLiteral("decode_roofline_fraction, decode_triad_fraction"),
                    fromReport.arg(u"decode_read_roofline_fraction") + u", decode_roofline_fraction");
    columns.replace(QStringLiteral("bandwidth_read_gbps_measured, bandwidth_triad_gbps_measured"),
                    fromReport.arg(u"bandwidth_gbps_read_measured") + u", bandwidth_gbps_measured");
    columns.replace(QStringLiteral("prefill_peak_fraction"), QStringLiteral("NULL"));
    columns.replace(QStringLiteral("instruction_peak_gflops_measured"), QStringLiteral("NULL"));
    return columns;
}

std::optional<double> optionalDouble(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
}

QVariant nullable(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant();
}

QString text(const std::string &value) { return QString::fromStdString(value); }

std::string utf8(const QVariant &value) { return value.toString().toStdString(); }

bool knownMeasure(const std::string &measure)
{
    return std::any_of(std::begin(kBenchMeasures), std::end(kBenchMeasures),
                       [&](const char *known) { return measure == known; });
}

BenchRun readRun(const QSqlQuery &query)
{
    BenchRun run;
    int c = 0;
    run.id = query.value(c++).toLongLong();
    run.runAtUtc = utf8(query.value(c++));
    run.preset = utf8(query.value(c++));
    run.precision = utf8(query.value(c++));
    run.machine.cpuModel = utf8(query.value(c++));
    run.machine.logicalCores = query.value(c++).toInt();
    run.machine.threadsUsed = query.value(c++).toInt();
    run.machine.ramTotalBytes = query.value(c++).toDouble();
    run.machine.simd = utf8(query.value(c++));
    run.machine.buildType = utf8(query.value(c++));
    run.machine.compiler = utf8(query.value(c++));
    run.decodeTokensPerSecond = query.value(c++).toDouble();
    run.decodeTokensPerSecondStddev = query.value(c++).toDouble();
    run.prefillTokensPerSecond = query.value(c++).toDouble();
    run.prefillTokensPerSecondStddev = query.value(c++).toDouble();
    run.decodeRooflineFraction = optionalDouble(query.value(c++));
    run.decodeTriadFraction = query.value(c++).toDouble();
    run.prefillGemmFraction = query.value(c++).toDouble();
    run.prefillPeakFraction = optionalDouble(query.value(c++));
    run.bandwidthReadGbPerSecond = optionalDouble(query.value(c++));
    run.bandwidthTriadGbPerSecond = query.value(c++).toDouble();
    run.gemmPeakGflopsPerSecond = query.value(c++).toDouble();
    run.instructionPeakGflopsPerSecond = optionalDouble(query.value(c++));
    run.denseOverMoeTimeRatio = optionalDouble(query.value(c++));
    run.decodeUsdPerMillionTokens = query.value(c++).toDouble();
    run.prefillUsdPerMillionTokens = query.value(c++).toDouble();
    run.powerWatts = query.value(c++).toDouble();
    run.electricityUsdPerKwh = query.value(c++).toDouble();
    run.hardwareUsd = query.value(c++).toDouble();
    run.amortisationYears = query.value(c++).toDouble();
    run.scaled = utf8(query.value(c++));
    run.reportJson = utf8(query.value(c++));
    return run;
}

} // namespace

BenchHistory::BenchHistory(QString path, std::unique_ptr<Connection> connection,
                           int schemaVersion, bool readOnly)
    : m_path(std::move(path)), m_connection(std::move(connection)),
      m_schemaVersion(schemaVersion), m_readOnly(readOnly)
{
}

BenchHistory::~BenchHistory() = default;
BenchHistory::BenchHistory(BenchHistory &&) noexcept = default;
BenchHistory &BenchHistory::operator=(BenchHistory &&) noexcept = default;

Result<BenchHistory> BenchHistory::open(const QString &path)
{
    // UserStore::open vouches for the file (ours, not damaged, not newer) and migrates it.
    if (auto checked = UserStore::open(path); !checked)
        return checked.error();
    auto connection = std::make_unique<Connection>();
    if (Status opened = connection->open(path, Connection::Mode::ReadWrite); !opened)
        return opened.error();
    QSqlQuery pragma(connection->db());
    if (!pragma.exec(QStringLiteral("PRAGMA foreign_keys = ON")))
        return fileError(path, pragma.lastError().text().toStdString());
    return BenchHistory(path, std::move(connection), kUserSchemaVersion, false);
}

Result<BenchHistory> BenchHistory::openForReading(const QString &path)
{
    auto connection = std::make_unique<Connection>();
    auto version = openUserDatabaseForReading(*connection, path);
    if (!version)
        return version.error();
    return BenchHistory(path, std::move(connection), *version, true);
}

Result<std::int64_t> BenchHistory::save(const BenchRun &run)
{
    if (m_readOnly)
        return fileError(m_path, "the database was opened for reading only");
    for (const BenchSample &sample : run.samples) {
        if (!knownMeasure(sample.measure))
            return Error{"unknown benchmark measure '" + sample.measure + "'", m_path.toStdString(),
                         0, "measure"};
    }
    QSqlDatabase &db = m_connection->db();
    if (!db.transaction())
        return fileError(m_path, db.lastError().text().toStdString());
    auto fail = [&](const QSqlQuery &query) {
        const std::string reason = query.lastError().text().toStdString();
        db.rollback();
        return fileError(m_path, reason);
    };
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO bench_runs (%1) VALUES (NULL%2)")
                       .arg(kRunColumns, QStringLiteral(", ?").repeated(kRunValues)));
    const QString runAt = run.runAtUtc.empty()
                              ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate)
                              : text(run.runAtUtc);
    for (const QVariant &value : {
             QVariant(runAt), QVariant(text(run.preset)), QVariant(text(run.precision)),
             QVariant(text(run.machine.cpuModel)), QVariant(run.machine.logicalCores),
             QVariant(run.machine.threadsUsed), QVariant(run.machine.ramTotalBytes),
             QVariant(text(run.machine.simd)), QVariant(text(run.machine.buildType)),
             QVariant(text(run.machine.compiler)), QVariant(run.decodeTokensPerSecond),
             QVariant(run.decodeTokensPerSecondStddev), QVariant(run.prefillTokensPerSecond),
             QVariant(run.prefillTokensPerSecondStddev), nullable(run.decodeRooflineFraction),
             QVariant(run.decodeTriadFraction), QVariant(run.prefillGemmFraction),
             nullable(run.prefillPeakFraction), nullable(run.bandwidthReadGbPerSecond),
             QVariant(run.bandwidthTriadGbPerSecond), QVariant(run.gemmPeakGflopsPerSecond),
             nullable(run.instructionPeakGflopsPerSecond), nullable(run.denseOverMoeTimeRatio),
             QVariant(run.decodeUsdPerMillionTokens), QVariant(run.prefillUsdPerMillionTokens),
             QVariant(run.powerWatts), QVariant(run.electricityUsdPerKwh),
             QVariant(run.hardwareUsd), QVariant(run.amortisationYears), QVariant(text(run.scaled)),
             QVariant(text(run.reportJson))})
        insert.addBindValue(value);
    if (!insert.exec())
        return fail(insert);
    const std::int64_t id = insert.lastInsertId().toLongLong();
    QSqlQuery sample(db);
    sample.prepare(QStringLiteral("INSERT INTO bench_samples (run_id, measure, repetition, "
                                  "tokens_per_s) VALUES (?, ?, ?, ?)"));
    for (const BenchSample &s : run.samples) {
        sample.addBindValue(QVariant::fromValue<qlonglong>(id));
        sample.addBindValue(text(s.measure));
        sample.addBindValue(s.repetition);
        sample.addBindValue(s.value);
        if (!sample.exec())
            return fail(sample);
    }
    if (!db.commit()) {
        const std::string reason = db.lastError().text().toStdString();
        db.rollback();
        return fileError(m_path, reason);
    }
    return id;
}

Result<std::vector<BenchRun>> BenchHistory::runs()
{
    if (m_schemaVersion < kBenchTablesVersion)
        return std::vector<BenchRun>();
    QSqlQuery query(m_connection->db());
    const QString columns =
        m_schemaVersion < kCeilingColumnsVersion ? columnsBeforeCeilings() : kRunColumns;
    if (!query.exec(QStringLiteral("SELECT %1 FROM bench_runs ORDER BY run_at DESC, id DESC")
                        .arg(columns)))
        return fileError(m_path, query.lastError().text().toStdString());
    std::vector<BenchRun> runs;
    std::map<std::int64_t, std::size_t> indexOf;
    while (query.next()) {
        runs.push_back(readRun(query));
        indexOf[runs.back().id] = runs.size() - 1;
    }
    QSqlQuery samples(m_connection->db());
    if (!samples.exec(QStringLiteral("SELECT run_id, measure, repetition, tokens_per_s FROM "
                                     "bench_samples ORDER BY run_id, measure, repetition")))
        return fileError(m_path, samples.lastError().text().toStdString());
    while (samples.next()) {
        const auto it = indexOf.find(samples.value(0).toLongLong());
        if (it == indexOf.end())
            continue;
        runs[it->second].samples.push_back(BenchSample{utf8(samples.value(1)),
                                                       samples.value(2).toInt(),
                                                       samples.value(3).toDouble()});
    }
    return runs;
}

Result<std::optional<BenchCost>> BenchHistory::latestCost()
{
    if (m_schemaVersion < kBenchTablesVersion)
        return std::optional<BenchCost>();
    QSqlQuery query(m_connection->db());
    if (!query.exec(QStringLiteral(
            "SELECT decode_usd_per_million_tokens, prefill_usd_per_million_tokens, preset, "
            "precision, run_at, cpu_model, threads_used FROM bench_runs "
            "ORDER BY run_at DESC, id DESC LIMIT 1")))
        return fileError(m_path, query.lastError().text().toStdString());
    if (!query.next())
        return std::optional<BenchCost>();
    BenchCost cost;
    cost.decodeUsdPerMillionTokens = query.value(0).toDouble();
    cost.prefillUsdPerMillionTokens = query.value(1).toDouble();
    cost.preset = utf8(query.value(2));
    cost.precision = utf8(query.value(3));
    cost.runAtUtc = utf8(query.value(4));
    cost.cpuModel = utf8(query.value(5));
    cost.threadsUsed = query.value(6).toInt();
    return std::optional<BenchCost>(cost);
}

} // namespace cliff::store
