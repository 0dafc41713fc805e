#include "default_distributions.h"

#include "calibration.h"
#include "figure_query.h"
#include "scenario.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

namespace cliff::econ {

namespace {

using enum AssumptionId;

// How a number of a cited figure becomes a value in the assumption's unit.
enum class Conversion {
    Same,                   ///< already in the assumption's unit
    PercentToFraction,      ///< 9.25 % -> 0.0925
    FoldToYearlyDecline,    ///< a k-fold fall over the figure's period -> 1 - k^(-12 / months)
    HalvingMonthsToGain,    ///< a halving time in months -> 2^(12 / months) a year
    RatioToFigureValue,     ///< the figure's low or high as a multiple of its own value
};

struct CitedFigure {
    std::string_view id;
    Conversion conversion = Conversion::Same;
    std::string_view unit; ///< the unit the figure must be in
};

// A stated spread around the registry default.
struct Spread {
    enum class Kind { Fixed, Between, Around, LogNormal };
    Kind kind = Kind::Fixed;
    double a = 0.0; ///< Between: low; Around: half-width; LogNormal: sigma
    double b = 0.0; ///< Between: high
};

constexpr Spread fixedAtDefault()
{
    return {Spread::Kind::Fixed, 0.0, 0.0};
}

// Triangular from `low` to `high` with the default as mode.
constexpr Spread between(double low, double high)
{
    return {Spread::Kind::Between, low, high};
}

// Triangular `halfWidth` either side of the default, clipped to the allowed range.
constexpr Spread around(double halfWidth)
{
    return {Spread::Kind::Around, halfWidth, 0.0};
}

// Log-normal with the default as median.
constexpr Spread logNormalSigma(double sigma)
{
    return {Spread::Kind::LogNormal, sigma, 0.0};
}

// What an assumption's default distribution is made from. A rule with cited figures uses them
// when they are present and spread; otherwise (and for rules without figures) the fallback.
struct Rule {
    AssumptionId id;
    std::array<CitedFigure, 3> figures;
    DistributionKind citedShape;           ///< Triangular or LogNormal
    std::optional<double> illustrativeLow; ///< widens a one-sided cited range downwards
    std::string_view citedBasis;
    Spread fallback;
    std::string_view fallbackBasis;
};

constexpr double kZ95 = 1.6448536269514722; // Phi^-1(0.95)
constexpr double kLn3Over1p7 = 0.56798403780671519; // ln(3 / 1.7)

constexpr std::array kRules = {
    Rule{DepreciationLifeYears,
         {{{"amazon-server-life-from-2025", Conversion::Same, "years"},
           {"hyperscaler-depreciation-life-whitepaper", Conversion::Same, "years"},
           {"microsoft-server-life-from-fy2023", Conversion::Same, "years"}}},
         DistributionKind::Triangular, std::nullopt,
         "cited server lives: Amazon's 5 years from 2025 to the 6 years of the white paper and "
         "Microsoft",
         between(5.0, 6.0),
         "illustrative: 5 to 6 years (the cited server lives are not in the store)"},
    Rule{GpuEconomicLifeYears, {}, DistributionKind::Triangular, std::nullopt, {},
         between(2.0, 6.0),
         "illustrative: 2 years (one accelerator generation) to the 6-year accounting life; no "
         "cited range"},
    Rule{Wacc, {}, DistributionKind::Triangular, std::nullopt, {}, between(0.07, 0.12),
         "illustrative: 7% to 12% a year"},
    Rule{OperatingMargin, {}, DistributionKind::Triangular, std::nullopt, {}, between(0.40, 0.60),
         "illustrative: 40% to 60% around the illustrative 50%"},
    Rule{CapexGrowth, {}, DistributionKind::Triangular, std::nullopt, {}, between(0.0, 0.30),
         "illustrative: flat capex to 30% a year after the last cited year"},
    Rule{CapexGuidanceScale,
         {{{"us-hyperscaler-capex-2026-whitepaper", Conversion::RatioToFigureValue, "USD"}}},
         DistributionKind::Triangular, std::nullopt,
         "the cited 2026 guidance range, $690-725B around its $707.5B midpoint",
         between(calibration::kCapex2026LowUsd / calibration::kCapex2026Usd,
                 calibration::kCapex2026HighUsd / calibration::kCapex2026Usd),
         "the seed's 2026 guidance range, $690-725B (the figure is not in the store)"},
    Rule{AiRevenueGrowth, {}, DistributionKind::Triangular, std::nullopt, {}, between(0.25, 0.60),
         "illustrative: 25% to 60% a year around the cited forecast's 42%"},
    Rule{TokenPriceDeclinePerYear,
         {{{"open-weights-cost-curve-collapse-casestudy", Conversion::FoldToYearlyDecline, "x"}}},
         DistributionKind::Triangular, std::nullopt,
         "the cited 5-10x fall in the cost of equal capability over 16 months (open weights, "
         "2025-26), as a yearly decline: 70% to 82%",
         between(0.70, 0.82),
         "illustrative: 70% to 82% a year (the cited 5-10x cost collapse is not in the store)"},
    Rule{GpuRentalPriceDeclinePerYear, {}, DistributionKind::Triangular, std::nullopt, {},
         between(0.25, 0.45),
         "ten points either side of the cited trend's 35%: the decline between two cited H100 "
         "prices ranges from about 27% to 45% a year depending on the pair"},
    Rule{DemandElasticity, {}, DistributionKind::Triangular, std::nullopt, {}, between(0.6, 1.8),
         "illustrative: 0.6 (inelastic) to 1.8 (strongly Jevons)"},
    Rule{RecoveryRate, {}, DistributionKind::Triangular, std::nullopt, {}, between(0.25, 0.45),
         "illustrative: 10 points either side of the cited 35%; no cited range"},
    Rule{AlgorithmicEfficiencyPerYear,
         {{{"algorithmic-efficiency-3x-epoch-2025", Conversion::Same, "x"},
           {"algorithmic-efficiency-1p7x-epoch-prior", Conversion::Same, "x"},
           {"algorithmic-progress-halving-time-epoch", Conversion::HalvingMonthsToGain, "months"}}},
         DistributionKind::LogNormal, std::nullopt,
         "log-normal around 3x a year with the farthest cited value, Epoch's earlier 1.7x, at the "
         "5th percentile (before the cut to the allowed range); Epoch's 8-month halving time "
         "(2.8x) lies inside",
         logNormalSigma(kLn3Over1p7 / kZ95),
         "illustrative: log-normal with 1.7x at the 5th percentile (the cited Epoch estimates are "
         "not in the store)"},
    Rule{HardwarePricePerformancePerYear, {}, DistributionKind::Triangular, std::nullopt, {},
         between(1.26, 1.41),
         "illustrative: FLOP per dollar doubling every 3 to 2 years around Epoch's cited 2.5"},
    Rule{InputOutputRatio, {}, DistributionKind::Triangular, std::nullopt, {}, between(1.0, 5.0),
         "illustrative: 1:1 to 5:1 input to output tokens"},
    Rule{DebtInterestRate,
         {{{"credit-coreweave-2030-notes-eff-rate-2025-06", Conversion::PercentToFraction, "%"},
           {"coreweave-notes-2031-coupon", Conversion::PercentToFraction, "%"},
           {"coreweave-ddtl2-rate-2025-06", Conversion::PercentToFraction, "%"}}},
         DistributionKind::Triangular, std::nullopt,
         "CoreWeave's cited note coupons and loan rate, 9% to 11%", between(0.09, 0.11),
         "illustrative: 9% to 11% (CoreWeave's cited rates are not in the store)"},
    Rule{LoanTermYears, {}, DistributionKind::Triangular, std::nullopt, {}, between(4.0, 6.0),
         "a year either side of the cited five-year term (CoreWeave's loans run 4 to 5.5 years)"},
    Rule{InitialUtilisation, {}, DistributionKind::Triangular, std::nullopt, {},
         between(0.75, 0.95),
         "the cited ranges: 75-90% observed in operation, 85-95% typical of well-funded neoclouds"},
    Rule{InitialCashCoverage, {}, DistributionKind::Triangular, std::nullopt, {}, between(1.1, 2.0),
         "illustrative: 1.1x to 2x"},
    Rule{DemandAdoptionGrowth, {}, DistributionKind::Triangular, std::nullopt, {},
         between(0.20, 0.50), "illustrative: 20% to 50% a year"},
    Rule{HyperscalerCdsSpreadBp, {}, DistributionKind::LogNormal, std::nullopt, {},
         logNormalSigma(0.5),
         "illustrative: log-normal, sigma 0.5 (5th to 95th percentile about 18-91 bp)"},
    Rule{ModelLabCdsSpreadBp, {}, DistributionKind::LogNormal, std::nullopt, {},
         logNormalSigma(0.5),
         "illustrative: log-normal, sigma 0.5 (5th to 95th percentile about 176-910 bp)"},
    Rule{NeocloudLeverage, {}, DistributionKind::Triangular, std::nullopt, {}, between(0.60, 0.80),
         "ten points either side of CoreWeave's cited 0.70 (debt over property and equipment)"},
    Rule{NeocloudComputeExposure, {}, DistributionKind::Triangular, std::nullopt, {},
         fixedAtDefault(), "fixed: GPU rental is the whole business"},
    Rule{NeocloudCdsSpreadBp,
         {{{"coreweave-cds-2025-10-06", Conversion::Same, "bp"},
           {"coreweave-cds-2025-12-05", Conversion::Same, "bp"},
           {"coreweave-cds-ria-2025-12", Conversion::Same, "bp"}}},
         DistributionKind::Triangular, std::nullopt,
         "CoreWeave's cited 5-year CDS quotes of October to December 2025, 368-675 bp",
         between(368.0, 675.0),
         "illustrative: 368-675 bp (CoreWeave's cited quotes are not in the store)"},
};

// The party profiles without a rule of their own: ten points either side of the default.
constexpr Rule kProfileRule{DepreciationLifeYears, {}, DistributionKind::Triangular,
                            std::nullopt, {}, around(0.10),
                            "illustrative: 10 points either side of the default"};

const Rule &ruleFor(AssumptionId id)
{
    for (const Rule &rule : kRules) {
        if (rule.id == id)
            return rule;
    }
    return kProfileRule;
}

// Months between the middles of the two ends of a period "A..B" (or the length of a single one).
std::optional<double> periodMonths(const std::string &period)
{
    const std::size_t dots = period.find("..");
    if (dots == std::string::npos) {
        const auto span = parsePeriod(period);
        if (!span)
            return std::nullopt;
        return 12.0 * (span->endYear - span->startYear);
    }
    const auto first = parsePeriod(std::string_view(period).substr(0, dots));
    const auto last = parsePeriod(std::string_view(period).substr(dots + 2));
    if (!first || !last)
        return std::nullopt;
    return 6.0 * ((last->startYear + last->endYear) - (first->startYear + first->endYear));
}

std::optional<double> convert(const Figure &figure, double number, Conversion conversion)
{
    switch (conversion) {
    case Conversion::Same:
        return number;
    case Conversion::PercentToFraction:
        return number / 100.0;
    case Conversion::FoldToYearlyDecline: {
        const auto months = periodMonths(figure.period);
        if (!months || *months <= 0.0 || number <= 1.0)
            return std::nullopt;
        return 1.0 - std::pow(number, -12.0 / *months);
    }
    case Conversion::HalvingMonthsToGain:
        if (number <= 0.0)
            return std::nullopt;
        return std::pow(2.0, 12.0 / number);
    case Conversion::RatioToFigureValue:
        if (figure.value <= 0.0)
            return std::nullopt;
        return number / figure.value;
    }
    return std::nullopt;
}

// A stated spread placed on the assumption's default.
Distribution placed(const Spread &spread, const Assumption &entry)
{
    const double d = entry.defaultValue;
    switch (spread.kind) {
    case Spread::Kind::Fixed:
        return Distribution::fixed(d);
    case Spread::Kind::Between:
        return Distribution::triangular(spread.a, d, spread.b);
    case Spread::Kind::Around:
        return Distribution::triangular(std::max(entry.minValue, d - spread.a), d,
                                        std::min(entry.maxValue, d + spread.a));
    case Spread::Kind::LogNormal:
        return Distribution::logNormal(d, spread.a, 0.0, 0.0);
    }
    return Distribution::fixed(d);
}

DistributionDefault fromRule(const Rule &rule, const Assumption &entry,
                             const std::map<std::string_view, const Figure *> &byId)
{
    DistributionDefault out;
    out.id = entry.id;
    const double d = entry.defaultValue;
    std::vector<double> numbers;
    for (const CitedFigure &cited : rule.figures) {
        if (cited.id.empty())
            continue;
        const auto found = byId.find(cited.id);
        if (found == byId.end() || found->second->unit != cited.unit)
            continue;
        const Figure &figure = *found->second;
        bool used = false;
        for (const std::optional<double> &number :
             {std::optional<double>(figure.value), figure.low, figure.high}) {
            if (!number)
                continue;
            if (const auto value = convert(figure, *number, cited.conversion)) {
                numbers.push_back(std::clamp(*value, entry.minValue, entry.maxValue));
                used = true;
            }
        }
        if (used)
            out.figureIds.emplace_back(cited.id);
    }
    double low = d;
    double high = d;
    for (double value : numbers) {
        low = std::min(low, value);
        high = std::max(high, value);
    }
    if (rule.illustrativeLow)
        low = std::min(low, std::max(entry.minValue, *rule.illustrativeLow));
    if (!numbers.empty() && high - low > entry.step) {
        out.cited = true;
        out.basis = std::string(rule.citedBasis);
        if (rule.citedShape == DistributionKind::LogNormal) {
            const double widest = std::max(std::log(d / low), std::log(high / d));
            out.distribution = Distribution::logNormal(d, widest / kZ95, 0.0, 0.0);
        } else {
            out.distribution = Distribution::triangular(low, d, high);
        }
        return out;
    }
    out.figureIds.clear();
    out.distribution = placed(rule.fallback, entry);
    out.basis = std::string(rule.fallbackBasis);
    return out;
}

} // namespace

std::vector<DistributionDefault> defaultDistributionDetails(const std::vector<Figure> &figures)
{
    std::map<std::string_view, const Figure *> byId;
    for (const Figure &figure : figures)
        byId[figure.id] = &figure;
    std::vector<DistributionDefault> out;
    for (const Assumption &entry : assumptionRegistry()) {
        DistributionDefault item = fromRule(ruleFor(entry.id), entry, byId);
        Distributions check;
        if (check.set(entry.id, item.distribution)) {
            item.distribution = check.get(entry.id); // with a log-normal's truncation filled in
        } else {
            // A rule that no longer fits its assumption's range must not break the app.
            item.distribution = Distribution::fixed(entry.defaultValue);
            item.cited = false;
            item.figureIds.clear();
            item.basis = "fixed: the stated spread does not fit the allowed range";
        }
        out.push_back(std::move(item));
    }
    return out;
}

Distributions defaultDistributions(const std::vector<Figure> &figures)
{
    Distributions out;
    for (const DistributionDefault &item : defaultDistributionDetails(figures)) {
        const Status status = out.set(item.id, item.distribution);
        (void)status; // defaultDistributionDetails only returns valid distributions
    }
    return out;
}

} // namespace cliff::econ
