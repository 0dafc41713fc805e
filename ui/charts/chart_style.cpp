#include "chart_style.h"

#include <array>

namespace cliff::ui {

namespace {

// Okabe & Ito's palette, ordered so that neighbours differ in lightness as well as hue; the
// yellow is darkened on light backgrounds, where the original is too faint. On dark backgrounds
// the sky blue leads and the yellow takes the sixth place, so that no two of the first six (the
// most a chart uses) look alike to colour-blind viewers (test_ui checks it).
constexpr std::array<QRgb, 8> kOnLight{0x0072B2, 0xE69F00, 0x009E73, 0xD55E00,
                                       0xCC79A7, 0x56B4E9, 0x9A8700, 0x444444};
constexpr std::array<QRgb, 8> kOnDark{0x56B4E9, 0xE69F00, 0x009E73, 0xD55E00,
                                      0xCC79A7, 0xF0E442, 0x2E86C1, 0xDDDDDD};

} // namespace

QColor ChartStyle::seriesColour(int index) const
{
    const auto &palette = dark ? kOnDark : kOnLight;
    const auto slot = static_cast<std::size_t>(index < 0 ? 0 : index) % palette.size();
    return QColor::fromRgb(palette[slot]);
}

QColor ChartStyle::foreground() const
{
    if (presentation)
        return dark ? QColor(Qt::white) : QColor(Qt::black);
    return dark ? QColor(0xE8, 0xE8, 0xE8) : QColor(0x20, 0x20, 0x20);
}

QColor ChartStyle::background() const
{
    if (presentation)
        return dark ? QColor(Qt::black) : QColor(Qt::white);
    return dark ? QColor(0x26, 0x28, 0x2B) : QColor(Qt::white);
}

QColor ChartStyle::baseline() const
{
    return dark ? QColor(0x9A, 0x9A, 0x9A) : QColor(0x80, 0x80, 0x80);
}

} // namespace cliff::ui
