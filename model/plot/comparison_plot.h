#pragma once

#include "view_plot.h"

#include "econ/scenario_comparison.h"

#include <string>
#include <string_view>
#include <vector>

namespace cliff::plot {

/// The dash a compared scenario is drawn with, in words for legends and footnotes: "solid" for
/// the first, then "dashed", "dotted", "dash-dotted".
std::string_view comparedDashName(int comparedScenario);

/// `cases` (2 to 4) of `view` on one set of charts: the first case's plot (its figures cut at its
/// date), with every model line of each other case drawn over it in the same colour and that
/// case's dash, each series named after its case (names should carry their evidence dates); the
/// headline of the first case, and a `comparison` line naming every case with its dash and its
/// changed assumptions (once, when all cases share them).
/// Errors: as econ::compareScenarios, or a plot that cannot be built.
Result<ViewPlot> buildComparisonPlot(econ::EconomicView view, const std::vector<Figure> &figures,
                                     const std::vector<econ::ComparedCase> &cases,
                                     std::string_view today, const ViewPlotOptions &options = {});

} // namespace cliff::plot
