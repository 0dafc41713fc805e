#include "benchmark.h"

#include "moe_model.h"
#include "thread_pool.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <new>
#include <numeric>
#include <thread>

namespace cliff::bench {

namespace {

using Clock = std::chrono::steady_clock;

/// Rounds of the instruction-peak chains per thread and pass: about 10 ms on a 4 GHz core,
/// long enough to hide the pool's wake-up, short beside a prefill repetition.
constexpr std::uint64_t kInstructionPeakRounds = std::uint64_t{1} << 22;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double dbl(std::size_t value) { return static_cast<double>(value); }

std::string gib(double bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
    return text;
}

// Threads a run of `config` uses.
int runThreads(const BenchConfig &config)
{
    return config.threads > 0 ? config.threads : usableCpuCount();
}

ModelPlan moePlan(const BenchConfig &config, std::size_t layers, std::size_t experts)
{
    ModelPlan plan;
    plan.shape = config.shape;
    plan.precision = config.precision;
    plan.layers = layers;
    plan.expertsAllocated = experts;
    plan.maxContext = config.prefillTokens + config.decodeTokens + 4;
    plan.maxBatch = config.prefillTokens;
    plan.threads = static_cast<std::size_t>(runThreads(config));
    return plan;
}

// The MoE plan as the run allocates it: with the dense comparison, every layer also holds the
// dense FFN of equal active size (the routed top-k plus the shared experts).
ModelPlan runPlan(const BenchConfig &config, std::size_t layers, std::size_t experts)
{
    ModelPlan plan = moePlan(config, layers, experts);
    if (config.compareDense) {
        const ModelShape &s = config.shape;
        plan.equalActiveDenseFfn = (s.topK + s.sharedExperts) * s.expertFfn;
    }
    return plan;
}

// What measure() holds beside the model: the prompt and the cycle of decode inputs.
double inputBytes(const BenchConfig &config)
{
    return 4.0 * dbl(config.shape.hidden) *
           dbl(config.prefillTokens + std::min<std::size_t>(config.decodeTokens, 64));
}

double planBytes(const BenchConfig &config, const ModelPlan &plan)
{
    return planWeightBytes(plan) + planWorkingBytes(plan) + inputBytes(config);
}

Status validate(const BenchConfig &config)
{
    const ModelShape &s = config.shape;
    auto bad = [](const std::string &message, const std::string &field) {
        return Status(Error{message, {}, 0, field});
    };
    if (s.hidden == 0 || s.heads == 0 || s.kvHeads == 0 || s.headDim == 0 || s.vocab == 0 ||
        s.expertFfn == 0 || s.layers == 0)
        return bad("model shape has a zero dimension", "preset");
    if (s.heads % s.kvHeads != 0)
        return bad("heads must be a multiple of KV heads", "preset");
    if (s.attention() == AttentionKind::Latent && (s.ropeHeadDim == 0 || s.valueHeadDim == 0))
        return bad("latent attention needs a RoPE key and a value head size", "preset");
    if (s.topK == 0 || s.routedExperts < s.topK)
        return bad("top-k must be between 1 and the number of routed experts", "preset");
    if (s.denseLayers >= s.layers)
        return bad("the model has no MoE layer", "preset");
    const int cpus = usableCpuCount();
    if (config.threads < 0 || config.threads > cpus)
        return bad("thread count must be between 1 and " + std::to_string(cpus) +
                       ", the logical CPUs this process may run on",
                   "threads");
    if (config.decodeTokens == 0 || config.decodeTokens > 65536)
        return bad("token count must be between 1 and 65536", "tokens");
    if (config.prefillTokens == 0 || config.prefillTokens > 65536)
        return bad("prompt token count must be between 1 and 65536", "prompt-tokens");
    if (config.repetitions < 1 || config.repetitions > 1000)
        return bad("repetitions must be between 1 and 1000", "repetitions");
    return Ok{};
}

// `count` random values in [-1, 1) from `seed`; Error if cancelled. A long prompt of a wide
// model holds gigabytes, so the fill looks at the cancel flag every 256 Ki values.
Result<LargeArray<float>> randomVectors(std::size_t count, std::uint64_t seed,
                                        const std::atomic<bool> *cancel)
{
    constexpr std::size_t kBlock = std::size_t{1} << 18;
    LargeArray<float> values(count);
    SplitMix random(seed);
    for (std::size_t begin = 0; begin < count; begin += kBlock) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return Error{"benchmark cancelled", {}, 0, {}};
        for (std::size_t i = begin; i < std::min(count, begin + kBlock); ++i)
            values[i] = random.nextSigned();
    }
    return values;
}

// The waterfall of the timed decode steps from their phases and the bytes each phase reads per
// token (mean over the steps' contexts), at the read-only bandwidth `readGbPerSecond`.
DecodeWaterfall decodeWaterfall(const DecodePhases &phases, const DecodeLayerParts &bytes,
                                double headBytes, double readGbPerSecond)
{
    DecodeWaterfall waterfall;
    if (phases.steps == 0 || readGbPerSecond <= 0.0)
        return waterfall;
    const double steps = dbl(phases.steps);
    const double bytesPerSecond = readGbPerSecond * 1e9;
    // Each phase: its time beyond its bytes at the bandwidth, its waiting taken out.
    auto beyond = [&](const PhaseSeconds &phase, double phaseBytes) {
        waterfall.waiting += phase.waiting / steps;
        return (phase.total - phase.waiting) / steps - phaseBytes / bytesPerSecond;
    };
    waterfall.attention = beyond(phases.attention, bytes.attention.bytes);
    waterfall.router = beyond(phases.router, bytes.router.bytes);
    waterfall.experts = beyond(phases.experts, bytes.ffn.bytes);
    waterfall.head = beyond(phases.head, headBytes);
    waterfall.roofline = (bytes.total().bytes + headBytes) / bytesPerSecond;
    return waterfall;
}

struct Timings {
    DecodePhases decodePhases;       ///< summed over the timed decode steps
    Samples decode;                  ///< tokens/s
    Samples prefill;                 ///< tokens/s
    double prefillHeadSeconds = 0.0; ///< a timed prefill's output head, mean
    Samples equalActiveDensePrefill; ///< tokens/s
};

struct Runs {
    bool decode = false;
    bool prefill = false;
    bool equalActiveDensePrefill = false; ///< the plan's dense FFN of equal active size
};

// Untimed probes of the machine's limits, each run right before the timed repetitions of the
// work it is the limit for; an error ends the measurement.
struct Probes {
    std::function<Status()> beforeDecode;
    std::function<Status()> beforePrefill;
};

// Warms up, then times `config.repetitions` of each of `runs`. The two prefills swap order every
// repetition, so their ratio compares the same moments of the machine in either order.
Result<Timings> measure(MoeModel &model, const BenchConfig &config, Runs runs, SimdLevel simd,
                        ThreadPool &pool, const std::atomic<bool> *cancel,
                        const std::function<void(double)> &step, const Probes &probes = {})
{
    const std::size_t hidden = config.shape.hidden;
    auto prompt = randomVectors(config.prefillTokens * hidden, config.seed + 101, cancel);
    if (!prompt)
        return prompt.error();
    // A cycle of distinct inputs stands in for sampled tokens; their values do not change the work.
    const std::size_t distinct = std::min<std::size_t>(config.decodeTokens, 64);
    auto generated = randomVectors(distinct * hidden, config.seed + 202, cancel);
    if (!generated)
        return generated.error();
    auto embedding = [&](std::size_t t) { return generated->data() + (t % distinct) * hidden; };
    std::vector<float> logits;
    // Tokens per second of one prefill from an empty cache.
    auto timePrefill = [&](FfnPath path) -> Result<double> {
        model.setCacheLength(0);
        const auto start = Clock::now();
        if (Status status = model.prefill(prompt->data(), config.prefillTokens, logits, simd, pool,
                                          cancel, path);
            !status)
            return status.error();
        return dbl(config.prefillTokens) / secondsSince(start);
    };
    if (runs.equalActiveDensePrefill) {
        if (auto warm = timePrefill(FfnPath::EqualActiveDense); !warm)
            return warm.error();
    }
    if (auto warm = timePrefill(FfnPath::Planned); !warm)
        return warm.error();
    for (std::size_t t = 0; t < std::min<std::size_t>(2, config.decodeTokens); ++t) {
        if (Status status = model.decode(embedding(t), logits, simd, pool, cancel); !status)
            return status.error();
    }
    std::vector<double> decodeRates, prefillRates, denseRates, prefillHeadSeconds;
    DecodePhases phases;
    (void)model.takeDecodePhases(); // the warm-up steps are not timed
    const int reps = config.repetitions;
    for (int rep = 0; rep < reps; ++rep) {
        if ((runs.prefill || runs.equalActiveDensePrefill) && probes.beforePrefill) {
            if (Status status = probes.beforePrefill(); !status)
                return status.error();
        }
        for (const FfnPath path : rep % 2 == 0
                                      ? std::array{FfnPath::Planned, FfnPath::EqualActiveDense}
                                      : std::array{FfnPath::EqualActiveDense, FfnPath::Planned}) {
            const bool planned = path == FfnPath::Planned;
            if (!(planned ? runs.prefill : runs.equalActiveDensePrefill))
                continue;
            auto rate = timePrefill(path);
            if (!rate)
                return rate.error();
            (planned ? prefillRates : denseRates).push_back(*rate);
            if (planned)
                prefillHeadSeconds.push_back(model.lastPrefillHeadSeconds());
        }
        if (runs.decode) {
            if (probes.beforeDecode) {
                if (Status status = probes.beforeDecode(); !status)
                    return status.error();
            }
            model.setCacheLength(config.prefillTokens);
            const auto start = Clock::now();
            for (std::size_t t = 0; t < config.decodeTokens; ++t) {
                if (Status status = model.decode(embedding(t), logits, simd, pool, cancel);
                    !status)
                    return status.error();
            }
            decodeRates.push_back(dbl(config.decodeTokens) / secondsSince(start));
            phases += model.takeDecodePhases();
        }
        step(dbl(rep + 1) / dbl(reps));
    }
    Timings timings;
    timings.decodePhases = phases;
    timings.decode = summarise(std::move(decodeRates));
    timings.prefill = summarise(std::move(prefillRates));
    timings.prefillHeadSeconds = summarise(std::move(prefillHeadSeconds)).mean;
    timings.equalActiveDensePrefill = summarise(std::move(denseRates));
    return timings;
}

// Bytes of each bandwidth-probe array: four times the last-level cache, so the probes stream
// from DRAM, and at least 64 MiB.
std::size_t probeArrayBytes(const BenchConfig &config, double cacheBytes)
{
    return config.probeArrayBytes > 0
               ? config.probeArrayBytes
               : std::max<std::size_t>(64u << 20, static_cast<std::size_t>(4.0 * cacheBytes));
}

} // namespace

