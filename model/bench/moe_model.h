#pragma once

#include "kernels.h"
#include "large_array.h"
#include "matrix.h"
#include "model_shape.h"
#include "router.h"

#include "core/result.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace cliff::bench {

class ThreadPool;

/// One SwiGLU FFN: down(silu(gate x) * up x); gate and up are [ffn][hidden], down [hidden][ffn].
struct FfnWeights {
    Matrix gate;
    Matrix up;
    Matrix down;
};

/// Weights of one decoder layer. A dense layer has no router and one FFN in `shared`. Its
/// attention is wq, wk, wv and wo, or for latent attention (see ModelShape) wqA, wq, wkvA,
/// keyAbsorb, valueUp and wo.
struct LayerWeights {
    std::vector<float> attentionNorm;
    std::vector<float> ffnNorm;
    Matrix wq;     ///< [queryWidth][hidden], or latent [queryWidth][qLoraRank or hidden]
    Matrix wk;     ///< [kvHeads*headDim][hidden]
    Matrix wv;     ///< [kvHeads*headDim][hidden]
    Matrix wo;     ///< [hidden][headOutputWidth]
    Matrix wqA;    ///< latent: [qLoraRank][hidden], the query down-projection; empty for none
    std::vector<float> queryNorm;  ///< latent: qLoraRank weights, when queries are compressed
    Matrix wkvA;   ///< latent: [kvLoraRank + ropeHeadDim][hidden], the latent and RoPE key
    std::vector<float> latentNorm; ///< latent: kvLoraRank weights
    /// Latent: per head [kvLoraRank][headDim], the head's key up-projection transposed: it
    /// turns the head's query into the latent's space, so keys are never decompressed.
    std::vector<Matrix> keyAbsorb;
    std::vector<Matrix> valueUp;   ///< latent: per head [valueHeadDim][kvLoraRank]
    Matrix router; ///< fp32 [routedExperts][hidden], over the real expert count
    std::vector<float> routerBias;
    std::vector<FfnWeights> routed; ///< the allocated routed experts
    std::vector<FfnWeights> shared; ///< shared experts, or the dense FFN
    FfnWeights equalActiveDense;    ///< empty unless the plan asks for it
};

/// Which FFN a prefill runs: the plan's own (routed and shared experts, or a dense plan's FFN),
/// or the dense FFN of equal active size a plan may carry for comparison.
enum class FfnPath { Planned, EqualActiveDense };

/// What to allocate: the real per-token shape, and how many layers and experts are kept.
struct ModelPlan {
    ModelShape shape;
    Precision precision = Precision::Fp32;
    std::size_t layers = 2;           ///< allocated layers, all of one kind
    std::size_t expertsAllocated = 0; ///< routed experts per layer (>= topK) when not dense
    bool dense = false;               ///< dense layers with FFN size denseFfn, no router
    std::size_t denseFfn = 0;
    /// When > 0, every layer also holds a dense FFN of this size (FfnPath::EqualActiveDense). It
    /// shares the attention, norms and head, so a dense model of equal active size costs only its
    /// FFNs, and its prefill can be timed in alternation with the MoE's.
    std::size_t equalActiveDenseFfn = 0;
    std::size_t maxContext = 256; ///< KV cache capacity in tokens
    std::size_t maxBatch = 0;     ///< most tokens one prefill runs; 0: maxContext
    std::size_t threads = 1;      ///< pool threads it runs on, each with its own prefill buffers
};

/// Tokens the plan's prefill buffers hold: maxBatch, at most maxContext.
[[nodiscard]] std::size_t planBatch(const ModelPlan &plan);

/// Bytes of weights a plan allocates (including the output head), in bytes.
[[nodiscard]] double planWeightBytes(const ModelPlan &plan);

/// Bytes of the plan's KV cache and every working buffer of decode and prefill (shared and
/// per thread), in bytes.
[[nodiscard]] double planWorkingBytes(const ModelPlan &plan);

/// Time a decode step spent in one phase, and the part of it the pool's threads spent waiting
/// at the ends of its parallel steps (ThreadPool::takeWaitingSeconds).
struct PhaseSeconds {
    double total = 0.0;
    double waiting = 0.0;
};

/// Where decode steps' time went, measured with a timestamp at each phase boundary and summed
/// over the steps since the last MoeModel::takeDecodePhases().
struct DecodePhases {
    PhaseSeconds attention; ///< norm, q/k/v projections, attention over the cache, output projection
    PhaseSeconds router;    ///< the FFN's norm, router logits and top-k choice
    PhaseSeconds experts;   ///< the chosen and shared experts (a dense layer's FFN)
    PhaseSeconds head;      ///< final norm and output head
    std::size_t steps = 0;

    DecodePhases &operator+=(const DecodePhases &other);
};

/// A stack of decoder layers plus final norm and output head, with random weights, a KV cache,
/// and optimised decode (one token) and prefill (a batch of tokens, grouped per expert) paths.
class MoeModel {
public:
    /// Allocates and fills every weight (pre-faulting all pages) and reserves the KV cache and
    /// prefill buffers (committed as they are first written); returns an Error if cancelled.
    /// Throws std::bad_alloc when the system refuses memory.
    static Result<std::unique_ptr<MoeModel>> build(const ModelPlan &plan, std::uint64_t seed,
                                                   ThreadPool &pool,
                                                   const std::atomic<bool> *cancel);

    /// Runs one token (its embedding, hidden values) at the next cache position; fills logits
    /// (vocab values). Returns an Error if cancelled or the cache is full.
    Status decode(const float *embedding, std::vector<float> &logits, SimdLevel simd,
                  ThreadPool &pool, const std::atomic<bool> *cancel);

