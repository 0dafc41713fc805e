#include "kernels.h"

#include "matrix.h"
#include "thread_pool.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <utility>
#include <cmath>
#include <cstring>
#include <span>
#include <vector>

namespace cliff::bench {

namespace {

constexpr std::size_t kRowBlock = 4;
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

// GCC 12's AVX-512 intrinsics fill "undefined" operands by self-initialisation, which its own
// -Wuninitialized reports; the warning is about the header, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

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

// y[0..4) = sums, or y[0..4) += sums: one token's outputs of 4 adjacent rows are adjacent in y.
__attribute__((target("avx2,fma"))) void storeRowSums(float *y, __m128 sums, bool accumulate)
{
    _mm_storeu_ps(y, accumulate ? _mm_add_ps(_mm_loadu_ps(y), sums) : sums);
}

// The sums of an AVX-512 tile of 4 rows x Tokens tokens into y (see storeRowSums).
template <std::size_t Tokens>
__attribute__((target("avx2,fma,avx512f"))) void
storeTileSums(const __m512 (&acc)[kRowBlock][Tokens], float *y, std::size_t ldy, bool accumulate)
{
    for (std::size_t t = 0; t < Tokens; ++t) {
        storeRowSums(y + t * ldy,
                     laneSums4(foldHalves(acc[0][t]), foldHalves(acc[1][t]),
                               foldHalves(acc[2][t]), foldHalves(acc[3][t])),
                     accumulate);
    }
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
    storeTileSums(acc, y, ldy, accumulate);
}

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

// Row x[0..n) rounded to bf16 (nearest, ties to even) in pairs of columns as bf16 weights are
// stored (see Matrix), the even column in the low half and zero past n: pair p at
// out[p * stride].
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512bf16"))) void
roundToBf16Pairs(const float *x, std::size_t n, std::uint32_t *out, std::size_t stride)
{
    std::size_t j = 0;
    for (; j + 32 <= n; j += 32) {
        alignas(64) std::uint32_t pairs[16];
        const __m512bh values =
            _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + j + 16), _mm512_loadu_ps(x + j));
        _mm512_store_si512(pairs, reinterpret_cast<__m512i>(values));
        for (std::size_t k = 0; k < 16; ++k)
            out[(j / 2 + k) * stride] = pairs[k];
    }
    for (; j < n; j += 2) {
        const std::uint32_t high = j + 1 < n ? toBf16(x[j + 1]) : 0u;
        out[j / 2 * stride] = toBf16(x[j]) | high << 16;
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


// Int8 and q4 weights in row groups (see Matrix): a group's products with up to kTokenTile
// tokens at a time, out[t * ldo + r] for its 16 rows. Every code is an unsigned byte with a
// zero point z, so a block's integer sum is sum(code x) - z sum(x); the second term is the
// token's block total times z, where the sum starts. Q4 multiplies each block by its rows'
// scales, int8 the whole row by its row's scale. Rows past the matrix's end come out zero:
// their weights are zero, and so are their int8 scales.
constexpr std::size_t kTokenTile = 8;
// Int8 on VNNI keeps integer sums only, so a tile holds twice the tokens (see groupTileVnni).
constexpr std::size_t kInt8TokenTile = 16;
// Int8 integer sums run over at most this many blocks before their conversion: a sum starts at
// -128 x the span's code total (at most 128 x 127 per column in magnitude) and each column adds
// at most 255 x 127, so 1024 blocks (32,768 columns) stay within 383 x 127 x 32,768 < 2^31.
constexpr std::size_t kSpanBlocks = 1024;
// A group's codes are fetched this far ahead of the multiply, so weights streamed from DRAM
// arrive while the tile computes on the ones before (the hardware prefetchers alone leave the
// bus idle between a tile's loads).
constexpr std::size_t kPrefetchBytes = 4096;

void groupTileScalar(const Matrix &w, std::size_t group, const Activations *const *tokens,
                     std::size_t count, float *out, std::size_t ldo)
{
    const bool q4 = w.precision() == Precision::Q4;
    const auto zeroPoint = static_cast<std::int32_t>(w.zeroPoint());
    for (std::size_t t = 0; t < count; ++t) {
        const Activations &x = *tokens[t];
        for (std::size_t r = 0; r < kRowGroup; ++r) {
            const std::size_t row = group * kRowGroup + r;
            float sum = 0.0f;
            for (std::size_t b = 0; row < w.rows() && b < w.blocks(); ++b) {
                std::int32_t block = 0;
                for (std::size_t j = b * kQuantBlock; j < std::min(w.cols(), (b + 1) * kQuantBlock);
                     ++j)
                    block += (static_cast<std::int32_t>(w.code(row, j)) - zeroPoint) * x.codes()[j];
                const float weightScale =
                    q4 ? fromHalf(w.groupScales(group)[b * kRowGroup + r]) : 1.0f;
                sum += weightScale * x.blockScales()[b] * static_cast<float>(block);
            }
            out[t * ldo + r] = q4 ? sum : sum * w.groupRowScales(group)[r];
        }
    }
}

// Up to a tile's tokens laid out for groupTileVnni, so one pointer reaches every token's codes:
// per block, 8 slices of each token's 4 codes side by side, and per block each token's code
// total and scale side by side. A single token is that layout already: its tile points into
// its Activations; a tile of several holds its own copy. An int8 tile also holds each token's
// code total per span of kSpanBlocks blocks, where its sums start.
struct PackedTile {
    std::size_t count = 0;
    const std::int8_t *codes = nullptr;  // [blocks][8][count] groups of 4 codes
    const std::int32_t *totals = nullptr; // [blocks][count]
    const float *scales = nullptr;        // [blocks][count]
    std::vector<std::int32_t> spanTotals; // int8: [spans][count]
    std::vector<std::int8_t> codeCopy;
    std::vector<std::int32_t> totalCopy;
    std::vector<float> scaleCopy;
};

// Tokens per tile when `tokens` are split over the fewest tiles of at most `widest`, evenly: 18
// tokens run as 9 + 9, not 16 + 2, since a narrow tile does few products per weight load.
std::size_t evenTile(std::size_t tokens, std::size_t widest)
{
    const std::size_t tiles = std::max<std::size_t>(1, (tokens + widest - 1) / widest);
    return (tokens + tiles - 1) / tiles;
}

// Tokens per VNNI tile for `tokens` tokens and w's precision.
std::size_t vnniTileTokens(const Matrix &w, std::size_t tokens)
{
    return evenTile(tokens, w.precision() == Precision::Int8 ? kInt8TokenTile : kTokenTile);
}

// tokens in tiles of vnniTileTokens, laid out for w's blocks.
std::vector<PackedTile> packTiles(const Matrix &w, std::span<const Activations *const> tokens)
{
    const std::size_t blocks = w.blocks();
    const std::size_t tileTokens = vnniTileTokens(w, tokens.size());
    const std::size_t spans = (blocks + kSpanBlocks - 1) / kSpanBlocks;
    std::vector<PackedTile> tiles((tokens.size() + tileTokens - 1) / tileTokens);
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        PackedTile &tile = tiles[i];
        tile.count = std::min(tileTokens, tokens.size() - i * tileTokens);
        const Activations *const *first = tokens.data() + i * tileTokens;
        if (w.precision() == Precision::Int8) {
            tile.spanTotals.assign(spans * tile.count, 0);
            for (std::size_t t = 0; t < tile.count; ++t) {
                for (std::size_t b = 0; b < blocks; ++b)
                    tile.spanTotals[b / kSpanBlocks * tile.count + t] += first[t]->blockTotals()[b];
            }
        }
        if (tile.count == 1) {
            tile.codes = first[0]->codes();
            tile.totals = first[0]->blockTotals();
            tile.scales = first[0]->blockScales();
            continue;
        }
        tile.codeCopy.resize(blocks * kQuantBlock * tile.count);
        tile.totalCopy.resize(blocks * tile.count);
        tile.scaleCopy.resize(blocks * tile.count);
        for (std::size_t t = 0; t < tile.count; ++t) {
            const Activations &x = *first[t];
            for (std::size_t b = 0; b < blocks; ++b) {
                for (std::size_t k = 0; k < 8; ++k) {
                    std::memcpy(&tile.codeCopy[((b * 8 + k) * tile.count + t) * 4],
                                x.codes() + b * kQuantBlock + 4 * k, 4);
                }
                tile.totalCopy[b * tile.count + t] = x.blockTotals()[b];
                tile.scaleCopy[b * tile.count + t] = x.blockScales()[b];
            }
        }
        tile.codes = tile.codeCopy.data();
        tile.totals = tile.totalCopy.data();
        tile.scales = tile.scaleCopy.data();
    }
    return tiles;
}

// The tiles quantisedRows needs for `tokens` at `simd`: packed for VNNI, none otherwise. Packed
// once per product, not once per range of rows.
std::vector<PackedTile> tilesFor(const Matrix &w, std::span<const Activations *const> tokens,
                                 SimdLevel simd)
{
    return simd == SimdLevel::Avx512Vnni ? packTiles(w, tokens) : std::vector<PackedTile>();
}

// One token's 4 codes at `codes`, broadcast to every 32-bit lane.
__attribute__((target("avx2,fma"))) __m256i broadcastFour256(const std::int8_t *codes)
{
    std::int32_t four = 0;
    std::memcpy(&four, codes, sizeof four);
    return _mm256_set1_epi32(four);
}

// AVX2 has no byte dot product into 32 bits: maddubs multiplies unsigned by signed bytes into
// 16-bit pair sums, and madd adds those pairs. Int8 codes are turned signed (code xor 0x80 =
// code - 128) and multiplied as |w| x (x sign w), whose pair sums stay below 2 x 127 x 127,
// short of saturation (no code is 0, so no weight is -128); q4 codes (0 to 15) multiply as
// they are. Eight rows a half, one token at a time.
template <bool Q4>
__attribute__((target("avx2,fma,f16c"))) void groupTileAvx2(const Matrix &w, std::size_t group,
                                                            const Activations *const *tokens,
                                                            std::size_t count, float *out,
                                                            std::size_t ldo)
{
    const std::uint8_t *codes = w.groupCodes(group);
    const std::size_t blockBytes = w.groupBlockBytes();
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
    for (std::size_t t = 0; t < count; ++t) {
        const Activations &x = *tokens[t];
        for (std::size_t half = 0; half < 2; ++half) {
            __m256 acc = _mm256_setzero_ps();
            for (std::size_t b = 0; b < w.blocks(); ++b) {
                const std::uint8_t *slices = codes + b * blockBytes + half * 32;
                const std::int8_t *xb = x.codes() + b * kQuantBlock;
                __m256i sum = _mm256_set1_epi32(Q4 ? -8 * x.blockTotals()[b] : 0);
                for (std::size_t k = 0; k < 8; ++k) {
                    const __m256i xv = broadcastFour256(xb + 4 * k);
                    __m256i pairs;
                    if constexpr (Q4) {
                        const __m256i packed = _mm256_loadu_si256(
                            reinterpret_cast<const __m256i *>(slices + (k % 4) * 64));
                        const __m256i codes4 =
                            k < 4 ? _mm256_and_si256(packed, nibble)
                                  : _mm256_and_si256(_mm256_srli_epi16(packed, 4), nibble);
                        pairs = _mm256_maddubs_epi16(codes4, xv);
                    } else {
                        const __m256i signedWeights = _mm256_xor_si256(
                            _mm256_loadu_si256(reinterpret_cast<const __m256i *>(slices + k * 64)),
                            flip);
                        pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(signedWeights),
                                                     _mm256_sign_epi8(xv, signedWeights));
                    }
                    sum = _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, ones));
                }
                __m256 scale = _mm256_set1_ps(x.blockScales()[b]);
                if constexpr (Q4) {
                    scale = _mm256_mul_ps(
                        scale, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(
                                   w.groupScales(group) + b * kRowGroup + half * 8))));
                }
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), scale, acc);
            }
            if constexpr (!Q4)
                acc = _mm256_mul_ps(acc, _mm256_loadu_ps(w.groupRowScales(group) + half * 8));
            _mm256_storeu_ps(out + t * ldo + half * 8, acc);
        }
    }
}

