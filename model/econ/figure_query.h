#pragma once

#include "core/figure.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// True when `text` starts with `prefix` (case-sensitive).
bool startsWith(std::string_view text, std::string_view prefix);

/// True when `text` contains `word`, ignoring ASCII case.
bool containsNoCase(std::string_view text, std::string_view word);

/// The calendar year a figure's period lies in, when it spans at most one calendar year and is
/// not a fiscal year; nothing otherwise.
std::optional<int> calendarYear(const Figure &figure);

/// The middle of a figure's period in decimal years (2025-07 is about 2025.54); nothing when
/// the period does not parse.
std::optional<double> periodMidYear(const Figure &figure);

/// The start of a figure's period in decimal years; nothing when it does not parse.
std::optional<double> periodStartYear(const Figure &figure);

/// True for a figure that measures something (kind reported or estimate); beliefs, plans,
/// projections and assumptions are not evidence a model fits or reads a level from.
bool isMeasurement(const Figure &figure);

/// Pointers to the figures that satisfy `keep`, in input order.
std::vector<const Figure *> selectFigures(const std::vector<Figure> &figures,
                                          const std::function<bool(const Figure &)> &keep);

/// The figure with the latest period start among `candidates` (the later one in input order on
/// ties), or nullptr when there is none or no period parses.
const Figure *latestFigure(const std::vector<const Figure *> &candidates);

} // namespace cliff::econ
