#include "command_line.h"
#include "subcommands.h"

#include "store/figure_listing.h"
#include "store/user_store.h"

#include <algorithm>

namespace cliff::app {
namespace {

/// The options that change the user's figures instead of listing them; one at a time.
const QStringList &changeOptions()
{
    static const QStringList options{QStringLiteral("--use"), QStringLiteral("--forget-choice"),
                                     QStringLiteral("--delete")};
    return options;
}

QString slotText(const Figure &figure)
{
    return QString::fromStdString(figure.category + " / " + figure.entity + " / " + figure.metric
                                  + " / " + figure.period);
}

/// `--use ID`, `--forget-choice ID` or `--delete ID`: every check is made on the catalog before
/// the user database is opened for writing, so a refused change writes nothing.
int changeUserFigures(const ParsedOptions &options, const QString &change)
{
    const QString id = *options.value(change);
    const QString userPath = userDbPath(options);
    const auto catalog = loadCommandCatalog(userPath);
    if (!catalog || catalog->userStoreProblem)
        return ExitFailure;
    const Figure *figure = catalog->figures.findFigure(id.toStdString());
    if (!figure) {
        printError(QStringLiteral("%1: no figure %2 (compute-cliff figures lists them)")
                       .arg(change, quoted(id)));
        return ExitUsage;
    }
    if (change == u"--use" && catalog->rivalsOf(*figure).empty()) {
        printError(QStringLiteral("--use: %1 has no rival for its slot (%2); the models read "
                                  "it already")
                       .arg(quoted(id), slotText(*figure)));
        return ExitUsage;
    }
    if (change == u"--forget-choice" && !catalog->choiceFor(*figure)) {
        printError(QStringLiteral("--forget-choice: no choice is recorded for the slot of %1 (%2)")
                       .arg(quoted(id), slotText(*figure)));
        return ExitUsage;
    }
    if (change == u"--delete" && !figure->userOwned) {
        printError(QStringLiteral("--delete: %1 is a shipped figure; only your own figures can "
                                  "be deleted")
                       .arg(quoted(id)));
        return ExitUsage;
    }

    auto user = store::UserStore::open(userPath);
    if (!user) {
        printError(QString::fromStdString(user.error().toString()));
        return ExitFailure;
    }
    Status changed = change == u"--use"             ? user->chooseFigure(*figure)
                     : change == u"--forget-choice" ? user->clearChoice(store::FigureSlot::of(*figure))
                                                    : user->deleteFigure(figure->id);
    if (!changed) {
        printError(QString::fromStdString(changed.error().toString()));
        return ExitFailure;
    }
    const QString done =
        change == u"--use"
            ? QStringLiteral("the models now read '%1' for %2").arg(id, slotText(*figure))
        : change == u"--forget-choice"
            ? QStringLiteral("choice forgotten for %1; the models read your own figure there again")
                  .arg(slotText(*figure))
            : QStringLiteral("deleted your figure '%1'").arg(id);
    writeStdout(QStringLiteral("%1 (%2)\n").arg(done, userPath).toUtf8());
    return ExitOk;
}

} // namespace

int runFigures(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--category"), QStringLiteral("--format"),
                           QStringLiteral("--user-db"), QStringLiteral("--use"),
                           QStringLiteral("--forget-choice"), QStringLiteral("--delete")},
                          {},
                          0,
                          {}};
    const auto options = parseOptions(args, spec, QStringLiteral("figures"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    QStringList changes;
    for (const QString &change : changeOptions()) {
        if (options->values.count(change))
            changes << change;
    }
    if (!changes.isEmpty()) {
        if (options->values.size() - options->values.count(QStringLiteral("--user-db")) != 1) {
            printError(QStringLiteral("%1 takes one figure id and no other option but --user-db")
                           .arg(changes.join(QStringLiteral(", "))));
            return ExitUsage;
        }
        return changeUserFigures(*options, changes.front());
    }
    const QString format = options->value(QStringLiteral("--format")).value_or(QStringLiteral("csv"));
    if (format != u"csv" && format != u"json") {
        printError(QStringLiteral("unknown format %1 (use csv or json)").arg(quoted(format)));
        return ExitUsage;
    }
    const auto category = options->value(QStringLiteral("--category"));
    if (category) {
        const auto known = figureCategories();
        if (std::find(known.begin(), known.end(), category->toStdString()) == known.end()) {
            QStringList names;
            for (std::string_view name : known)
                names << QString::fromLatin1(name.data(), qsizetype(name.size()));
            printError(QStringLiteral("unknown category %1 (one of: %2)")
                           .arg(quoted(*category), names.join(QStringLiteral(", "))));
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
