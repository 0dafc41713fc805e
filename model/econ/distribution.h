#pragma once

#include <Eigen/Core>

#include <optional>
#include <string_view>

namespace cliff::econ {

/// The shapes an assumption's uncertainty can take.
enum class DistributionKind { Fixed, Uniform, Triangular, LogNormal };

/// "fixed", "uniform", "triangular" or "log-normal".
std::string_view distributionKindName(DistributionKind kind);

/// The kind whose name is `name`, or nothing.
std::optional<DistributionKind> findDistributionKind(std::string_view name);

/// One assumption's uncertainty, in the assumption's unit. Which members count depends on the
/// kind: fixed uses centre; uniform low and high; triangular low, centre (the mode) and high;
/// log-normal centre (the median, > 0) and sigma (of the natural log), truncated to [low, high].
struct Distribution {
    DistributionKind kind = DistributionKind::Fixed;
    double low = 0.0;
    double centre = 0.0;
    double high = 0.0;
    double sigma = 0.0;

    /// Always `value`.
    static Distribution fixed(double value);
    /// Even odds over [low, high].
    static Distribution uniform(double low, double high);
    /// Rising linearly from low to the mode, falling to high.
    static Distribution triangular(double low, double mode, double high);
    /// ln x normal with median `median` and standard deviation `sigma`, truncated to
    /// [truncateLow, truncateHigh] (the assumption's range).
    static Distribution logNormal(double median, double sigma, double truncateLow,
                                  double truncateHigh);

    /// The value at cumulative probability p in (0, 1), by the inverse distribution function;
    /// stays inside [low, high] (a fixed distribution returns centre).
    [[nodiscard]] double quantile(double p) const;

    /// quantile() of every element of `p`, in place; Eigen array arithmetic for uniform and
    /// triangular, the scalar path for log-normal. Equal to quantile() element by element.
    void quantiles(Eigen::Ref<Eigen::ArrayXd> p) const;

    bool operator==(const Distribution &) const = default;
};

/// Standard normal distribution function Phi(z).
double normalCdf(double z);

/// Inverse of Phi for p in (0, 1) (Acklam's rational approximation, relative error below
/// 1.2e-9); written out here so that draws do not depend on a standard library's distributions.
double inverseNormalCdf(double p);

} // namespace cliff::econ
