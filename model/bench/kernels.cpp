#include "kernels.h"

#include "matrix.h"
#include "thread_pool.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>
#include <vector>

namespace cliff::bench {

namespace {

constexpr std::size_t kRowBlock = 4;
constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kColumnBlock = 2048;
constexpr std::size_t kMatVecRowGrain = 16;
// Weights a matrix-vector thread reads between two looks at the cancel flag: under a
// millisecond of DRAM bandwidth.
constexpr double kMatVecCancelBytes = 16.0 * (1 << 20);

float dotF32Scalar(const float *a, const float *b, std::size_t n)
{
    float s0 = 0.0f;
    float s1 = 0.0f;
    float s2 = 0.0f;
    float s3 = 0.0f;
    std::size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        s0 += a[j] * b[j];
        s1 += a[j + 1] * b[j + 1];
        s2 += a[j + 2] * b[j + 2];
        s3 += a[j + 3] * b[j + 3];
    }
    for (; j < n; ++j)
        s0 += a[j] * b[j];
    return (s0 + s1) + (s2 + s3);
}

float dotQ8Scalar(const std::int8_t *w, const float *x, std::size_t n)
{
    float s0 = 0.0f;
    float s1 = 0.0f;
    std::size_t j = 0;
    for (; j + 2 <= n; j += 2) {
        s0 += static_cast<float>(w[j]) * x[j];
        s1 += static_cast<float>(w[j + 1]) * x[j + 1];
    }
    for (; j < n; ++j)
        s0 += static_cast<float>(w[j]) * x[j];
    return s0 + s1;
}

float dotBf16Scalar(const std::uint16_t *w, const float *x, std::size_t n)
{
    float s0 = 0.0f;
    float s1 = 0.0f;
    std::size_t j = 0;
    for (; j + 2 <= n; j += 2) {
        s0 += fromBf16(w[j]) * x[j];
        s1 += fromBf16(w[j + 1]) * x[j + 1];
    }
    for (; j < n; ++j)
        s0 += fromBf16(w[j]) * x[j];
    return s0 + s1;
}

float dotQ4F32Scalar(const std::uint8_t *w, const std::uint16_t *scales, const float *x,
                     std::size_t n)
{
    float sum = 0.0f;
    for (std::size_t begin = 0; begin < n; begin += kQ4Block) {
        float block = 0.0f;
        for (std::size_t j = begin; j < std::min(n, begin + kQ4Block); ++j)
            block += (static_cast<float>(q4Code(w, j)) - 8.0f) * x[j];
        sum += fromHalf(scales[begin / kQ4Block]) * block;
    }
    return sum;
}

// Integer dot of q4 row `w` with block-quantised int8 activations over columns [begin, n),
// begin a multiple of kQ4Pair, each block scaled by both scales.
float dotQ4Q8Scalar(const std::uint8_t *w, const std::uint16_t *wScales, const std::int8_t *x,
                    const float *xScales, std::size_t begin, std::size_t n)
{
    float sum = 0.0f;
    for (std::size_t start = begin; start < n; start += kQ4Block) {
        std::int32_t block = 0;
        for (std::size_t j = start; j < std::min(n, start + kQ4Block); ++j)
            block += (static_cast<std::int32_t>(q4Code(w, j)) - 8) * std::int32_t{x[j]};
        const std::size_t b = start / kQ4Block;
        sum += fromHalf(wScales[b]) * xScales[b] * static_cast<float>(block);
    }
    return sum;
}

__attribute__((target("avx2,fma"))) float horizontalSum(__m256 v)
{
    const __m128 low = _mm256_castps256_ps128(v);
    const __m128 high = _mm256_extractf128_ps(v, 1);
    __m128 sum = _mm_add_ps(low, high);
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_shuffle_ps(sum, sum, 0x55));
    return _mm_cvtss_f32(sum);
}

__attribute__((target("avx2,fma"))) float dotF32Avx2(const float *a, const float *b, std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps();
    __m256 acc3 = _mm256_setzero_ps();
    std::size_t j = 0;
    for (; j + 32 <= n; j += 32) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(b + j + 8), acc1);
        acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 16), _mm256_loadu_ps(b + j + 16), acc2);
        acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 24), _mm256_loadu_ps(b + j + 24), acc3);
    }
    for (; j + 8 <= n; j += 8)
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), acc0);
    float sum = horizontalSum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; j < n; ++j)
        sum += a[j] * b[j];
    return sum;
}

__attribute__((target("avx2,fma"))) void axpyAvx2(float a, const float *x, float *y,
                                                  std::size_t n)
{
    const __m256 scale = _mm256_set1_ps(a);
    std::size_t j = 0;
    for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(y + j,
                         _mm256_fmadd_ps(scale, _mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
    for (; j < n; ++j)
        y[j] += a * x[j];
}

__attribute__((target("avx2,fma"))) __m256 widen8(const __m128i bytes)
{
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
}

__attribute__((target("avx2,fma"))) float dotQ8Avx2(const std::int8_t *w, const float *x,
                                                    std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps();
    __m256 acc3 = _mm256_setzero_ps();
    std::size_t j = 0;
    for (; j + 32 <= n; j += 32) {
        const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i *>(w + j));
        const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i *>(w + j + 16));
        acc0 = _mm256_fmadd_ps(widen8(lo), _mm256_loadu_ps(x + j), acc0);
        acc1 = _mm256_fmadd_ps(widen8(_mm_srli_si128(lo, 8)), _mm256_loadu_ps(x + j + 8), acc1);
        acc2 = _mm256_fmadd_ps(widen8(hi), _mm256_loadu_ps(x + j + 16), acc2);
        acc3 = _mm256_fmadd_ps(widen8(_mm_srli_si128(hi, 8)), _mm256_loadu_ps(x + j + 24), acc3);
    }
    for (; j + 8 <= n; j += 8) {
        const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(w + j));
        acc0 = _mm256_fmadd_ps(widen8(bytes), _mm256_loadu_ps(x + j), acc0);
    }
    float sum = horizontalSum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; j < n; ++j)
        sum += static_cast<float>(w[j]) * x[j];
    return sum;
}

// Integer dot of int8 weights with block-quantised int8 activations, before the row scale.
float dotQ8Q8Scalar(const std::int8_t *w, const std::int8_t *x, const float *scales, std::size_t n)
{
    float sum = 0.0f;
    for (std::size_t b = 0; b * kActivationBlock < n; ++b) {
        const std::size_t begin = b * kActivationBlock;
        const std::size_t end = std::min(n, begin + kActivationBlock);
        std::int32_t block = 0;
        for (std::size_t j = begin; j < end; ++j)
            block += static_cast<std::int32_t>(w[j]) * static_cast<std::int32_t>(x[j]);
        sum += scales[b] * static_cast<float>(block);
    }
    return sum;
}

