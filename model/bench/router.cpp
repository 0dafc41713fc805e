#include "router.h"

#include "kernels.h"

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

} // namespace cliff::bench
