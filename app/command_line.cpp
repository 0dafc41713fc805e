#include "command_line.h"

#include "core/untrusted_text.h"
#include "econ/headline_metric.h"
#include "store/file_checks.h"
#include "store/user_store.h"

#include <QDate>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include <unistd.h>

namespace cliff::app {

std::optional<QString> ParsedOptions::value(const QString &name) const
{
    const auto it = values.find(name);
    if (it == values.end())
        return std::nullopt;
    return it->second;
}

QStringList ParsedOptions::all(const QString &name) const
{
    QStringList found;
    const auto [first, last] = values.equal_range(name);
    for (auto it = first; it != last; ++it)
        found << it->second;
    return found;
}

std::optional<ParsedOptions> parseOptions(const QStringList &args, const OptionSpec &spec,
                                          const QString &command, QString &error)
{
    ParsedOptions parsed;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString arg = args.at(i);
        if (!arg.startsWith(u'-') || arg == u'-') {
            if (parsed.positional.size() >= spec.maxPositional) {
                error = QStringLiteral("unexpected argument %1 for '%2'").arg(quoted(arg), command);
                return std::nullopt;
            }
            parsed.positional << arg;
            continue;
        }
        QString inlineValue;
        bool hasInlineValue = false;
        if (const qsizetype eq = arg.indexOf(u'='); arg.startsWith(u"--") && eq > 0) {
            inlineValue = arg.mid(eq + 1);
            arg = arg.left(eq);
            hasInlineValue = true;
        }
        if (spec.flags.count(arg)) {
            if (hasInlineValue) {
                error = QStringLiteral("option '%1' takes no value").arg(arg);
                return std::nullopt;
            }
            parsed.flags.insert(arg);
        } else if (spec.withValue.count(arg)) {
            if (!hasInlineValue) {
                if (i + 1 >= args.size()) {
                    error = QStringLiteral("option '%1' needs a value").arg(arg);
                    return std::nullopt;
                }
                inlineValue = args.at(++i);
            }
            if (parsed.values.count(arg) && !spec.repeatable.count(arg)) {
                error = QStringLiteral("option '%1' is given more than once (it takes one value)").arg(arg);
                return std::nullopt;
            }
            parsed.values.emplace(arg, inlineValue);
        } else {
            error = QStringLiteral("unknown option %1 for '%2' (see --help)").arg(quoted(arg), command);
            return std::nullopt;
        }
    }
    return parsed;
}

QString userDbPath(const ParsedOptions &options)
{
    return options.value(QStringLiteral("--user-db")).value_or(store::UserStore::defaultPath());
}

std::optional<store::Catalog> loadCommandCatalog(const QString &userPathOrDefault)
{
    // Read-only commands never create the user database, so it is opened only when it exists.
    const QString userPath = userPathOrDefault.isEmpty() ? store::UserStore::defaultPath()
                                                         : userPathOrDefault;
    auto catalog = store::loadCatalog({}, QFileInfo::exists(userPath) ? userPath : QString());
    if (!catalog) {
        printError(QString::fromStdString(catalog.error().toString()));
        return std::nullopt;
    }
    // Listing or charting without the user's figures would pass for a complete answer.
    if (catalog->userStoreProblem) {
        printError(QString::fromStdString(catalog->userStoreProblem->toString()));
        return std::nullopt;
    }
    return std::move(catalog).value();
}

std::optional<CommandFigures> loadCommandFigures(const ParsedOptions &options, int &exitCode,
                                                 const std::string &fileAsOf)
{
    auto date = options.value(QStringLiteral("--as-of"));
    if (!date && !fileAsOf.empty())
        date = QString::fromStdString(fileAsOf);
    if (date) {
        if (Status valid = econ::validateEvidenceDate(date->toStdString()); !valid) {
            printError(QStringLiteral("--as-of: %1").arg(QString::fromStdString(valid.error().message)));
            exitCode = ExitUsage;
            return std::nullopt;
        }
    }
    auto catalog = loadCommandCatalog(userDbPath(options));
    if (!catalog) {
        exitCode = ExitFailure;
        return std::nullopt;
    }
    CommandFigures loaded{std::move(*catalog), {}, std::nullopt};
    loaded.figures = loaded.catalog.modelFigures();
    if (date) {
        auto asOf = econ::evidenceAsOf(loaded.figures, date->toStdString(), todayIso());
        if (!asOf) { // only today's date can be wrong here: a clock outside 1990-2099
            printError(QString::fromStdString(asOf.error().toString()));
            exitCode = ExitFailure;
            return std::nullopt;
        }
        loaded.figures = asOf->figures;
        loaded.asOf = std::move(*asOf);
    }
    return loaded;
}

