#include "bench/benchmark.h"
#include "bench/kernels.h"
#include "bench/large_array.h"
#include "bench/machine.h"
#include "bench/matrix.h"
#include "bench/model_shape.h"
#include "bench/moe_model.h"
#include "bench/reference.h"
#include "bench/router.h"
#include "bench/thread_pool.h"

#include "core/csv.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string>

using namespace cliff::bench;

Q_DECLARE_METATYPE(cliff::bench::Precision)
Q_DECLARE_METATYPE(cliff::bench::SimdLevel)
Q_DECLARE_METATYPE(cliff::bench::Gating)
Q_DECLARE_METATYPE(cliff::bench::ThreadPool::Schedule)

namespace {

// Error bounds, as normalised MSE against the double-precision reference on the same
// (dequantised) weights: kernels only differ in fp32 summation order.
constexpr double kKernelTolerance = 1e-9;
constexpr double kBlockTolerance = 1e-7;
// Int8 decode and prefill quantise activations to int8 per 32-element block (the reference does
// the same); against fp32 activations one matrix-vector product stays within 1e-4.
constexpr double kQuantisedActivationTolerance = 1e-4;
// A block test's marker for grouped-query attention (no latent query rank).
constexpr std::size_t kNoLatent = SIZE_MAX;

ModelShape tinyShape(Gating gating = Gating::Softmax)
{
    ModelShape shape;
    shape.name = "tiny";
    shape.layers = 2;
    shape.hidden = 40;
    shape.expertFfn = 24;
    shape.routedExperts = 8;
    shape.topK = 2;
    shape.sharedExperts = 1;
    shape.heads = 4;
    shape.kvHeads = 2;
    shape.headDim = 10;
    shape.vocab = 33;
    shape.denseFfn = 48;
    shape.gating = gating;
    shape.normaliseTopK = gating == Gating::SigmoidWithBias;
    shape.routedScale = gating == Gating::SigmoidWithBias ? 2.5f : 1.0f;
    return shape;
}

// The tiny shape with DeepSeek's multi-head latent attention: 4 heads whose queries and keys
// have 10 values plus 6 of RoPE, a 24-value latent, values of 8, and queries compressed to
// `queryRank` values (0: none).
ModelShape tinyLatentShape(std::size_t queryRank)
{
    ModelShape shape = tinyShape();
    shape.kvHeads = shape.heads;
    shape.kvLoraRank = 24;
    shape.ropeHeadDim = 6;
    shape.valueHeadDim = 8;
    shape.qLoraRank = queryRank;
    return shape;
}

std::vector<float> randomValues(std::size_t count, std::uint64_t seed)
{
    std::vector<float> values(count);
    SplitMix random(seed);
    for (float &value : values)
        value = random.nextSigned();
    return values;
}

constexpr SimdLevel kSimdLevels[] = {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512Vnni};

bool skipUnsupported(SimdLevel simd) { return !simdSupported(simd); }


BenchConfig quickConfig()
{
    BenchConfig config;
    config.shape = tinyShape();
    config.decodeTokens = 4;
    config.prefillTokens = 8;
    config.repetitions = 2;
    config.probeArrayBytes = 1 << 20;
    config.gemmProbeRows = 64;
    config.gemmProbeCols = 64;
    config.gemmProbeTokens = 12;
    config.probeRepetitions = 1;
    config.threads = 2;
    config.cacheBytesOverride = 1024;
    return config;
}

} // namespace

