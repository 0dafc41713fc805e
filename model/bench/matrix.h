#pragma once

#include "large_array.h"
#include "model_shape.h"

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace cliff::bench {

class SplitMix;
class ThreadPool;

/// A weight matrix [rows][cols]; y = W x takes one dot product per row.
///
/// Every precision is stored in groups of kRowGroup rows, the 16 rows' weights of a column side
/// by side, so one 512-bit load feeds 16 rows' products with a token's value broadcast to every
/// lane and no sums are reduced across lanes. Fp32 keeps a slice of 64 bytes per column. Bf16
/// (the top half of each fp32 weight) keeps one per pair of columns, the two weights of each
/// row in a 32-bit lane (the even column in the low half), as VDPBF16PS multiplies them.
///
/// Int8 and q4 are stored as unsigned codes with a zero point (int8: w = scale x (code - 128),
/// one fp32 scale per row; q4: w = scale x (code - 8), one fp16 scale per block of 32 weights
/// of a row), repacked once for the kernels that read them: rows in groups of kRowGroup, and a
/// group's block of 32 columns as 8 slices of 4 columns, each slice the 4 codes of all 16 rows
/// side by side (64 bytes). One 512-bit load of a slice thus feeds 16 rows' dot products with a
/// token's 4 codes broadcast to every lane. Q4 packs two slices per 64 bytes, slice k in the
/// low nibbles and slice k + 4 in the high nibbles, and keeps a group's 16 block scales side by
/// side after all codes. Rows are padded to a whole group, and columns to a whole pair (bf16) or
/// block (int8, q4), with zero weights.
class Matrix {
public:
    Matrix() = default;
    /// Weights held in memory of their own, or taken from `arena` (which must outlive them).
    Matrix(std::size_t rows, std::size_t cols, Precision precision, LargeArena *arena = nullptr);

    [[nodiscard]] std::size_t rows() const { return m_rows; }
    [[nodiscard]] std::size_t cols() const { return m_cols; }
    [[nodiscard]] Precision precision() const { return m_precision; }
    /// Int8 or q4: stored as codes in row groups (see above).
    [[nodiscard]] bool quantised() const
    {
        return m_precision == Precision::Int8 || m_precision == Precision::Q4;
    }
    /// Bytes of weights and scales held.
    [[nodiscard]] double bytes() const { return matrixBytes(m_rows, m_cols, m_precision); }

    /// Groups of kRowGroup rows; int8 and q4: blocks of kQuantBlock columns per row.
    [[nodiscard]] std::size_t groups() const { return (m_rows + kRowGroup - 1) / kRowGroup; }
    [[nodiscard]] std::size_t blocks() const { return (m_cols + kQuantBlock - 1) / kQuantBlock; }
    /// Fp32: the columns of group `group`: column c of row r at [c * kRowGroup + r].
    [[nodiscard]] const float *groupColumns(std::size_t group) const
    {
        return m_f32 + group * m_cols * kRowGroup;
    }
    /// Pairs of columns per row; bf16: the pairs of group `group`: pair p of row r at
    /// [p * kRowGroup + r], fp32 bit patterns >> 16 of the even column in the low half.
    [[nodiscard]] std::size_t pairs() const { return (m_cols + 1) / 2; }
    [[nodiscard]] const std::uint32_t *groupPairs(std::size_t group) const
    {
        return m_bf16 + group * pairs() * kRowGroup;
    }
    /// Int8 and q4: the codes of group `group`, blocks() blocks of groupBlockBytes() each.
    [[nodiscard]] const std::uint8_t *groupCodes(std::size_t group) const
    {
        return m_codes + group * blocks() * groupBlockBytes();
    }
    /// Bytes of one group's block: 512 for int8, 256 for q4.
    [[nodiscard]] std::size_t groupBlockBytes() const
    {
        return m_precision == Precision::Q4 ? kRowGroup * kQuantBlock / 2
                                            : kRowGroup * kQuantBlock;
    }
    /// Q4: the fp16 scales of group `group`, kRowGroup per block (one per row).
    [[nodiscard]] const std::uint16_t *groupScales(std::size_t group) const
    {
        return m_blockScales + group * blocks() * kRowGroup;
    }
    /// Int8: the scale of row `row`.
    [[nodiscard]] float scale(std::size_t row) const { return m_scales[row]; }
    /// Int8: the scales of group `group`'s kRowGroup rows, zero for rows past the end.
    [[nodiscard]] const float *groupRowScales(std::size_t group) const
    {
        return m_scales.get() + group * kRowGroup;
    }
    /// Int8 and q4: the code of weight (row, col), and the code that stands for zero.
    [[nodiscard]] unsigned code(std::size_t row, std::size_t col) const;
    [[nodiscard]] unsigned zeroPoint() const { return m_precision == Precision::Q4 ? 8 : 128; }
    /// Weight (row, col) as fp32, dequantised for int8 and q4.
    [[nodiscard]] float at(std::size_t row, std::size_t col) const;

    /// Fills every weight with uniform values in [-a, a), a = 1/sqrt(cols), from `seed`; writes
    /// every page, so the matrix is resident afterwards. Bf16 weights are those values rounded
    /// to bf16. Int8 rows hold uniform weights in [-127, 127] x a/127 (codes 1 to 255); q4
    /// blocks uniform codes in [0, 15] with the block scale a/8. Each row's values depend on
    /// the seed and the row only.
    /// Returns false when `cancel` (may be null) was set before every row was written.
    bool fillRandom(std::uint64_t seed, ThreadPool &pool,
                    const std::atomic<bool> *cancel = nullptr);

private:
    /// The byte holding code (row, col) in the repacked layout, and the shift of its nibble
    /// (q4) within it.
    [[nodiscard]] std::size_t codeOffset(std::size_t row, std::size_t col, unsigned &shift) const;
    /// Fills the rows of group `group` (real and padding) from their seeds.
    void fillQuantisedGroup(std::size_t group, std::uint64_t seed, float amplitude);
    void fillFloatGroup(std::size_t group, std::uint64_t seed, float amplitude);

    std::size_t m_rows = 0;
    std::size_t m_cols = 0;
    Precision m_precision = Precision::Fp32;
    // m_f32, m_bf16 or m_codes points to its start; empty when taken from an arena.
    LargeBuffer m_storage;
    float *m_f32 = nullptr;
    std::uint32_t *m_bf16 = nullptr;
    std::uint8_t *m_codes = nullptr;
    std::uint16_t *m_blockScales = nullptr;
    std::unique_ptr<float[]> m_scales;
};
/// `value` (within [-127.5, 127.5]) rounded half away from zero to int8, as std::lround does but
/// without a library call, so quantising loops vectorise.
inline std::int8_t roundToInt8(float value)
{
    return static_cast<std::int8_t>(value + (value >= 0.0f ? 0.5f : -0.5f));
}

/// `value` as bfloat16: its top 16 bits, rounded to nearest even (finite values only).
inline std::uint16_t toBf16(float value)
{
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>(bits >> 16);
}

/// The fp32 value of bfloat16 `value`.
inline float fromBf16(std::uint16_t value)
{
    const std::uint32_t bits = std::uint32_t{value} << 16;
    float result = 0.0f;
    std::memcpy(&result, &bits, sizeof result);
    return result;
}

/// `value` as IEEE half precision, rounded to nearest even (F16C's conversion, in software so
/// the scalar path needs no special instructions).
inline std::uint16_t toHalf(float value)
{
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
    std::uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude >= 0x47800000u) // 65536 or more, infinity or NaN
        return static_cast<std::uint16_t>(sign | (magnitude > 0x7F800000u ? 0x7E00u : 0x7C00u));
    if (magnitude < 0x38800000u) { // below 2^-14: a subnormal half, in units of 2^-24
        float absolute = 0.0f;
        std::memcpy(&absolute, &magnitude, sizeof absolute);
        return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(
                                                      std::nearbyint(absolute * 16777216.0f)));
    }
    // Rebias the exponent (127 - 15 = 112) and round the 13 dropped bits to nearest even.
    magnitude += 0xC8000FFFu + ((magnitude >> 13) & 1u);
    return static_cast<std::uint16_t>(sign | (magnitude >> 13));
}

