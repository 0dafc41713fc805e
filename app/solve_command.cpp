#include "command_line.h"
#include "model_uncertainty.h"
#include "subcommands.h"

#include "econ/target_solver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace cliff::app {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QJsonObject citedFigureJson(const Figure &figure)
{
    return QJsonObject{{QStringLiteral("id"), qs(figure.id)},
                       {QStringLiteral("entity"), qs(figure.entity)},
                       {QStringLiteral("metric"), qs(figure.metric)},
                       {QStringLiteral("value"), figure.value},
                       {QStringLiteral("unit"), qs(figure.unit)},
                       {QStringLiteral("period"), qs(figure.period)},
                       {QStringLiteral("kind"), qs(figure.kind)},
                       {QStringLiteral("quote"), qs(figure.quote)},
                       {QStringLiteral("source_id"), qs(figure.sourceId)},
                       {QStringLiteral("published"), qs(figure.published)}};
}

const Figure *findFigure(const std::vector<Figure> &figures, const std::string &id)
{
    for (const Figure &figure : figures) {
        if (figure.id == id)
            return &figure;
    }
    return nullptr;
}

QJsonObject answerJson(const econ::SolveAnswer &answer, const std::vector<Figure> &figures)
{
    QJsonArray moves;
    for (const econ::AssumptionMove &move : answer.moves) {
        const econ::Assumption &entry = econ::assumption(move.id);
        QJsonArray cited;
        for (const std::string &id : move.figureIds) {
            if (const Figure *figure = findFigure(figures, id))
                cited.append(citedFigureJson(*figure));
        }
        moves.append(QJsonObject{{QStringLiteral("assumption"), qs(entry.key)},
                                 {QStringLiteral("label"), qs(entry.label)},
                                 {QStringLiteral("unit"), qs(entry.unit)},
                                 {QStringLiteral("default_kind"), qs(econ::defaultKindName(entry.kind))},
                                 {QStringLiteral("from"), move.from},
                                 {QStringLiteral("to"), move.to},
                                 {QStringLiteral("range_span"), move.rangeSpan},
                                 {QStringLiteral("range_units"), move.rangeUnits},
                                 {QStringLiteral("at_bound"), move.atBound},
                                 {QStringLiteral("cited_figures"), cited}});
    }
    QJsonObject scenario;
    for (econ::AssumptionId id : answer.answer.changed())
        scenario.insert(qs(econ::assumption(id).key), answer.answer.value(id));
    return QJsonObject{
        {QStringLiteral("target"), qs(econ::targetText(answer.target))},
        {QStringLiteral("description"), qs(econ::describeTarget(answer.target))},
        {QStringLiteral("reachable"), answer.reachable},
        {QStringLiteral("already_holds"), answer.alreadyHolds},
        {QStringLiteral("quantity"), qs(econ::targetQuantityKey(answer.target))},
        {QStringLiteral("quantity_at_start"), answer.quantityAtStart},
        {QStringLiteral("quantity_at_answer"), answer.quantityAtAnswer},
        {QStringLiteral("distance_range_units"), answer.distance},
        {QStringLiteral("moves"), moves},
        {QStringLiteral("varied"), assumptionKeys(answer.varied)},
        {QStringLiteral("held"), assumptionKeys(answer.held)},
        {QStringLiteral("chance_under_ranges"), answer.chance},
        {QStringLiteral("chance_of"), qs(answer.chanceStatement)},
        {QStringLiteral("draws"), answer.draws},
        {QStringLiteral("evaluations"), answer.evaluations},
        {QStringLiteral("answer_assumptions"), scenario}};
}

// The assumptions named by --vary (each a key, or several separated by commas).
std::optional<std::vector<econ::AssumptionId>> readVary(const ParsedOptions &options)
{
    std::vector<econ::AssumptionId> ids;
    for (const QString &list : options.all(QStringLiteral("--vary"))) {
        for (const QString &key : list.split(u',', Qt::SkipEmptyParts)) {
            const auto id = econ::findAssumption(key.trimmed().toStdString());
            if (!id) {
                printError(QStringLiteral("--vary: unknown assumption %1").arg(quoted(key)));
                return std::nullopt;
            }
            if (std::find(ids.begin(), ids.end(), *id) == ids.end())
                ids.push_back(*id);
        }
    }
    return ids;
}

} // namespace

int runSolve(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--view"), QStringLiteral("--target"),
                           QStringLiteral("--set"), QStringLiteral("--scenario"),
                           QStringLiteral("--vary"), QStringLiteral("--format"),
                           QStringLiteral("--user-db"), QStringLiteral("--draws"),
                           QStringLiteral("--seed"), QStringLiteral("--as-of")},
                          {},
                          0,
                          {QStringLiteral("--set"), QStringLiteral("--vary")}};
    const auto options = parseOptions(args, spec, QStringLiteral("solve"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const auto view = readModelView(*options, QStringLiteral("solve"));
    if (!view)
        return ExitUsage;
    const auto targetText = options->value(QStringLiteral("--target"));
    if (!targetText) {
        printError(QStringLiteral("solve needs --target KEY=VALUE, KEY<VALUE, KEY>VALUE or rank:PARTY>N"));
        return ExitUsage;
    }
    const auto target = econ::parseSolveTarget(*view, targetText->toStdString());
    if (!target) {
        printError(QStringLiteral("--target: %1").arg(QString::fromStdString(target.error().message)));
        return ExitUsage;
    }
    const QString format = options->value(QStringLiteral("--format")).value_or(QStringLiteral("json"));
    if (format != u"json") {
        printError(QStringLiteral("unknown format %1 (use json)").arg(quoted(format)));
        return ExitUsage;
    }
    econ::SolveOptions solveOptions;
    const auto vary = readVary(*options);
    if (!vary)
        return ExitUsage;
    solveOptions.vary = *vary;
    std::optional<int> draws;
    if (!readDrawOptions(*options, QStringLiteral("--draws"), draws, solveOptions.seed))
        return ExitUsage;
    solveOptions.draws = draws.value_or(solveOptions.draws);

    int exitCode = ExitOk;
    const auto given = readCommandScenario(*options, exitCode);
    if (!given)
        return exitCode;
    const auto loaded = loadCommandFigures(*options, exitCode, given->asOf);
    if (!loaded)
        return exitCode;
    const auto ranges = commandDistributions(loaded->figures, given->scenario, *given);
    if (!ranges)
        return ExitFailure;
    const auto answer =
        econ::solveTarget(loaded->figures, given->scenario, *ranges, *target, solveOptions);
    if (!answer) {
        printError(QString::fromStdString(answer.error().toString()));
        return answer.error().field == "vary" ? ExitUsage : ExitFailure;
    }
    QJsonObject document{{QStringLiteral("view"), qs(econ::economicViewKey(*view))},
                         {QStringLiteral("as_of"), asOfJson(loaded->asOf)},
                         {QStringLiteral("seed"), qint64(solveOptions.seed)},
                         {QStringLiteral("answer"), answerJson(*answer, loaded->figures)}};
    writeStdout(QJsonDocument(document).toJson(QJsonDocument::Indented));
    return ExitOk;
}

} // namespace cliff::app
