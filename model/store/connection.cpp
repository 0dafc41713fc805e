#include "connection.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace cliff::store {
namespace {

const QString kReadOnly = QStringLiteral("QSQLITE_OPEN_READONLY");
const QString kReadOnlyUri = QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI");

// Whether `path` is in WAL mode (bytes 18 and 19 of the header are 2) with no WAL file beside
// it: then every committed page is in the file itself.
bool walModeWithoutLog(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray header = file.read(20);
    return header.size() == 20 && header[18] == 2 && header[19] == 2
           && !QFileInfo::exists(path + QStringLiteral("-wal"));
}

} // namespace

Connection::Connection()
{
    static QAtomicInteger<quint64> counter;
    m_name = QStringLiteral("cliff-%1").arg(counter.fetchAndAddRelaxed(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
}

Connection::~Connection()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Status Connection::openAs(const QString &name, const QString &options, const QString &path)
{
    m_db.close();
    m_db.setDatabaseName(name);
    m_db.setConnectOptions(options);
    if (!m_db.open())
        return Error{m_db.lastError().text().toStdString(), path.toStdString(), 0, {}};
    return Ok{};
}

Status Connection::readSchema(const QString &path)
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !query.next())
        return Error{"not a readable SQLite database: " + query.lastError().text().toStdString(),
                     path.toStdString(), 0, {}};
    return Ok{};
}

Status Connection::open(const QString &path, Mode mode)
{
    if (mode == Mode::ReadWrite)
        return openAs(path, QString(), path);

    Status opened = openAs(path, kReadOnly, path);
    if (opened)
        opened = readSchema(path);
    if (opened || !walModeWithoutLog(path))
        return opened;
    // A WAL database needs its -shm file even to be read, and a read-only folder cannot take
    // one. With no -wal file the database file holds every committed page, so it is read as it
    // is, without SQLite's locks or side files. The risk taken: a writer with more rights in
    // that folder who starts during these few reads could be seen half-way; the alternative is
    // not reading the user's figures at all.
    QUrl uri = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath());
    uri.setQuery(QStringLiteral("immutable=1"));
    if (openAs(uri.toString(QUrl::FullyEncoded), kReadOnlyUri, path) && readSchema(path))
        return Ok{};
    m_db.close();
    return opened;
}

} // namespace cliff::store
