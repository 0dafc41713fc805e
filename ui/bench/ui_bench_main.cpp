// Drives every economic view offscreen, moves each of its sliders through its range and prints
// one JSON object: per view the recompute + redraw latency of a slider step (p50, p99), and the
// time from process start to the first painted chart.
#include "ui/assumption_panel.h"
#include "ui/charts/chart_widget.h"
#include "ui/main_window.h"
#include "ui/views/economic_view_page.h"

#include "session/session.h"
#include "store/catalog.h"

#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSlider>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <unistd.h>
#include <vector>

namespace {

constexpr int kPositionsPerSlider = 40;

/// Milliseconds since the process started, from /proc (10 ms resolution), or nothing.
std::optional<double> msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray statText = stat.readAll();
    // Field 22 (starttime) counts from the field after the command name in parentheses.
    const QList<QByteArray> fields = statText.mid(statText.lastIndexOf(')') + 2).split(' ');
    const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    if (fields.size() < 20 || ticks <= 0)
        return std::nullopt;
    const double startSeconds = fields.at(19).toDouble() / ticks;
    const double nowSeconds = uptime.readAll().split(' ').value(0).toDouble();
    return (nowSeconds - startSeconds) * 1000.0;
}

/// Reports the first paint of a watched widget.
class FirstPaint : public QObject {
public:
    std::optional<double> sinceStartMs;
    std::optional<double> sinceMainMs;
    QElapsedTimer *sinceMain = nullptr;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !sinceStartMs) {
            sinceMainMs = double(sinceMain->nsecsElapsed()) / 1e6;
            sinceStartMs = msSinceProcessStart();
        }
        return QObject::eventFilter(watched, event);
    }
};

double percentile(std::vector<double> samples, double fraction)
{
    if (samples.empty())
        return 0.0;
    std::sort(samples.begin(), samples.end());
    const auto rank = static_cast<std::size_t>(fraction * double(samples.size() - 1) + 0.5);
    return samples[std::min(rank, samples.size() - 1)];
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("compute-cliff-ui-bench"));

    auto catalog = cliff::store::loadCatalog({}, {});
    if (!catalog) {
        std::fprintf(stderr, "cliff-ui-bench: %s\n", catalog.error().toString().c_str());
        return 1;
    }
    cliff::ui::MainWindow window(std::move(catalog).value());
    FirstPaint firstPaint;
    firstPaint.sinceMain = &sinceMain;
    auto *firstPage = window.page(cliff::econ::EconomicView::RevenueGap);
    for (cliff::ui::ChartWidget *chart : firstPage->charts())
        chart->chartView()->viewport()->installEventFilter(&firstPaint);
    window.show();
    while (!firstPaint.sinceStartMs && sinceMain.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);

    // With --uncertainty the Monte Carlo bands run beside the drag, paced at one step per frame
    // (16 ms) as a hand would, so the quick passes have time to land.
    const bool uncertainty = QCoreApplication::arguments().contains(QStringLiteral("--uncertainty"));
    window.session()->setShowUncertainty(uncertainty);
    int bandUpdates = 0;
    QObject::connect(window.session(), &cliff::Session::uncertaintyUpdated, [&] { ++bandUpdates; });
    std::vector<double> settles;

    QJsonObject views;
    std::vector<double> all;
    for (cliff::econ::EconomicView view : cliff::econ::economicViews()) {
        const QString key = QString::fromUtf8(cliff::econ::economicViewKey(view).data());
        window.showView(key);
        window.session()->flushPendingRecompute();
        QCoreApplication::processEvents();
        std::vector<double> latencies;
        std::vector<double> recomputes;
        // One step: the new value reaches the session, the plot is rebuilt, the changed series
        // updated and the event loop paints what changed, as it does while a user drags.
        const auto timeStep = [&](const std::function<void()> &change) {
            const auto start = std::chrono::steady_clock::now();
            change();
            window.session()->flushPendingRecompute();
            const auto recomputed = std::chrono::steady_clock::now();
            // The scene's repaint is queued, then the window's update request: three passes
            // deliver both.
            for (int pass = 0; pass < 3; ++pass)
                QCoreApplication::processEvents();
            const auto end = std::chrono::steady_clock::now();
            latencies.push_back(std::chrono::duration<double, std::milli>(end - start).count());
            recomputes.push_back(std::chrono::duration<double, std::milli>(recomputed - start).count());
            while (uncertainty && std::chrono::steady_clock::now() - start < std::chrono::milliseconds(16))
                QCoreApplication::processEvents(QEventLoop::AllEvents, 2);
        };
        for (cliff::econ::AssumptionId id : cliff::econ::viewAssumptions(view)) {
            QSlider *slider = window.assumptionPanel()->slider(id);
            if (!slider)
                continue;
            slider->setSliderDown(true);
            for (int step = 0; step <= kPositionsPerSlider; ++step) {
                const int position = slider->minimum()
                                     + (slider->maximum() - slider->minimum()) * step / kPositionsPerSlider;
                timeStep([&] { slider->setValue(position); });
            }
            slider->setSliderDown(false);
            if (uncertainty) {
                // From the release to the full run's bands on screen.
                const auto released = std::chrono::steady_clock::now();
                window.session()->waitForUncertainty();
                window.session()->flushPendingRecompute();
                QCoreApplication::processEvents();
                settles.push_back(std::chrono::duration<double, std::milli>(
                                      std::chrono::steady_clock::now() - released).count());
            }
            window.session()->resetAll();
            window.session()->flushPendingRecompute();
        }
        all.insert(all.end(), latencies.begin(), latencies.end());
        if (latencies.empty()) {
            views.insert(key, QJsonObject{{QStringLiteral("steps"), 0},
                                          {QStringLiteral("note"), QStringLiteral("no assumptions to move")}});
            continue;
        }
        views.insert(key, QJsonObject{{QStringLiteral("steps"), int(latencies.size())},
                                      {QStringLiteral("p50_ms"), percentile(latencies, 0.50)},
                                      {QStringLiteral("p99_ms"), percentile(latencies, 0.99)},
                                      {QStringLiteral("recompute_p50_ms"), percentile(recomputes, 0.50)}});
    }
    QJsonObject report{
        {QStringLiteral("platform"), QGuiApplication::platformName()},
        {QStringLiteral("startup_ms"), firstPaint.sinceStartMs.value_or(-1.0)},
        {QStringLiteral("startup_from_main_ms"), firstPaint.sinceMainMs.value_or(-1.0)},
        {QStringLiteral("slider_step_p50_ms"), percentile(all, 0.50)},
        {QStringLiteral("slider_step_p99_ms"), percentile(all, 0.99)},
        {QStringLiteral("views"), views}};
    if (uncertainty) {
        report.insert(QStringLiteral("band_updates"), bandUpdates);
        report.insert(QStringLiteral("full_bands_after_release_p50_ms"), percentile(settles, 0.50));
        report.insert(QStringLiteral("full_bands_after_release_max_ms"),
                      settles.empty() ? 0.0 : *std::max_element(settles.begin(), settles.end()));
    }
    std::fputs(QJsonDocument(report).toJson(QJsonDocument::Indented).constData(), stdout);
    return 0;
}
