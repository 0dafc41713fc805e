#include "kernels.h"

#include "matrix.h"
#include "thread_pool.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <utility>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <vector>

namespace cliff::bench {

namespace {

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

// SiLU(x) = x / (1 + e^-x).
float silu(float x) { return x / (1.0f + std::exp(-x)); }

// e^x for eight lanes, within a few units in the last place of std::exp: x = k ln2 + r with
// |r| <= ln2 / 2, e^r from Cephes' degree-6 polynomial for expf, 2^k put into the exponent
// bits. x is clamped to where e^x is a normal float, so the result never overflows.
__attribute__((target("avx2,fma"))) __m256 expAvx2(__m256 x)
{
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.3f));
    const __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // ln2 in two parts, so k x its high part is exact and r keeps its low bits.
    __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    for (const float c : {1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f,
                          1.6666665459e-1f, 5.0000001201e-1f})
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i exponent =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(exponent));
}

__attribute__((target("avx2,fma"))) void swiGluAvx2(float *gate, const float *up, std::size_t n)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    std::size_t j = 0;
    for (; j + 8 <= n; j += 8) {
        const __m256 x = _mm256_loadu_ps(gate + j);
        const __m256 negativeExp = expAvx2(_mm256_sub_ps(_mm256_setzero_ps(), x));
        const __m256 silu = _mm256_div_ps(x, _mm256_add_ps(one, negativeExp));
        _mm256_storeu_ps(gate + j, _mm256_mul_ps(silu, _mm256_loadu_ps(up + j)));
    }
    for (; j < n; ++j)
        gate[j] = silu(gate[j]) * up[j];
}

// GCC 12's AVX-512 intrinsics fill "undefined" operands by self-initialisation, which its own
// -Wuninitialized reports; the warning is about the header, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

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
// A group's weights are requested ahead of the multiply in two steps, so weights streamed from
// DRAM arrive while the tile computes on the ones before: into L2 far enough ahead to cover
// DRAM's latency, then into L1 near enough to cover L2's. The hardware prefetchers alone leave
// the bus idle between a tile's loads (a bf16 prefill GEMM of 16 tokens ran 1.4x as fast with
// the L1 step); the L2 step took OLMoE bf16 prefill from 0.71 to 0.76-0.78 of the instruction
// peak, at any distance from 8 to 64 KiB.
constexpr std::size_t kPrefetchBytes = 4096;
constexpr std::size_t kFarPrefetchBytes = 16384;

// Requests the 64 bytes at kFarPrefetchBytes past `weights` into L2 and those at
// kPrefetchBytes past it into L1. Requests past a matrix's end are harmless: prefetches never
// fault.
inline void prefetchAhead(const void *weights)
{
    const auto *at = static_cast<const char *>(weights);
    _mm_prefetch(at + kFarPrefetchBytes, _MM_HINT_T1);
    _mm_prefetch(at + kPrefetchBytes, _MM_HINT_T0);
}

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
// Q4 decode (one token) can run two groups at once, a block of each in turn: two streams of
// weights from memory and twice the independent sums (int8 decode has int8PairDecode).
//
// With `prefetch` (a group's first tile, the one that streams its weights from memory), codes
// ahead are requested block by block (see prefetchAhead). Decode's two streams showed no clear
// gain from it.
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
            for (std::size_t line = 0; prefetch && line < blockBytes; line += 64)
                prefetchAhead(slices + line);
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

