#include "user_store.h"

#include "connection.h"
#include "file_checks.h"
#include "schema.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace cliff::store {

UserStore::UserStore(QString path, std::unique_ptr<Connection> connection)
    : m_path(std::move(path)), m_connection(std::move(connection))
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
        if (Status probed = probeSqliteFile(path); !probed)
            return probed.error();
        Connection inspector;
        if (Status opened = inspector.open(path, Connection::Mode::ReadOnly); !opened)
            return opened.error();
        if (Status ours = requireCompatibleSchema(inspector.db(), path, kUserSchemaVersion); !ours)
            return ours.error();
        QSqlQuery quick(inspector.db());
        if (!quick.exec(QStringLiteral("PRAGMA quick_check")) || !quick.next()
            || quick.value(0).toString() != QStringLiteral("ok"))
            return fileError(path, "the database is damaged (quick_check failed)");
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
    return UserStore(path, std::move(connection));
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

Status UserStore::saveScenario(const std::string &name, const std::string &json)
{
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