// VNNI: per block, the group's 8 slices (unpacked from 4 for q4) stay in registers while every
// token of the tile runs 8 vpdpbusd against them, each with 4 of the token's codes broadcast.
// Q4 then converts each block's sums and multiplies them by the rows' block scales and the
// token's. Int8 has one scale per row and one per token, so its integer sums run on over the
// blocks of a span and are converted once per span (once per row, for rows up to
// kSpanBlocks blocks), straight into the output; without per-block float sums in registers, a
// tile holds 16 tokens, so weights streamed from memory serve twice as many tokens per load.
// Q4's block sums stay below 32 x 15 x 127 + 8 x 32 x 127 < 2^24, so their conversion is exact;
// int8's span sums can pass 2^24, where the conversion rounds (by under 6e-8 of the sum).
// Each token's 16 outputs leave as one store, straight into the caller's rows.
//
// Decode (one token) can run two groups at once, a block of each in turn: two streams of
// weights from memory and twice the independent sums.
//
// With `prefetch` (a group's first tile, the one that streams its weights from memory), codes
// kPrefetchBytes ahead are requested block by block; a request past the matrix's end is
// harmless, as prefetches never fault. Decode's two streams showed no clear gain from it.
template <std::size_t Groups, std::size_t Tokens, bool Q4>
__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"))) void
groupTileVnni(const Matrix &w, const std::size_t *groups, const PackedTile &tile,
              float *const *outs, std::size_t ldo, bool prefetch)
{
    static_assert(Groups == 1 || Tokens == 1);
    static_assert(Tokens <= (Q4 ? kTokenTile : kInt8TokenTile));
    const std::size_t blockBytes = w.groupBlockBytes();
    const std::size_t blocks = w.blocks();
    const std::int8_t *tokenCodes = tile.codes;
    const float *tokenScales = tile.scales;
    constexpr std::int32_t kZeroPoint = Q4 ? 8 : 128;
    constexpr std::size_t kChains = Groups * Tokens <= 4 ? 2 : 1;
    // Blocks whose integer sums one conversion covers.
    constexpr std::size_t kSumBlocks = Q4 ? 1 : kSpanBlocks;
    const __m512i nibble = _mm512_set1_epi8(0x0F);
    const std::uint8_t *codes[Groups];
    const std::uint16_t *scales[Groups];
    __m512 rowScales[Groups];
    for (std::size_t g = 0; g < Groups; ++g) {
        codes[g] = w.groupCodes(groups[g]);
        if constexpr (Q4)
            scales[g] = w.groupScales(groups[g]);
        else
            rowScales[g] = _mm512_loadu_ps(w.groupRowScales(groups[g]));
    }
    // Q4's running sums over blocks; int8 adds its spans into the output instead.
    __m512 acc[Groups][Q4 ? Tokens : 1];
    for (auto &group : acc) {
        for (__m512 &sum : group)
            sum = _mm512_setzero_ps();
    }
    __m512i sums[Groups][Tokens][kChains];
    for (std::size_t b = 0; b < blocks; ++b) {
        // A span starts from its zero-point correction: z x the codes' total over its blocks.
        if (b % kSumBlocks == 0) {
            const std::int32_t *totals =
                Q4 ? tile.totals + b * Tokens : tile.spanTotals.data() + b / kSumBlocks * Tokens;
#pragma GCC unroll 2
            for (std::size_t g = 0; g < Groups; ++g) {
#pragma GCC unroll 16
                for (std::size_t t = 0; t < Tokens; ++t) {
                    sums[g][t][0] = _mm512_set1_epi32(-kZeroPoint * totals[t]);
                    if constexpr (kChains == 2)
                        sums[g][t][kChains - 1] = _mm512_setzero_si512();
                }
            }
        }
        __m512i weights[Groups][8];
        __m512 weightScales[Groups];
#pragma GCC unroll 2
        for (std::size_t g = 0; g < Groups; ++g) {
            const std::uint8_t *slices = codes[g] + b * blockBytes;
            if (prefetch) {
                const auto ahead = reinterpret_cast<std::uintptr_t>(slices) + kPrefetchBytes;
                for (std::size_t line = 0; line < blockBytes; line += 64)
                    _mm_prefetch(reinterpret_cast<const char *>(ahead + line), _MM_HINT_T0);
            }
            if constexpr (Q4) {
#pragma GCC unroll 4
                for (std::size_t m = 0; m < 4; ++m) {
                    const __m512i packed = _mm512_loadu_si512(slices + m * 64);
                    weights[g][m] = _mm512_and_si512(packed, nibble);
                    weights[g][m + 4] = _mm512_and_si512(_mm512_srli_epi16(packed, 4), nibble);
                }
                weightScales[g] = _mm512_cvtph_ps(_mm256_loadu_si256(
                    reinterpret_cast<const __m256i *>(scales[g] + b * kRowGroup)));
            } else {
#pragma GCC unroll 8
                for (std::size_t k = 0; k < 8; ++k)
                    weights[g][k] = _mm512_loadu_si512(slices + k * 64);
            }
        }
        // Slice by slice across the tokens, so consecutive vpdpbusd add into different sums;
        // a tile of few sums splits each in two (even and odd slices) for the same reason.
        const std::int8_t *blockCodes = tokenCodes + b * kQuantBlock * Tokens;
#pragma GCC unroll 8
        for (std::size_t k = 0; k < 8; ++k) {
#pragma GCC unroll 16
            for (std::size_t t = 0; t < Tokens; ++t) {
                std::int32_t four = 0;
                std::memcpy(&four, blockCodes + (k * Tokens + t) * 4, sizeof four);
                const __m512i broadcast = _mm512_set1_epi32(four);
#pragma GCC unroll 2
                for (std::size_t g = 0; g < Groups; ++g) {
                    __m512i &sum = sums[g][t][k % kChains];
                    sum = _mm512_dpbusd_epi32(sum, weights[g][k], broadcast);
                }
            }
        }
        if ((b + 1) % kSumBlocks != 0 && b + 1 != blocks)
            continue;
#pragma GCC unroll 2
        for (std::size_t g = 0; g < Groups; ++g) {
#pragma GCC unroll 16
            for (std::size_t t = 0; t < Tokens; ++t) {
                __m512i sum = sums[g][t][0];
                if constexpr (kChains == 2)
                    sum = _mm512_add_epi32(sum, sums[g][t][kChains - 1]);
                const __m512 tokenScale = _mm512_set1_ps(tokenScales[b * Tokens + t]);
                if constexpr (Q4) {
                    acc[g][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum),
                                                _mm512_mul_ps(weightScales[g], tokenScale),
                                                acc[g][t]);
                    continue;
                }
                float *out = outs[g] + t * ldo;
                const __m512 span = _mm512_mul_ps(_mm512_cvtepi32_ps(sum),
                                                  _mm512_mul_ps(rowScales[g], tokenScale));
                const bool firstSpan = b < kSumBlocks;
                _mm512_storeu_ps(out, firstSpan ? span : _mm512_add_ps(_mm512_loadu_ps(out), span));
            }
        }
    }
    if constexpr (Q4) {
        for (std::size_t g = 0; g < Groups; ++g) {
            for (std::size_t t = 0; t < Tokens; ++t)
                _mm512_storeu_ps(outs[g] + t * ldo, acc[g][t]);
        }
    }
}

