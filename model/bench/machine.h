#pragma once

#include "kernels.h"
#include "matrix.h"

#include "core/result.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cliff::bench {

class ThreadPool;

/// What the benchmark ran on, for the saved report.
struct MachineInfo {
    std::string cpuModel;             ///< /proc/cpuinfo "model name"
    int logicalCores = 0;             ///< std::thread::hardware_concurrency
    double ramTotalBytes = 0.0;       ///< /proc/meminfo MemTotal
    double ramAvailableBytes = 0.0;   ///< /proc/meminfo MemAvailable at probe time
    double lastLevelCacheBytes = 0.0; ///< largest cache of cpu0 in sysfs
    SimdLevel simd = SimdLevel::Scalar;
    std::string buildType;            ///< CMake build type of this library
    std::string compiler;             ///< compiler name and version
};

/// Probes the CPU model, cores, RAM, last-level cache and SIMD level (Linux files; missing
/// files leave zeros and an empty model name).
[[nodiscard]] MachineInfo probeMachine();

/// Memory this process may still take, in bytes, and what sets that limit.
struct MemoryLimit {
    double bytes = 0.0;
    std::string source; ///< e.g. "MemAvailable", "the cgroup's memory limit", "RLIMIT_AS"
};

/// Where memoryLimit reads; a test points it at files of its own.
struct MemoryLimitFiles {
    std::string meminfo = "/proc/meminfo";
    std::string selfCgroup = "/proc/self/cgroup";
    std::string cgroupRoot = "/sys/fs/cgroup";
    std::string selfStatus = "/proc/self/status";
};

/// The smallest of MemAvailable, the memory cgroup's limit less its usage (cgroup v2, or v1's
/// memory controller; every ancestor's limit applies) and RLIMIT_AS less the address space
/// already mapped. A container's limit is invisible in /proc/meminfo, so reading MemAvailable
/// alone lets a run outgrow its container. Unreadable files impose no limit.
[[nodiscard]] MemoryLimit memoryLimit(const MemoryLimitFiles &files = {});

/// This process's resident memory (VmRSS in /proc/self/status), in bytes; 0 when unreadable.
[[nodiscard]] double residentMemoryBytes();

/// Logical CPUs this process may run on (its affinity mask; hardware threads when unknown).
[[nodiscard]] int usableCpuCount();

/// Largest cache size listed for cpu0 under /sys/devices/system/cpu/cpu0/cache, in bytes;
/// 32 MiB when unreadable.
[[nodiscard]] double lastLevelCacheBytes();

/// Result of a timed probe: the best and the mean over repetitions.
struct ProbeResult {
    double best = 0.0;
    double mean = 0.0;
};

/// The memory-bandwidth probes over three double arrays of `arrayBytes` each. The arrays are
/// allocated and first touched once, so the probes can run again and again during a run, each
/// time right next to the work they are the limit for.
class BandwidthProbe {
public:
    /// Allocates the arrays (on huge pages) and first touches them from the pool's threads, so
    /// each thread later streams memory it touched; Error if cancelled.
    [[nodiscard]] static Result<BandwidthProbe> create(std::size_t arrayBytes, ThreadPool &pool,
                                                       const std::atomic<bool> *cancel);

    /// Memory the three arrays hold, in bytes.
    [[nodiscard]] double bytes() const { return 3.0 * static_cast<double>(m_count) * 8.0; }

    /// STREAM triad a[i] = b[i] + s*c[i] on all pool threads; GB/s (1e9 bytes/s) counting 24
    /// bytes per element, best and mean of `passes` after one untimed pass. Error if cancelled.
    [[nodiscard]] Result<ProbeResult> triad(int passes, ThreadPool &pool,
                                            const std::atomic<bool> *cancel);

