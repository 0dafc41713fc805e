#include "cost_curves.h"

#include "figure_query.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace cliff::econ {

namespace {

constexpr int kProjectionYears = 5;

TrainingCostPoint toPoint(const Figure &figure, double year)
{
    return {figure.id, figure.entity, figure.metric, year, figure.value, figure.low, figure.high};
}

// Fits one tier into `fit`, keeping the storage of its projection. Least squares of ln(price) on
// the year less the tier's mean year: the intercept is the mean log price and the slope
// sum((x - mean) ln p) / sum((x - mean)^2).
void fitTier(PriceTier tier, const std::vector<BlendedPrice> &prices, double declinePerYear,
             TierFit &fit)
{
    std::vector<CurvePoint> projection = std::move(fit.projection);
    projection.clear();
    fit = TierFit{};
    fit.tier = tier;
    const auto inTier = [tier](const BlendedPrice &price) {
        return price.tier == tier && price.blendedUsdPerMTok > 0.0;
    };
    const BlendedPrice *latest = nullptr; // the cheapest price at the latest date
    double sumYear = 0.0;
    double minYear = 0.0;
    double maxYear = 0.0;
    for (const BlendedPrice &price : prices) {
        if (!inTier(price))
            continue;
        minYear = fit.points == 0 ? price.year : std::min(minYear, price.year);
        maxYear = fit.points == 0 ? price.year : std::max(maxYear, price.year);
        sumYear += price.year;
        ++fit.points;
        if (!latest || price.year > latest->year + 1e-9 ||
            (std::abs(price.year - latest->year) <= 1e-9 &&
             price.blendedUsdPerMTok < latest->blendedUsdPerMTok))
            latest = &price;
    }
    if (!latest) {
        fit.projection = std::move(projection);
        return;
    }
    const double meanYear = sumYear / fit.points;
    fit.referenceYear = meanYear;
    if (fit.points >= 2 && maxYear - minYear > 1e-6) {
        double sumLogPrice = 0.0;
        double sxx = 0.0;
        double sxy = 0.0;
        for (const BlendedPrice &price : prices) {
            if (!inTier(price))
                continue;
            const double dx = price.year - meanYear;
            const double logPrice = std::log(price.blendedUsdPerMTok);
            sumLogPrice += logPrice;
            sxx += dx * dx;
            sxy += dx * logPrice;
        }
        fit.fitted = true;
        fit.interceptLog = sumLogPrice / fit.points;
        fit.slopeLogPerYear = sxy / sxx;
        fit.declinePerYear = 1.0 - std::exp(fit.slopeLogPerYear);
    }
    double factor = 1.0;
    for (int k = 0; k <= kProjectionYears; ++k) {
        projection.push_back({latest->year + k, latest->blendedUsdPerMTok * factor});
        factor *= 1.0 - declinePerYear;
    }
    fit.projection = std::move(projection);
}

} // namespace

std::string_view priceTierName(PriceTier tier)
{
    switch (tier) {
    case PriceTier::Frontier:
        return "frontier";
    case PriceTier::OpenWeights:
        return "open-weights";
    case PriceTier::Mini:
        return "mini";
    }
    return "frontier";
}

PriceTier priceTierOf(std::string_view modelName)
{
    constexpr std::array<std::string_view, 7> mini = {"mini", "nano", "flash", "haiku",
                                                      "lite", "small", "8b"};
    constexpr std::array<std::string_view, 10> open = {"deepseek", "qwen", "llama", "mistral",
                                                       "mixtral", "kimi", "glm", "gemma",
                                                       "gpt-oss", "olmo"};
    // Size words must be whole words ("Gemini" is not "mini"); family names may be prefixes.
    std::vector<std::string_view> words;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= modelName.size(); ++i) {
        const bool separator = i == modelName.size() || modelName[i] == ' ' ||
                               modelName[i] == '-' || modelName[i] == '(' || modelName[i] == ')' ||
                               modelName[i] == '/' || modelName[i] == ',' || modelName[i] == '_';
        if (separator) {
            if (i > start)
                words.push_back(modelName.substr(start, i - start));
            start = i + 1;
        }
    }
    for (std::string_view word : words) {
        for (std::string_view size : mini) {
            if (word.size() == size.size() && containsNoCase(word, size))
                return PriceTier::Mini;
        }
    }
    for (std::string_view family : open)
        if (containsNoCase(modelName, family))
            return PriceTier::OpenWeights;
    return PriceTier::Frontier;
}

