#pragma once

#include "core/figure.h"
#include "core/result.h"
#include "econ/economic_view.h"
#include "econ/scenario.h"
#include "plot/view_plot.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QUndoStack>

#include <optional>
#include <unordered_map>
#include <vector>

namespace cliff {

/// The state a window works on: the figures, the scenario with its undo history, and which
/// view is shown. Changes are announced at once; plots are rebuilt at most once per event-loop
/// pass however many changes arrive in it, so a drag never queues stale recomputes.
class Session : public QObject {
    Q_OBJECT

public:
    Session(std::vector<Figure> figures, std::vector<Source> sources, QObject *parent = nullptr);

    [[nodiscard]] const std::vector<Figure> &figures() const { return m_figures; }
    /// Replaces the figures the models read and the sources they cite (after an import).
    void setFigures(std::vector<Figure> figures, std::vector<Source> sources);
    [[nodiscard]] const std::vector<Source> &sources() const { return m_sources; }
    [[nodiscard]] const econ::Scenario &scenario() const { return m_scenario; }
    [[nodiscard]] QUndoStack *undoStack() { return &m_undoStack; }
    /// The figure with this id, or nullptr.
    [[nodiscard]] const Figure *findFigure(const std::string &id) const;
    /// The source with this id, or nullptr.
    [[nodiscard]] const Source *findSource(const std::string &id) const;

    /// Sets one assumption as an undoable step. While `dragging`, successive values of the same
    /// assumption merge into one step until endDrag().
    Status setAssumption(econ::AssumptionId id, double value, bool dragging = false);
    /// Closes the current drag, so the next change starts a new undo step.
    void endDrag();
    /// Puts one assumption back to its default (undoable).
    void resetAssumption(econ::AssumptionId id);
    /// Puts every assumption back to its default (one undo step).
    void resetAll();
    /// Replaces the whole scenario (one undo step named `what`).
    void replaceScenario(const econ::Scenario &scenario, const QString &what);
    /// Sets the scenario without an undo step; used by undo commands themselves.
    void assignScenario(const econ::Scenario &scenario);

    /// The key of the view shown ("revenue-gap", ..., "benchmark", "sources").
    [[nodiscard]] const QString &viewKey() const { return m_viewKey; }
    void setViewKey(const QString &key);

    /// Whether the economic views also draw their lines at default assumptions.
    [[nodiscard]] bool compareWithDefaults() const { return m_compareWithDefaults; }
    void setCompareWithDefaults(bool compare);

    /// This machine's measured inference cost, drawn beside the API prices.
    void setMachineCost(std::optional<plot::MachineCost> cost);

    /// The charts of `view` for the current scenario.
    [[nodiscard]] Result<plot::ViewPlot> plot(econ::EconomicView view) const;

    /// The scenario as a JSON document: the view and every assumption by key.
    [[nodiscard]] QByteArray scenarioJson() const;
    /// Applies a scenario JSON document (one undo step); the error names the key or offset.
    Status loadScenarioJson(const QByteArray &json, const QString &fileName);

    /// The view and changed assumptions as one line of text (see econ::formatScenarioLink).
    [[nodiscard]] QString scenarioLink() const;
    /// Restores the view and scenario of a link (one undo step); errors say what is malformed.
    Status openScenarioLink(const QString &text);

    /// Every view key, economic views first, in sidebar order.
    static const std::vector<std::string_view> &viewKeys();

    /// Runs a pending plot rebuild now instead of at the end of the event-loop pass.
    void flushPendingRecompute();

Q_SIGNALS:
    /// The scenario changed; plots are out of date until plotsInvalidated().
    void scenarioChanged();
    /// Time to rebuild the plots of the visible view (coalesced).
    void plotsInvalidated();
    void viewKeyChanged(const QString &key);
    void compareWithDefaultsChanged(bool compare);

private:
    void scheduleRecompute();

    std::vector<Figure> m_figures;
    std::vector<Source> m_sources;
    std::unordered_map<std::string, std::size_t> m_figureIndex;
    std::unordered_map<std::string, std::size_t> m_sourceIndex;
    econ::Scenario m_scenario;
    QUndoStack m_undoStack;
    QString m_viewKey;
    bool m_compareWithDefaults = false;
    quint64 m_dragSerial = 1;
    std::optional<plot::MachineCost> m_machineCost;
    QTimer m_recomputeTimer;
};

} // namespace cliff
