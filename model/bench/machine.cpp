#include "machine.h"

#include "matrix.h"
#include "thread_pool.h"

#include <immintrin.h>
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#ifndef CLIFF_BUILD_TYPE
#define CLIFF_BUILD_TYPE "unknown"
#endif

namespace cliff::bench {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The value of `key` in a "Key: value kB" file (/proc/meminfo, /proc/self/status), in bytes;
// 0 when absent.
double kibFieldBytes(const std::string &path, const std::string &key)
{
    std::ifstream file(path);
    std::string name;
    double kib = 0.0;
    std::string unit;
    while (file >> name >> kib) {
        std::getline(file, unit);
        if (name == key + ":")
            return kib * 1024.0;
    }
    return 0.0;
}

Error cancelledError() { return Error{"benchmark cancelled", {}, 0, {}}; }

// Elements of a probe pass between two looks at the cancel flag: 256 KiB of doubles per array.
// Memory a freshly started machine has never touched is first written at a few hundred MB/s,
// so a first-touch pass over the three arrays spends a few ms per block; a cancel never waits
// long for one.
constexpr std::size_t kCancelBlock = std::size_t{1} << 15;

bool cancelled(const std::atomic<bool> *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Runs pass(begin, end) over [0, count) on the pool, each thread's range in blocks of
// kCancelBlock; false, with the pass unfinished, once `cancel` is set.
bool cancellablePass(std::size_t count, ThreadPool &pool, const std::atomic<bool> *cancel,
                     const std::function<void(std::size_t, std::size_t)> &pass)
{
    pool.parallelFor(count, [&](std::size_t begin, std::size_t end) {
        for (std::size_t block = begin; block < end && !cancelled(cancel); block += kCancelBlock)
            pass(block, std::min(end, block + kCancelBlock));
    });
    return !cancelled(cancel);
}

// `count` uninitialised doubles, on huge pages when large (see allocateLarge).
LargeBuffer allocateDoubles(std::size_t count) { return allocateLarge(count * sizeof(double)); }

double *doubles(const LargeBuffer &buffer) { return reinterpret_cast<double *>(buffer.get()); }

double sumScalar(const double *b, const double *c, std::size_t begin, std::size_t end)
{
    // Independent accumulators so the adds do not serialise on one register.
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    std::size_t i = begin;
    for (; i + 4 <= end; i += 4) {
        s0 += b[i] + c[i];
        s1 += b[i + 1] + c[i + 1];
        s2 += b[i + 2] + c[i + 2];
        s3 += b[i + 3] + c[i + 3];
    }
    for (; i < end; ++i)
        s0 += b[i] + c[i];
    return (s0 + s1) + (s2 + s3);
}

__attribute__((target("avx2,fma"))) double sumAvx2(const double *b, const double *c,
                                                   std::size_t begin, std::size_t end)
{
    __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
    __m256d s2 = _mm256_setzero_pd(), s3 = _mm256_setzero_pd();
    std::size_t i = begin;
    for (; i + 8 <= end; i += 8) {
        s0 = _mm256_add_pd(s0, _mm256_loadu_pd(b + i));
        s1 = _mm256_add_pd(s1, _mm256_loadu_pd(c + i));
        s2 = _mm256_add_pd(s2, _mm256_loadu_pd(b + i + 4));
        s3 = _mm256_add_pd(s3, _mm256_loadu_pd(c + i + 4));
    }
    alignas(32) double lanes[4];
    _mm256_store_pd(lanes, _mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)));
    return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + sumScalar(b, c, i, end);
}

} // namespace

