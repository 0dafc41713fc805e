#include "axis_ticks.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace cliff::ui {

namespace {

/// Tick positions at multiples of `step` inside [low, high], snapped to the step so that
/// rounding noise never prints as "0.30000000000000004".
QList<double> ticksWithin(double low, double high, double step)
{
    QList<double> values;
    const double first = std::ceil(low / step - 1e-9);
    const double last = std::floor(high / step + 1e-9);
    for (double k = first; k <= last; k += 1.0)
        values.append(k * step);
    return values;
}

} // namespace

AxisTicks valueTicks(double dataLow, double dataHigh, int maxIntervals)
{
    AxisTicks ticks;
    if (!std::isfinite(dataLow) || !std::isfinite(dataHigh))
        return ticks;
    if (dataHigh < dataLow)
        std::swap(dataLow, dataHigh);
    if (dataHigh - dataLow <= 0.0) {
        const double pad = dataLow == 0.0 ? 1.0 : std::abs(dataLow) * 0.1;
        dataLow -= pad;
        dataHigh += pad;
    }
    maxIntervals = std::max(maxIntervals, 1);
    const double rough = (dataHigh - dataLow) / maxIntervals;
    double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    for (int attempt = 0; attempt < 3; ++attempt, magnitude *= 10.0) {
        for (double mantissa : {1.0, 2.0, 2.5, 5.0}) {
            const double step = mantissa * magnitude;
            const double low = std::floor(dataLow / step + 1e-9) * step;
            const double high = std::ceil(dataHigh / step - 1e-9) * step;
            if ((high - low) / step > maxIntervals + 1e-9)
                continue;
            ticks.low = low;
            ticks.high = high;
            ticks.step = step;
            const int places = -int(std::floor(std::log10(step) + 1e-9));
            ticks.decimals = std::max(0, places + (mantissa == 2.5 ? 1 : 0));
            ticks.values = ticksWithin(low, high, step);
            return ticks;
        }
    }
    return ticks;
}

AxisTicks yearTicks(double firstYear, double lastYear)
{
    AxisTicks ticks;
    double low = std::floor(firstYear);
    double high = std::ceil(lastYear);
    if (high - low < 2.0) {
        low -= 1.0;
        high += 1.0;
    }
    double step = 20.0;
    for (double candidate : {1.0, 2.0, 5.0, 10.0}) {
        if ((high - low) / candidate <= 8.0) {
            step = candidate;
            break;
        }
    }
    ticks.low = low;
    ticks.high = high;
    ticks.step = step;
    ticks.values = ticksWithin(low, high, step);
    return ticks;
}

QString tickLabel(double value, int decimals)
{
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    const double scale = std::pow(10.0, decimals);
    double rounded = std::round(value * scale) / scale;
    if (rounded == 0.0)
        rounded = 0.0; // no "-0"
    return english.toString(rounded, 'f', decimals);
}

QString yearLabel(double year)
{
    return QString::number(std::llround(year));
}

} // namespace cliff::ui
