#pragma once

#include "scenario.h"

#include "core/figure.h"
#include "core/result.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// The factors of the fragility score, in the order of FragilityScore::factors.
enum class FragilityFactor : std::size_t {
    Leverage,
    DepreciationMismatch,
    PriceExposure,
    CircularDemand,
    ImpliedDefault,
    PricedExecution,
    Count
};
inline constexpr std::size_t kFragilityFactorCount = static_cast<std::size_t>(FragilityFactor::Count);

/// snake_case name of a factor ("leverage", "depreciation_mismatch", ...).
std::string_view fragilityFactorName(FragilityFactor factor);

/// Weight of a factor in the score; the weights sum to 1.
double fragilityFactorWeight(FragilityFactor factor);

/// The four exposed parties, in the order the white paper ranks them, least to most fragile.
enum class FragilityParty : std::size_t { Hyperscalers, ModelLabs, Neoclouds, EquityHolders, Count };
inline constexpr std::size_t kFragilityPartyCount = static_cast<std::size_t>(FragilityParty::Count);

/// "Diversified hyperscalers", "Model labs", "Debt-financed neoclouds" or "Equity holders".
std::string_view fragilityPartyName(FragilityParty party);

/// "hyperscalers", "model_labs", "neoclouds" or "equity_holders": the party in keys and targets.
std::string_view fragilityPartyKey(FragilityParty party);

/// One party's (or firm's) score with each factor's value and contribution.
struct FragilityScore {
    std::string party;
    bool firm = false; ///< an individual firm with a cited CDS, scored with its party's profile
    std::string profile; ///< for firms: the party whose profile it takes
    double score = 0.0;  ///< 0 (robust) to 100 (fragile): the sum of the contributions
    std::array<double, kFragilityFactorCount> factorValues{};  ///< each in [0, 1]
    std::array<double, kFragilityFactorCount> contributions{}; ///< points: 100 x weight x value
    double impliedPd5y = 0.0; ///< fraction
};

/// A firm's latest cited 5-year CDS spread with the default probability it implies.
struct CdsReading {
    std::string entity;
    std::string figureId;
    std::string period;
    double cdsSpreadBp = 0.0;
    double hazardPerYear = 0.0;
    double impliedPd5y = 0.0;                 ///< fraction, at the scenario's recovery rate
    std::optional<double> citedPd5yPercent;   ///< a cited "Implied 5-year default probability"
    std::string citedPdFigureId;
};

/// Output of the fragility model (view 4).
struct FragilityResult {
    std::vector<FragilityScore> ranking; ///< least fragile first; parties and firms together
    std::vector<CdsReading> cds;         ///< firms with a cited CDS spread, by name
    double netPricePressure = 0.0;       ///< yearly revenue pressure from price decline, fraction
};

/// The four parties' scores in FragilityParty order, party names left empty; the arithmetic
/// computeFragility ranks. An error names recovery_rate when it is not below 1.
Status scoreFragilityParties(const Scenario &scenario,
                             std::array<FragilityScore, kFragilityPartyCount> &out);

/// The four parties plus cited firms, scored and ranked least fragile first.
Result<FragilityResult> computeFragility(const std::vector<Figure> &figures,
                                         const Scenario &scenario);

/// Yearly revenue pressure on a fixed-capacity seller, fraction: price decline d less the part an
/// elastic market wins back, d x (1 - min(1, e) x (1 - d)); never falls when d rises.
double netPricePressure(double priceDeclinePerYear, double demandElasticity);

/// The method of the fragility model, in plain words, for the UI.
std::string_view fragilityMethod();

} // namespace cliff::econ