Samples summarise(std::vector<double> values)
{
    Samples samples;
    samples.values = std::move(values);
    const auto n = dbl(samples.values.size());
    if (samples.values.empty())
        return samples;
    samples.mean = std::accumulate(samples.values.begin(), samples.values.end(), 0.0) / n;
    if (samples.values.size() > 1) {
        double squares = 0.0;
        for (double value : samples.values)
            squares += (value - samples.mean) * (value - samples.mean);
        samples.stddev = std::sqrt(squares / (n - 1.0));
    }
    return samples;
}

double relativeRange(const Samples &samples)
{
    if (samples.values.size() < 2 || samples.mean <= 0.0)
        return 0.0;
    const auto [smallest, largest] =
        std::minmax_element(samples.values.begin(), samples.values.end());
    return (*largest - *smallest) / samples.mean;
}

bool steadyCeiling(const Samples &probes) { return relativeRange(probes) <= kSteadyCeilingRange; }

double usdPerMillionTokens(double tokensPerSecond, const CostAssumptions &cost)
{
    if (tokensPerSecond <= 0.0)
        return 0.0;
    const double seconds = 1e6 / tokensPerSecond;
    const double energyUsd = cost.powerWatts * seconds / 3.6e6 * cost.electricityUsdPerKwh;
    const double lifeSeconds = cost.amortisationYears * 365.25 * 86400.0;
    const double hardwareUsd = lifeSeconds > 0.0 ? cost.hardwareUsd * seconds / lifeSeconds : 0.0;
    return energyUsd + hardwareUsd;
}

