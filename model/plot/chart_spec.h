#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cliff::plot {

/// How an axis maps values: linear, or logarithmic for values that span decades.
enum class AxisScale { Linear, Log };

/// What an axis carries: numbers, calendar years (decimal), or named categories.
enum class AxisKind { Value, Year, Category };

/// One axis of a chart; values on it are already in `unit` (e.g. "US$ billions").
struct Axis {
    std::string title;
    std::string unit;
    AxisKind kind = AxisKind::Value;
    AxisScale scale = AxisScale::Linear;
    bool logAllowed = false;             ///< the user may switch this axis to log
    std::vector<std::string> categories; ///< for AxisKind::Category, in display order

    bool operator==(const Axis &) const = default;
};

/// How a series is drawn.
enum class SeriesShape {
    Line,        ///< a curve through the points in order
    Points,      ///< markers only
    Bars,        ///< grouped bars; point x is the category index
    StackedBars, ///< bars stacked per category; point x is the category index
    Band         ///< the area between y (lower) and yHigh (upper)
};

/// Where the numbers of a series come from, which sets its line and marker style.
enum class Evidence {
    Reported,   ///< reported figures: solid lines, filled markers
    Unreported, ///< estimates, projections, guidance and assumptions: dashed lines, hollow markers
    Modelled,   ///< computed by a model from the scenario: solid lines, no markers
    Projected,  ///< computed by a model beyond the last cited year: dashed lines, no markers
    Baseline,   ///< the same model at default assumptions, drawn for comparison: thin and grey
    Simulated,  ///< quantiles or shares across Monte Carlo draws: translucent, no edges
    Compared    ///< the same model in another scenario: its own colour, a dash per scenario
};

/// The most scenarios drawn beside the first one (each with its own dash pattern).
inline constexpr int kMaxComparedScenarios = 3;

/// One plotted value; figureId is set when the point is a stored figure.
struct Point {
    double x = 0.0;
    double y = 0.0;
    std::optional<double> yHigh; ///< upper edge for bands and for figures with a range
    std::string figureId;
    std::string label; ///< what the point is, e.g. "DeepSeek-V3 (final run)"
    bool unreported = false; ///< a bar of an unreported figure in a series of reported ones
    std::string assumptionKey = {}; ///< set on a tornado bar: the assumption whose swing it shows
    bool userOwned = false;  ///< figureId is one of the user's own (imported) figures

    bool operator==(const Point &) const = default;
};

/// A named series of points in one style.
struct Series {
    std::string name;
    SeriesShape shape = SeriesShape::Line;
    Evidence evidence = Evidence::Modelled;
    int colour = 0; ///< index into the colour-blind-safe palette; equal indices, equal colours
    std::vector<Point> points;
    int comparedScenario = 0; ///< for Evidence::Compared: 1 to kMaxComparedScenarios

    bool operator==(const Series &) const = default;
};

/// A marker line across the chart at a fixed x or y (e.g. "strands in 2029").
struct Marker {
    bool vertical = true; ///< at x = value when true, at y = value otherwise
    double value = 0.0;
    std::string label;

    bool operator==(const Marker &) const = default;
};

/// One chart: axes, series and the figures behind it.
struct ChartSpec {
    std::string key;   ///< stable id within the view, e.g. "capex-by-company"
    std::string title;
    Axis x;
    Axis y;
    bool horizontal = false; ///< bars run left to right, categories down the left
    std::vector<Series> series;
    std::vector<Marker> markers;
    std::vector<std::string> figureIds; ///< every stored figure plotted or used, sorted, unique
    std::string note; ///< how to read the chart, drawn under it; may be empty
    /// When set, the axes span these (low, high) values instead of the data's: keeps a chart
    /// still while its years are revealed one by one.
    std::optional<std::pair<double, double>> fixedX;
    std::optional<std::pair<double, double>> fixedY;

    bool operator==(const ChartSpec &) const = default;

    /// Adds a sentence to the note, after a space when there is one already.
    void appendNote(const std::string &sentence) { note += (note.empty() ? "" : " ") + sentence; }

    /// True when the x axis is calendar years, so the chart can be played year by year.
    [[nodiscard]] bool overYears() const { return x.kind == AxisKind::Year; }
};

} // namespace cliff::plot
