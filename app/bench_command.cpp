#include "command_line.h"
#include "subcommands.h"

#include "ui/views/bench_record.h"

#include "bench/benchmark.h"
#include "bench/model_shape.h"

#include "core/csv.h"
#include "store/bench_history.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFileInfo>

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

QString historyCell(const QJsonValue &value)
{
    if (value.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : value.toArray())
            parts << QString::number(item.toDouble(), 'g', 10);
        return parts.join(u';');
    }
    return plainText(value);
}

// One CSV cell: a number as it is, anything else as a spreadsheet-safe text cell (a preset or
// machine name from a hand-edited database could start with "=").
QString csvField(const QJsonValue &value)
{
    const QString text = historyCell(value);
    if (value.isDouble())
        return text;
    return QString::fromStdString(csv::escape(csv::textCell(text.toStdString())));
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

// Field `key` of a flattened run with `decimals` decimals, or a dash when the run has none (a
// scalar run has no SIMD peak to divide by).
QString headlineCell(const std::map<QString, QJsonValue> &row, const QString &key, int decimals)
{
    const auto found = row.find(key);
    if (found == row.end() || !found->second.isDouble())
        return QStringLiteral("–");
    return QString::number(found->second.toDouble(), 'f', decimals);
}

// A fraction's cell, marked † when the run's probes of its ceiling (`steadyKey`) moved too much
// between the repetitions for the fraction to be sure.
QString fractionCell(const std::map<QString, QJsonValue> &row, const QString &key,
                     const QString &steadyKey, bool &marked)
{
    const auto steady = row.find(steadyKey);
    const bool moved = steady != row.end() && steady->second.isBool() && !steady->second.toBool();
    marked = marked || moved;
    return headlineCell(row, key, 2) + (moved ? QStringLiteral(" †") : QString());
}

// One row per run with what a reader compares at a glance, as llama-bench prints; every field
// stays in json, jsonl, csv and sql.
QString headlineTable(const std::vector<std::map<QString, QJsonValue>> &rows)
{
    QString out = QStringLiteral(
        "| preset | precision | threads | SIMD | decode tokens/s | prefill tokens/s | "
        "decode / read bandwidth | prefill / instruction peak |\n"
        "|---|---|---:|---|---:|---:|---:|---:|\n");
    const auto text = [](const std::map<QString, QJsonValue> &row, const char *key) {
        const auto found = row.find(QString::fromLatin1(key));
        return found == row.end() ? QString() : plainText(found->second);
    };
    bool marked = false;
    for (const auto &row : rows) {
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 ± %6 | %7 ± %8 | %9 | %10 |\n")
                   .arg(text(row, "preset"), text(row, "precision"),
                        text(row, "machine_threads_used"), text(row, "machine_simd"),
                        headlineCell(row, QStringLiteral("decode_tokens_per_s"), 1),
                        headlineCell(row, QStringLiteral("decode_tokens_per_s_stddev"), 1),
                        headlineCell(row, QStringLiteral("prefill_tokens_per_s"), 1),
                        headlineCell(row, QStringLiteral("prefill_tokens_per_s_stddev"), 1))
                   .arg(fractionCell(row, QStringLiteral("decode_roofline_fraction"),
                                     QStringLiteral("decode_ceiling_steady"), marked),
                        fractionCell(row, QStringLiteral("prefill_peak_fraction"),
                                     QStringLiteral("prefill_ceiling_steady"), marked));
    }
    out += QStringLiteral(
        "\nTokens/s: mean ± standard deviation over the repetitions. Decode is divided by the "
        "read-only memory bandwidth measured in the same run, prefill by the cores' multiply-add "
        "peak at the run's precision. Every other field: --format json, jsonl, csv or sql.\n");
    if (marked) {
        out += QStringLiteral(
            "† The probes of this ceiling, run before each repetition, moved by more than %1% "
            "of their mean (each probe: the *_samples fields of --format json), so the work and "
            "its ceiling may have met different loads on this machine: run again when it is "
            "quieter.\n")
                   .arg(qRound(100.0 * bench::kSteadyCeilingRange));
    }
    return out;
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
                fields << csvField(row.count(column) ? row.at(column) : QJsonValue());
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
        out = headlineTable(rows);
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
        error = QStringLiteral("%1 must be a number from %2 to %3, not %4")
                    .arg(name)
                    .arg(minimum)
                    .arg(maximum)
                    .arg(quoted(*text));
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
            error = QStringLiteral("%1 must be whole numbers from %2 to %3, not %4")
                        .arg(name)
                        .arg(minimum)
                        .arg(maximum)
                        .arg(quoted(part));
            return std::nullopt;
        }
        values.push_back(value);
    }
    return values;
}