double followerLagMonths(double costRatio, double algorithmicGainPerYear,
                         double hardwareGainPerYear)
{
    return 12.0 * std::log(costRatio) / std::log(algorithmicGainPerYear * hardwareGainPerYear);
}

double blendedPriceUsdPerMTok(double inputUsdPerMTok, double outputUsdPerMTok,
                              double inputPerOutput)
{
    return (inputPerOutput * inputUsdPerMTok + outputUsdPerMTok) / (inputPerOutput + 1.0);
}

PreparedCostCurves prepareCostCurves(const std::vector<Figure> &figures)
{
    PreparedCostCurves out;
    for (const Figure &figure : figures) {
        if (figure.category != "training_cost" || figure.unit != "USD" || figure.value <= 0.0)
            continue;
        if (const auto year = periodMidYear(figure))
            out.trainingCosts.push_back(toPoint(figure, *year));
    }
    std::sort(out.trainingCosts.begin(), out.trainingCosts.end(),
              [](const TrainingCostPoint &a, const TrainingCostPoint &b) { return a.year < b.year; });

    // The decline curve starts at GPT-4 (its lowest cited cost) when cited, else at the earliest
    // training cost.
    for (const TrainingCostPoint &point : out.trainingCosts) {
        if (containsNoCase(point.entity, "GPT-4") && !containsNoCase(point.entity, "GPT-4o") &&
            (!out.reference || point.costUsd < out.reference->costUsd))
            out.reference = point;
    }
    if (!out.reference && !out.trainingCosts.empty())
        out.reference = out.trainingCosts.front();
    if (out.reference) {
        // The follower is the median of the cited DeepSeek-V3 final-run costs (sources differ
        // between $5.5M and $6M); the median is itself a cited figure.
        std::vector<TrainingCostPoint> followers;
        for (const TrainingCostPoint &point : out.trainingCosts) {
            if (point.year > out.reference->year && containsNoCase(point.entity, "DeepSeek-V3") &&
                containsNoCase(point.metric, "final run"))
                followers.push_back(point);
        }
        std::stable_sort(followers.begin(), followers.end(),
                         [](const TrainingCostPoint &a, const TrainingCostPoint &b) {
                             return a.costUsd < b.costUsd;
                         });
        if (!followers.empty())
            out.follower = followers[(followers.size() - 1) / 2];
        if (out.follower) {
            out.followerCostRatio = out.reference->costUsd / out.follower->costUsd;
            out.observedLagMonths = 12.0 * (out.follower->year - out.reference->year);
        }
    } else {
        out.notes.push_back("no training-cost figures in USD; the decline curve has no anchor");
    }

    // Pair each model's input and output price of the same period.
    std::map<std::pair<std::string, std::string>, std::pair<const Figure *, const Figure *>> pairs;
    for (const Figure &figure : figures) {
        if (figure.category != "token_prices" || figure.unit != "USD/1M tokens")
            continue;
        auto &slot = pairs[{figure.entity, figure.period}];
        if (startsWith(figure.metric, "API price, input") &&
            !containsNoCase(figure.metric, "cache hit"))
            slot.first = slot.first ? slot.first : &figure;
        else if (startsWith(figure.metric, "API price, output"))
            slot.second = slot.second ? slot.second : &figure;
    }
    for (const auto &[key, pair] : pairs) {
        if (!pair.first || !pair.second)
            continue;
        const auto year = periodStartYear(*pair.first);
        if (!year)
            continue;
        BlendedPrice price;
        price.model = key.first;
        price.tier = priceTierOf(key.first);
        price.year = *year;
        price.inputUsdPerMTok = pair.first->value;
        price.outputUsdPerMTok = pair.second->value;
        price.inputFigureId = pair.first->id;
        price.outputFigureId = pair.second->id;
        out.prices.push_back(std::move(price));
    }
    if (out.prices.empty())
        out.notes.push_back("no paired input/output API prices in the figures");
    return out;
}