// Decode of int8 weights: one token against two groups at once, two streams from memory. Each
// broadcast of the token's codes feeds both groups, and each group's sums alternate between an
// even-slice and an odd-slice chain, restarted per span as in groupTileVnni. It is that kernel's
// two-group loop with fewer instructions per weight byte (no per-block span test, no register
// copies between blocks), and it streamed a matrix from DRAM 1.2-1.4x as fast on one thread
// and 1.1x on two (cliff-bench-kernels matVecFromDram, int8, two runs of 8 interleaved rounds);
// the same loop made q4 no faster, so q4 decode keeps groupTileVnni<2, 1, true>.
__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"))) void
int8PairDecode(const Matrix &w, const std::size_t *groups, const PackedTile &tile,
               float *const *outs)
{
    const auto zeroPoint = static_cast<std::int32_t>(w.zeroPoint());
    const std::size_t blocks = w.blocks();
    const std::size_t blockBytes = w.groupBlockBytes();
    const std::uint8_t *codes[2] = {w.groupCodes(groups[0]), w.groupCodes(groups[1])};
    for (std::size_t first = 0; first < blocks; first += kSpanBlocks) {
        const std::size_t last = std::min(blocks, first + kSpanBlocks);
        const __m512i start = _mm512_set1_epi32(-zeroPoint * tile.spanTotals[first / kSpanBlocks]);
        __m512i even[2] = {start, start};
        __m512i odd[2] = {_mm512_setzero_si512(), _mm512_setzero_si512()};
        for (std::size_t b = first; b < last; ++b) {
            const std::int8_t *x = tile.codes + b * kQuantBlock;
#pragma GCC unroll 4
            for (std::size_t k = 0; k < 8; k += 2) {
                std::int32_t evenCodes = 0, oddCodes = 0;
                std::memcpy(&evenCodes, x + k * 4, sizeof evenCodes);
                std::memcpy(&oddCodes, x + (k + 1) * 4, sizeof oddCodes);
                const __m512i evenToken = _mm512_set1_epi32(evenCodes);
                const __m512i oddToken = _mm512_set1_epi32(oddCodes);
#pragma GCC unroll 2
                for (std::size_t g = 0; g < 2; ++g) {
                    const std::uint8_t *slices = codes[g] + b * blockBytes + k * 64;
                    even[g] = _mm512_dpbusd_epi32(even[g], _mm512_loadu_si512(slices), evenToken);
                    odd[g] = _mm512_dpbusd_epi32(odd[g], _mm512_loadu_si512(slices + 64), oddToken);
                }
            }
        }
        const __m512 tokenScale = _mm512_set1_ps(tile.scales[last - 1]);
        for (std::size_t g = 0; g < 2; ++g) {
            const __m512 scales = _mm512_mul_ps(_mm512_loadu_ps(w.groupRowScales(groups[g])),
                                                tokenScale);
            const __m512 span = _mm512_mul_ps(
                _mm512_cvtepi32_ps(_mm512_add_epi32(even[g], odd[g])), scales);
            _mm512_storeu_ps(outs[g],
                             first == 0 ? span : _mm512_add_ps(_mm512_loadu_ps(outs[g]), span));
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
    static constexpr auto int8Tiles = tileTable<GroupTile>(
        std::make_index_sequence<kInt8TokenTile>(),
        [](auto count) -> GroupTile { return groupTileVnni<1, decltype(count)::value, false>; });
    static constexpr auto q4Tiles = tileTable<GroupTile>(
        std::make_index_sequence<kTokenTile>(),
        [](auto count) -> GroupTile { return groupTileVnni<1, decltype(count)::value, true>; });
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

// Fp32 and bf16 weights in row groups (see Matrix), out[t * ldo + r] for a group's 16 rows;
// padding rows come out zero, as their weights are. Bf16 weights are widened to fp32 exactly (a
// 16-bit shift or a mask of each 32-bit lane) and multiplied by fp32 tokens, except in a
// prefill on VDPBF16PS (see bf16DotProducts), which rounds the tokens to bf16 pairs. A tile's
// tokens are packed side by side per column (or pair), [cols][count], so a step's broadcasts
// read one or two cache lines: a token's values a row apart would fall in one L1 set.
struct FloatTokens {
    std::size_t count = 0;
    // Tokens per tile; the last tile may hold fewer.
    std::size_t tile = 1;
    // Fp32 values: tile k at values + k x tile x cols. One token is its own values.
    const float *values = nullptr;
    // Bf16 pairs for VDPBF16PS, in place of values: tile k at pairs + k x tile x pairs.
    const std::uint32_t *pairs = nullptr;
};

// Tokens per tile: the AVX-512 kernels keep one sum per token (up to 24 of 32 registers) and
// load each weight slice once for all of them; AVX2 keeps two a token (even and odd columns)
// in each of its two halves. A prefill from memory is bound by its weight reads, so an expert's
// tokens are best served by one pass: 24 (not 16) takes the 17 to 24 tokens that an OLMoE
// expert often gets in one tile, where two tiles of 9 to 12 left the bus idle during the
// second (prefill 0.66 to 0.70 of the bf16 peak; 28 was no better).
constexpr std::size_t kFloatTokenTile = 24;
constexpr std::size_t kFloatTokenTileAvx2 = 4;

void floatGroupTileScalar(const Matrix &w, std::size_t group, const float *x, std::size_t count,
                          float *out, std::size_t ldo)
{
    for (std::size_t t = 0; t < count; ++t) {
        for (std::size_t r = 0; r < kRowGroup; ++r) {
            float sum = 0.0f;
            for (std::size_t j = 0; j < w.cols(); ++j)
                sum += w.at(group * kRowGroup + r, j) * x[j * count + t];
            out[t * ldo + r] = sum;
        }
    }
}

// AVX2, 8 rows a half: each pair of columns' weights, as fp32, multiplied by the token's two
// values broadcast.
template <bool Bf16, std::size_t Tokens>
__attribute__((target("avx2,fma"))) void floatGroupTileAvx2(const Matrix &w, std::size_t group,
                                                            const float *x, float *out,
                                                            std::size_t ldo)
{
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
            const bool both = p < fullPairs;
            __m256 evenWeights;
            __m256 oddWeights = _mm256_setzero_ps();
            if constexpr (Bf16) {
                const __m256i pair = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(
                    w.groupPairs(group) + p * kRowGroup + half * 8));
                evenWeights = _mm256_castsi256_ps(_mm256_slli_epi32(pair, 16));
                oddWeights = _mm256_castsi256_ps(_mm256_and_si256(pair, oddMask));
            } else {
                const float *column = w.groupColumns(group) + 2 * p * kRowGroup + half * 8;
                evenWeights = _mm256_loadu_ps(column);
                if (both)
                    oddWeights = _mm256_loadu_ps(column + kRowGroup);
            }
#pragma GCC unroll 4
            for (std::size_t t = 0; t < Tokens; ++t) {
                const float *values = x + 2 * p * Tokens + t;
                even[t] = _mm256_fmadd_ps(evenWeights, _mm256_broadcast_ss(values), even[t]);
                if (both) {
                    odd[t] = _mm256_fmadd_ps(oddWeights, _mm256_broadcast_ss(values + Tokens),
                                             odd[t]);
                }
            }
        }
        for (std::size_t t = 0; t < Tokens; ++t)
            _mm256_storeu_ps(out + t * ldo + half * 8, _mm256_add_ps(even[t], odd[t]));
    }
}

