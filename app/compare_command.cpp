#include "command_line.h"
#include "compared_cases.h"
#include "subcommands.h"

#include "core/csv.h"
#include "econ/evidence_date.h"
#include "econ/scenario.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cliff::app {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// true or false, or null where the case's figures do not support the statement.
QJsonValue statementJson(const econ::NamedProbability &statement)
{
    return econ::statementKnown(statement) ? QJsonValue(econ::statementHolds(statement))
                                           : QJsonValue(QJsonValue::Null);
}

QJsonObject comparisonJson(const econ::ScenarioComparison &comparison)
{
    const auto metrics = econ::headlineMetrics(comparison.view);
    QJsonArray cases;
    for (std::size_t c = 0; c < comparison.cases.size(); ++c) {
        const econ::ComparedCase &item = comparison.cases[c];
        const econ::CaseOutcome &outcome = comparison.outcomes[c];
        QJsonObject assumptions;
        for (econ::AssumptionId id : econ::viewAssumptions(comparison.view))
            assumptions.insert(qs(econ::assumption(id).key), item.scenario.value(id));
        QJsonObject headlines;
        for (std::size_t m = 0; m < metrics.size(); ++m)
            headlines.insert(qs(econ::headlineMetricKey(metrics[m])), outcome.headlines[m]);
        QJsonObject statements;
        for (const econ::NamedProbability &statement : outcome.statements)
            statements.insert(qs(statement.key), statementJson(statement));
        cases.append(QJsonObject{
            {QStringLiteral("name"), qs(item.name)},
            {QStringLiteral("as_of"), item.asOf.empty() ? QJsonValue(QJsonValue::Null)
                                                        : QJsonValue(qs(item.asOf))},
            {QStringLiteral("figures_used"), outcome.figuresUsed},
            {QStringLiteral("left_out_published_later"), outcome.publishedLater},
            {QStringLiteral("left_out_undated"), outcome.undated},
            {QStringLiteral("defaults_cited_later"), assumptionKeys(outcome.defaultsCitedLater)},
            {QStringLiteral("assumptions"), assumptions},
            {QStringLiteral("headlines"), headlines},
            {QStringLiteral("statements"), statements}});
    }
    QJsonArray differing;
    for (econ::AssumptionId id : comparison.differing) {
        QJsonArray values;
        for (const econ::ComparedCase &item : comparison.cases)
            values.append(item.scenario.value(id));
        const econ::Assumption &entry = econ::assumption(id);
        differing.append(QJsonObject{{QStringLiteral("key"), qs(entry.key)},
                                     {QStringLiteral("label"), qs(entry.label)},
                                     {QStringLiteral("unit"), qs(entry.unit)},
                                     {QStringLiteral("values"), values}});
    }
    QJsonArray headlines;
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        QJsonArray values;
        QJsonArray differences;
        const double first = comparison.outcomes.front().headlines[m];
        for (const econ::CaseOutcome &outcome : comparison.outcomes) {
            values.append(outcome.headlines[m]);
            differences.append(outcome.headlines[m] - first);
        }
        headlines.append(QJsonObject{{QStringLiteral("key"), qs(econ::headlineMetricKey(metrics[m]))},
                                     {QStringLiteral("label"), qs(econ::headlineMetricLabel(metrics[m]))},
                                     {QStringLiteral("values"), values},
                                     {QStringLiteral("minus_first"), differences}});
    }
    QJsonArray flipped;
    for (std::size_t s : comparison.flipped) {
        QJsonArray holds;
        for (const econ::CaseOutcome &outcome : comparison.outcomes)
            holds.append(statementJson(outcome.statements[s]));
        const econ::NamedProbability &statement = comparison.outcomes.front().statements[s];
        flipped.append(QJsonObject{{QStringLiteral("key"), qs(statement.key)},
                                   {QStringLiteral("statement"), qs(statement.description)},
                                   {QStringLiteral("holds"), holds}});
    }
    return QJsonObject{{QStringLiteral("view"), qs(econ::economicViewKey(comparison.view))},
                       {QStringLiteral("cases"), cases},
                       {QStringLiteral("differing_assumptions"), differing},
                       {QStringLiteral("headlines"), headlines},
                       {QStringLiteral("flipped"), flipped}};
}