// Eight partial sums of w[0..32) * x[0..32) as floats. |w| * (x * sign(w)) = w * x lets maddubs
// (unsigned x signed) multiply signed bytes; pair sums stay below 2 * 127 * 127 < 32767, so no
// saturation (the quantisers never produce -128).
__attribute__((target("avx2,fma"))) __m256 q8BlockProducts(const std::int8_t *w,
                                                           const std::int8_t *x)
{
    const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w));
    const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x));
    const __m256i products =
        _mm256_maddubs_epi16(_mm256_sign_epi8(wv, wv), _mm256_sign_epi8(xv, wv));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(products, _mm256_set1_epi16(1)));
}

__attribute__((target("avx2,fma"))) float dotQ8Q8Avx2(const std::int8_t *w, const std::int8_t *x,
                                                      const float *scales, std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    std::size_t b = 0;
    const std::size_t fullBlocks = n / kActivationBlock;
    for (; b + 2 <= fullBlocks; b += 2) {
        acc0 = _mm256_fmadd_ps(_mm256_set1_ps(scales[b]), q8BlockProducts(w + b * 32, x + b * 32),
                               acc0);
        acc1 = _mm256_fmadd_ps(_mm256_set1_ps(scales[b + 1]),
                               q8BlockProducts(w + b * 32 + 32, x + b * 32 + 32), acc1);
    }
    for (; b < fullBlocks; ++b) {
        acc0 = _mm256_fmadd_ps(_mm256_set1_ps(scales[b]), q8BlockProducts(w + b * 32, x + b * 32),
                               acc0);
    }
    float sum = horizontalSum(_mm256_add_ps(acc0, acc1));
    const std::size_t done = fullBlocks * kActivationBlock;
    if (done < n)
        sum += dotQ8Q8Scalar(w + done, x + done, scales + fullBlocks, n - done);
    return sum;
}

__attribute__((target("avx2,fma"))) __m256 q8RowBlock(const std::int8_t *row, const __m256i xv)
{
    const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(row));
    const __m256i products =
        _mm256_maddubs_epi16(_mm256_sign_epi8(wv, wv), _mm256_sign_epi8(xv, wv));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(products, _mm256_set1_epi16(1)));
}

// Four int8 rows against one block-quantised activation vector, sharing the activation loads.
__attribute__((target("avx2,fma"))) void dot4Q8Q8Avx2(const std::int8_t *const *w,
                                                      const std::int8_t *x, const float *scales,
                                                      std::size_t n, float *out)
{
    __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
    __m256 c2 = _mm256_setzero_ps(), c3 = _mm256_setzero_ps();
    const std::size_t fullBlocks = n / kActivationBlock;
    for (std::size_t b = 0; b < fullBlocks; ++b) {
        const std::size_t offset = b * kActivationBlock;
        const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + offset));
        const __m256 scale = _mm256_set1_ps(scales[b]);
        c0 = _mm256_fmadd_ps(scale, q8RowBlock(w[0] + offset, xv), c0);
        c1 = _mm256_fmadd_ps(scale, q8RowBlock(w[1] + offset, xv), c1);
        c2 = _mm256_fmadd_ps(scale, q8RowBlock(w[2] + offset, xv), c2);
        c3 = _mm256_fmadd_ps(scale, q8RowBlock(w[3] + offset, xv), c3);
    }
    out[0] = horizontalSum(c0);
    out[1] = horizontalSum(c1);
    out[2] = horizontalSum(c2);
    out[3] = horizontalSum(c3);
    const std::size_t done = fullBlocks * kActivationBlock;
    if (done < n) {
        for (std::size_t r = 0; r < 4; ++r)
            out[r] += dotQ8Q8Scalar(w[r] + done, x + done, scales + fullBlocks, n - done);
    }
}

// Q4 rows against block-quantised int8 activations. The codes (0 to 15) are multiplied as
// unsigned bytes, so each block's sum is off by 8 x the sum of its activation codes; those
// offsets are added up in fp32, weighted by the blocks' weight scales, and taken off once per
// row. Pair sums of maddubs stay below 2 x 15 x 127, far from saturation. Columns [begin, n),
// begin a multiple of kQ4Pair.
__attribute__((target("avx2,fma,f16c"))) float dotQ4Q8Avx2(const std::uint8_t *w,
                                                           const std::uint16_t *wScales,
                                                           const Activations &x,
                                                           std::size_t begin, std::size_t n)
{
    const std::int8_t *codes = x.codes();
    const float *xScales = x.blockScales();
    const float *xSums = x.blockCodeSums();
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    __m128 offsets = _mm_setzero_ps();
    const std::size_t pairs = n / kQ4Pair;
    for (std::size_t p = begin / kQ4Pair; p < pairs; ++p) {
        const std::size_t b = 2 * p;
        const __m256i packed =
            _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w + p * kQ4Block));
        const __m256i low = _mm256_and_si256(packed, nibble);
        const __m256i high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), nibble);
        const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(codes + b * 32));
        const __m256i x1 =
            _mm256_loadu_si256(reinterpret_cast<const __m256i *>(codes + b * 32 + 32));
        const __m256i d0 = _mm256_madd_epi16(_mm256_maddubs_epi16(low, x0), ones);
        const __m256i d1 = _mm256_madd_epi16(_mm256_maddubs_epi16(high, x1), ones);
        std::uint32_t twoScales = 0;
        std::memcpy(&twoScales, wScales + b, sizeof twoScales);
        const __m128 weightScales =
            _mm_cvtph_ps(_mm_cvtsi32_si128(static_cast<int>(twoScales)));
        const __m128 blockScales = _mm_mul_ps(
            weightScales, _mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double *>(xScales + b))));
        acc0 = _mm256_fmadd_ps(_mm256_broadcastss_ps(blockScales), _mm256_cvtepi32_ps(d0), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_broadcastss_ps(_mm_movehdup_ps(blockScales)),
                               _mm256_cvtepi32_ps(d1), acc1);
        offsets = _mm_fmadd_ps(
            weightScales, _mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double *>(xSums + b))),
            offsets);
    }
    offsets = _mm_add_ps(offsets, _mm_movehdup_ps(offsets));
    float sum = horizontalSum(_mm256_add_ps(acc0, acc1)) - 8.0f * _mm_cvtss_f32(offsets);
    const std::size_t done = std::max(begin, pairs * kQ4Pair);
    if (done < n)
        sum += dotQ4Q8Scalar(w, wScales, codes, xScales, done, n);
    return sum;
}

// The same product with AVX-512 VNNI: vpdpbusd multiplies unsigned by signed bytes and sums four
// products per 32-bit lane, so one instruction does for 64 bytes what sign, maddubs and madd do
// for 32 in AVX2. The weights are made unsigned as w + 128 (w xor 0x80); the 128 x sum(x) this
// adds to every block is subtracted once per row as 128 x codeSum. Lane sums stay below
// 4 x 255 x 127 < 2^24, so their conversion to fp32 is exact.
// GCC 12's AVX-512 intrinsics fill "undefined" operands by self-initialisation, which its own
// -Wuninitialized reports; the warning is about the header, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// Sixteen lane sums of (w + 128) * x over 64 bytes, as fp32.
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))) __m512
vnniBlockPair(const std::int8_t *row, const __m512i xv, const __m512i flip)
{
    const __m512i wv = _mm512_xor_si512(_mm512_loadu_si512(row), flip);
    return _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), wv, xv));
}