// {make(1), ..., make(N)} for a tile kernel per token count: make takes the count as a type.
template <typename Tile, std::size_t... Counts, typename Make>
constexpr std::array<Tile, sizeof...(Counts)> tileTable(std::index_sequence<Counts...>, Make make)
{
    return {make(std::integral_constant<std::size_t, Counts + 1>())...};
}

using GroupTile = void (*)(const Matrix &, const std::size_t *, const PackedTile &,
                           float *const *, std::size_t, bool);

// The products of group `group` with every token, out[t * ldo + r] (see groupTileScalar).
// `tiles` are the tokens packed by packTiles, for AVX-512 VNNI.
void groupProducts(const Matrix &w, std::size_t group, std::span<const Activations *const> tokens,
                   const std::vector<PackedTile> &tiles, SimdLevel simd, float *out,
                   std::size_t ldo)
{
    static constexpr auto int8Tiles =
        tileTable<GroupTile>(std::make_index_sequence<kInt8TokenTile>(), [](auto count) -> GroupTile {
            return groupTileVnni<1, decltype(count)::value, false>;
        });
    static constexpr auto q4Tiles =
        tileTable<GroupTile>(std::make_index_sequence<kTokenTile>(), [](auto count) -> GroupTile {
            return groupTileVnni<1, decltype(count)::value, true>;
        });
    const bool q4 = w.precision() == Precision::Q4;
    const std::size_t tileTokens =
        simd == SimdLevel::Avx512Vnni ? vnniTileTokens(w, tokens.size()) : kTokenTile;
    for (std::size_t t0 = 0; t0 < tokens.size(); t0 += tileTokens) {
        const std::size_t count = std::min(tileTokens, tokens.size() - t0);
        float *tile = out + t0 * ldo;
        switch (simd) {
        case SimdLevel::Avx512Vnni:
            if (q4)
                q4Tiles[count - 1](w, &group, tiles[t0 / tileTokens], &tile, ldo, t0 == 0);
            else
                int8Tiles[count - 1](w, &group, tiles[t0 / tileTokens], &tile, ldo, t0 == 0);
            break;
        case SimdLevel::Avx2:
            if (q4)
                groupTileAvx2<true>(w, group, tokens.data() + t0, count, tile, ldo);
            else
                groupTileAvx2<false>(w, group, tokens.data() + t0, count, tile, ldo);
            break;
        case SimdLevel::Scalar:
            groupTileScalar(w, group, tokens.data() + t0, count, tile, ldo);
            break;
        }
    }
}

