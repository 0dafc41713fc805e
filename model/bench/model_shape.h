#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::bench {

/// How the router turns logits into expert weights.
enum class Gating {
    Softmax,        ///< softmax over all experts, top-k by probability (Mixtral, Qwen3, OLMoE, V2)
    SigmoidWithBias ///< sigmoid scores, top-k by score + per-expert bias, weights from scores (V3)
};

/// Storage of weight matrices; activations, norms, router and KV cache stay fp32 in all of them.
/// Bf16 keeps the top 16 bits of each fp32 weight (bfloat16, rounded to nearest even), as
/// models are published and run where the CPU has it. Q4 keeps 4-bit codes in blocks of 32
/// weights, each block with an fp16 scale (4.5 bits a weight, as ggml's Q4_0).
enum class Precision { Fp32, Int8, Bf16, Q4 };

/// Weights of a row per quantisation block: a q4 block shares one fp16 scale; int8 and q4
/// rows are stored in whole blocks.
inline constexpr std::size_t kQuantBlock = 32;

/// Rows weights are repacked in: one 32-bit lane of a 512-bit vector per row (see Matrix).
inline constexpr std::size_t kRowGroup = 16;

/// Bytes a weight takes at `precision`, its scales included (int8 keeps a scale per row, which
/// this leaves out; matrixBytes counts it).
[[nodiscard]] double bytesPerWeight(Precision precision);

/// How a layer's attention keeps its keys and values.
enum class AttentionKind {
    MultiHead,    ///< a key and a value head per query head, cached
    GroupedQuery, ///< fewer key and value heads, each shared by a group of query heads, cached
    Latent        ///< DeepSeek's multi-head latent attention: one compressed latent cached
};

/// Per-token shape of a decoder-only MoE transformer, as published in the model's config.
/// Attention is multi-head or grouped-query with a KV cache (heads, kvHeads, headDim) or, when
/// kvLoraRank > 0, multi-head latent attention as DeepSeek-V2 and V3 define it: each position
/// caches a latent of kvLoraRank values and a RoPE key of ropeHeadDim shared by every head; a
/// head's query has headDim values matched against the latent through the head's key
/// up-projection and ropeHeadDim matched against the RoPE key; its value has valueHeadDim.
struct ModelShape {
    std::string name;
    std::size_t layers = 0;        ///< all decoder layers
    std::size_t denseLayers = 0;   ///< leading layers with a dense FFN instead of experts
    std::size_t hidden = 0;
    std::size_t expertFfn = 0;     ///< intermediate size of one routed (and one shared) expert
    std::size_t routedExperts = 0;
    std::size_t topK = 0;
    std::size_t sharedExperts = 0; ///< each of size expertFfn, always active
    std::size_t heads = 0;
    std::size_t kvHeads = 0;
    std::size_t headDim = 0;       ///< query and key head size (latent: the part without RoPE)
    std::size_t qLoraRank = 0;     ///< latent: query compression size; 0 for none
    std::size_t kvLoraRank = 0;    ///< latent: the cached latent's size; 0 for a KV cache
    std::size_t ropeHeadDim = 0;   ///< latent: the decoupled RoPE query and key size
    std::size_t valueHeadDim = 0;  ///< latent: value head size
    std::size_t vocab = 0;
    std::size_t denseFfn = 0;      ///< intermediate size of the dense layers' FFN
    Gating gating = Gating::Softmax;
    bool normaliseTopK = false;    ///< renormalise the k selected weights to sum to 1
    float routedScale = 1.0f;      ///< factor on routed expert weights (V3: 2.5)

    /// Number of layers whose FFN is a mixture of experts.
    [[nodiscard]] std::size_t moeLayers() const { return layers - denseLayers; }
    [[nodiscard]] AttentionKind attention() const;
    /// Values a token's query projection writes: heads x (headDim + ropeHeadDim).
    [[nodiscard]] std::size_t queryWidth() const { return heads * (headDim + ropeHeadDim); }
    /// Values the output projection reads: every head's output side by side.
    [[nodiscard]] std::size_t headOutputWidth() const;
    /// Floats one layer caches per position: keys and values, or the latent and RoPE key.
    [[nodiscard]] std::size_t cacheWidth() const;
};

/// "multi-head", "grouped-query" or "latent".
[[nodiscard]] const char *attentionName(AttentionKind kind);

/// One kind of weight matrix in a layer: `count` matrices of rows x cols.
struct MatrixShape {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::size_t count = 1;
};