// One pair of columns (2p, 2p + 1) of each group, as fp32, into acc[g][t][chain]: the even
// column into chain 0 and the odd one (only where HasOdd) into the last chain. With `prefetch`,
// weights ahead are requested (see prefetchAhead).
template <bool Bf16, bool HasOdd, std::size_t Groups, std::size_t Tokens, std::size_t Chains>
__attribute__((target("avx2,fma,avx512f"))) inline void
floatPairStep(__m512 (&acc)[Groups][Tokens][Chains], const Matrix &w, const std::size_t *groups,
              std::size_t p, const float *x, bool prefetch)
{
    const __m512i oddMask = _mm512_set1_epi32(static_cast<int>(0xFFFF0000u));
#pragma GCC unroll 2
    for (std::size_t g = 0; g < Groups; ++g) {
        __m512 evenWeights;
        __m512 oddWeights;
        if constexpr (Bf16) {
            const std::uint32_t *slice = w.groupPairs(groups[g]) + p * kRowGroup;
            if (prefetch)
                prefetchAhead(slice);
            const __m512i pair = _mm512_loadu_si512(slice);
            evenWeights = _mm512_castsi512_ps(_mm512_slli_epi32(pair, 16));
            oddWeights = _mm512_castsi512_ps(_mm512_and_si512(pair, oddMask));
        } else {
            const float *column = w.groupColumns(groups[g]) + 2 * p * kRowGroup;
            if (prefetch) {
                prefetchAhead(column);
                prefetchAhead(column + kRowGroup);
            }
            evenWeights = _mm512_loadu_ps(column);
            if constexpr (HasOdd)
                oddWeights = _mm512_loadu_ps(column + kRowGroup);
        }
#pragma GCC unroll 32
        for (std::size_t t = 0; t < Tokens; ++t) {
            const float *values = x + 2 * p * Tokens + t;
            acc[g][t][0] = _mm512_fmadd_ps(evenWeights, _mm512_set1_ps(values[0]), acc[g][t][0]);
            if constexpr (HasOdd) {
                acc[g][t][Chains - 1] = _mm512_fmadd_ps(oddWeights, _mm512_set1_ps(values[Tokens]),
                                                        acc[g][t][Chains - 1]);
            }
        }
    }
}