QJsonArray assumptionKeys(const std::vector<econ::AssumptionId> &ids)
{
    QJsonArray keys;
    for (econ::AssumptionId id : ids) {
        const std::string_view key = econ::assumption(id).key;
        keys.append(QString::fromUtf8(key.data(), qsizetype(key.size())));
    }
    return keys;
}

std::optional<econ::EconomicView> readModelView(const ParsedOptions &options, const QString &command)
{
    const auto key = options.value(QStringLiteral("--view"));
    const auto view = key ? econ::findEconomicView(key->toStdString()) : std::nullopt;
    if (view && !econ::headlineMetrics(*view).empty())
        return view;
    printError(QStringLiteral("%1 needs --view with a model (revenue-gap, cost-curves, fragility, fiber)%2")
                   .arg(command, key ? QStringLiteral(", not %1").arg(quoted(*key)) : QString()));
    return std::nullopt;
}

std::string todayIso()
{
    return QDate::currentDate().toString(Qt::ISODate).toStdString();
}

QJsonValue asOfJson(const std::optional<econ::EvidenceAsOf> &asOf)
{
    if (!asOf)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{{QStringLiteral("date"), QString::fromStdString(asOf->date)},
                       {QStringLiteral("figures_used"), qsizetype(asOf->figures.size())},
                       {QStringLiteral("left_out_published_later"), asOf->publishedLater},
                       {QStringLiteral("left_out_undated"), asOf->undated},
                       {QStringLiteral("defaults_cited_later"), assumptionKeys(asOf->defaultsCitedLater)}};
}

std::optional<CommandScenario> readCommandScenario(const ParsedOptions &options, int &exitCode)
{
    CommandScenario given;
    if (const auto path = options.value(QStringLiteral("--scenario"))) {
        auto read = store::readSmallFile(*path, econ::kMaxScenarioJsonBytes);
        if (!read) {
            printError(QString::fromStdString(read.error().toString()));
            exitCode = ExitFailure;
            return std::nullopt;
        }
        given.filePath = *path;
        given.fileText = std::move(read).value();
        const QByteArray &text = given.fileText;
        if (auto status = given.scenario.applyJson(std::string_view(text.constData(), size_t(text.size())));
            !status) {
            Error located = status.error();
            located.file = path->toStdString();
            printError(QString::fromStdString(located.toString()));
            exitCode = ExitFailure;
            return std::nullopt;
        }
        auto asOf = econ::scenarioEvidenceDate(std::string_view(text.constData(), size_t(text.size())));
        if (!asOf) {
            Error located = asOf.error();
            located.file = path->toStdString();
            printError(QString::fromStdString(located.toString()));
            exitCode = ExitFailure;
            return std::nullopt;
        }
        given.asOf = *asOf;
    }
    for (const QString &pair : options.all(QStringLiteral("--set"))) {
        if (auto status = given.scenario.apply(pair.toStdString()); !status) {
            printError(QStringLiteral("--set: %1").arg(QString::fromStdString(status.error().toString())));
            exitCode = ExitUsage;
            return std::nullopt;
        }
    }
    return given;
}

void printError(const QString &message)
{
    const QByteArray text = message.toUtf8();
    std::fprintf(stderr, "compute-cliff: %s\n",
                 escapeControls(std::string_view(text.constData(), std::size_t(text.size()))).c_str());
}

QString quoted(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    return QString::fromStdString(quoteUntrusted(std::string_view(bytes.constData(), std::size_t(bytes.size()))));
}

namespace {

// The first error writing to stdout (an errno value), 0 while there is none. Output goes
// straight to the descriptor, so that the error is seen by the write that meets it.
int g_stdoutError = 0;

} // namespace

void writeStdout(const QByteArray &bytes)
{
    const char *data = bytes.constData();
    std::size_t left = std::size_t(bytes.size());
    while (left > 0 && g_stdoutError == 0) {
        const ssize_t written = ::write(STDOUT_FILENO, data, left);
        if (written < 0 && errno != EINTR)
            g_stdoutError = errno;
        if (written == 0)
            g_stdoutError = EIO; // a descriptor that takes nothing would loop forever
        if (written > 0) {
            data += written;
            left -= std::size_t(written);
        }
    }
}

int finishStdout(int status)
{
    if (g_stdoutError == 0)
        return status;
    printError(QStringLiteral("cannot write to standard output: %1")
                   .arg(QString::fromStdString(std::generic_category().message(g_stdoutError))));
    return status == ExitOk ? ExitFailure : status;
}

} // namespace cliff::app
