#include "store_file.h"

#include "connection.h"
#include "file_checks.h"
#include "schema.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>


namespace cliff::store {
namespace {

Error queryError(const QString &path, const QSqlQuery &query)
{
    return fileError(path, query.lastError().text().toStdString());
}

QVariant optionalNumber(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<double>());
}

std::string text(const QVariant &value) { return value.toString().toStdString(); }

std::optional<double> optionalDouble(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
}

Status insertDataset(QSqlDatabase &db, const Dataset &dataset, const QString &path)
{
    QSqlQuery source(db);
    source.prepare(kInsertSource);
    for (const Source &s : dataset.sources) {
        bindSource(source, s);
        if (!source.exec())
            return queryError(path, source);
    }
    QSqlQuery figure(db);
    figure.prepare(kInsertFigure);
    for (const Figure &f : dataset.figures) {
        bindFigure(figure, f);
        if (!figure.exec())
            return queryError(path, figure);
    }
    return Ok{};
}

Result<Dataset> openAndRead(const QString &path, int newestVersion)
{
    if (Status header = probeSqliteFile(path); !header)
        return header.error();
    Connection connection;
    if (Status opened = connection.open(path, Connection::Mode::ReadOnly); !opened)
        return opened.error();
    if (auto ours = requireCompatibleSchema(connection.db(), path, newestVersion); !ours)
        return ours.error();
    return readDatasetTables(connection.db(), path);
}

/// True when `table` has a column `column` (older user databases lack the newer columns).
bool hasColumn(QSqlDatabase &db, const QString &table, const QString &column)
{
    QSqlQuery info(db);
    if (!info.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
        return false;
    while (info.next()) {
        if (info.value(1).toString() == column)
            return true;
    }
    return false;
}

} // namespace

const QString kInsertSource = QStringLiteral(
    "INSERT INTO sources (id, title, publisher, url, published, source_kind, tier, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
const QString kInsertFigure = QStringLiteral(
    "INSERT INTO figures (id, category, entity, metric, value, low, high, unit, period, "
    "period_start, period_end, kind, source_id, read_in, quoted, quote, note, also_in) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

void bindSource(QSqlQuery &query, const Source &s)
{
    for (const std::string *field : {&s.id, &s.title, &s.publisher, &s.url, &s.published,
                                     &s.sourceKind, &s.tier, &s.note})
        query.addBindValue(QString::fromStdString(*field));
}

void bindFigure(QSqlQuery &query, const Figure &f)
{
    const auto span = parsePeriod(f.period);
    query.addBindValue(QString::fromStdString(f.id));
    query.addBindValue(QString::fromStdString(f.category));
    query.addBindValue(QString::fromStdString(f.entity));
    query.addBindValue(QString::fromStdString(f.metric));
    query.addBindValue(f.value);
    query.addBindValue(optionalNumber(f.low));
    query.addBindValue(optionalNumber(f.high));
    query.addBindValue(QString::fromStdString(f.unit));
    query.addBindValue(QString::fromStdString(f.period));
    query.addBindValue(span ? span->startYear : 0.0);
    query.addBindValue(span ? span->endYear : 0.0);
    query.addBindValue(QString::fromStdString(f.kind));
    query.addBindValue(QString::fromStdString(f.sourceId));
    query.addBindValue(f.readIn.empty() ? QVariant(QMetaType::fromType<QString>())
                                        : QVariant(QString::fromStdString(f.readIn)));
    query.addBindValue(QString::fromStdString(f.quoted));
    query.addBindValue(QString::fromStdString(f.quote));
    query.addBindValue(QString::fromStdString(f.note));
    query.addBindValue(QString::fromStdString(joinIds(f.alsoIn)));
}

Result<Dataset> readDatasetTables(QSqlDatabase &db, const QString &path)
{
    // A user database from before the provenance columns reads its sources as tier "other".
    const bool hasProvenance = hasColumn(db, QStringLiteral("sources"), QStringLiteral("tier"));
    Dataset dataset;
    QSqlQuery sources(db);
    if (!sources.exec(QStringLiteral("SELECT id, title, publisher, url, published, source_kind, "
                                     "%1, note FROM sources ORDER BY id")
                          .arg(hasProvenance ? QStringLiteral("tier") : QStringLiteral("'other'"))))
        return queryError(path, sources);
    while (sources.next()) {
        dataset.sources.push_back(Source{text(sources.value(0)), text(sources.value(1)),
                                         text(sources.value(2)), text(sources.value(3)),
                                         text(sources.value(4)), text(sources.value(5)),
                                         text(sources.value(6)), text(sources.value(7))});
    }
    QSqlQuery figures(db);
    if (!figures.exec(QStringLiteral(
            "SELECT id, category, entity, metric, value, low, high, unit, period, kind, "
            "source_id, read_in, quoted, quote, note, %1 FROM figures "
            "ORDER BY category, entity, metric, period_start, id")
                          .arg(hasProvenance ? QStringLiteral("also_in") : QStringLiteral("''"))))
        return queryError(path, figures);
    while (figures.next()) {
        Figure f;
        f.id = text(figures.value(0));
        f.category = text(figures.value(1));
        f.entity = text(figures.value(2));
        f.metric = text(figures.value(3));
        f.value = figures.value(4).toDouble();
        f.low = optionalDouble(figures.value(5));
        f.high = optionalDouble(figures.value(6));
        f.unit = text(figures.value(7));
        f.period = text(figures.value(8));
        f.kind = text(figures.value(9));
        f.sourceId = text(figures.value(10));
        f.readIn = text(figures.value(11));
        f.quoted = text(figures.value(12));
        f.quote = text(figures.value(13));
        f.note = text(figures.value(14));
        f.alsoIn = splitIds(text(figures.value(15)));
        dataset.figures.push_back(std::move(f));
    }
    if (figures.lastError().isValid())
        return queryError(path, figures);
    fillPublished(dataset);
    return dataset;
}

Status writeStore(const QString &path, const Dataset &dataset)
{
    const QString partial = path + QStringLiteral(".partial");
    QFile::remove(partial);
    {
        Connection connection;
        if (Status opened = connection.open(partial, Connection::Mode::ReadWrite); !opened)
            return opened;
        QSqlDatabase &db = connection.db();
        QSqlQuery pragma(db);
        pragma.exec(QStringLiteral("PRAGMA journal_mode = DELETE"));
        pragma.finish();
        if (!db.transaction())
            return fileError(partial, db.lastError().text().toStdString());
        Status written = createShippedSchema(db);
        if (written)
            written = insertDataset(db, dataset, partial);
        QSqlQuery meta(db);
        if (written && !meta.exec(QStringLiteral("INSERT INTO meta VALUES ('kind', 'shipped')")))
            written = queryError(partial, meta);
        if (!written || !db.commit()) {
            db.rollback();
            connection.db().close();
            QFile::remove(partial);
            return written ? fileError(partial, db.lastError().text().toStdString()) : written;
        }
        pragma.exec(QStringLiteral("VACUUM"));
    }
    QFile::remove(path);
    if (!QFile::rename(partial, path))
        return fileError(path, "cannot move the finished store into place");
    return Ok{};
}

Result<Dataset> loadStore(const QString &path)
{
    return openAndRead(path, kShippedSchemaVersion);
}

Result<StoreReport> checkStore(const QString &path)
{
    if (Status header = probeSqliteFile(path); !header)
        return header.error();
    Connection connection;
    if (Status opened = connection.open(path, Connection::Mode::ReadOnly); !opened)
        return opened.error();
    QSqlDatabase &db = connection.db();
    const int newest = std::max(kShippedSchemaVersion, kUserSchemaVersion);
    auto version = requireCompatibleSchema(db, path, newest);
    if (!version)
        return version.error();

    StoreReport report;
    report.schemaVersion = *version;
    QSqlQuery integrity(db);
    if (!integrity.exec(QStringLiteral("PRAGMA integrity_check")))
        return queryError(path, integrity);
    while (integrity.next()) {
        const std::string line = text(integrity.value(0));
        if (line != "ok")
            report.problems.push_back("integrity: " + line);
    }
    QSqlQuery foreignKeys(db);
    if (foreignKeys.exec(QStringLiteral("PRAGMA foreign_key_check"))) {
        while (foreignKeys.next()) {
            report.problems.push_back("foreign key: row " + text(foreignKeys.value(1)) + " of "
                                      + text(foreignKeys.value(0)) + " refers to a missing "
                                      + text(foreignKeys.value(2)));
        }
    }
    if (!report.problems.empty())
        return report; // rows of a damaged file are not worth re-validating

    auto dataset = readDatasetTables(db, path);
    if (!dataset)
        return dataset.error();
    report.sourceCount = int(dataset->sources.size());
    report.figureCount = int(dataset->figures.size());
    for (const Source &source : dataset->sources) {
        if (Status valid = validateSource(source); !valid)
            report.problems.push_back("source '" + source.id + "': " + valid.error().toString());
    }
    for (const Figure &figure : dataset->figures) {
        if (Status valid = validateFigure(figure); !valid)
            report.problems.push_back("figure '" + figure.id + "': " + valid.error().toString());
    }
    if (Status linked = checkReferences(dataset.value()); !linked)
        report.problems.push_back(linked.error().toString());
    return report;
}

Result<QString> embeddedStorePath()
{
    const QString resource = kEmbeddedStoreResource.toString();
    if (!QFile::exists(resource))
        return Error{"the embedded store is missing from this build", {}, 0, {}};
    return resource;
}

} // namespace cliff::store