// AVX-512, 16 rows a vector: a pair of columns at a time, each weight load serving every token
// of the tile. Decode (one token) can run two groups at once, one from each stream (see
// groupedRows). With `prefetch` (a group's first tile, which streams its weights from memory),
// weights ahead are requested as for the int8 and q4 tiles.
template <bool Bf16, std::size_t Groups, std::size_t Tokens>
__attribute__((target("avx2,fma,avx512f"))) void
floatGroupTileAvx512(const Matrix &w, const std::size_t *groups, const float *x,
                     float *const *outs, std::size_t ldo, bool prefetch)
{
    static_assert(Groups == 1 || Tokens == 1);
    // A tile of few sums keeps the odd columns' products apart, so consecutive multiply-adds
    // add into different sums.
    constexpr std::size_t kChains = Groups * Tokens <= 4 ? 2 : 1;
    __m512 acc[Groups][Tokens][kChains];
    for (auto &group : acc) {
        for (auto &token : group) {
            for (__m512 &sum : token)
                sum = _mm512_setzero_ps();
        }
    }
    const std::size_t fullPairs = w.cols() / 2;
    for (std::size_t p = 0; p < fullPairs; ++p)
        floatPairStep<Bf16, true>(acc, w, groups, p, x, prefetch);
    if (fullPairs < w.pairs())
        floatPairStep<Bf16, false>(acc, w, groups, fullPairs, x, false);
    for (std::size_t g = 0; g < Groups; ++g) {
        for (std::size_t t = 0; t < Tokens; ++t) {
            __m512 sum = acc[g][t][0];
            if constexpr (kChains == 2)
                sum = _mm512_add_ps(sum, acc[g][t][kChains - 1]);
            _mm512_storeu_ps(outs[g] + t * ldo, sum);
        }
    }
}

// VDPBF16PS: each 32-bit lane multiplies a row's pair of weights by the token's pair of bf16
// values and adds both products, so one load of a pair slice serves every token of the tile,
// one instruction each. With `prefetch` (a group's first tile, which streams its weights from
// memory), slices ahead are requested as for the int8 and q4 tiles.
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
            prefetchAhead(slice);
        const auto weights = reinterpret_cast<__m512bh>(_mm512_loadu_si512(slice));
#pragma GCC unroll 32
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

// The products of fp32 or bf16 group `group` with every token, out[t * ldo + r].
void floatGroupProducts(const Matrix &w, std::size_t group, const FloatTokens &tokens,
                        SimdLevel simd, float *out, std::size_t ldo)
{
    using DotTile = void (*)(const Matrix &, std::size_t, const std::uint32_t *, float *,
                             std::size_t, bool);
    using WideTile = void (*)(const Matrix &, const std::size_t *, const float *, float *const *,
                              std::size_t, bool);
    using Avx2Tile = void (*)(const Matrix &, std::size_t, const float *, float *, std::size_t);
    constexpr auto counts = std::make_index_sequence<kFloatTokenTile>();
    constexpr auto avx2Counts = std::make_index_sequence<kFloatTokenTileAvx2>();
    static constexpr auto dotTiles = tileTable<DotTile>(counts, [](auto count) -> DotTile {
        return bf16GroupTileDot<decltype(count)::value>;
    });
    static constexpr auto fp32Tiles = tileTable<WideTile>(counts, [](auto count) -> WideTile {
        return floatGroupTileAvx512<false, 1, decltype(count)::value>;
    });
    static constexpr auto bf16Tiles = tileTable<WideTile>(counts, [](auto count) -> WideTile {
        return floatGroupTileAvx512<true, 1, decltype(count)::value>;
    });
    static constexpr auto fp32Avx2Tiles = tileTable<Avx2Tile>(
        avx2Counts,
        [](auto count) -> Avx2Tile { return floatGroupTileAvx2<false, decltype(count)::value>; });
    static constexpr auto bf16Avx2Tiles = tileTable<Avx2Tile>(
        avx2Counts,
        [](auto count) -> Avx2Tile { return floatGroupTileAvx2<true, decltype(count)::value>; });
    const bool bf16 = w.precision() == Precision::Bf16;
    for (std::size_t t0 = 0; t0 < tokens.count; t0 += tokens.tile) {
        const std::size_t count = std::min(tokens.tile, tokens.count - t0);
        float *tile = out + t0 * ldo;
        if (tokens.pairs != nullptr) {
            dotTiles[count - 1](w, group, tokens.pairs + t0 * w.pairs(), tile, ldo, t0 == 0);
            continue;
        }
        const float *values = tokens.values + t0 * w.cols();
        switch (simd) {
        case SimdLevel::Avx512Vnni:
            (bf16 ? bf16Tiles : fp32Tiles)[count - 1](w, &group, values, &tile, ldo, t0 == 0);
            break;
        case SimdLevel::Avx2:
            (bf16 ? bf16Avx2Tiles : fp32Avx2Tiles)[count - 1](w, group, values, tile, ldo);
            break;
        case SimdLevel::Scalar:
            floatGroupTileScalar(w, group, values, count, tile, ldo);
            break;
        }
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
                int8PairDecode(w, pair, tiles.front(), outs);
            return true;
        });
}

