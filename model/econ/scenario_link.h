#pragma once

#include "scenario.h"

#include "core/result.h"

#include <span>
#include <string>
#include <string_view>

namespace cliff::econ {

/// A view and a scenario, as shared in one line of text.
struct ScenarioLink {
    std::string view;
    Scenario scenario;
};

/// "compute-cliff:view=V" followed by "&key=value" for every assumption that differs from its
/// default, in registry order; reads back to the same view and scenario.
std::string formatScenarioLink(std::string_view view, const Scenario &scenario);

/// The view and scenario in `text` (surrounding blanks ignored). Errors name what is wrong: a
/// missing "compute-cliff:" prefix or view, a view not in `views`, an unknown or repeated key, a
/// value that is not a number or is out of range.
Result<ScenarioLink> parseScenarioLink(std::string_view text, std::span<const std::string_view> views);

} // namespace cliff::econ
