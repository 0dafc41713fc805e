#pragma once

#include "scenario.h"

#include "core/figure.h"
#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// A cited training-cost figure placed in time.
struct TrainingCostPoint {
    std::string figureId;
    std::string entity;
    std::string metric;
    double year = 0.0; ///< middle of the period, decimal years
    double costUsd = 0.0;
    std::optional<double> lowUsd;
    std::optional<double> highUsd;
};

/// A point of a curve: decimal year and a value in the curve's unit.
struct CurvePoint {
    double year = 0.0;
    double value = 0.0;
};

/// Price tiers the token prices are grouped in.
enum class PriceTier { Frontier, OpenWeights, Mini };

/// "frontier", "open-weights" or "mini".
std::string_view priceTierName(PriceTier tier);

/// The tier of a model by its name: names with the word mini/nano/flash/haiku/lite/small/8b are "mini", known
/// open-weights families (DeepSeek, Qwen, Llama, Mistral, Kimi, GLM, Gemma, gpt-oss) are
/// "open-weights", the rest "frontier".
PriceTier priceTierOf(std::string_view modelName);

/// One model's input and output list prices blended at the scenario's input:output mix.
struct BlendedPrice {
    std::string model;
    PriceTier tier = PriceTier::Frontier;
    double year = 0.0;
    double inputUsdPerMTok = 0.0;
    double outputUsdPerMTok = 0.0;
    double blendedUsdPerMTok = 0.0;
    std::string inputFigureId;
    std::string outputFigureId;
};

/// Log-linear least-squares fit of one tier's blended prices over time.
struct TierFit {
    PriceTier tier = PriceTier::Frontier;
    int points = 0;
    bool fitted = false;             ///< false with fewer than two distinct dates
    double declinePerYear = 0.0;     ///< fitted fraction the price falls each year
    double slopeLogPerYear = 0.0;    ///< d ln(price) / d year
    double interceptLog = 0.0;       ///< ln(price) at referenceYear
    double referenceYear = 0.0;
    std::vector<CurvePoint> projection; ///< from the latest price, at token_price_decline_per_year
};

/// Output of the cost-curves model (view 2).
struct CostCurvesResult {
    std::vector<TrainingCostPoint> trainingCosts;
    double costDeclineFactorPerYear = 0.0; ///< algorithmic x hardware gain, x per year
    std::optional<TrainingCostPoint> reference; ///< the frontier point the decline curve starts at
    std::vector<CurvePoint> declineCurve;       ///< USD for the reference capability over time
    std::optional<TrainingCostPoint> follower;  ///< median cited DeepSeek-V3 final-run cost
    double followerCostRatio = 0.0;     ///< reference cost / follower cost
    double predictedLagMonths = 0.0;    ///< months the decline curve needs for that ratio
    double observedLagMonths = 0.0;     ///< months between the two points
    std::vector<BlendedPrice> prices;
    std::vector<TierFit> fits;          ///< frontier, open-weights, mini
    std::vector<std::string> notes;
};

/// Months a follower lags the frontier when its cost is `costRatio` times lower, given the
/// yearly algorithmic and hardware gains (both > 1): 12 x ln(ratio) / ln(a x h).
double followerLagMonths(double costRatio, double algorithmicGainPerYear,
                         double hardwareGainPerYear);

/// Price per 1M tokens blended at `inputPerOutput` input tokens per output token, USD.
double blendedPriceUsdPerMTok(double inputUsdPerMTok, double outputUsdPerMTok,
                              double inputPerOutput);

/// What the cost-curves model reads from the figures, worked out once per set of figures.
struct PreparedCostCurves {
    std::vector<TrainingCostPoint> trainingCosts; ///< by year
    std::optional<TrainingCostPoint> reference;
    std::optional<TrainingCostPoint> follower;
    double followerCostRatio = 0.0;
    double observedLagMonths = 0.0;
    std::vector<BlendedPrice> prices; ///< paired list prices; blendedUsdPerMTok not yet set
    std::vector<std::string> notes;
};

/// The figure-derived inputs of the cost-curves model; independent of the scenario.
PreparedCostCurves prepareCostCurves(const std::vector<Figure> &figures);

/// Writes the decline factor, decline curve, predicted lag, blended prices and tier fits into
/// `out` (reusing its storage) from prepared inputs and the scenario; leaves the training-cost
/// points, reference, follower and notes of `out` alone.
void evaluateCostCurves(const PreparedCostCurves &prepared, const Scenario &scenario,
                        CostCurvesResult &out);

/// Training-cost points, the slider-driven decline curve and the token-price fits.
Result<CostCurvesResult> computeCostCurves(const std::vector<Figure> &figures,
                                           const Scenario &scenario);

/// The method of the cost-curves model, in plain words, for the UI.
std::string_view costCurvesMethod();

} // namespace cliff::econ
