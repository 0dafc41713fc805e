#include "matrix.h"

#include "thread_pool.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cliff::bench {

Matrix::Matrix(std::size_t rows, std::size_t cols, Precision precision)
    : m_rows(rows), m_cols(cols), m_precision(precision)
{
    // Uninitialised on purpose: fillRandom writes every element from the worker threads.
    if (precision == Precision::Fp32) {
        m_f32 = std::make_unique_for_overwrite<float[]>(rows * cols);
    } else {
        m_q8 = std::make_unique_for_overwrite<std::int8_t[]>(rows * cols);
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
                std::copy(row.begin(), row.end(), m_f32.get() + r * m_cols);
                continue;
            }
            float maxAbs = 0.0f;
            for (float value : row)
                maxAbs = std::max(maxAbs, std::fabs(value));
            const float scale = maxAbs > 0.0f ? maxAbs / 127.0f : 1.0f;
            m_scales[r] = scale;
            std::int8_t *out = m_q8.get() + r * m_cols;
            for (std::size_t c = 0; c < m_cols; ++c)
                out[c] = roundToInt8(row[c] / scale);
        }
    });
    return !(cancel && cancel->load());
}

} // namespace cliff::bench
