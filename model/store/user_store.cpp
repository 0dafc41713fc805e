#include "user_store.h"

#include "connection.h"
#include "file_checks.h"
#include "schema.h"

#include "core/untrusted_text.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStringList>
#include <QVariant>

namespace cliff::store {
namespace {

/// Removes sources that no figure cites any more (a deleted or re-sourced figure's), so the
/// database keeps the rule that every source is cited.
bool dropUncitedSources(QSqlQuery &query)
{
    return query.exec(QStringLiteral(
        "DELETE FROM sources WHERE id NOT IN (SELECT source_id FROM figures) "
        "AND id NOT IN (SELECT read_in FROM figures WHERE read_in IS NOT NULL)"));
}

/// Counts the figures equal in every column to the one bound by bindFigure (same order).
const QString kSameFigure = QStringLiteral(
    "SELECT count(*) FROM figures WHERE id IS ? AND category IS ? AND entity IS ? AND metric IS ? "
    "AND value IS ? AND low IS ? AND high IS ? AND unit IS ? AND period IS ? AND period_start IS ? "
    "AND period_end IS ? AND kind IS ? AND source_id IS ? AND read_in IS ? AND quoted IS ? "
    "AND quote IS ? AND note IS ? AND also_in IS ?");

/// The first line of `preview` whose figure cites `sourceId`, for an error about that source.
int lineCiting(const ImportPreview &preview, const std::string &sourceId)
{
    for (const ImportRow &row : preview.rows) {
        if ((row.action == ImportAction::Add || row.action == ImportAction::Replace)
            && (row.figure.sourceId == sourceId || row.figure.readIn == sourceId))
            return row.line;
    }
    return 0;
}

/// After `source` was inserted (`inserted`) or found already there: the database's source of
/// that id must say what the file says (the columns the import compares), and a new source must
/// not take another source's URL. Either can fail only when another import wrote in between.
Status requireSameSource(QSqlDatabase &db, const Source &source, bool inserted,
                         const ImportPreview &preview)
{
    const int line = lineCiting(preview, source.id);
    const std::string since = " in your database, written there since this file was checked; "
                              "nothing imported";
    QSqlQuery query(db);
    if (inserted) {
        if (source.url.empty())
            return Ok{};
        query.prepare(QStringLiteral("SELECT id FROM sources WHERE url = ? AND id <> ?"));
        query.addBindValue(QString::fromStdString(source.url));
        query.addBindValue(QString::fromStdString(source.id));
        if (!query.exec())
            return Error{query.lastError().text().toStdString(), preview.fileName, line, {}};
        if (query.next())
            return Error{"this URL is the source "
                             + quoteUntrusted(query.value(0).toString().toStdString()) + since,
                         preview.fileName, line, "source_url"};
        return Ok{};
    }
    query.prepare(QStringLiteral(
        "SELECT title, publisher, url, published, source_kind, tier FROM sources WHERE id = ?"));
    query.addBindValue(QString::fromStdString(source.id));
    if (!query.exec() || !query.next())
        return Error{query.lastError().text().toStdString(), preview.fileName, line, {}};
    const std::pair<const char *, const std::string *> columns[] = {
        {"source_title", &source.title}, {"source_publisher", &source.publisher},
        {"source_url", &source.url}, {"source_published", &source.published},
        {"source_kind", &source.sourceKind}, {"source_tier", &source.tier}};
    for (std::size_t i = 0; i < std::size(columns); ++i) {
        const std::string stored = query.value(int(i)).toString().toStdString();
        if (stored != *columns[i].second)
            return Error{"source " + quoteUntrusted(source.id) + " is " + quoteUntrusted(stored)
                             + since, preview.fileName, line, columns[i].first};
    }
    return Ok{};
}

/// The tables each schema version has, from the version that added them.
struct UserTable {
    int sinceVersion;
    const char *name;
};
constexpr UserTable kUserTables[] = {
    {1, "sources"},        {1, "figures"},    {1, "meta"},          {1, "scenarios"},
    {2, "figure_choices"}, {3, "bench_runs"}, {3, "bench_samples"},
};

} // namespace

Result<int> openUserDatabaseForReading(Connection &connection, const QString &path)
{
    if (Status probed = probeSqliteFile(path); !probed)
        return probed.error();
    if (Status opened = connection.open(path, Connection::Mode::ReadOnly); !opened)
        return opened.error();
    auto version = requireCompatibleSchema(connection.db(), path, kUserSchemaVersion);
    if (!version)
        return version.error();
    QSqlQuery quick(connection.db());
    if (!quick.exec(QStringLiteral("PRAGMA quick_check")) || !quick.next()
        || quick.value(0).toString() != QStringLiteral("ok"))
        return fileError(path, "the database is damaged (quick_check failed)");
    QSqlQuery tables(connection.db());
    if (!tables.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'")))
        return fileError(path, "not a readable SQLite database: "
                                   + tables.lastError().text().toStdString());
    QStringList present;
    while (tables.next())
        present << tables.value(0).toString();
    for (const UserTable &table : kUserTables) {
        if (table.sinceVersion <= *version && !present.contains(QLatin1String(table.name)))
            return fileError(path, "the database has no table '" + std::string(table.name)
                                       + "' although its schema version is "
                                       + std::to_string(*version) + " (damaged, or not written "
                                       + "by this app)");
    }
    return version;
}

UserStore::UserStore(QString path, std::unique_ptr<Connection> connection, int schemaVersion,
                     bool readOnly)
    : m_path(std::move(path)), m_connection(std::move(connection)),
      m_schemaVersion(schemaVersion), m_readOnly(readOnly)
{
}

UserStore::~UserStore() = default;
UserStore::UserStore(UserStore &&) noexcept = default;
UserStore &UserStore::operator=(UserStore &&) noexcept = default;

QString UserStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/user.sqlite");
}

Result<UserStore> UserStore::open(const QString &path)
{
    const QFileInfo info(path);
    if (info.exists()) {
        // Inspect read-only first: a file we cannot vouch for is never opened for writing.
        Connection inspector;
        if (auto inspected = openUserDatabaseForReading(inspector, path); !inspected)
            return inspected.error();
    } else if (!QDir().mkpath(info.absolutePath())) {
        return fileError(path, "cannot create the folder " + info.absolutePath().toStdString());
    }

    auto connection = std::make_unique<Connection>();
    if (Status opened = connection->open(path, Connection::Mode::ReadWrite); !opened)
        return opened.error();
    QSqlQuery pragmas(connection->db());
    if (!pragmas.exec(QStringLiteral("PRAGMA journal_mode = WAL"))
        || !pragmas.exec(QStringLiteral("PRAGMA foreign_keys = ON")))
        return fileError(path, pragmas.lastError().text().toStdString());
    if (Status migrated = migrateUserSchema(connection->db()); !migrated)
        return fileError(path, migrated.error().message);
    return UserStore(path, std::move(connection), kUserSchemaVersion, false);
}

Result<UserStore> UserStore::openForReading(const QString &path)
{
    auto connection = std::make_unique<Connection>();
    auto version = openUserDatabaseForReading(*connection, path);
    if (!version)
        return version.error();
    return UserStore(path, std::move(connection), *version, true);
}

Status UserStore::requireWritable() const
{
    if (m_readOnly)
        return fileError(m_path, "the database was opened for reading only");
    return Ok{};
}

Result<Dataset> UserStore::figures()
{
    auto dataset = readDatasetTables(m_connection->db(), m_path);
    if (dataset) {
        for (Figure &figure : dataset->figures)
            figure.userOwned = true;
    }
    return dataset;
}

Status UserStore::inTransaction(const std::function<Status(QSqlDatabase &)> &work)
{
    if (Status writable = requireWritable(); !writable)
        return writable;
    QSqlDatabase &db = m_connection->db();
    if (!db.transaction())
        return fileError(m_path, db.lastError().text().toStdString());
    Status done = work(db);
    if (done && !db.commit())
        done = fileError(m_path, db.lastError().text().toStdString());
    if (!done)
        db.rollback();
    return done;
}

Result<ImportSummary> UserStore::importFigures(const ImportPreview &preview, ImportMode mode,
                                               const ImportProgress &progress)
{
    if (mode == ImportMode::AllOrNothing) {
        if (auto refused = preview.refusal())
            return *refused;
    }
    ImportSummary summary = preview.summary();
    const std::size_t total = summary.added + summary.replaced;
    if (total == 0)
        return summary;

    // Another import may have written since `preview` was checked. Its sources and figures are
    // met with an insert that does nothing on a clash, then compared: an identical source or
    // figure is kept, another figure of the same id is replaced (as a later import would), and
    // another source of the same id refuses the whole import. The first statement is a write,
    // so SQLite takes the write lock (waiting for the other import) before anything is read.
    Status written = inTransaction([&](QSqlDatabase &db) -> Status {
        QSqlQuery source(db);
        source.prepare(QString(kInsertSource) + QStringLiteral(" ON CONFLICT(id) DO NOTHING"));
        for (const Source &s : preview.sources) {
            bindSource(source, s);
            if (!source.exec())
                return fileError(m_path, "source '" + s.id + "': "
                                             + source.lastError().text().toStdString());
            if (Status same = requireSameSource(db, s, source.numRowsAffected() == 1, preview);
                !same)
                return same;
        }
        QSqlQuery add(db);
        add.prepare(QString(kInsertFigure) + QStringLiteral(" ON CONFLICT(id) DO NOTHING"));
        QSqlQuery replace(db);
        replace.prepare(QString(kInsertFigure).replace(QStringLiteral("INSERT"),
                                                       QStringLiteral("INSERT OR REPLACE")));
        QSqlQuery same(db);
        same.prepare(kSameFigure);
        std::size_t done = 0;
        for (const ImportRow &row : preview.rows) {
            if (row.action != ImportAction::Add && row.action != ImportAction::Replace)
                continue;
            QSqlQuery &query = row.action == ImportAction::Add ? add : replace;
            bindFigure(query, row.figure);
            if (!query.exec())
                return Error{query.lastError().text().toStdString(), preview.fileName, row.line, {}};
            if (row.action == ImportAction::Add && query.numRowsAffected() == 0) {
                // The id was taken since the preview.
                bindFigure(same, row.figure);
                if (!same.exec() || !same.next())
                    return Error{same.lastError().text().toStdString(), preview.fileName,
                                 row.line, {}};
                const bool identical = same.value(0).toInt() > 0;
                same.finish();
                --summary.added;
                if (identical) {
                    ++summary.unchanged;
                } else {
                    bindFigure(replace, row.figure);
                    if (!replace.exec())
                        return Error{replace.lastError().text().toStdString(), preview.fileName,
                                     row.line, {}};
                    ++summary.replaced;
                }
            }
            ++done;
            if (progress && (done % 1000 == 0 || done == total) && !progress(done, total))
                return fileError(m_path, "the import was cancelled; nothing was written");
        }
        QSqlQuery tidy(db);
        if (!dropUncitedSources(tidy))
            return fileError(m_path, tidy.lastError().text().toStdString());
        return Ok{};
    });
    if (!written)
        return written.error();
    return summary;
}

Status UserStore::updateFigure(const Figure &figure)
{
    if (Status valid = validateFigure(figure); !valid)
        return valid;
    auto own = figures();
    if (!own)
        return own.error();
    if (!own->findFigure(figure.id))
        return Error{"you have no figure '" + figure.id + "'", {}, 0, "id"};
    const auto find = [&own](const std::string &id) { return own->findSource(id); };
    if (Status linked = checkFigureSources(figure, find); !linked)
        return linked;
    return inTransaction([&](QSqlDatabase &db) -> Status {
        QSqlQuery replace(db);
        replace.prepare(QString(kInsertFigure).replace(QStringLiteral("INSERT"),
                                                       QStringLiteral("INSERT OR REPLACE")));
        bindFigure(replace, figure);
        QSqlQuery tidy(db);
        if (!replace.exec())
            return fileError(m_path, replace.lastError().text().toStdString());
        if (!dropUncitedSources(tidy))
            return fileError(m_path, tidy.lastError().text().toStdString());
        return Ok{};
    });
}

Status UserStore::deleteFigure(const std::string &id)
{
    return inTransaction([&](QSqlDatabase &db) -> Status {
        QSqlQuery remove(db);
        remove.prepare(QStringLiteral("DELETE FROM figures WHERE id = ?"));
        remove.addBindValue(QString::fromStdString(id));
        if (!remove.exec())
            return fileError(m_path, remove.lastError().text().toStdString());
        if (remove.numRowsAffected() != 1)
            return Error{"you have no figure '" + id + "'", {}, 0, "id"};
        QSqlQuery forget(db);
        forget.prepare(QStringLiteral("DELETE FROM figure_choices WHERE figure_id = ?"));
        forget.addBindValue(QString::fromStdString(id));
        if (!forget.exec() || !dropUncitedSources(forget))
            return fileError(m_path, forget.lastError().text().toStdString());
        return Ok{};
    });
}

Status UserStore::chooseFigure(const Figure &figure)
{
    const FigureSlot slot = FigureSlot::of(figure);
    return inTransaction([&](QSqlDatabase &db) -> Status {
        QSqlQuery choose(db);
        choose.prepare(QStringLiteral("INSERT OR REPLACE INTO figure_choices VALUES (?, ?, ?, ?, ?, ?)"));
        for (const std::string *field : {&slot.category, &slot.entity, &slot.metric, &slot.period,
                                         &figure.id})
            choose.addBindValue(QString::fromStdString(*field));
        choose.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
        if (!choose.exec())
            return fileError(m_path, choose.lastError().text().toStdString());
        return Ok{};
    });
}

Status UserStore::clearChoice(const FigureSlot &slot)
{
    return inTransaction([&](QSqlDatabase &db) -> Status {
        QSqlQuery forget(db);
        forget.prepare(QStringLiteral("DELETE FROM figure_choices WHERE category = ? AND "
                                      "entity = ? AND metric = ? AND period = ?"));
        for (const std::string *field : {&slot.category, &slot.entity, &slot.metric, &slot.period})
            forget.addBindValue(QString::fromStdString(*field));
        if (!forget.exec())
            return fileError(m_path, forget.lastError().text().toStdString());
        return Ok{};
    });
}

Result<std::vector<FigureChoice>> UserStore::choices()
{
    if (m_schemaVersion < 2) // opened for reading, not migrated: the table came with version 2
        return std::vector<FigureChoice>();
    QSqlQuery query(m_connection->db());
    if (!query.exec(QStringLiteral("SELECT category, entity, metric, period, figure_id FROM "
                                   "figure_choices ORDER BY category, entity, metric, period")))
        return fileError(m_path, query.lastError().text().toStdString());
    std::vector<FigureChoice> found;
    while (query.next()) {
        found.push_back(FigureChoice{{query.value(0).toString().toStdString(),
                                      query.value(1).toString().toStdString(),
                                      query.value(2).toString().toStdString(),
                                      query.value(3).toString().toStdString()},
                                     query.value(4).toString().toStdString()});
    }
    return found;
}

Status UserStore::saveScenario(const std::string &name, const std::string &json)
{
    if (Status writable = requireWritable(); !writable)
        return writable;
    QSqlDatabase &db = m_connection->db();
    if (!db.transaction())
        return fileError(m_path, db.lastError().text().toStdString());
    QSqlQuery save(db);
    save.prepare(QStringLiteral("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?)"));
    save.addBindValue(QString::fromStdString(name));
    save.addBindValue(QString::fromStdString(json));
    save.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!save.exec() || !db.commit()) {
        const std::string reason = save.lastError().text().toStdString();
        db.rollback();
        return fileError(m_path, reason);
    }
    return Ok{};
}

Result<std::vector<std::string>> UserStore::scenarioNames()
{
    QSqlQuery query(m_connection->db());
    if (!query.exec(QStringLiteral("SELECT name FROM scenarios ORDER BY name")))
        return fileError(m_path, query.lastError().text().toStdString());
    std::vector<std::string> names;
    while (query.next())
        names.push_back(query.value(0).toString().toStdString());
    return names;
}

} // namespace cliff::store