/// The weight matrices of one layer's attention, as the benchmark allocates them. Multi-head and
/// grouped-query: q, k, v and output. Latent: the query down-projection (when queries are
/// compressed), the query projection, the latent and RoPE key projection, per head the key
/// up-projection (transposed, so it turns a query into the latent's space) and the value
/// up-projection, and the output: together DeepSeek's wq_a, wq_b, wkv_a, wkv_b and wo.
[[nodiscard]] std::vector<MatrixShape> attentionMatrices(const ModelShape &shape);

/// Norm weights of one layer's attention beyond the layer's two norms (latent: the query and
/// latent norms).
[[nodiscard]] std::size_t attentionNormParams(const ModelShape &shape);

/// Multiply-adds one query does per position it attends, times 2 (flops): the scores and the
/// weighted sum, over every head.
[[nodiscard]] double attendFlopsPerPosition(const ModelShape &shape);

/// The published model shapes the benchmark knows, in a fixed order.
[[nodiscard]] const std::vector<ModelShape> &presets();

/// The preset called `name` (case-insensitive, e.g. "olmoe-1b-7b"), or nullptr.
[[nodiscard]] const ModelShape *findPreset(const std::string &name);

/// Parameters of one layer's attention projections (attentionMatrices).
[[nodiscard]] std::size_t attentionParams(const ModelShape &shape);

/// Parameters of one SwiGLU FFN (gate, up, down) with intermediate size `ffn`.
[[nodiscard]] std::size_t ffnParams(const ModelShape &shape, std::size_t ffn);

/// Parameters of the whole model: all layers, router, embedding and output head (untied).
[[nodiscard]] double totalParams(const ModelShape &shape);

/// Parameters read per token: attention, dense FFNs, top-k + shared experts, routers, output head
/// (the embedding table is not counted: one row of it is read per token).
[[nodiscard]] double activeParams(const ModelShape &shape);

/// Bytes of one rows x cols weight matrix stored at `precision` (int8 adds one fp32 scale per
/// row; rows are padded to whole groups, and columns to whole pairs (bf16) or blocks (int8,
/// q4)).
[[nodiscard]] double matrixBytes(std::size_t rows, std::size_t cols, Precision precision);

/// Bytes of one layer's attention weights at `precision`: its matrices and its latent norms
/// (fp32), not the layer's two norms.
[[nodiscard]] double attentionWeightBytes(const ModelShape &shape, Precision precision);

/// Memory traffic and arithmetic of one token, counted from the shapes.
struct TokenCost {
    double bytes = 0.0; ///< weights + KV cache read, in bytes
    double flops = 0.0; ///< multiply-adds counted as 2 flops
};

/// One decode step through one layer, split as a decode step times its phases.
struct DecodeLayerParts {
    TokenCost attention; ///< norms, q/k/v and output projections, the KV cache read
    TokenCost router;    ///< router logits (none in a dense layer)
    TokenCost ffn;       ///< the top-k and shared experts, or the dense FFN

    [[nodiscard]] TokenCost total() const;
};

/// Cost of one decode step through one layer at context length `contextTokens` (the positions
/// attended, including the new one). `moe` selects a routed layer; otherwise the dense FFN.
[[nodiscard]] DecodeLayerParts decodeLayerParts(const ModelShape &shape, Precision precision,
                                                std::size_t contextTokens, bool moe);

/// decodeLayerParts(...).total().
[[nodiscard]] TokenCost decodeLayerCost(const ModelShape &shape, Precision precision,
                                        std::size_t contextTokens, bool moe);

/// Cost of the final norm and output head for one token.
[[nodiscard]] TokenCost headCost(const ModelShape &shape, Precision precision);

/// FLOPs of a prefill of `tokens` tokens through one layer (causal attention), in flops.
[[nodiscard]] double prefillLayerFlops(const ModelShape &shape, std::size_t tokens, bool moe);

/// Weight bytes a decode step reads through the whole real model at context `contextTokens`.
[[nodiscard]] TokenCost fullModelDecodeCost(const ModelShape &shape, Precision precision,
                                            std::size_t contextTokens);

/// Bytes of all weights of the real model at `precision` (what it needs in RAM to run).
[[nodiscard]] double fullModelWeightBytes(const ModelShape &shape, Precision precision);

/// "fp32", "int8", "bf16" or "q4".
[[nodiscard]] const char *precisionName(Precision precision);

/// The precision precisionName calls `name`, or nothing.
[[nodiscard]] std::optional<Precision> precisionNamed(std::string_view name);

/// Every precision, widest first.
inline constexpr Precision kPrecisions[] = {Precision::Fp32, Precision::Bf16, Precision::Int8,
                                            Precision::Q4};

/// "softmax" or "sigmoid+bias".
[[nodiscard]] const char *gatingName(Gating gating);

} // namespace cliff::bench