// One saved run as a row of the history: (column, value) in a fixed order.
std::vector<std::pair<QString, QJsonValue>> historyRow(const store::BenchRun &run)
{
    QJsonArray decodeSamples, prefillSamples;
    for (const store::BenchSample &sample : run.samples) {
        if (sample.measure == "decode_tokens_per_s")
            decodeSamples.append(sample.value);
        else if (sample.measure == "prefill_tokens_per_s")
            prefillSamples.append(sample.value);
    }
    auto text = [](const std::string &value) { return QJsonValue(QString::fromStdString(value)); };
    // A figure an older run did not measure is null, not zero.
    auto measured = [](const auto &value) {
        return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
    };
    return {
        {QStringLiteral("id"), static_cast<double>(run.id)},
        {QStringLiteral("run_at"), text(run.runAtUtc)},
        {QStringLiteral("preset"), text(run.preset)},
        {QStringLiteral("attention"), ui::savedRunAttention(run)},
        {QStringLiteral("precision"), text(run.precision)},
        {QStringLiteral("threads_used"), run.machine.threadsUsed},
        {QStringLiteral("simd"), text(run.machine.simd)},
        {QStringLiteral("decode_tokens_per_s"), run.decodeTokensPerSecond},
        {QStringLiteral("decode_tokens_per_s_stddev"), run.decodeTokensPerSecondStddev},
        {QStringLiteral("decode_tokens_per_s_samples"), decodeSamples},
        {QStringLiteral("prefill_tokens_per_s"), run.prefillTokensPerSecond},
        {QStringLiteral("prefill_tokens_per_s_stddev"), run.prefillTokensPerSecondStddev},
        {QStringLiteral("prefill_tokens_per_s_samples"), prefillSamples},
        {QStringLiteral("decode_roofline_fraction"), measured(run.decodeRooflineFraction)},
        {QStringLiteral("decode_ceiling_steady"), measured(ui::savedRunDecodeCeilingSteady(run))},
        {QStringLiteral("decode_triad_fraction"), run.decodeTriadFraction},
        {QStringLiteral("prefill_peak_fraction"), measured(run.prefillPeakFraction)},
        {QStringLiteral("prefill_gemm_fraction"), run.prefillGemmFraction},
        {QStringLiteral("bandwidth_gbps_read_measured"), measured(run.bandwidthReadGbPerSecond)},
        {QStringLiteral("bandwidth_gbps_triad_measured"), run.bandwidthTriadGbPerSecond},
        {QStringLiteral("instruction_peak_gflops_measured"),
         measured(run.instructionPeakGflopsPerSecond)},
        {QStringLiteral("gemm_peak_gflops_measured"), run.gemmPeakGflopsPerSecond},
        {QStringLiteral("dense_over_moe_time_ratio"), measured(run.denseOverMoeTimeRatio)},
        {QStringLiteral("decode_usd_per_million_tokens"), run.decodeUsdPerMillionTokens},
        {QStringLiteral("prefill_usd_per_million_tokens"), run.prefillUsdPerMillionTokens},
        {QStringLiteral("cpu_model"), text(run.machine.cpuModel)},
        {QStringLiteral("cores"), run.machine.logicalCores},
        {QStringLiteral("ram_total_bytes"), run.machine.ramTotalBytes},
        {QStringLiteral("build_type"), text(run.machine.buildType)},
        {QStringLiteral("compiler"), text(run.machine.compiler)},
        {QStringLiteral("scaled"), text(run.scaled)},
    };
}

