#include "credit_triangle.h"

#include <cmath>

namespace cliff::econ {

double hazardRatePerYear(double spreadBp, double recoveryRate)
{
    return (spreadBp / 10000.0) / (1.0 - recoveryRate);
}

double impliedDefaultProbability(double spreadBp, double recoveryRate, double years)
{
    return 1.0 - std::exp(-hazardRatePerYear(spreadBp, recoveryRate) * years);
}

} // namespace cliff::econ
