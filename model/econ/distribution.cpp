#include "distribution.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cliff::econ {

namespace {

constexpr std::array<std::string_view, 4> kKindNames = {"fixed", "uniform", "triangular",
                                                        "log-normal"};

// Bounds of the truncated normal in z, for a log-normal truncated to [low, high].
struct TruncatedZ {
    double mu = 0.0;
    double pLow = 0.0;
    double pHigh = 1.0;
};

TruncatedZ truncation(const Distribution &d)
{
    TruncatedZ t;
    t.mu = std::log(d.centre);
    t.pLow = d.low > 0.0 ? normalCdf((std::log(d.low) - t.mu) / d.sigma) : 0.0;
    t.pHigh = normalCdf((std::log(d.high) - t.mu) / d.sigma);
    return t;
}

double logNormalQuantile(const Distribution &d, const TruncatedZ &t, double p)
{
    // Keep the probability strictly inside (0, 1) when the truncation reaches a tail.
    const double q = std::clamp(t.pLow + p * (t.pHigh - t.pLow), 1e-300, 1.0 - 1e-16);
    return std::clamp(std::exp(t.mu + d.sigma * inverseNormalCdf(q)), d.low, d.high);
}

} // namespace

std::string_view distributionKindName(DistributionKind kind)
{
    return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<DistributionKind> findDistributionKind(std::string_view name)
{
    for (std::size_t i = 0; i < kKindNames.size(); ++i) {
        if (kKindNames[i] == name)
            return static_cast<DistributionKind>(i);
    }
    return std::nullopt;
}

Distribution Distribution::fixed(double value)
{
    return {DistributionKind::Fixed, value, value, value, 0.0};
}

Distribution Distribution::uniform(double low, double high)
{
    return {DistributionKind::Uniform, low, 0.5 * (low + high), high, 0.0};
}

Distribution Distribution::triangular(double low, double mode, double high)
{
    return {DistributionKind::Triangular, low, mode, high, 0.0};
}

Distribution Distribution::logNormal(double median, double sigma, double truncateLow,
                                     double truncateHigh)
{
    return {DistributionKind::LogNormal, truncateLow, median, truncateHigh, sigma};
}

double Distribution::quantile(double p) const
{
    switch (kind) {
    case DistributionKind::Fixed:
        return centre;
    case DistributionKind::Uniform:
        return std::clamp(low + p * (high - low), low, high);
    case DistributionKind::Triangular: {
        const double width = high - low;
        const double x = p * width < centre - low
                             ? low + std::sqrt(p * width * (centre - low))
                             : high - std::sqrt((1.0 - p) * width * (high - centre));
        return std::clamp(x, low, high);
    }
    case DistributionKind::LogNormal:
        return logNormalQuantile(*this, truncation(*this), p);
    }
    return centre;
}

void Distribution::quantiles(Eigen::Ref<Eigen::ArrayXd> p) const
{
    switch (kind) {
    case DistributionKind::Fixed:
        p.setConstant(centre);
        return;
    case DistributionKind::Uniform:
        p = (low + p * (high - low)).max(low).min(high);
        return;
    case DistributionKind::Triangular: {
        // The same two branches as quantile(), evaluated for all elements and selected.
        const double width = high - low;
        const Eigen::ArrayXd rising = low + (p * width * (centre - low)).sqrt();
        const Eigen::ArrayXd falling = high - ((1.0 - p) * width * (high - centre)).sqrt();
        p = (p * width < centre - low).select(rising, falling).max(low).min(high);
        return;
    }
    case DistributionKind::LogNormal: {
        const TruncatedZ t = truncation(*this);
        for (Eigen::Index i = 0; i < p.size(); ++i)
            p(i) = logNormalQuantile(*this, t, p(i));
        return;
    }
    }
}

double normalCdf(double z)
{
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double inverseNormalCdf(double p)
{
    constexpr std::array<double, 6> a = {-3.969683028665376e+01, 2.209460984245205e+02,
                                         -2.759285104469687e+02, 1.383577518672690e+02,
                                         -3.066479806614716e+01, 2.506628277459239e+00};
    constexpr std::array<double, 5> b = {-5.447609879822406e+01, 1.615858368580409e+02,
                                         -1.556989798598866e+02, 6.680131188771972e+01,
                                         -1.328068155288572e+01};
    constexpr std::array<double, 6> c = {-7.784894002430293e-03, -3.223964580411365e-01,
                                         -2.400758277161838e+00, -2.549732539343734e+00,
                                         4.374664141464968e+00,  2.938163982698783e+00};
    constexpr std::array<double, 4> d = {7.784695709041462e-03, 3.224671290700398e-01,
                                         2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double pLow = 0.02425;
    if (!(p > 0.0))
        return -std::numeric_limits<double>::infinity();
    if (!(p < 1.0))
        return std::numeric_limits<double>::infinity();
    const auto tail = [&](double q) {
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    };
    if (p < pLow)
        return tail(std::sqrt(-2.0 * std::log(p)));
    if (p > 1.0 - pLow)
        return -tail(std::sqrt(-2.0 * std::log(1.0 - p)));
    const double q = p - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

} // namespace cliff::econ
