#include "command_line.h"
#include "subcommands.h"

#include "store/figure_import.h"
#include "store/store_file.h"
#include "store/user_store.h"

#include <QFileInfo>

namespace cliff::app {
namespace {

void printStoreError(const Error &error)
{
    printError(QString::fromStdString(error.toString()));
}

} // namespace

int runImport(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--user-db")}, {QStringLiteral("--valid-only")}, 1, {}};
    const auto options = parseOptions(args, spec, QStringLiteral("import"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    if (options->positional.isEmpty()) {
        printError(QStringLiteral("import needs a CSV file: compute-cliff import FILE [--valid-only]"));
        return ExitUsage;
    }
    const QString csvPath = options->positional.front();
    const QString userPath = userDbPath(*options);
    const auto mode = options->has(QStringLiteral("--valid-only")) ? store::ImportMode::ValidRowsOnly
                                                                   : store::ImportMode::AllOrNothing;

    auto embedded = store::embeddedStorePath();
    if (!embedded) {
        printStoreError(embedded.error());
        return ExitFailure;
    }
    auto shipped = store::loadStore(embedded.value());
    if (!shipped) {
        printStoreError(shipped.error());
        return ExitFailure;
    }
    // The user database is read without changing it, and opened for writing (created, if need
    // be) only when there is something to write to it: a refused import writes nothing.
    std::optional<store::UserStore> user;
    store::Dataset own;
    if (QFileInfo::exists(userPath)) {
        auto reader = store::UserStore::openForReading(userPath);
        if (!reader) {
            printStoreError(reader.error());
            return ExitFailure;
        }
        auto figures = reader->figures();
        if (!figures) {
            printStoreError(figures.error());
            return ExitFailure;
        }
        own = std::move(figures).value();
    }

    auto preview = store::checkImportFile(csvPath, shipped.value(), own);
    if (!preview) {
        printStoreError(preview.error());
        return ExitFailure;
    }
    if (mode == store::ImportMode::AllOrNothing) {
        if (const auto refused = preview->refusal()) {
            printStoreError(*refused);
            return ExitFailure;
        }
    } else {
        for (const store::ImportRow &row : preview->rows) {
            if (!row.errors.empty())
                printError(QStringLiteral("left out: %1")
                               .arg(QString::fromStdString(row.errors.front().toString())));
        }
        if (preview->count(store::ImportAction::Reject) == preview->rows.size()) {
            printError(QStringLiteral("%1: no valid rows; nothing imported").arg(csvPath));
            return ExitFailure;
        }
    }
    const store::ImportSummary counted = preview->summary();
    if (counted.added + counted.replaced > 0) {
        auto opened = store::UserStore::open(userPath);
        if (!opened) {
            printStoreError(opened.error());
            return ExitFailure;
        }
        user.emplace(std::move(opened).value());
    }
    Result<store::ImportSummary> summary = counted;
    if (user)
        summary = user->importFigures(*preview, mode);
    if (!summary) {
        printStoreError(summary.error());
        return ExitFailure;
    }
    writeStdout(QStringLiteral("%1: %2 added, %3 replaced, %4 already yours, %5 already shipped, "
                               "%6 left out (%7)\n")
                    .arg(csvPath)
                    .arg(summary->added)
                    .arg(summary->replaced)
                    .arg(summary->unchanged)
                    .arg(summary->shipped)
                    .arg(summary->rejected)
                    .arg(userPath)
                    .toUtf8());
    return ExitOk;
}

} // namespace cliff::app
