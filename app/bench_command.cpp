#include "command_line.h"
#include "subcommands.h"

#include "bench/benchmark.h"
#include "bench/model_shape.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace cliff::app {

namespace {

// Set from the SIGINT handler, read by the benchmark's cancel checks; a lock-free atomic is
// safe to store to from a signal handler.
std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) { g_interrupted.store(true); }

QJsonArray samplesArray(const bench::Samples &samples)
{
    QJsonArray values;
    for (double value : samples.values)
        values.append(value);
    return values;
}

QJsonObject reportJson(const bench::BenchReport &r)
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
        {QStringLiteral("bandwidth_gbps_measured"), r.triadGbPerSecond},
        {QStringLiteral("bandwidth_gbps_measured_mean"), r.triadMeanGbPerSecond},
        {QStringLiteral("bandwidth_gbps_read_measured"), r.readGbPerSecond},
        {QStringLiteral("gemm_peak_gflops_measured"), r.gemmPeakGflopsPerSecond},
        {QStringLiteral("decode_read_roofline_fraction"), r.decodeReadRooflineFraction},
        {QStringLiteral("decode_roofline_fraction"), r.decodeRooflineFraction},
        {QStringLiteral("prefill_gemm_fraction"), r.prefillGemmFraction},
        {QStringLiteral("dense_same_total_decode_tokens_per_s"),
         compared(r.denseSameTotalDecodeTokensPerSecond.mean)},
        {QStringLiteral("dense_over_moe_time_ratio"), compared(r.denseOverMoeTimeRatio)},
        {QStringLiteral("dense_over_moe_bytes_ratio"), compared(r.denseOverMoeBytesRatio)},
        {QStringLiteral("dense_equal_active_prefill_tokens_per_s"),
         compared(r.denseEqualActivePrefillTokensPerSecond.mean)},
        {QStringLiteral("moe_over_dense_prefill_equal_active"),
         compared(r.moeOverDensePrefillEqualActive)},
        {QStringLiteral("active_params"), r.activeParams},
        {QStringLiteral("total_params"), r.totalParams},
        {QStringLiteral("scaled"), scaled},
        {QStringLiteral("full_model"), full},
        {QStringLiteral("cost"), cost},
        {QStringLiteral("machine"), machine},
        {QStringLiteral("run_seconds"), r.wallSeconds},
    };
}

// Flattens nested objects to "outer_inner" keys and arrays to ';'-joined text.
void flatten(const QJsonObject &object, const QString &prefix, std::map<QString, QJsonValue> &out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + u'_' + it.key();
        if (it.value().isObject()) {
            flatten(it.value().toObject(), key, out);
        } else if (it.value().isArray()) {
            QStringList parts;
            for (const QJsonValue &value : it.value().toArray())
                parts << QString::number(value.toDouble(), 'g', 10);
            out[key] = parts.join(u';');
        } else {
            out[key] = it.value();
        }
    }
}

QString plainText(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 10);
    return value.toString();
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QString sqlValue(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("1") : QStringLiteral("0");
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    QString text = value.toString();
    text.replace(QStringLiteral("'"), QStringLiteral("''"));
    return u'\'' + text + u'\'';
}

