#pragma once

#include "kernels.h"
#include "machine.h"
#include "model_shape.h"
#include "router.h"

#include "core/result.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cliff::bench {

/// Inputs of the cost per 1M tokens. The defaults are assumptions, not measurements: a small
/// desktop drawing 200 W under load, 0.15 USD/kWh, 2000 USD of hardware written off in 3 years.
struct CostAssumptions {
    double powerWatts = 200.0;
    double electricityUsdPerKwh = 0.15;
    double hardwareUsd = 2000.0;
    double amortisationYears = 3.0;
};

/// Everything a benchmark run needs. Memory limits are in bytes.
struct BenchConfig {
    ModelShape shape;
    Precision precision = Precision::Fp32;
    int threads = 0;                          ///< 0: every hardware thread
    std::size_t decodeTokens = 16;            ///< tokens generated per repetition (batch 1)
    /// Prompt length of the batched prefill. Spread over OLMoE's 64 experts at top-8, 128 tokens
    /// give each expert 16 on average: still a short prompt, yet each expert's GEMM reuses its
    /// weights enough not to be bound by streaming them.
    std::size_t prefillTokens = 128;
    int repetitions = 5;
    double weightBudgetBytes = 1.5 * (1ULL << 30); ///< soft cap on allocation to keep runs short
    /// The budget was asked for, not defaulted: a budget above the memory the run may use is
    /// then refused instead of shrunk, so a run never silently sizes itself to all of memory.
    bool budgetRequested = false;
    double memoryMarginBytes = 1.0 * (1ULL << 30); ///< left free for the rest of the system
    double minCacheMultiple = 8.0;            ///< allocated weights >= this x last-level cache
    std::optional<SimdLevel> simd;            ///< unset: the best the CPU supports
    bool compareDense = true;                 ///< also run the two dense comparison models
    std::size_t probeArrayBytes = 0;          ///< bandwidth-probe array size; 0: 4 x LLC
    /// The GEMM probe's shape. Of the shapes tried (up to DeepSeek-V3's attention projection,
    /// 16384 x 7168), this library's kernels ran about as fast at this one as at any, and 5-20%
    /// slower at smaller ones, so prefill is compared with the kernels at their best.
    std::size_t gemmProbeRows = 4096;
    std::size_t gemmProbeCols = 4096;
    std::size_t gemmProbeTokens = 128;
    int probeRepetitions = 5;                 ///< timed passes per probe
    CostAssumptions cost;
    std::uint64_t seed = 42;
    double availableBytesOverride = 0.0;      ///< > 0: use instead of memoryLimit()
    double cacheBytesOverride = 0.0;          ///< > 0: use instead of the sysfs cache size
};

/// How the real model was cut down to fit: per-token shapes and top-k are never changed.
struct ScalePlan {
    std::size_t layersAllocated = 0;   ///< MoE layers allocated and run (>= 2)
    std::size_t expertsAllocated = 0;  ///< routed experts per allocated layer (>= top-k)
    bool scaled = false;               ///< false only when the whole model was run
    double weightBytes = 0.0;          ///< bytes of weights allocated
    double workingBytes = 0.0;         ///< KV cache and buffers
    double usableBytes = 0.0;          ///< memoryLimit() minus the margin and the probes
    double cacheBytes = 0.0;           ///< last-level cache used for the size floor
    std::string description;           ///< one sentence saying what was scaled
};

/// The allocation for `config` given free memory and cache size (bytes): the whole model when
/// it fits the budget, otherwise 2+ layers with as many experts as fit. Every buffer of the run
/// counts: weights, KV cache for the whole context, prefill and decode buffers per thread,
/// inputs and the probes. Error (with the numbers, naming `limitSource` as what set
/// availableBytes) when even 2 layers with top-k experts and the output head exceed
/// availableBytes - margin, or when a requested budget exceeds it.
[[nodiscard]] Result<ScalePlan> planScaling(const BenchConfig &config, double availableBytes,
                                            double cacheBytes,
                                            const std::string &limitSource = "MemAvailable");

/// Repeated measurements: every sample, their mean and sample standard deviation.
struct Samples {
    std::vector<double> values;
    double mean = 0.0;
    double stddev = 0.0;
};

/// Mean and sample standard deviation of `values` (stddev 0 for fewer than two).
[[nodiscard]] Samples summarise(std::vector<double> values);

/// How far repeated measurements moved: (largest - smallest) / mean; 0 for fewer than two or
/// a mean that is not positive.
[[nodiscard]] double relativeRange(const Samples &samples);

/// A ceiling whose probes moved by more than this share of their mean between a run's
/// repetitions leaves the fraction divided by it uncertain, since the work and the probe may
/// have met different loads: a move this large shifts a fraction of 0.85 by more than 0.1.
inline constexpr double kSteadyCeilingRange = 0.15;

/// Whether a ceiling's probes held within kSteadyCeilingRange through the run.
[[nodiscard]] bool steadyCeiling(const Samples &probes);

/// Everything measured and derived in one run.
/// Where a decode token's time goes between the roofline and the measured speed, in seconds per
/// token over the timed decode steps (timestamps at each phase boundary of every step): the
/// token's bytes at the read-only bandwidth, each phase's time beyond its own bytes at that
/// bandwidth with its threads' waiting taken out, and the waiting. The parts add up to the
/// measured time; a phase whose data sat in cache can come in under its share (negative).
struct DecodeWaterfall {
    double roofline = 0.0;
    double attention = 0.0; ///< projections, attention and the KV cache
    double router = 0.0;
    double experts = 0.0;   ///< expert weights (a dense layer's FFN)
    double head = 0.0;      ///< output head
    double waiting = 0.0;   ///< threads waiting for each other at the ends of parallel steps