namespace {

// The first number in `path`; nullopt when unreadable or not a number ("max" is no limit).
std::optional<double> numberIn(const std::filesystem::path &path)
{
    std::ifstream file(path);
    double value = 0.0;
    if (!(file >> value))
        return std::nullopt;
    return value;
}

// Room left under the memory cgroup of this process and each of its ancestors, in bytes; the
// smallest wins. Limits at or above 2^60 (v1's "unlimited") count as none.
std::optional<double> cgroupRoomBytes(const MemoryLimitFiles &files)
{
    std::ifstream cgroups(files.selfCgroup);
    std::string line;
    std::optional<double> room;
    auto consider = [&](const std::filesystem::path &dir, const char *limitName,
                        const char *usageName) {
        // Inside a cgroup namespace the process's path may not exist under the mount, whose
        // top is then its own cgroup: walk up until a limit file is found.
        for (std::filesystem::path at = dir;; at = at.parent_path()) {
            const auto limit = numberIn(at / limitName);
            const auto usage = numberIn(at / usageName);
            if (limit && usage && *limit < 1.15e18)
                room = std::min(room.value_or(*limit), std::max(0.0, *limit - *usage));
            if (at == at.parent_path() || at.string().size() <= files.cgroupRoot.size())
                break;
        }
    };
    while (std::getline(cgroups, line)) {
        // "hierarchy-id:controllers:path"; v2 has id 0 and no controllers.
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        std::stringstream list(controllers);
        std::string controller;
        bool memory = false;
        while (std::getline(list, controller, ','))
            memory = memory || controller == "memory";
        const std::filesystem::path root(files.cgroupRoot);
        if (controllers.empty() && line.rfind("0:", 0) == 0)
            consider(root.string() + path, "memory.max", "memory.current");
        else if (memory)
            consider((root / "memory").string() + path, "memory.limit_in_bytes",
                     "memory.usage_in_bytes");
    }
    return room;
}

} // namespace

MemoryLimit memoryLimit(const MemoryLimitFiles &files)
{
    MemoryLimit limit{kibFieldBytes(files.meminfo, "MemAvailable"), "MemAvailable"};
    if (const auto room = cgroupRoomBytes(files); room && *room < limit.bytes)
        limit = {*room, "the cgroup's memory limit"};
    rlimit addressSpace{};
    if (getrlimit(RLIMIT_AS, &addressSpace) == 0 && addressSpace.rlim_cur != RLIM_INFINITY) {
        const double mapped = kibFieldBytes(files.selfStatus, "VmSize");
        const double room =
            std::max(0.0, static_cast<double>(addressSpace.rlim_cur) - mapped);
        if (room < limit.bytes)
            limit = {room, "the address-space limit (RLIMIT_AS)"};
    }
    return limit;
}

double residentMemoryBytes() { return kibFieldBytes("/proc/self/status", "VmRSS"); }

int usableCpuCount()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

double lastLevelCacheBytes()
{
    double largest = 0.0;
    std::error_code error;
    const std::filesystem::path root("/sys/devices/system/cpu/cpu0/cache");
    for (const auto &entry : std::filesystem::directory_iterator(root, error)) {
        std::ifstream file(entry.path() / "size");
        double value = 0.0;
        std::string suffix;
        if (!(file >> value))
            continue;
        file >> suffix;
        if (!suffix.empty() && (suffix[0] == 'K' || suffix[0] == 'k'))
            value *= 1024.0;
        else if (!suffix.empty() && suffix[0] == 'M')
            value *= 1024.0 * 1024.0;
        largest = std::max(largest, value);
    }
    return largest > 0.0 ? largest : 32.0 * 1024.0 * 1024.0;
}

MachineInfo probeMachine()
{
    MachineInfo info;
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos)
                info.cpuModel = line.substr(line.find_first_not_of(' ', colon + 1));
            break;
        }
    }
    info.logicalCores = static_cast<int>(std::thread::hardware_concurrency());
    info.ramTotalBytes = kibFieldBytes("/proc/meminfo", "MemTotal");
    info.ramAvailableBytes = kibFieldBytes("/proc/meminfo", "MemAvailable");
    info.lastLevelCacheBytes = lastLevelCacheBytes();
    info.simd = detectSimd();
    info.buildType = CLIFF_BUILD_TYPE;
#if defined(__clang__)
    info.compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
    info.compiler = std::string("gcc ") + __VERSION__;
#endif
    return info;
}

