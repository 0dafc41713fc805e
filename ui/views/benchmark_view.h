#pragma once

#include "bench/benchmark.h"

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace cliff::ui {

class ChartWidget;

/// "What can my machine do?": runs the local MoE inference benchmark on a worker thread and shows
/// tokens/s, the roofline, dense vs MoE, the expert load with and without the balancing bias, the
/// cost per 1M tokens and the history of saved runs.
class BenchmarkView : public QWidget {
    Q_OBJECT

public:
    /// `userDbPath`: the user database runs are saved to and the history read from; empty to
    /// neither save nor show a history.
    explicit BenchmarkView(const QString &userDbPath, QWidget *parent = nullptr);
    ~BenchmarkView() override;

    /// Starts a run with the settings shown; does nothing while one is running.
    void run();
    /// Asks the running benchmark to stop; it returns within about 100 ms.
    void cancel();
    /// True from run() until runFinished.
    [[nodiscard]] bool running() const { return m_running; }
    /// The report of the last completed run, if any.
    [[nodiscard]] const std::optional<bench::BenchReport> &lastReport() const { return m_report; }

Q_SIGNALS:
    /// A run ended: completed (results shown and saved) or not (cancelled or failed, with the
    /// reason in the status line).
    void runFinished(bool completed);

private:
    struct RunState;
    struct Outcome;

    void buildForm();
    void updateDescription();
    void updateCost();
    void pollProgress();
    void finish();
    void showReport(const bench::BenchReport &report);
    void refreshHistory();
    void setRunning(bool running);
    [[nodiscard]] bench::BenchConfig config() const;
    [[nodiscard]] bench::CostAssumptions costAssumptions() const;

    QString m_userDbPath;
    QComboBox *m_preset = nullptr;
    QComboBox *m_precision = nullptr;
    QSpinBox *m_threads = nullptr;
    QSpinBox *m_tokens = nullptr;
    QSpinBox *m_promptTokens = nullptr;
    QSpinBox *m_repetitions = nullptr;
    QCheckBox *m_compareDense = nullptr;
    QDoubleSpinBox *m_powerWatts = nullptr;
    QDoubleSpinBox *m_electricityUsdPerKwh = nullptr;
    QDoubleSpinBox *m_hardwareUsd = nullptr;
    QDoubleSpinBox *m_lifeYears = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_stage = nullptr;
    QLabel *m_attention = nullptr;
    QLabel *m_scaling = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_cost = nullptr;
    QLabel *m_notRunYet = nullptr;
    QWidget *m_charts = nullptr; ///< the four charts, shown from the first result on
    ChartWidget *m_speedChart = nullptr;
    ChartWidget *m_rooflineChart = nullptr;
    ChartWidget *m_denseChart = nullptr;
    ChartWidget *m_loadChart = nullptr;
    ChartWidget *m_waterfallChart = nullptr;
    QTableWidget *m_history = nullptr;
    QTimer *m_progressTimer = nullptr;

    std::shared_ptr<RunState> m_state; ///< shared with the worker, which may outlive a run
    QFutureWatcher<Outcome> *m_watcher = nullptr;
    bool m_running = false;
    std::optional<bench::BenchReport> m_report;
};

} // namespace cliff::ui