/// The fp32 value of half-precision `value`.
inline float fromHalf(std::uint16_t value)
{
    const std::uint32_t sign = std::uint32_t{value & 0x8000u} << 16;
    const std::uint32_t exponent = (value >> 10) & 0x1Fu;
    const std::uint32_t mantissa = value & 0x3FFu;
    std::uint32_t bits = 0;
    if (exponent == 0) {
        const float magnitude = static_cast<float>(mantissa) * 5.9604645e-8f; // x 2^-24
        return sign != 0 ? -magnitude : magnitude;
    }
    if (exponent == 31)
        bits = sign | 0x7F800000u | (mantissa << 13);
    else
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    float result = 0.0f;
    std::memcpy(&result, &bits, sizeof result);
    return result;
}

/// A fast seeded generator (splitmix64) for repeatable random weights and inputs.
class SplitMix {
public:
    explicit SplitMix(std::uint64_t seed) : m_state(seed) {}
    /// Next 64 random bits.
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform float in [-1, 1).
    float nextSigned()
    {
        return static_cast<float>(static_cast<double>(next() >> 40) / 8388608.0 - 1.0);
    }
    /// Two uniform floats in [-1, 1) from one draw, 24 bits each: half the work per value,
    /// for filling gigabytes of weights.
    void nextSignedPair(float &first, float &second)
    {
        const std::uint64_t bits = next();
        constexpr float kStep = 1.0f / 8388608.0f; // 2^-23: 24-bit integers map onto [0, 2)
        first = static_cast<float>(static_cast<std::uint32_t>(bits >> 40)) * kStep - 1.0f;
        second = static_cast<float>(static_cast<std::uint32_t>(bits >> 8) & 0xFFFFFFu) * kStep -
                 1.0f;
    }

private:
    std::uint64_t m_state;
};

} // namespace cliff::bench