// Rows [begin, end) of an fp32 or bf16 product for every token (see groupedRows).
void floatRows(const Matrix &w, const FloatTokens &tokens, float *y, std::size_t ldy,
               std::size_t firstY, SimdLevel simd, std::size_t begin, std::size_t end,
               const std::atomic<bool> *cancel)
{
    groupedRows(
        w, tokens.count, y, ldy, firstY, begin, end, cancel,
        [&](std::size_t group, float *out, std::size_t ldo) {
            floatGroupProducts(w, group, tokens, simd, out, ldo);
        },
        [&](std::size_t first, std::size_t second, float *outFirst, float *outSecond) {
            if (simd != SimdLevel::Avx512Vnni || tokens.pairs != nullptr)
                return false;
            const std::size_t pair[2] = {first, second};
            float *const outs[2] = {outFirst, outSecond};
            if (w.precision() == Precision::Bf16)
                floatGroupTileAvx512<true, 2, 1>(w, pair, tokens.values, outs, ldy, false);
            else
                floatGroupTileAvx512<false, 2, 1>(w, pair, tokens.values, outs, ldy, false);
            return true;
        });
}

// One token's fp32 values as floatRows takes them, in decode: as given.
FloatTokens singleToken(const float *x) { return FloatTokens{1, 1, x, nullptr}; }

// `tokens` tokens of x (token t at x + t * ldx) laid out for floatRows in tiles of the widest
// kernel `simd` has, split evenly: rounded to bf16 pairs into `rounded` where a bf16 product
// runs on VDPBF16PS, else packed into `packed`; on the pool's threads when one is given.
FloatTokens floatTokens(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens,
                        SimdLevel simd, std::vector<float> &packed,
                        std::vector<std::uint32_t> &rounded, ThreadPool *pool)
{
    const bool dot = w.precision() == Precision::Bf16 && bf16DotProducts(simd);
    if (tokens == 1 && !dot)
        return singleToken(x);
    const std::size_t widest = simd == SimdLevel::Avx2 ? kFloatTokenTileAvx2 : kFloatTokenTile;
    FloatTokens prepared{tokens, evenTile(tokens, widest), nullptr, nullptr};
    const std::size_t width = dot ? w.pairs() : w.cols();
    if (dot)
        rounded.resize(tokens * width);
    else
        packed.resize(tokens * width);
    const auto lay = [&](std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t) {
            const std::size_t first = t / prepared.tile * prepared.tile;
            const std::size_t count = std::min(prepared.tile, tokens - first);
            const std::size_t offset = first * width + t - first;
            if (dot) {
                roundToBf16Pairs(x + t * ldx, w.cols(), rounded.data() + offset, count);
                continue;
            }
            for (std::size_t j = 0; j < w.cols(); ++j)
                packed[offset + j * count] = x[t * ldx + j];
        }
    };
    if (pool != nullptr)
        pool->parallelFor(tokens, lay);
    else
        lay(0, tokens);
    prepared.values = dot ? nullptr : packed.data();
    prepared.pairs = dot ? rounded.data() : nullptr;
    return prepared;
}

