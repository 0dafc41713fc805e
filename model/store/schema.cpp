#include "schema.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

namespace cliff::store {
namespace {

// The figure and source tables are shared by the shipped store and the user database, so that a
// figure has the same columns wherever it lives. See SCHEMA.md for what each column means.
const char *const kFigureTables = R"sql(
CREATE TABLE sources (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    publisher   TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    published   TEXT NOT NULL DEFAULT '',
    source_kind TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE TABLE figures (
    id           TEXT PRIMARY KEY,
    category     TEXT NOT NULL,
    entity       TEXT NOT NULL,
    metric       TEXT NOT NULL,
    value        REAL NOT NULL,
    low          REAL,
    high         REAL,
    unit         TEXT NOT NULL,
    period       TEXT NOT NULL,
    period_start REAL NOT NULL,
    period_end   REAL NOT NULL,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('reported','estimate','projection','guidance','assumption')),
    source_id    TEXT NOT NULL REFERENCES sources(id),
    read_in      TEXT REFERENCES sources(id),
    quoted       TEXT NOT NULL,
    quote        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    CHECK ((low IS NULL) = (high IS NULL)),
    CHECK (low IS NULL OR (low <= value AND value <= high))
);
CREATE INDEX figures_by_series ON figures(category, entity, metric, period_start);
CREATE VIEW series AS
    SELECT f.category, f.entity, f.metric, f.unit, f.period, f.period_start, f.value, f.low,
           f.high, f.kind, f.id AS figure_id, s.id AS source_id, s.title AS source_title, s.url
    FROM figures f JOIN sources s ON s.id = f.source_id
    ORDER BY f.category, f.entity, f.metric, f.period_start;
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

// Version 2 of the shipped store, version 4 of the user database: each source's tier and each
// figure's other sources for the same number.
const char *const kProvenanceColumns = R"sql(
ALTER TABLE sources ADD COLUMN tier TEXT NOT NULL DEFAULT 'other'
    CHECK (tier IN ('primary','secondary','other'));
ALTER TABLE figures ADD COLUMN also_in TEXT NOT NULL DEFAULT '';
)sql";

// One entry per user schema version: entry i takes a database from version i to i + 1.
const char *const kUserMigrations[] = {
    R"sql(
CREATE TABLE scenarios (
    name     TEXT PRIMARY KEY,
    json     TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
)sql",
    // A user figure and a shipped one for the same slot: which of them the models read.
    R"sql(
CREATE TABLE figure_choices (
    category  TEXT NOT NULL,
    entity    TEXT NOT NULL,
    metric    TEXT NOT NULL,
    period    TEXT NOT NULL,
    figure_id TEXT NOT NULL,
    chosen_at TEXT NOT NULL,
    PRIMARY KEY (category, entity, metric, period)
);
)sql",
    // Local MoE benchmark runs: the headline figures, the machine, and every timed sample.
    R"sql(
CREATE TABLE bench_runs (
    id                             INTEGER PRIMARY KEY,
    run_at                         TEXT NOT NULL,
    preset                         TEXT NOT NULL,
    precision                      TEXT NOT NULL,
    cpu_model                      TEXT NOT NULL,
    logical_cores                  INTEGER NOT NULL,
    threads_used                   INTEGER NOT NULL,
    ram_total_bytes                REAL NOT NULL,
    simd                           TEXT NOT NULL,
    build_type                     TEXT NOT NULL,
    compiler                       TEXT NOT NULL,
    decode_tokens_per_s            REAL NOT NULL,
    decode_tokens_per_s_stddev     REAL NOT NULL,
    prefill_tokens_per_s           REAL NOT NULL,
    prefill_tokens_per_s_stddev    REAL NOT NULL,
    decode_roofline_fraction       REAL NOT NULL,
    prefill_gemm_fraction          REAL NOT NULL,
    bandwidth_gbps_measured        REAL NOT NULL,
    gemm_peak_gflops_measured      REAL NOT NULL,
    dense_over_moe_time_ratio      REAL,
    decode_usd_per_million_tokens  REAL NOT NULL,
    prefill_usd_per_million_tokens REAL NOT NULL,
    power_w                        REAL NOT NULL,
    electricity_usd_per_kwh        REAL NOT NULL,
    hardware_usd                   REAL NOT NULL,
    amortisation_years             REAL NOT NULL,
    scaled                         TEXT NOT NULL,
    report_json                    TEXT NOT NULL
);
CREATE INDEX bench_runs_by_time ON bench_runs(run_at);
CREATE TABLE bench_samples (
    run_id       INTEGER NOT NULL REFERENCES bench_runs(id) ON DELETE CASCADE,
    measure      TEXT NOT NULL
                 CHECK (measure IN ('decode_tokens_per_s', 'prefill_tokens_per_s',
                                    'dense_same_total_decode_tokens_per_s',
                                    'dense_equal_active_prefill_tokens_per_s')),
    repetition   INTEGER NOT NULL CHECK (repetition >= 0),
    tokens_per_s REAL NOT NULL,
    PRIMARY KEY (run_id, measure, repetition)
);
)sql",
    kProvenanceColumns,
    // Physical ceilings. Decode only reads, so its roofline is the read-only bandwidth; the
    // triad figures keep their values under names of their own. A run saved before takes its
    // read-only figures from its report where the report has them; none had an instruction peak.
    R"sql(
