#pragma once

#include <QColor>

namespace cliff::ui {

/// How charts are drawn: on a light or dark background, and for a screen or a projector.
struct ChartStyle {
    bool dark = false;
    bool presentation = false; ///< large type, thick lines, high contrast
    /// A horizontal bar chart writes each category's name above its bar, not in a column beside
    /// the bars: on a phone-width page that column would leave the bars no room.
    bool labelsAboveBars = false;

    /// Series colour `index` from a palette colour-blind viewers can tell apart (Okabe-Ito),
    /// adjusted for the background.
    [[nodiscard]] QColor seriesColour(int index) const;
    /// Text and axis colour.
    [[nodiscard]] QColor foreground() const;
    /// Chart background.
    [[nodiscard]] QColor background() const;
    /// Grey for lines drawn at default assumptions.
    [[nodiscard]] QColor baseline() const;
    /// Line width in pixels for model lines.
    [[nodiscard]] qreal lineWidth() const { return presentation ? 4.0 : 2.0; }
    /// Point size of axis labels and legend text.
    /// 18 pt is 24 px at 96 dpi: chart text readable from the back of a classroom.
    [[nodiscard]] int fontPointSize() const { return presentation ? 18 : 9; }
    /// Diameter of scatter markers in pixels.
    [[nodiscard]] qreal markerSize() const { return presentation ? 14.0 : 9.0; }

    bool operator==(const ChartStyle &) const = default;
};

} // namespace cliff::ui