// One row per differing assumption, headline and statement; a column per case.
std::string comparisonCsv(const econ::ScenarioComparison &comparison)
{
    std::vector<std::size_t> numberColumns;
    std::vector<std::string> header{"kind", "key", "label"};
    for (std::size_t c = 0; c < comparison.cases.size(); ++c) {
        header.push_back(comparison.cases[c].name);
        numberColumns.push_back(3 + c);
    }
    std::string text = csv::formatRecord(header);
    const auto row = [&](std::string kind, std::string_view key, std::string_view label,
                         const auto &valueOf) {
        std::vector<std::string> fields{std::move(kind), std::string(key), std::string(label)};
        for (std::size_t c = 0; c < comparison.cases.size(); ++c)
            fields.push_back(valueOf(c));
        text += csv::formatRecord(fields, numberColumns);
    };
    const auto number = [](double value) { return econ::formatDouble(value); };
    row("as_of", "as_of", "Evidence as of", [&](std::size_t c) {
        return comparison.cases[c].asOf; // a date: written as text, never a formula
    });
    for (econ::AssumptionId id : comparison.differing) {
        const econ::Assumption &entry = econ::assumption(id);
        row("assumption", entry.key, entry.label,
            [&](std::size_t c) { return number(comparison.cases[c].scenario.value(id)); });
    }
    const auto metrics = econ::headlineMetrics(comparison.view);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        row("headline", econ::headlineMetricKey(metrics[m]), econ::headlineMetricLabel(metrics[m]),
            [&](std::size_t c) { return number(comparison.outcomes[c].headlines[m]); });
    }
    const std::vector<econ::NamedProbability> &statements = comparison.outcomes.front().statements;
    for (std::size_t s = 0; s < statements.size(); ++s) {
        row("statement", statements[s].key, statements[s].description, [&](std::size_t c) {
            const econ::NamedProbability &statement = comparison.outcomes[c].statements[s];
            return econ::statementKnown(statement) ? number(statement.probability) : std::string();
        });
    }
    return text;
}

} // namespace

int runCompare(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--view"), QStringLiteral("--format"),
                           QStringLiteral("--user-db"), QStringLiteral("--as-of")},
                          {},
                          int(econ::kMaxComparedCases),
                          {}};
    const auto options = parseOptions(args, spec, QStringLiteral("compare"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const auto view = readModelView(*options, QStringLiteral("compare"));
    if (!view)
        return ExitUsage;
    const QString format = options->value(QStringLiteral("--format")).value_or(QStringLiteral("json"));
    if (format != u"json" && format != u"csv") {
        printError(QStringLiteral("unknown format %1 (use json or csv)").arg(quoted(format)));
        return ExitUsage;
    }
    if (options->positional.size() < qsizetype(econ::kMinComparedCases)) {
        printError(QStringLiteral("compare needs %1 to %2 scenarios: files, defaults, story:N or "
                                  "links, each optionally @YYYY-MM-DD")
                       .arg(econ::kMinComparedCases)
                       .arg(econ::kMaxComparedCases));
        return ExitUsage;
    }
    const auto asOf = options->value(QStringLiteral("--as-of"));
    if (asOf) {
        if (Status valid = econ::validateEvidenceDate(asOf->toStdString()); !valid) {
            printError(QStringLiteral("--as-of: %1").arg(QString::fromStdString(valid.error().message)));
            return ExitUsage;
        }
    }
    int exitCode = ExitOk;
    const auto cases = readComparedCases(options->positional, asOf, exitCode);
    if (!cases)
        return exitCode;
    const auto catalog = loadCommandCatalog(userDbPath(*options));
    if (!catalog)
        return ExitFailure;
    const auto comparison =
        econ::compareScenarios(*view, catalog->modelFigures(), *cases, todayIso());
    if (!comparison) {
        printError(QString::fromStdString(comparison.error().toString()));
        return ExitFailure;
    }
    if (format == u"csv")
        writeStdout(QByteArray::fromStdString(comparisonCsv(*comparison)));
    else
        writeStdout(QJsonDocument(comparisonJson(*comparison)).toJson(QJsonDocument::Indented));
    return ExitOk;
}

} // namespace cliff::app
