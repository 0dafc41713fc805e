// libFuzzer harness: the user-database openers. The bytes are written to a file, opened for
// reading (which must not change a byte of it) and read back, then opened with UserStore::open
// (which refuses or migrates it) and, when it opens, read back.
#include "store/store_file.h"
#include "store/user_store.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace {

// Both live until the process ends: libFuzzer leaves through exit(), after which destroying a
// QCoreApplication from a static destructor would touch Qt's already destroyed globals.
QTemporaryDir *g_dir = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // QtSql loads its SQLite driver as a plugin, which needs an application object.
    new QCoreApplication(*argc, *argv);
    g_dir = new QTemporaryDir;
    return g_dir->isValid() ? 0 : 1;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString path = g_dir->filePath(QStringLiteral("user.sqlite"));
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"),
                                  QStringLiteral("-journal")})
        QFile::remove(path + suffix);
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            __builtin_trap();
        file.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    {
        auto reader = cliff::store::UserStore::openForReading(path);
        if (reader) {
            (void)reader->figures();
            (void)reader->choices();
            (void)reader->scenarioNames();
        } else if (reader.error().message.empty()) {
            __builtin_trap();
        }
    }
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)
            || file.readAll() != QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)))
            __builtin_trap();
    }
    auto user = cliff::store::UserStore::open(path);
    if (!user) {
        if (user.error().message.empty())
            __builtin_trap();
        return 0;
    }
    (void)user->figures();
    (void)user->choices();
    (void)user->scenarioNames();
    (void)cliff::store::checkStore(path);
    return 0;
}
