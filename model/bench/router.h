#pragma once

#include "model_shape.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cliff::bench {

/// One expert chosen for a token and the weight its output is multiplied by.
struct ExpertChoice {
    std::size_t expert = 0;
    float weight = 0.0f;
};

/// Routing rule of one model: gating kind, k, and how the chosen weights are normalised.
struct RouterRule {
    Gating gating = Gating::Softmax;
    std::size_t topK = 1;
    bool normaliseTopK = false;
    float routedScale = 1.0f;
};

/// The top-k experts for one token from its router logits, in descending order of selection score
/// (ties go to the lower index). Softmax: weights are softmax probabilities over all experts
/// (renormalised over the k if asked). Sigmoid: experts are ranked by sigmoid(logit) + bias (the
/// aux-loss-free balancing bias of DeepSeek-V3), weights are the unbiased sigmoid scores
/// (normalised over the k if asked), both times routedScale. `bias` may be empty.
[[nodiscard]] std::vector<ExpertChoice> routeTopK(const std::vector<float> &logits,
                                                  const std::vector<float> &bias,
                                                  const RouterRule &rule);

/// Maps choices among the real experts onto `allocated` experts (expert mod allocated, moving to
/// the next free slot on a collision) so a memory-scaled layer still runs k distinct experts.
/// Needs allocated >= choices.size().
[[nodiscard]] std::vector<ExpertChoice> mapToAllocated(std::vector<ExpertChoice> choices,
                                                       std::size_t allocated);

/// Expert loads of simulated tokens: each expert's share of the routed slots (the shares sum
/// to 1), without a bias and with the bias DeepSeek-V3's auxiliary-loss-free rule learns.
struct ExpertLoad {
    std::vector<double> unbiased;
    std::vector<double> balanced;
    double unbiasedMaxOverMean = 0.0; ///< busiest expert's share over the mean share
    double balancedMaxOverMean = 0.0;
    std::vector<float> bias;          ///< the learned per-expert bias
};

/// Routes `tokens` tokens per step over `experts` experts (top-k, selection by sigmoid score +
/// bias, as DeepSeek-V3). Router logits are simulated: a fixed per-expert skew (uniform in
/// [-skew, skew], an unbalanced router) plus per-token noise. The bias starts at 0 and for
/// `steps` batches moves each expert by `updateSpeed` towards the mean load (+ when under-,
/// - when over-loaded); the loads are then counted on a fresh batch with and without it.
[[nodiscard]] ExpertLoad simulateExpertLoad(std::size_t experts, std::size_t topK,
                                            std::size_t tokens, int steps, float skew,
                                            float updateSpeed, std::uint64_t seed);

} // namespace cliff::bench
