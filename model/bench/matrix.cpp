#include "matrix.h"

#include "thread_pool.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace cliff::bench {

Matrix::Matrix(std::size_t rows, std::size_t cols, Precision precision, LargeArena *arena)
    : m_rows(rows), m_cols(cols), m_precision(precision)
{
    // Pages are committed when fillRandom writes them, from the worker threads.
    const auto bytes = static_cast<std::size_t>(matrixBytes(rows, cols, precision));
    std::byte *storage = nullptr;
    if (arena != nullptr) {
        storage = arena->take(bytes);
    } else {
        m_storage = allocateLarge(bytes);
        storage = m_storage.get();
    }
    switch (precision) {
    case Precision::Fp32:
        m_f32 = reinterpret_cast<float *>(storage);
        break;
    case Precision::Bf16:
        m_bf16 = reinterpret_cast<std::uint32_t *>(storage);
        break;
    case Precision::Q4:
        m_codes = reinterpret_cast<std::uint8_t *>(storage);
        m_blockScales =
            reinterpret_cast<std::uint16_t *>(m_codes + groups() * blocks() * groupBlockBytes());
        break;
    case Precision::Int8:
        m_codes = reinterpret_cast<std::uint8_t *>(storage);
        // Padding rows (to a whole group) have scale 0, so their products are zero.
        m_scales = std::make_unique<float[]>(groups() * kRowGroup);
        break;
    }
}

std::size_t Matrix::codeOffset(std::size_t row, std::size_t col, unsigned &shift) const
{
    const std::size_t block = (row / kRowGroup) * blocks() + col / kQuantBlock;
    const std::size_t slice = col % kQuantBlock / 4;
    const std::size_t lane = (row % kRowGroup) * 4 + col % 4;
    if (m_precision == Precision::Q4) {
        shift = slice >= 4 ? 4 : 0;
        return block * groupBlockBytes() + (slice % 4) * 64 + lane;
    }
    shift = 0;
    return block * groupBlockBytes() + slice * 64 + lane;
}

unsigned Matrix::code(std::size_t row, std::size_t col) const
{
    unsigned shift = 0;
    const std::size_t offset = codeOffset(row, col, shift);
    return m_precision == Precision::Q4 ? (m_codes[offset] >> shift) & 0x0Fu : m_codes[offset];
}

float Matrix::at(std::size_t row, std::size_t col) const
{
    switch (m_precision) {
    case Precision::Fp32:
        return groupColumns(row / kRowGroup)[col * kRowGroup + row % kRowGroup];
    case Precision::Bf16: {
        const std::uint32_t pair =
            groupPairs(row / kRowGroup)[col / 2 * kRowGroup + row % kRowGroup];
        return fromBf16(static_cast<std::uint16_t>(col % 2 == 0 ? pair : pair >> 16));
    }
    case Precision::Q4: {
        const std::uint16_t scale =
            groupScales(row / kRowGroup)[col / kQuantBlock * kRowGroup + row % kRowGroup];
        return fromHalf(scale) * (static_cast<float>(code(row, col)) - 8.0f);
    }
    case Precision::Int8:
        break;
    }
    return m_scales[row] * (static_cast<float>(code(row, col)) - 128.0f);
}

void Matrix::fillQuantisedGroup(std::size_t group, std::uint64_t seed, float amplitude)
{
    const bool q4 = m_precision == Precision::Q4;
    const std::size_t paddedCols = blocks() * kQuantBlock;
    std::uint8_t *codes = m_codes + group * blocks() * groupBlockBytes();
    std::uint16_t *scales = q4 ? m_blockScales + group * blocks() * kRowGroup : nullptr;
    std::vector<std::uint8_t> row(paddedCols);
    for (std::size_t r = 0; r < kRowGroup; ++r) {
        const std::size_t index = group * kRowGroup + r;
        const bool real = index < m_rows;
        SplitMix random(seed * 0x100000001b3ULL + index);
        if (!q4 && real)
            m_scales[index] = amplitude / 127.0f;
        for (std::size_t b = 0; q4 && b < blocks(); ++b)
            scales[b * kRowGroup + r] = toHalf(real ? amplitude / 8.0f : 0.0f);
        // Int8: four codes per draw, each from 16 bits scaled onto the 255 values 1 to 255;
        // q4: sixteen codes per draw, a nibble each. Padding holds the zero point.
        std::fill(row.begin(), row.end(), static_cast<std::uint8_t>(zeroPoint()));
        const std::size_t perDraw = q4 ? 16 : 4;
        for (std::size_t c = 0; real && c < m_cols; c += perDraw) {
            std::uint64_t bits = random.next();
            for (std::size_t col = c; col < std::min(m_cols, c + perDraw); ++col) {
                row[col] = q4 ? static_cast<std::uint8_t>(bits & 0x0Fu)
                              : static_cast<std::uint8_t>((((bits & 0xFFFFu) * 255u) >> 16) + 1u);
                bits >>= q4 ? 4 : 16;
            }
        }
        // Scatter the row's 4-column slices into the group's layout (see the class comment).
        for (std::size_t b = 0; b < blocks(); ++b) {
            std::uint8_t *block = codes + b * groupBlockBytes() + r * 4;
            const std::uint8_t *source = row.data() + b * kQuantBlock;
            for (std::size_t k = 0; k < (q4 ? 4 : 8); ++k) {
                for (std::size_t i = 0; i < 4; ++i) {
                    const unsigned low = source[4 * k + i];
                    const unsigned high = q4 ? source[4 * k + 16 + i] : 0u;
                    block[k * 64 + i] = static_cast<std::uint8_t>(low | (high << 4));
                }
            }
        }
    }
}

void Matrix::fillFloatGroup(std::size_t group, std::uint64_t seed, float amplitude)
{
    for (std::size_t r = 0; r < kRowGroup; ++r) {
        const std::size_t index = group * kRowGroup + r;
        SplitMix random(seed * 0x100000001b3ULL + index);
        // Two weights per draw, one pair of columns; padding rows and columns hold zero.
        for (std::size_t p = 0; p < pairs(); ++p) {
            float even = 0.0f;
            float odd = 0.0f;
            if (index < m_rows)
                random.nextSignedPair(even, odd);
            const bool hasOdd = 2 * p + 1 < m_cols;
            if (m_precision == Precision::Fp32) {
                float *column = m_f32 + (group * m_cols + 2 * p) * kRowGroup + r;
                column[0] = amplitude * even;
                if (hasOdd)
                    column[kRowGroup] = amplitude * odd;
                continue;
            }
            const std::uint32_t high = hasOdd ? toBf16(amplitude * odd) : 0u;
            m_bf16[(group * pairs() + p) * kRowGroup + r] = toBf16(amplitude * even) | high << 16;
        }
    }
}

bool Matrix::fillRandom(std::uint64_t seed, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    // Uniform in [-a, a) with a = 1/sqrt(cols), so outputs keep the inputs' scale. Int8 rows
    // hold uniform codes for [-127, 127] with scale a/127: the same distribution, quantised.
    const float amplitude = 1.0f / std::sqrt(static_cast<float>(std::max<std::size_t>(1, m_cols)));
    pool.parallelFor(groups(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t group = begin; group < end; ++group) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            if (quantised())
                fillQuantisedGroup(group, seed, amplitude);
            else
                fillFloatGroup(group, seed, amplitude);
        }
    });
    return !(cancel && cancel->load());
}

} // namespace cliff::bench
