#include "command_line.h"
#include "subcommands.h"

#include "store/store_file.h"

namespace cliff::app {

int runCheckDb(const QStringList &args)
{
    QString error;
    const auto options = parseOptions(args, OptionSpec{{}, {}, 1, {}}, QStringLiteral("check-db"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    QString path;
    if (options->positional.isEmpty()) {
        auto embedded = store::embeddedStorePath();
        if (!embedded) {
            printError(QString::fromStdString(embedded.error().toString()));
            return ExitFailure;
        }
        path = embedded.value();
    } else {
        path = options->positional.front();
    }
    auto report = store::checkStore(path);
    if (!report) {
        printError(QString::fromStdString(report.error().toString()));
        return ExitFailure;
    }
    const QString shown = options->positional.isEmpty() ? QStringLiteral("embedded store") : path;
    if (!report->problems.empty()) {
        for (const std::string &problem : report->problems)
            printError(QStringLiteral("%1: %2").arg(shown, QString::fromStdString(problem)));
        return ExitFailure;
    }
    writeStdout(QStringLiteral("%1: ok (schema version %2, %3 figures, %4 sources)\n")
                    .arg(shown)
                    .arg(report->schemaVersion)
                    .arg(report->figureCount)
                    .arg(report->sourceCount)
                    .toUtf8());
    return ExitOk;
}

} // namespace cliff::app
