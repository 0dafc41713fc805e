#include "benchmark_view.h"

#include "ui/help/glossary.h"

#include "bench_record.h"

#include "charts/chart_widget.h"

#include "bench/machine.h"
#include "bench/model_shape.h"

#include "store/bench_history.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace cliff::ui {

// What the worker shares with the view: the cancel flag and the latest progress, read by a timer
// on the UI thread so progress never queues one event per callback.
struct BenchmarkView::RunState {
    std::atomic<bool> cancel{false};
    std::mutex mutex;
    double fraction = 0.0;
    std::string stage;
};

struct BenchmarkView::Outcome {
    std::optional<bench::BenchReport> report;
    std::string error;
};

namespace {

constexpr int kProgressSteps = 1000;

QString number(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

// A sentence naming the ceilings whose probes moved too much between the run's repetitions
// for the shares of them to be sure, with how far; empty when both held.
QString movedCeilings(const bench::BenchReport &r)
{
    QStringList moved;
    const auto check = [&](const bench::Samples &probes, const QString &ceiling,
                           const QString &unit, int decimals) {
        if (bench::steadyCeiling(probes))
            return;
        const auto [low, high] = std::minmax_element(probes.values.begin(), probes.values.end());
        moved << QObject::tr("%1 moved from %2 to %3 %4")
                     .arg(ceiling, number(*low, decimals), number(*high, decimals), unit);
    };
    check(r.readGbPerSecond, QObject::tr("the read-only bandwidth"), QObject::tr("GB/s"), 1);
    check(r.instructionPeakGflopsPerSecond, QObject::tr("the instruction peak"),
          QObject::tr("GFLOP/s"), 0);
    if (moved.isEmpty())
        return {};
    return QObject::tr(" Between the repetitions %1, so the share of a ceiling that moved is "
                       "uncertain: run again when the machine is quieter.")
        .arg(moved.join(QObject::tr(" and ")));
}

QString usd(double value)
{
    return value >= 1.0 ? QStringLiteral("$") + number(value, 2)
                        : QStringLiteral("$") + QLocale().toString(value, 'g', 2);
}

plot::Axis categoryAxis(const std::vector<std::string> &categories)
{
    plot::Axis axis;
    axis.kind = plot::AxisKind::Category;
    axis.categories = categories;
    return axis;
}

plot::Axis valueAxis(const QString &title, const QString &unit, bool logAllowed = false)
{
    plot::Axis axis;
    axis.title = title.toStdString();
    axis.unit = unit.toStdString();
    axis.logAllowed = logAllowed;
    return axis;
}

plot::Series bars(const QString &name, int colour, const std::vector<double> &values,
                  const QStringList &labels)
{
    plot::Series series;
    series.name = name.toStdString();
    series.shape = plot::SeriesShape::Bars;
    series.evidence = plot::Evidence::Reported;
    series.colour = colour;
    for (std::size_t i = 0; i < values.size(); ++i) {
        plot::Point point;
        point.x = static_cast<double>(i);
        point.y = values[i];
        if (static_cast<qsizetype>(i) < labels.size())
            point.label = labels.at(static_cast<qsizetype>(i)).toStdString();
        series.points.push_back(point);
    }
    return series;
}

// Upper edges (inclusive) of the load bins, as multiples of an even share; the last bin is open.
constexpr double kLoadBinEdges[] = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0};
constexpr std::size_t kLoadBins = std::size(kLoadBinEdges) + 1;

std::vector<double> loadHistogram(const std::vector<double> &shares)
{
    std::vector<double> counts(kLoadBins, 0.0);
    const double even = shares.empty() ? 0.0 : 1.0 / static_cast<double>(shares.size());
    for (double share : shares) {
        const double multiple = even > 0.0 ? share / even : 0.0;
        std::size_t bin = 0;
        while (bin < std::size(kLoadBinEdges) && multiple > kLoadBinEdges[bin])
            ++bin;
        counts[bin] += 1.0;
    }
    return counts;
}

// Upper edges of the bins, short enough to stay whole under a bar group; the axis title says so.
std::vector<std::string> loadBinNames()
{
    return {"¼", "½", "¾", "1", "1¼", "1½", "2", "3", ">3"};
}

QTableWidgetItem *cell(const QString &text, bool numeric = false)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (numeric)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

BenchmarkView::BenchmarkView(const QString &userDbPath, QWidget *parent)
    : QWidget(parent), m_userDbPath(userDbPath), m_progressTimer(new QTimer(this)),
      m_watcher(new QFutureWatcher<Outcome>(this))
{
    buildForm();
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, &BenchmarkView::pollProgress);
    connect(m_watcher, &QFutureWatcher<Outcome>::finished, this, &BenchmarkView::finish);
    updateDescription();
    refreshHistory();
}