Result<BandwidthProbe> BandwidthProbe::create(std::size_t arrayBytes, ThreadPool &pool,
                                              const std::atomic<bool> *cancel)
{
    const std::size_t count = std::max<std::size_t>(1024, arrayBytes / sizeof(double));
    LargeBuffer aBuffer = allocateDoubles(count);
    LargeBuffer bBuffer = allocateDoubles(count);
    LargeBuffer cBuffer = allocateDoubles(count);
    double *a = doubles(aBuffer);
    double *b = doubles(bBuffer);
    double *c = doubles(cBuffer);
    if (!cancellablePass(count, pool, cancel, [&](std::size_t begin, std::size_t end) {
            std::fill(a + begin, a + end, 0.0);
            std::fill(b + begin, b + end, 1.0);
            std::fill(c + begin, c + end, 2.0);
        }))
        return cancelledError();
    return BandwidthProbe(count, std::move(aBuffer), std::move(bBuffer), std::move(cBuffer));
}

namespace {

// Times `passes` runs of `pass` over [0, count) after an untimed one, as GB/s at
// `bytesPerElement`; Error if cancelled.
Result<ProbeResult> timePasses(std::size_t count, double bytesPerElement, int passes,
                               ThreadPool &pool, const std::atomic<bool> *cancel,
                               const std::function<void(std::size_t, std::size_t)> &pass)
{
    ProbeResult result;
    double total = 0.0;
    for (int rep = -1; rep < passes; ++rep) {
        const auto start = Clock::now();
        if (!cancellablePass(count, pool, cancel, pass))
            return cancelledError();
        const double gbPerSecond =
            bytesPerElement * static_cast<double>(count) / secondsSince(start) / 1e9;
        if (rep < 0)
            continue;
        result.best = std::max(result.best, gbPerSecond);
        total += gbPerSecond;
    }
    result.mean = total / std::max(1, passes);
    return result;
}

} // namespace

Result<ProbeResult> BandwidthProbe::triad(int passes, ThreadPool &pool,
                                          const std::atomic<bool> *cancel)
{
    double *a = doubles(m_a);
    const double *b = doubles(m_b);
    const double *c = doubles(m_c);
    const double scalar = 3.0;
    return timePasses(m_count, 24.0, passes, pool, cancel, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            a[i] = b[i] + scalar * c[i];
    });
}

Result<ProbeResult> BandwidthProbe::read(int passes, SimdLevel simd, ThreadPool &pool,
                                         const std::atomic<bool> *cancel)
{
    const double *b = doubles(m_b);
    const double *c = doubles(m_c);
    std::mutex sumMutex;
    double sum = 0.0;
    auto result =
        timePasses(m_count, 16.0, passes, pool, cancel, [&](std::size_t begin, std::size_t end) {
            const double part = simd != SimdLevel::Scalar ? sumAvx2(b, c, begin, end)
                                                          : sumScalar(b, c, begin, end);
            std::lock_guard lock(sumMutex);
            sum += part;
        });
    // The sum is used, so the compiler cannot drop the loads.
    if (result && sum < 0.0)
        return Error{"read probe summed to a negative value", {}, 0, {}};
    return result;
}

namespace {

/// Independent accumulator chains per thread: enough to cover a multiply-add's latency (four
/// cycles) on two pipes, few enough to stay in registers with the operands.
constexpr int kPeakChains = 12;

/// The sum of every lane of a chain function's accumulators, read as `Lane` values from their
/// bytes (so this needs no vector instructions of its own).
template <typename Lane, typename Chains> double sumLanes(const Chains &chains)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(&chains);
    double sum = 0.0;
    for (std::size_t offset = 0; offset < sizeof chains; offset += sizeof(Lane)) {
        Lane lane;
        std::memcpy(&lane, bytes + offset, sizeof lane);
        sum += double(lane);
    }
    return sum;
}

