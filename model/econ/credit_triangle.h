#pragma once

namespace cliff::econ {

/// Default intensity per year implied by a CDS spread: spread / (1 - recovery), with the spread
/// in basis points converted to a decimal; recovery in [0, 1).
double hazardRatePerYear(double spreadBp, double recoveryRate);

/// Probability of default within `years`, as a fraction: 1 - exp(-hazard x years).
double impliedDefaultProbability(double spreadBp, double recoveryRate, double years);

} // namespace cliff::econ