// Bf16 weights in row groups (see Matrix) against a tile of tokens: fp32 values, [count][ldx],
// against weights widened to fp32 (a 16-bit shift or a mask of each 32-bit lane, exactly), or
// bf16 pairs on VDPBF16PS, each tile's tokens side by side, [pairs][count], so a pair step's
// broadcasts read one or two cache lines (a token's pairs a row apart would fall in one L1 set). out[t * ldo + r] for the group's 16 rows; padding
// rows come out zero, as their weights are. A row of odd length ends on a pair whose second
// weight is zero padding, whose activation is past the row and so never read.
struct Bf16Tokens {
    std::size_t count = 0;
    const float *values = nullptr;
    std::size_t ldx = 0;
    // Set where the products run on VDPBF16PS (see bf16DotProducts): the tokens in tiles of
    // evenTile(count, kBf16TokenTile), tile k from pairs x k x that, as bf16Tokens lays them
    // out.
    const std::uint32_t *pairs = nullptr;
};

// Tokens per bf16 tile: VDPBF16PS keeps one sum per token and loads each weight slice once for
// all of them; the widened AVX-512 kernel keeps two (even and odd columns), AVX2 two a half.
constexpr std::size_t kBf16TokenTile = 16;

constexpr std::size_t kBf16WidenedTile = 8;
constexpr std::size_t kBf16WidenedTileAvx2 = 4;

void bf16GroupTileScalar(const Matrix &w, std::size_t group, const float *x, std::size_t ldx,
                         std::size_t count, float *out, std::size_t ldo)
{
    const std::uint32_t *slices = w.groupPairs(group);
    for (std::size_t t = 0; t < count; ++t) {
        const float *token = x + t * ldx;
        for (std::size_t r = 0; r < kRowGroup; ++r) {
            float even = 0.0f;
            float odd = 0.0f;
            for (std::size_t p = 0; p < w.pairs(); ++p) {
                const std::uint32_t pair = slices[p * kRowGroup + r];
                even += fromBf16(static_cast<std::uint16_t>(pair)) * token[2 * p];
                if (2 * p + 1 < w.cols())
                    odd += fromBf16(static_cast<std::uint16_t>(pair >> 16)) * token[2 * p + 1];
            }
            out[t * ldo + r] = even + odd;
        }
    }
}