// The scales of blocks b and b + 1 in lanes 0-7 and 8-15, matching vnniBlockPair's lanes.
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))) __m512
blockPairScales(const float *scales)
{
    return _mm512_mask_broadcastss_ps(_mm512_set1_ps(scales[0]), 0xFF00, _mm_load_ss(scales + 1));
}

// sum + the scaled lane sums of blocks `block` and `block` + 1 of one row.
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))) __m512
addBlockPair(__m512 sum, const std::int8_t *w, const std::int8_t *x, const float *scales,
             std::size_t block, const __m512i flip)
{
    const std::size_t offset = block * kActivationBlock;
    return _mm512_fmadd_ps(blockPairScales(scales + block),
                           vnniBlockPair(w + offset, _mm512_loadu_si512(x + offset), flip), sum);
}

// Sum of (w + 128) * x over one 32-byte block, for a row's odd last full block.
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))) float
vnniBlock(const std::int8_t *row, const __m256i xv)
{
    const __m256i wv = _mm256_xor_si256(
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(row)),
        _mm256_set1_epi8(static_cast<char>(0x80)));
    return horizontalSum(_mm256_cvtepi32_ps(_mm256_dpbusd_epi32(_mm256_setzero_si256(), wv, xv)));
}

// One row's product, as dot4Q8Q8Vnni computes four: four block pairs (256 bytes) per step, in
// four accumulators so consecutive steps do not wait on each other. (Two pairs a step in two
// accumulators streamed a few per cent slower when the machine's bandwidth was high.)
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))) float
dotQ8Q8Vnni(const std::int8_t *w, const std::int8_t *x, const float *scales, float codeSum,
            std::size_t n)
{
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
    const std::size_t fullBlocks = n / kActivationBlock;
    std::size_t b = 0;
    for (; b + 8 <= fullBlocks; b += 8) {
#pragma GCC unroll 4
        for (std::size_t k = 0; k < 4; ++k)
            acc[k] = addBlockPair(acc[k], w, x, scales, b + 2 * k, flip);
    }
    for (; b + 2 <= fullBlocks; b += 2)
        acc[0] = addBlockPair(acc[0], w, x, scales, b, flip);
    float sum = _mm512_reduce_add_ps(
        _mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3])));
    if (b < fullBlocks) {
        const std::size_t offset = b * kActivationBlock;
        const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + offset));
        sum += scales[b] * vnniBlock(w + offset, xv);
    }
    sum -= 128.0f * codeSum;
    const std::size_t done = fullBlocks * kActivationBlock;
    if (done < n)
        sum += dotQ8Q8Scalar(w + done, x + done, scales + fullBlocks, n - done);
    return sum;
}

__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))) void
dot4Q8Q8Vnni(const std::int8_t *const *w, const std::int8_t *x, const float *scales,
             float codeSum, std::size_t n, float *out)
{
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    __m512 c0 = _mm512_setzero_ps(), c1 = _mm512_setzero_ps();
    __m512 c2 = _mm512_setzero_ps(), c3 = _mm512_setzero_ps();
    const std::size_t fullBlocks = n / kActivationBlock;
    std::size_t b = 0;
    // Two blocks per step: lanes 0-7 hold block b, lanes 8-15 block b + 1.
    for (; b + 2 <= fullBlocks; b += 2) {
        const std::size_t offset = b * kActivationBlock;
        const __m512i xv = _mm512_loadu_si512(x + offset);
        const __m512 scale = blockPairScales(scales + b);
        c0 = _mm512_fmadd_ps(scale, vnniBlockPair(w[0] + offset, xv, flip), c0);
        c1 = _mm512_fmadd_ps(scale, vnniBlockPair(w[1] + offset, xv, flip), c1);
        c2 = _mm512_fmadd_ps(scale, vnniBlockPair(w[2] + offset, xv, flip), c2);
        c3 = _mm512_fmadd_ps(scale, vnniBlockPair(w[3] + offset, xv, flip), c3);
    }
    float sums[4] = {_mm512_reduce_add_ps(c0), _mm512_reduce_add_ps(c1),
                     _mm512_reduce_add_ps(c2), _mm512_reduce_add_ps(c3)};
    if (b < fullBlocks) {
        const std::size_t offset = b * kActivationBlock;
        const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + offset));
        for (std::size_t r = 0; r < 4; ++r)
            sums[r] += scales[b] * vnniBlock(w[r] + offset, xv);
    }
    const float correction = 128.0f * codeSum;
    const std::size_t done = fullBlocks * kActivationBlock;
    for (std::size_t r = 0; r < 4; ++r) {
        out[r] = sums[r] - correction;
        if (done < n)
            out[r] += dotQ8Q8Scalar(w[r] + done, x + done, scales + fullBlocks, n - done);
    }
}

// 64 q4 codes of one pair as unsigned bytes in column order: the 32 bytes in both halves, the
// upper half shifted down a nibble, both masked to 4 bits.
__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"))) __m512i
q4PairCodes(const std::uint8_t *codes)
{
    const __m512i both =
        _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(codes)));
    const __m512i shifted = _mm512_mask_srli_epi16(both, 0xFFFF0000u, both, 4);
    return _mm512_and_si512(shifted, _mm512_set1_epi8(0x0F));
}

// The q4 product as dotQ4Q8Avx2 computes it, a pair (64 weights) per vpdpbusd: lanes 0-7 hold
// the pair's first block, lanes 8-15 its second, each scaled by its two scales. Two pairs a
// step share one conversion of four fp16 scales.
__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"))) float
dotQ4Q8Vnni(const std::uint8_t *w, const std::uint16_t *wScales, const Activations &x,
            std::size_t n)
{
    const std::int8_t *codes = x.codes();
    const float *xScales = x.blockScales();
    const float *xSums = x.blockCodeSums();
    const __m512i firstPair = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    const __m512i secondPair = _mm512_setr_epi32(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    __m512 acc0 = _mm512_setzero_ps();
    __m512 acc1 = _mm512_setzero_ps();
    __m128 offsets = _mm_setzero_ps();
    const std::size_t pairs = n / kQ4Pair;
    std::size_t p = 0;
    for (; p + 2 <= pairs; p += 2) {
        const std::size_t b = 2 * p;
        const __m128 weightScales =
            _mm_cvtph_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(wScales + b)));
        const __m512 blockScales =
            _mm512_castps128_ps512(_mm_mul_ps(weightScales, _mm_loadu_ps(xScales + b)));
        offsets = _mm_fmadd_ps(weightScales, _mm_loadu_ps(xSums + b), offsets);
        const __m512i d0 = _mm512_dpbusd_epi32(_mm512_setzero_si512(),
                                               q4PairCodes(w + p * kQ4Block),
                                               _mm512_loadu_si512(codes + b * 32));
        const __m512i d1 = _mm512_dpbusd_epi32(_mm512_setzero_si512(),
                                               q4PairCodes(w + p * kQ4Block + kQ4Block),
                                               _mm512_loadu_si512(codes + b * 32 + kQ4Pair));
        acc0 = _mm512_fmadd_ps(_mm512_permutexvar_ps(firstPair, blockScales),
                               _mm512_cvtepi32_ps(d0), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_permutexvar_ps(secondPair, blockScales),
                               _mm512_cvtepi32_ps(d1), acc1);
    }
    float sum = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
    const __m128 pairOffsets = _mm_add_ps(offsets, _mm_movehl_ps(offsets, offsets));
    sum -= 8.0f * _mm_cvtss_f32(_mm_add_ss(pairOffsets, _mm_movehdup_ps(pairOffsets)));
    const std::size_t done = p * kQ4Pair;
    if (done < n)
        sum += dotQ4Q8Avx2(w, wScales, x, done, n);
    return sum;
}

