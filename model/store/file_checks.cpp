#include "file_checks.h"

#include "schema.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace cliff::store {
namespace {

constexpr qint64 kSqliteHeaderSize = 100;

quint32 bigEndian(const QByteArray &bytes, int offset, int size)
{
    quint32 value = 0;
    for (int i = 0; i < size; ++i)
        value = (value << 8) | static_cast<quint8>(bytes[offset + i]);
    return value;
}

} // namespace

Error fileError(const QString &path, std::string message)
{
    return Error{std::move(message), path.toStdString(), 0, {}};
}

Status probeSqliteFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return fileError(path, "no such file");
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, "cannot read the file: " + file.errorString().toStdString());
    if (file.size() == 0)
        return fileError(path, "the file is empty");
    const QByteArray header = file.read(kSqliteHeaderSize);
    if (header.size() < kSqliteHeaderSize || !header.startsWith("SQLite format 3"))
        return fileError(path, "not an SQLite database");
    quint32 pageSize = bigEndian(header, 16, 2);
    if (pageSize == 1)
        pageSize = 65536;
    const quint32 pageCount = bigEndian(header, 28, 4);
    const bool countIsValid = bigEndian(header, 24, 4) == bigEndian(header, 92, 4);
    if (countIsValid && qint64(pageSize) * pageCount > file.size())
        return fileError(path, "the file is truncated (" + std::to_string(file.size()) + " of "
                                   + std::to_string(qint64(pageSize) * pageCount) + " bytes)");
    return Ok{};
}

int pragmaInt(QSqlDatabase &db, const char *name)
{
    QSqlQuery query(db);
    if (query.exec(QStringLiteral("PRAGMA ") + QLatin1String(name)) && query.next())
        return query.value(0).toInt();
    return -1;
}

Result<int> requireCompatibleSchema(QSqlDatabase &db, const QString &path, int newestVersion)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA application_id")) || !query.next()) {
        // The statement's error, not the connection's: the connection opened fine and holds none.
        const QString reason = query.lastError().isValid() ? query.lastError().text()
                                                           : QStringLiteral("no answer to a query");
        return fileError(path, "not a readable SQLite database: " + reason.toStdString());
    }
    const int applicationId = query.value(0).toInt();
    if (applicationId != kApplicationId)
        return fileError(path, "not a Compute Cliff store (wrong application id)");
    const int version = pragmaInt(db, "user_version");
    if (version > newestVersion)
        return fileError(path, "schema version " + std::to_string(version)
                                   + " is newer than this app supports ("
                                   + std::to_string(newestVersion) + ")");
    if (version < 1)
        return fileError(path, "no schema version");
    return version;
}

} // namespace cliff::store