// AVX2, 8 rows a half: each pair's weights widen to the even and the odd column's fp32 values,
// multiplied by the token's two values broadcast.
template <std::size_t Tokens>
__attribute__((target("avx2,fma"))) void bf16GroupTileAvx2(const Matrix &w, std::size_t group,
                                                           const float *x, std::size_t ldx,
                                                           float *out, std::size_t ldo)
{
    const std::uint32_t *slices = w.groupPairs(group);
    const std::size_t fullPairs = w.cols() / 2;
    const __m256i oddMask = _mm256_set1_epi32(static_cast<int>(0xFFFF0000u));
    for (std::size_t half = 0; half < 2; ++half) {
        __m256 even[Tokens];
        __m256 odd[Tokens];
        for (std::size_t t = 0; t < Tokens; ++t) {
            even[t] = _mm256_setzero_ps();
            odd[t] = _mm256_setzero_ps();
        }
        for (std::size_t p = 0; p < w.pairs(); ++p) {
            const __m256i pair = _mm256_loadu_si256(
                reinterpret_cast<const __m256i *>(slices + p * kRowGroup + half * 8));
            const __m256 evenWeights = _mm256_castsi256_ps(_mm256_slli_epi32(pair, 16));
            const __m256 oddWeights = _mm256_castsi256_ps(_mm256_and_si256(pair, oddMask));
            const bool both = p < fullPairs;
#pragma GCC unroll 4
            for (std::size_t t = 0; t < Tokens; ++t) {
                const float *token = x + t * ldx + 2 * p;
                even[t] = _mm256_fmadd_ps(evenWeights, _mm256_broadcast_ss(token), even[t]);
                if (both)
                    odd[t] = _mm256_fmadd_ps(oddWeights, _mm256_broadcast_ss(token + 1), odd[t]);
            }
        }
        for (std::size_t t = 0; t < Tokens; ++t)
            _mm256_storeu_ps(out + t * ldo + half * 8, _mm256_add_ps(even[t], odd[t]));
    }
}

// AVX-512 on widened weights, as bf16GroupTileAvx2 with 16 rows a vector. Decode (one token)
// can run two groups at once, one from each stream (see groupedRows).
template <std::size_t Groups, std::size_t Tokens>
__attribute__((target("avx2,fma,avx512f"))) void
bf16GroupTileAvx512(const Matrix &w, const std::size_t *groups, const float *x, std::size_t ldx,
                    float *const *outs, std::size_t ldo)
{
    static_assert(Groups == 1 || Tokens == 1);
    const std::uint32_t *slices[Groups];
    for (std::size_t g = 0; g < Groups; ++g)
        slices[g] = w.groupPairs(groups[g]);
    const std::size_t fullPairs = w.cols() / 2;
    const __m512i oddMask = _mm512_set1_epi32(static_cast<int>(0xFFFF0000u));
    __m512 even[Groups][Tokens];
    __m512 odd[Groups][Tokens];
    for (std::size_t g = 0; g < Groups; ++g) {
        for (std::size_t t = 0; t < Tokens; ++t) {
            even[g][t] = _mm512_setzero_ps();
            odd[g][t] = _mm512_setzero_ps();
        }
    }
    for (std::size_t p = 0; p < w.pairs(); ++p) {
        const bool both = p < fullPairs;
#pragma GCC unroll 2
        for (std::size_t g = 0; g < Groups; ++g) {
            const __m512i pair = _mm512_loadu_si512(slices[g] + p * kRowGroup);
            const __m512 evenWeights = _mm512_castsi512_ps(_mm512_slli_epi32(pair, 16));
            const __m512 oddWeights = _mm512_castsi512_ps(_mm512_and_si512(pair, oddMask));
#pragma GCC unroll 8
            for (std::size_t t = 0; t < Tokens; ++t) {
                const float *token = x + t * ldx + 2 * p;
                even[g][t] =
                    _mm512_fmadd_ps(evenWeights, _mm512_set1_ps(token[0]), even[g][t]);
                if (both)
                    odd[g][t] = _mm512_fmadd_ps(oddWeights, _mm512_set1_ps(token[1]), odd[g][t]);
            }
        }
    }
    for (std::size_t g = 0; g < Groups; ++g) {
        for (std::size_t t = 0; t < Tokens; ++t)
            _mm512_storeu_ps(outs[g] + t * ldo, _mm512_add_ps(even[g][t], odd[g][t]));
    }
}

// VDPBF16PS: each 32-bit lane multiplies a row's pair of weights by the token's pair of bf16
// values and adds both products, so one load of a pair slice serves every token of the tile,
// one instruction each. With `prefetch` (a group's first tile, which streams its weights from
// memory), slices kPrefetchBytes ahead are requested as for the int8 and q4 tiles.
template <std::size_t Tokens>
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512bf16"))) void
bf16GroupTileDot(const Matrix &w, std::size_t group, const std::uint32_t *x, float *out,
                 std::size_t ldo, bool prefetch)
{
    const std::uint32_t *slices = w.groupPairs(group);
    const std::size_t pairs = w.pairs();
    // A tile of few sums splits each in two (even and odd pairs), so consecutive
    // instructions add into different sums.
    constexpr std::size_t kChains = Tokens <= 4 ? 2 : 1;
    __m512 acc[Tokens][kChains];
    for (auto &token : acc) {
        for (__m512 &sum : token)
            sum = _mm512_setzero_ps();
    }
    for (std::size_t p = 0; p < pairs; ++p) {
        const std::uint32_t *slice = slices + p * kRowGroup;
        if (prefetch)
            _mm_prefetch(reinterpret_cast<const char *>(slice) + kPrefetchBytes, _MM_HINT_T0);
        const auto weights = reinterpret_cast<__m512bh>(_mm512_loadu_si512(slice));
#pragma GCC unroll 16
        for (std::size_t t = 0; t < Tokens; ++t) {
            const auto values = reinterpret_cast<__m512bh>(
                _mm512_set1_epi32(static_cast<int>(x[p * Tokens + t])));
            __m512 &sum = acc[t][p % kChains];
            sum = _mm512_dpbf16_ps(sum, weights, values);
        }
    }
    for (std::size_t t = 0; t < Tokens; ++t) {
        __m512 sum = acc[t][0];
        if constexpr (kChains == 2)
            sum = _mm512_add_ps(sum, acc[t][kChains - 1]);
        _mm512_storeu_ps(out + t * ldo, sum);
    }
}