// A q4 row unpacked for a prefill, in which every token reuses it: its codes as bytes in column
// order (the full pairs only), and each pair's two block scales spread over the lanes that
// vpdpbusd fills with that block's sums (0-7 and 8-15).
struct UnpackedQ4Rows {
    std::vector<std::uint8_t> codes;  // [kRowBlock][pairs * kQ4Pair]
    std::vector<float> pairScales;    // [kRowBlock][pairs * 16]
    std::vector<float> blockScales;   // [kRowBlock][pairs * 2]
    std::size_t pairs = 0;
};

__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"))) void
unpackQ4Rows(const Matrix &w, std::size_t r0, UnpackedQ4Rows &out)
{
    out.pairs = w.cols() / kQ4Pair;
    out.codes.resize(kRowBlock * out.pairs * kQ4Pair);
    out.pairScales.resize(kRowBlock * out.pairs * 16);
    out.blockScales.resize(kRowBlock * out.pairs * 2);
    for (std::size_t k = 0; k < kRowBlock; ++k) {
        const std::uint8_t *codes = w.rowQ4(r0 + k);
        const std::uint16_t *scales = w.q4Scales(r0 + k);
        for (std::size_t p = 0; p < out.pairs; ++p) {
            const std::size_t pair = k * out.pairs + p;
            _mm512_storeu_si512(out.codes.data() + pair * kQ4Pair,
                                q4PairCodes(codes + p * kQ4Block));
            const float first = _cvtsh_ss(scales[2 * p]);
            const float second = _cvtsh_ss(scales[2 * p + 1]);
            _mm512_storeu_ps(out.pairScales.data() + pair * 16,
                             _mm512_mask_blend_ps(0xFF00, _mm512_set1_ps(first),
                                                  _mm512_set1_ps(second)));
            out.blockScales[2 * pair] = first;
            out.blockScales[2 * pair + 1] = second;
        }
    }
}

// Four unpacked q4 rows against one token over their full pairs, sharing the token's loads:
// per pair and row, one vpdpbusd, and the sums scaled by the weights' and the token's block
// scales. Each row's offset (8 x the token's code sums, weighted by the block scales) is taken
// off at the end, as in dotQ4Q8Vnni.
__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"))) void
dot4Q4UnpackedVnni(const UnpackedQ4Rows &rows, const Activations &x, float *out)
{
    const std::size_t pairs = rows.pairs;
    const std::size_t stride = pairs * kQ4Pair;
    const std::int8_t *codes = x.codes();
    const float *xScales = x.blockScales();
    __m512 acc[kRowBlock] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                             _mm512_setzero_ps()};
    for (std::size_t p = 0; p < pairs; ++p) {
        const __m512i xv = _mm512_loadu_si512(codes + p * kQ4Pair);
        const __m512 tokenScales = blockPairScales(xScales + 2 * p);
#pragma GCC unroll 4
        for (std::size_t k = 0; k < kRowBlock; ++k) {
            const __m512i sums = _mm512_dpbusd_epi32(
                _mm512_setzero_si512(),
                _mm512_loadu_si512(rows.codes.data() + k * stride + p * kQ4Pair), xv);
            const __m512 scales = _mm512_mul_ps(
                tokenScales, _mm512_loadu_ps(rows.pairScales.data() + (k * pairs + p) * 16));
            acc[k] = _mm512_fmadd_ps(scales, _mm512_cvtepi32_ps(sums), acc[k]);
        }
    }
    const float *xSums = x.blockCodeSums();
    for (std::size_t k = 0; k < kRowBlock; ++k) {
        const float *scales = rows.blockScales.data() + k * pairs * 2;
        __m512 offsets = _mm512_setzero_ps();
        std::size_t b = 0;
        for (; b + 16 <= 2 * pairs; b += 16)
            offsets = _mm512_fmadd_ps(_mm512_loadu_ps(scales + b), _mm512_loadu_ps(xSums + b),
                                      offsets);
        float offset = _mm512_reduce_add_ps(offsets);
        for (; b < 2 * pairs; ++b)
            offset += scales[b] * xSums[b];
        out[k] = _mm512_reduce_add_ps(acc[k]) - 8.0f * offset;
    }
}

// The fp32 GEMM runs tiles of 4 weight rows x up to `tokens` tokens, vectorised along the
// reduction dimension (weights and activations are both contiguous in it, so nothing is packed).
// AVX2's 12 accumulators plus 3 token vectors and a weight vector fill its 16 registers;
// AVX-512's 24 accumulators plus 6 token vectors fill 31 of its 32.
constexpr std::size_t kTokenBlockAvx2 = 3;
constexpr std::size_t kTokenBlockAvx512 = 6;
// Weights are fetched this many floats ahead of the multiply: an expert with a few tokens
// streams its weights from DRAM, and the hardware prefetchers alone leave the bus idle while a
// tile's sums are reduced and stored.
constexpr std::size_t kPrefetchFloats = 256;

std::size_t tokenBlock(SimdLevel simd)
{
    return simd == SimdLevel::Avx512Vnni ? kTokenBlockAvx512 : kTokenBlockAvx2;
}

// {sum of a's lanes, b's, c's, d's}.
__attribute__((target("avx2,fma"))) __m128 laneSums4(__m256 a, __m256 b, __m256 c, __m256 d)
{
    const __m256 sums = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(sums), _mm256_extractf128_ps(sums, 1));
}

__attribute__((target("avx2,fma,avx512f"))) __m256 foldHalves(__m512 v)
{
    const __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    return _mm256_add_ps(_mm512_castps512_ps256(v), high);
}

// Bf16 weights widen to fp32 by a 16-bit shift, exactly, then multiply-add as fp32: decode is
// bound by the bytes read, which bf16 halves.
__attribute__((target("avx2,fma"))) __m256 widenBf16Avx2(const std::uint16_t *w)
{
    const __m128i half = _mm_loadu_si128(reinterpret_cast<const __m128i *>(w));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(half), 16));
}

