#pragma once

#include <cstddef>
#include <vector>

namespace cliff::bench {

class Matrix;
enum class SimdLevel;
class MoeModel;
struct FfnWeights;
struct LayerWeights;
enum class FfnPath;

/// y = W x computed naively in double precision from the (dequantised) weights and, for int8
/// weights, the block-quantised activations the decode kernel uses (see Activations).
[[nodiscard]] std::vector<float> referenceMatVec(const Matrix &w, const std::vector<float> &x);

/// y = W x naively in double precision with fp32 activations, whatever the weights' precision.
[[nodiscard]] std::vector<float> referenceMatVecFp32Activations(const Matrix &w,
                                                                const std::vector<float> &x);

/// Y[t][r] = sum_j W[r][j] X[t][j] for `tokens` rows of x, naively in double precision; each
/// token's activations as the prefill GEMM at `simd` sees them: block-quantised for int8 and q4
/// weights, rounded to bf16 for bf16 weights where bf16DotProducts(simd).
[[nodiscard]] std::vector<float> referenceGemm(const Matrix &w, const std::vector<float> &x,
                                               std::size_t tokens, SimdLevel simd);

/// x / rms(x) * weight in double precision.
[[nodiscard]] std::vector<float> referenceRmsNorm(const std::vector<float> &x,
                                                  const std::vector<float> &weight, float eps);

/// down(silu(gate x) * up x) for one token, naively.
[[nodiscard]] std::vector<float> referenceFfn(const FfnWeights &ffn, const std::vector<float> &x);

/// Mean squared error of `actual` against `expected` divided by the mean square of `expected`
/// (the error measure of ggml's test-backend-ops); 0 for identical vectors.
[[nodiscard]] double normalisedMse(const std::vector<float> &actual,
                                   const std::vector<float> &expected);

/// How a reference runs latent attention (see ReferenceModel::latentAttention): through the
/// up-projections in the order the optimised path uses, or by decompressing every key and value.
enum class LatentForm { Absorbed, Decompressed };

/// A naive, single-threaded decode of a MoeModel's weights, through the FFNs `path` names, with
/// its own KV cache: the reference the optimised decode and prefill paths are checked against.
class ReferenceModel {
public:
    ReferenceModel(const MoeModel &model, FfnPath path,
                   LatentForm latentForm = LatentForm::Absorbed);

    /// Logits (vocab values) after running one token embedding at the next position.
    [[nodiscard]] std::vector<float> decode(const std::vector<float> &embedding);

private:
    /// The heads' outputs of latent attention through layer `l` for normed input h, caching
    /// the position's latent and RoPE key in m_keys.
    std::vector<float> latentAttention(std::size_t l, const std::vector<float> &h);
    /// The FFN's (or experts') output for residual x through `layer`.
    [[nodiscard]] std::vector<float> ffn(const LayerWeights &layer,
                                         const std::vector<float> &x) const;

    const MoeModel &m_model;
    FfnPath m_path;
    LatentForm m_latentForm;
    /// [layer][position][kvDim]; latent: [layer][position][kvLoraRank + ropeHeadDim]
    std::vector<std::vector<std::vector<float>>> m_keys;
    std::vector<std::vector<std::vector<float>>> m_values; ///< [layer][position][kvDim]
};

} // namespace cliff::bench
