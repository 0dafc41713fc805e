#pragma once

#include "assumption_registry.h"
#include "distribution.h"

#include "core/result.h"

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace cliff::econ {

class Scenario;

/// A distribution for every assumption in the registry, parallel to Scenario; starts with every
/// assumption fixed at its registry default and only ever holds valid distributions.
class Distributions {
public:
    /// Every assumption fixed at its registry default.
    Distributions();

    /// The distribution of `id`.
    [[nodiscard]] const Distribution &get(AssumptionId id) const
    {
        return m_items[static_cast<std::size_t>(id)];
    }

    /// Sets `id`'s distribution after validateDistribution(); unchanged on error. A log-normal's
    /// truncation is set to the assumption's range.
    Status set(AssumptionId id, Distribution distribution);

    /// Applies the "distributions" member of a scenario JSON document, whose members, keyed by
    /// assumption, are {"kind": "triangular", "low": L, "mode": M, "high": H}, {"kind":
    /// "uniform", "low", "high"}, {"kind": "log-normal", "median", "sigma"} or {"kind": "fixed",
    /// "value"}.
    /// No such member changes nothing; on any error (which names the key) nothing changes.
    Status applyJson(std::string_view jsonText);

    /// Every distribution moved so that its centre (value, midpoint, mode, median) is the
    /// scenario's value, keeping its spread (shifted for uniform and triangular, scaled for
    /// log-normal) and clipping it to the assumption's range; a log-normal centred on a value
    /// that is not above 0 becomes fixed there.
    [[nodiscard]] Distributions centredOn(const Scenario &scenario) const;

    bool operator==(const Distributions &) const = default;

private:
    std::array<Distribution, kAssumptionCount> m_items{};
};

/// Checks `distribution` for `id`: parameters finite, low <= mode <= high and low < high for
/// uniform and triangular, median > 0 and 0 < sigma <= 5 for log-normal, and every value inside
/// the assumption's [min, max]. The error names the assumption's key.
Status validateDistribution(AssumptionId id, const Distribution &distribution);

/// The JSON object {"key": {"kind": ..., ...}, ...} for `ids`, in the form applyJson reads.
std::string distributionsJson(const Distributions &distributions,
                              std::span<const AssumptionId> ids);

} // namespace cliff::econ
