#pragma once

#include "econ/economic_view.h"
#include "econ/evidence_date.h"
#include "econ/scenario.h"
#include "store/catalog.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace cliff::app {

/// Options of one subcommand after parsing: `--name value` pairs (repeatable ones kept in
/// order), flags, and positional arguments.
struct ParsedOptions {
    std::multimap<QString, QString> values;
    std::set<QString> flags;
    QStringList positional;

    [[nodiscard]] std::optional<QString> value(const QString &name) const;
    [[nodiscard]] QStringList all(const QString &name) const;
    [[nodiscard]] bool has(const QString &flag) const { return flags.count(flag) > 0; }
};

/// What a subcommand accepts: options that take a value, flags, how many positionals, and which
/// of the options with a value may be given more than once (lists such as `--set`).
struct OptionSpec {
    std::set<QString> withValue;
    std::set<QString> flags;
    int maxPositional = 0;
    std::set<QString> repeatable;
};

/// Parses `args` against `spec`; on failure `error` names the offending argument. An option with
/// a value that is not repeatable is refused the second time, so that no value goes unchecked.
std::optional<ParsedOptions> parseOptions(const QStringList &args, const OptionSpec &spec,
                                          const QString &command, QString &error);

/// Exit codes: 0 success, 1 the work failed (bad file, check failed), 2 bad usage.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

/// The user database a command uses: the value of `--user-db` when given, otherwise the
/// platform's default (UserStore::defaultPath, under XDG_DATA_HOME on Linux).
QString userDbPath(const ParsedOptions &options);

/// The embedded figures plus the user's own when their database (`userPath`, empty for the
/// default) exists, read without changing it; prints the error and returns nothing when either
/// store cannot be read.
std::optional<store::Catalog> loadCommandCatalog(const QString &userPath = {});

/// The figures a command's models read: the catalog's model figures, or with `--as-of DATE`
/// only those published by then, with what was left out.
struct CommandFigures {
    store::Catalog catalog;
    std::vector<Figure> figures;
    std::optional<econ::EvidenceAsOf> asOf; ///< set with --as-of
};

/// Loads the catalog (see loadCommandCatalog) and cuts it at `--as-of`, or else at the scenario
/// file's "as_of" (`fileAsOf`, empty for none); prints the error and returns nothing with
/// `exitCode` set to ExitUsage (bad date) or ExitFailure (unreadable store).
std::optional<CommandFigures> loadCommandFigures(const ParsedOptions &options, int &exitCode,
                                                 const std::string &fileAsOf = {});

/// The keys of `ids`, in order.
QJsonArray assumptionKeys(const std::vector<econ::AssumptionId> &ids);

/// The `--view` of a command that runs a view's model (solve, compare): a view with headlines.
/// Prints the error naming `command` and returns nothing when it is missing, unknown or the moat.
std::optional<econ::EconomicView> readModelView(const ParsedOptions &options, const QString &command);

/// Today's date as YYYY-MM-DD: the latest day a figure in hand can have been published.
std::string todayIso();

/// The "as_of" member of a command's JSON: the date and the figures left out, or null.
QJsonValue asOfJson(const std::optional<econ::EvidenceAsOf> &asOf);

/// A scenario given on the command line: `--scenario FILE` applied to the defaults, then each
/// `--set key=value` in order.
struct CommandScenario {
    econ::Scenario scenario;
    QByteArray fileText; ///< the --scenario file's bytes, empty without one
    QString filePath;    ///< the --scenario path, empty without one
    std::string asOf;    ///< the file's "as_of" date, empty without one
};

/// Reads `--scenario` (a regular file of at most econ::kMaxScenarioJsonBytes) and `--set` from
/// `options`; on bad input prints one line and returns nothing, with `exitCode` set to
/// ExitFailure (unreadable or invalid file) or ExitUsage (bad --set).
std::optional<CommandScenario> readCommandScenario(const ParsedOptions &options, int &exitCode);

/// Prints one line to stderr as "compute-cliff: message", with any control character in it
/// escaped, so that the line stays one line and the terminal takes no orders from it.
void printError(const QString &message);

/// `text` from the user or a file as a message shows it (quoteUntrusted): in double quotes,
/// control characters escaped, cut short with its length in bytes when long.
QString quoted(const QString &text);

/// Writes bytes to stdout exactly (no newline translation). A failure is kept for finishStdout,
/// and nothing more is written after one.
void writeStdout(const QByteArray &bytes);

/// The exit status of a command that returned `status`: ExitFailure, with one line on stderr,
/// when some output did not reach stdout (a full disk, a closed descriptor), else `status`.
int finishStdout(int status);

} // namespace cliff::app
