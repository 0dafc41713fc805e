// Build step: datasets/ (CSV text) -> the SQLite store embedded in the app.
#include "dataset.h"
#include "store_file.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: cliff-compile-store DATASETS_DIR OUTPUT.sqlite\n");
        return 2;
    }
    auto dataset = cliff::store::readDatasetDir(args.at(1).toStdString());
    if (!dataset) {
        std::fprintf(stderr, "%s\n", dataset.error().toString().c_str());
        return 1;
    }
    if (cliff::Status written = cliff::store::writeStore(args.at(2), dataset.value()); !written) {
        std::fprintf(stderr, "%s\n", written.error().toString().c_str());
        return 1;
    }
    std::printf("compiled %zu figures from %zu sources into %s\n", dataset->figures.size(),
                dataset->sources.size(), qPrintable(args.at(2)));
    return 0;
}
