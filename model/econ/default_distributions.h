#pragma once

#include "assumption_registry.h"
#include "distribution.h"
#include "distributions.h"

#include "core/figure.h"

#include <string>
#include <vector>

namespace cliff::econ {

/// An assumption's default distribution and what it rests on.
struct DistributionDefault {
    AssumptionId id = AssumptionId::DepreciationLifeYears;
    Distribution distribution;
    bool cited = false;                 ///< true when cited figures set the range
    std::vector<std::string> figureIds; ///< the figures whose numbers set the range, when cited
    std::string basis;                  ///< one line: the range used, cited or illustrative
};

/// Every assumption's default distribution, in registry order, centred on its registry default.
/// Where the assumption's listed figures are in `figures` and their numbers (value, low, high,
/// converted to the assumption's unit) spread wider than one slider step around the default, the
/// distribution runs from the lowest to the highest of them and the default (triangular with the
/// default as mode, or log-normal with the widest of them at the 5th or 95th percentile);
/// otherwise it is the illustrative spread or the fixed value stated in `basis`.
std::vector<DistributionDefault> defaultDistributionDetails(const std::vector<Figure> &figures);

/// The distributions of defaultDistributionDetails(figures).
Distributions defaultDistributions(const std::vector<Figure> &figures);

} // namespace cliff::econ