void evaluateCostCurves(const PreparedCostCurves &prepared, const Scenario &scenario,
                        CostCurvesResult &out)
{
    using enum AssumptionId;
    const double algorithmic = scenario.value(AlgorithmicEfficiencyPerYear);
    const double hardware = scenario.value(HardwarePricePerformancePerYear);
    const double mix = scenario.value(InputOutputRatio);
    const double priceDecline = scenario.value(TokenPriceDeclinePerYear);

    out.costDeclineFactorPerYear = algorithmic * hardware;
    out.declineCurve.clear();
    if (prepared.reference) {
        for (int month = 0; month <= 12 * 6; month += 3) {
            const double dt = month / 12.0;
            out.declineCurve.push_back(
                {prepared.reference->year + dt,
                 prepared.reference->costUsd / std::pow(out.costDeclineFactorPerYear, dt)});
        }
    }
    out.predictedLagMonths =
        prepared.follower ? followerLagMonths(prepared.followerCostRatio, algorithmic, hardware) : 0.0;

    if (out.prices.size() != prepared.prices.size())
        out.prices = prepared.prices;
    for (BlendedPrice &price : out.prices)
        price.blendedUsdPerMTok =
            blendedPriceUsdPerMTok(price.inputUsdPerMTok, price.outputUsdPerMTok, mix);
    constexpr std::array tiers = {PriceTier::Frontier, PriceTier::OpenWeights, PriceTier::Mini};
    out.fits.resize(tiers.size());
    for (std::size_t i = 0; i < tiers.size(); ++i)
        fitTier(tiers[i], out.prices, priceDecline, out.fits[i]);
}

Result<CostCurvesResult> computeCostCurves(const std::vector<Figure> &figures,
                                           const Scenario &scenario)
{
    const PreparedCostCurves prepared = prepareCostCurves(figures);
    CostCurvesResult out;
    out.trainingCosts = prepared.trainingCosts;
    out.reference = prepared.reference;
    out.follower = prepared.follower;
    out.followerCostRatio = prepared.followerCostRatio;
    out.observedLagMonths = prepared.observedLagMonths;
    out.notes = prepared.notes;
    evaluateCostCurves(prepared, scenario, out);
    return out;
}

std::string_view costCurvesMethod()
{
    return R"(Training cost: every cited training cost in USD is placed at the middle of its period
on a log axis; ranges (DeepSeek's program and infrastructure estimates) are drawn as bands.

Decline curve: the cost of reaching a fixed capability falls each year by the product of the
algorithmic efficiency gain a and the hardware price-performance gain h, so a capability that cost
C0 at t0 costs C0 / (a h)^(t - t0). The curve starts at GPT-4 ($78M, 2023) when cited. A follower
spending r times less than the frontier lags it by 12 ln(r) / ln(a h) months; at the defaults
(a = 3, h = 1.32) GPT-4's $78M to DeepSeek-V3's final run (median of the cited $5.5M-$6M, r about
14) takes about 23 months; GPT-4 (March 2023) to V3 (December 2024) was 21 months.

Token prices: a model's input and output list prices of the same date are blended as
(m x input + output) / (m + 1) with m = input_output_ratio. Models are grouped by name into
frontier, open-weights and mini tiers; within a tier ln(price) is fitted against time by least
squares, and the fitted yearly decline is 1 - exp(slope). The projection starts at each tier's
latest cheapest price and falls by token_price_decline_per_year.)";
}

} // namespace cliff::econ