ALTER TABLE bench_runs RENAME COLUMN decode_roofline_fraction TO decode_triad_fraction;
ALTER TABLE bench_runs RENAME COLUMN bandwidth_gbps_measured TO bandwidth_triad_gbps_measured;
ALTER TABLE bench_runs ADD COLUMN decode_roofline_fraction REAL;
ALTER TABLE bench_runs ADD COLUMN bandwidth_read_gbps_measured REAL;
ALTER TABLE bench_runs ADD COLUMN instruction_peak_gflops_measured REAL;
ALTER TABLE bench_runs ADD COLUMN prefill_peak_fraction REAL;
UPDATE bench_runs
   SET decode_roofline_fraction = json_extract(report_json, '$.decode_read_roofline_fraction'),
       bandwidth_read_gbps_measured = json_extract(report_json, '$.bandwidth_gbps_read_measured')
 WHERE json_valid(report_json);
)sql",
};
static_assert(std::size(kUserMigrations) == kUserSchemaVersion);

Status execScript(QSqlDatabase &db, const char *script)
{
    const QStringList statements = QString::fromUtf8(script).split(u';', Qt::SkipEmptyParts);
    for (const QString &statement : statements) {
        if (statement.trimmed().isEmpty())
            continue;
        QSqlQuery query(db);
        if (!query.exec(statement))
            return Error{query.lastError().text().toStdString(), {}, 0, {}};
    }
    return Ok{};
}

Status setPragma(QSqlDatabase &db, const QString &name, int value)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA %1 = %2").arg(name).arg(value)))
        return Error{query.lastError().text().toStdString(), {}, 0, {}};
    return Ok{};
}

int readPragma(QSqlDatabase &db, const QString &name)
{
    QSqlQuery query(db);
    if (query.exec(QStringLiteral("PRAGMA ") + name) && query.next())
        return query.value(0).toInt();
    return -1;
}

} // namespace

Status createShippedSchema(QSqlDatabase &db)
{
    if (Status made = execScript(db, kFigureTables); !made)
        return made;
    if (Status added = execScript(db, kProvenanceColumns); !added)
        return added;
    if (Status set = setPragma(db, QStringLiteral("application_id"), kApplicationId); !set)
        return set;
    return setPragma(db, QStringLiteral("user_version"), kShippedSchemaVersion);
}

Status migrateUserSchema(QSqlDatabase &db)
{
    const int version = readPragma(db, QStringLiteral("user_version"));
    if (version < 0)
        return Error{"cannot read the schema version", {}, 0, {}};
    if (version > kUserSchemaVersion)
        return Error{"schema version " + std::to_string(version) + " is newer than this app ("
                     + std::to_string(kUserSchemaVersion) + ")", {}, 0, {}};
    if (version == kUserSchemaVersion)
        return Ok{};

    if (!db.transaction())
        return Error{db.lastError().text().toStdString(), {}, 0, {}};
    auto fail = [&db](Status status) {
        db.rollback();
        return status;
    };
    if (version == 0) {
        if (Status made = execScript(db, kFigureTables); !made)
            return fail(made);
        if (Status set = setPragma(db, QStringLiteral("application_id"), kApplicationId); !set)
            return fail(set);
    }
    for (int step = version; step < kUserSchemaVersion; ++step) {
        if (Status migrated = execScript(db, kUserMigrations[step]); !migrated)
            return fail(migrated);
    }
    if (Status set = setPragma(db, QStringLiteral("user_version"), kUserSchemaVersion); !set)
        return fail(set);
    if (!db.commit())
        return fail(Error{db.lastError().text().toStdString(), {}, 0, {}});
    return Ok{};
}

} // namespace cliff::store