BenchmarkView::~BenchmarkView()
{
    // The worker holds its own copy of the state; stop it so no thread outlives the view long.
    if (m_state)
        m_state->cancel = true;
    m_watcher->waitForFinished();
}

void BenchmarkView::buildForm()
{
    auto *settings = new QGroupBox(tr("Benchmark"), this);
    auto *form = new QFormLayout(settings);
    m_preset = new QComboBox(settings);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const bench::ModelShape &shape : bench::presets())
        m_preset->addItem(QString::fromStdString(shape.name));
    m_preset->setCurrentText(QStringLiteral("olmoe-1b-7b"));
    m_precision = new QComboBox(settings);
    m_precision->setObjectName(QStringLiteral("precisionCombo"));
    m_precision->addItem(tr("int8 (8-bit weights)"), QStringLiteral("int8"));
    m_precision->addItem(tr("bf16 (16-bit weights)"), QStringLiteral("bf16"));
    m_precision->addItem(tr("fp32 (32-bit weights)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("q4 (4-bit weights)"), QStringLiteral("q4"));
    const int cores = bench::usableCpuCount();
    m_threads = new QSpinBox(settings);
    m_threads->setObjectName(QStringLiteral("threadsSpin"));
    m_threads->setRange(1, cores);
    m_threads->setValue(cores);
    const bench::BenchConfig configDefaults;
    m_tokens = new QSpinBox(settings);
    m_tokens->setObjectName(QStringLiteral("tokensSpin"));
    m_tokens->setRange(1, 65536);
    m_tokens->setValue(static_cast<int>(configDefaults.decodeTokens));
    m_promptTokens = new QSpinBox(settings);
    m_promptTokens->setObjectName(QStringLiteral("promptTokensSpin"));
    m_promptTokens->setRange(1, 65536);
    m_promptTokens->setValue(static_cast<int>(configDefaults.prefillTokens));
    m_repetitions = new QSpinBox(settings);
    m_repetitions->setObjectName(QStringLiteral("repetitionsSpin"));
    m_repetitions->setRange(1, 1000);
    m_repetitions->setValue(configDefaults.repetitions);
    m_compareDense = new QCheckBox(tr("Also run dense models"), settings);
    m_compareDense->setObjectName(QStringLiteral("compareDenseCheck"));
    m_compareDense->setChecked(true);
    setHelpTopic(m_preset, "moe");
    setHelpTopic(m_precision, "precision");
    setHelpTopic(m_tokens, "decode");
    setHelpTopic(m_promptTokens, "decode");
    form->addRow(tr("Model shape"), m_preset);
    form->addRow(tr("Weights"), m_precision);
    form->addRow(tr("Threads"), m_threads);
    form->addRow(tr("Generated tokens"), m_tokens);
    form->addRow(tr("Prompt tokens"), m_promptTokens);
    form->addRow(tr("Repetitions"), m_repetitions);
    form->addRow(QString(), m_compareDense);

    auto *costBox = new QGroupBox(tr("Cost per 1M tokens"), this);
    auto *costForm = new QFormLayout(costBox);
    const bench::CostAssumptions &defaults = configDefaults.cost;
    auto spin = [&](const char *name, double value, double maximum, int decimals,
                    const QString &suffix) {
        auto *box = new QDoubleSpinBox(costBox);
        box->setObjectName(QString::fromLatin1(name));
        box->setRange(0.0, maximum);
        box->setDecimals(decimals);
        box->setValue(value);
        box->setSuffix(suffix);
        connect(box, &QDoubleSpinBox::valueChanged, this, &BenchmarkView::updateCost);
        return box;
    };
    m_powerWatts = spin("powerSpin", defaults.powerWatts, 100000.0, 0, tr(" W"));
    m_electricityUsdPerKwh =
        spin("electricitySpin", defaults.electricityUsdPerKwh, 10.0, 3, tr(" per kWh"));
    m_hardwareUsd = spin("hardwareSpin", defaults.hardwareUsd, 1e7, 0, QString());
    // Money reads "$2,000" and "$0.150 per kWh" here as in every other label.
    m_electricityUsdPerKwh->setPrefix(QStringLiteral("$"));
    m_hardwareUsd->setPrefix(QStringLiteral("$"));
    m_hardwareUsd->setGroupSeparatorShown(true);
    m_lifeYears = spin("lifeSpin", defaults.amortisationYears, 50.0, 1, tr(" years"));
    m_lifeYears->setMinimum(0.1);
    costForm->addRow(tr("Power draw"), m_powerWatts);
    costForm->addRow(tr("Electricity"), m_electricityUsdPerKwh);
    costForm->addRow(tr("Hardware price"), m_hardwareUsd);
    costForm->addRow(tr("Written off over"), m_lifeYears);

    m_run = new QPushButton(tr("Run"), this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    connect(m_run, &QPushButton::clicked, this, &BenchmarkView::run);
    connect(m_cancel, &QPushButton::clicked, this, &BenchmarkView::cancel);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_stage = new QLabel(tr("Not run yet."), this);
    m_stage->setObjectName(QStringLiteral("stageLabel"));
    m_stage->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);

    auto *left = new QVBoxLayout;
    left->addWidget(settings);
    left->addWidget(costBox);
    left->addLayout(buttons);
    left->addWidget(m_progress);
    left->addWidget(m_stage);
    left->addStretch(1);

    m_attention = new QLabel(this);
    m_attention->setObjectName(QStringLiteral("attentionLabel"));
    m_scaling = new QLabel(this);
    m_scaling->setObjectName(QStringLiteral("scalingLabel"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_cost = new QLabel(this);
    m_cost->setObjectName(QStringLiteral("costLabel"));
    for (QLabel *label : {m_attention, m_scaling, m_summary, m_cost}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    auto noFigures = [](const std::string &) -> std::optional<FigureInfo> { return std::nullopt; };
    auto makeChart = [&](const char *name) {
        auto *chart = new ChartWidget(noFigures, this);
        chart->setObjectName(QString::fromLatin1(name));
        chart->setMinimumWidth(360);
        return chart;
    };
    m_speedChart = makeChart("speedChart");
    m_rooflineChart = makeChart("rooflineChart");
    m_denseChart = makeChart("denseChart");
    m_loadChart = makeChart("expertLoadChart");
    m_waterfallChart = makeChart("decodeWaterfallChart");
    // The charts appear with the first result; until then a line says what Run will show.
    m_charts = new QWidget(this);
    m_charts->setVisible(false);
    auto *charts = new QGridLayout(m_charts);
    charts->setContentsMargins(0, 0, 0, 0);
    charts->addWidget(m_speedChart, 0, 0);
    charts->addWidget(m_rooflineChart, 0, 1);
    charts->addWidget(m_denseChart, 1, 0);
    charts->addWidget(m_loadChart, 1, 1);
    charts->addWidget(m_waterfallChart, 2, 0, 1, 2);

    m_history = new QTableWidget(this);
    m_history->setObjectName(QStringLiteral("historyTable"));
    m_history->setColumnCount(11);
    m_history->setHorizontalHeaderLabels(
        {tr("Run at (UTC)"), tr("Model shape"), tr("Weights"), tr("Threads"), tr("SIMD"),
         tr("Decode tokens/s"), tr("Prefill tokens/s"), tr("Decode roofline"),
         tr("$ per 1M tokens"), tr("Attention"), tr("CPU")});
    m_history->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_history->verticalHeader()->setVisible(false);
    m_history->setMinimumHeight(140);
    auto *historyBox = new QGroupBox(tr("Saved runs"), this);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->addWidget(m_history);
    historyBox->setVisible(!m_userDbPath.isEmpty());

    auto *right = new QVBoxLayout;
    right->addWidget(m_attention);
    right->addWidget(m_scaling);
    right->addWidget(m_summary);
    right->addWidget(m_cost);
    m_notRunYet = new QLabel(tr("Press Run to measure this machine. Five charts appear here: "
                                "speed, the share of the machine's ceilings reached, MoE against "
                                "dense, how evenly the router loads the experts, and where a "
                                "decode token's time goes."),
                             this);
    m_notRunYet->setObjectName(QStringLiteral("notRunYetLabel"));
    m_notRunYet->setWordWrap(true);
    right->addWidget(m_notRunYet);
    right->addWidget(m_charts, 1);
    right->addWidget(historyBox);

    auto *content = new QWidget;
    auto *columns = new QHBoxLayout(content);
    columns->addLayout(left, 0);
    columns->addLayout(right, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &BenchmarkView::updateDescription);
    connect(m_precision, &QComboBox::currentIndexChanged, this,
            &BenchmarkView::updateDescription);
}

bench::CostAssumptions BenchmarkView::costAssumptions() const
{
    return {m_powerWatts->value(), m_electricityUsdPerKwh->value(), m_hardwareUsd->value(),
            m_lifeYears->value()};
}

bench::BenchConfig BenchmarkView::config() const
{
    bench::BenchConfig config;
    if (const bench::ModelShape *shape = bench::findPreset(m_preset->currentText().toStdString()))
        config.shape = *shape;
    const QString precision = m_precision->currentData().toString();
    config.precision =
        bench::precisionNamed(precision.toStdString()).value_or(bench::Precision::Fp32);
    config.threads = m_threads->value();
    config.decodeTokens = static_cast<std::size_t>(m_tokens->value());
    config.prefillTokens = static_cast<std::size_t>(m_promptTokens->value());
    config.repetitions = m_repetitions->value();
    config.compareDense = m_compareDense->isChecked();
    config.cost = costAssumptions();
    return config;
}

void BenchmarkView::updateDescription()
{
    const bench::BenchConfig c = config();
    const bench::ModelShape &s = c.shape;
    // The label names what the benchmark runs for this preset.
    QString attention;
    switch (s.attention()) {
    case bench::AttentionKind::Latent:
        attention = tr("Attention: multi-head latent attention, as DeepSeek defines it (%1 heads; "
                       "each position caches a latent of %2 values and a shared RoPE key of %3, "
                       "and each head's query is turned into the latent's space instead of "
                       "decompressing keys).")
                        .arg(s.heads)
                        .arg(s.kvLoraRank)
                        .arg(s.ropeHeadDim);
        if (s.qLoraRank > 0)
            attention += u' ' + tr("Queries pass through a latent of %1.").arg(s.qLoraRank);
        break;
    case bench::AttentionKind::GroupedQuery:
        attention = tr("Attention: grouped-query attention with a KV cache (%1 heads, %2 KV heads "
                       "of %3).")
                        .arg(s.heads)
                        .arg(s.kvHeads)
                        .arg(s.headDim);
        break;
    case bench::AttentionKind::MultiHead:
        attention = tr("Attention: multi-head attention with a KV cache (%1 heads of %2, each "
                       "with its own key and value head).")
                        .arg(s.heads)
                        .arg(s.headDim);
        break;
    }
    attention += u' ' + tr("Router: %1, top-%2 of %3 experts, %4 shared.")
                            .arg(QString::fromLatin1(bench::gatingName(s.gating)))
                            .arg(s.topK)
                            .arg(s.routedExperts)
                            .arg(s.sharedExperts);
    m_attention->setText(attention);
    const bench::MemoryLimit limit = bench::memoryLimit();
    auto plan = bench::planScaling(c, limit.bytes, bench::lastLevelCacheBytes(), limit.source);
    m_scaling->setText(plan ? tr("Scaling: %1.").arg(QString::fromStdString(plan->description))
                            : tr("Cannot run: %1.")
                                  .arg(QString::fromStdString(plan.error().message)));
}

void BenchmarkView::run()
{
    if (m_running)
        return;
    m_state = std::make_shared<RunState>();
    std::shared_ptr<RunState> state = m_state;
    const bench::BenchConfig copy = config();
    m_watcher->setFuture(QtConcurrent::run([state, copy]() {
        auto progress = [state](double fraction, const std::string &stage) {
            std::lock_guard lock(state->mutex);
            state->fraction = fraction;
            state->stage = stage;
        };
        Outcome outcome;
        auto report = bench::runBenchmark(copy, progress, &state->cancel);
        if (report)
            outcome.report = std::move(report).value();
        else
            outcome.error = report.error().message;
        return outcome;
    }));
    setRunning(true);
    m_progress->setValue(0);
    m_stage->setText(tr("Starting…"));
}

void BenchmarkView::cancel()
{
    if (m_state)
        m_state->cancel = true;
}

void BenchmarkView::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
    for (QWidget *input : std::initializer_list<QWidget *>{
             m_preset, m_precision, m_threads, m_tokens, m_promptTokens, m_repetitions,
             m_compareDense})
        input->setEnabled(!running);
    if (running)
        m_progressTimer->start();
    else
        m_progressTimer->stop();
}

void BenchmarkView::pollProgress()
{
    if (!m_state)
        return;
    double fraction = 0.0;
    std::string stage;
    {
        std::lock_guard lock(m_state->mutex);
        fraction = m_state->fraction;
        stage = m_state->stage;
    }
    m_progress->setValue(static_cast<int>(fraction * kProgressSteps));
    if (!stage.empty())
        m_stage->setText(tr("Running: %1").arg(QString::fromStdString(stage)));
}

void BenchmarkView::finish()
{
    const Outcome outcome = m_watcher->result();
    const bool cancelled = m_state && m_state->cancel;
    setRunning(false);
    if (!outcome.report) {
        m_progress->setValue(0);
        m_stage->setText(cancelled ? tr("Cancelled.")
                                   : tr("Failed: %1").arg(QString::fromStdString(outcome.error)));
        Q_EMIT runFinished(false);
        return;
    }
    m_progress->setValue(kProgressSteps);
    m_report = outcome.report;
    QString status = tr("Done in %1 s.").arg(number(m_report->wallSeconds, 1));
    if (!m_userDbPath.isEmpty()) {
        auto history = store::BenchHistory::open(m_userDbPath);
        auto saved = history ? history->save(benchRunRecord(*m_report))
                             : Result<std::int64_t>(history.error());
        status += u' ' + (saved ? tr("Saved to your runs.")
                                : tr("Not saved: %1")
                                      .arg(QString::fromStdString(saved.error().message)));
    }
    m_stage->setText(status);
    showReport(*m_report);
    refreshHistory();
    Q_EMIT runFinished(true);
}

void BenchmarkView::updateCost()
{
    if (!m_report) {
        m_cost->setText(tr("Run the benchmark to see what a million tokens would cost on this "
                           "machine."));
        return;
    }
    const bench::CostAssumptions cost = costAssumptions();
    const double decode = bench::usdPerMillionTokens(m_report->fullModelDecodeTokensPerSecond, cost);
    const double prefill =
        bench::usdPerMillionTokens(m_report->fullModelPrefillTokensPerSecond, cost);
    m_cost->setText(tr("The whole %1 model on this machine: about %2 generated tokens/s and %3 "
                       "prompt tokens/s, so %4 per 1M generated tokens and %5 per 1M prompt "
                       "tokens (%6 W at %7 $/kWh, $%8 of hardware over %9 years). It needs %10 "
                       "GiB of RAM at int8, %11 GiB at fp32.")
                        .arg(QString::fromStdString(m_report->preset))
                        .arg(number(m_report->fullModelDecodeTokensPerSecond, 1))
                        .arg(number(m_report->fullModelPrefillTokensPerSecond, 0))
                        .arg(usd(decode), usd(prefill))
                        .arg(number(cost.powerWatts, 0))
                        .arg(number(cost.electricityUsdPerKwh, 3))
                        .arg(number(cost.hardwareUsd, 0))
                        .arg(number(cost.amortisationYears, 1))
                        .arg(number(m_report->fullModelRamInt8Bytes / (1u << 30), 1))
                        .arg(number(m_report->fullModelRamFp32Bytes / (1u << 30), 1)));
}

void BenchmarkView::showReport(const bench::BenchReport &r)
{
    m_notRunYet->setVisible(false);
    m_charts->setVisible(true);
    m_scaling->setText(tr("Scaling: %1.").arg(QString::fromStdString(r.scale.description)));
    m_summary->setText(
        tr("%1 at %2 on %3 threads (%4): decode %5 ± %6 tokens/s, prefill %7 ± %8 tokens/s over "
           "%9 repetitions.")
            .arg(QString::fromStdString(r.preset),
                 QString::fromLatin1(bench::precisionName(r.precision)))
            .arg(r.threads)
            .arg(QString::fromLatin1(bench::simdName(r.simd)))
            .arg(number(r.decodeTokensPerSecond.mean, 1))
            .arg(number(r.decodeTokensPerSecond.stddev, 1))
            .arg(number(r.prefillTokensPerSecond.mean, 1))
            .arg(number(r.prefillTokensPerSecond.stddev, 1))
            .arg(r.repetitions));
    updateCost();

    plot::ChartSpec speed;
    speed.key = "bench-speed";
    speed.title = tr("Speed on this machine").toStdString();
    speed.x = categoryAxis({tr("Decode").toStdString(), tr("Prefill").toStdString()});
    speed.y = valueAxis(tr("Speed"), tr("tokens/s"), true);
    speed.series.push_back(bars(
        tr("Measured"), 0, {r.decodeTokensPerSecond.mean, r.prefillTokensPerSecond.mean},
        {tr("decode, mean of %1").arg(r.decodeTokensPerSecond.values.size()),
         tr("prefill, mean of %1").arg(r.prefillTokensPerSecond.values.size())}));
    speed.note = tr("Allocated layers of the model: decode one token at a time, prefill a "
                    "%1-token prompt in one batch. Mean of the repetitions (standard deviation "
                    "%2 and %3 tokens/s).")
                     .arg(r.prefillTokens)
                     .arg(number(r.decodeTokensPerSecond.stddev, 1),
                          number(r.prefillTokensPerSecond.stddev, 1))
                     .toStdString();
    m_speedChart->setSpec(speed, QString());

    plot::ChartSpec roofline;
    roofline.key = "bench-roofline";
    roofline.title = tr("Roofline").toStdString();
    roofline.x = categoryAxis({tr("Decode").toStdString(), tr("Prefill").toStdString()});
    roofline.y = valueAxis(tr("Share of the ceiling"), tr("%"));
    // The physical ceilings first: decode is a read-only stream, prefill is arithmetic.
    roofline.series.push_back(bars(tr("Of the machine's ceiling"), 1,
                                   {100.0 * r.decodeRooflineFraction, 100.0 * r.prefillPeakFraction},
                                   {tr("decode GB/s over read-only GB/s"),
                                    tr("prefill GFLOP/s over the instruction peak")}));
    roofline.series.push_back(bars(tr("Of a lower ceiling"), 2,
                                   {100.0 * r.decodeTriadFraction, 100.0 * r.prefillGemmFraction},
                                   {tr("decode GB/s over triad GB/s"),
                                    tr("prefill GFLOP/s over this benchmark's GEMM")}));
    roofline.markers.push_back({false, 100.0, tr("the ceiling (100%)").toStdString()});
    roofline.fixedY = std::make_pair(
        0.0, std::max({110.0, 105.0 * r.decodeRooflineFraction, 105.0 * r.decodeTriadFraction,
                       105.0 * r.prefillPeakFraction, 105.0 * r.prefillGemmFraction}));
    roofline.note = tr("Decode reads %1 GB/s; a read-only stream, run before each decode "
                       "repetition, reached %2 GB/s (the triad, which also writes, %3 GB/s). "
                       "Prefill computes %4 GFLOP/s; the cores' multiply-add instructions peak "
                       "at %5 and this benchmark's own GEMM at %6.")
                        .arg(number(r.decodeGbPerSecond, 1), number(r.readGbPerSecond.mean, 1),
                             number(r.triadGbPerSecond, 1), number(r.prefillGflopsPerSecond, 0),
                             number(r.instructionPeakGflopsPerSecond.mean, 0),
                             number(r.gemmPeakGflopsPerSecond, 0))
                        .append(movedCeilings(r))
                        .toStdString();
    m_rooflineChart->setSpec(roofline, QString());

    plot::ChartSpec dense;
    dense.key = "bench-dense";
    dense.title = tr("MoE against dense").toStdString();
    dense.x = categoryAxis({tr("Decode").toStdString(), tr("Prefill").toStdString()});
    dense.y = valueAxis(tr("Speed"), tr("tokens/s"), true);
    if (r.comparedDense) {
        dense.series.push_back(bars(tr("Mixture of experts"), 0,
                                    {r.decodeTokensPerSecond.mean, r.prefillTokensPerSecond.mean},
                                    {}));
        dense.series.push_back(bars(tr("Dense"), 2,
                                    {r.denseSameTotalDecodeTokensPerSecond.mean,
                                     r.denseEqualActivePrefillTokensPerSecond.mean},
                                    {}));
        dense.note = tr("Decode against a dense model of the same total size, prefill against "
                        "one of the same active size, timed in turn with the MoE prefill. "
                        "At the same total size the MoE model decodes %1× faster (the bytes read "
                        "per token predict %2×; the real model reads %3% of its weights per "
                        "token). At equal active size its prefill runs at %4× the dense speed.")
                         .arg(number(r.denseOverMoeTimeRatio, 1),
                              number(r.denseOverMoeBytesRatio, 1),
                              number(100.0 * r.activeParams / r.totalParams, 0),
                              number(r.moeOverDensePrefillEqualActive, 2))
                         .toStdString();
    } else {
        dense.note = tr("Not run: tick \"Also run dense models\".").toStdString();
    }
    m_denseChart->setSpec(dense, QString());

    plot::ChartSpec load;
    load.key = "bench-expert-load";
    load.title = tr("Expert load").toStdString();
    load.x = categoryAxis(loadBinNames());
    load.x.title = tr("Expert's load in even shares (each bar: up to)").toStdString();
    load.y = valueAxis(tr("Experts"), tr("count"));
    load.series.push_back(bars(tr("Without bias"), 5, loadHistogram(r.expertLoad.unbiased), {}));
    load.series.push_back(bars(tr("With balancing bias"), 2, loadHistogram(r.expertLoad.balanced),
                               {}));
    load.note = tr("Simulated routing of %1 tokens over %2 experts (top-%3) by a deliberately "
                   "unbalanced router; the bias is learned with DeepSeek-V3's auxiliary-loss-free "
                   "rule. Busiest expert: %4× an even share without the bias, %5× with it.")
                    .arg(bench::kExpertLoadTokens)
                    .arg(r.expertLoad.unbiased.size())
                    .arg(bench::findPreset(r.preset) ? bench::findPreset(r.preset)->topK : 0)
                    .arg(number(r.expertLoad.unbiasedMaxOverMean, 1),
                         number(r.expertLoad.balancedMaxOverMean, 1))
                    .toStdString();
    m_loadChart->setSpec(load, QString());

    // From the roofline to the measured time of a decode token, part by part.
    const bench::DecodeWaterfall &w = r.decodeWaterfall;
    plot::ChartSpec waterfall;
    waterfall.key = "bench-decode-waterfall";
    waterfall.title = tr("Where a decode token's time goes").toStdString();
    waterfall.horizontal = true;
    const QStringList parts = {tr("Its bytes at the read-only bandwidth (the roofline)"),
                               tr("Attention and KV cache, beyond their bytes"),
                               tr("Router, beyond its bytes"),
                               tr("Expert weights, beyond their bytes"),
                               tr("Output head, beyond its bytes"),
                               tr("Threads waiting for each other"),
                               tr("Measured, all of the above")};
    std::vector<std::string> names;
    for (const QString &part : parts)
        names.push_back(part.toStdString());
    // Qt lists horizontal categories bottom-up: reversed, the roofline reads first.
    std::reverse(names.begin(), names.end());
    waterfall.x = categoryAxis(names);
    waterfall.y = valueAxis(tr("Time per token"), tr("ms"));
    std::vector<double> values = {w.roofline, w.attention, w.router, w.experts, w.head, w.waiting,
                                  w.measured()};
    for (double &value : values)
        value *= 1e3;
    std::reverse(values.begin(), values.end());
    waterfall.series.push_back(bars(tr("Milliseconds per token"), 1, values, {}));
    waterfall.note = tr("Timestamps at each phase of every timed decode step. A phase's part is "
                        "its time beyond its own bytes read at the read-only bandwidth, with the "
                        "threads' waiting at the ends of its parallel steps counted in the last "
                        "part; a negative part is data that came from cache. The measured time is "
                        "%1 ms a token, %2 tokens/s.")
                         .arg(number(1e3 * w.measured(), 2),
                              number(r.decodeTokensPerSecond.mean, 1))
                         .toStdString();
    m_waterfallChart->setSpec(waterfall, QString());
}

void BenchmarkView::refreshHistory()
{
    if (m_userDbPath.isEmpty())
        return;
    auto history = store::BenchHistory::openForReading(m_userDbPath);
    if (!history)
        return;
    auto runs = history->runs();
    if (!runs)
        return;
    m_history->setRowCount(static_cast<int>(runs->size()));
    int row = 0;
    for (const store::BenchRun &run : *runs) {
        m_history->setItem(row, 0, cell(QString::fromStdString(run.runAtUtc)));
        m_history->setItem(row, 1, cell(QString::fromStdString(run.preset)));
        m_history->setItem(row, 2, cell(QString::fromStdString(run.precision)));
        m_history->setItem(row, 3, cell(QString::number(run.machine.threadsUsed), true));
        m_history->setItem(row, 4, cell(QString::fromStdString(run.machine.simd)));
        m_history->setItem(row, 5, cell(number(run.decodeTokensPerSecond, 1), true));
        m_history->setItem(row, 6, cell(number(run.prefillTokensPerSecond, 1), true));
        QTableWidgetItem *fraction = cell(savedRunDecodeFraction(run), true);
        if (savedRunDecodeCeilingSteady(run) == false) {
            fraction->setToolTip(tr("The read-only bandwidth moved by more than %1% during this "
                                    "run, so this fraction is uncertain.")
                                     .arg(qRound(100.0 * bench::kSteadyCeilingRange)));
        }
        m_history->setItem(row, 7, fraction);
        m_history->setItem(row, 8, cell(usd(run.decodeUsdPerMillionTokens), true));
        m_history->setItem(row, 9, cell(savedRunAttention(run)));
        m_history->setItem(row, 10, cell(QString::fromStdString(run.machine.cpuModel)));
        ++row;
    }
}

} // namespace cliff::ui