    [[nodiscard]] double measured() const
    {
        return roofline + attention + router + experts + head + waiting;
    }
};

struct BenchReport {
    std::string preset;
    AttentionKind attention = AttentionKind::MultiHead; ///< what the preset's layers ran
    Precision precision = Precision::Fp32;
    int threads = 1;
    SimdLevel simd = SimdLevel::Scalar;
    MachineInfo machine;
    ScalePlan scale;
    std::size_t decodeTokens = 0;
    std::size_t prefillTokens = 0;
    int repetitions = 0;

    Samples decodeTokensPerSecond;
    Samples prefillTokensPerSecond;
    double decodeBytesPerToken = 0.0;  ///< of the allocated layers + head, mean over the context
    double decodeFlopsPerToken = 0.0;
    double prefillFlopsPerToken = 0.0;
    double decodeGbPerSecond = 0.0;    ///< bytes per token x tokens/s / 1e9
    double decodeGflopsPerSecond = 0.0;
    double prefillGflopsPerSecond = 0.0;
    /// STREAM triad: the best of the passes run right before each timed decode repetition,
    /// averaged over the repetitions (the limit decode is compared with).
    double triadGbPerSecond = 0.0;
    double triadMeanGbPerSecond = 0.0; ///< mean over every timed triad pass
    Samples readGbPerSecond;           ///< read-only probe (best pass), measured as the triad is
    /// GEMM probe at the run's precision: the best of the passes run right before each timed
    /// prefill repetition, averaged over the repetitions.
    double gemmPeakGflopsPerSecond = 0.0;
    /// The cores' multiply-add instruction peak at the run's precision and SIMD level (see
    /// InstructionPeak), measured beside the GEMM probe, one sample per prefill repetition;
    /// 0 for a scalar run.
    Samples instructionPeakGflopsPerSecond;
    /// Decode GB/s over the read-only bandwidth: decode only reads its weights and cache, so a
    /// read-only stream is its physical ceiling.
    double decodeRooflineFraction = 0.0;
    double decodeTriadFraction = 0.0; ///< decode GB/s / triad GB/s, which counts writes decode does not do
    double prefillGemmFraction = 0.0;     ///< prefill GFLOP/s / GEMM peak, this library's ceiling
    double prefillPeakFraction = 0.0;     ///< prefill GFLOP/s / instruction peak, the cores
    /// Seconds of a timed prefill in its final norm and output head (the last token's), mean.
    double prefillHeadSeconds = 0.0;
    DecodeWaterfall decodeWaterfall;

    bool comparedDense = false;
    Samples denseSameTotalDecodeTokensPerSecond;
    double denseOverMoeTimeRatio = 0.0;      ///< dense decode time / MoE decode time, same total
    double denseOverMoeBytesRatio = 0.0;     ///< the same ratio predicted from bytes per token
    /// Timed in alternation with the MoE prefill: the same attention and head, with one dense
    /// FFN as large as the routed top-k and shared experts together.
    Samples denseEqualActivePrefillTokensPerSecond;
    double moeOverDensePrefillEqualActive = 0.0; ///< MoE prefill speed / dense, equal active

    double activeParams = 0.0;               ///< of the real model
    double totalParams = 0.0;
    double fullModelDecodeBytesPerToken = 0.0;
    double fullModelDecodeTokensPerSecond = 0.0;  ///< projected at the measured GB/s
    double fullModelPrefillTokensPerSecond = 0.0; ///< see projectedPrefillTokensPerSecond
    double fullModelRamFp32Bytes = 0.0;
    double fullModelRamInt8Bytes = 0.0;
    bool fullModelFits = false;              ///< at this precision, in MemAvailable - margin
    /// Simulated routing over the real expert count, without and with the balancing bias
    /// (kExpertLoadTokens tokens, bias learned over kExpertLoadSteps batches).
    ExpertLoad expertLoad;
    CostAssumptions cost;
    double decodeUsdPerMillionTokens = 0.0;  ///< full model, projected decode speed
    double prefillUsdPerMillionTokens = 0.0;
    double wallSeconds = 0.0;
};

/// Tokens per batch and batches of the expert-load simulation each run reports.
inline constexpr std::size_t kExpertLoadTokens = 1024;
inline constexpr int kExpertLoadSteps = 64;

/// Called with the fraction done (0..1) and the stage name.
using ProgressFunction = std::function<void(double fraction, const std::string &stage)>;

/// Runs the probes, the MoE model and the dense comparisons; Error on bad configuration, when
/// memory is short (with the numbers, before anything large is allocated), when the system
/// refuses an allocation anyway, or when `cancel` is set (checked every few MiB of work, and
/// nothing large is filled or copied before it is used).
[[nodiscard]] Result<BenchReport> runBenchmark(const BenchConfig &config,
                                               const ProgressFunction &progress,
                                               const std::atomic<bool> *cancel);

/// The whole model's prefill tokens/s from a run of fewer layers that read `tokens` at
/// `tokensPerSecond`, `headSeconds` of each prompt in the output head: the layers' time grows
/// by `layerFlopsRatio` (the whole model's layer FLOPs over the run's), and the head, one
/// token's product bound by memory, runs once either way.
[[nodiscard]] double projectedPrefillTokensPerSecond(double tokens, double tokensPerSecond,
                                                     double headSeconds, double layerFlopsRatio);

/// USD per 1M tokens at `tokensPerSecond` under `cost` (energy plus amortised hardware).
[[nodiscard]] double usdPerMillionTokens(double tokensPerSecond, const CostAssumptions &cost);

} // namespace cliff::bench