double projectedPrefillTokensPerSecond(double tokens, double tokensPerSecond, double headSeconds,
                                       double layerFlopsRatio)
{
    if (tokensPerSecond <= 0.0)
        return 0.0;
    const double layerSeconds = std::max(0.0, tokens / tokensPerSecond - headSeconds);
    return tokens / (layerSeconds * layerFlopsRatio + headSeconds);
}

Result<ScalePlan> planScaling(const BenchConfig &config, double availableBytes, double cacheBytes,
                              const std::string &limitSource)
{
    const ModelShape &s = config.shape;
    ScalePlan result;
    // The probes' operands stay allocated beside the model (see runBenchmark).
    const double probeBytes =
        3.0 * static_cast<double>(probeArrayBytes(config, cacheBytes)) +
        GemmProbe::bytes(config.gemmProbeRows, config.gemmProbeCols, config.gemmProbeTokens,
                         config.precision);
    result.usableBytes = availableBytes - config.memoryMarginBytes - probeBytes;
    result.cacheBytes = cacheBytes;
    const std::size_t realMoeLayers = s.moeLayers();
    if (config.budgetRequested && config.weightBudgetBytes > result.usableBytes) {
        return Error{"a run budget of " + gib(config.weightBudgetBytes) + " is more than the " +
                         gib(std::max(0.0, result.usableBytes)) + " this run may use (" +
                         gib(availableBytes) + " free, by " + limitSource +
                         ", minus a " + gib(config.memoryMarginBytes) + " margin and " +
                         gib(probeBytes) + " for the bandwidth and GEMM probes)",
                     {}, 0, "budget-gib"};
    }
    const double minimum = planBytes(config, runPlan(config, 2, s.topK));
    if (minimum > result.usableBytes) {
        return Error{s.name + " at " + precisionName(config.precision) + " needs at least " +
                         gib(minimum) + " (2 layers, " + std::to_string(s.topK) +
                         " experts each, output head, KV cache" +
                         (config.compareDense ? ", dense comparison FFNs" : "") +
                         ") but only " +
                         gib(std::max(0.0, result.usableBytes)) + " is free (" +
                         gib(availableBytes) + " available by " + limitSource + ", minus a " +
                         gib(config.memoryMarginBytes) + " margin and " + gib(probeBytes) +
                         " for the bandwidth and GEMM probes)",
                     {}, 0, "preset"};
    }
    const double floor = config.minCacheMultiple * cacheBytes;
    const double target =
        std::min(result.usableBytes, std::max(config.weightBudgetBytes, floor));
    // Grow while under the cache floor or within the budget, never past usable memory.
    auto grow = [&](std::size_t layers, std::size_t experts, std::size_t nextLayers,
                    std::size_t nextExperts) {
        const ModelPlan next = runPlan(config, nextLayers, nextExperts);
        if (planBytes(config, next) > result.usableBytes)
            return false;
        return planWeightBytes(moePlan(config, layers, experts)) < floor ||
               planBytes(config, next) <= target;
    };
    std::size_t layers = 2;
    std::size_t experts = s.topK;
    // With only k experts every token would read all of them; keep 2k when memory allows so
    // routing still chooses and the dense comparison means something.
    const std::size_t preferred = std::min(s.routedExperts, 2 * s.topK);
    while (experts < preferred &&
           planBytes(config, runPlan(config, layers, experts + 1)) <= result.usableBytes)
        ++experts;
    while (experts < s.routedExperts && grow(layers, experts, layers, experts + 1))
        ++experts;
    if (experts == s.routedExperts) {
        while (layers < realMoeLayers && grow(layers, experts, layers + 1, experts))
            ++layers;
    }
    const ModelPlan plan = moePlan(config, layers, experts);
    result.layersAllocated = layers;
    result.expertsAllocated = experts;
    result.weightBytes = planWeightBytes(plan);
    result.workingBytes = planWorkingBytes(runPlan(config, layers, experts)) + inputBytes(config);
    result.scaled = layers != realMoeLayers || experts != s.routedExperts || s.denseLayers > 0;
    std::string text;
    if (!result.scaled) {
        text = "not scaled: all " + std::to_string(realMoeLayers) + " layers and " +
               std::to_string(s.routedExperts) + " experts per layer allocated";
    } else {
        text = "allocated " + std::to_string(layers) + " of " + std::to_string(realMoeLayers) +
               " MoE layers with " + std::to_string(experts) + " of " +
               std::to_string(s.routedExperts) + " routed experts each (top-" +
               std::to_string(s.topK) + " and every per-token shape unchanged)";
        if (s.denseLayers > 0)
            text += "; " + std::to_string(s.denseLayers) +
                    (s.denseLayers == 1 ? " dense layer" : " dense layers") + " not run, projected";
        text += "; " + gib(result.weightBytes) + " of weights";
        const double fullBytes = fullModelWeightBytes(s, config.precision);
        text += fullBytes <= result.usableBytes
                    ? " to stay within the " + gib(target) +
                          " run budget (the whole model would fit in RAM)"
                    : " because the whole model needs " + gib(fullBytes) + " and " +
                          gib(result.usableBytes) + " is free";
    }
    if (result.weightBytes < floor)
        text += "; below " + std::to_string(static_cast<int>(config.minCacheMultiple)) +
                "x the last-level cache, so caches may flatter the result";
    result.description = text;
    return result;
}