class TestBench : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void instructionPeakCountsItsMultiplyAdds_data()
    {
        QTest::addColumn<Precision>("precision");
        QTest::addColumn<SimdLevel>("simd");
        QTest::addColumn<double>("perRound"); // by hand: 12 chains x lanes x products per lane
        QTest::newRow("fp32-avx2") << Precision::Fp32 << SimdLevel::Avx2 << 12.0 * 8;
        QTest::newRow("fp32-avx512") << Precision::Fp32 << SimdLevel::Avx512Vnni << 12.0 * 16;
        QTest::newRow("int8-avx2") << Precision::Int8 << SimdLevel::Avx2 << 12.0 * 16 * 2;
        QTest::newRow("int8-vnni") << Precision::Int8 << SimdLevel::Avx512Vnni << 12.0 * 16 * 4;
        QTest::newRow("scalar") << Precision::Fp32 << SimdLevel::Scalar << 0.0;
        // AVX2 has no bf16 multiply: bf16 weights are widened and multiplied as fp32.
        QTest::newRow("bf16-avx2") << Precision::Bf16 << SimdLevel::Avx2 << 12.0 * 8;
        QTest::newRow("bf16-native") << Precision::Bf16 << SimdLevel::Avx512Vnni << 12.0 * 16 * 2;
        // Q4 codes are multiplied as bytes, by the int8 instructions.
        QTest::newRow("q4-avx2") << Precision::Q4 << SimdLevel::Avx2 << 12.0 * 16 * 2;
        QTest::newRow("q4-vnni") << Precision::Q4 << SimdLevel::Avx512Vnni << 12.0 * 16 * 4;
    }

    // The peak probe times what it counts: its chains, run from zero adding 1 x 1 per
    // multiply-add, sum to exactly the multiply-adds it divides by, and its rate is positive.
    void instructionPeakCountsItsMultiplyAdds()
    {
        QFETCH(Precision, precision);
        QFETCH(SimdLevel, simd);
        QFETCH(double, perRound);
        if (skipUnsupported(simd))
            QSKIP("this CPU cannot run these instructions");
        if (QByteArray(QTest::currentDataTag()) == "bf16-native" && !__builtin_cpu_supports("avx512bf16"))
            QSKIP("this CPU has no bf16 dot product (VDPBF16PS)");
        QCOMPARE(InstructionPeak::multiplyAddsPerRound(precision, simd), perRound);
        constexpr std::uint64_t kRounds = 1000;
        QCOMPARE(InstructionPeak::runChains(precision, simd, kRounds), perRound * double(kRounds));
        ThreadPool pool(2);
        const auto peak = InstructionPeak::measure(precision, simd, 2, 10000, pool, nullptr);
        QVERIFY(peak.ok());
        QCOMPARE(peak->best > 0.0, simd != SimdLevel::Scalar);
        QVERIFY(peak->mean <= peak->best);
    }

    // Either schedule runs every index exactly once, in ranges that start on a multiple of the
    // grain; Even gives each of the threads one range, Balanced hands out ranges that shrink.
    void parallelForCoversEachIndexOnce_data()
    {
        QTest::addColumn<ThreadPool::Schedule>("schedule");
        QTest::addColumn<int>("threads");
        QTest::newRow("even, 3 threads") << ThreadPool::Schedule::Even << 3;
        QTest::newRow("balanced, 1 thread") << ThreadPool::Schedule::Balanced << 1;
        QTest::newRow("balanced, 3 threads") << ThreadPool::Schedule::Balanced << 3;
    }

    void parallelForCoversEachIndexOnce()
    {
        QFETCH(ThreadPool::Schedule, schedule);
        QFETCH(int, threads);
        ThreadPool pool(threads);
        constexpr std::size_t kCount = 1000;
        constexpr std::size_t kGrain = 16;
        for (int pass = 0; pass < 20; ++pass) {
            std::vector<std::atomic<int>> runs(kCount);
            std::mutex rangesMutex;
            std::vector<std::pair<std::size_t, std::size_t>> ranges;
            pool.parallelFor(kCount, [&](std::size_t begin, std::size_t end) {
                for (std::size_t i = begin; i < end; ++i)
                    runs[i].fetch_add(1);
                std::lock_guard lock(rangesMutex);
                ranges.emplace_back(begin, end);
            }, kGrain, schedule);
            for (const std::atomic<int> &count : runs)
                QCOMPARE(count.load(), 1);
            for (const auto &[begin, end] : ranges) {
                QCOMPARE(begin % kGrain, std::size_t{0});
                QVERIFY(end == kCount || end % kGrain == 0);
            }
            if (schedule == ThreadPool::Schedule::Even) {
                QCOMPARE(ranges.size(), std::size_t(threads));
            } else if (threads > 1) {
                // 63 grains: the first range is 63 / (2 x 3) = 10 grains, the last one grain.
                std::sort(ranges.begin(), ranges.end());
                QCOMPARE(ranges.front(), std::make_pair(std::size_t{0}, 10 * kGrain));
                QCOMPARE(ranges.back().second - ranges.back().first, kCount - 62 * kGrain);
            }
        }
    }

    // Bfloat16 keeps the top half of an fp32 value, rounded to nearest, ties to even.
    void bf16RoundsToNearestEven()
    {
        QCOMPARE(toBf16(1.0f), std::uint16_t{0x3F80});
        QCOMPARE(toBf16(-2.0f), std::uint16_t{0xC000});
        QCOMPARE(toBf16(1.0f + 1.0f / 256), std::uint16_t{0x3F80}); // halfway: to the even 0x3F80
        QCOMPARE(toBf16(1.0f + 3.0f / 256), std::uint16_t{0x3F82}); // halfway: to the even 0x3F82
        QCOMPARE(toBf16(1.0f + 1.5f / 256), std::uint16_t{0x3F81}); // past halfway: up
        QCOMPARE(fromBf16(0x4049), 3.140625f);
        QCOMPARE(bytesPerWeight(Precision::Bf16), 2.0);
    }

    // Half precision as IEEE 754 binary16 defines it: 10 mantissa bits, ties to even,
    // subnormals in units of 2^-24, and overflow to infinity.
    void halfRoundsToNearestEven()
    {
        QCOMPARE(toHalf(1.0f), std::uint16_t{0x3C00});
        QCOMPARE(toHalf(-2.0f), std::uint16_t{0xC000});
        QCOMPARE(toHalf(1.0f + 1.0f / 2048), std::uint16_t{0x3C00}); // halfway: to the even
        QCOMPARE(toHalf(1.0f + 3.0f / 2048), std::uint16_t{0x3C02}); // halfway: to the even
        QCOMPARE(toHalf(1.0f + 1.5f / 2048), std::uint16_t{0x3C01}); // past halfway: up
        QCOMPARE(toHalf(65504.0f), std::uint16_t{0x7BFF});            // the largest half
        QCOMPARE(toHalf(70000.0f), std::uint16_t{0x7C00});            // overflow: infinity
        QCOMPARE(toHalf(std::ldexp(1.0f, -24)), std::uint16_t{0x0001}); // smallest subnormal
        QCOMPARE(toHalf(std::ldexp(3.0f, -16)), std::uint16_t{0x0300});  // a subnormal
        QCOMPARE(fromHalf(0x3555), 0.333251953125f);
        QCOMPARE(fromHalf(0x0001), std::ldexp(1.0f, -24));
        QCOMPARE(fromHalf(0xC000), -2.0f);
        // 32 weights share 16 bytes of codes and a 2-byte scale.
        QCOMPARE(bytesPerWeight(Precision::Q4), 18.0 / 32.0);
        // Padded to a group of 16 rows and 3 blocks of 32 columns.
        QCOMPARE(matrixBytes(3, 65, Precision::Q4), 16 * 96 * 18.0 / 32.0);
    }

    // SwiGLU's activation, SiLU(gate) x up, at every SIMD level against SiLU computed in
    // double precision: within 8 units in the last place, or within 1e-36 where e^-x
    // overflows a float (x < -88.7, where |SiLU| < 3e-37); an odd length reaches the scalar
    // tail.
    void swiGluMatchesExpInDouble()
    {
        std::vector<float> gate;
        for (double x = -100.0; x <= 100.0; x += 0.37)
            gate.push_back(static_cast<float>(x));
        for (const float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 88.5f, -88.5f, 1e30f})
            gate.push_back(x);
        QVERIFY(gate.size() % 8 != 0);
        const std::vector<float> up = randomValues(gate.size(), 7);
        for (SimdLevel simd : kSimdLevels) {
            if (skipUnsupported(simd))
                continue;
            std::vector<float> out = gate;
            swiGlu(out.data(), up.data(), out.size(), simd);
            for (std::size_t j = 0; j < gate.size(); ++j) {
                const double x = gate[j];
                const double expected = x / (1.0 + std::exp(-x)) * double(up[j]);
                const double tolerance = std::max(
                    8.0 * std::numeric_limits<float>::epsilon() * std::abs(expected), 1e-36);
                QVERIFY2(std::abs(double(out[j]) - expected) <= tolerance,
                         qPrintable(QStringLiteral("%1 at x = %2: %3, expected %4")
                                        .arg(QLatin1String(simdName(simd)))
                                        .arg(x)
                                        .arg(double(out[j]))
                                        .arg(expected)));
            }
        }
    }

    // Causal attention for a prefill's queries against attention computed naively in double:
    // 37 queries (blocks of 16, 16 and 5 on AVX-512) after 5 cached positions, read from rows of
    // 83 floats. A plain head of 40 (two whole runs of 16 values and a ragged one), and a latent
    // one: keys of 46 scored at another scale, its values the first 40 of the same rows.
    void attendQueriesMatchNaive_data()
    {
        QTest::addColumn<bool>("latent");
        QTest::newRow("plain") << false;
        QTest::newRow("latent") << true;
    }

    void attendQueriesMatchNaive()
    {
        QFETCH(bool, latent);
        constexpr std::size_t kFirst = 5;
        constexpr std::size_t kCount = 37;
        constexpr std::size_t kLdq = 50;
        constexpr std::size_t kLdkv = 83;
        constexpr std::size_t kPositions = kFirst + kCount;
        const AttentionHead head =
            latent ? AttentionHead{46, 40, kLdkv, 0.3f} : plainHead(40, kLdkv);
        const std::vector<float> q = randomValues(kCount * kLdq, 31);
        // Keys scaled up so the softmax is far from uniform.
        std::vector<float> keys = randomValues(kPositions * kLdkv, 32);
        for (float &key : keys)
            key *= 4.0f;
        const std::vector<float> ownValues = randomValues(kPositions * kLdkv, 33);
        const std::vector<float> &values = latent ? keys : ownValues;
        std::vector<float> expected(kCount * head.valueDim);
        for (std::size_t i = 0; i < kCount; ++i) {
            const std::size_t context = kFirst + i + 1;
            std::vector<double> scores(context);
            for (std::size_t p = 0; p < context; ++p) {
                for (std::size_t d = 0; d < head.keyDim; ++d)
                    scores[p] += double(q[i * kLdq + d]) * double(keys[p * kLdkv + d]);
                scores[p] *= latent ? 0.3 : 1.0 / std::sqrt(40.0);
            }
            const double largest = *std::max_element(scores.begin(), scores.end());
            double total = 0.0;
            for (double &score : scores)
                total += (score = std::exp(score - largest));
            for (std::size_t d = 0; d < head.valueDim; ++d) {
                double sum = 0.0;
                for (std::size_t p = 0; p < context; ++p)
                    sum += scores[p] / total * double(values[p * kLdkv + d]);
                expected[i * head.valueDim + d] = static_cast<float>(sum);
            }
        }
        for (SimdLevel simd : kSimdLevels) {
            if (skipUnsupported(simd))
                continue;
            std::vector<float> out(kCount * head.valueDim, -7.0f);
            attendQueries(q.data(), kLdq, kCount, kFirst, keys.data(), values.data(), head,
                          out.data(), head.valueDim, simd);
            QVERIFY2(normalisedMse(out, expected) < kKernelTolerance, simdName(simd));
        }
    }

    // Int8 and q4 codes are repacked in groups of 16 rows: a group's block of 32 columns is 8
    // slices of 4 columns, each holding the 4 codes of all 16 rows side by side; q4 keeps slice
    // k in the low nibbles and slice k + 4 in the high nibbles of 64 bytes. Rows and columns
    // are padded with zero weights.
    void quantisedLayoutGroupsRows()
    {
        ThreadPool pool(1);
        Matrix q4(18, 40, Precision::Q4);
        QVERIFY(q4.fillRandom(7, pool));
        QCOMPARE(q4.groups(), std::size_t{2});
        QCOMPARE(q4.blocks(), std::size_t{2});
        QCOMPARE(q4.groupBlockBytes(), std::size_t{256});
        // Row 17 is row 1 of group 1; column 37 is column 5 of block 1: slice 1, byte 1.
        const std::uint8_t *group = q4.groupCodes(1);
        const float scale = fromHalf(q4.groupScales(1)[1 * 16 + 1]);
        QCOMPARE(q4.at(17, 37), scale * (float(group[256 + 64 + 1 * 4 + 1] & 0x0F) - 8.0f));
        // Column 49 is column 17 of block 1: slice 4, so slice 0's bytes, high nibble.
        QCOMPARE(q4.at(17, 49), scale * (float(group[256 + 0 + 1 * 4 + 1] >> 4) - 8.0f));
        // The block scale is a / 8 with a = 1/sqrt(40), to half precision.
        QCOMPARE(scale, fromHalf(toHalf(1.0f / std::sqrt(40.0f) / 8.0f)));
        // Padding: row 2 of group 1 (row 18) and columns 40 to 63 are code 8 (zero).
        QCOMPARE(group[2 * 4] & 0x0F, 8);
        QCOMPARE(q4.code(17, 45), 8u);
        QCOMPARE(fromHalf(q4.groupScales(1)[2]), 0.0f);

        Matrix int8(18, 40, Precision::Int8);
        QVERIFY(int8.fillRandom(7, pool));
        QCOMPARE(int8.groupBlockBytes(), std::size_t{512});
        const std::uint8_t *bytes = int8.groupCodes(1);
        QCOMPARE(int8.at(17, 37), int8.scale(17) * (float(bytes[512 + 64 + 1 * 4 + 1]) - 128.0f));
        QCOMPARE(int8.code(17, 45), 128u);
        QCOMPARE(int8.scale(17), 1.0f / std::sqrt(40.0f) / 127.0f);
        // A row's values depend on its seed and index only, not on the group it was filled in.
        Matrix single(1, 40, Precision::Int8);
        Matrix many(40, 40, Precision::Int8);
        QVERIFY(single.fillRandom(9, pool) && many.fillRandom(9, pool));
        for (std::size_t col = 0; col < 40; ++col)
            QCOMPARE(many.at(0, col), single.at(0, col));
    }

    // Fp32 and bf16 weights are stored in groups of 16 rows: fp32 a column of the 16 rows at a
    // time, bf16 a pair of columns, each row's pair in a 32-bit lane with the even column in
    // the low half. Rows, and bf16's odd column, are padded with zeros.
    void floatLayoutGroupsRows()
    {
        ThreadPool pool(1);
        Matrix fp32(18, 41, Precision::Fp32);
        Matrix bf16(18, 41, Precision::Bf16);
        QVERIFY(fp32.fillRandom(7, pool) && bf16.fillRandom(7, pool));
        QCOMPARE(bf16.groups(), std::size_t{2});
        QCOMPARE(bf16.pairs(), std::size_t{21});
        QCOMPARE(matrixBytes(18, 41, Precision::Fp32), 32.0 * 41.0 * 4.0);
        QCOMPARE(matrixBytes(18, 41, Precision::Bf16), 32.0 * 42.0 * 2.0);
        // Row 17's values: a pair per draw of its generator (seeded as fillRandom documents),
        // times a = 1/sqrt(41). Columns 36 and 37 are pair 18.
        SplitMix random(7 * 0x100000001b3ULL + 17);
        float even = 0.0f;
        float odd = 0.0f;
        for (int p = 0; p <= 18; ++p)
            random.nextSignedPair(even, odd);
        const float amplitude = 1.0f / std::sqrt(41.0f);
        QCOMPARE(fp32.groupColumns(1)[36 * 16 + 1], amplitude * even);
        QCOMPARE(fp32.groupColumns(1)[37 * 16 + 1], amplitude * odd);
        QCOMPARE(fp32.at(17, 37), amplitude * odd);
        const std::uint32_t pair = bf16.groupPairs(1)[18 * 16 + 1];
        QCOMPARE(pair & 0xFFFFu, std::uint32_t{toBf16(amplitude * even)});
        QCOMPARE(pair >> 16, std::uint32_t{toBf16(amplitude * odd)});
        QCOMPARE(bf16.at(17, 36), fromBf16(toBf16(amplitude * even)));
        QCOMPARE(bf16.at(17, 37), fromBf16(toBf16(amplitude * odd)));
        // Padding: row 18 (row 2 of group 1) and bf16's column 41 (the odd half of pair 20).
        QCOMPARE(fp32.groupColumns(1)[5 * 16 + 2], 0.0f);
        QCOMPARE(bf16.groupPairs(1)[5 * 16 + 2], 0u);
        QCOMPARE(bf16.groupPairs(0)[20 * 16 + 3] >> 16, 0u);
        QVERIFY(bf16.at(3, 40) != 0.0f && fp32.at(3, 40) != 0.0f);
    }

    void kernelsMatchReference_data()
    {
        QTest::addColumn<Precision>("precision");
        QTest::addColumn<SimdLevel>("simd");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("tokens");
        for (Precision precision : kPrecisions) {
            for (SimdLevel simd : kSimdLevels) {
                const char *p = precisionName(precision);
                const char *s = simdName(simd);
                QTest::addRow("%s-%s-aligned", p, s) << precision << simd << 64 << 128 << 12;
                QTest::addRow("%s-%s-ragged", p, s) << precision << simd << 37 << 71 << 7;
                QTest::addRow("%s-%s-one-token", p, s) << precision << simd << 19 << 33 << 1;
                // Longer than one 2048-column chunk of the GEMM, with a ragged last chunk.
                QTest::addRow("%s-%s-long-rows", p, s) << precision << simd << 13 << 2100 << 8;
                // Past one span of int8 integer sums (1024 blocks, then a ragged one), with
                // whole 16-token int8 tiles.
                QTest::addRow("%s-%s-two-spans", p, s) << precision << simd << 21 << 33000 << 16;
                // The same for decode, whose two streams need two whole row groups.
                QTest::addRow("%s-%s-two-spans-one-token", p, s)
                    << precision << simd << 32 << 33000 << 1;
                // More tokens than a tile of any kernel takes, split evenly (17 + 16 for fp32 and
                // bf16 on AVX-512, 3 x 11 for int8 on VNNI, 5 x 7 for q4, 9 x 4 on AVX2).
                QTest::addRow("%s-%s-33-tokens", p, s) << precision << simd << 35 << 100 << 33;
                // Every tile width (up to 24 tokens), with odd and even row lengths.
                for (int tokens = 2; tokens <= 24; ++tokens) {
                    QTest::addRow("%s-%s-%d-tokens", p, s, tokens)
                        << precision << simd << 23 << 17 + 3 * tokens << tokens;
                }
            }
        }
    }

    void kernelsMatchReference()
    {
        QFETCH(Precision, precision);
        QFETCH(SimdLevel, simd);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, tokens);
        if (skipUnsupported(simd))
            QSKIP("this CPU cannot run these kernels");
        ThreadPool pool(2);
        const auto r = static_cast<std::size_t>(rows);
        const auto c = static_cast<std::size_t>(cols);
        const auto t = static_cast<std::size_t>(tokens);
        Matrix w(r, c, precision);
        QVERIFY(w.fillRandom(3, pool));
        const std::vector<float> x = randomValues(t * c, 5);

        std::vector<float> y(r);
        matVec(w, x.data(), y.data(), simd, pool);
        const std::vector<float> firstToken(x.begin(), x.begin() + cols);
        QVERIFY2(normalisedMse(y, referenceMatVec(w, firstToken)) < kKernelTolerance, "matVec");
        // Int8 and q4 decode quantise activations (per token, per 32-block): bounded error
        // against fp32 activations.
        const std::vector<float> exact = referenceMatVecFp32Activations(w, firstToken);
        QVERIFY2(normalisedMse(y, exact) < kQuantisedActivationTolerance, "matVec vs fp32 x");
        std::vector<float> rowDots(r);
        for (std::size_t row = 0; row < r; ++row)
            rowDots[row] = dotRow(w, row, firstToken.data(), simd);
        QVERIFY2(normalisedMse(rowDots, exact) < kKernelTolerance, "dotRow with fp32 x");

        std::vector<float> yy(t * r);
        gemm(w, x.data(), c, t, yy.data(), r, simd, pool);
        QVERIFY2(normalisedMse(yy, referenceGemm(w, x, t, simd)) < kKernelTolerance, "gemm");

        std::vector<float> accumulated = randomValues(c, 11);
        std::vector<float> expectedSum(c);
        for (std::size_t j = 0; j < c; ++j)
            expectedSum[j] = static_cast<float>(0.75 * double(x[j]) + double(accumulated[j]));
        axpy(0.75f, x.data(), accumulated.data(), c, simd);
        QVERIFY2(normalisedMse(accumulated, expectedSum) < kKernelTolerance, "axpy");

        const std::vector<float> weight = randomValues(c, 9);
        std::vector<float> normed(c);
        rmsNorm(firstToken.data(), weight.data(), normed.data(), c, 1e-6f);
        QVERIFY2(normalisedMse(normed, referenceRmsNorm(firstToken, weight, 1e-6f)) <
                     kKernelTolerance,
                 "rmsNorm");
    }

    // Matrices that take the same tokens in one call (query, key and value; gate and up), with
    // row counts that are not whole groups of 16, each into its own strided output: every
    // product matches the reference, on the pool and on the calling thread.
    void productsShareTheirTokens_data()
    {
        QTest::addColumn<Precision>("precision");
        QTest::addColumn<SimdLevel>("simd");
        for (Precision precision : kPrecisions) {
            for (SimdLevel simd : kSimdLevels)
                QTest::addRow("%s-%s", precisionName(precision), simdName(simd))
                    << precision << simd;
        }
    }

    void productsShareTheirTokens()
    {
        QFETCH(Precision, precision);
        QFETCH(SimdLevel, simd);
        if (skipUnsupported(simd))
            QSKIP("this CPU cannot run these kernels");
        ThreadPool pool(2);
        constexpr std::size_t kCols = 70;
        constexpr std::size_t kTokens = 13;
        const std::size_t rows[] = {37, 16, 5};
        std::vector<Matrix> matrices;
        for (std::size_t i = 0; i < 3; ++i) {
            matrices.emplace_back(rows[i], kCols, precision);
            QVERIFY(matrices.back().fillRandom(20 + i, pool));
        }
        const std::vector<float> x = randomValues(kTokens * kCols, 6);
        for (const bool onPool : {true, false}) {
            std::vector<std::vector<float>> outputs;
            std::vector<Product> products;
            for (std::size_t i = 0; i < 3; ++i)
                outputs.emplace_back(kTokens * (rows[i] + 3), -1.0f);
            for (std::size_t i = 0; i < 3; ++i)
                products.push_back({&matrices[i], outputs[i].data(), rows[i] + 3});
            if (onPool)
                gemm(products, x.data(), kCols, kTokens, simd, pool);
            else
                gemmOnThisThread(products, x.data(), kCols, kTokens, simd);
            for (std::size_t i = 0; i < 3; ++i) {
                std::vector<float> y(kTokens * rows[i]);
                for (std::size_t t = 0; t < kTokens; ++t) {
                    std::copy_n(outputs[i].begin() + t * (rows[i] + 3), rows[i],
                                y.begin() + t * rows[i]);
                    // The 3 floats past each token's rows are not written.
                    for (std::size_t k = 0; k < 3; ++k)
                        QCOMPARE(outputs[i][t * (rows[i] + 3) + rows[i] + k], -1.0f);
                }
                QVERIFY2(normalisedMse(y, referenceGemm(matrices[i], x, kTokens, simd)) <
                             kKernelTolerance,
                         onPool ? "on the pool" : "on this thread");
            }
        }
    }

    void blockMatchesReference_data()
    {
        QTest::addColumn<Precision>("precision");
        QTest::addColumn<SimdLevel>("simd");
        QTest::addColumn<Gating>("gating");
        QTest::addColumn<bool>("dense");
        QTest::addColumn<std::size_t>("latentQueryRank"); // kNoLatent: grouped-query attention
        for (Precision precision : kPrecisions) {
            for (SimdLevel simd : kSimdLevels) {
                const char *p = precisionName(precision);
                const char *s = simdName(simd);
                QTest::addRow("%s-%s-softmax", p, s)
                    << precision << simd << Gating::Softmax << false << kNoLatent;
                QTest::addRow("%s-%s-sigmoid", p, s)
                    << precision << simd << Gating::SigmoidWithBias << false << kNoLatent;
                QTest::addRow("%s-%s-dense", p, s)
                    << precision << simd << Gating::Softmax << true << kNoLatent;
                QTest::addRow("%s-%s-latent", p, s)
                    << precision << simd << Gating::Softmax << false << std::size_t{0};
                QTest::addRow("%s-%s-latent-compressed-query", p, s)
                    << precision << simd << Gating::Softmax << false << std::size_t{16};
            }
        }
    }

    void blockMatchesReference()
    {
        QFETCH(Precision, precision);
        QFETCH(SimdLevel, simd);
        QFETCH(Gating, gating);
        QFETCH(bool, dense);
        QFETCH(std::size_t, latentQueryRank);
        if (skipUnsupported(simd))
            QSKIP("this CPU cannot run these kernels");
        ThreadPool pool(2);
        ModelPlan plan;
        const bool latent = latentQueryRank != kNoLatent;
        plan.shape = latent ? tinyLatentShape(latentQueryRank) : tinyShape(gating);
        // The reference quantises the same activations, but computes them in double: a value
        // within rounding of a quantisation step can take the neighbouring code in one of the
        // two, which moves the logits by about 1e-5 (seen at q4 with latent attention). A bf16
        // prefill on bf16 dot products rounds its activations to bf16, which the decoding
        // reference does not: about 1e-6. A wrong row, head or scale moves them by about 1.
        const bool roundedActivations =
            quantisesActivations(precision) ||
            (precision == Precision::Bf16 && bf16DotProducts(simd));
        const double tolerance =
            roundedActivations ? kQuantisedActivationTolerance : kBlockTolerance;
        plan.precision = precision;
        plan.layers = 2;
        plan.expertsAllocated = 5; // fewer than the 8 the router chooses among
        plan.dense = dense;
        plan.denseFfn = 48;
        plan.equalActiveDenseFfn = 40;
        plan.maxContext = 16;
        auto model = MoeModel::build(plan, 17, pool, nullptr);
        QVERIFY(model.ok());
        const std::size_t hidden = plan.shape.hidden;
        const std::size_t tokens = 6;
        const std::vector<float> embeddings = randomValues(tokens * hidden, 23);
        auto embedding = [&](std::size_t t) {
            return std::vector<float>(
                embeddings.begin() + static_cast<std::ptrdiff_t>(t * hidden),
                embeddings.begin() + static_cast<std::ptrdiff_t>((t + 1) * hidden));
        };

        ReferenceModel reference(*model.value(), FfnPath::Planned);
        std::vector<float> logits;
        std::vector<float> expected;
        for (std::size_t t = 0; t < tokens; ++t) {
            expected = reference.decode(embedding(t));
            QVERIFY(model.value()->decode(embedding(t).data(), logits, simd, pool, nullptr).ok());
            const double error = normalisedMse(logits, expected);
            QVERIFY2(error < tolerance, qPrintable(QStringLiteral("decode step %1: %2")
                                                             .arg(t)
                                                             .arg(error)));
        }
        model.value()->setCacheLength(0);
        QVERIFY(
            model.value()->prefill(embeddings.data(), tokens, logits, simd, pool, nullptr).ok());
        const double error = normalisedMse(logits, expected);
        QVERIFY2(error < tolerance, qPrintable(QStringLiteral("prefill: %1").arg(error)));

        // The dense FFN of equal active size, behind the same attention.
        ReferenceModel denseReference(*model.value(), FfnPath::EqualActiveDense);
        for (std::size_t t = 0; t < tokens; ++t)
            expected = denseReference.decode(embedding(t));
        model.value()->setCacheLength(0);
        QVERIFY(model.value()
                    ->prefill(embeddings.data(), tokens, logits, simd, pool, nullptr,
                              FfnPath::EqualActiveDense)
                    .ok());
        const double denseError = normalisedMse(logits, expected);
        QVERIFY2(denseError < tolerance,
                 qPrintable(QStringLiteral("equal-active dense prefill: %1").arg(denseError)));
    }

    void routerTopK_data()
    {
        QTest::addColumn<Gating>("gating");
        QTest::addColumn<QList<float>>("logits");
        QTest::addColumn<QList<float>>("bias");
        QTest::addColumn<bool>("normalise");
        QTest::addColumn<float>("scale");
        QTest::addColumn<QList<int>>("experts");
        QTest::addColumn<QList<double>>("weights");
        // softmax([1,2,3,0]) = [0.0871, 0.2369, 0.6439, 0.0321]
        QTest::newRow("softmax") << Gating::Softmax << QList<float>{1, 2, 3, 0} << QList<float>{}
                                 << false << 1.0f << QList<int>{2, 1}
                                 << QList<double>{0.6439142599, 0.2368828181};
        QTest::newRow("softmax-normalised")
            << Gating::Softmax << QList<float>{1, 2, 3, 0} << QList<float>{} << true << 1.0f
            << QList<int>{2, 1} << QList<double>{0.7310585786, 0.2689414214};
        QTest::newRow("softmax-tie-lower-index")
            << Gating::Softmax << QList<float>{1, 1, 0} << QList<float>{} << false << 1.0f
            << QList<int>{0} << QList<double>{0.4223187982};
        // sigmoid([0,1,-1,2]) = [0.5, 0.7311, 0.2689, 0.8808]; with bias the ranking is
        // [1.0, 0.7311, 1.1689, 0.8808], so experts 2 and 0 win while the weights use the
        // unbiased scores: 2.5 * [0.2689, 0.5] / 0.7689.
        QTest::newRow("sigmoid-bias")
            << Gating::SigmoidWithBias << QList<float>{0, 1, -1, 2}
            << QList<float>{0.5f, 0, 0.9f, 0} << true << 2.5f << QList<int>{2, 0}
            << QList<double>{0.8743885226, 1.6256114774};
        QTest::newRow("sigmoid-no-bias")
            << Gating::SigmoidWithBias << QList<float>{0, 1, -1, 2} << QList<float>{} << false
            << 1.0f << QList<int>{3, 1} << QList<double>{0.8807970780, 0.7310585786};
    }

    void routerTopK()
    {
        QFETCH(Gating, gating);
        QFETCH(QList<float>, logits);
        QFETCH(QList<float>, bias);
        QFETCH(bool, normalise);
        QFETCH(float, scale);
        QFETCH(QList<int>, experts);
        QFETCH(QList<double>, weights);
        RouterRule rule{gating, static_cast<std::size_t>(experts.size()), normalise, scale};
        const auto chosen = routeTopK(std::vector<float>(logits.begin(), logits.end()),
                                      std::vector<float>(bias.begin(), bias.end()), rule);
        QCOMPARE(chosen.size(), static_cast<std::size_t>(experts.size()));
        for (qsizetype i = 0; i < experts.size(); ++i) {
            const auto index = static_cast<std::size_t>(i);
            QCOMPARE(chosen[index].expert, static_cast<std::size_t>(experts[i]));
            QVERIFY(std::abs(static_cast<double>(chosen[index].weight) - weights[i]) < 1e-6);
        }
    }

    void mapToAllocatedKeepsKDistinct()
    {
        const auto mapped = mapToAllocated({{5, 0.5f}, {1, 0.25f}, {9, 0.25f}}, 4);
        QCOMPARE(mapped.size(), std::size_t{3});
        QCOMPARE(mapped[0].expert, std::size_t{1});
        QCOMPARE(mapped[1].expert, std::size_t{2});
        QCOMPARE(mapped[2].expert, std::size_t{3});
        QCOMPARE(mapped[1].weight, 0.25f);
    }

    void bytesAndFlopsPerToken_data()
    {
        QTest::addColumn<Precision>("precision");
        QTest::addColumn<double>("layerBytes");
        QTest::addColumn<double>("layerFlops");
        QTest::addColumn<double>("headBytes");
        // hidden 4, heads 2, kv heads 1, head dim 2, experts 4 of ffn 3, top-2, 1 shared,
        // vocab 5, context 3. fp32: each matrix padded to 16 rows: attention 4*(16*4*4) +
        // norms 32 = 1,056, KV 2*4*3*2 = 48, router 4*16 = 64 (counted as the model has it),
        // three FFNs 3*(2*256 + 16*3*4) = 2,112; head 16*4*4 + 16. int8: each matrix padded to
        // 16 rows of 32 codes (512 bytes) plus 4 bytes a real row: attention 528 + 520 + 520 +
        // 528, FFNs 3*(2*524 + 528); head 512 + 20 + 16.
        QTest::newRow("fp32") << Precision::Fp32 << 3280.0 << 392.0 << 272.0;
        QTest::newRow("int8") << Precision::Int8 << 6968.0 << 392.0 << 548.0;
        // bf16: 2 bytes a weight, each matrix padded to 16 rows of 4 columns (128 bytes); norms,
        // cache and router stay fp32. Attention 4*128 + norms 32 + KV 48 + router 64 +
        // 3*3*128 = 1,808; head 128 + 16.
        QTest::newRow("bf16") << Precision::Bf16 << 1808.0 << 392.0 << 144.0;
        // q4: 18 bytes per 32 weights, each matrix padded to 16 rows of 32: 288 bytes.
        // Attention 4*288 + norms 32 + KV 48 + router 64 + 3*3*288 = 3,888; head 288 + 16.
        QTest::newRow("q4") << Precision::Q4 << 3888.0 << 392.0 << 304.0;
    }

    void bytesAndFlopsPerToken()
    {
        QFETCH(Precision, precision);
        QFETCH(double, layerBytes);
        QFETCH(double, layerFlops);
        QFETCH(double, headBytes);
        ModelShape shape;
        shape.layers = 2;
        shape.hidden = 4;
        shape.heads = 2;
        shape.kvHeads = 1;
        shape.headDim = 2;
        shape.expertFfn = 3;
        shape.routedExperts = 4;
        shape.topK = 2;
        shape.sharedExperts = 1;
        shape.vocab = 5;
        const TokenCost layer = decodeLayerCost(shape, precision, 3, true);
        QCOMPARE(layer.bytes, layerBytes);
        QCOMPARE(layer.flops, layerFlops);
        // The parts a decode step times, by hand as above (fp32): attention 1,056 + KV 48,
        // router 64, FFNs 2,112; int8 leaves the fp32 router, norms and cache as they are.
        const DecodeLayerParts parts = decodeLayerParts(shape, precision, 3, true);
        QCOMPARE(parts.router.bytes, 64.0);
        QCOMPARE(parts.attention.bytes + parts.router.bytes + parts.ffn.bytes, layerBytes);
        if (precision == Precision::Fp32)
            QCOMPARE(parts.ffn.bytes, 2112.0);
        const TokenCost head = headCost(shape, precision);
        QCOMPARE(head.bytes, headBytes);
        QCOMPARE(head.flops, 40.0);
        // active = 2 layers * (48 attention + 8 norms + 3*36 FFN + 16 router) + 20 head + 4 norm
        QCOMPARE(activeParams(shape), 2.0 * (48 + 8 + 108 + 16) + 24.0);
        QCOMPARE(totalParams(shape), 2.0 * (48 + 8 + 5 * 36 + 16) + 44.0);
    }

    void presetsAreConsistent_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("totalBillions");
        QTest::addColumn<double>("activeBillions");
        QTest::addColumn<double>("activeTolerance");
        // Published parameter counts; active counts here leave out the embedding table, which
        // OLMoE's and Qwen3's published active counts include. The DeepSeek presets run
        // multi-head latent attention, so their counts are the papers' 37B and 2.4B.
        QTest::newRow("olmoe") << QStringLiteral("olmoe-1b-7b") << 6.9 << 1.3 << 0.10;
        QTest::newRow("qwen3") << QStringLiteral("qwen3-30b-a3b") << 30.5 << 3.3 << 0.10;
        QTest::newRow("mixtral") << QStringLiteral("mixtral-8x7b") << 46.7 << 12.9 << 0.03;
        QTest::newRow("deepseek-v2-lite")
            << QStringLiteral("deepseek-v2-lite") << 15.7 << 2.4 << 0.03;
        QTest::newRow("deepseek-v3") << QStringLiteral("deepseek-v3") << 671.0 << 37.0 << 0.03;
    }

    void presetsAreConsistent()
    {
        QFETCH(QString, name);
        QFETCH(double, totalBillions);
        QFETCH(double, activeBillions);
        QFETCH(double, activeTolerance);
        const ModelShape *shape = findPreset(name.toStdString());
        QVERIFY(shape);
        QVERIFY(std::abs(totalParams(*shape) / 1e9 - totalBillions) / totalBillions < 0.05);
        QVERIFY(std::abs(activeParams(*shape) / 1e9 - activeBillions) / activeBillions <
                activeTolerance);
    }

    void presetsAgreeWithStore_data()
    {
        QTest::addColumn<QString>("entity");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QStringList>("skipped");
        QTest::newRow("deepseek-v3")
            << QStringLiteral("DeepSeek-V3") << QStringLiteral("deepseek-v3") << QStringList{};
        QTest::newRow("deepseek-v2-lite") << QStringLiteral("DeepSeek-V2-Lite")
                                          << QStringLiteral("deepseek-v2-lite") << QStringList{};
        QTest::newRow("mixtral")
            << QStringLiteral("Mixtral 8x7B") << QStringLiteral("mixtral-8x7b") << QStringList{};
        // The preset's vocabulary is config.json's vocab_size (151936, the output head's rows);
        // the store holds the tokenizer's 151669 tokens.
        QTest::newRow("qwen3") << QStringLiteral("Qwen3-30B-A3B") << QStringLiteral("qwen3-30b-a3b")
                               << QStringList{QStringLiteral("Vocabulary size")};
        QTest::newRow("olmoe")
            << QStringLiteral("OLMoE-1B-7B") << QStringLiteral("olmoe-1b-7b") << QStringList{};
    }

    // Every shape figure the store holds for a preset's model must match one preset number (a
    // metric may have several figures, e.g. tokenizer and config vocabulary sizes).
    void presetsAgreeWithStore()
    {
        QFETCH(QString, entity);
        QFETCH(QString, preset);
        QFETCH(QStringList, skipped);
        QFile file(QStringLiteral(CLIFF_DATASETS_DIR "/figures/moe_models.csv"));
        if (!file.open(QIODevice::ReadOnly))
            QSKIP("moe_models.csv not present");
        const QByteArray bytes = file.readAll();
        auto records = cliff::csv::parse(std::string_view(bytes.constData(),
                                                          static_cast<std::size_t>(bytes.size())),
                                         "moe_models.csv");
        QVERIFY(records.ok());
        const ModelShape *shape = findPreset(preset.toStdString());
        QVERIFY(shape);
        const std::map<std::string, double> expected = {
            {"Layers", static_cast<double>(shape->layers)},
            {"Hidden size", static_cast<double>(shape->hidden)},
            {"Attention heads", static_cast<double>(shape->heads)},
            {"KV heads", static_cast<double>(shape->kvHeads)},
            {"Shared experts", static_cast<double>(shape->sharedExperts)},
            {"Routed experts", static_cast<double>(shape->routedExperts)},
            {"Expert FFN size", static_cast<double>(shape->expertFfn)},
            {"Experts per token", static_cast<double>(shape->topK)},
            {"Dense layers", static_cast<double>(shape->denseLayers)},
            {"Dense FFN size", static_cast<double>(shape->denseFfn)},
            {"Vocabulary size", static_cast<double>(shape->vocab)},
            {"KV compression (latent) dimension", static_cast<double>(shape->kvLoraRank)},
            {"Query compression (latent) dimension", static_cast<double>(shape->qLoraRank)},
            {"Decoupled RoPE head dimension", static_cast<double>(shape->ropeHeadDim)},
            {"Value head dimension", static_cast<double>(shape->valueHeadDim)},
        };
        std::map<std::string, bool> matched;
        for (const auto &record : records.value()) {
            if (record.fields.size() < 5 || record.fields[2] != entity.toStdString())
                continue;
            const auto it = expected.find(record.fields[3]);
            if (it == expected.end() || skipped.contains(QString::fromStdString(it->first)))
                continue;
            matched.try_emplace(it->first, false);
            if (std::stod(record.fields[4]) == it->second)
                matched[it->first] = true;
        }
        QVERIFY(!matched.empty());
        for (const auto &[metric, ok] : matched)
            QVERIFY2(ok, metric.c_str());
    }

    void scalingKeepsPerTokenShapes()
    {
        BenchConfig config = quickConfig();
        config.shape = *findPreset("olmoe-1b-7b");
        config.weightBudgetBytes = 0.0;
        config.memoryMarginBytes = 0.0;
        config.cacheBytesOverride = 32.0 * 1024 * 1024;
        auto plan = planScaling(config, 64.0 * (1ULL << 30), config.cacheBytesOverride);
        QVERIFY(plan.ok());
        QVERIFY(plan->scaled);
        QCOMPARE(plan->layersAllocated, std::size_t{2});
        QVERIFY(plan->expertsAllocated >= config.shape.topK);
        QVERIFY(plan->expertsAllocated < config.shape.routedExperts);
        QVERIFY(plan->weightBytes >= 8.0 * config.cacheBytesOverride);
        QVERIFY(!plan->description.empty());

        // A scaled model built from the plan keeps every per-token matrix shape.
        ModelShape small = tinyShape();
        ModelPlan modelPlan;
        modelPlan.shape = small;
        modelPlan.layers = 2;
        modelPlan.expertsAllocated = small.topK;
        modelPlan.maxContext = 4;
        ThreadPool pool(1);
        auto model = MoeModel::build(modelPlan, 1, pool, nullptr);
        QVERIFY(model.ok());
        const LayerWeights &layer = model.value()->layer(0);
        QCOMPARE(layer.routed.size(), small.topK);
        QCOMPARE(layer.router.rows(), small.routedExperts);
        QCOMPARE(layer.wq.rows(), small.heads * small.headDim);
        QCOMPARE(layer.wk.rows(), small.kvHeads * small.headDim);
        QCOMPARE(layer.routed[0].gate.rows(), small.expertFfn);
        QCOMPARE(layer.routed[0].down.rows(), small.hidden);
        QCOMPARE(layer.shared.size(), small.sharedExperts);
        QCOMPARE(model.value()->head().rows(), small.vocab);
    }

    void refusesWhenTooBig_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<double>("availableGiB");
        QTest::newRow("deepseek-v3-in-4GiB") << QStringLiteral("deepseek-v3") << 4.0;
        QTest::newRow("mixtral-in-2GiB") << QStringLiteral("mixtral-8x7b") << 2.0;
    }

    void refusesWhenTooBig()
    {
        QFETCH(QString, preset);
        QFETCH(double, availableGiB);
        BenchConfig config = quickConfig();
        config.shape = *findPreset(preset.toStdString());
        config.availableBytesOverride = availableGiB * (1ULL << 30);
        auto plan = planScaling(config, config.availableBytesOverride, 32e6);
        QVERIFY(!plan.ok());
        QVERIFY(plan.error().message.find("needs at least") != std::string::npos);
        auto report = runBenchmark(config, {}, nullptr);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().field, std::string("preset"));
    }

    // The phases a decode step times are disjoint parts of it: they count every step, their sum
    // fits inside the wall time around the steps, and a phase's waiting fits inside the phase.
    void decodePhasesAreDisjointPartsOfTheSteps()
    {
        ThreadPool pool(2);
        ModelPlan plan;
        plan.shape = tinyShape();
        plan.layers = 2;
        plan.expertsAllocated = 8;
        plan.maxContext = 16;
        auto model = MoeModel::build(plan, 5, pool, nullptr);
        QVERIFY(model.ok());
        const std::vector<float> embedding = randomValues(plan.shape.hidden, 9);
        std::vector<float> logits;
        QVERIFY(model.value()->decode(embedding.data(), logits, detectSimd(), pool, nullptr).ok());
        (void)model.value()->takeDecodePhases(); // a fresh count starts here
        const auto start = std::chrono::steady_clock::now();
        for (int step = 0; step < 10; ++step)
            QVERIFY(model.value()->decode(embedding.data(), logits, detectSimd(), pool, nullptr).ok());
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const DecodePhases phases = model.value()->takeDecodePhases();
        QCOMPARE(phases.steps, std::size_t{10});
        double timed = 0.0;
        for (const PhaseSeconds &phase : {phases.attention, phases.router, phases.experts, phases.head}) {
            QVERIFY(phase.total > 0.0);
            QVERIFY(phase.waiting >= 0.0 && phase.waiting <= phase.total);
            timed += phase.total;
        }
        QVERIFY2(timed <= wall, qPrintable(QStringLiteral("%1 s timed in %2 s").arg(timed).arg(wall)));
        QCOMPARE(model.value()->takeDecodePhases().steps, std::size_t{0});
    }

    void runsEndToEnd()
    {
        BenchConfig config = quickConfig();
        int progressCalls = 0;
        double lastFraction = 0.0;
        auto report = runBenchmark(
            config,
            [&](double fraction, const std::string &) {
                ++progressCalls;
                lastFraction = fraction;
            },
            nullptr);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
        QCOMPARE(report->decodeTokensPerSecond.values.size(), std::size_t{2});
        QVERIFY(report->decodeTokensPerSecond.mean > 0.0);
        QVERIFY(report->prefillTokensPerSecond.mean > 0.0);
        QVERIFY(report->triadGbPerSecond > 0.0);
        QVERIFY(report->gemmPeakGflopsPerSecond > 0.0);
        // Each ceiling keeps the probe run before each repetition, so its steadiness can be told.
        QCOMPARE(report->readGbPerSecond.values.size(), std::size_t{2});
        QCOMPARE(report->instructionPeakGflopsPerSecond.values.size(), std::size_t{2});
        // The waterfall starts at the token's bytes at the read-only bandwidth.
        QCOMPARE(report->decodeWaterfall.roofline,
                 report->decodeBytesPerToken / (report->readGbPerSecond.mean * 1e9));
        QVERIFY(report->decodeWaterfall.waiting >= 0.0);
        QVERIFY(report->denseOverMoeTimeRatio > 0.0);
        QVERIFY(report->moeOverDensePrefillEqualActive > 0.0);
        // Timed in turn with the MoE prefill, once per repetition.
        QCOMPARE(report->denseEqualActivePrefillTokensPerSecond.values.size(), std::size_t{2});
        QCOMPARE(report->prefillTokensPerSecond.values.size(), std::size_t{2});
        QVERIFY(report->denseOverMoeBytesRatio > 1.0);
        QVERIFY(progressCalls > 3);
        QCOMPARE(lastFraction, 1.0);
    }

    // A cancel is honoured at every stage of a run, setup included. How soon is a speed, which
    // the cliff-bench-cancel harness prints; here only the outcome counts. 60,000 decode tokens
    // reserve a large KV cache, which the run must not fill before it can stop.
    void cancelStopsARun_data()
    {
        QTest::addColumn<QString>("stage");
        QTest::addColumn<std::size_t>("decodeTokens");
        QTest::newRow("bandwidth probe") << QStringLiteral("allocating the bandwidth probe")
                                         << std::size_t{60000};
        QTest::newRow("GEMM probe") << QStringLiteral("allocating the GEMM probe")
                                    << std::size_t{60000};
        QTest::newRow("weights") << QStringLiteral("allocating MoE weights") << std::size_t{60000};
        QTest::newRow("prefill and decode")
            << QStringLiteral("MoE and dense prefill, MoE decode") << std::size_t{60000};
        // Reached only after the MoE model's repetitions, so with a shorter decode.
        QTest::newRow("dense decode") << QStringLiteral("dense decode") << std::size_t{64};
    }

    void cancelStopsARun()
    {
        QFETCH(QString, stage);
        QFETCH(std::size_t, decodeTokens);
        BenchConfig config = quickConfig();
        config.shape.hidden = 256;
        config.shape.expertFfn = 256;
        config.shape.vocab = 4000;
        config.decodeTokens = decodeTokens;
        config.prefillTokens = 16;
        config.repetitions = 2;
        std::atomic<bool> cancel{false};
        std::vector<std::string> stages;
        auto report = runBenchmark(
            config,
            [&](double, const std::string &name) {
                stages.push_back(name);
                if (name == stage.toStdString())
                    cancel = true;
            },
            &cancel);
        QVERIFY(std::find(stages.begin(), stages.end(), stage.toStdString()) != stages.end());
        QVERIFY(!report.ok());
        QCOMPARE(report.error().message, std::string("benchmark cancelled"));
        // Nothing ran past the stage the cancel came in.
        QCOMPARE(stages.back(), stage.toStdString());
    }

    // A large array is zero and costs no memory until it is written: a KV cache reserved for a
    // long context is not filled before the first token.
    void largeArraysStartZeroAndUncommitted()
    {
        constexpr std::size_t kCount = std::size_t{64} << 20; // 256 MiB of floats
        const double before = residentMemoryBytes();
        LargeArray<float> values(kCount);
        QCOMPARE(values.size(), kCount);
        QVERIFY(residentMemoryBytes() - before < 16.0 * (1 << 20));
        // Each written page is committed on its own.
        values[kCount / 2] = 1.0f;
        QVERIFY(residentMemoryBytes() - before < 16.0 * (1 << 20));
        QCOMPARE(values[kCount / 2], 1.0f);
        for (std::size_t i = 0; i < kCount; i += 1 << 20)
            QCOMPARE(values[i], i == kCount / 2 ? 1.0f : 0.0f);
        QCOMPARE(values[kCount - 1], 0.0f);
        LargeArray<std::int8_t> small(100);
        QCOMPARE(small[99], std::int8_t{0});
        QVERIFY(LargeArray<float>().empty());
    }

    // An arena hands out zeroed buffers one after another on cache lines, opening a new 64 MiB
    // chunk when one is full; a buffer larger than a chunk gets its own memory.
    void arenaBuffersFollowEachOther()
    {
        const double before = residentMemoryBytes();
        LargeArena arena;
        QVERIFY(arena.take(0) == nullptr);
        std::byte *first = arena.take(1000);
        std::byte *second = arena.take(64);
        QCOMPARE(reinterpret_cast<std::uintptr_t>(first) % 64, std::uintptr_t{0});
        QCOMPARE(second, first + 1024); // 1,000 bytes rounded up to 16 cache lines
        QCOMPARE(std::to_integer<int>(second[63]), 0);
        // 64 MiB - 1,088 bytes are left in the chunk: a buffer of 64 MiB opens a new one.
        std::byte *large = arena.take(std::size_t{64} << 20);
        QVERIFY(large < first || large >= first + (std::size_t{64} << 20));
        std::byte *huge = arena.take(std::size_t{100} << 20);
        huge[(std::size_t{100} << 20) - 1] = std::byte{1};
        // The 64 MiB buffer filled its chunk, so the next one opens another.
        std::byte *after = arena.take(64);
        QVERIFY(after != nullptr && after != second + 64);
        QVERIFY(after < large || after >= large + (std::size_t{64} << 20));
        QCOMPARE(std::to_integer<int>(after[0]), 0);
        // 228 MiB taken; only the written pages are committed.
        QVERIFY(residentMemoryBytes() - before < 32.0 * (1 << 20));
    }

    // The working memory of a plan, counted by hand for the tiny shape (hidden 40, 4 heads of
    // 10, 2 KV heads, experts 24 wide, 8 routed, top-2, 1 shared, vocab 33).
    void workingBytesCountEveryBuffer_data()
    {
        QTest::addColumn<Precision>("precision");
        QTest::addColumn<std::size_t>("threads");
        QTest::addColumn<std::size_t>("equalActiveDenseFfn");
        QTest::addColumn<double>("expected");
        // KV cache: 2 layers x (keys + values) x 20 positions x 20 = 1,600 floats.
        // Shared prefill buffers, 8 tokens: x, h, out (3 x 40) + q, attention (2 x 40) + the new
        // keys and values (2 x 20) + router logits (8) = 248 per token, 1,984 floats.
        // Per thread: gate and up at the widest FFN, down, gathered and sum (3 x 40) per token,
        // and the attention scores over 20 positions.
        // Decode: 3 x 40 + 2 x 40 + 2 x 20 + 3 x (2 + 1) x 24 + 8 + 33 = 497 floats.
        const double fixed = 4.0 * (1600 + 1984 + 497);
        const double perThread24 = 4.0 * (8 * (2 * 24 + 3 * 40) + 20);
        const double perThread72 = 4.0 * (8 * (2 * 72 + 3 * 40) + 20);
        QTest::newRow("fp32, 1 thread") << Precision::Fp32 << std::size_t{1} << std::size_t{0}
                                        << fixed + perThread24;
        QTest::newRow("fp32, 3 threads") << Precision::Fp32 << std::size_t{3} << std::size_t{0}
                                         << fixed + 3 * perThread24;
        QTest::newRow("fp32, dense comparison 72 wide")
            << Precision::Fp32 << std::size_t{2} << std::size_t{72} << fixed + 2 * perThread72;
        // Int8 and q4 add, per token, a code per value and a 4-byte scale and 4-byte code sum
        // per 32-value block (2).
        QTest::newRow("int8, 1 thread") << Precision::Int8 << std::size_t{1} << std::size_t{0}
                                        << fixed + perThread24 + 8.0 * (40 + 8 * 2);
        QTest::newRow("q4, 1 thread") << Precision::Q4 << std::size_t{1} << std::size_t{0}
                                      << fixed + perThread24 + 8.0 * (40 + 8 * 2);
    }

    void workingBytesCountEveryBuffer()
    {
        QFETCH(Precision, precision);
        QFETCH(std::size_t, threads);
        QFETCH(std::size_t, equalActiveDenseFfn);
        QFETCH(double, expected);
        ModelPlan plan;
        plan.shape = tinyShape();
        plan.precision = precision;
        plan.layers = 2;
        plan.expertsAllocated = 4;
        plan.maxContext = 20;
        plan.maxBatch = 8;
        plan.threads = threads;
        plan.equalActiveDenseFfn = equalActiveDenseFfn;
        QCOMPARE(planWorkingBytes(plan), expected);
    }

    // Absorbing the up-projections into the query and the output changes the order of the
    // products, not the result: the two reference forms agree where activations stay fp32.
    void latentAbsorptionMatchesDecompression_data()
    {
        QTest::addColumn<Precision>("precision");
        QTest::addColumn<std::size_t>("queryRank");
        QTest::newRow("fp32") << Precision::Fp32 << std::size_t{0};
        QTest::newRow("fp32-compressed-query") << Precision::Fp32 << std::size_t{16};
        QTest::newRow("bf16-compressed-query") << Precision::Bf16 << std::size_t{16};
    }

    void latentAbsorptionMatchesDecompression()
    {
        QFETCH(Precision, precision);
        QFETCH(std::size_t, queryRank);
        ThreadPool pool(1);
        ModelPlan plan;
        plan.shape = tinyLatentShape(queryRank);
        plan.precision = precision;
        plan.layers = 2;
        plan.expertsAllocated = 8;
        plan.maxContext = 8;
        auto model = MoeModel::build(plan, 29, pool, nullptr);
        QVERIFY(model.ok());
        ReferenceModel absorbed(*model.value(), FfnPath::Planned, LatentForm::Absorbed);
        ReferenceModel decompressed(*model.value(), FfnPath::Planned, LatentForm::Decompressed);
        for (std::size_t t = 0; t < 6; ++t) {
            const std::vector<float> embedding = randomValues(plan.shape.hidden, 31 + t);
            const double error =
                normalisedMse(absorbed.decode(embedding), decompressed.decode(embedding));
            QVERIFY2(error < kBlockTolerance, qPrintable(QString::number(error)));
        }
    }

    // Latent attention by hand, for the tiny shape with 4 heads of 10 + 6 RoPE, a 24-value
    // latent, values of 8 and queries compressed to 16.
    void latentAttentionCountsByHand()
    {
        const ModelShape shape = tinyLatentShape(16);
        QCOMPARE(shape.attention(), AttentionKind::Latent);
        QCOMPARE(std::string(attentionName(shape.attention())), std::string("latent"));
        // wqA 16x40 + wq 64x16 + wkvA 30x40 + 4 x (24x10 + 8x24) + wo 40x32.
        QCOMPARE(attentionParams(shape), std::size_t{640 + 1024 + 1200 + 4 * (240 + 192) + 1280});
        QCOMPARE(attentionNormParams(shape), std::size_t{16 + 24});
        // Decode at context 3: weights as stored, each matrix padded to whole groups of 16
        // rows (wqA 16x40 + wq 64x16 + wkvA 32x40 + 4 x (32x10 + 16x24) + wo 48x32 = 7,296),
        // 4 bytes each, norms 4 x (40 + 2 x 40), and 3 cached positions of 30 floats; flops
        // 2 x 5,872 plus per position and head 2 x (24 + 6 + 24).
        const DecodeLayerParts parts = decodeLayerParts(shape, Precision::Fp32, 3, true);
        QCOMPARE(parts.attention.bytes, 4.0 * 7296 + 4.0 * (40 + 80) + 4.0 * 3 * 30);
        QCOMPARE(parts.attention.flops, 2.0 * 5872 + 3 * 4 * 2.0 * 54);
        // A prefill of 4 tokens attends 1 + 2 + 3 + 4 positions.
        QCOMPARE(prefillLayerFlops(shape, 4, true) - 2.0 * 4 * (5872 + 3 * 40 * 24 * 3 + 8 * 40),
                 10 * 4 * 2.0 * 54);
        // Working memory (fp32, 1 thread, as in workingBytesCountEveryBuffer): the cache holds
        // 2 layers x 20 positions x 30; each of 8 batch tokens x, h, out (120), the query (64),
        // the heads' outputs (32), the compressed query (16), the absorbed queries each followed
        // by its RoPE query (4 x 30), the weighted latents (96) and the router's 8; the thread's
        // FFN buffers and scores; decode's vectors 120 + 328 + 3 x 3 x 24 + 8 + 33.
        ModelPlan plan;
        plan.shape = shape;
        plan.layers = 2;
        plan.expertsAllocated = 4;
        plan.maxContext = 20;
        plan.maxBatch = 8;
        plan.threads = 1;
        QCOMPARE(planWorkingBytes(plan),
                 4.0 * (1200 + 8 * 456 + 8 * (2 * 24 + 3 * 40) + 20 + 705));
        // The DeepSeek presets run it; the others keep a KV cache.
        QCOMPARE(findPreset("deepseek-v3")->attention(), AttentionKind::Latent);
        QCOMPARE(findPreset("deepseek-v2-lite")->attention(), AttentionKind::Latent);
        QCOMPARE(findPreset("mixtral-8x7b")->attention(), AttentionKind::GroupedQuery);
        QCOMPARE(findPreset("olmoe-1b-7b")->attention(), AttentionKind::MultiHead);
        // V3 caches 512 + 64 floats per position and layer where its 128 heads of 128 would
        // cache 32,768 keys and values.
        QCOMPARE(findPreset("deepseek-v3")->cacheWidth(), std::size_t{576});
    }

    // A container's memory limit is not in /proc/meminfo; the run reads its cgroup (v1 or v2,
    // every ancestor) and takes the smallest room left.
    void memoryLimitReadsTheCgroup_data()
    {
        QTest::addColumn<QString>("selfCgroup");
        QTest::addColumn<QStringList>("files"); // path=content under the cgroup root
        QTest::addColumn<double>("expectedGiB");
        QTest::addColumn<QString>("expectedSource");
        const QString meminfo = QStringLiteral("MemAvailable");
        QTest::newRow("v2 limit") << QStringLiteral("0::/box\n")
                                  << QStringList{QStringLiteral("box/memory.max=2147483648"),
                                                 QStringLiteral("box/memory.current=536870912")}
                                  << 1.5 << QStringLiteral("the cgroup's memory limit");
        QTest::newRow("v2 unlimited") << QStringLiteral("0::/box\n")
                                      << QStringList{QStringLiteral("box/memory.max=max"),
                                                     QStringLiteral("box/memory.current=1024")}
                                      << 8.0 << meminfo;
        QTest::newRow("v2 parent is tighter")
            << QStringLiteral("0::/outer/inner\n")
            << QStringList{QStringLiteral("outer/memory.max=1073741824"),
                           QStringLiteral("outer/memory.current=0"),
                           QStringLiteral("outer/inner/memory.max=4294967296"),
                           QStringLiteral("outer/inner/memory.current=0")}
            << 1.0 << QStringLiteral("the cgroup's memory limit");
        QTest::newRow("v1 limit") << QStringLiteral("5:cpu,cpuacct:/x\n4:memory:/box\n")
                                  << QStringList{QStringLiteral("memory/box/memory.limit_in_bytes=3221225472"),
                                                 QStringLiteral("memory/box/memory.usage_in_bytes=1073741824")}
                                  << 2.0 << QStringLiteral("the cgroup's memory limit");
        QTest::newRow("v1 unlimited")
            << QStringLiteral("4:memory:/box\n")
            << QStringList{QStringLiteral("memory/box/memory.limit_in_bytes=9223372036854771712"),
                           QStringLiteral("memory/box/memory.usage_in_bytes=1073741824")}
            << 8.0 << meminfo;
        QTest::newRow("v1 namespaced: the path is not under the mount")
            << QStringLiteral("4:memory:/hidden/box\n")
            << QStringList{QStringLiteral("memory/memory.limit_in_bytes=1073741824"),
                           QStringLiteral("memory/memory.usage_in_bytes=536870912")}
            << 0.5 << QStringLiteral("the cgroup's memory limit");
        QTest::newRow("no cgroup files") << QStringLiteral("0::/box\n") << QStringList{} << 8.0
                                         << meminfo;
    }

    void memoryLimitReadsTheCgroup()
    {
        QFETCH(QString, selfCgroup);
        QFETCH(QStringList, files);
        QFETCH(double, expectedGiB);
        QFETCH(QString, expectedSource);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto write = [&](const QString &relative, const QString &content) {
            const QString path = dir.filePath(relative);
            QVERIFY(QDir().mkpath(QFileInfo(path).path()));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content.toUtf8());
        };
        write(QStringLiteral("meminfo"), QStringLiteral("MemTotal: 16777216 kB\nMemAvailable: "
                                                        "8388608 kB\n"));
        write(QStringLiteral("cgroup"), selfCgroup);
        write(QStringLiteral("status"), QStringLiteral("VmSize: 1024 kB\n"));
        for (const QString &entry : files) {
            const auto equals = entry.indexOf(u'=');
            write(QStringLiteral("fs/") + entry.left(equals), entry.mid(equals + 1) + u'\n');
        }
        MemoryLimitFiles paths;
        paths.meminfo = dir.filePath(QStringLiteral("meminfo")).toStdString();
        paths.selfCgroup = dir.filePath(QStringLiteral("cgroup")).toStdString();
        paths.cgroupRoot = dir.filePath(QStringLiteral("fs")).toStdString();
        paths.selfStatus = dir.filePath(QStringLiteral("status")).toStdString();
        const MemoryLimit limit = memoryLimit(paths);
        QCOMPARE(limit.bytes, expectedGiB * (1ULL << 30));
        QCOMPARE(QString::fromStdString(limit.source), expectedSource);
    }

    // A budget the user asked for is refused when it exceeds the memory the run may use; the
    // default budget shrinks to fit instead.
    void requestedBudgetBeyondMemoryIsRefused()
    {
        BenchConfig config = quickConfig();
        config.weightBudgetBytes = 1000.0 * (1ULL << 30);
        config.budgetRequested = true;
        const double available = 8.0 * (1ULL << 30);
        auto refused = planScaling(config, available, 32e6, "the cgroup's memory limit");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().field, std::string("budget-gib"));
        QVERIFY(refused.error().message.find("1000.00 GiB") != std::string::npos);
        QVERIFY(refused.error().message.find("the cgroup's memory limit") != std::string::npos);
        config.budgetRequested = false;
        auto shrunk = planScaling(config, available, 32e6);
        QVERIFY(shrunk.ok());
        QVERIFY(shrunk->weightBytes + shrunk->workingBytes <= shrunk->usableBytes);
    }

    void threadsBeyondTheCpusAreRefused()
    {
        BenchConfig config = quickConfig();
        config.threads = usableCpuCount() + 1;
        auto report = runBenchmark(config, {}, nullptr);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().field, std::string("threads"));
        QVERIFY(report.error().message.find(std::to_string(usableCpuCount())) != std::string::npos);
    }

    // Memory the system refuses past the plan (here an address-space limit the plan was not
    // told of) ends the run with an error, not an abort. In a child process, which the limit
    // would otherwise outlive.
    void refusedMemoryIsAnError()
    {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer reserves more address space than the limit allows");
#else
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            const rlimit limit{std::size_t{512} << 20, std::size_t{512} << 20};
            setrlimit(RLIMIT_AS, &limit);
            BenchConfig config = quickConfig();
            config.shape = *findPreset("olmoe-1b-7b");
            config.availableBytesOverride = 64.0 * (1ULL << 30);
            config.memoryMarginBytes = 0.0;
            auto report = runBenchmark(config, {}, nullptr);
            const bool refused = !report.ok() &&
                                 report.error().message.find("refused memory") != std::string::npos;
            _exit(refused ? 0 : 1);
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY2(WIFEXITED(status), "the run was killed by a signal");
        QCOMPARE(WEXITSTATUS(status), 0);
#endif
    }

    // The bandwidth probe looks at the cancel flag every 8 MiB, also while first touching its
    // arrays: with the flag already set it reports the cancel instead of a bandwidth. How soon
    // is a speed, left to the benchmark; the arrays stay untouched, so they cost no memory.
    void probesStopOnCancel()
    {
        ThreadPool pool(2);
        const std::atomic<bool> cancel{true};
        auto large = BandwidthProbe::create(std::size_t{1} << 30, pool, &cancel);
        QVERIFY(!large.ok());
        QCOMPARE(large.error().message, std::string("benchmark cancelled"));
        const std::atomic<bool> running{false};
        auto small = BandwidthProbe::create(std::size_t{1} << 20, pool, &running);
        QVERIFY(small.ok());
        QCOMPARE(small->bytes(), 3.0 * double(std::size_t{1} << 20));
        auto triad = small->triad(2, pool, &cancel);
        auto read = small->read(2, detectSimd(), pool, &cancel);
        QVERIFY(!triad.ok() && !read.ok());
        QCOMPARE(triad.error().message, std::string("benchmark cancelled"));
        QCOMPARE(read.error().message, std::string("benchmark cancelled"));
        // Run again without the flag, the same arrays give a bandwidth, best at least the mean.
        auto again = small->triad(2, pool, &running);
        QVERIFY(again.ok() && again->best > 0.0 && again->best >= again->mean);

        // The GEMM probe alike: cancelled while filling its weights, or while multiplying.
        auto cancelledGemm = GemmProbe::create(64, 64, 8, Precision::Int8, pool, &cancel);
        QVERIFY(!cancelledGemm.ok());
        auto gemmProbe = GemmProbe::create(64, 64, 8, Precision::Int8, pool, &running);
        QVERIFY(gemmProbe.ok());
        auto stopped = gemmProbe->run(2, detectSimd(), pool, &cancel);
        QVERIFY(!stopped.ok());
        QCOMPARE(stopped.error().message, std::string("benchmark cancelled"));
        auto peak = gemmProbe->run(2, detectSimd(), pool, &running);
        QVERIFY(peak.ok() && peak->best > 0.0 && peak->best >= peak->mean);
    }

    // The dense comparison's FFNs are allocated beside the MoE model, so the memory plan counts
    // them: per layer, gate and up of (top-k + shared) x expertFfn rows and their down matrix.
    void comparisonFfnsAreCounted()
    {
        ModelPlan plan;
        plan.shape = *findPreset("olmoe-1b-7b");
        plan.precision = Precision::Int8;
        plan.layers = 3;
        plan.expertsAllocated = 16;
        ModelPlan withComparison = plan;
        withComparison.equalActiveDenseFfn = 8 * 1024; // top-8 of experts 1024 wide, no shared
        // int8: a byte per weight and a 4-byte scale per row; hidden is 2048.
        const double perLayer = 2.0 * (8192.0 * 2048.0 + 4.0 * 8192.0) +
                                (2048.0 * 8192.0 + 4.0 * 2048.0);
        QCOMPARE(planWeightBytes(withComparison) - planWeightBytes(plan), 3.0 * perLayer);

        BenchConfig config = quickConfig();
        config.shape = plan.shape;
        config.precision = Precision::Int8;
        config.memoryMarginBytes = 0.0;
        config.probeArrayBytes = 1 << 20;
        // The smallest plan, 2 layers of 8 experts, holds about 2 x (16 MiB of attention + 48 MiB
        // of experts) + 98 MiB of output head = 226 MiB; the comparison adds 2 x 48 MiB.
        const double available = 276.0 * (1ULL << 20);
        auto compared = planScaling(config, available, 32e6);
        QVERIFY(!compared.ok());
        QVERIFY(compared.error().message.find("dense comparison FFNs") != std::string::npos);
        config.compareDense = false;
        QVERIFY(planScaling(config, available, 32e6).ok());
    }

    void costPerMillionTokens()
    {
        CostAssumptions cost;
        cost.powerWatts = 360.0;
        cost.electricityUsdPerKwh = 0.10;
        cost.hardwareUsd = 0.0;
        // 1e6 tokens at 100 tokens/s = 1e4 s; 360 W * 1e4 s = 1 kWh = 0.10 USD.
        QVERIFY(std::abs(usdPerMillionTokens(100.0, cost) - 0.10) < 1e-12);
        cost.powerWatts = 0.0;
        cost.hardwareUsd = 365.25 * 86400.0;
        cost.amortisationYears = 1.0;
        QVERIFY(std::abs(usdPerMillionTokens(100.0, cost) - 1e4) < 1e-6);
    }

    void projectedPrefillCountsTheHeadOnce()
    {
        // 128 tokens at 1280 tokens/s: 100 ms a prompt, 20 ms of it in the head. A model of 24x
        // the layer FLOPs takes 80 ms x 24 = 1920 ms in its layers, plus the head's 20 ms.
        const double projected = projectedPrefillTokensPerSecond(128.0, 1280.0, 0.020, 24.0);
        QVERIFY(std::abs(projected - 128.0 / 1.940) < 1e-9);
        // Without a head the projection is the FLOP ratio alone.
        QVERIFY(std::abs(projectedPrefillTokensPerSecond(128.0, 1280.0, 0.0, 4.0) - 320.0) <
                1e-9);
        // The whole model measured (ratio 1) projects to itself, head or not.
        QVERIFY(std::abs(projectedPrefillTokensPerSecond(128.0, 1280.0, 0.020, 1.0) - 1280.0) <
                1e-9);
        QCOMPARE(projectedPrefillTokensPerSecond(128.0, 0.0, 0.020, 24.0), 0.0);
    }

    void balancingBiasEvensTheExpertLoad()
    {
        const std::size_t experts = 16, topK = 2, tokens = 2048;
        const ExpertLoad load = simulateExpertLoad(experts, topK, tokens, 64, 1.0f, 0.01f, 5);
        QCOMPARE(load.unbiased.size(), experts);
        QCOMPARE(load.balanced.size(), experts);
        double unbiasedSum = 0.0, balancedSum = 0.0, unbiasedMax = 0.0, balancedMax = 0.0;
        for (std::size_t e = 0; e < experts; ++e) {
            unbiasedSum += load.unbiased[e];
            balancedSum += load.balanced[e];
            unbiasedMax = std::max(unbiasedMax, load.unbiased[e]);
            balancedMax = std::max(balancedMax, load.balanced[e]);
        }
        QVERIFY(std::abs(unbiasedSum - 1.0) < 1e-12);
        QVERIFY(std::abs(balancedSum - 1.0) < 1e-12);
        QVERIFY(std::abs(load.unbiasedMaxOverMean - unbiasedMax * 16.0) < 1e-9);
        // A +-1 skew in logit leaves the busiest expert with well over its share; the learned
        // bias brings the busiest within 1.5x of 1/16, and it is largest for the least favoured.
        QVERIFY2(load.unbiasedMaxOverMean > 3.0, qPrintable(QString::number(load.unbiasedMaxOverMean)));
        QVERIFY2(load.balancedMaxOverMean < 1.5, qPrintable(QString::number(load.balancedMaxOverMean)));
        const auto leastLoaded = std::min_element(load.unbiased.begin(), load.unbiased.end()) -
                                 load.unbiased.begin();
        const auto mostLoaded = std::max_element(load.unbiased.begin(), load.unbiased.end()) -
                                load.unbiased.begin();
        QVERIFY(load.bias[static_cast<std::size_t>(leastLoaded)] >
                load.bias[static_cast<std::size_t>(mostLoaded)]);
    }

    void summariseKeepsSamples()
    {
        const Samples samples = summarise({1.0, 2.0, 3.0, 4.0});
        QCOMPARE(samples.values.size(), std::size_t{4});
        QCOMPARE(samples.mean, 2.5);
        QVERIFY(std::abs(samples.stddev - 1.2909944487) < 1e-9);
    }

    void ceilingSteadinessIsTheProbesRange()
    {
        // (36 - 30) / 33 = 0.18 moved too far; (44 - 40) / 42 = 0.095 held.
        QVERIFY(std::abs(relativeRange(summarise({30.0, 36.0, 33.0})) - 6.0 / 33.0) < 1e-12);
        QVERIFY(!steadyCeiling(summarise({30.0, 36.0, 33.0})));
        QVERIFY(std::abs(relativeRange(summarise({44.0, 40.0, 42.0})) - 4.0 / 42.0) < 1e-12);
        QVERIFY(steadyCeiling(summarise({44.0, 40.0, 42.0})));
        // 15 of a mean of 100 is exactly the limit, and still steady.
        QVERIFY(steadyCeiling(summarise({92.5, 107.5})));
        QVERIFY(!steadyCeiling(summarise({92.0, 108.0})));
        // One probe, none, or a scalar run's zero peak cannot have moved.
        QCOMPARE(relativeRange(summarise({50.0})), 0.0);
        QCOMPARE(relativeRange(summarise({})), 0.0);
        QCOMPARE(relativeRange(summarise({0.0, 0.0})), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestBench)
#include "test_bench.moc"
