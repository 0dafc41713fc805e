#pragma once

#include "core/figure.h"

#include <string>
#include <vector>

namespace cliff::store {

/// What a figure is a number for: its category, entity, metric and period. A user figure and a
/// shipped one for the same slot are rivals, and the user picks which the models read.
struct FigureSlot {
    std::string category;
    std::string entity;
    std::string metric;
    std::string period;

    /// The slot `figure` fills.
    static FigureSlot of(const Figure &figure);

    auto operator<=>(const FigureSlot &) const = default;
};

/// The figure the user chose for a slot (a shipped or a user figure id).
struct FigureChoice {
    FigureSlot slot;
    std::string figureId;

    bool operator==(const FigureChoice &) const = default;
};

/// The figures the models read, in input order: in a slot holding both shipped and user figures
/// only the chosen figure is kept when a choice names one of them, and otherwise only the
/// user's; slots with figures of one origin are kept whole (disagreeing sources stay).
std::vector<Figure> applyChoices(const std::vector<Figure> &figures,
                                 const std::vector<FigureChoice> &choices);

} // namespace cliff::store
