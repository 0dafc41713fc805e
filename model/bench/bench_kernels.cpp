// Google Benchmark timings of the benchmark's own kernels; prints figures, not part of the tests.
#include "kernels.h"
#include "large_array.h"
#include "matrix.h"
#include "thread_pool.h"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

using cliff::bench::Matrix;
using cliff::bench::Precision;
using cliff::bench::SimdLevel;
using cliff::bench::ThreadPool;

// Argument 0 indexes kPrecisions: 0 fp32, 1 bf16, 2 int8, 3 q4.
Precision precisionOf(const benchmark::State &state)
{
    return cliff::bench::kPrecisions[state.range(0)];
}

SimdLevel simdOf(const benchmark::State &state)
{
    return state.range(1) == 0 ? SimdLevel::Scalar : cliff::bench::detectSimd();
}

// One expert-sized matrix-vector product per iteration (2048 x 7168, DeepSeek-V3's hidden size),
// reported in bytes of weights read.
void matVecBenchmark(benchmark::State &state)
{
    ThreadPool pool(static_cast<int>(state.range(2)));
    Matrix w(2048, 7168, precisionOf(state));
    w.fillRandom(1, pool);
    std::vector<float> x(w.cols(), 0.5f);
    std::vector<float> y(w.rows());
    for (auto _ : state) {
        cliff::bench::matVec(w, x.data(), y.data(), simdOf(state), pool);
        benchmark::DoNotOptimize(y.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(w.bytes()) * state.iterations());
}

// Decode as a MoE layer sees it: one matrix-vector product per iteration through one of 64
// OLMoE-expert-sized matrices (1024 x 2048; 128 MiB in int8, 512 MiB in fp32), so the weights
// come from DRAM and not from the last-level cache; they share an arena, as a model's do.
// Reported in bytes of weights read.
void matVecFromDramBenchmark(benchmark::State &state)
{
    ThreadPool pool(static_cast<int>(state.range(2)));
    cliff::bench::LargeArena arena;
    std::vector<Matrix> matrices;
    for (int m = 0; m < 64; ++m) {
        matrices.emplace_back(1024, 2048, precisionOf(state), &arena);
        matrices.back().fillRandom(static_cast<std::uint64_t>(m + 2), pool);
    }
    std::vector<float> x(matrices.front().cols(), 0.5f);
    std::vector<float> y(matrices.front().rows());
    std::size_t next = 0;
    for (auto _ : state) {
        cliff::bench::matVec(matrices[next], x.data(), y.data(), simdOf(state), pool);
        next = (next + 1) % matrices.size();
        benchmark::DoNotOptimize(y.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(matrices.front().bytes()) *
                            state.iterations());
}

// A prefill GEMM through a 1024 x 2048 matrix, reported in flops: the default 128-token prompt
// as in attention, or the 16 tokens an OLMoE expert gets from it on average. The expert case
// streams its weights from DRAM (64 matrices in one arena, 512 MiB in fp32) as a MoE layer
// does.
void gemmBenchmark(benchmark::State &state)
{
    ThreadPool pool(static_cast<int>(state.range(2)));
    const auto tokens = static_cast<std::size_t>(state.range(3));
    cliff::bench::LargeArena arena;
    std::vector<Matrix> matrices;
    for (int m = 0; m < (tokens < 32 ? 64 : 1); ++m) {
        matrices.emplace_back(1024, 2048, precisionOf(state), &arena);
        matrices.back().fillRandom(static_cast<std::uint64_t>(m + 2), pool);
    }
    const Matrix &w = matrices.front();
    std::vector<float> x(tokens * w.cols(), 0.5f);
    std::vector<float> y(tokens * w.rows());
    std::size_t next = 0;
    for (auto _ : state) {
        cliff::bench::gemm(matrices[next], x.data(), w.cols(), tokens, y.data(), w.rows(),
                           simdOf(state), pool);
        next = (next + 1) % matrices.size();
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(
        2.0 * static_cast<double>(tokens * w.rows() * w.cols()) *
            static_cast<double>(state.iterations()),
        benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}

// The int8 or q4 product of one expert matrix with tokens already quantised, the weights
// resident in cache: what the kernel does per call, apart from DRAM. Shapes: OLMoE's and
// Qwen3-30B-A3B's expert matrices (up or gate, then down), reported in flops.
void quantisedGemmHotBenchmark(benchmark::State &state)
{
    const auto rows = static_cast<std::size_t>(state.range(1));
    const auto cols = static_cast<std::size_t>(state.range(2));
    const auto tokens = static_cast<std::size_t>(state.range(3));
    ThreadPool pool(1);
    Matrix w(rows, cols, precisionOf(state));
    w.fillRandom(3, pool);
    cliff::bench::SplitMix random(5);
    std::vector<float> x(tokens * cols);
    for (float &value : x)
        value = random.nextSigned();
    std::vector<cliff::bench::Activations> prepared(tokens);
    std::vector<const cliff::bench::Activations *> pointers(tokens);
    for (std::size_t t = 0; t < tokens; ++t) {
        prepared[t].set(x.data() + t * cols, cols, w.precision());
        pointers[t] = &prepared[t];
    }
    std::vector<float> y(tokens * rows);
    const cliff::bench::Product products[] = {{&w, y.data(), rows}};
    for (auto _ : state) {
        cliff::bench::gemmOnThisThread(products, pointers, cliff::bench::detectSimd());
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(
        2.0 * static_cast<double>(tokens * rows * cols) * static_cast<double>(state.iterations()),
        benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}

// One head's causal attention for a 128-token prompt (head of 128 values, OLMoE's), reported
// in multiply-adds of the scores and the values' sum: a query at a time (AVX2) or 16 side by
// side (AVX-512).
void attentionPrefillBenchmark(benchmark::State &state)
{
    constexpr std::size_t kTokens = 128;
    constexpr std::size_t kHeadDim = 128;
    const SimdLevel simd = state.range(0) == 0 ? SimdLevel::Avx2 : SimdLevel::Avx512Vnni;
    if (!cliff::bench::simdSupported(simd)) {
        state.SkipWithError("this CPU cannot run these kernels");
        return;
    }
    cliff::bench::SplitMix random(7);
    std::vector<float> q(kTokens * kHeadDim);
    std::vector<float> keys(kTokens * kHeadDim);
    std::vector<float> values(kTokens * kHeadDim);
    for (std::vector<float> *buffer : {&q, &keys, &values}) {
        for (float &value : *buffer)
            value = random.nextSigned();
    }
    std::vector<float> out(kTokens * kHeadDim);
    for (auto _ : state) {
        cliff::bench::attendQueries(q.data(), kHeadDim, kTokens, 0, keys.data(), values.data(),
                                    cliff::bench::plainHead(kHeadDim, kHeadDim), out.data(),
                                    kHeadDim, simd);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["GMAC/s"] = benchmark::Counter(
        2.0 * kHeadDim * (kTokens * (kTokens + 1) / 2) * static_cast<double>(state.iterations()),
        benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}

// A decode step's attention over one layer's cache, cold from DRAM: 16 heads of 128 values,
// one query each, over 144 cached positions, cycling through 64 layers' caches (145 MiB) as a
// model's weights in between would evict them. Argument: the cache's layout, 0 with each
// position's heads side by side (a head's 512 bytes every 8 KiB), 1 with each head's positions
// side by side. Reported in bytes of keys and values read.
void attentionDecodeFromDramBenchmark(benchmark::State &state)
{
    constexpr std::size_t kHeads = 16, kHeadDim = 128, kContext = 144, kLayers = 64;
    constexpr std::size_t kCacheFloats = kHeads * kContext * kHeadDim;
    const bool headsApart = state.range(0) == 1;
    std::vector<cliff::bench::LargeArray<float>> keys, values;
    cliff::bench::SplitMix random(11);
    for (std::size_t l = 0; l < kLayers; ++l) {
        for (auto *cache : {&keys, &values}) {
            cache->emplace_back(kCacheFloats);
            for (float &value : std::span(cache->back().data(), kCacheFloats))
                value = random.nextSigned();
        }
    }
    std::vector<float> q(kHeads * kHeadDim, 0.1f), out(kHeads * kHeadDim), scores(kContext);
    // Where head h's first position is, and the distance between its positions.
    const std::size_t headStride = headsApart ? kContext * kHeadDim : kHeadDim;
    const std::size_t ld = headsApart ? kHeadDim : kHeads * kHeadDim;
    std::size_t next = 0;
    for (auto _ : state) {
        for (std::size_t h = 0; h < kHeads; ++h) {
            cliff::bench::attendQuery(q.data() + h * kHeadDim, keys[next].data() + h * headStride,
                                      values[next].data() + h * headStride, kContext,
                                      cliff::bench::plainHead(kHeadDim, ld), scores.data(),
                                      out.data() + h * kHeadDim, cliff::bench::detectSimd());
        }
        next = (next + 1) % kLayers;
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(2 * kCacheFloats * sizeof(float)) *
                            state.iterations());
}

} // namespace

// Arguments: precision (0 fp32, 1 bf16, 2 int8, 3 q4), SIMD (0 scalar, 1 best available),
// threads, and for the GEMM tokens; for the cache-resident product precision, rows, columns
// and tokens.
BENCHMARK(matVecBenchmark)
    ->ArgsProduct({{0, 1, 2, 3}, {0, 1}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(matVecFromDramBenchmark)
    ->ArgsProduct({{0, 1, 2, 3}, {1}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(gemmBenchmark)
    ->ArgsProduct({{0, 1, 2, 3}, {0, 1}, {1, 2}, {16, 128}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(attentionPrefillBenchmark)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(attentionDecodeFromDramBenchmark)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(quantisedGemmHotBenchmark)
    ->ArgsProduct({{2, 3}, {1024}, {2048}, {16, 128}})
    ->Args({2, 2048, 1024, 16})
    ->Args({3, 2048, 1024, 16})
    ->Args({2, 768, 2048, 16})
    ->Args({3, 768, 2048, 16})
    ->Args({2, 2048, 768, 16})
    ->Args({3, 2048, 768, 16})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
