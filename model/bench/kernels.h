#pragma once

#include "model_shape.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cliff::bench {

class Matrix;
class ThreadPool;

/// Instruction set a kernel call uses; chosen per call, so tests can run every level one machine
/// has. Each level includes the one before it: Avx512Vnni runs the int8 and q4 products as 512-bit
/// integer dot products (vpdpbusd), bf16 prefill on VDPBF16PS where the CPU has it, and the
/// rest on 512-bit vectors.
enum class SimdLevel { Scalar, Avx2, Avx512Vnni };

/// The best level this CPU supports (AVX2 needs avx2 and fma; AVX-512 VNNI needs avx512f, bw,
/// vl and vnni as well; both need f16c for q4 scales), detected at run time.
[[nodiscard]] SimdLevel detectSimd();

/// True when this CPU can run kernels at `simd`.
[[nodiscard]] bool simdSupported(SimdLevel simd);

/// Whether bf16 prefill products at `simd` run on the cores' bf16 dot product (VDPBF16PS:
/// AVX-512 with avx512bf16), the activations rounded to bf16 too. Decode, and prefill
/// elsewhere, widen the bf16 weights to fp32 and multiply them by the activations as given.
[[nodiscard]] bool bf16DotProducts(SimdLevel simd);

/// "scalar", "avx2+fma" or "avx512+vnni".
[[nodiscard]] const char *simdName(SimdLevel simd);

/// Elements per activation block of int8 codes, the weights' block, so the int8 and q4 kernels
/// pair each weight block with one activation block.
inline constexpr std::size_t kActivationBlock = kQuantBlock;

/// Whether products with weights of `precision` quantise the activations to int8 (int8 and q4).
[[nodiscard]] bool quantisesActivations(Precision precision);

/// One token's activations prepared for matrix-vector products with a matrix of one precision:
/// fp32 as given, or quantised to int8 codes so the dot product runs on integers. For q4
/// weights (a scale per block) each block of kActivationBlock has its own scale, max|x| / 127
/// over the block, as ggml's Q8_0 does; for int8 weights (a scale per row) the token has one,
/// max|x| / 127 over the token, which every block holds, so integer sums can run the whole row.
class Activations {
public:
    /// Prepares x[0..n) for a matrix stored at `precision`; x must outlive this object's use.
    void set(const float *x, std::size_t n, Precision precision);

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool quantised() const { return m_quantised; }
    /// The fp32 values as given.
    [[nodiscard]] const float *values() const { return m_x; }
    /// The int8 values, zero past size() to the end of the last block; only when quantised().
    [[nodiscard]] const std::int8_t *codes() const { return m_codes.data(); }
    /// Scale of each block; only when quantised().
    [[nodiscard]] const float *blockScales() const { return m_scales.data(); }
    /// Element j as the kernel sees it: dequantised when quantised().
    [[nodiscard]] float at(std::size_t j) const;
    /// Sum of each block's codes; only when quantised(). Kernels that multiply weight codes
    /// with a zero point z subtract z x this from each block's integer sum.
    [[nodiscard]] const std::int32_t *blockTotals() const { return m_blockTotals.data(); }

private:
    const float *m_x = nullptr;
    std::size_t m_size = 0;
    bool m_quantised = false;
    std::vector<std::int8_t> m_codes;
    std::vector<float> m_scales;
    std::vector<std::int32_t> m_blockTotals;
};

/// Dot product of two fp32 vectors of length n.
[[nodiscard]] float dot(const float *a, const float *b, std::size_t n, SimdLevel simd);

/// y[0..n) += a x[0..n).
void axpy(float a, const float *x, float *y, std::size_t n, SimdLevel simd);

/// Dot product of weight row `row` with fp32 x (length cols), dequantised for int8 and q4 (one
/// weight at a time: for checks, not for speed): sum_j w[row][j] x[j].
[[nodiscard]] float dotRow(const Matrix &w, std::size_t row, const float *x, SimdLevel simd);

/// Dot product of weight row `row` with prepared activations: fp32, or for int8 and q4 weights
/// integer dots scaled by the activations' and the weights' scales (computed for the row's
/// whole group of 16, so for checks, not for speed).
[[nodiscard]] float dotRow(const Matrix &w, std::size_t row, const Activations &x, SimdLevel simd);

/// y[i] = (row begin + i of W) . x for rows [begin, end), read by the calling thread as two
/// sequential streams of row groups, the range's halves, a slice or block of each in turn.
/// Stops early, leaving y partly written, once `cancel` (may be null) is set; checked every
/// 16 MiB of weights, so even a 3.7 GB fp32 output head or a large model's expert rows stop
/// within milliseconds.
void dotRows(const Matrix &w, std::size_t begin, std::size_t end, const Activations &x,
             SimdLevel simd, float *y, const std::atomic<bool> *cancel = nullptr);

/// The fewest rows a decode product hands a pool thread at a time: four row groups, so even
/// the last, shortest ranges of a balanced split read two streams of two groups each. A grain
/// of one group left the tail of every product to single-group ranges, each restarting its
/// streams (OLMoE decode rose from 0.86 to 0.89 of the read probe at int8, 0.94 to 0.97 at
/// fp32).
inline constexpr std::size_t kDecodeRowGrain = 4 * kRowGroup;

