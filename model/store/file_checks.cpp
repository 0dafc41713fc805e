#include "file_checks.h"

#include "schema.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

std::string kindOfFile(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "an unknown kind of file";
}

Error systemError(const QString &path, int error)
{
    if (error == ENOENT)
        return fileError(path, "no such file");
    return fileError(path, "cannot read the file: " + std::string(std::strerror(error)));
}

Status requireRegular(const QString &path, const struct stat &info)
{
    if (!S_ISREG(info.st_mode))
        return fileError(path, "not a regular file (" + kindOfFile(info.st_mode) + ")");
    return Ok{};
}

} // namespace

Error fileError(const QString &path, std::string message)
{
    return Error{std::move(message), path.toStdString(), 0, {}};
}

Status checkFileToRead(const QString &path, qint64 maxBytes)
{
    if (path.startsWith(u":/"))
        return QFileInfo::exists(path) ? Status(Ok{}) : Status(fileError(path, "no such file"));
    if (path.isEmpty())
        return fileError(path, "no file name given");
    const QByteArray native = QFile::encodeName(path);
    struct stat info {};
    if (::stat(native.constData(), &info) != 0)
        return systemError(path, errno);
    if (Status regular = requireRegular(path, info); !regular)
        return regular;
    if (maxBytes >= 0 && info.st_size > maxBytes)
        return fileError(path, "the file is too large (" + std::to_string(info.st_size)
                                   + " bytes; at most " + std::to_string(maxBytes)
                                   + " are read)");
    // Opening proves the file can be read. O_NONBLOCK: were a FIFO put in its place since
    // stat(), the open returns at once instead of waiting for a writer.
    const int fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return systemError(path, errno);
    struct stat opened {};
    const int statResult = ::fstat(fd, &opened);
    const int statError = errno;
    ::close(fd);
    if (statResult != 0)
        return systemError(path, statError);
    return requireRegular(path, opened);
}

Result<QByteArray> readSmallFile(const QString &path, qint64 maxBytes)
{
    Q_ASSERT(maxBytes >= 0);
    if (Status readable = checkFileToRead(path, maxBytes); !readable)
        return readable.error();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, "cannot read the file: " + file.errorString().toStdString());
    // One byte more than allowed tells a file that grew since the check from one that did not.
    QByteArray bytes = file.read(maxBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return fileError(path, "cannot read the file: " + file.errorString().toStdString());
    if (bytes.size() > maxBytes)
        return fileError(path, "the file is too large (more than " + std::to_string(maxBytes)
                                   + " bytes are not read)");
    return bytes;
}

Status probeSqliteFile(const QString &path)
{
    if (Status readable = checkFileToRead(path); !readable)
        return readable;
    QFile file(path);
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
