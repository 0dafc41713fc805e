#pragma once

// Figures built by hand for the model tests, so a test names exactly the rows it rests on.

#include "core/figure.h"

#include <string>

namespace cliff::testing {

/// A figure with the fields the models read; everything else left empty.
inline Figure makeFigure(const std::string &id, const std::string &category,
                         const std::string &entity, const std::string &metric, double value,
                         const std::string &unit, const std::string &period,
                         const std::string &kind = "reported")
{
    Figure figure;
    figure.id = id;
    figure.category = category;
    figure.entity = entity;
    figure.metric = metric;
    figure.value = value;
    figure.unit = unit;
    figure.period = period;
    figure.kind = kind;
    return figure;
}

} // namespace cliff::testing
