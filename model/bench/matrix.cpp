#include "matrix.h"

#include "thread_pool.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace cliff::bench {

Matrix::Matrix(std::size_t rows, std::size_t cols, Precision precision)
    : m_rows(rows), m_cols(cols), m_precision(precision),
      // Pages are committed when fillRandom writes them, from the worker threads.
      m_storage(allocateLarge(static_cast<std::size_t>(matrixBytes(rows, cols, precision))))
{
    if (precision == Precision::Q4) {
        m_q4 = reinterpret_cast<std::uint8_t *>(m_storage.get());
        m_q4Scales = reinterpret_cast<std::uint16_t *>(m_q4 + rows * q4RowBytes());
    } else if (precision == Precision::Fp32) {
        m_f32 = reinterpret_cast<float *>(m_storage.get());
    } else if (precision == Precision::Bf16) {
        m_bf16 = reinterpret_cast<std::uint16_t *>(m_storage.get());
    } else {
        m_q8 = reinterpret_cast<std::int8_t *>(m_storage.get());
        m_scales = std::make_unique_for_overwrite<float[]>(rows);
    }
}

float Matrix::at(std::size_t row, std::size_t col) const
{
    if (m_precision == Precision::Fp32)
        return m_f32[row * m_cols + col];
    if (m_precision == Precision::Bf16)
        return fromBf16(m_bf16[row * m_cols + col]);
    if (m_precision == Precision::Q4) {
        const auto code = static_cast<float>(q4Code(rowQ4(row), col));
        return fromHalf(q4Scales(row)[col / kQ4Block]) * (code - 8.0f);
    }
    return m_scales[row] * static_cast<float>(m_q8[row * m_cols + col]);
}

void Matrix::fillQ4Row(std::size_t row, float amplitude, SplitMix &random)
{
    std::uint8_t *codes = m_q4 + row * q4RowBytes();
    std::uint16_t *scales = m_q4Scales + row * 2 * q4Pairs();
    // Sixteen codes per draw, a nibble each; padding columns get code 8 (zero) and a zero scale.
    for (std::size_t byte = 0; byte < q4RowBytes(); byte += 8) {
        std::uint64_t bits = random.next();
        for (std::size_t k = byte; k < std::min(q4RowBytes(), byte + 8); ++k, bits >>= 8)
            codes[k] = static_cast<std::uint8_t>(bits);
    }
    for (std::size_t col = m_cols; col < q4Pairs() * kQ4Pair; ++col) {
        std::uint8_t &byte = codes[col / kQ4Pair * kQ4Block + col % kQ4Block];
        byte = col % kQ4Pair < kQ4Block ? static_cast<std::uint8_t>((byte & 0xF0u) | 8u)
                                        : static_cast<std::uint8_t>((byte & 0x0Fu) | 0x80u);
    }
    for (std::size_t block = 0; block < 2 * q4Pairs(); ++block)
        scales[block] = toHalf(block * kQ4Block < m_cols ? amplitude / 8.0f : 0.0f);
}

bool Matrix::fillRandom(std::uint64_t seed, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    // Uniform in [-a, a) with a = 1/sqrt(cols), so outputs keep the inputs' scale. Int8 rows
    // hold uniform codes in [-127, 127] with scale a/127: the same distribution, quantised.
    const float amplitude = 1.0f / std::sqrt(static_cast<float>(std::max<std::size_t>(1, m_cols)));
    pool.parallelFor(m_rows, [&](std::size_t begin, std::size_t end) {
        for (std::size_t r = begin; r < end; ++r) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            SplitMix random(seed * 0x100000001b3ULL + r);
            if (m_precision == Precision::Fp32) {
                float *row = m_f32 + r * m_cols;
                std::size_t c = 0;
                for (; c + 2 <= m_cols; c += 2) {
                    random.nextSignedPair(row[c], row[c + 1]);
                    row[c] *= amplitude;
                    row[c + 1] *= amplitude;
                }
                if (c < m_cols)
                    row[c] = amplitude * random.nextSigned();
                continue;
            }
            if (m_precision == Precision::Bf16) {
                std::uint16_t *row = m_bf16 + r * m_cols;
                for (std::size_t c = 0; c < m_cols; c += 2) {
                    float first = 0.0f, second = 0.0f;
                    random.nextSignedPair(first, second);
                    row[c] = toBf16(amplitude * first);
                    if (c + 1 < m_cols)
                        row[c + 1] = toBf16(amplitude * second);
                }
                continue;
            }
            if (m_precision == Precision::Q4) {
                fillQ4Row(r, amplitude, random);
                continue;
            }
            m_scales[r] = amplitude / 127.0f;
            std::int8_t *row = m_q8 + r * m_cols;
            // Four codes per draw, each from 16 bits scaled onto the 255 values.
            for (std::size_t c = 0; c < m_cols; c += 4) {
                std::uint64_t bits = random.next();
                for (std::size_t k = c; k < std::min(m_cols, c + 4); ++k, bits >>= 16) {
                    const auto code = static_cast<int>(((bits & 0xFFFFu) * 255u) >> 16) - 127;
                    row[k] = static_cast<std::int8_t>(code);
                }
            }
        }
    });
    return !(cancel && cancel->load());
}

} // namespace cliff::bench
