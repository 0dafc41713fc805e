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

#include <cstring>
#include <functional>
#include <map>
#include <memory>

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
  compute-cliff bench [--preset P] [--precision fp32|int8] [--threads N] [--tokens N]
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
                       [--monte-carlo N [--seed S]]
                                                 a chart drawn for print, with its sources
                                                 and changed assumptions under it; with N
                                                 draws, uncertainty bands and a tornado
  compute-cliff model --view V [--set key=value ...] [--scenario FILE] [--format json]
                      [--user-db FILE] [--monte-carlo N [--seed S]] [--tornado]
                                                 one model's outputs (views: revenue-gap,
                                                 cost-curves, moat, fragility, fiber); with
                                                 quantiles and probabilities over N draws,
                                                 and each assumption's low-to-high swing
  compute-cliff --open TEXT                     open the app at a scenario link
                                                 (compute-cliff:view=fragility&wacc=0.09...)
  compute-cliff --help | --version

--user-db FILE uses that user database instead of the default one in the app-data folder.

Exit status: 0 on success, 1 when the work failed, 2 on bad usage.
)";

void setApplicationIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("compute-cliff"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CLIFF_VERSION));
    QCoreApplication::setOrganizationDomain(QStringLiteral("compute-cliff.org"));
}

int runGui(int argc, char *argv[], const QString &scenarioLink)
{
    QApplication app(argc, argv);
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
            QApplication app(argc, argv);
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
