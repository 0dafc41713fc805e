#include "command_line.h"
#include "subcommands.h"

#include "store/figure_listing.h"

#include <algorithm>

namespace cliff::app {

int runFigures(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--category"), QStringLiteral("--format"),
                           QStringLiteral("--user-db")},
                          {},
                          0};
    const auto options = parseOptions(args, spec, QStringLiteral("figures"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const QString format = options->value(QStringLiteral("--format")).value_or(QStringLiteral("csv"));
    if (format != u"csv" && format != u"json") {
        printError(QStringLiteral("unknown format '%1' (use csv or json)").arg(format));
        return ExitUsage;
    }
    const auto category = options->value(QStringLiteral("--category"));
    if (category) {
        const auto known = figureCategories();
        if (std::find(known.begin(), known.end(), category->toStdString()) == known.end()) {
            QStringList names;
            for (std::string_view name : known)
                names << QString::fromLatin1(name.data(), qsizetype(name.size()));
            printError(QStringLiteral("unknown category '%1' (one of: %2)")
                           .arg(*category, names.join(QStringLiteral(", "))));
            return ExitUsage;
        }
    }

    const auto catalog = loadCommandCatalog(userDbPath(*options));
    if (!catalog)
        return ExitFailure;
    std::vector<const Figure *> selected;
    for (const Figure &figure : catalog->figures.figures) {
        if (!category || figure.category == category->toStdString())
            selected.push_back(&figure);
    }
    writeStdout(format == u"csv"
                    ? QByteArray::fromStdString(store::figuresCsv(catalog->figures, selected))
                    : store::figuresJson(catalog->figures, selected));
    return ExitOk;
}

} // namespace cliff::app
