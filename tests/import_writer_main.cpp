// Test helper for the durability test: imports a CSV into a user database in one transaction
// and, after `pause-at` rows, says "paused" on stdout and waits to be killed inside it.
#include "store/figure_import.h"
#include "store/user_store.h"

#include <QCoreApplication>

#include <chrono>
#include <cstdio>
#include <thread>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fputs("usage: cliff-import-writer CSV DB PAUSE_AT (0: never pause)\n", stderr);
        return 2;
    }
    const QString csvPath = QString::fromLocal8Bit(argv[1]);
    const std::size_t pauseAt = std::strtoull(argv[3], nullptr, 10);
    auto user = cliff::store::UserStore::open(QString::fromLocal8Bit(argv[2]));
    if (!user) {
        std::fprintf(stderr, "%s\n", user.error().toString().c_str());
        return 1;
    }
    auto own = user->figures();
    auto preview = own ? cliff::store::checkImportFile(csvPath, {}, own.value())
                       : cliff::Result<cliff::store::ImportPreview>(own.error());
    if (!preview) {
        std::fprintf(stderr, "%s\n", preview.error().toString().c_str());
        return 1;
    }
    auto done = user->importFigures(*preview, cliff::store::ImportMode::AllOrNothing,
                                    [pauseAt](std::size_t written, std::size_t) {
                                        if (pauseAt > 0 && written >= pauseAt) {
                                            std::puts("paused");
                                            std::fflush(stdout);
                                            for (;;)
                                                std::this_thread::sleep_for(std::chrono::seconds(1));
                                        }
                                        return true;
                                    });
    if (!done) {
        std::fprintf(stderr, "%s\n", done.error().toString().c_str());
        return 1;
    }
    std::printf("imported %zu\n", done->added);
    return 0;
}