__attribute__((target("avx2,fma"))) float dotBf16Avx2(const std::uint16_t *w, const float *x,
                                                      std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    std::size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        acc0 = _mm256_fmadd_ps(widenBf16Avx2(w + j), _mm256_loadu_ps(x + j), acc0);
        acc1 = _mm256_fmadd_ps(widenBf16Avx2(w + j + 8), _mm256_loadu_ps(x + j + 8), acc1);
    }
    float sum = horizontalSum(_mm256_add_ps(acc0, acc1));
    for (; j < n; ++j)
        sum += fromBf16(w[j]) * x[j];
    return sum;
}

__attribute__((target("avx2,fma,avx512f"))) __m512 widenBf16Avx512(const std::uint16_t *w)
{
    const __m256i half = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w));
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16));
}

// dst[0..n) = the fp32 values of bf16 src[0..n), 16 (AVX-512) or 8 (AVX2) a step.
__attribute__((target("avx2,fma,avx512f"))) void widenRowAvx512(const std::uint16_t *src,
                                                                float *dst, std::size_t n)
{
    std::size_t j = 0;
    for (; j + 16 <= n; j += 16)
        _mm512_storeu_ps(dst + j, widenBf16Avx512(src + j));
    for (; j < n; ++j)
        dst[j] = fromBf16(src[j]);
}

__attribute__((target("avx2,fma"))) void widenRowAvx2(const std::uint16_t *src, float *dst,
                                                      std::size_t n)
{
    std::size_t j = 0;
    for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(dst + j, widenBf16Avx2(src + j));
    for (; j < n; ++j)
        dst[j] = fromBf16(src[j]);
}

void widenRow(const std::uint16_t *src, float *dst, std::size_t n, SimdLevel simd)
{
    switch (simd) {
    case SimdLevel::Avx512Vnni:
        widenRowAvx512(src, dst, n);
        return;
    case SimdLevel::Avx2:
        widenRowAvx2(src, dst, n);
        return;
    case SimdLevel::Scalar:
        break;
    }
    for (std::size_t j = 0; j < n; ++j)
        dst[j] = fromBf16(src[j]);
}

__attribute__((target("avx2,fma,avx512f"))) float dotBf16Avx512(const std::uint16_t *w,
                                                                const float *x, std::size_t n)
{
    __m512 acc0 = _mm512_setzero_ps();
    __m512 acc1 = _mm512_setzero_ps();
    std::size_t j = 0;
    for (; j + 32 <= n; j += 32) {
        acc0 = _mm512_fmadd_ps(widenBf16Avx512(w + j), _mm512_loadu_ps(x + j), acc0);
        acc1 = _mm512_fmadd_ps(widenBf16Avx512(w + j + 16), _mm512_loadu_ps(x + j + 16), acc1);
    }
    float sum = horizontalSum(foldHalves(_mm512_add_ps(acc0, acc1)));
    for (; j < n; ++j)
        sum += fromBf16(w[j]) * x[j];
    return sum;
}

// y[0..4) = sums, or y[0..4) += sums: one token's outputs of 4 adjacent rows are adjacent in y.
__attribute__((target("avx2,fma"))) void storeRowSums(float *y, __m128 sums, bool accumulate)
{
    _mm_storeu_ps(y, accumulate ? _mm_add_ps(_mm_loadu_ps(y), sums) : sums);
}

__attribute__((target("avx2,fma"))) void prefetchRows(const float *const *w, std::size_t j,
                                                      std::size_t prefetchable)
{
    if (j + kPrefetchFloats >= prefetchable)
        return;
    for (std::size_t r = 0; r < kRowBlock; ++r)
        _mm_prefetch(reinterpret_cast<const char *>(w[r] + j + kPrefetchFloats), _MM_HINT_T0);
}

// One step of 8 columns: acc[r][t] += w[r][j..j+8) * x[t][j..j+8); the tail step loads only
// the columns `mask` selects (the rest count as zero).
template <std::size_t Tokens, bool Tail>
__attribute__((target("avx2,fma"))) void tileStepAvx2(__m256 (&acc)[kRowBlock][Tokens],
                                                      const float *const *w, const float *x,
                                                      std::size_t ldx, std::size_t j,
                                                      __m256i mask)
{
    __m256 xs[Tokens];
#pragma GCC unroll 8
    for (std::size_t t = 0; t < Tokens; ++t)
        xs[t] = Tail ? _mm256_maskload_ps(x + t * ldx + j, mask)
                     : _mm256_loadu_ps(x + t * ldx + j);
#pragma GCC unroll 4
    for (std::size_t r = 0; r < kRowBlock; ++r) {
        const __m256 v = Tail ? _mm256_maskload_ps(w[r] + j, mask) : _mm256_loadu_ps(w[r] + j);
#pragma GCC unroll 8
        for (std::size_t t = 0; t < Tokens; ++t)
            acc[r][t] = _mm256_fmadd_ps(v, xs[t], acc[r][t]);
    }
}

// y[t * ldy + r] (=, or += when accumulating) sum over j < n of w[r][j] x[t * ldx + j], for the
// 4 rows of w and `Tokens` tokens. Weights at columns up to `prefetchable` may be prefetched.
template <std::size_t Tokens>
__attribute__((target("avx2,fma"))) void tileAvx2(const float *const *w, const float *x,
                                                  std::size_t ldx, std::size_t n,
                                                  std::size_t prefetchable, float *y,
                                                  std::size_t ldy, bool accumulate)
{
    __m256 acc[kRowBlock][Tokens];
    for (auto &row : acc) {
        for (__m256 &sum : row)
            sum = _mm256_setzero_ps();
    }
    const __m256i all = _mm256_set1_epi32(-1);
    std::size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        prefetchRows(w, j, prefetchable);
        tileStepAvx2<Tokens, false>(acc, w, x, ldx, j, all);
        tileStepAvx2<Tokens, false>(acc, w, x, ldx, j + 8, all);
    }
    for (; j + 8 <= n; j += 8)
        tileStepAvx2<Tokens, false>(acc, w, x, ldx, j, all);
    if (j < n) {
        const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        const __m256i mask =
            _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n - j)), lanes);
        tileStepAvx2<Tokens, true>(acc, w, x, ldx, j, mask);
    }
    for (std::size_t t = 0; t < Tokens; ++t)
        storeRowSums(y + t * ldy, laneSums4(acc[0][t], acc[1][t], acc[2][t], acc[3][t]),
                     accumulate);
}

template <std::size_t Tokens, bool Tail>
__attribute__((target("avx2,fma,avx512f"))) void tileStepAvx512(
    __m512 (&acc)[kRowBlock][Tokens], const float *const *w, const float *x, std::size_t ldx,
    std::size_t j, __mmask16 mask)
{
    __m512 xs[Tokens];
#pragma GCC unroll 8
    for (std::size_t t = 0; t < Tokens; ++t)
        xs[t] = Tail ? _mm512_maskz_loadu_ps(mask, x + t * ldx + j)
                     : _mm512_loadu_ps(x + t * ldx + j);
#pragma GCC unroll 4
    for (std::size_t r = 0; r < kRowBlock; ++r) {
        const __m512 v = Tail ? _mm512_maskz_loadu_ps(mask, w[r] + j) : _mm512_loadu_ps(w[r] + j);
#pragma GCC unroll 8
        for (std::size_t t = 0; t < Tokens; ++t)
            acc[r][t] = _mm512_fmadd_ps(v, xs[t], acc[r][t]);
    }
}

