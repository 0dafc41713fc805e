#include "command_line.h"
#include "subcommands.h"

#include "ui/main_window.h"

#include "econ/scenario_link.h"
#include "session/session.h"

#include "store/catalog.h"
#include "store/user_store.h"

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace {

const char *const kUsage = R"(Compute Cliff Explorer: the economics of AI compute after DeepSeek.

Usage:
  compute-cliff                                  open the app on the embedded store of figures
  compute-cliff figures [--category C] [--format csv|json] [--user-db FILE]
                                                 print every figure with its source, shipped
                                                 and your own (column origin)
  compute-cliff figures --use ID [--user-db FILE]
                                                 make the models read figure ID (yours or a
                                                 shipped one) where yours and a shipped one
                                                 share a slot
  compute-cliff figures --forget-choice ID [--user-db FILE]
                                                 forget that choice for ID's slot: the models
                                                 read your own figure there again
  compute-cliff figures --delete ID [--user-db FILE]
                                                 delete your figure ID from your database
  compute-cliff import FILE [--valid-only] [--user-db FILE]
                                                 add figures from a CSV in the columns
                                                 'figures' prints to your database; all rows
                                                 or none, or with --valid-only the valid ones
  compute-cliff check-db [FILE]                  check a store file (default: the embedded one)
  compute-cliff bench [--preset P] [--precision fp32|bf16|int8|q4] [--threads N] [--tokens N]
                      [--prompt-tokens N] [--repetitions N] [--simd scalar|avx2+fma|avx512+vnni]
                      [--no-save] [--format md|csv|json|jsonl|sql] [--user-db FILE]
                                                 run the local MoE inference benchmark and
                                                 save the run to your database
  compute-cliff bench --history [--format md|csv|json] [--user-db FILE]
                                                 your saved benchmark runs, newest first
  compute-cliff export --view V --format png|svg|pdf|csv|bundle --out FILE
                       [--chart KEY|all] [--set key=value ...] [--scenario FILE]
                       [--width W --height H --dpi D] [--title T] [--subtitle S]
                       [--byline B] [--notes N] [--no-footnote] [--alt-text]
                       [--monte-carlo N [--seed S]] [--as-of YYYY-MM-DD]
                                                 a chart drawn for print, with its sources
                                                 and changed assumptions under it; with N
                                                 draws, uncertainty bands and a tornado
  compute-cliff model --view V [--set key=value ...] [--scenario FILE] [--format json]
                      [--user-db FILE] [--monte-carlo N [--seed S]] [--tornado]
                      [--as-of YYYY-MM-DD]
                                                 one model's outputs (views: revenue-gap,
                                                 cost-curves, moat, fragility, fiber); with
                                                 quantiles and probabilities over N draws,
                                                 and each assumption's low-to-high swing
  compute-cliff solve --view V --target KEY=VALUE|KEY<VALUE|KEY>VALUE|rank:PARTY>N
                      [--vary KEY[,KEY...]] [--set key=value ...] [--scenario FILE]
                      [--draws N] [--seed S] [--as-of YYYY-MM-DD] [--format json]
                                                 what would it take: the smallest move of
                                                 the assumptions, in units of their cited
                                                 ranges, after which the target holds
  compute-cliff compare --view V CASE CASE [CASE [CASE]] [--as-of YYYY-MM-DD]
                        [--format json|csv]
                                                 scenarios side by side; a CASE is a
                                                 scenario file, defaults, story:N or a
                                                 link, with @YYYY-MM-DD to cut its
                                                 evidence at that date
  compute-cliff story [FILE] [--format json]
                                                 the guided story's steps and questions with
                                                 their answers; with FILE, a story of your
                                                 own, checked line by line
  compute-cliff --open TEXT                     open the app at a scenario link
                                                 (compute-cliff:view=fragility&wacc=0.09...)
  compute-cliff --help | --version

--user-db FILE uses that user database instead of the default one in the app-data folder.
--as-of YYYY-MM-DD runs the models on only the figures published by that date.

Exit status: 0 on success, 1 when the work failed, 2 on bad usage.
)";

const char *const kHeadless = "; the subcommands need no display (compute-cliff --help), and "
                              "QT_QPA_PLATFORM=offscreen runs the app without one";

/// Why the GUI cannot start here, before Qt tries: on Linux it needs an X11 or a Wayland display
/// unless QT_QPA_PLATFORM names a platform of its own (offscreen, vnc, eglfs...).
std::optional<QString> missingDisplay()
{
#ifdef Q_OS_LINUX
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return QStringLiteral("no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)");
#endif
    return std::nullopt;
}

struct HeldMessage {
    QtMsgType type;
    const char *category; // Qt's categories are static strings
    QString text;
};