/// y = W x for one token (decode); y has w.rows() elements. Rows are split across the pool.
/// For int8 and q4 weights x is quantised first (see Activations).
/// Stops early, leaving y partly written, once `cancel` (may be null) is set (see dotRows).
void matVec(const Matrix &w, const float *x, float *y, SimdLevel simd, ThreadPool &pool,
            const std::atomic<bool> *cancel = nullptr);

/// Y = X W^T for `tokens` tokens (prefill): y[t*ldy + r] = sum_j w[r][j] x[t*ldx + j]. A group
/// of 16 rows runs a tile of tokens at a time, its weights prefetched ahead of use. Fp32 and
/// bf16: up to 24 tokens (AVX2: 4), packed side by side; bf16 on VDPBF16PS with the tokens
/// rounded to bf16 where bf16DotProducts(simd), else on weights widened to fp32. Int8 and q4:
/// each token is quantised as in decode (see Activations) and a tile runs up to 8 tokens' (int8
/// on AVX-512 VNNI: 16) integer dot products. Tokens are split evenly over the fewest tiles.
/// Stops early, leaving y partly written, once `cancel` (may be null) is set; checked at least
/// every group of 16 rows, so a large prefill GEMM still stops within milliseconds.
void gemm(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens, float *y,
          std::size_t ldy, SimdLevel simd, ThreadPool &pool,
          const std::atomic<bool> *cancel = nullptr);

/// One matrix of a product that several matrices take with the same tokens (a layer's query,
/// key and value projections, an expert's gate and up): y[t * ldy + r] for w's rows r.
struct Product {
    const Matrix *w = nullptr;
    float *y = nullptr;
    std::size_t ldy = 0;
};

/// gemm for matrices of one precision and width with the same tokens: the tokens are
/// quantised, packed or rounded once for all of them, and all their rows are split over the
/// pool as one range.
void gemm(std::span<const Product> products, const float *x, std::size_t ldx,
          std::size_t tokens, SimdLevel simd, ThreadPool &pool,
          const std::atomic<bool> *cancel = nullptr);

/// The same products on the calling thread alone: for callers that run independent GEMMs on
/// separate threads, as a MoE layer's prefill runs its experts.
void gemmOnThisThread(std::span<const Product> products, const float *x, std::size_t ldx,
                      std::size_t tokens, SimdLevel simd,
                      const std::atomic<bool> *cancel = nullptr);
void gemmOnThisThread(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens,
                      float *y, std::size_t ldy, SimdLevel simd,
                      const std::atomic<bool> *cancel = nullptr);

/// The int8 or q4 products on the calling thread for tokens already prepared for them (see
/// Activations): a token routed to several experts is quantised once, not once per expert.
void gemmOnThisThread(std::span<const Product> products,
                      std::span<const Activations *const> tokens, SimdLevel simd,
                      const std::atomic<bool> *cancel = nullptr);

/// out = x / rms(x) * weight over n elements, rms with `eps` added to the mean square.
void rmsNorm(const float *x, const float *weight, float *out, std::size_t n, float eps);

/// One head's attention over a cache: queries and keys of keyDim values, values of valueDim,
/// position p's key at keys + p * ldkv and its value at values + p * ldkv, scores scaled by
/// `scale`. Latent attention's keys are its cached rows (latent, then RoPE key) and its values
/// the latents at their start.
struct AttentionHead {
    std::size_t keyDim = 0;
    std::size_t valueDim = 0;
    std::size_t ldkv = 0;
    float scale = 1.0f;
};

/// A multi-head or grouped-query attention head: keys and values of headDim, scores scaled by
/// 1 / sqrt(headDim).
[[nodiscard]] AttentionHead plainHead(std::size_t headDim, std::size_t ldkv);

/// Causal attention of one head for one query over positions [0, context): softmax of the
/// scaled dot products with the keys, then the scores' sum of the values into
/// out[0..valueDim). `scores` holds `context` floats.
void attendQuery(const float *q, const float *keys, const float *values, std::size_t context,
                 const AttentionHead &head, float *scores, float *out, SimdLevel simd);

/// Queries attendQueries runs side by side on AVX-512, one per 32-bit lane.
inline constexpr std::size_t kAttentionQueryBlock = 16;

/// attendQuery for `count` consecutive queries of one head (prefill): query i, at q + i * ldq
/// and position first + i, sees positions [0, first + i] and writes out + i * ldo. With
/// AVX-512, kAttentionQueryBlock queries run side by side, so each key and value is read once
/// for all of them.
void attendQueries(const float *q, std::size_t ldq, std::size_t count, std::size_t first,
                   const float *keys, const float *values, const AttentionHead &head,
                   float *out, std::size_t ldo, SimdLevel simd);

/// gate[0..n) = SiLU(gate) x up with SiLU(x) = x / (1 + e^-x), a SwiGLU FFN's activation;
/// with SIMD, e^-x comes from a polynomial within a few units in the last place of std::exp.
void swiGlu(float *gate, const float *up, std::size_t n, SimdLevel simd);

/// Replaces values[0..n) by their softmax (max subtracted first for range safety).
void softmaxInPlace(float *values, std::size_t n);

} // namespace cliff::bench
