#include "command_line.h"
#include "subcommands.h"

#include "store/file_checks.h"
#include "ui/session/story.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cliff::app {

int runStory(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--format"), QStringLiteral("--user-db")}, {}, 1, {}};
    const auto options = parseOptions(args, spec, QStringLiteral("story"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const QString format = options->value(QStringLiteral("--format")).value_or(QStringLiteral("json"));
    if (format != u"json") {
        printError(QStringLiteral("unknown format %1 (use json)").arg(quoted(format)));
        return ExitUsage;
    }
    const auto catalog = loadCommandCatalog(userDbPath(*options));
    if (!catalog)
        return ExitFailure;
    const std::vector<Figure> figures = catalog->modelFigures();
    std::vector<StoryStep> steps = thesisStory();
    if (!options->positional.isEmpty()) {
        const QString &path = options->positional.front();
        const auto read = store::readSmallFile(path, kMaxStoryFileBytes);
        if (!read) {
            printError(QString::fromStdString(read.error().toString()));
            return ExitFailure;
        }
        auto parsed = parseStoryFile(*read, path, figures, catalog->figures.sources);
        if (!parsed) {
            printError(QString::fromStdString(parsed.error().toString()));
            return ExitFailure;
        }
        steps = std::move(*parsed);
    }
    QJsonArray array;
    for (const StoryStep &step : steps) {
        QJsonObject row{{QStringLiteral("title"), step.title},
                        {QStringLiteral("view"), step.viewKey},
                        {QStringLiteral("chart"), step.chartKey},
                        {QStringLiteral("caption"), step.caption}};
        QJsonObject changed;
        for (econ::AssumptionId id : step.scenario.changed())
            changed.insert(QString::fromUtf8(econ::assumption(id).key.data()), step.scenario.value(id));
        row.insert(QStringLiteral("assumptions"), changed);
        if (step.question) {
            const auto answer = answerStoryQuestion(step, figures, catalog->figures.sources);
            if (!answer) {
                printError(QStringLiteral("%1: %2").arg(step.title, QString::fromStdString(answer.error().message)));
                return ExitFailure;
            }
            row.insert(QStringLiteral("question"),
                       QJsonObject{{QStringLiteral("prompt"), step.question->prompt},
                                   {QStringLiteral("unit"), step.question->unit},
                                   {QStringLiteral("answer"), answer->value},
                                   {QStringLiteral("answer_text"), answer->text},
                                   {QStringLiteral("figure_id"), answer->figureId},
                                   {QStringLiteral("source"), answer->source},
                                   {QStringLiteral("quote"), answer->quote}});
        }
        array.append(row);
    }
    writeStdout(QJsonDocument(QJsonObject{{QStringLiteral("steps"), array}}).toJson(QJsonDocument::Indented));
    return ExitOk;
}

} // namespace cliff::app