// The products of bf16 group `group` with every token, out[t * ldo + r].
void bf16GroupProducts(const Matrix &w, std::size_t group, const Bf16Tokens &tokens,
                       SimdLevel simd, float *out, std::size_t ldo)
{
    using DotTile = void (*)(const Matrix &, std::size_t, const std::uint32_t *, float *,
                             std::size_t, bool);
    using WideTile = void (*)(const Matrix &, const std::size_t *, const float *, std::size_t,
                              float *const *, std::size_t);
    using Avx2Tile = void (*)(const Matrix &, std::size_t, const float *, std::size_t, float *,
                              std::size_t);
    static constexpr auto dotTiles = tileTable<DotTile>(
        std::make_index_sequence<kBf16TokenTile>(),
        [](auto count) -> DotTile { return bf16GroupTileDot<decltype(count)::value>; });
    static constexpr auto wideTiles = tileTable<WideTile>(
        std::make_index_sequence<kBf16WidenedTile>(),
        [](auto count) -> WideTile { return bf16GroupTileAvx512<1, decltype(count)::value>; });
    static constexpr auto avx2Tiles = tileTable<Avx2Tile>(
        std::make_index_sequence<kBf16WidenedTileAvx2>(),
        [](auto count) -> Avx2Tile { return bf16GroupTileAvx2<decltype(count)::value>; });
    if (simd == SimdLevel::Scalar) {
        bf16GroupTileScalar(w, group, tokens.values, tokens.ldx, tokens.count, out, ldo);
        return;
    }
    const std::size_t tileTokens =
        evenTile(tokens.count, tokens.pairs != nullptr          ? kBf16TokenTile
                               : simd == SimdLevel::Avx512Vnni ? kBf16WidenedTile
                                                               : kBf16WidenedTileAvx2);
    for (std::size_t t0 = 0; t0 < tokens.count; t0 += tileTokens) {
        const std::size_t count = std::min(tileTokens, tokens.count - t0);
        float *tile = out + t0 * ldo;
        const float *values = tokens.values + t0 * tokens.ldx;
        if (tokens.pairs != nullptr)
            dotTiles[count - 1](w, group, tokens.pairs + t0 * w.pairs(), tile, ldo, t0 == 0);
        else if (simd == SimdLevel::Avx512Vnni)
            wideTiles[count - 1](w, &group, values, tokens.ldx, &tile, ldo);
        else
            avx2Tiles[count - 1](w, group, values, tokens.ldx, tile, ldo);
    }
}

// Rows [begin, end) of a product with weights in row groups, for `tokens` tokens:
// y[t * ldy + r - firstY], whole groups at a time. products(group, out, ldo) writes a group's
// 16 rows for every token, out[t * ldo + r]; pairProducts(first, second, outFirst, outSecond)
// those of two groups for one token at once, and returns false where no kernel does. A group
// inside the range is written straight into y; one the range cuts (at the matrix's end, or a
// single row) is computed whole into a scratch tile and only its rows in range are copied.
template <typename Products, typename PairProducts>
void groupedRows(const Matrix &w, std::size_t tokens, float *y, std::size_t ldy,
                 std::size_t firstY, std::size_t begin, std::size_t end,
                 const std::atomic<bool> *cancel, const Products &products,
                 const PairProducts &pairProducts)
{
    if (begin >= end)
        return;
    const auto whole = [&](std::size_t group) {
        return group * kRowGroup >= begin && (group + 1) * kRowGroup <= end;
    };
    const auto output = [&](std::size_t group) { return y + group * kRowGroup - firstY; };
    const auto runGroup = [&](std::size_t group) {
        if (whole(group)) {
            products(group, output(group), ldy);
            return;
        }
        std::vector<float> scratch(tokens * kRowGroup);
        products(group, scratch.data(), kRowGroup);
        const std::size_t first = std::max(begin, group * kRowGroup);
        const std::size_t last = std::min(end, (group + 1) * kRowGroup);
        for (std::size_t t = 0; t < tokens; ++t) {
            for (std::size_t row = first; row < last; ++row)
                y[t * ldy + row - firstY] = scratch[t * kRowGroup + row % kRowGroup];
        }
    };
    const auto runPair = [&](std::size_t first, std::size_t second) {
        if (!whole(first) || !whole(second) ||
            !pairProducts(first, second, output(first), output(second))) {
            runGroup(first);
            runGroup(second);
        }
    };
    // Groups between two looks at the cancel flag: a 16 MiB share of the weights, or one
    // group when tokens are many (a prefill of the output head).
    const double groupBytes = w.bytes() / static_cast<double>(w.groups());
    const auto groupsPerCheck = std::max<std::size_t>(
        1, static_cast<std::size_t>(kMatVecCancelBytes / groupBytes / double(tokens)));
    const std::size_t firstGroup = begin / kRowGroup;
    const std::size_t endGroup = (end + kRowGroup - 1) / kRowGroup;
    // One token (decode) reads the range as two sequential streams, a group of each half in
    // turn, which keeps more reads in flight than one stream (measured with int8 weights
    // against the read probe: 0.90 of it with two streams, 0.84 with one).
    const std::size_t streams = tokens == 1 ? 2 : 1;
    const std::size_t length = (endGroup - firstGroup) / streams;
    for (std::size_t i = 0; i < length; ++i) {
        if (i % groupsPerCheck == 0 && cancel && cancel->load(std::memory_order_relaxed))
            return;
        if (streams == 2)
            runPair(firstGroup + i, firstGroup + length + i);
        else
            runGroup(firstGroup + i);
    }
    for (std::size_t group = firstGroup + streams * length; group < endGroup; ++group)
        runGroup(group);
}