    /// Runs `tokens` embeddings ([tokens][hidden]) as one batch from the current position through
    /// the FFNs `path` names; fills the last token's logits. Returns an Error if cancelled, if the
    /// batch exceeds planBatch, if the cache would overflow or if the plan holds no FFN for
    /// `path`. Runs on the pool the model was built with.
    Status prefill(const float *embeddings, std::size_t tokens, std::vector<float> &logits,
                   SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel,
                   FfnPath path = FfnPath::Planned);

    /// The phases of the decode steps run since the last call, and starts counting afresh.
    [[nodiscard]] DecodePhases takeDecodePhases() { return std::exchange(m_phases, DecodePhases{}); }
    /// Seconds the last prefill spent in its final norm and output head (the last token's).
    [[nodiscard]] double lastPrefillHeadSeconds() const { return m_prefillHeadSeconds; }

    /// Sets the number of cached positions (keeps the first `length` entries).
    void setCacheLength(std::size_t length) { m_position = length; }
    /// Positions held in the KV cache.
    [[nodiscard]] std::size_t cacheLength() const { return m_position; }

    [[nodiscard]] const ModelPlan &plan() const { return m_plan; }
    [[nodiscard]] const LayerWeights &layer(std::size_t index) const { return m_layers[index]; }
    [[nodiscard]] const std::vector<float> &finalNorm() const { return m_finalNorm; }
    [[nodiscard]] const Matrix &head() const { return m_head; }
    /// Routing rule of the plan's shape.
    [[nodiscard]] RouterRule routerRule() const;

private:
    explicit MoeModel(const ModelPlan &plan) : m_plan(plan) {}
    /// Decode's attention through layer `l` for the token at m_position, from m_h; its output
    /// projection lands in m_out.
    void attentionDecode(std::size_t l, SimdLevel simd, ThreadPool &pool,
                         const std::atomic<bool> *cancel);
    void latentAttentionDecode(std::size_t l, SimdLevel simd, ThreadPool &pool,
                               const std::atomic<bool> *cancel);
    /// Prefill's attention through layer `l` for `tokens` tokens from m_position, from m_bh;
    /// its output projection lands in m_bout.
    void attentionPrefill(std::size_t l, std::size_t tokens, SimdLevel simd, ThreadPool &pool,
                          const std::atomic<bool> *cancel);
    void latentAttentionPrefill(std::size_t l, std::size_t tokens, SimdLevel simd,
                                ThreadPool &pool, const std::atomic<bool> *cancel);
    Status ffnDecode(const LayerWeights &layer, SimdLevel simd, ThreadPool &pool,
                     const std::atomic<bool> *cancel);
    Status ffnPrefill(const LayerWeights &layer, std::size_t tokens, FfnPath path,
                      SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel);
    /// The routed experts' share of ffnPrefill: routes every token, then adds each expert's
    /// output for its tokens into m_bout.
    Status routedPrefill(const LayerWeights &layer, std::size_t tokens, SimdLevel simd,
                         ThreadPool &pool, const std::atomic<bool> *cancel);

    /// One pool thread's buffers for the experts it runs in a prefill, each sized for
    /// planBatch tokens at the widest FFN.
    struct ThreadScratch {
        LargeArray<float> gate, up, down, gathered, sum;
    };

    /// KV head `head`'s rows in a layer's key or value cache. Each head's positions lie side by
    /// side, so attention reads a head's keys and values as two sequential streams; with each
    /// position's heads side by side, a head read 512 bytes every 8 KiB (OLMoE) at half the
    /// speed, cold from memory.
    [[nodiscard]] float *cachedHead(LargeArray<float> &cache, std::size_t head) const;
    /// Copies the keys and values of `tokens` tokens, [token][keys then values], into layer
    /// l's cache from m_position on; on the pool when `pool` is given.
    void cacheKeysAndValues(std::size_t l, const float *kv, std::size_t tokens, ThreadPool *pool);
    /// Adds the time since the last mark, and the pool's waiting in it, to `phase`.
    void lap(PhaseSeconds &phase, ThreadPool &pool);

    ModelPlan m_plan;
    DecodePhases m_phases;
    std::chrono::steady_clock::time_point m_mark;
    double m_prefillHeadSeconds = 0.0;
    /// Holds every weight matrix; declared first, so it outlives them.
    LargeArena m_weights;
    std::vector<LayerWeights> m_layers;
    std::vector<float> m_finalNorm;
    Matrix m_head;
    /// Per layer [kvHeads][maxContext][headDim] (see cachedHead); latent:
    /// [maxContext][kvLoraRank + ropeHeadDim], each position's latent followed by its RoPE key.
    std::vector<LargeArray<float>> m_keys;
    /// Per layer [kvHeads][maxContext][headDim]; latent: none.
    std::vector<LargeArray<float>> m_values;
    std::size_t m_position = 0;

    // Decode's buffers (one token), reused between calls: m_q the query, m_kv the new key and
    // value on their way into the cache, m_attention the heads' outputs; for latent attention
    // m_qLatent the compressed query, m_absorbed each head's query in the latent's space
    // followed by its RoPE query, and m_latentOut each head's weighted sum of latents.
    std::vector<float> m_x, m_h, m_q, m_kv, m_attention, m_out, m_act, m_logitsRouter;
    std::vector<float> m_qLatent, m_absorbed, m_latentOut;
    // Prefill's buffers, [planBatch][width], as decode's; pages are committed as a prefill
    // first writes them.
    LargeArray<float> m_bx, m_bh, m_bq, m_bkv, m_battention, m_bout, m_routerLogits;
    LargeArray<float> m_bqLatent, m_babsorbed, m_blatentOut;
    std::vector<ThreadScratch> m_scratch; ///< one per pool thread
};

} // namespace cliff::bench