// The saved runs, newest first: md and csv one row per run, json with each run's full report.
QByteArray renderHistory(const std::vector<store::BenchRun> &runs, const QString &format)
{
    if (format == u"json") {
        QJsonArray array;
        for (const store::BenchRun &run : runs) {
            QJsonObject object;
            for (const auto &[key, value] : historyRow(run))
                object.insert(key, value);
            object.insert(QStringLiteral("report"),
                          QJsonDocument::fromJson(QByteArray::fromStdString(run.reportJson))
                              .object());
            array.append(object);
        }
        return QJsonDocument(array).toJson(QJsonDocument::Indented);
    }
    QString out;
    if (format == u"csv") {
        QStringList header;
        for (const auto &[key, value] : historyRow(store::BenchRun{}))
            header << key;
        out += header.join(u',') + u'\n';
        for (const store::BenchRun &run : runs) {
            QStringList fields;
            for (const auto &[key, value] : historyRow(run))
                fields << csvField(value);
            out += fields.join(u',') + u'\n';
        }
        return out.toUtf8();
    }
    if (runs.empty())
        return QByteArrayLiteral("No saved benchmark runs.\n");
    out += QStringLiteral("| run at (UTC) | preset | attention | precision | threads | SIMD | "
                          "decode tokens/s | prefill tokens/s | decode roofline | USD per 1M "
                          "decode tokens | CPU |\n"
                          "|---|---|---|---|---|---|---|---|---|---|---|\n");
    bool marked = false;
    for (const store::BenchRun &run : runs) {
        marked = marked || ui::savedRunDecodeCeilingSteady(run) == false;
        out += QStringLiteral(
                   "| %1 | %2 | %3 | %4 | %5 | %6 | %7 ± %8 | %9 ± %10 | %11 | %12 | %13 |\n")
                   .arg(QString::fromStdString(run.runAtUtc), QString::fromStdString(run.preset),
                        ui::savedRunAttention(run), QString::fromStdString(run.precision))
                   .arg(run.machine.threadsUsed)
                   .arg(QString::fromStdString(run.machine.simd))
                   .arg(run.decodeTokensPerSecond, 0, 'f', 1)
                   .arg(run.decodeTokensPerSecondStddev, 0, 'f', 1)
                   .arg(run.prefillTokensPerSecond, 0, 'f', 1)
                   .arg(run.prefillTokensPerSecondStddev, 0, 'f', 1)
                   .arg(ui::savedRunDecodeFraction(run))
                   .arg(run.decodeUsdPerMillionTokens, 0, 'g', 3)
                   .arg(QString::fromStdString(run.machine.cpuModel));
    }
    if (marked) {
        out += QStringLiteral("\n† The read-only bandwidth moved by more than %1% of its mean "
                              "during this run, so its decode roofline is uncertain.\n")
                   .arg(qRound(100.0 * bench::kSteadyCeilingRange));
    }
    return out.toUtf8();
}