// sums[k][i] = the sum over positions p of weights[p * 16 + i] x values[p * ldkv + k] for
// k < Width: Width values of the head for 16 queries, each position's weights (a vector over
// the queries) against its values broadcast. Not inlined: inlined, GCC 12 kept the sums in
// the caller's array and stored all of them at every position (3x slower).
template <std::size_t Width>
__attribute__((target("avx2,fma,avx512f"), noinline)) void
weightedValuesAvx512(const float *weights, std::size_t context, const float *values,
                     std::size_t ldkv, float (*sums)[16])
{
    __m512 acc[Width];
    for (__m512 &sum : acc)
        sum = _mm512_setzero_ps();
    for (std::size_t p = 0; p < context; ++p) {
        const __m512 weight = _mm512_loadu_ps(weights + p * 16);
        const float *row = values + p * ldkv;
#pragma GCC unroll 16
        for (std::size_t k = 0; k < Width; ++k)
            acc[k] = _mm512_fmadd_ps(_mm512_set1_ps(row[k]), weight, acc[k]);
    }
    for (std::size_t k = 0; k < Width; ++k)
        _mm512_store_ps(sums[k], acc[k]);
}

// The lanes (queries i at positions first + i) that see `position`, which is below first + 16:
// those with i >= position - first, so all of them for the positions before the first query's.
__attribute__((target("avx2,fma,avx512f"))) inline __mmask16 queriesSeeing(std::size_t position,
                                                                          std::size_t first)
{
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const auto distance = static_cast<std::int64_t>(position) - static_cast<std::int64_t>(first);
    return distance <= 0
               ? __mmask16(0xFFFF)
               : _mm512_cmpge_epi32_mask(lane, _mm512_set1_epi32(static_cast<int>(distance)));
}

// Causal attention of one head for up to 16 consecutive queries, one per lane: query i, at
// position first + i, sees positions [0, first + i]. Scores run four positions at a time, each
// value of the queries (transposed, so a lane holds a query) against that value of the four
// keys broadcast; the outputs run 16 values of the head at a time, each position's scores
// (a vector over the queries) against its values broadcast. The outputs are divided by the
// softmax's sums once, at the end.
__attribute__((target("avx2,fma,avx512f"))) void
attendQueriesAvx512(const float *q, std::size_t ldq, std::size_t count, std::size_t first,
                    const float *keys, const float *values, const AttentionHead &head, float *out,
                    std::size_t ldo)
{
    constexpr std::size_t kLanes = kAttentionQueryBlock;
    const std::size_t context = first + count;
    const std::size_t keyDim = head.keyDim;
    const std::size_t ldkv = head.ldkv;
    std::vector<float> queries(keyDim * kLanes, 0.0f);
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t d = 0; d < keyDim; ++d)
            queries[d * kLanes + i] = head.scale * q[i * ldq + d];
    }
    std::vector<float> scores(context * kLanes);
    const auto scoreAt = [&](std::size_t p) { return scores.data() + p * kLanes; };
    std::size_t p = 0;
    for (; p + 4 <= context; p += 4) {
        // One sum per position, four positions side by side.
        const float *key = keys + p * ldkv;
        __m512 s0 = _mm512_setzero_ps();
        __m512 s1 = _mm512_setzero_ps();
        __m512 s2 = _mm512_setzero_ps();
        __m512 s3 = _mm512_setzero_ps();
        for (std::size_t d = 0; d < keyDim; ++d) {
            const __m512 query = _mm512_loadu_ps(queries.data() + d * kLanes);
            s0 = _mm512_fmadd_ps(_mm512_set1_ps(key[d]), query, s0);
            s1 = _mm512_fmadd_ps(_mm512_set1_ps(key[ldkv + d]), query, s1);
            s2 = _mm512_fmadd_ps(_mm512_set1_ps(key[2 * ldkv + d]), query, s2);
            s3 = _mm512_fmadd_ps(_mm512_set1_ps(key[3 * ldkv + d]), query, s3);
        }
        _mm512_storeu_ps(scoreAt(p), s0);
        _mm512_storeu_ps(scoreAt(p + 1), s1);
        _mm512_storeu_ps(scoreAt(p + 2), s2);
        _mm512_storeu_ps(scoreAt(p + 3), s3);
    }
    for (; p < context; ++p) {
        __m512 sum = _mm512_setzero_ps();
        for (std::size_t d = 0; d < keyDim; ++d) {
            sum = _mm512_fmadd_ps(_mm512_set1_ps(keys[p * ldkv + d]),
                                  _mm512_loadu_ps(queries.data() + d * kLanes), sum);
        }
        _mm512_storeu_ps(scoreAt(p), sum);
    }
    __m512 largest = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    for (p = 0; p < context; ++p)
        largest = _mm512_mask_max_ps(largest, queriesSeeing(p, first), largest,
                                     _mm512_loadu_ps(scoreAt(p)));
    __m512 total = _mm512_setzero_ps();
    for (p = 0; p < context; ++p) {
        const __m512 shifted = _mm512_sub_ps(_mm512_loadu_ps(scoreAt(p)), largest);
        // e^x on each half, with AVX-512F's own lane moves (no AVX-512DQ needed).
        const __m256 low = expAvx2(_mm512_castps512_ps256(shifted));
        const __m256 high =
            expAvx2(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(shifted), 1)));
        const __m512 e = _mm512_castpd_ps(_mm512_insertf64x4(
            _mm512_castpd256_pd512(_mm256_castps_pd(low)), _mm256_castps_pd(high), 1));
        const __m512 weight = _mm512_maskz_mov_ps(queriesSeeing(p, first), e);
        total = _mm512_add_ps(total, weight);
        _mm512_storeu_ps(scoreAt(p), weight);
    }
    alignas(64) float inverse[kLanes];
    _mm512_store_ps(inverse, _mm512_div_ps(_mm512_set1_ps(1.0f), total));
    alignas(64) float sums[kLanes][kLanes];
    for (std::size_t d0 = 0; d0 < head.valueDim; d0 += kLanes) {
        const std::size_t width = std::min(kLanes, head.valueDim - d0);
        if (width == kLanes) {
            weightedValuesAvx512<kLanes>(scores.data(), context, values + d0, ldkv, sums);
        } else {
            for (std::size_t k = 0; k < width; ++k)
                weightedValuesAvx512<1>(scores.data(), context, values + d0 + k, ldkv, sums + k);
        }
        for (std::size_t i = 0; i < count; ++i) {
            for (std::size_t k = 0; k < width; ++k)
                out[i * ldo + d0 + k] = sums[k][i] * inverse[i];
        }
    }
}