namespace {

Result<BenchReport> runChecked(const BenchConfig &config, const ProgressFunction &progress,
                               const std::atomic<bool> *cancel)
{
    const auto started = Clock::now();
    if (Status status = validate(config); !status)
        return status.error();
    auto report = [&](double fraction, const std::string &stage) {
        if (progress)
            progress(fraction, stage);
    };
    BenchReport out;
    out.machine = probeMachine();
    const MemoryLimit limit = config.availableBytesOverride > 0.0
                                  ? MemoryLimit{config.availableBytesOverride, "the caller"}
                                  : memoryLimit();
    const double cacheBytes = config.cacheBytesOverride > 0.0 ? config.cacheBytesOverride
                                                              : out.machine.lastLevelCacheBytes;
    auto plan = planScaling(config, limit.bytes, cacheBytes, limit.source);
    if (!plan)
        return plan.error();
    const ModelShape &s = config.shape;
    out.scale = plan.value();
    out.preset = s.name;
    out.attention = s.attention();
    out.precision = config.precision;
    out.threads = runThreads(config);
    out.simd = config.simd.value_or(detectSimd());
    if (!simdSupported(out.simd))
        return Error{std::string("this CPU cannot run ") + simdName(out.simd) + " kernels", {}, 0,
                     "simd"};
    out.decodeTokens = config.decodeTokens;
    out.prefillTokens = config.prefillTokens;
    out.repetitions = config.repetitions;
    out.cost = config.cost;
    ThreadPool pool(out.threads);

    // The machine's memory bandwidth moves with the load of whatever shares it, by half or more
    // within seconds on a shared host. So the triad and read probes run right before each timed
    // decode repetition, and decode is compared with the bandwidth of the same moments; a limit
    // measured once at a quiet moment would make the fraction a measure of the neighbours.
    report(0.0, "allocating the bandwidth probe");
    auto bandwidth = BandwidthProbe::create(probeArrayBytes(config, cacheBytes), pool, cancel);
    if (!bandwidth)
        return bandwidth.error();
    std::vector<double> triadBests, triadMeans, readBests;
    auto probeBandwidth = [&]() -> Status {
        auto triad = bandwidth->triad(config.probeRepetitions, pool, cancel);
        if (!triad)
            return triad.error();
        triadBests.push_back(triad->best);
        triadMeans.push_back(triad->mean);
        auto read = bandwidth->read(config.probeRepetitions, out.simd, pool, cancel);
        if (!read)
            return read.error();
        readBests.push_back(read->best);
        return Ok{};
    };
    // The GEMM probe runs before each prefill repetition, for the same reason.
    report(0.05, "allocating the GEMM probe");
    auto gemmProbe = GemmProbe::create(config.gemmProbeRows, config.gemmProbeCols,
                                       config.gemmProbeTokens, config.precision, pool, cancel);
    if (!gemmProbe)
        return gemmProbe.error();
    std::vector<double> gemmBests;
    std::vector<double> instructionBests;
    auto probeGemm = [&]() -> Status {
        auto peak = gemmProbe->run(config.probeRepetitions, out.simd, pool, cancel);
        if (!peak)
            return peak.error();
        gemmBests.push_back(peak->best);
        auto instructions = InstructionPeak::measure(config.precision, out.simd, config.probeRepetitions,
                                                     kInstructionPeakRounds, pool, cancel);
        if (!instructions)
            return instructions.error();
        instructionBests.push_back(instructions->best);
        return Ok{};
    };

    report(0.1, "allocating MoE weights");
    const ModelPlan moe = runPlan(config, out.scale.layersAllocated, out.scale.expertsAllocated);
    DecodePhases decodePhases;
    {
        auto model = MoeModel::build(moe, config.seed, pool, cancel);
        if (!model)
            return model.error();
        const std::string stage =
            config.compareDense ? "MoE and dense prefill, MoE decode" : "MoE prefill and decode";
        report(0.25, stage);
        auto step = [&](double f) { report(0.25 + 0.45 * f, stage); };
        const Runs runs{true, true, config.compareDense};
        auto timings = measure(*model.value(), config, runs, out.simd, pool, cancel, step,
                               Probes{probeBandwidth, probeGemm});
        if (!timings)
            return timings.error();
        decodePhases = timings->decodePhases;
        out.decodeTokensPerSecond = timings->decode;
        out.prefillTokensPerSecond = timings->prefill;
        out.prefillHeadSeconds = timings->prefillHeadSeconds;
        out.denseEqualActivePrefillTokensPerSecond = timings->equalActiveDensePrefill;
    }

    // Bytes and flops per decode token, averaged over the contexts the decode steps saw.
    const TokenCost head = headCost(s, config.precision);
    double bytes = 0.0, flops = 0.0, fullBytes = 0.0, denseBytes = 0.0;
    DecodeLayerParts partBytes; // bytes per phase over the allocated layers, summed over tokens
    for (std::size_t t = 0; t < config.decodeTokens; ++t) {
        const std::size_t context = config.prefillTokens + t + 1;
        const DecodeLayerParts parts = decodeLayerParts(s, config.precision, context, true);
        partBytes.attention.bytes += dbl(moe.layers) * parts.attention.bytes;
        partBytes.router.bytes += dbl(moe.layers) * parts.router.bytes;
        partBytes.ffn.bytes += dbl(moe.layers) * parts.ffn.bytes;
        const TokenCost layer = parts.total();
        bytes += dbl(moe.layers) * layer.bytes + head.bytes;
        flops += dbl(moe.layers) * layer.flops + head.flops;
        fullBytes += fullModelDecodeCost(s, config.precision, context).bytes;
        ModelShape denseShape = s;
        denseShape.denseFfn = (out.scale.expertsAllocated + s.sharedExperts) * s.expertFfn;
        denseBytes += dbl(moe.layers) *
                          decodeLayerCost(denseShape, config.precision, context, false).bytes +
                      head.bytes;
    }
    const double steps = dbl(config.decodeTokens);
    out.decodeBytesPerToken = bytes / steps;
    out.decodeFlopsPerToken = flops / steps;
    out.fullModelDecodeBytesPerToken = fullBytes / steps;
    out.denseOverMoeBytesRatio = denseBytes / bytes;
    const double layerFlops = dbl(moe.layers) * prefillLayerFlops(s, config.prefillTokens, true);
    const double prefillFlops = layerFlops + head.flops;
    out.prefillFlopsPerToken = prefillFlops / dbl(config.prefillTokens);
    out.decodeGbPerSecond = out.decodeBytesPerToken * out.decodeTokensPerSecond.mean / 1e9;
    out.decodeGflopsPerSecond = out.decodeFlopsPerToken * out.decodeTokensPerSecond.mean / 1e9;
    out.prefillGflopsPerSecond = out.prefillFlopsPerToken * out.prefillTokensPerSecond.mean / 1e9;

    if (config.compareDense) {
        report(0.7, "dense model, same total parameters");
        ModelPlan sameTotal = moePlan(config, moe.layers, 0);
        sameTotal.dense = true;
        sameTotal.denseFfn = (out.scale.expertsAllocated + s.sharedExperts) * s.expertFfn;
        {
            auto model = MoeModel::build(sameTotal, config.seed + 1, pool, cancel);
            if (!model)
                return model.error();
            auto timings = measure(*model.value(), config, Runs{true, false, false}, out.simd,
                                   pool, cancel,
                                   [&](double f) { report(0.75 + 0.2 * f, "dense decode"); });
            if (!timings)
                return timings.error();
            out.denseSameTotalDecodeTokensPerSecond = timings->decode;
        }
        out.comparedDense = true;
        out.denseOverMoeTimeRatio =
            out.decodeTokensPerSecond.mean / out.denseSameTotalDecodeTokensPerSecond.mean;
        out.moeOverDensePrefillEqualActive =
            out.prefillTokensPerSecond.mean / out.denseEqualActivePrefillTokensPerSecond.mean;
    }

    out.gemmPeakGflopsPerSecond = summarise(gemmBests).mean;
    out.triadGbPerSecond = summarise(triadBests).mean;
    out.triadMeanGbPerSecond = summarise(triadMeans).mean;
    out.readGbPerSecond = summarise(readBests);
    out.decodeTriadFraction =
        out.triadGbPerSecond > 0.0 ? out.decodeGbPerSecond / out.triadGbPerSecond : 0.0;
    out.decodeRooflineFraction =
        out.readGbPerSecond.mean > 0.0 ? out.decodeGbPerSecond / out.readGbPerSecond.mean : 0.0;
    out.prefillGemmFraction = out.gemmPeakGflopsPerSecond > 0.0
                                  ? out.prefillGflopsPerSecond / out.gemmPeakGflopsPerSecond
                                  : 0.0;
    DecodeLayerParts bytesPerToken = partBytes;
    for (TokenCost *part : {&bytesPerToken.attention, &bytesPerToken.router, &bytesPerToken.ffn})
        part->bytes /= steps;
    out.decodeWaterfall =
        decodeWaterfall(decodePhases, bytesPerToken, head.bytes, out.readGbPerSecond.mean);
    out.instructionPeakGflopsPerSecond = summarise(instructionBests);
    const double instructionPeak = out.instructionPeakGflopsPerSecond.mean;
    out.prefillPeakFraction =
        instructionPeak > 0.0 ? out.prefillGflopsPerSecond / instructionPeak : 0.0;

    out.activeParams = activeParams(s);
    out.totalParams = totalParams(s);
    out.fullModelRamFp32Bytes = fullModelWeightBytes(s, Precision::Fp32);
    out.fullModelRamInt8Bytes = fullModelWeightBytes(s, Precision::Int8);
    out.fullModelFits = fullModelWeightBytes(s, config.precision) <= out.scale.usableBytes;
    out.fullModelDecodeTokensPerSecond = out.decodeTokensPerSecond.mean * out.decodeBytesPerToken /
                                         out.fullModelDecodeBytesPerToken;
    const double fullLayerFlops =
        dbl(s.moeLayers()) * prefillLayerFlops(s, config.prefillTokens, true) +
        dbl(s.denseLayers) * prefillLayerFlops(s, config.prefillTokens, false);
    out.fullModelPrefillTokensPerSecond = projectedPrefillTokensPerSecond(
        dbl(config.prefillTokens), out.prefillTokensPerSecond.mean, out.prefillHeadSeconds,
        fullLayerFlops / layerFlops);
    out.decodeUsdPerMillionTokens =
        usdPerMillionTokens(out.fullModelDecodeTokensPerSecond, config.cost);
    out.prefillUsdPerMillionTokens =
        usdPerMillionTokens(out.fullModelPrefillTokensPerSecond, config.cost);
    // An unbalanced router (per-expert skew of +-1 in logit) and DeepSeek-V3's bias rule with
    // a fast update, so a few dozen batches show what training does over many steps.
    out.expertLoad = simulateExpertLoad(s.routedExperts, s.topK, kExpertLoadTokens,
                                        kExpertLoadSteps, 1.0f, 0.01f, config.seed);
    out.wallSeconds = secondsSince(started);
    report(1.0, "done");
    return out;
}

} // namespace

Result<BenchReport> runBenchmark(const BenchConfig &config, const ProgressFunction &progress,
                                 const std::atomic<bool> *cancel)
{
    // The plan keeps a run within memory; this is for a system that refuses anyway (an
    // address-space limit set after planning, a kernel out of map areas).
    try {
        return runChecked(config, progress, cancel);
    } catch (const std::bad_alloc &) {
        return Error{"the system refused memory the run had planned for; try a smaller budget "
                     "or fewer tokens",
                     {}, 0, {}};
    }
}

} // namespace cliff::bench
