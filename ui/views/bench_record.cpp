#include "bench_record.h"

#include "bench/benchmark.h"
#include "bench/model_shape.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QString>

namespace cliff::ui {

namespace {

QJsonArray samplesArray(const bench::Samples &samples)
{
    QJsonArray values;
    for (double value : samples.values)
        values.append(value);
    return values;
}

// Milliseconds per token, so the parts read like the waterfall chart.
QJsonObject waterfallObject(const bench::DecodeWaterfall &w)
{
    return {{QStringLiteral("roofline"), 1e3 * w.roofline},
            {QStringLiteral("attention_and_kv_cache"), 1e3 * w.attention},
            {QStringLiteral("router"), 1e3 * w.router},
            {QStringLiteral("expert_weights"), 1e3 * w.experts},
            {QStringLiteral("output_head"), 1e3 * w.head},
            {QStringLiteral("threads_waiting"), 1e3 * w.waiting},
            {QStringLiteral("measured"), 1e3 * w.measured()}};
}

} // namespace

QJsonObject benchReportJson(const bench::BenchReport &r)
{
    QJsonObject scaled{
        {QStringLiteral("scaled"), r.scale.scaled},
        {QStringLiteral("description"), QString::fromStdString(r.scale.description)},
        {QStringLiteral("layers_allocated"), static_cast<double>(r.scale.layersAllocated)},
        {QStringLiteral("experts_allocated"), static_cast<double>(r.scale.expertsAllocated)},
        {QStringLiteral("weight_bytes"), r.scale.weightBytes},
        {QStringLiteral("working_bytes"), r.scale.workingBytes},
        {QStringLiteral("usable_ram_bytes"), r.scale.usableBytes},
        {QStringLiteral("llc_bytes"), r.scale.cacheBytes},
    };
    QJsonObject machine{
        {QStringLiteral("cpu_model"), QString::fromStdString(r.machine.cpuModel)},
        {QStringLiteral("cores"), r.machine.logicalCores},
        {QStringLiteral("threads_used"), r.threads},
        {QStringLiteral("ram_total_bytes"), r.machine.ramTotalBytes},
        {QStringLiteral("ram_available_bytes"), r.machine.ramAvailableBytes},
        {QStringLiteral("llc_bytes"), r.machine.lastLevelCacheBytes},
        {QStringLiteral("simd"), QString::fromLatin1(bench::simdName(r.simd))},
        {QStringLiteral("build_type"), QString::fromStdString(r.machine.buildType)},
        {QStringLiteral("compiler"), QString::fromStdString(r.machine.compiler)},
    };
    QJsonObject cost{
        {QStringLiteral("power_w"), r.cost.powerWatts},
        {QStringLiteral("electricity_usd_per_kwh"), r.cost.electricityUsdPerKwh},
        {QStringLiteral("hardware_usd"), r.cost.hardwareUsd},
        {QStringLiteral("amortisation_years"), r.cost.amortisationYears},
        {QStringLiteral("decode_usd_per_million_tokens"), r.decodeUsdPerMillionTokens},
        {QStringLiteral("prefill_usd_per_million_tokens"), r.prefillUsdPerMillionTokens},
    };
    QJsonObject full{
        {QStringLiteral("decode_bytes_per_token"), r.fullModelDecodeBytesPerToken},
        {QStringLiteral("decode_tokens_per_s"), r.fullModelDecodeTokensPerSecond},
        {QStringLiteral("prefill_tokens_per_s"), r.fullModelPrefillTokensPerSecond},
        {QStringLiteral("ram_fp32_bytes"), r.fullModelRamFp32Bytes},
        {QStringLiteral("ram_int8_bytes"), r.fullModelRamInt8Bytes},
        {QStringLiteral("fits_in_ram"), r.fullModelFits},
    };
    // Without the dense runs the comparison fields are null rather than a misleading zero.
    auto compared = [&](double value) {
        return r.comparedDense ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
    };
    return QJsonObject{
        {QStringLiteral("preset"), QString::fromStdString(r.preset)},
        {QStringLiteral("attention"), QString::fromLatin1(bench::attentionName(r.attention))},
        {QStringLiteral("precision"), QString::fromLatin1(bench::precisionName(r.precision))},
        {QStringLiteral("decode_tokens"), static_cast<double>(r.decodeTokens)},
        {QStringLiteral("prefill_tokens"), static_cast<double>(r.prefillTokens)},
        {QStringLiteral("repetitions"), r.repetitions},
        {QStringLiteral("decode_tokens_per_s"), r.decodeTokensPerSecond.mean},
        {QStringLiteral("decode_tokens_per_s_stddev"), r.decodeTokensPerSecond.stddev},
        {QStringLiteral("decode_tokens_per_s_samples"), samplesArray(r.decodeTokensPerSecond)},
        {QStringLiteral("prefill_tokens_per_s"), r.prefillTokensPerSecond.mean},
        {QStringLiteral("prefill_tokens_per_s_stddev"), r.prefillTokensPerSecond.stddev},
        {QStringLiteral("prefill_tokens_per_s_samples"), samplesArray(r.prefillTokensPerSecond)},
        {QStringLiteral("decode_bytes_per_token"), r.decodeBytesPerToken},
        {QStringLiteral("decode_flops_per_token"), r.decodeFlopsPerToken},
        {QStringLiteral("prefill_flops_per_token"), r.prefillFlopsPerToken},
        {QStringLiteral("decode_gbps"), r.decodeGbPerSecond},
        {QStringLiteral("decode_gflops"), r.decodeGflopsPerSecond},
        {QStringLiteral("prefill_gflops"), r.prefillGflopsPerSecond},
        {QStringLiteral("bandwidth_gbps_triad_measured"), r.triadGbPerSecond},
        {QStringLiteral("bandwidth_gbps_triad_measured_mean"), r.triadMeanGbPerSecond},
        {QStringLiteral("bandwidth_gbps_read_measured"), r.readGbPerSecond.mean},
        {QStringLiteral("bandwidth_gbps_read_samples"), samplesArray(r.readGbPerSecond)},
        {QStringLiteral("gemm_peak_gflops_measured"), r.gemmPeakGflopsPerSecond},
        {QStringLiteral("decode_roofline_fraction"), r.decodeRooflineFraction},
        {QStringLiteral("decode_triad_fraction"), r.decodeTriadFraction},
        {QStringLiteral("prefill_gemm_fraction"), r.prefillGemmFraction},
        {QStringLiteral("instruction_peak_gflops_measured"), r.instructionPeakGflopsPerSecond.mean},
        {QStringLiteral("instruction_peak_gflops_samples"),
         samplesArray(r.instructionPeakGflopsPerSecond)},
        {QStringLiteral("prefill_peak_fraction"), r.prefillPeakFraction},
        {QStringLiteral("decode_ceiling_steady"), bench::steadyCeiling(r.readGbPerSecond)},
        {QStringLiteral("prefill_ceiling_steady"),
         bench::steadyCeiling(r.instructionPeakGflopsPerSecond)},
        {QStringLiteral("prefill_head_ms"), r.prefillHeadSeconds * 1e3},
        {QStringLiteral("decode_waterfall_ms"), waterfallObject(r.decodeWaterfall)},
        {QStringLiteral("dense_same_total_decode_tokens_per_s"),
         compared(r.denseSameTotalDecodeTokensPerSecond.mean)},
        {QStringLiteral("dense_over_moe_time_ratio"), compared(r.denseOverMoeTimeRatio)},
        {QStringLiteral("dense_over_moe_bytes_ratio"), compared(r.denseOverMoeBytesRatio)},
        {QStringLiteral("dense_equal_active_prefill_tokens_per_s"),
         compared(r.denseEqualActivePrefillTokensPerSecond.mean)},
        {QStringLiteral("moe_over_dense_prefill_equal_active"),
         compared(r.moeOverDensePrefillEqualActive)},
        {QStringLiteral("expert_load_max_over_mean_unbiased"), r.expertLoad.unbiasedMaxOverMean},
        {QStringLiteral("expert_load_max_over_mean_balanced"), r.expertLoad.balancedMaxOverMean},
        {QStringLiteral("active_params"), r.activeParams},
        {QStringLiteral("total_params"), r.totalParams},
        {QStringLiteral("scaled"), scaled},
        {QStringLiteral("full_model"), full},
        {QStringLiteral("cost"), cost},
        {QStringLiteral("machine"), machine},
        {QStringLiteral("run_seconds"), r.wallSeconds},
    };
}

store::BenchRun benchRunRecord(const bench::BenchReport &r)
{
    store::BenchRun run;
    run.preset = r.preset;
    run.precision = bench::precisionName(r.precision);
    run.machine.cpuModel = r.machine.cpuModel;
    run.machine.logicalCores = r.machine.logicalCores;
    run.machine.threadsUsed = r.threads;
    run.machine.ramTotalBytes = r.machine.ramTotalBytes;
    run.machine.simd = bench::simdName(r.simd);
    run.machine.buildType = r.machine.buildType;
    run.machine.compiler = r.machine.compiler;
    run.decodeTokensPerSecond = r.decodeTokensPerSecond.mean;
    run.decodeTokensPerSecondStddev = r.decodeTokensPerSecond.stddev;
    run.prefillTokensPerSecond = r.prefillTokensPerSecond.mean;
    run.prefillTokensPerSecondStddev = r.prefillTokensPerSecond.stddev;
    run.decodeRooflineFraction = r.decodeRooflineFraction;
    run.decodeTriadFraction = r.decodeTriadFraction;
    run.prefillGemmFraction = r.prefillGemmFraction;
    run.prefillPeakFraction = r.prefillPeakFraction;
    run.bandwidthReadGbPerSecond = r.readGbPerSecond.mean;
    run.bandwidthTriadGbPerSecond = r.triadGbPerSecond;
    run.instructionPeakGflopsPerSecond = r.instructionPeakGflopsPerSecond.mean;
    run.gemmPeakGflopsPerSecond = r.gemmPeakGflopsPerSecond;
    if (r.comparedDense)
        run.denseOverMoeTimeRatio = r.denseOverMoeTimeRatio;
    run.decodeUsdPerMillionTokens = r.decodeUsdPerMillionTokens;
    run.prefillUsdPerMillionTokens = r.prefillUsdPerMillionTokens;
    run.powerWatts = r.cost.powerWatts;
    run.electricityUsdPerKwh = r.cost.electricityUsdPerKwh;
    run.hardwareUsd = r.cost.hardwareUsd;
    run.amortisationYears = r.cost.amortisationYears;
    run.scaled = r.scale.description;
    run.reportJson =
        QJsonDocument(benchReportJson(r)).toJson(QJsonDocument::Compact).toStdString();
    auto addSamples = [&](const char *measure, const bench::Samples &samples) {
        for (std::size_t i = 0; i < samples.values.size(); ++i)
            run.samples.push_back({measure, static_cast<int>(i), samples.values[i]});
    };
    addSamples("decode_tokens_per_s", r.decodeTokensPerSecond);
    addSamples("prefill_tokens_per_s", r.prefillTokensPerSecond);
    if (r.comparedDense) {
        addSamples("dense_same_total_decode_tokens_per_s", r.denseSameTotalDecodeTokensPerSecond);
        addSamples("dense_equal_active_prefill_tokens_per_s",
                   r.denseEqualActivePrefillTokensPerSecond);
    }
    return run;
}

QString savedRunAttention(const store::BenchRun &run)
{
    const QJsonValue named = QJsonDocument::fromJson(QByteArray::fromStdString(run.reportJson))
                                 .object()
                                 .value(QStringLiteral("attention"));
    if (named.isString())
        return named.toString();
    const bench::ModelShape *shape = bench::findPreset(run.preset);
    if (!shape)
        return QStringLiteral("unknown");
    return shape->attention() == bench::AttentionKind::Latent
               ? QStringLiteral("multi-head (stand-in for latent)")
               : QString::fromLatin1(bench::attentionName(shape->attention()));
}

std::optional<bool> savedRunDecodeCeilingSteady(const store::BenchRun &run)
{
    const QJsonValue steady = QJsonDocument::fromJson(QByteArray::fromStdString(run.reportJson))
                                  .object()
                                  .value(QStringLiteral("decode_ceiling_steady"));
    if (!steady.isBool())
        return std::nullopt;
    return steady.toBool();
}

QString savedRunDecodeFraction(const store::BenchRun &run)
{
    if (!run.decodeRooflineFraction)
        return QObject::tr("not measured");
    const bool moved = savedRunDecodeCeilingSteady(run) == false;
    return QString::number(*run.decodeRooflineFraction, 'f', 2) +
           (moved ? QStringLiteral(" †") : QString());
}

} // namespace cliff::ui