// As tileAvx2, 16 columns a step.
template <std::size_t Tokens>
__attribute__((target("avx2,fma,avx512f"))) void tileAvx512(const float *const *w,
                                                            const float *x, std::size_t ldx,
                                                            std::size_t n,
                                                            std::size_t prefetchable, float *y,
                                                            std::size_t ldy, bool accumulate)
{
    __m512 acc[kRowBlock][Tokens];
    for (auto &row : acc) {
        for (__m512 &sum : row)
            sum = _mm512_setzero_ps();
    }
    std::size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        prefetchRows(w, j, prefetchable);
        tileStepAvx512<Tokens, false>(acc, w, x, ldx, j, 0xFFFF);
    }
    if (j < n) {
        const auto mask = static_cast<__mmask16>((1u << (n - j)) - 1u);
        tileStepAvx512<Tokens, true>(acc, w, x, ldx, j, mask);
    }
    for (std::size_t t = 0; t < Tokens; ++t) {
        storeRowSums(y + t * ldy,
                     laneSums4(foldHalves(acc[0][t]), foldHalves(acc[1][t]),
                               foldHalves(acc[2][t]), foldHalves(acc[3][t])),
                     accumulate);
    }
}

float dotRowQ4(const Matrix &w, std::size_t row, const Activations &x, SimdLevel simd);

void tileScalar(const float *const *w, const float *x, std::size_t ldx, std::size_t tokens,
                std::size_t n, float *y, std::size_t ldy, bool accumulate)
{
    float acc[kRowBlock][kTokenBlockAvx2] = {};
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t r = 0; r < kRowBlock; ++r) {
            const float v = w[r][j];
            for (std::size_t t = 0; t < tokens; ++t)
                acc[r][t] += v * x[t * ldx + j];
        }
    }
    for (std::size_t t = 0; t < tokens; ++t) {
        for (std::size_t r = 0; r < kRowBlock; ++r)
            y[t * ldy + r] = (accumulate ? y[t * ldy + r] : 0.0f) + acc[r][t];
    }
}

using TileKernel = void (*)(const float *const *, const float *, std::size_t, std::size_t,
                            std::size_t, float *, std::size_t, bool);

// One tile of `tokens` tokens (at most tokenBlock(simd)) with the widest kernel `simd` allows.
void runTile(SimdLevel simd, const float *const *w, const float *x, std::size_t ldx,
             std::size_t tokens, std::size_t n, std::size_t prefetchable, float *y,
             std::size_t ldy, bool accumulate)
{
    static constexpr TileKernel avx512[kTokenBlockAvx512] = {
        tileAvx512<1>, tileAvx512<2>, tileAvx512<3>, tileAvx512<4>, tileAvx512<5>, tileAvx512<6>};
    static constexpr TileKernel avx2[kTokenBlockAvx2] = {tileAvx2<1>, tileAvx2<2>, tileAvx2<3>};
    switch (simd) {
    case SimdLevel::Avx512Vnni:
        avx512[tokens - 1](w, x, ldx, n, prefetchable, y, ldy, accumulate);
        return;
    case SimdLevel::Avx2:
        avx2[tokens - 1](w, x, ldx, n, prefetchable, y, ldy, accumulate);
        return;
    case SimdLevel::Scalar:
        break;
    }
    tileScalar(w, x, ldx, tokens, n, y, ldy, accumulate);
}

#pragma GCC diagnostic pop

float dotF32(const float *a, const float *b, std::size_t n, SimdLevel simd)
{
    return simd != SimdLevel::Scalar ? dotF32Avx2(a, b, n) : dotF32Scalar(a, b, n);
}

// Rows [begin, end) of the fp32 (or bf16) GEMM on one thread. With more tokens than one tile, the
// reduction dimension is cut into chunks of kColumnBlock so a 4-row weight chunk (32 KiB) stays
// in L1/L2 while every token tile reuses it, and partial sums are added into y; with one tile
// there is no reuse, and whole rows avoid reducing and storing the sums once per chunk. (Chunks
// of 512 or 1024 measured slower: the reductions cost more than the misses they save.)
void gemmRows(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens, float *y,
              std::size_t ldy, SimdLevel simd, std::size_t begin, std::size_t end,
              const std::atomic<bool> *cancel)
{
    const std::size_t n = w.cols();
    // Tokens split evenly over the fewest tiles: 8 tokens run as 4 + 4, not 6 + 2, since a
    // narrow tile does few multiplies per load.
    const std::size_t tiles =
        std::max<std::size_t>(1, (tokens + tokenBlock(simd) - 1) / tokenBlock(simd));
    const std::size_t tile = (tokens + tiles - 1) / tiles;
    const std::size_t chunk = tiles == 1 ? n : kColumnBlock;
    // Bf16 rows are widened to fp32 a block of kRowBlock rows at a time, once for every token.
    const bool widen = w.precision() == Precision::Bf16;
    std::vector<float> widened(widen ? kRowBlock * n : 0);
    for (std::size_t r0 = begin; r0 < end; r0 += kRowBlock) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return;
        if (end - r0 < kRowBlock) {
            for (std::size_t t = 0; t < tokens; ++t) {
                for (std::size_t r = r0; r < end; ++r)
                    y[t * ldy + r] = dotRow(w, r, x + t * ldx, simd);
            }
            return;
        }
        const float *block[kRowBlock];
        for (std::size_t k = 0; k < kRowBlock; ++k) {
            if (!widen) {
                block[k] = w.rowF32(r0 + k);
                continue;
            }
            float *target = widened.data() + k * n;
            widenRow(w.rowBf16(r0 + k), target, n, simd);
            block[k] = target;
        }
        for (std::size_t k0 = 0; k0 < n; k0 += chunk) {
            const std::size_t length = std::min(chunk, n - k0);
            const float *rows[kRowBlock] = {block[0] + k0, block[1] + k0, block[2] + k0,
                                            block[3] + k0};
            for (std::size_t t0 = 0; t0 < tokens; t0 += tile) {
                runTile(simd, rows, x + t0 * ldx + k0, ldx, std::min(tile, tokens - t0), length,
                        n - k0, y + t0 * ldy + r0, ldy, k0 > 0);
            }
        }
    }
}

