// How long a cancel takes: starts benchmark runs and cancels each at a different moment,
// from setup to the timed repetitions, then prints the time from the request to the run's
// return (its memory freed) for every moment, with the median and the maximum. Prints figures;
// not part of the tests.
//
//   cliff-bench-cancel [--preset P] [--precision fp32|int8] [--moments N] [--horizon SECONDS]
//                      [--tokens N] [--budget-gib G] [--cold]
//
// --cold keeps, after each run, as much memory as the run had touched, so the next run cannot
// reuse it and must take pages the machine has not touched since it started (on a fresh
// virtual machine those are first written at a few hundred MB/s, ten times slower than memory
// used before). It stops being cold once the machine's untouched memory runs out.
#include "benchmark.h"
#include "large_array.h"
#include "machine.h"
#include "model_shape.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace cliff::bench;

double milliseconds(Clock::duration duration)
{
    return std::chrono::duration<double, std::milli>(duration).count();
}

struct Moment {
    double atSeconds = 0.0;
    std::string stage;
    double latencyMs = 0.0;
    bool finishedFirst = false;
};

int usage(const char *message)
{
    std::fprintf(stderr, "cliff-bench-cancel: %s\n", message);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    BenchConfig config;
    config.shape = *findPreset("olmoe-1b-7b");
    config.precision = Precision::Int8;
    config.decodeTokens = 64;
    int moments = 20;
    double horizonSeconds = 8.0;
    bool cold = false;
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        if (option == "--cold") {
            cold = true;
            continue;
        }
        if (i + 1 >= argc)
            return usage(("missing value after " + option).c_str());
        const std::string value = argv[++i];
        if (option == "--preset") {
            const ModelShape *shape = findPreset(value);
            if (!shape)
                return usage(("unknown preset " + value).c_str());
            config.shape = *shape;
        } else if (option == "--precision") {
            const std::optional<Precision> precision = precisionNamed(value);
            if (!precision)
                return usage("--precision takes fp32, bf16, int8 or q4");
            config.precision = *precision;
        } else if (option == "--moments") {
            moments = std::atoi(value.c_str());
        } else if (option == "--horizon") {
            horizonSeconds = std::atof(value.c_str());
        } else if (option == "--tokens") {
            config.decodeTokens = static_cast<std::size_t>(std::atol(value.c_str()));
        } else if (option == "--budget-gib") {
            config.weightBudgetBytes = std::atof(value.c_str()) * (1ULL << 30);
            config.budgetRequested = true;
        } else {
            return usage(("unknown option " + option).c_str());
        }
    }
    if (moments < 1 || horizonSeconds <= 0.0)
        return usage("--moments and --horizon must be positive");

    std::printf("%s %s, %zu decode tokens, %d moments over %.1f s, %s memory\n",
                config.shape.name.c_str(), precisionName(config.precision), config.decodeTokens,
                moments, horizonSeconds, cold ? "cold" : "warm");
    std::printf("%10s  %11s  %s\n", "at (s)", "cancel (ms)", "stage");
    std::vector<Moment> results;
    std::vector<LargeArray<std::byte>> held;
    for (int m = 0; m < moments; ++m) {
        Moment moment;
        moment.atSeconds = horizonSeconds * m / moments;
        std::atomic<bool> cancel{false};
        std::mutex stageMutex;
        std::string stage = "starting";
        Clock::time_point returned;
        bool ok = false;
        const double baseline = residentMemoryBytes();
        std::thread worker([&] {
            auto report = runBenchmark(
                config,
                [&](double, const std::string &name) {
                    std::lock_guard lock(stageMutex);
                    stage = name;
                },
                &cancel);
            returned = Clock::now();
            ok = report.ok();
            if (!ok && report.error().message != "benchmark cancelled")
                std::fprintf(stderr, "run failed: %s\n", report.error().message.c_str());
        });
        std::this_thread::sleep_for(std::chrono::duration<double>(moment.atSeconds));
        const double touched = residentMemoryBytes() - baseline;
        const auto requested = Clock::now();
        cancel = true;
        {
            std::lock_guard lock(stageMutex);
            moment.stage = stage;
        }
        worker.join();
        moment.finishedFirst = ok;
        moment.latencyMs = milliseconds(returned - requested);
        if (cold && touched > 0.0) {
            // Hold the pages the run gave back, written so they stay with this process.
            LargeArray<std::byte> ballast(static_cast<std::size_t>(touched));
            for (std::size_t i = 0; i < ballast.size(); i += 4096)
                ballast[i] = std::byte{1};
            held.push_back(std::move(ballast));
        }
        if (moment.finishedFirst)
            std::printf("%10.2f  %11s  %s\n", moment.atSeconds, "finished", moment.stage.c_str());
        else
            std::printf("%10.2f  %11.1f  %s\n", moment.atSeconds, moment.latencyMs,
                        moment.stage.c_str());
        std::fflush(stdout);
        results.push_back(moment);
    }
    std::vector<double> latencies;
    for (const Moment &moment : results) {
        if (!moment.finishedFirst)
            latencies.push_back(moment.latencyMs);
    }
    if (latencies.empty()) {
        std::printf("every run finished before its moment; lower --horizon\n");
        return 0;
    }
    std::sort(latencies.begin(), latencies.end());
    const std::size_t n = latencies.size();
    const double median = n % 2 ? latencies[n / 2] : 0.5 * (latencies[n / 2 - 1] + latencies[n / 2]);
    std::printf("cancel latency over %zu moments: median %.1f ms, max %.1f ms\n", n, median,
                latencies.back());
    return 0;
}
