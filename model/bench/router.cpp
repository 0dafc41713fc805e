#include "router.h"

#include "kernels.h"
#include "matrix.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cliff::bench {

std::vector<ExpertChoice> routeTopK(const std::vector<float> &logits,
                                    const std::vector<float> &bias, const RouterRule &rule)
{
    const std::size_t count = logits.size();
    std::vector<float> scores = logits;
    std::vector<float> ranking(count);
    if (rule.gating == Gating::Softmax) {
        softmaxInPlace(scores.data(), count);
        ranking = scores;
    } else {
        for (std::size_t e = 0; e < count; ++e) {
            scores[e] = 1.0f / (1.0f + std::exp(-logits[e]));
            ranking[e] = scores[e] + (bias.empty() ? 0.0f : bias[e]);
        }
    }
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t k = std::min(rule.topK, count);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](std::size_t a, std::size_t b) {
                          return ranking[a] > ranking[b] || (ranking[a] == ranking[b] && a < b);
                      });
    std::vector<ExpertChoice> chosen;
    chosen.reserve(k);
    float sum = 0.0f;
    for (std::size_t i = 0; i < k; ++i) {
        chosen.push_back({order[i], scores[order[i]]});
        sum += scores[order[i]];
    }
    for (ExpertChoice &choice : chosen) {
        if (rule.normaliseTopK && sum > 0.0f)
            choice.weight /= sum;
        choice.weight *= rule.routedScale;
    }
    return chosen;
}

std::vector<ExpertChoice> mapToAllocated(std::vector<ExpertChoice> choices, std::size_t allocated)
{
    std::vector<bool> used(allocated, false);
    for (ExpertChoice &choice : choices) {
        std::size_t slot = choice.expert % allocated;
        while (used[slot])
            slot = (slot + 1) % allocated;
        used[slot] = true;
        choice.expert = slot;
    }
    return choices;
}

namespace {

// Counts of routed slots per expert for one batch of simulated tokens.
std::vector<double> routeBatch(const std::vector<float> &skew, const std::vector<float> &bias,
                               std::size_t topK, std::size_t tokens, SplitMix &random)
{
    const RouterRule rule{Gating::SigmoidWithBias, topK, false, 1.0f};
    std::vector<double> counts(skew.size(), 0.0);
    std::vector<float> logits(skew.size());
    for (std::size_t t = 0; t < tokens; ++t) {
        for (std::size_t e = 0; e < skew.size(); ++e)
            logits[e] = skew[e] + 0.5f * (random.nextSigned() + random.nextSigned());
        for (const ExpertChoice &choice : routeTopK(logits, bias, rule))
            counts[choice.expert] += 1.0;
    }
    return counts;
}

std::vector<double> shares(std::vector<double> counts, double &maxOverMean)
{
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    for (double &count : counts)
        count = total > 0.0 ? count / total : 0.0;
    const double mean = counts.empty() ? 0.0 : 1.0 / static_cast<double>(counts.size());
    maxOverMean = mean > 0.0 ? *std::max_element(counts.begin(), counts.end()) / mean : 0.0;
    return counts;
}

} // namespace

ExpertLoad simulateExpertLoad(std::size_t experts, std::size_t topK, std::size_t tokens,
                              int steps, float skew, float updateSpeed, std::uint64_t seed)
{
    SplitMix random(seed);
    std::vector<float> skews(experts);
    for (float &value : skews)
        value = skew * random.nextSigned();
    ExpertLoad load;
    load.bias.assign(experts, 0.0f);
    const double meanCount =
        static_cast<double>(tokens * std::min(topK, experts)) / static_cast<double>(experts);
    for (int step = 0; step < steps; ++step) {
        const std::vector<double> counts = routeBatch(skews, load.bias, topK, tokens, random);
        for (std::size_t e = 0; e < experts; ++e) {
            if (counts[e] < meanCount)
                load.bias[e] += updateSpeed;
            else if (counts[e] > meanCount)
                load.bias[e] -= updateSpeed;
        }
    }
    // The same tokens for both counts, so only the bias differs.
    SplitMix unbiasedRandom(seed + 1);
    SplitMix balancedRandom(seed + 1);
    load.unbiased = shares(routeBatch(skews, {}, topK, tokens, unbiasedRandom),
                           load.unbiasedMaxOverMean);
    load.balanced = shares(routeBatch(skews, load.bias, topK, tokens, balancedRandom),
                           load.balancedMaxOverMean);
    return load;
}

} // namespace cliff::bench