// The messages Qt gives while the application object is made, held back until it is made.
std::vector<HeldMessage> g_startupMessages;

// A platform plugin that cannot start gives a few warnings and then a fatal message, which
// aborts; here that becomes one line naming the first of them, and exit status 1.
void holdStartupMessage(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (type != QtFatalMsg) {
        g_startupMessages.push_back({type, context.category, text});
        return;
    }
    const QString first = g_startupMessages.empty() ? text : g_startupMessages.front().text;
    cliff::app::printError(QStringLiteral("no display found: the platform plugin did not start (%1)%2")
                               .arg(cliff::app::quoted(first.section(u'\n', 0, 0)), QLatin1String(kHeadless)));
    std::_Exit(cliff::app::ExitFailure);
}

/// The QApplication of the GUI or of an export; when its platform cannot start, the process ends
/// with one line on stderr and exit status 1 instead of Qt's abort. `argc` must outlive it.
std::unique_ptr<QApplication> makeApplication(int &argc, char *argv[])
{
    g_startupMessages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(holdStartupMessage);
    auto app = std::make_unique<QApplication>(argc, argv);
    qInstallMessageHandler(previous);
    for (const HeldMessage &held : g_startupMessages)
        qt_message_output(held.type, QMessageLogContext(nullptr, 0, nullptr, held.category), held.text);
    g_startupMessages.clear();
    return app;
}

void setApplicationIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("compute-cliff"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CLIFF_VERSION));
    QCoreApplication::setOrganizationDomain(QStringLiteral("compute-cliff.org"));
}

int runGui(int argc, char *argv[], const QString &scenarioLink)
{
    if (const auto missing = missingDisplay()) {
        cliff::app::printError(*missing + QLatin1String(kHeadless));
        return cliff::app::ExitFailure;
    }
    const auto app = makeApplication(argc, argv);
    setApplicationIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Compute Cliff Explorer"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/compute-cliff.svg")));

    auto catalog = cliff::store::loadCatalog({}, cliff::store::UserStore::defaultPath());
    if (!catalog) {
        cliff::app::printError(QString::fromStdString(catalog.error().toString()));
        return cliff::app::ExitFailure;
    }
    cliff::ui::MainWindow window(std::move(catalog).value(), cliff::store::UserStore::defaultPath());
    window.restoreSession();
    if (!scenarioLink.isEmpty())
        window.openScenarioLink(scenarioLink);
    window.show();
    return QApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    using Command = std::function<int(const QStringList &)>;
    const std::map<std::string, Command> commands = {
        {"figures", cliff::app::runFigures},
        {"import", cliff::app::runImport},
        {"check-db", cliff::app::runCheckDb},
        {"model", cliff::app::runModel},
        {"solve", cliff::app::runSolve},
        {"compare", cliff::app::runCompare},
        {"story", cliff::app::runStory},
        {"bench", cliff::app::runBench},
    };
    if (argc >= 2) {
        const std::string first = argv[1];
        if (first == "--help" || first == "-h") {
            cliff::app::writeStdout(kUsage);
            return cliff::app::finishStdout(cliff::app::ExitOk);
        }
        if (first == "--version") {
            cliff::app::writeStdout(QByteArrayLiteral("compute-cliff " CLIFF_VERSION "\n"));
            return cliff::app::finishStdout(cliff::app::ExitOk);
        }
        if (first == "--open") {
            // Checked before any window opens, so a bad link fails like any bad option.
            const QString link = argc == 3 ? QString::fromLocal8Bit(argv[2]) : QString();
            auto parsed = cliff::econ::parseScenarioLink(link.toStdString(), cliff::Session::viewKeys());
            if (argc != 3 || !parsed) {
                cliff::app::printError(argc != 3 ? QStringLiteral("--open needs exactly one scenario link")
                                                 : QString::fromStdString(parsed.error().message));
                return cliff::app::ExitUsage;
            }
            return runGui(1, argv, link);
        }
        if (first == "export") {
            // Charts are drawn with Qt's GUI classes, but an export never needs a screen.
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            const auto app = makeApplication(argc, argv);
            setApplicationIdentity();
            return cliff::app::finishStdout(cliff::app::runExport(QCoreApplication::arguments().mid(2)));
        }
        if (const auto command = commands.find(first); command != commands.end()) {
            QCoreApplication app(argc, argv);
            setApplicationIdentity();
            return cliff::app::finishStdout(command->second(QCoreApplication::arguments().mid(2)));
        }
        cliff::app::printError(QStringLiteral("unknown command or option %1 (see --help)")
                                   .arg(cliff::app::quoted(QString::fromLocal8Bit(argv[1]))));
        return cliff::app::ExitUsage;
    }
    return runGui(argc, argv, {});
}
