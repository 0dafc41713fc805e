#pragma once

#include "chart_style.h"

#include "plot/chart_spec.h"

#include <optional>
#include <utility>

class QAbstractSeries;
class QChart;

namespace cliff::ui {

/// The property on every drawn Qt series holding the index of the spec series it shows, or -1
/// for marker lines.
inline constexpr const char *kSpecSeriesProperty = "cliffSpecSeries";
/// Marks the ring drawn around a series' user figures; the chart's note explains it, not the legend.
inline constexpr const char *kUserRingProperty = "cliffUserRing";

/// Draws `spec` into `chart` from scratch: series, axes with units, legend and styles; the y axis
/// uses `yScale`. Points that a log axis cannot show (zero or negative) are left out.
void buildChart(QChart &chart, const plot::ChartSpec &spec, const ChartStyle &style,
                plot::AxisScale yScale);

/// Replaces the data of a chart built from `previous` with that of `spec` when both have the same
/// series, categories and markers, and rescales the axes; false (chart untouched) otherwise.
bool updateChart(QChart &chart, const plot::ChartSpec &previous, const plot::ChartSpec &spec,
                 plot::AxisScale yScale);

/// The (low, high) x and y values of the data in `spec`, with stacked bars summed and values a
/// log axis cannot show left out; nothing when there is no data.
std::optional<std::pair<std::pair<double, double>, std::pair<double, double>>>
dataExtent(const plot::ChartSpec &spec, plot::AxisScale yScale);

/// The axis title with its unit, e.g. "Annual revenue (US$ billions)".
QString axisTitle(const plot::Axis &axis);

} // namespace cliff::ui