// Rows [begin, end) of an int8 or q4 GEMM on block-quantised activations, one Activations per
// token: four adjacent weight rows (a few KiB) stay in L1 while every token's integer dot
// products run over them, so each weight is read from memory once per GEMM and never
// dequantised.
void gemmRowsQuantised(const Matrix &w, std::span<const Activations *const> tokens, float *y,
                std::size_t ldy, SimdLevel simd, std::size_t begin, std::size_t end,
                const std::atomic<bool> *cancel)
{
    const std::size_t n = w.cols();
    const bool q4 = w.precision() == Precision::Q4;
    const std::size_t rowBytes = q4 ? w.q4RowBytes() : n;
    UnpackedQ4Rows unpacked; // q4 on AVX-512: every token reuses the block's unpacked codes
    for (std::size_t r0 = begin; r0 < end; r0 += kRowBlock) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return;
        const std::size_t rowCount = std::min(kRowBlock, end - r0);
        if (rowCount < kRowBlock || simd == SimdLevel::Scalar) {
            for (std::size_t t = 0; t < tokens.size(); ++t) {
                for (std::size_t r = r0; r < r0 + rowCount; ++r)
                    y[t * ldy + r] = dotRow(w, r, *tokens[t], simd);
            }
            continue;
        }
        // The next block's rows (adjacent to these) are fetched a share per token while this
        // block's products run, so the passes over cached rows hide the next block's DRAM
        // latency.
        const std::size_t nextBytes = r0 + 2 * kRowBlock <= end ? kRowBlock * rowBytes : 0;
        const char *nextBlock =
            (q4 ? reinterpret_cast<const char *>(w.rowQ4(r0))
                : reinterpret_cast<const char *>(w.rowQ8(r0))) + kRowBlock * rowBytes;
        if (q4 && simd == SimdLevel::Avx512Vnni)
            unpackQ4Rows(w, r0, unpacked);
        for (std::size_t t = 0; t < tokens.size(); ++t) {
            for (std::size_t line = t * nextBytes / tokens.size();
                 line < (t + 1) * nextBytes / tokens.size(); line += kCacheLine)
                _mm_prefetch(nextBlock + line, _MM_HINT_T0);
            const Activations &x = *tokens[t];
            if (q4 && simd == SimdLevel::Avx512Vnni) {
                float out[kRowBlock];
                dot4Q4UnpackedVnni(unpacked, x, out);
                const std::size_t done = unpacked.pairs * kQ4Pair;
                for (std::size_t k = 0; k < kRowBlock; ++k) {
                    y[t * ldy + r0 + k] =
                        done < n ? out[k] + dotQ4Q8Scalar(w.rowQ4(r0 + k), w.q4Scales(r0 + k),
                                                          x.codes(), x.blockScales(), done, n)
                                 : out[k];
                }
                continue;
            }
            if (q4) {
                for (std::size_t k = 0; k < kRowBlock; ++k)
                    y[t * ldy + r0 + k] = dotRowQ4(w, r0 + k, x, simd);
                continue;
            }
            const std::int8_t *rows[kRowBlock] = {w.rowQ8(r0), w.rowQ8(r0 + 1), w.rowQ8(r0 + 2),
                                                  w.rowQ8(r0 + 3)};
            float out[kRowBlock];
            if (simd == SimdLevel::Avx512Vnni)
                dot4Q8Q8Vnni(rows, x.codes(), x.blockScales(), x.fullBlockCodeSum(), n, out);
            else
                dot4Q8Q8Avx2(rows, x.codes(), x.blockScales(), n, out);
            for (std::size_t k = 0; k < kRowBlock; ++k)
                y[t * ldy + r0 + k] = out[k] * w.scale(r0 + k);
        }
    }
}

} // namespace

SimdLevel detectSimd()
{
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") ||
        !__builtin_cpu_supports("f16c"))
        return SimdLevel::Scalar;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni"))
        return SimdLevel::Avx512Vnni;
    return SimdLevel::Avx2;
}

bool simdSupported(SimdLevel simd)
{
    return static_cast<int>(simd) <= static_cast<int>(detectSimd());
}

const char *simdName(SimdLevel simd)
{
    switch (simd) {
    case SimdLevel::Avx512Vnni:
        return "avx512+vnni";
    case SimdLevel::Avx2:
        return "avx2+fma";
    case SimdLevel::Scalar:
        break;
    }
    return "scalar";
}

float dot(const float *a, const float *b, std::size_t n, SimdLevel simd)
{
    return dotF32(a, b, n, simd);
}

void axpy(float a, const float *x, float *y, std::size_t n, SimdLevel simd)
{
    if (simd != SimdLevel::Scalar) {
        axpyAvx2(a, x, y, n);
        return;
    }
    for (std::size_t j = 0; j < n; ++j)
        y[j] += a * x[j];
}

float dotRow(const Matrix &w, std::size_t row, const float *x, SimdLevel simd)
{
    if (w.precision() == Precision::Q4)
        return dotQ4F32Scalar(w.rowQ4(row), w.q4Scales(row), x, w.cols());
    if (w.precision() == Precision::Fp32)
        return dotF32(w.rowF32(row), x, w.cols(), simd);
    if (w.precision() == Precision::Bf16) {
        switch (simd) {
        case SimdLevel::Avx512Vnni:
            return dotBf16Avx512(w.rowBf16(row), x, w.cols());
        case SimdLevel::Avx2:
            return dotBf16Avx2(w.rowBf16(row), x, w.cols());
        case SimdLevel::Scalar:
            break;
        }
        return dotBf16Scalar(w.rowBf16(row), x, w.cols());
    }
    const float sum = simd != SimdLevel::Scalar ? dotQ8Avx2(w.rowQ8(row), x, w.cols())
                                                : dotQ8Scalar(w.rowQ8(row), x, w.cols());
    return w.scale(row) * sum;
}

bool quantisesActivations(Precision precision)
{
    return precision == Precision::Int8 || precision == Precision::Q4;
}

void Activations::set(const float *x, std::size_t n, Precision precision)
{
    m_x = x;
    m_size = n;
    m_quantised = quantisesActivations(precision);
    if (!m_quantised)
        return;
    const std::size_t blocks = (n + kActivationBlock - 1) / kActivationBlock;
    m_codes.resize(n);
    m_scales.resize(blocks);
    m_blockCodeSums.resize(blocks);
    double codeSum = 0.0;
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t begin = b * kActivationBlock;
        const std::size_t end = std::min(n, begin + kActivationBlock);
        float maxAbs = 0.0f;
        for (std::size_t j = begin; j < end; ++j)
            maxAbs = std::max(maxAbs, std::fabs(x[j]));
        const float scale = maxAbs / 127.0f;
        const float inverse = maxAbs > 0.0f ? 1.0f / scale : 0.0f;
        m_scales[b] = scale;
        std::int32_t blockSum = 0;
        for (std::size_t j = begin; j < end; ++j) {
            m_codes[j] = roundToInt8(x[j] * inverse);
            blockSum += m_codes[j];
        }
        m_blockCodeSums[b] = scale * static_cast<float>(blockSum);
        if (end - begin == kActivationBlock)
            codeSum += static_cast<double>(scale) * static_cast<double>(blockSum);
    }
    m_fullBlockCodeSum = static_cast<float>(codeSum);
}

