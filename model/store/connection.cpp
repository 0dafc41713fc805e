#include "connection.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace cliff::store {
namespace {

// SQLite's in-memory VFS shares a database among every connection of the process that names it
// with a leading '/'. Qt's driver cannot load bytes into a connection, but it can open this name
// as a URI; QSQLITE links the same libsqlite3 as this library, so it sees the same memory.
const char *const kEmbeddedUri = "file:/compute-cliff-embedded-store?vfs=memdb";

const QString kReadOnly = QStringLiteral("QSQLITE_OPEN_READONLY");
const QString kReadOnlyUri = QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI");

Error embeddedError(const std::string &message)
{
    return Error{message, kEmbeddedStoreResource.toString().toStdString(), 0, {}};
}

// The connection that keeps the shared in-memory database alive until the process ends.
sqlite3 *g_embeddedHolder = nullptr;

// Loads the embedded store into the shared in-memory database once per process. Nothing is
// written to disk, so a process that is killed leaves nothing behind.
Status loadEmbeddedStore()
{
    static std::once_flag once;
    static Status loaded = Ok{};
    std::call_once(once, [] {
        QFile resource(kEmbeddedStoreResource.toString());
        if (!resource.open(QIODevice::ReadOnly)) {
            loaded = embeddedError("the embedded store is missing from this build");
            return;
        }
        const QByteArray bytes = resource.readAll();
        // sqlite3_deserialize() gives a connection its own private copy, so the bytes go into
        // the shared database through the backup API.
        auto *copy = static_cast<unsigned char *>(sqlite3_malloc64(std::size_t(bytes.size())));
        if (!copy) {
            loaded = embeddedError("out of memory loading the embedded store");
            return;
        }
        std::memcpy(copy, bytes.constData(), std::size_t(bytes.size()));
        sqlite3 *source = nullptr;
        sqlite3 *shared = nullptr;
        int rc = sqlite3_open_v2(":memory:", &source, SQLITE_OPEN_READWRITE, nullptr);
        if (rc == SQLITE_OK)
            rc = sqlite3_deserialize(source, "main", copy, bytes.size(), bytes.size(),
                                     SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
        else
            sqlite3_free(copy);
        if (rc == SQLITE_OK)
            rc = sqlite3_open_v2(kEmbeddedUri, &shared,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                                 nullptr);
        if (rc == SQLITE_OK) {
            sqlite3_backup *backup = sqlite3_backup_init(shared, "main", source, "main");
            rc = backup ? sqlite3_backup_step(backup, -1) : sqlite3_errcode(shared);
            if (rc == SQLITE_DONE)
                rc = SQLITE_OK;
            if (backup && sqlite3_backup_finish(backup) != SQLITE_OK && rc == SQLITE_OK)
                rc = sqlite3_errcode(shared);
        }
        if (rc == SQLITE_OK) {
            g_embeddedHolder = shared;
        } else {
            loaded = embeddedError(std::string("cannot load the embedded store: ")
                                   + sqlite3_errstr(rc));
            sqlite3_close(shared);
        }
        sqlite3_close(source);
    });
    return loaded;
}

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
    if (path == kEmbeddedStoreResource) {
        if (mode != Mode::ReadOnly)
            return embeddedError("the embedded store is read-only");
        if (Status loaded = loadEmbeddedStore(); !loaded)
            return loaded;
        if (Status opened = openAs(QString::fromLatin1(kEmbeddedUri), kReadOnlyUri, path); !opened)
            return opened;
        return readSchema(path);
    }
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