// Rows [begin, end) of an int8 or q4 product for every token (see groupedRows). `tiles` are
// the tokens as tilesFor packs them.
void quantisedRows(const Matrix &w, std::span<const Activations *const> tokens,
                   const std::vector<PackedTile> &tiles, float *y, std::size_t ldy,
                   std::size_t firstY, SimdLevel simd, std::size_t begin, std::size_t end,
                   const std::atomic<bool> *cancel)
{
    groupedRows(
        w, tokens.size(), y, ldy, firstY, begin, end, cancel,
        [&](std::size_t group, float *out, std::size_t ldo) {
            groupProducts(w, group, tokens, tiles, simd, out, ldo);
        },
        [&](std::size_t first, std::size_t second, float *outFirst, float *outSecond) {
            if (simd != SimdLevel::Avx512Vnni)
                return false;
            const std::size_t pair[2] = {first, second};
            float *const outs[2] = {outFirst, outSecond};
            if (w.precision() == Precision::Q4)
                groupTileVnni<2, 1, true>(w, pair, tiles.front(), outs, ldy, false);
            else
                groupTileVnni<2, 1, false>(w, pair, tiles.front(), outs, ldy, false);
            return true;
        });
}

// Rows [begin, end) of a bf16 product for every token (see groupedRows).
void bf16Rows(const Matrix &w, const Bf16Tokens &tokens, float *y, std::size_t ldy,
              std::size_t firstY, SimdLevel simd, std::size_t begin, std::size_t end,
              const std::atomic<bool> *cancel)
{
    groupedRows(
        w, tokens.count, y, ldy, firstY, begin, end, cancel,
        [&](std::size_t group, float *out, std::size_t ldo) {
            bf16GroupProducts(w, group, tokens, simd, out, ldo);
        },
        [&](std::size_t first, std::size_t second, float *outFirst, float *outSecond) {
            if (simd != SimdLevel::Avx512Vnni || tokens.pairs != nullptr)
                return false;
            const std::size_t pair[2] = {first, second};
            float *const outs[2] = {outFirst, outSecond};
            bf16GroupTileAvx512<2, 1>(w, pair, tokens.values, tokens.ldx, outs, ldy);
            return true;
        });
}

// `tokens` tokens of x prepared for bf16Rows: rounded to bf16 pairs into `rounded` where the
// products run on VDPBF16PS, on the pool's threads when one is given; else the values as given.
Bf16Tokens bf16Tokens(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens,
                      SimdLevel simd, std::vector<std::uint32_t> &rounded, ThreadPool *pool)
{
    Bf16Tokens prepared{tokens, x, ldx, nullptr};
    if (!bf16DotProducts(simd))
        return prepared;
    rounded.resize(tokens * w.pairs());
    const auto round = [&](std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t) {
            const std::size_t tile = evenTile(tokens, kBf16TokenTile);
            const std::size_t first = t / tile * tile;
            const std::size_t count = std::min(tile, tokens - first);
            roundToBf16Pairs(x + t * ldx, w.cols(), rounded.data() + first * w.pairs() + t - first,
                             count);
        }
    };
    if (pool != nullptr)
        pool->parallelFor(tokens, round);
    else
        round(0, tokens);
    prepared.pairs = rounded.data();
    return prepared;
}

#pragma GCC diagnostic pop

float dotF32(const float *a, const float *b, std::size_t n, SimdLevel simd)
{
    return simd != SimdLevel::Scalar ? dotF32Avx2(a, b, n) : dotF32Scalar(a, b, n);
}

// Rows [begin, end) of the fp32 GEMM on one thread. With more tokens than one tile, the
// reduction dimension is cut into chunks of kColumnBlock so a 4-row weight chunk (32 KiB) stays
// in L1/L2 while every token tile reuses it, and partial sums are added into y; with one tile
// there is no reuse, and whole rows avoid reducing and storing the sums once per chunk. (Chunks
// of 512 or 1024 measured slower: the reductions cost more than the misses they save.)
void gemmRows(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens, float *y,
              std::size_t ldy, SimdLevel simd, std::size_t begin, std::size_t end,
              const std::atomic<bool> *cancel)
{
    const std::size_t n = w.cols();
    const std::size_t tile = evenTile(tokens, tokenBlock(simd));
    const std::size_t chunk = tile == tokens ? n : kColumnBlock;
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
        for (std::size_t k0 = 0; k0 < n; k0 += chunk) {
            const std::size_t length = std::min(chunk, n - k0);
            const float *rows[kRowBlock];
            for (std::size_t k = 0; k < kRowBlock; ++k)
                rows[k] = w.rowF32(r0 + k) + k0;
            for (std::size_t t0 = 0; t0 < tokens; t0 += tile) {
                runTile(simd, rows, x + t0 * ldx + k0, ldx, std::min(tile, tokens - t0), length,
                        n - k0, y + t0 * ldy + r0, ldy, k0 > 0);
            }
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
    switch (w.precision()) {
    case Precision::Fp32:
        return dotF32(w.rowF32(row), x, w.cols(), simd);
    case Precision::Bf16: {
        float product = 0.0f;
        bf16Rows(w, Bf16Tokens{1, x, w.cols(), nullptr}, &product, 0, row, simd, row, row + 1,
                 nullptr);
        return product;
    }
    case Precision::Int8:
    case Precision::Q4:
        break;
    }
    // Quantised weights against fp32 activations: dequantised one by one (tests and checks
    // only; the products run on quantised activations).
    float sum = 0.0f;
    for (std::size_t j = 0; j < w.cols(); ++j)
        sum += w.at(row, j) * x[j];
    return sum;
}

bool bf16DotProducts(SimdLevel simd)
{
    __builtin_cpu_init();
    return simd == SimdLevel::Avx512Vnni && __builtin_cpu_supports("avx512bf16");
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
    // Codes past n are zero up to the end of the last block, so kernels read whole blocks.
    m_codes.assign(blocks * kActivationBlock, 0);
    m_scales.resize(blocks);
    m_blockTotals.resize(blocks);
    const auto largestMagnitude = [x](std::size_t begin, std::size_t end) {
        float largest = 0.0f;
        for (std::size_t j = begin; j < end; ++j)
            largest = std::max(largest, std::fabs(x[j]));
        return largest;
    };
    // Int8: one scale for the whole token, matching the weights' one scale per row.
    const bool perToken = precision == Precision::Int8;
    const float tokenMaxAbs = perToken ? largestMagnitude(0, n) : 0.0f;
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t begin = b * kActivationBlock;
        const std::size_t end = std::min(n, begin + kActivationBlock);
        const float maxAbs = perToken ? tokenMaxAbs : largestMagnitude(begin, end);
        const float scale = maxAbs / 127.0f;
        const float inverse = maxAbs > 0.0f ? 1.0f / scale : 0.0f;
        m_scales[b] = scale;
        std::int32_t blockSum = 0;
        for (std::size_t j = begin; j < end; ++j) {
            m_codes[j] = roundToInt8(x[j] * inverse);
            blockSum += m_codes[j];
        }
        m_blockTotals[b] = blockSum;
    }
}

