#pragma once

#include <cstddef>

namespace cliff::bench {

class Matrix;
class ThreadPool;

/// Instruction set a kernel call uses; chosen per call, so tests can run both on one machine.
enum class SimdLevel { Scalar, Avx2 };

/// The best level this CPU supports (AVX2 needs both avx2 and fma), detected at run time.
[[nodiscard]] SimdLevel detectSimd();

/// "scalar" or "avx2+fma".
[[nodiscard]] const char *simdName(SimdLevel simd);

/// Dot product of two fp32 vectors of length n.
[[nodiscard]] float dot(const float *a, const float *b, std::size_t n, SimdLevel simd);

/// Dot product of weight row `row` with x (length cols), dequantised for int8: sum_j w[row][j] x[j].
[[nodiscard]] float dotRow(const Matrix &w, std::size_t row, const float *x, SimdLevel simd);

/// y = W x for one token (decode); y has w.rows() elements. Rows are split across the pool.
void matVec(const Matrix &w, const float *x, float *y, SimdLevel simd, ThreadPool &pool);

/// Y = X W^T for `tokens` tokens (prefill): y[t*ldy + r] = sum_j w[r][j] x[t*ldx + j]. Tiled
/// 4 weight rows x 3 tokens per micro-kernel; int8 panels are dequantised once per 4 rows.
void gemm(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens, float *y,
          std::size_t ldy, SimdLevel simd, ThreadPool &pool);

/// out = x / rms(x) * weight over n elements, rms with `eps` added to the mean square.
void rmsNorm(const float *x, const float *weight, float *out, std::size_t n, float eps);

/// SiLU(x) = x / (1 + e^-x).
[[nodiscard]] float silu(float x);

/// Replaces values[0..n) by their softmax (max subtracted first for range safety).
void softmaxInPlace(float *values, std::size_t n);

} // namespace cliff::bench
