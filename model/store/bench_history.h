#pragma once

#include "core/result.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cliff::store {

class Connection;

/// The machine a benchmark run was measured on.
struct BenchMachine {
    std::string cpuModel;
    int logicalCores = 0;
    int threadsUsed = 0;
    double ramTotalBytes = 0.0;
    std::string simd;      ///< instruction set the kernels used, e.g. "avx2+fma"
    std::string buildType; ///< CMake build type of the benchmark library
    std::string compiler;
};

/// One timed repetition of one measurement of a run.
struct BenchSample {
    std::string measure; ///< one of kBenchMeasures
    int repetition = 0;  ///< 0-based, in the order they were run
    double value = 0.0;  ///< tokens per second
};

/// The measurements a run's samples may name.
inline constexpr const char *kBenchMeasures[] = {
    "decode_tokens_per_s", "prefill_tokens_per_s", "dense_same_total_decode_tokens_per_s",
    "dense_equal_active_prefill_tokens_per_s"};

/// One benchmark run as saved: headline figures, the cost assumptions behind its cost per token,
/// the machine, every sample, and the whole report as the command line prints it (JSON).
struct BenchRun {
    std::int64_t id = 0;      ///< assigned by save()
    std::string runAtUtc;     ///< ISO 8601 UTC; save() fills it when empty
    std::string preset;
    std::string precision;    ///< "fp32", "bf16", "int8", "q4"
    BenchMachine machine;
    double decodeTokensPerSecond = 0.0;  ///< mean over repetitions
    double decodeTokensPerSecondStddev = 0.0;
    double prefillTokensPerSecond = 0.0;
    double prefillTokensPerSecondStddev = 0.0;
    /// Decode GB/s over the read-only bandwidth of the same run; unset for a run saved before the
    /// benchmark had a read-only probe.
    std::optional<double> decodeRooflineFraction;
    double decodeTriadFraction = 0.0;    ///< decode GB/s over the triad bandwidth
    double prefillGemmFraction = 0.0;    ///< prefill over this library's GEMM probe
    /// Prefill over the cores' instruction peak; unset for runs saved before that probe.
    std::optional<double> prefillPeakFraction;
    std::optional<double> bandwidthReadGbPerSecond; ///< measured in the same run, as the others
    double bandwidthTriadGbPerSecond = 0.0;
    double gemmPeakGflopsPerSecond = 0.0;
    std::optional<double> instructionPeakGflopsPerSecond;
    std::optional<double> denseOverMoeTimeRatio; ///< unset when the dense models were not run
    double decodeUsdPerMillionTokens = 0.0;      ///< full model, projected from this machine
    double prefillUsdPerMillionTokens = 0.0;
    double powerWatts = 0.0;
    double electricityUsdPerKwh = 0.0;
    double hardwareUsd = 0.0;
    double amortisationYears = 0.0;
    std::string scaled;       ///< what was scaled to fit, as the report says it
    std::string reportJson;
    std::vector<BenchSample> samples;
};

/// The latest run's cost per 1M tokens, for a cost-curve series beside API prices.
struct BenchCost {
    double decodeUsdPerMillionTokens = 0.0;  ///< generated (output) tokens
    double prefillUsdPerMillionTokens = 0.0; ///< prompt (input) tokens
    std::string preset;
    std::string precision;
    std::string runAtUtc;
    std::string cpuModel;
    int threadsUsed = 0;
};

/// Benchmark runs kept in the user database (tables bench_runs and bench_samples). Opening for
/// saving goes through UserStore::open, so the same checks, creation and migration apply;
/// opening for reading goes through openUserDatabaseForReading and never changes the file. Use
/// on the thread that opened it.
class BenchHistory {
public:
    ~BenchHistory();
    BenchHistory(BenchHistory &&) noexcept;
    BenchHistory &operator=(BenchHistory &&) noexcept;

    /// Opens (creating or migrating it if needed) the user database at `path`, to save runs.
    static Result<BenchHistory> open(const QString &path);

    /// Opens the existing user database at `path` read-only, to list runs; save() is refused.
    static Result<BenchHistory> openForReading(const QString &path);

    /// Saves `run` and its samples in one transaction; returns the run's id. Refuses a sample
    /// whose measure is not one of kBenchMeasures, saving nothing.
    Result<std::int64_t> save(const BenchRun &run);

    /// Every saved run with its samples, newest first (ties: higher id first).
    Result<std::vector<BenchRun>> runs();

    /// The newest run's cost per 1M tokens; nothing when no run is saved.
    Result<std::optional<BenchCost>> latestCost();

    [[nodiscard]] const QString &path() const { return m_path; }

private:
    BenchHistory(QString path, std::unique_ptr<Connection> connection, int schemaVersion,
                 bool readOnly);

    QString m_path;
    std::unique_ptr<Connection> m_connection;
    int m_schemaVersion = 0; ///< of the file; a read leaves an older file as it is
    bool m_readOnly = false;
};

} // namespace cliff::store