float Activations::at(std::size_t j) const
{
    if (!m_quantised)
        return m_x[j];
    return m_scales[j / kActivationBlock] * static_cast<float>(m_codes[j]);
}

float dotRow(const Matrix &w, std::size_t row, const Activations &x, SimdLevel simd)
{
    if (!x.quantised() || !w.quantised())
        return dotRow(w, row, x.values(), simd);
    const Activations *token = &x;
    const std::span tokens(&token, 1);
    float product = 0.0f;
    quantisedRows(w, tokens, tilesFor(w, tokens, simd), &product, 0, row, simd, row, row + 1,
                  nullptr);
    return product;
}

void dotRows(const Matrix &w, std::size_t begin, std::size_t end, const Activations &x,
             SimdLevel simd, float *y, const std::atomic<bool> *cancel)
{
    if (w.quantised() && x.quantised()) {
        const Activations *token = &x;
        const std::span tokens(&token, 1);
        quantisedRows(w, tokens, tilesFor(w, tokens, simd), y, 0, begin, simd, begin, end,
                      cancel);
        return;
    }
    if (w.precision() == Precision::Bf16) {
        bf16Rows(w, Bf16Tokens{1, x.values(), w.cols(), nullptr}, y, 0, begin, simd, begin, end,
                 cancel);
        return;
    }
    const double rowBytes = w.bytes() / static_cast<double>(std::max<std::size_t>(1, w.rows()));
    const auto rowsPerCheck = std::max<std::size_t>(
        kMatVecRowGrain, static_cast<std::size_t>(kMatVecCancelBytes / rowBytes));
    for (std::size_t r = begin; r < end; ++r) {
        if ((r - begin) % rowsPerCheck == 0 && cancel && cancel->load(std::memory_order_relaxed))
            return;
        y[r - begin] = dotRow(w, r, x, simd);
    }
}

void matVec(const Matrix &w, const float *x, float *y, SimdLevel simd, ThreadPool &pool,
            const std::atomic<bool> *cancel)
{
    Activations prepared;
    prepared.set(x, w.cols(), w.precision());
    pool.parallelFor(w.rows(), [&](std::size_t begin, std::size_t end) {
        dotRows(w, begin, end, prepared, simd, y + begin, cancel);
    }, kMatVecRowGrain, ThreadPool::Schedule::Balanced);
}

// Each token's activations quantised for an int8 or q4 product, and pointers to them.
struct PreparedTokens {
    std::vector<Activations> tokens;
    std::vector<const Activations *> pointers;
};

void prepareTokens(PreparedTokens &prepared, const float *x, std::size_t ldx,
                   std::size_t begin, std::size_t end, const Matrix &w)
{
    for (std::size_t t = begin; t < end; ++t) {
        prepared.tokens[t].set(x + t * ldx, w.cols(), w.precision());
        prepared.pointers[t] = &prepared.tokens[t];
    }
}

void gemm(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens, float *y,
          std::size_t ldy, SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    if (w.quantised()) {
        PreparedTokens prepared{std::vector<Activations>(tokens),
                                std::vector<const Activations *>(tokens)};
        pool.parallelFor(tokens, [&](std::size_t begin, std::size_t end) {
            prepareTokens(prepared, x, ldx, begin, end, w);
        });
        const std::vector<PackedTile> tiles = tilesFor(w, prepared.pointers, simd);
        pool.parallelFor(w.rows(), [&](std::size_t begin, std::size_t end) {
            quantisedRows(w, prepared.pointers, tiles, y, ldy, 0, simd, begin, end, cancel);
        }, kRowGroup, ThreadPool::Schedule::Balanced);
        return;
    }
    if (w.precision() == Precision::Bf16) {
        std::vector<std::uint32_t> rounded;
        const Bf16Tokens prepared = bf16Tokens(w, x, ldx, tokens, simd, rounded, &pool);
        pool.parallelFor(w.rows(), [&](std::size_t begin, std::size_t end) {
            bf16Rows(w, prepared, y, ldy, 0, simd, begin, end, cancel);
        }, kRowGroup, ThreadPool::Schedule::Balanced);
        return;
    }
    pool.parallelFor(w.rows(), [&](std::size_t begin, std::size_t end) {
        gemmRows(w, x, ldx, tokens, y, ldy, simd, begin, end, cancel);
    }, kRowBlock, ThreadPool::Schedule::Balanced);
}

void gemmOnThisThread(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens,
                      float *y, std::size_t ldy, SimdLevel simd, const std::atomic<bool> *cancel)
{
    if (w.quantised()) {
        PreparedTokens prepared{std::vector<Activations>(tokens),
                                std::vector<const Activations *>(tokens)};
        prepareTokens(prepared, x, ldx, 0, tokens, w);
        gemmOnThisThread(w, prepared.pointers, y, ldy, simd, cancel);
        return;
    }
    if (w.precision() == Precision::Bf16) {
        std::vector<std::uint32_t> rounded;
        bf16Rows(w, bf16Tokens(w, x, ldx, tokens, simd, rounded, nullptr), y, ldy, 0, simd, 0,
                 w.rows(), cancel);
        return;
    }
    gemmRows(w, x, ldx, tokens, y, ldy, simd, 0, w.rows(), cancel);
}

void gemmOnThisThread(const Matrix &w, std::span<const Activations *const> tokens, float *y,
                      std::size_t ldy, SimdLevel simd, const std::atomic<bool> *cancel)
{
    quantisedRows(w, tokens, tilesFor(w, tokens, simd), y, ldy, 0, simd, 0, w.rows(), cancel);
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
