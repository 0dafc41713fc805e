#include "command_line.h"
#include "compared_cases.h"
#include "model_uncertainty.h"
#include "subcommands.h"

#include "ui/export/chart_export.h"

#include "econ/economic_view.h"
#include "econ/scenario.h"
#include "plot/comparison_plot.h"
#include "plot/export_subject.h"
#include "plot/view_plot.h"

#include <QFileInfo>

namespace cliff::app {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString viewList()
{
    QStringList keys;
    for (econ::EconomicView view : econ::economicViews())
        keys << qs(econ::economicViewKey(view));
    return keys.join(u", ");
}

QString formatList()
{
    QStringList keys;
    for (ui::ExportFormat format : ui::exportFormats())
        keys << ui::exportFormatKey(format);
    return keys.join(u'|');
}

/// Reads a whole-number option into `target`; false (error printed) when it is not one.
bool readInteger(const ParsedOptions &options, const QString &name, int &target)
{
    const auto text = options.value(name);
    if (!text)
        return true;
    bool ok = false;
    const int value = text->toInt(&ok);
    if (!ok) {
        printError(QStringLiteral("%1 needs a whole number, not %2").arg(name, quoted(*text)));
        return false;
    }
    target = value;
    return true;
}

} // namespace

int runExport(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--view"), QStringLiteral("--format"), QStringLiteral("--out"),
                           QStringLiteral("--chart"), QStringLiteral("--set"), QStringLiteral("--scenario"),
                           QStringLiteral("--width"), QStringLiteral("--height"), QStringLiteral("--dpi"),
                           QStringLiteral("--title"), QStringLiteral("--subtitle"),
                           QStringLiteral("--byline"), QStringLiteral("--notes"),
                           QStringLiteral("--user-db"), QStringLiteral("--monte-carlo"),
                           QStringLiteral("--seed"), QStringLiteral("--as-of")},
                          {QStringLiteral("--alt-text"), QStringLiteral("--no-footnote"),
                           QStringLiteral("--compare")},
                          int(econ::kMaxComparedCases),
                          {QStringLiteral("--set")}};
    const auto options = parseOptions(args, spec, QStringLiteral("export"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const auto viewKey = options->value(QStringLiteral("--view"));
    if (!viewKey) {
        printError(QStringLiteral("export needs --view (one of: %1)").arg(viewList()));
        return ExitUsage;
    }
    const auto view = econ::findEconomicView(viewKey->toStdString());
    if (!view) {
        printError(QStringLiteral("unknown view %1 (one of: %2)").arg(quoted(*viewKey), viewList()));
        return ExitUsage;
    }
    const auto out = options->value(QStringLiteral("--out"));
    if (!out || out->isEmpty()) {
        printError(QStringLiteral("export needs --out FILE"));
        return ExitUsage;
    }

    ui::ExportOptions exportOptions;
    if (const auto format = options->value(QStringLiteral("--format"))) {
        const auto found = ui::findExportFormat(*format);
        if (!found) {
            printError(QStringLiteral("unknown format %1 (use %2)").arg(quoted(*format), formatList()));
            return ExitUsage;
        }
        exportOptions.format = *found;
    } else if (const auto implied = ui::formatForFileName(*out)) {
        exportOptions.format = *implied;
    } else {
        printError(QStringLiteral("export needs --format %1 (the name %2 does not say)").arg(formatList(), quoted(*out)));
        return ExitUsage;
    }
    if (!readInteger(*options, QStringLiteral("--width"), exportOptions.widthPx)
        || !readInteger(*options, QStringLiteral("--height"), exportOptions.heightPx)
        || !readInteger(*options, QStringLiteral("--dpi"), exportOptions.dpi))
        return ExitUsage;
    if (auto valid = ui::validateExportOptions(exportOptions); !valid) {
        printError(QStringLiteral("--%1").arg(QString::fromStdString(valid.error().toString())));
        return ExitUsage;
    }
    exportOptions.title = options->value(QStringLiteral("--title")).value_or(QString());
    exportOptions.subtitle = options->value(QStringLiteral("--subtitle")).value_or(QString());
    exportOptions.byline = options->value(QStringLiteral("--byline")).value_or(QString());
    exportOptions.notes = options->value(QStringLiteral("--notes")).value_or(QString());
    exportOptions.drawFootnote = !options->has(QStringLiteral("--no-footnote"));

    const auto uncertainty = parseUncertaintyOptions(*options, *view);
    if (!uncertainty)
        return ExitUsage;

    const bool comparing = options->has(QStringLiteral("--compare"));
    if (comparing != !options->positional.isEmpty()) {
        printError(comparing ? QStringLiteral("--compare needs 2 to 4 scenarios after it")
                             : QStringLiteral("unexpected argument %1 (scenarios to compare follow --compare)")
                                   .arg(quoted(options->positional.front())));
        return ExitUsage;
    }
    if (comparing && (options->value(QStringLiteral("--scenario")) || !options->all(QStringLiteral("--set")).isEmpty()
                      || options->value(QStringLiteral("--monte-carlo")))) {
        printError(QStringLiteral("--compare takes each scenario as an argument, without --scenario, --set "
                                  "or --monte-carlo"));
        return ExitUsage;
    }
    int exitCode = ExitOk;
    std::optional<std::vector<econ::ComparedCase>> cases;
    if (comparing) {
        if (options->positional.size() < qsizetype(econ::kMinComparedCases)) {
            printError(QStringLiteral("--compare needs 2 to 4 scenarios after it"));
            return ExitUsage;
        }
        cases = readComparedCases(options->positional, options->value(QStringLiteral("--as-of")), exitCode);
        if (!cases)
            return exitCode;
    }
    const auto given = readCommandScenario(*options, exitCode);
    if (!given)
        return exitCode;
    const econ::Scenario &scenario = given->scenario;

    auto loaded = loadCommandFigures(*options, exitCode, given->asOf);
    if (!loaded)
        return exitCode;
    const store::Catalog *catalog = &loaded->catalog;
    // Compared cases cut the figures each at its own date; citations may come from any of them.
    std::vector<Figure> figures = cases ? loaded->catalog.modelFigures() : std::move(loaded->figures);
    std::optional<plot::ViewUncertainty> bands;
    if (uncertainty->draws) {
        const auto distributions = commandDistributions(figures, scenario, *given);
        if (!distributions)
            return ExitFailure;
        econ::MonteCarloOptions monteCarlo;
        monteCarlo.draws = *uncertainty->draws;
        monteCarlo.seed = uncertainty->seed;
        auto computed = plot::computeViewUncertainty(*view, figures, scenario, *distributions, monteCarlo);
        if (!computed) {
            printError(QString::fromStdString(computed.error().toString()));
            return ExitFailure;
        }
        bands = std::move(*computed);
    }
    auto plot = cases ? plot::buildComparisonPlot(*view, figures, *cases,
                                                  todayIso(), {false, std::nullopt, bands ? &*bands : nullptr})
                      : plot::buildViewPlot(*view, figures, scenario,
                                            {false, std::nullopt, bands ? &*bands : nullptr});
    if (!plot) {
        printError(QString::fromStdString(plot.error().toString()));
        return ExitFailure;
    }
    if (loaded->asOf && !cases) // compared cases carry their dates in the comparison line
        plot->evidence = plot::evidenceLine(*loaded->asOf, *view);
    const std::string chartKey = options->value(QStringLiteral("--chart")).value_or(QString()).toStdString();
    auto subject = plot::makeExportSubject(std::move(plot).value(), chartKey, scenario, std::move(figures),
                                           catalog->figures.sources);
    if (!subject) {
        printError(QString::fromStdString(subject.error().message));
        return ExitUsage;
    }
    if (!options->value(QStringLiteral("--height")))
        exportOptions.heightPx = ui::defaultHeightPx(subject->charts.size()); // stacked charts need room
    if (auto valid = ui::validateExportOptions(exportOptions); !valid) {
        printError(QStringLiteral("--%1").arg(QString::fromStdString(valid.error().toString())));
        return ExitUsage;
    }
    if (exportOptions.format == ui::ExportFormat::Bundle) {
        auto hash = ui::fileSha256(catalog->shippedPath);
        if (!hash) {
            printError(QString::fromStdString(hash.error().toString()));
            return ExitFailure;
        }
        exportOptions.storeSha256 = *hash;
    }
    if (auto written = ui::exportToFile(*subject, exportOptions, *out, options->has(QStringLiteral("--alt-text")));
        !written) {
        printError(QString::fromStdString(written.error().toString()));
        return ExitFailure;
    }
    if (const int height = ui::withRoomForCharts(*subject, exportOptions).heightPx; height > exportOptions.heightPx)
        printError(QStringLiteral("note: the page is %1 px tall instead of %2 so that each of its %3 charts has room")
                      .arg(height)
                      .arg(exportOptions.heightPx)
                      .arg(subject->charts.size()));
    return ExitOk;
}

} // namespace cliff::app
