#pragma once

#include "large_array.h"
#include "model_shape.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace cliff::bench {

class ThreadPool;

/// A row-major weight matrix [rows][cols]; y = W x reads one row per output. Int8 storage keeps
/// one fp32 scale per row (symmetric, scale = max|w| / 127); bf16 storage is the top half of
/// each fp32 weight.
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
    /// Dequantisation scale of row `row`; only for Precision::Int8.
    [[nodiscard]] float scale(std::size_t row) const { return m_scales[row]; }
    /// Weight (row, col) as fp32, dequantised for int8.
    [[nodiscard]] float at(std::size_t row, std::size_t col) const;

    /// Fills every weight with uniform values in [-a, a), a = 1/sqrt(cols), from `seed`; writes
    /// every page, so the matrix is resident afterwards. Int8 rows hold uniform codes in
    /// [-127, 127] with the row scale a/127.
    /// Returns false when `cancel` (may be null) was set before every row was written.
    bool fillRandom(std::uint64_t seed, ThreadPool &pool,
                    const std::atomic<bool> *cancel = nullptr);

private:
    std::size_t m_rows = 0;
    std::size_t m_cols = 0;
    Precision m_precision = Precision::Fp32;
    // m_f32 or m_q8 points to its start.
    LargeBuffer m_storage;
    float *m_f32 = nullptr;
    std::int8_t *m_q8 = nullptr;
    std::uint16_t *m_bf16 = nullptr;
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
