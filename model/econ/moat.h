#pragma once

#include "scenario.h"

#include "core/figure.h"
#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// One cited leaderboard number placed in time.
struct MoatPoint {
    std::string figureId;
    std::string entity;
    std::string metric;
    double year = 0.0; ///< middle of the period, decimal years
    double value = 0.0; ///< in `unit`
    std::optional<double> low;
    std::optional<double> high;
    std::string unit;
    bool fedFit = false; ///< a measurement the gap trend was fitted through
};

/// Output of the moat model (view 3).
struct MoatResult {
    std::vector<MoatPoint> top10Share;    ///< Chinese (or open) models in a top 10, as % of it
    std::vector<MoatPoint> downloadShare; ///< download-share figures, %
    std::vector<MoatPoint> gapMonths;     ///< open-vs-closed gap, months (measured or not)
    std::vector<MoatPoint> topScore;      ///< Arena score of the best model overall, points
    std::vector<MoatPoint> topOpenScore;  ///< Arena score of the best open-weights model
    std::vector<MoatPoint> other;         ///< every other leaderboard figure
    int gapPointsFitted = 0;              ///< measurements the trend was fitted through
    bool gapTrendFitted = false;
    double gapTrendMonthsPerYear = 0.0;   ///< least-squares slope of the gap, months per year
    double gapTrendInterceptMonths = 0.0; ///< fitted gap at gapTrendReferenceYear
    double gapTrendReferenceYear = 0.0;
    std::optional<double> gapClosesYear;  ///< where the fitted gap reaches zero, if it shrinks
    std::vector<std::string> notes;
};

/// Leaderboard share, download share and open-vs-closed gap series from the figures.
Result<MoatResult> computeMoat(const std::vector<Figure> &figures, const Scenario &scenario);

/// The method of the moat model, in plain words, for the UI.
std::string_view moatMethod();

} // namespace cliff::econ