QByteArray render(const std::vector<QJsonObject> &runs, const QString &format)
{
    if (format == u"json") {
        if (runs.size() == 1)
            return QJsonDocument(runs.front()).toJson(QJsonDocument::Indented);
        QJsonArray array;
        for (const QJsonObject &run : runs)
            array.append(run);
        return QJsonDocument(array).toJson(QJsonDocument::Indented);
    }
    if (format == u"jsonl") {
        QByteArray out;
        for (const QJsonObject &run : runs)
            out += QJsonDocument(run).toJson(QJsonDocument::Compact) + '\n';
        return out;
    }
    std::vector<std::map<QString, QJsonValue>> rows;
    for (const QJsonObject &run : runs) {
        rows.emplace_back();
        flatten(run, {}, rows.back());
    }
    std::set<QString> columns;
    for (const auto &row : rows) {
        for (const auto &[key, value] : row)
            columns.insert(key);
    }
    QString out;
    if (format == u"csv") {
        QStringList header(columns.begin(), columns.end());
        out += header.join(u',') + u'\n';
        for (const auto &row : rows) {
            QStringList fields;
            for (const QString &column : columns)
                fields << csvField(row.count(column) ? plainText(row.at(column)) : QString());
            out += fields.join(u',') + u'\n';
        }
    } else if (format == u"sql") {
        QStringList definitions;
        for (const QString &column : columns) {
            const QJsonValue sample = rows.front().count(column) ? rows.front().at(column)
                                                                 : QJsonValue();
            const QString type = sample.isDouble() ? QStringLiteral("REAL")
                                 : sample.isBool() ? QStringLiteral("INTEGER")
                                                   : QStringLiteral("TEXT");
            definitions << QStringLiteral("  %1 %2").arg(column, type);
        }
        out += QStringLiteral("CREATE TABLE IF NOT EXISTS bench_runs (\n") +
               definitions.join(QStringLiteral(",\n")) + QStringLiteral("\n);\n");
        const QStringList names(columns.begin(), columns.end());
        for (const auto &row : rows) {
            QStringList values;
            for (const QString &column : columns)
                values << (row.count(column) ? sqlValue(row.at(column)) : QStringLiteral("NULL"));
            out += QStringLiteral("INSERT INTO bench_runs (%1) VALUES (%2);\n")
                       .arg(names.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")));
        }
    } else {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto &row = rows[i];
            out += QStringLiteral("## %1, %2, %3 threads\n\n| metric | value |\n|---|---|\n")
                       .arg(plainText(row.at(QStringLiteral("preset"))),
                            plainText(row.at(QStringLiteral("precision"))),
                            plainText(row.at(QStringLiteral("machine_threads_used"))));
            for (const auto &[key, value] : row)
                out += QStringLiteral("| %1 | %2 |\n").arg(key, plainText(value));
            out += u'\n';
        }
    }
    return out.toUtf8();
}

std::optional<double> parseNumber(const ParsedOptions &options, const QString &name,
                                  double minimum, double maximum, double fallback, QString &error)
{
    const auto text = options.value(name);
    if (!text)
        return fallback;
    bool ok = false;
    const double value = text->toDouble(&ok);
    if (!ok || !(value >= minimum && value <= maximum)) {
        error = QStringLiteral("%1 must be a number from %2 to %3, not '%4'")
                    .arg(name)
                    .arg(minimum)
                    .arg(maximum)
                    .arg(*text);
        return std::nullopt;
    }
    return value;
}

std::optional<std::vector<int>> parseIntegerList(const QString &text, const QString &name,
                                                 int minimum, int maximum, QString &error)
{
    std::vector<int> values;
    for (const QString &part : text.split(u',')) {
        bool ok = false;
        const int value = part.trimmed().toInt(&ok);
        if (!ok || value < minimum || value > maximum) {
            error = QStringLiteral("%1 must be whole numbers from %2 to %3, not '%4'")
                        .arg(name)
                        .arg(minimum)
                        .arg(maximum)
                        .arg(part);
            return std::nullopt;
        }
        values.push_back(value);
    }
    return values;
}

} // namespace

