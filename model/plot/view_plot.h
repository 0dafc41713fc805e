#pragma once

#include "chart_spec.h"
#include "uncertainty_plot.h"

#include "core/figure.h"
#include "core/result.h"
#include "econ/economic_view.h"
#include "econ/scenario.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::plot {

/// This machine's measured inference cost, drawn beside the API prices in the cost-curves view.
struct MachineCost {
    std::string label;              ///< e.g. "This machine: olmoe-1b-7b int8"
    double year = 0.0;              ///< decimal year of the run
    double inputUsdPerMTok = 0.0;   ///< US dollars per million prompt tokens (prefill)
    double outputUsdPerMTok = 0.0;  ///< US dollars per million generated tokens (decode)

    bool operator==(const MachineCost &) const = default;
};

/// What to draw besides the current scenario.
struct ViewPlotOptions {
    bool compareWithDefaults = false; ///< also draw the model lines at default assumptions
    std::optional<MachineCost> machineCost;
    /// Bands, chances and the tornado to add (see addUncertainty); of the same view, or null.
    const ViewUncertainty *uncertainty = nullptr;
};

/// Everything one economic view shows: its question, headline and charts.
struct ViewPlot {
    econ::EconomicView view = econ::EconomicView::RevenueGap;
    std::string question; ///< the question the view answers
    std::string headline; ///< one sentence with the view's headline numbers
    std::vector<ChartSpec> charts;
    std::vector<std::string> notes; ///< fallbacks the model took, in plain words
    std::string chances;  ///< the view's chances across Monte Carlo draws; empty without them
    int draws = 0;        ///< the Monte Carlo draws behind bands and chances; 0 when none
    std::uint64_t seed = 0; ///< their seed
    /// "Evidence as of ...": the date the figures were cut at and what was left out (see
    /// evidenceLine in export_subject.h); empty when every figure is used.
    std::string evidence;
    /// "Scenarios compared: ..." when other scenarios are drawn over this one (see
    /// buildComparisonPlot); empty otherwise.
    std::string comparison;
};

/// The charts of `view` for `scenario`, from the model's output; an error when the model fails.
Result<ViewPlot> buildViewPlot(econ::EconomicView view, const std::vector<Figure> &figures,
                               const econ::Scenario &scenario, const ViewPlotOptions &options = {});

/// The question a view answers, e.g. "Does the build-out pay back?".
std::string_view viewQuestion(econ::EconomicView view);

/// How the view's model works, in plain words (the model's Method text).
std::string_view viewMethod(econ::EconomicView view);

/// "Sources: " followed by the distinct publishers of the sources behind `figureIds`, in order of
/// first use, then "Figures as of" the newest publication date among them; an empty string when
/// no figure is cited.
std::string sourceLine(const std::vector<std::string> &figureIds, const std::vector<Figure> &figures,
                       const std::vector<Source> &sources);

/// "20 September 2026" for 2026-09-20, "September 2026" for 2026-09, the text itself otherwise.
std::string readableDate(const std::string &isoDate);

/// US dollars in the shortest readable form: "$1.99T", "$708B", "$5.58M", "$0.55"; three significant digits.
std::string formatUsd(double usd);

} // namespace cliff::plot