#pragma GCC diagnostic pop

float dotF32(const float *a, const float *b, std::size_t n, SimdLevel simd)
{
    return simd != SimdLevel::Scalar ? dotF32Avx2(a, b, n) : dotF32Scalar(a, b, n);
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

AttentionHead plainHead(std::size_t headDim, std::size_t ldkv)
{
    return {headDim, headDim, ldkv, 1.0f / std::sqrt(static_cast<float>(headDim))};
}

void attendQuery(const float *q, const float *keys, const float *values, std::size_t context,
                 const AttentionHead &head, float *scores, float *out, SimdLevel simd)
{
    for (std::size_t p = 0; p < context; ++p)
        scores[p] = head.scale * dot(q, keys + p * head.ldkv, head.keyDim, simd);
    softmaxInPlace(scores, context);
    std::fill(out, out + head.valueDim, 0.0f);
    for (std::size_t p = 0; p < context; ++p)
        axpy(scores[p], values + p * head.ldkv, out, head.valueDim, simd);
}

void attendQueries(const float *q, std::size_t ldq, std::size_t count, std::size_t first,
                   const float *keys, const float *values, const AttentionHead &head,
                   float *out, std::size_t ldo, SimdLevel simd)
{
    if (simd == SimdLevel::Avx512Vnni) {
        for (std::size_t i = 0; i < count; i += kAttentionQueryBlock) {
            attendQueriesAvx512(q + i * ldq, ldq, std::min(kAttentionQueryBlock, count - i),
                                first + i, keys, values, head, out + i * ldo, ldo);
        }
        return;
    }
    std::vector<float> scores(first + count);
    for (std::size_t i = 0; i < count; ++i) {
        attendQuery(q + i * ldq, keys, values, first + i + 1, head, scores.data(), out + i * ldo,
                    simd);
    }
}

void swiGlu(float *gate, const float *up, std::size_t n, SimdLevel simd)
{
    if (simd != SimdLevel::Scalar) {
        swiGluAvx2(gate, up, n);
        return;
    }
    for (std::size_t j = 0; j < n; ++j)
        gate[j] = silu(gate[j]) * up[j];
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
    if (!w.quantised()) {
        float product = 0.0f;
        floatRows(w, singleToken(x), &product, 0, row, simd, row, row + 1, nullptr);
        return product;
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
    if (!w.quantised()) {
        floatRows(w, singleToken(x.values()), y, 0, begin, simd, begin, end, cancel);
        return;
    }
    // Quantised weights against fp32 activations (checks only): row by row.
    const double rowBytes = w.bytes() / static_cast<double>(std::max<std::size_t>(1, w.rows()));
    const auto rowsPerCheck = std::max<std::size_t>(
        kRowGroup, static_cast<std::size_t>(kMatVecCancelBytes / rowBytes));
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
    }, kDecodeRowGrain, ThreadPool::Schedule::Balanced);
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

// Runs rows(product, begin, end) on each product's share of rows [begin, end) of all the
// products laid end to end, in the product's own row numbers. Each product starts at a whole
// row group, so a range split at groups never cuts one.
template <typename Rows>
void eachProductRows(std::span<const Product> products, std::size_t begin, std::size_t end,
                     const Rows &rows)
{
    std::size_t first = 0;
    for (const Product &product : products) {
        const std::size_t last = first + product.w->rows();
        if (begin < last && end > first)
            rows(product, std::max(begin, first) - first, std::min(end, last) - first);
        first += product.w->groups() * kRowGroup;
    }
}

std::size_t productRows(std::span<const Product> products)
{
    std::size_t rows = 0;
    for (const Product &product : products)
        rows += product.w->groups() * kRowGroup;
    return rows;
}

void gemm(std::span<const Product> products, const float *x, std::size_t ldx,
          std::size_t tokens, SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const Matrix &w = *products.front().w;
    const auto rowsOnPool = [&](const auto &rows) {
        pool.parallelFor(productRows(products), [&](std::size_t begin, std::size_t end) {
            eachProductRows(products, begin, end, rows);
        }, kRowGroup, ThreadPool::Schedule::Balanced);
    };
    if (w.quantised()) {
        PreparedTokens prepared{std::vector<Activations>(tokens),
                                std::vector<const Activations *>(tokens)};
        pool.parallelFor(tokens, [&](std::size_t begin, std::size_t end) {
            prepareTokens(prepared, x, ldx, begin, end, w);
        });
        const std::vector<PackedTile> tiles = tilesFor(w, prepared.pointers, simd);
        rowsOnPool([&](const Product &product, std::size_t begin, std::size_t end) {
            quantisedRows(*product.w, prepared.pointers, tiles, product.y, product.ldy, 0, simd,
                          begin, end, cancel);
        });
        return;
    }
    std::vector<float> packed;
    std::vector<std::uint32_t> rounded;
    const FloatTokens prepared = floatTokens(w, x, ldx, tokens, simd, packed, rounded, &pool);
    rowsOnPool([&](const Product &product, std::size_t begin, std::size_t end) {
        floatRows(*product.w, prepared, product.y, product.ldy, 0, simd, begin, end, cancel);
    });
}

void gemm(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens, float *y,
          std::size_t ldy, SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const Product product{&w, y, ldy};
    gemm(std::span(&product, 1), x, ldx, tokens, simd, pool, cancel);
}

void gemmOnThisThread(std::span<const Product> products, const float *x, std::size_t ldx,
                      std::size_t tokens, SimdLevel simd, const std::atomic<bool> *cancel)
{
    const Matrix &w = *products.front().w;
    if (w.quantised()) {
        PreparedTokens prepared{std::vector<Activations>(tokens),
                                std::vector<const Activations *>(tokens)};
        prepareTokens(prepared, x, ldx, 0, tokens, w);
        gemmOnThisThread(products, prepared.pointers, simd, cancel);
        return;
    }
    std::vector<float> packed;
    std::vector<std::uint32_t> rounded;
    const FloatTokens prepared = floatTokens(w, x, ldx, tokens, simd, packed, rounded, nullptr);
    for (const Product &product : products) {
        floatRows(*product.w, prepared, product.y, product.ldy, 0, simd, 0, product.w->rows(),
                  cancel);
    }
}

void gemmOnThisThread(const Matrix &w, const float *x, std::size_t ldx, std::size_t tokens,
                      float *y, std::size_t ldy, SimdLevel simd, const std::atomic<bool> *cancel)
{
    const Product product{&w, y, ldy};
    gemmOnThisThread(std::span(&product, 1), x, ldx, tokens, simd, cancel);
}

void gemmOnThisThread(std::span<const Product> products,
                      std::span<const Activations *const> tokens, SimdLevel simd,
                      const std::atomic<bool> *cancel)
{
    const std::vector<PackedTile> tiles = tilesFor(*products.front().w, tokens, simd);
    for (const Product &product : products) {
        quantisedRows(*product.w, tokens, tiles, product.y, product.ldy, 0, simd, 0,
                      product.w->rows(), cancel);
    }
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
