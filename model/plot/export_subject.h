#pragma once

#include "view_plot.h"

#include "core/figure.h"
#include "core/result.h"
#include "econ/economic_view.h"
#include "econ/evidence_date.h"
#include "econ/scenario.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::plot {

/// The application's name as printed on exports and in citations.
inline constexpr std::string_view kAppName = "Compute Cliff Explorer";

/// The application's version, e.g. "0.1.0".
std::string_view appVersion();

/// The chart key that selects every chart of a view at once.
inline constexpr std::string_view kAllCharts = "all";

/// What one export shows: a view's plot, the charts chosen from it, the scenario behind it and
/// the figures and sources the charts cite. Plain data, copied, so it outlives its inputs.
struct ExportSubject {
    ViewPlot plot;
    std::vector<std::size_t> charts; ///< indices into plot.charts, in drawing order; never empty
    econ::Scenario scenario;
    std::vector<Figure> figures;
    std::vector<Source> sources;

    /// The i-th chosen chart.
    [[nodiscard]] const ChartSpec &chart(std::size_t i) const { return plot.charts[charts[i]]; }
    /// True when every chart of the view is drawn (`--chart all`).
    [[nodiscard]] bool allCharts() const { return charts.size() > 1; }
    /// The chosen chart's key, or "all".
    [[nodiscard]] std::string chartKey() const;
    /// The view's command-line key, e.g. "revenue-gap".
    [[nodiscard]] std::string viewKey() const;
    /// Sorted, unique ids of every figure the chosen charts plot or use.
    [[nodiscard]] std::vector<std::string> figureIds() const;
    /// The figure with this id, or nullptr.
    [[nodiscard]] const Figure *findFigure(const std::string &id) const;
    /// The source with this id, or nullptr.
    [[nodiscard]] const Source *findSource(const std::string &id) const;
    /// The distinct sources behind figureIds(), in order of first use.
    [[nodiscard]] std::vector<Source> citedSources() const;
    /// A file-name stem for the export: "<view>-<chart>", e.g. "revenue-gap-required-vs-projected".
    [[nodiscard]] std::string fileStem() const;
};

/// False for the zero-height bars that pad a cited series where a category has no figure; true
/// for every value a reader sees.
bool isPlottedValue(const Series &series, const Point &point);

/// The chart a view's headline talks about, drawn when no chart is asked for.
std::string_view leadChartKey(econ::EconomicView view);

/// The keys of the view's charts, in display order.
std::vector<std::string> chartKeys(const ViewPlot &plot);

/// The subject for `chartKey` of `plot`: empty for the lead chart, "all" for every chart, else
/// one chart's key; an error naming the valid keys when there is no such chart.
Result<ExportSubject> makeExportSubject(ViewPlot plot, std::string_view chartKey,
                                        const econ::Scenario &scenario, std::vector<Figure> figures,
                                        std::vector<Source> sources);

/// The default title: the chart's title, or the view's question when every chart is drawn.
std::string defaultTitle(const ExportSubject &subject);

/// The default subtitle: the view's headline sentence for its lead chart or for all charts, the
/// view's question for any other chart.
std::string defaultSubtitle(const ExportSubject &subject);

/// The user's own figures behind the chosen charts, in figureIds() order.
std::vector<const Figure *> userFigures(const ExportSubject &subject);

/// "Your own figures, not from the app's sources: Oracle, 5-year CDS spread, 2025-12; ...",
/// naming every user figure the chosen charts plot or use, or "" when they use none.
std::string userFiguresLine(const ExportSubject &subject);

/// "Sources: " and the publishers of everything plotted (see sourceLine), or, when no cited
/// figure is plotted, a line saying the chart is model output at the stated assumptions;
/// followed by userFiguresLine when the user's own figures are among them.
std::string exportSourceLine(const ExportSubject &subject);

/// `text` with its first letter in lower case, unless it starts an acronym ("AI").
std::string lowerFirst(std::string text);

/// `value` to three significant digits with thousands separators: "10,000", "1.25".
std::string readableNumber(double value);

/// `value` in `unit` as a label says it, rounded to three significant digits: "$790B" for 790 in
/// "US$ billions", "$0.28 per 1M tokens", "42%", "12× base year", "18 months". One style for every
/// label, tooltip and note; CSV files keep the full value instead.
std::string quantityText(double value, std::string_view unit);

/// `value` of `entry` in words with its unit: fractions as percentages ("12% per year"), shares
/// as bare percentages ("30%"; the label names the share), other units after the number
/// ("6 years", "3x per year", "500 bp").
std::string formatAssumptionValue(const econ::Assumption &entry, double value);

/// One entry per assumption the view reads whose value differs from its default, in registry
/// order: "Cost of capital (WACC) 12% per year (default 9% per year)".
std::vector<std::string> changedAssumptionLines(const ExportSubject &subject);

/// True when a chosen chart draws model output, which the view's assumptions change; false when
/// every series is cited figures.
bool plotsModelOutput(const ExportSubject &subject);

/// The footnote drawn under the chart: the evidence date when the figures were cut at one, then
/// "Assumptions changed from the defaults: a; b.", a line
/// saying every assumption is at its default, or one saying the chart plots cited figures only;
/// then the view's Monte Carlo chances when it has them.
std::string assumptionFootnote(const ExportSubject &subject);

/// "Evidence as of 27 January 2025: 335 figures published by then; 644 published later and 10
/// without a publication date left out.", then the defaults of `view`'s assumptions cited from
/// figures published later: "Not yet cited then, though used: the default of recovery rate."
std::string evidenceLine(const econ::EvidenceAsOf &asOf, econ::EconomicView view);

/// "Compute Cliff Explorer <version>".
std::string appLine();

/// One plain-language sentence describing one chart: what it plots, the x range and the y range
/// with units (the accessible description of the chart in the window).
std::string chartSentence(const ChartSpec &chart);

/// One plain-language paragraph describing the chosen charts: what is plotted, the x range, the
/// y range with units, the view's headline number and the user's own figures among them.
std::string altText(const ExportSubject &subject);

} // namespace cliff::plot
