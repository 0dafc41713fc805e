#pragma once

#include <QList>
#include <QString>

namespace cliff::ui {

/// The range and tick positions of one linear axis, chosen from the data shown and nothing else.
struct AxisTicks {
    double low = 0.0;
    double high = 1.0;
    double step = 1.0;    ///< distance between ticks; every tick is a multiple of it
    int decimals = 0;     ///< digits after the point that the step needs
    QList<double> values; ///< tick positions from low to high, each within [low, high]
};

/// Ticks for a value axis covering [dataLow, dataHigh]: a step of 1, 2, 2.5 or 5 times a power of
/// ten giving at most `maxIntervals` intervals, with the range widened to whole steps.
AxisTicks valueTicks(double dataLow, double dataHigh, int maxIntervals = 6);

/// Ticks for a calendar-year axis: the range runs from the first to the last whole year of the
/// data (two years at least) and ticks fall on multiples of 1, 2, 5, 10 or 20 years.
AxisTicks yearTicks(double firstYear, double lastYear);

/// A tick label: `decimals` digits after the point and a comma between thousands ("4,000,000");
/// never exponent notation, never "-0".
QString tickLabel(double value, int decimals);

/// A year label, without a thousands separator ("2030").
QString yearLabel(double year);

} // namespace cliff::ui