__attribute__((target("avx2,fma,avx512f"))) double fmaChainsAvx512(std::uint64_t rounds)
{
    __m512 acc[kPeakChains];
    for (__m512 &chain : acc)
        chain = _mm512_setzero_ps();
    const __m512 one = _mm512_set1_ps(1.0f);
    for (std::uint64_t round = 0; round < rounds; ++round) {
        // Unrolled, so that the chains live in registers, not on the stack.
#pragma GCC unroll 16
        for (__m512 &chain : acc)
            chain = _mm512_fmadd_ps(one, one, chain);
    }
    return sumLanes<float>(acc);
}

__attribute__((target("avx2,fma"))) double fmaChainsAvx2(std::uint64_t rounds)
{
    __m256 acc[kPeakChains];
    for (__m256 &chain : acc)
        chain = _mm256_setzero_ps();
    const __m256 one = _mm256_set1_ps(1.0f);
    for (std::uint64_t round = 0; round < rounds; ++round) {
        // Unrolled, so that the chains live in registers, not on the stack.
#pragma GCC unroll 16
        for (__m256 &chain : acc)
            chain = _mm256_fmadd_ps(one, one, chain);
    }
    return sumLanes<float>(acc);
}

__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"))) double
dotChainsAvx512Vnni(std::uint64_t rounds)
{
    __m512i acc[kPeakChains];
    for (__m512i &chain : acc)
        chain = _mm512_setzero_si512();
    const __m512i one = _mm512_set1_epi8(1);
    for (std::uint64_t round = 0; round < rounds; ++round) {
        // Unrolled, so that the chains live in registers, not on the stack.
#pragma GCC unroll 16
        for (__m512i &chain : acc)
            chain = _mm512_dpbusd_epi32(chain, one, one);
    }
    return sumLanes<std::int32_t>(acc);
}

__attribute__((target("avx2,fma"))) double dotChainsAvx2(std::uint64_t rounds)
{
    __m256i acc[kPeakChains];
    for (__m256i &chain : acc)
        chain = _mm256_setzero_si256();
    const __m256i one = _mm256_set1_epi8(1);
    for (std::uint64_t round = 0; round < rounds; ++round) {
        // Unrolled, so that the chains live in registers, not on the stack.
#pragma GCC unroll 16
        for (__m256i &chain : acc)
            chain = _mm256_add_epi16(chain, _mm256_maddubs_epi16(one, one));
    }
    return sumLanes<std::int16_t>(acc);
}

// VDPBF16PS: each 32-bit lane adds the products of two bf16 pairs (1.0 x 1.0 here).
__attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512bf16"))) double
bf16ChainsAvx512(std::uint64_t rounds)
{
    __m512 acc[kPeakChains];
    for (__m512 &chain : acc)
        chain = _mm512_setzero_ps();
    const __m512bh one = reinterpret_cast<__m512bh>(_mm512_set1_epi16(0x3F80));
    for (std::uint64_t round = 0; round < rounds; ++round) {
        // Unrolled, so that the chains live in registers, not on the stack.
#pragma GCC unroll 16
        for (__m512 &chain : acc)
            chain = _mm512_dpbf16_ps(chain, one, one);
    }
    return sumLanes<float>(acc);
}

} // namespace

double InstructionPeak::multiplyAddsPerRound(Precision precision, SimdLevel simd)
{
    if (simd == SimdLevel::Scalar)
        return 0.0;
    // fp32: one multiply-add per 32-bit lane; bf16 pairs: two; int8 (and q4, whose codes are
    // multiplied as bytes): four byte products.
    const double lanes = (simd == SimdLevel::Avx512Vnni ? 512.0 : 256.0) / 32.0;
    double perLane = 1.0;
    if (quantisesActivations(precision))
        perLane = 4.0;
    else if (precision == Precision::Bf16 && bf16DotProducts(simd))
        perLane = 2.0;
    return kPeakChains * lanes * perLane;
}

