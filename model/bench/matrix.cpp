#include "matrix.h"

#include "thread_pool.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace cliff::bench {

namespace {

constexpr std::size_t kCacheLine = 64;

} // namespace

Matrix::Matrix(std::size_t rows, std::size_t cols, Precision precision)
    : m_rows(rows), m_cols(cols), m_precision(precision)
{
    // Uninitialised on purpose: fillRandom writes every element from the worker threads.
    const std::size_t bytes = rows * cols * (precision == Precision::Fp32 ? sizeof(float) : 1);
    m_storage = std::make_unique_for_overwrite<std::byte[]>(bytes + kCacheLine);
    void *start = m_storage.get();
    std::size_t space = bytes + kCacheLine;
    start = std::align(kCacheLine, bytes, start, space);
    if (precision == Precision::Fp32) {
        m_f32 = static_cast<float *>(start);
    } else {
        m_q8 = static_cast<std::int8_t *>(start);
        m_scales = std::make_unique_for_overwrite<float[]>(rows);
    }
}

float Matrix::at(std::size_t row, std::size_t col) const
{
    if (m_precision == Precision::Fp32)
        return m_f32[row * m_cols + col];
    return m_scales[row] * static_cast<float>(m_q8[row * m_cols + col]);
}

bool Matrix::fillRandom(std::uint64_t seed, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const float amplitude = 1.0f / std::sqrt(static_cast<float>(std::max<std::size_t>(1, m_cols)));
    pool.parallelFor(m_rows, [&](std::size_t begin, std::size_t end) {
        std::vector<float> row(m_cols);
        for (std::size_t r = begin; r < end; ++r) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            SplitMix random(seed * 0x100000001b3ULL + r);
            for (float &value : row)
                value = amplitude * random.nextSigned();
            if (m_precision == Precision::Fp32) {
                std::copy(row.begin(), row.end(), m_f32 + r * m_cols);
                continue;
            }
            float maxAbs = 0.0f;
            for (float value : row)
                maxAbs = std::max(maxAbs, std::fabs(value));
            const float scale = maxAbs > 0.0f ? maxAbs / 127.0f : 1.0f;
            m_scales[r] = scale;
            std::int8_t *out = m_q8 + r * m_cols;
            for (std::size_t c = 0; c < m_cols; ++c)
                out[c] = roundToInt8(row[c] / scale);
        }
    });
    return !(cancel && cancel->load());
}

} // namespace cliff::bench