    /// Read-only bandwidth: sums b and c on all pool threads; GB/s counting 16 bytes per element
    /// (no writes, so no write-allocate traffic, unlike the triad), best and mean of `passes`
    /// after one untimed pass. Error if cancelled.
    [[nodiscard]] Result<ProbeResult> read(int passes, SimdLevel simd, ThreadPool &pool,
                                           const std::atomic<bool> *cancel);

private:
    BandwidthProbe(std::size_t count, LargeBuffer a, LargeBuffer b, LargeBuffer c)
        : m_count(count), m_a(std::move(a)), m_b(std::move(b)), m_c(std::move(c))
    {
    }

    std::size_t m_count = 0;
    LargeBuffer m_a;
    LargeBuffer m_b;
    LargeBuffer m_c;
};

/// The instruction peak: the arithmetic ceiling of the cores, independent of any kernel of
/// this library. On every pool thread, kPeakChains independent chains of the widest
/// multiply-add the run's SIMD level has run on register-resident operands, with no loads or
/// stores: VFMADD231PS for fp32; VDPBF16PS for bf16 where the CPU has it (elsewhere bf16 is
/// multiplied as fp32, so the fp32 peak); for int8 and q4, VPDPBUSD (AVX-512 VNNI) or VPMADDUBSW
/// (AVX2), the instructions the int8 and q4 kernels are built on. A multiply-add counts as 2
/// operations, as in the GEMM probe, so prefill GFLOP/s divided by this is the share of the
/// peak prefill reaches.
struct InstructionPeak {
    /// Multiply-adds one thread's chains do per round at `precision` and `simd`; 0 for Scalar,
    /// which has no SIMD peak to measure.
    [[nodiscard]] static double multiplyAddsPerRound(Precision precision, SimdLevel simd);

    /// One thread's chains for `rounds` rounds from zero, every multiply-add 1 x 1 added in:
    /// returns the sum over every accumulator lane, which is the number of multiply-adds done
    /// (exact while a lane stays below 2^24 in fp32 and 2^15 in int16).
    [[nodiscard]] static double runChains(Precision precision, SimdLevel simd, std::uint64_t rounds);

    /// GFLOP/s (Gop/s for int8) over all pool threads, best and mean of `passes` after one
    /// untimed pass; each pass runs `rounds` rounds per thread. Error if cancelled.
    [[nodiscard]] static Result<ProbeResult> measure(Precision precision, SimdLevel simd, int passes,
                                                     std::uint64_t rounds, ThreadPool &pool,
                                                     const std::atomic<bool> *cancel);
};

/// The GEMM peak probe: this library's GEMM with weights at the run's precision on a
/// compute-bound shape (rows x cols weights, `tokens` tokens). Its operands are allocated once,
/// so it can run next to every prefill repetition, as the bandwidth probe runs next to decode.
class GemmProbe {
public:
    /// Allocates and fills the operands; Error if cancelled.
    [[nodiscard]] static Result<GemmProbe> create(std::size_t rows, std::size_t cols,
                                                  std::size_t tokens, Precision precision,
                                                  ThreadPool &pool,
                                                  const std::atomic<bool> *cancel);

    /// Bytes a probe of this shape holds: weights, inputs and outputs.
    [[nodiscard]] static double bytes(std::size_t rows, std::size_t cols, std::size_t tokens,
                                      Precision precision);

    /// Billions of multiply-adds x 2 per second (GFLOP/s for fp32; int8 weights multiply
    /// int8-quantised activations), best and mean of `passes` after one untimed pass. Each pass
    /// times two GEMMs back to back. Error if cancelled.
    [[nodiscard]] Result<ProbeResult> run(int passes, SimdLevel simd, ThreadPool &pool,
                                          const std::atomic<bool> *cancel);

private:
    GemmProbe(Matrix weights, std::vector<float> inputs, std::size_t tokens)
        : m_weights(std::move(weights)), m_inputs(std::move(inputs)),
          m_outputs(tokens * m_weights.rows()), m_tokens(tokens)
    {
    }

    Matrix m_weights;
    std::vector<float> m_inputs;
    std::vector<float> m_outputs;
    std::size_t m_tokens = 0;
};

} // namespace cliff::bench