// `bench --history`: the saved runs. A missing database is an empty history, not created.
int printHistory(const QString &path, const QString &format)
{
    std::vector<store::BenchRun> runs;
    if (QFileInfo::exists(path)) {
        auto history = store::BenchHistory::openForReading(path);
        if (!history) {
            printError(QString::fromStdString(history.error().toString()));
            return ExitFailure;
        }
        auto saved = history->runs();
        if (!saved) {
            printError(QString::fromStdString(saved.error().toString()));
            return ExitFailure;
        }
        runs = std::move(saved).value();
    }
    writeStdout(renderHistory(runs, format));
    return ExitOk;
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
                           QStringLiteral("--hardware-usd"), QStringLiteral("--years"),
                           QStringLiteral("--simd"), QStringLiteral("--user-db")},
                          {QStringLiteral("--no-dense"), QStringLiteral("--quiet"),
                           QStringLiteral("--no-save"), QStringLiteral("--history")},
                          0,
                          {}};
    const auto options = parseOptions(args, spec, QStringLiteral("bench"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const QString format =
        options->value(QStringLiteral("--format")).value_or(QStringLiteral("md"));
    if (options->has(QStringLiteral("--history"))) {
        if (format != u"md" && format != u"csv" && format != u"json") {
            printError(QStringLiteral("unknown history format %1 (use md, csv or json)")
                           .arg(quoted(format)));
            return ExitUsage;
        }
        return printHistory(userDbPath(*options), format);
    }
    if (format != u"md" && format != u"csv" && format != u"json" && format != u"jsonl" &&
        format != u"sql") {
        printError(
            QStringLiteral("unknown format %1 (use md, csv, json, jsonl or sql)").arg(quoted(format)));
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
            printError(QStringLiteral("unknown preset %1 (one of: %2)")
                           .arg(quoted(name), known.join(QStringLiteral(", "))));
            return ExitUsage;
        }
        shapes.push_back(shape);
    }
    std::vector<bench::Precision> precisions;
    const QString precisionText =
        options->value(QStringLiteral("--precision")).value_or(QStringLiteral("fp32"));
    for (const QString &name : precisionText.split(u',')) {
        const std::optional<bench::Precision> precision =
            bench::precisionNamed(name.trimmed().toStdString());
        if (!precision) {
            printError(QStringLiteral("unknown precision %1 (use fp32, bf16, int8 or q4)")
                           .arg(quoted(name)));
            return ExitUsage;
        }
        precisions.push_back(*precision);
    }
    // Unset: the best level the CPU has. A list runs each level, e.g. to compare kernels.
    std::vector<std::optional<bench::SimdLevel>> simdLevels{std::nullopt};
    if (const auto text = options->value(QStringLiteral("--simd"))) {
        simdLevels.clear();
        for (const QString &name : text->split(u',')) {
            std::optional<bench::SimdLevel> level;
            for (bench::SimdLevel candidate :
                 {bench::SimdLevel::Scalar, bench::SimdLevel::Avx2, bench::SimdLevel::Avx512Vnni}) {
                if (name.trimmed() == QLatin1String(bench::simdName(candidate)))
                    level = candidate;
            }
            if (!level) {
                printError(QStringLiteral("unknown SIMD level %1 (use scalar, avx2+fma or "
                                          "avx512+vnni)")
                               .arg(quoted(name)));
                return ExitUsage;
            }
            simdLevels.push_back(level);
        }
    }
    std::vector<int> threadCounts{0};
    if (const auto text = options->value(QStringLiteral("--threads"))) {
        auto parsed = parseIntegerList(*text, QStringLiteral("--threads"), 1, 1024, error);
        if (!parsed) {
            printError(error);
            return ExitUsage;
        }
        // More threads than CPUs would only take turns on them.
        const int cpus = bench::usableCpuCount();
        for (int threads : *parsed) {
            if (threads > cpus) {
                printError(QStringLiteral("--threads %1 is more than the %2 logical CPUs this "
                                          "process may run on")
                               .arg(threads)
                               .arg(cpus));
                return ExitUsage;
            }
        }
        threadCounts = *parsed;
    }
    const bench::BenchConfig configDefaults;
    const auto tokens =
        parseNumber(*options, QStringLiteral("--tokens"), 1, 65536,
                    static_cast<double>(configDefaults.decodeTokens), error);
    const auto promptTokens =
        tokens ? parseNumber(*options, QStringLiteral("--prompt-tokens"), 1, 65536,
                             static_cast<double>(configDefaults.prefillTokens), error)
               : std::nullopt;
    const auto repetitions =
        promptTokens ? parseNumber(*options, QStringLiteral("--repetitions"), 1, 1000,
                                   configDefaults.repetitions, error)
                     : std::nullopt;
    const auto budget =
        repetitions ? parseNumber(*options, QStringLiteral("--budget-gib"), 0.0, 1e6,
                                  configDefaults.weightBudgetBytes / double(1ULL << 30), error)
                    : std::nullopt;
    const bench::CostAssumptions &defaults = configDefaults.cost;
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

    // Opened before the runs, so a database that cannot take them fails before minutes of work.
    std::optional<store::BenchHistory> history;
    if (!options->has(QStringLiteral("--no-save"))) {
        auto opened = store::BenchHistory::open(userDbPath(*options));
        if (!opened) {
            printError(QStringLiteral("cannot save runs (use --no-save to run without): %1")
                           .arg(QString::fromStdString(opened.error().toString())));
            return ExitFailure;
        }
        history = std::move(opened).value();
    }

    g_interrupted = false;
    std::signal(SIGINT, onInterrupt);
    const bool quiet = options->has(QStringLiteral("--quiet"));
    std::vector<QJsonObject> runs;
    int failures = 0;
    // Every combination of the listed presets, precisions, thread counts and SIMD levels.
    std::vector<bench::BenchConfig> configs;
    for (const bench::ModelShape *shape : shapes) {
        for (bench::Precision precision : precisions) {
            for (int threads : threadCounts) {
                for (const std::optional<bench::SimdLevel> &simd : simdLevels) {
                    bench::BenchConfig config;
                    config.shape = *shape;
                    config.precision = precision;
                    config.threads = threads;
                    config.simd = simd;
                    configs.push_back(config);
                }
            }
        }
    }
    for (bench::BenchConfig &config : configs) {
        config.decodeTokens = static_cast<std::size_t>(*tokens);
        config.prefillTokens = static_cast<std::size_t>(*promptTokens);
        config.repetitions = static_cast<int>(*repetitions);
        config.weightBudgetBytes = *budget * 1024.0 * 1024.0 * 1024.0;
        config.budgetRequested = options->value(QStringLiteral("--budget-gib")).has_value();
        config.compareDense = !options->has(QStringLiteral("--no-dense"));
        config.cost = {*power, *price, *hardware, *years};
        QString label = QStringLiteral("%1 %2 %3 threads")
                            .arg(QString::fromStdString(config.shape.name),
                                 QString::fromLatin1(bench::precisionName(config.precision)))
                            .arg(config.threads > 0 ? QString::number(config.threads)
                                                    : QStringLiteral("all"));
        if (config.simd)
            label += u' ' + QString::fromLatin1(bench::simdName(*config.simd));
        std::string lastStage;
        auto progress = [&](double fraction, const std::string &stage) {
            if (quiet || stage == lastStage)
                return;
            lastStage = stage;
            std::fprintf(stderr, "bench: %s: %3.0f%% %s\n", qPrintable(label), 100.0 * fraction,
                         stage.c_str());
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
        runs.push_back(ui::benchReportJson(report.value()));
        if (history) {
            if (auto saved = history->save(ui::benchRunRecord(report.value())); !saved) {
                printError(QStringLiteral("%1: not saved: %2")
                               .arg(label, QString::fromStdString(saved.error().toString())));
                ++failures;
            }
        }
    }
    std::signal(SIGINT, SIG_DFL);
    if (!runs.empty())
        writeStdout(render(runs, format));
    return failures == 0 ? ExitOk : ExitFailure;
}

} // namespace cliff::app