double InstructionPeak::runChains(Precision precision, SimdLevel simd, std::uint64_t rounds)
{
    const bool wide = simd == SimdLevel::Avx512Vnni;
    switch (simd) {
    case SimdLevel::Scalar:
        return 0.0;
    case SimdLevel::Avx2:
    case SimdLevel::Avx512Vnni:
        if (precision == Precision::Bf16 && bf16DotProducts(simd))
            return bf16ChainsAvx512(rounds);
        if (!quantisesActivations(precision))
            return wide ? fmaChainsAvx512(rounds) : fmaChainsAvx2(rounds);
        return wide ? dotChainsAvx512Vnni(rounds) : dotChainsAvx2(rounds);
    }
    return 0.0;
}

Result<ProbeResult> InstructionPeak::measure(Precision precision, SimdLevel simd, int passes,
                                             std::uint64_t rounds, ThreadPool &pool,
                                             const std::atomic<bool> *cancel)
{
    ProbeResult result;
    if (simd == SimdLevel::Scalar)
        return result;
    const auto threads = static_cast<std::size_t>(pool.threadCount());
    const double ops = 2.0 * multiplyAddsPerRound(precision, simd) * double(rounds) * double(threads);
    std::mutex sumMutex;
    double sum = 0.0;
    double total = 0.0;
    for (int rep = -1; rep < passes; ++rep) {
        if (cancelled(cancel))
            return cancelledError();
        const auto start = Clock::now();
        pool.parallelFor(threads, [&](std::size_t begin, std::size_t end) {
            for (std::size_t thread = begin; thread < end; ++thread) {
                const double part = runChains(precision, simd, rounds);
                std::lock_guard lock(sumMutex);
                sum += part;
            }
        });
        const double opsPerSecond = ops / secondsSince(start) / 1e9;
        if (rep < 0)
            continue;
        result.best = std::max(result.best, opsPerSecond);
        total += opsPerSecond;
    }
    // The sums are used, so the compiler cannot drop the chains.
    if (sum < 0.0)
        return Error{"instruction peak probe summed to a negative value", {}, 0, {}};
    result.mean = total / std::max(1, passes);
    return result;
}

Result<GemmProbe> GemmProbe::create(std::size_t rows, std::size_t cols, std::size_t tokens,
                                    Precision precision, ThreadPool &pool,
                                    const std::atomic<bool> *cancel)
{
    Matrix weights(rows, cols, precision);
    if (!weights.fillRandom(7, pool, cancel))
        return cancelledError();
    std::vector<float> inputs(tokens * cols);
    SplitMix random(11);
    for (float &value : inputs)
        value = random.nextSigned();
    return GemmProbe(std::move(weights), std::move(inputs), tokens);
}

double GemmProbe::bytes(std::size_t rows, std::size_t cols, std::size_t tokens,
                        Precision precision)
{
    return matrixBytes(rows, cols, precision) +
           4.0 * static_cast<double>(tokens) * static_cast<double>(cols + rows);
}

Result<ProbeResult> GemmProbe::run(int passes, SimdLevel simd, ThreadPool &pool,
                                   const std::atomic<bool> *cancel)
{
    // Back to back, so the pool's threads are awake after the first, as inside a prefill.
    constexpr int kGemmsPerPass = 2;
    const std::size_t rows = m_weights.rows();
    const std::size_t cols = m_weights.cols();
    ProbeResult result;
    double total = 0.0;
    const double flops = 2.0 * kGemmsPerPass * static_cast<double>(rows) *
                         static_cast<double>(cols) * static_cast<double>(m_tokens);
    for (int rep = -1; rep < passes; ++rep) {
        const auto start = Clock::now();
        for (int gemmIndex = 0; gemmIndex < kGemmsPerPass; ++gemmIndex) {
            gemm(m_weights, m_inputs.data(), cols, m_tokens, m_outputs.data(), rows, simd, pool,
                 cancel);
            if (cancelled(cancel))
                return cancelledError();
        }
        const double gflopsPerSecond = flops / secondsSince(start) / 1e9;
        if (rep < 0)
            continue;
        result.best = std::max(result.best, gflopsPerSecond);
        total += gflopsPerSecond;
    }
    result.mean = total / std::max(1, passes);
    return result;
}

} // namespace cliff::bench