float Activations::at(std::size_t j) const
{
    if (!m_quantised)
        return m_x[j];
    return m_scales[j / kActivationBlock] * static_cast<float>(m_codes[j]);
}

namespace {

float dotRowQ4(const Matrix &w, std::size_t row, const Activations &x, SimdLevel simd)
{
    switch (simd) {
    case SimdLevel::Avx512Vnni:
        return dotQ4Q8Vnni(w.rowQ4(row), w.q4Scales(row), x, w.cols());
    case SimdLevel::Avx2:
        return dotQ4Q8Avx2(w.rowQ4(row), w.q4Scales(row), x, 0, w.cols());
    case SimdLevel::Scalar:
        break;
    }
    return dotQ4Q8Scalar(w.rowQ4(row), w.q4Scales(row), x.codes(), x.blockScales(), 0, w.cols());
}

} // namespace

float dotRow(const Matrix &w, std::size_t row, const Activations &x, SimdLevel simd)
{
    if (!x.quantised() || !quantisesActivations(w.precision()))
        return dotRow(w, row, x.values(), simd);
    if (w.precision() == Precision::Q4)
        return dotRowQ4(w, row, x, simd);
    const std::int8_t *weights = w.rowQ8(row);
    float sum = 0.0f;
    switch (simd) {
    case SimdLevel::Avx512Vnni:
        sum = dotQ8Q8Vnni(weights, x.codes(), x.blockScales(), x.fullBlockCodeSum(), w.cols());
        break;
    case SimdLevel::Avx2:
        sum = dotQ8Q8Avx2(weights, x.codes(), x.blockScales(), w.cols());
        break;
    case SimdLevel::Scalar:
        sum = dotQ8Q8Scalar(weights, x.codes(), x.blockScales(), w.cols());
        break;
    }
    return w.scale(row) * sum;
}

void dotRows(const Matrix &w, std::size_t begin, std::size_t end, const Activations &x,
             SimdLevel simd, float *y, const std::atomic<bool> *cancel)
{
    const double rowBytes = w.bytes() / static_cast<double>(std::max<std::size_t>(1, w.rows()));
    // Int8 rows are read as two sequential streams per thread, the first and second half of
    // the range, a row of each in turn; fp32 rows as one. Against the read probe at the same
    // moments, with the machine's bandwidth above 45 GB/s, int8 matrix-vector products ran at
    // a median 0.90 of it with two streams and 0.84 with one; fp32 ran 2-3% slower with two.
    // Four streams per thread gained less than two for int8.
    const std::size_t streams = quantisesActivations(w.precision()) ? 2 : 1;
    const std::size_t length = (end - begin) / streams;
    const auto stepsPerCheck = std::max<std::size_t>(
        kMatVecRowGrain,
        static_cast<std::size_t>(kMatVecCancelBytes / (static_cast<double>(streams) * rowBytes)));
    for (std::size_t i = 0; i < length; ++i) {
        if (i % stepsPerCheck == 0 && cancel && cancel->load(std::memory_order_relaxed))
            return;
        for (std::size_t stream = 0; stream < streams; ++stream)
            y[stream * length + i] = dotRow(w, begin + stream * length + i, x, simd);
    }
    for (std::size_t r = begin + streams * length; r < end; ++r)
        y[r - begin] = dotRow(w, r, x, simd);
}

void matVec(const Matrix &w, const float *x, float *y, SimdLevel simd, ThreadPool &pool,
            const std::atomic<bool> *cancel)
{
    Activations prepared;
    prepared.set(x, w.cols(), w.precision());
    pool.parallelFor(w.rows(), [&](std::size_t begin, std::size_t end) {
        dotRows(w, begin, end, prepared, simd, y + begin, cancel);
    }, kMatVecRowGrain);
}

// Each token's activations quantised for an int8 product, and pointers to them.
struct PreparedTokens {
    std::vector<Activations> tokens;
    std::vector<const Activations *> pointers;
};

void prepareTokens(PreparedTokens &prepared, const float *x, std::size_t ldx,
                   std::size_t begin, std::size_t end, std::size_t cols)
{
    for (std::size_t t = begin; t < end; ++t) {
        prepared.tokens[t].set(x + t * ldx, cols, Precision::Int8);
        prepared.pointers[t] = &prepared.tokens[t];
    }
}

void gemm(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens, float *y,
          std::size_t ldy, SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    if (quantisesActivations(w.precision())) {
        PreparedTokens prepared{std::vector<Activations>(tokens),
                                std::vector<const Activations *>(tokens)};
        pool.parallelFor(tokens, [&](std::size_t begin, std::size_t end) {
            prepareTokens(prepared, x, ldx, begin, end, w.cols());
        });
        pool.parallelFor(w.rows(), [&](std::size_t begin, std::size_t end) {
            gemmRowsQuantised(w, prepared.pointers, y, ldy, simd, begin, end, cancel);
        }, kRowBlock);
        return;
    }
    pool.parallelFor(w.rows(), [&](std::size_t begin, std::size_t end) {
        gemmRows(w, x, ldx, tokens, y, ldy, simd, begin, end, cancel);
    }, kRowBlock);
}

void gemmOnThisThread(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens,
                      float *y, std::size_t ldy, SimdLevel simd, const std::atomic<bool> *cancel)
{
    if (quantisesActivations(w.precision())) {
        PreparedTokens prepared{std::vector<Activations>(tokens),
                                std::vector<const Activations *>(tokens)};
        prepareTokens(prepared, x, ldx, 0, tokens, w.cols());
        gemmRowsQuantised(w, prepared.pointers, y, ldy, simd, 0, w.rows(), cancel);
        return;
    }
    gemmRows(w, x, ldx, tokens, y, ldy, simd, 0, w.rows(), cancel);
}

void gemmOnThisThread(const Matrix &w, std::span<const Activations *const> tokens, float *y,
                      std::size_t ldy, SimdLevel simd, const std::atomic<bool> *cancel)
{
    gemmRowsQuantised(w, tokens, y, ldy, simd, 0, w.rows(), cancel);
}

void rmsNorm(const float *x, const float *weight, float *out, std::size_t n, float eps)
{
    double sumSquares = 0.0;
    for (std::size_t j = 0; j < n; ++j)
        sumSquares += static_cast<double>(x[j]) * static_cast<double>(x[j]);
    const auto inverse = static_cast<float>(
        1.0 / std::sqrt(sumSquares / static_cast<double>(n) + static_cast<double>(eps)));
    for (std::size_t j = 0; j < n; ++j)
        out[j] = x[j] * inverse * weight[j];
}

float silu(float x) { return x / (1.0f + std::exp(-x)); }

void softmaxInPlace(float *values, std::size_t n)
{
    if (n == 0)
        return;
    const float maxValue = *std::max_element(values, values + n);
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
        values[j] = std::exp(values[j] - maxValue);
        sum += static_cast<double>(values[j]);
    }
    const auto inverse = static_cast<float>(1.0 / sum);
    for (std::size_t j = 0; j < n; ++j)
        values[j] *= inverse;
}

} // namespace cliff::bench
