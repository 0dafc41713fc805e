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

/// A row-major weight matrix [rows][cols]; y = W x reads one row per output. Int8 storage keeps
/// one fp32 scale per row (symmetric, scale = max|w| / 127); bf16 storage is the top half of
/// each fp32 weight. Q4 storage keeps each row as pairs of 32-weight blocks: 32 bytes whose low
/// nibbles are the first block's codes and high nibbles the second's (code c stands for c - 8),
/// so one 32-byte load unpacks into 64 weights in order; the fp16 block scales of every row
/// follow the codes of every row.
class Matrix {
public:
    Matrix() = default;
    Matrix(std::size_t rows, std::size_t cols, Precision precision);

    [[nodiscard]] std::size_t rows() const { return m_rows; }
    [[nodiscard]] std::size_t cols() const { return m_cols; }
    [[nodiscard]] Precision precision() const { return m_precision; }
    /// Bytes of weights and scales held.
    [[nodiscard]] double bytes() const { return matrixBytes(m_rows, m_cols, m_precision); }

    /// Row `row` of fp32 weights; only for Precision::Fp32.
    [[nodiscard]] const float *rowF32(std::size_t row) const { return m_f32 + row * m_cols; }
    /// Row `row` of int8 weights; only for Precision::Int8.
    [[nodiscard]] const std::int8_t *rowQ8(std::size_t row) const { return m_q8 + row * m_cols; }
    /// Row `row` of bf16 weights (fp32 bit patterns >> 16); only for Precision::Bf16.
    [[nodiscard]] const std::uint16_t *rowBf16(std::size_t row) const { return m_bf16 + row * m_cols; }
    /// Row `row` of q4 codes, q4RowBytes() of them; only for Precision::Q4.
    [[nodiscard]] const std::uint8_t *rowQ4(std::size_t row) const
    {
        return m_q4 + row * q4RowBytes();
    }
    /// Fp16 scales of row `row`'s q4 blocks, two per pair; only for Precision::Q4.
    [[nodiscard]] const std::uint16_t *q4Scales(std::size_t row) const
    {
        return m_q4Scales + row * 2 * q4Pairs();
    }
    /// Pairs of q4 blocks per row: the columns padded to a multiple of kQ4Pair.
    [[nodiscard]] std::size_t q4Pairs() const { return (m_cols + kQ4Pair - 1) / kQ4Pair; }
    /// Bytes of codes per q4 row.
    [[nodiscard]] std::size_t q4RowBytes() const { return q4Pairs() * kQ4Pair / 2; }
    /// Dequantisation scale of row `row`; only for Precision::Int8.
    [[nodiscard]] float scale(std::size_t row) const { return m_scales[row]; }
    /// Weight (row, col) as fp32, dequantised for int8.
    [[nodiscard]] float at(std::size_t row, std::size_t col) const;

    /// Fills every weight with uniform values in [-a, a), a = 1/sqrt(cols), from `seed`; writes
    /// every page, so the matrix is resident afterwards. Int8 rows hold uniform codes in
    /// [-127, 127] with the row scale a/127; q4 blocks uniform codes in [0, 15] with the block
    /// scale a/8 (padding columns hold code 8, a zero weight).
    /// Returns false when `cancel` (may be null) was set before every row was written.
    bool fillRandom(std::uint64_t seed, ThreadPool &pool,
                    const std::atomic<bool> *cancel = nullptr);

private:
    /// Fills q4 row `row` with uniform codes and the block scale amplitude / 8.
    void fillQ4Row(std::size_t row, float amplitude, SplitMix &random);

    std::size_t m_rows = 0;
    std::size_t m_cols = 0;
    Precision m_precision = Precision::Fp32;
    // m_f32, m_q8, m_bf16 or m_q4 points to its start.
    LargeBuffer m_storage;
    float *m_f32 = nullptr;
    std::int8_t *m_q8 = nullptr;
    std::uint16_t *m_bf16 = nullptr;
    std::uint8_t *m_q4 = nullptr;
    std::uint16_t *m_q4Scales = nullptr;
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

/// The code (0 to 15, standing for code - 8) of column `col` in a q4 row (see Matrix).
inline unsigned q4Code(const std::uint8_t *row, std::size_t col)
{
    const std::uint8_t byte = row[col / kQ4Pair * kQ4Block + col % kQ4Block];
    return col % kQ4Pair < kQ4Block ? byte & 0x0Fu : byte >> 4;
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