int runBench(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--preset"), QStringLiteral("--precision"),
                           QStringLiteral("--threads"), QStringLiteral("--tokens"),
                           QStringLiteral("--prompt-tokens"), QStringLiteral("--repetitions"),
                           QStringLiteral("--format"), QStringLiteral("--budget-gib"),
                           QStringLiteral("--power-w"), QStringLiteral("--usd-per-kwh"),
                           QStringLiteral("--hardware-usd"), QStringLiteral("--years")},
                          {QStringLiteral("--no-dense"), QStringLiteral("--quiet")},
                          0};
    const auto options = parseOptions(args, spec, QStringLiteral("bench"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const QString format =
        options->value(QStringLiteral("--format")).value_or(QStringLiteral("md"));
    if (format != u"md" && format != u"csv" && format != u"json" && format != u"jsonl" &&
        format != u"sql") {
        printError(
            QStringLiteral("unknown format '%1' (use md, csv, json, jsonl or sql)").arg(format));
        return ExitUsage;
    }
    std::vector<const bench::ModelShape *> shapes;
    const QString presetText =
        options->value(QStringLiteral("--preset")).value_or(QStringLiteral("olmoe-1b-7b"));
    for (const QString &name : presetText.split(u',')) {
        const bench::ModelShape *shape = bench::findPreset(name.trimmed().toStdString());
        if (!shape) {
            QStringList known;
            for (const bench::ModelShape &preset : bench::presets())
                known << QString::fromStdString(preset.name);
            printError(QStringLiteral("unknown preset '%1' (one of: %2)")
                           .arg(name, known.join(QStringLiteral(", "))));
            return ExitUsage;
        }
        shapes.push_back(shape);
    }
    std::vector<bench::Precision> precisions;
    const QString precisionText =
        options->value(QStringLiteral("--precision")).value_or(QStringLiteral("fp32"));
    for (const QString &name : precisionText.split(u',')) {
        if (name.trimmed() == u"fp32") {
            precisions.push_back(bench::Precision::Fp32);
        } else if (name.trimmed() == u"int8") {
            precisions.push_back(bench::Precision::Int8);
        } else {
            printError(QStringLiteral("unknown precision '%1' (use fp32 or int8)").arg(name));
            return ExitUsage;
        }
    }
    std::vector<int> threadCounts{0};
    if (const auto text = options->value(QStringLiteral("--threads"))) {
        auto parsed = parseIntegerList(*text, QStringLiteral("--threads"), 1, 1024, error);
        if (!parsed) {
            printError(error);
            return ExitUsage;
        }
        threadCounts = *parsed;
    }
    const auto tokens = parseNumber(*options, QStringLiteral("--tokens"), 1, 65536, 16, error);
    const auto promptTokens =
        tokens ? parseNumber(*options, QStringLiteral("--prompt-tokens"), 1, 65536, 64, error)
               : std::nullopt;
    const auto repetitions =
        promptTokens ? parseNumber(*options, QStringLiteral("--repetitions"), 1, 1000, 5, error)
                     : std::nullopt;
    const auto budget =
        repetitions ? parseNumber(*options, QStringLiteral("--budget-gib"), 0.0, 1e6, 1.5, error)
                    : std::nullopt;
    const bench::CostAssumptions defaults;
    const auto power = budget ? parseNumber(*options, QStringLiteral("--power-w"), 0.0, 1e6,
                                            defaults.powerWatts, error)
                              : std::nullopt;
    const auto price = power ? parseNumber(*options, QStringLiteral("--usd-per-kwh"), 0.0, 1e3,
                                           defaults.electricityUsdPerKwh, error)
                             : std::nullopt;
    const auto hardware = price ? parseNumber(*options, QStringLiteral("--hardware-usd"), 0.0,
                                              1e9, defaults.hardwareUsd, error)
                                : std::nullopt;
    const auto years = hardware ? parseNumber(*options, QStringLiteral("--years"), 0.01, 100.0,
                                              defaults.amortisationYears, error)
                                : std::nullopt;
    if (!years) {
        printError(error);
        return ExitUsage;
    }
    for (double value : {*tokens, *promptTokens, *repetitions}) {
        if (value != static_cast<double>(static_cast<long long>(value))) {
            printError(QStringLiteral(
                "--tokens, --prompt-tokens and --repetitions take whole numbers"));
            return ExitUsage;
        }
    }

    g_interrupted = false;
    std::signal(SIGINT, onInterrupt);
    const bool quiet = options->has(QStringLiteral("--quiet"));
    std::vector<QJsonObject> runs;
    int failures = 0;
    for (const bench::ModelShape *shape : shapes) {
        for (bench::Precision precision : precisions) {
            for (int threads : threadCounts) {
                bench::BenchConfig config;
                config.shape = *shape;
                config.precision = precision;
                config.threads = threads;
                config.decodeTokens = static_cast<std::size_t>(*tokens);
                config.prefillTokens = static_cast<std::size_t>(*promptTokens);
                config.repetitions = static_cast<int>(*repetitions);
                config.weightBudgetBytes = *budget * 1024.0 * 1024.0 * 1024.0;
                config.compareDense = !options->has(QStringLiteral("--no-dense"));
                config.cost = {*power, *price, *hardware, *years};
                const QString label = QStringLiteral("%1 %2 %3 threads")
                                          .arg(QString::fromStdString(shape->name),
                                               QString::fromLatin1(bench::precisionName(precision)))
                                          .arg(threads > 0 ? QString::number(threads)
                                                           : QStringLiteral("all"));
                std::string lastStage;
                auto progress = [&](double fraction, const std::string &stage) {
                    if (quiet || stage == lastStage)
                        return;
                    lastStage = stage;
                    std::fprintf(stderr, "bench: %s: %3.0f%% %s\n", qPrintable(label),
                                 100.0 * fraction, stage.c_str());
                };
                auto report = bench::runBenchmark(config, progress, &g_interrupted);
                if (!report) {
                    printError(QStringLiteral("%1: %2").arg(
                        label, QString::fromStdString(report.error().toString())));
                    ++failures;
                    if (g_interrupted)
                        return ExitFailure;
                    continue;
                }
                runs.push_back(reportJson(report.value()));
            }
        }
    }
    std::signal(SIGINT, SIG_DFL);
    if (!runs.empty())
        writeStdout(render(runs, format));
    return failures == 0 ? ExitOk : ExitFailure;
}

} // namespace cliff::app
