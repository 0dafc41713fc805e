#pragma once

#include <cstdint>

namespace cliff::econ {

/// Output `n` (0-based) of the SplitMix64 generator started at `seed` (Steele, Lea and Flood,
/// 2014): mix(seed + (n + 1) x 0x9E3779B97F4A7C15). Any output can be read without the ones
/// before it, so draws can be split between threads in any way and still come out the same.
inline std::uint64_t splitMix64At(std::uint64_t seed, std::uint64_t n)
{
    std::uint64_t z = seed + (n + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// A uniform number strictly inside (0, 1) from the top 52 bits of `bits`: the middle of one
/// of 2^52 equal steps, so neither 0 nor 1 (which the inverse normal cannot take) ever comes out.
inline double unitInterval(std::uint64_t bits)
{
    return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
}

} // namespace cliff::econ
