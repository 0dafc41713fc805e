#pragma once

#include "assumption_registry.h"

#include "core/result.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cliff::econ {

/// The largest scenario file read, in bytes: a model's whole output fits many times over.
inline constexpr std::int64_t kMaxScenarioJsonBytes = std::int64_t{16} << 20;

/// A value for every assumption in the registry; starts at the defaults and only ever holds
/// values inside each assumption's [min, max].
class Scenario {
public:
    /// The scenario with every assumption at its registry default.
    Scenario();

    /// The current value of `id`, in the assumption's unit.
    [[nodiscard]] double value(AssumptionId id) const
    {
        return m_values[static_cast<std::size_t>(id)];
    }

    /// Sets `id` to `value`; an error naming the key and its range when out of bounds or not
    /// finite, and the scenario is unchanged.
    Status set(AssumptionId id, double value);

    /// Sets the assumption named `key` from its text; errors name the key for an unknown key,
    /// text that is not a number, or a value outside the allowed range.
    Status set(std::string_view key, std::string_view text);

    /// Applies one "key=value" pair (as given to --set).
    Status apply(std::string_view keyEqualsValue);

    /// Applies every number in a JSON object, or in its "assumptions" member when it has one;
    /// other members of the outer object (and a "distributions" object beside flat numbers) are
    /// ignored. Errors name the key (also a key given twice) or the line, column and byte.
    Status applyJson(std::string_view jsonText);

    /// Keys whose value differs from the default, in registry order.
    [[nodiscard]] std::vector<AssumptionId> changed() const;

    bool operator==(const Scenario &) const = default;

private:
    std::array<double, kAssumptionCount> m_values{};
};

/// The scenario built from "key=value" pairs applied in order to the defaults.
Result<Scenario> scenarioFromPairs(const std::vector<std::string> &keyEqualsValue);

/// Shortest text that reads back to `value` ("0.09", "6", "1e+12").
std::string formatDouble(double value);

} // namespace cliff::econ
