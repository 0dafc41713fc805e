#pragma once

#include "core/figure.h"
#include "core/result.h"
#include "econ/default_distributions.h"
#include "econ/distributions.h"
#include "econ/economic_view.h"
#include "econ/evidence_date.h"
#include "econ/scenario.h"
#include "econ/scenario_comparison.h"
#include "plot/view_plot.h"

#include "scenario_command.h"

#include <QFuture>
#include <QDate>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUndoStack>

#include <atomic>
#include <memory>
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
    /// A quick pass of this many draws is shown before the full run, and alone while a slider
    /// is dragged, so the bands follow the drag; it is the full run's first draws (same seed).
    static constexpr int kQuickDraws = 1000;
    /// The shortest time between two Monte Carlo runs (about six frames).
    static constexpr int kUncertaintyIntervalMs = 100;

    Session(std::vector<Figure> figures, std::vector<Source> sources, QObject *parent = nullptr);
    /// Cancels a Monte Carlo run under way and waits for it.
    ~Session() override;

    /// The figures the models read: every figure in hand, or those published by the evidence
    /// date when one is set.
    [[nodiscard]] const std::vector<Figure> &figures() const { return m_figures; }
    /// Every figure in hand, whatever the evidence date.
    [[nodiscard]] const std::vector<Figure> &figuresInHand() const { return m_figuresInHand; }
    /// Replaces the figures in hand and the sources they cite (after an import).
    void setFigures(std::vector<Figure> figures, std::vector<Source> sources);

    /// Cuts the figures the models read at `date` (see econ::evidenceAsOf), or uses every
    /// figure in hand again with nothing. Plots then carry the evidence line.
    void setEvidenceDate(std::optional<QDate> date);
    [[nodiscard]] std::optional<QDate> evidenceDate() const { return m_evidenceDate; }
    /// Other scenarios drawn over the current one (at most plot::kMaxComparedScenarios, each
    /// with its own evidence date), or none.
    void setComparedScenarios(std::vector<econ::ComparedCase> cases);
    [[nodiscard]] const std::vector<econ::ComparedCase> &comparedScenarios() const { return m_compared; }
    /// The current scenario as the first case of a comparison: named "This scenario" (with the
    /// evidence date when one is set), its figures cut at that date.
    [[nodiscard]] econ::ComparedCase currentCase() const;

    /// What the cut left out; nothing without an evidence date.
    [[nodiscard]] const std::optional<econ::EvidenceAsOf> &evidence() const { return m_evidence; }
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

    /// Whether the economic views draw Monte Carlo bands and chances and the tornado chart.
    [[nodiscard]] bool showUncertainty() const { return m_showUncertainty; }
    void setShowUncertainty(bool show);

    /// The distributions the uncertainty is drawn from: each assumption's default range (from
    /// its cited figures) moved onto the scenario's value, or the one the user set by hand.
    [[nodiscard]] econ::Distributions distributions() const;
    /// The default distribution of `id` around the scenario's value, and what it rests on.
    [[nodiscard]] econ::DistributionDefault defaultDistribution(econ::AssumptionId id) const;
    /// True when the user set the distribution of `id` by hand.
    [[nodiscard]] bool hasDistributionOverride(econ::AssumptionId id) const;
    /// Sets the distribution of `id` by hand (undoable); refused with the reason when invalid.
    Status setDistribution(econ::AssumptionId id, const econ::Distribution &distribution);
    /// Returns `id` to its default distribution (undoable).
    void resetDistribution(econ::AssumptionId id);
    /// Sets the hand-set distributions without an undo step; used by undo commands themselves.
    void assignDistributionOverrides(const DistributionOverrides &overrides);

    /// The latest Monte Carlo result and tornado of `view` for the current inputs, or of the
    /// inputs just before while a new run is under way; nullptr before the first run ends.
    [[nodiscard]] const plot::ViewUncertainty *uncertainty(econ::EconomicView view) const;
    /// Why the last run failed (empty when it did not).
    [[nodiscard]] const QString &uncertaintyError() const { return m_uncertaintyError; }
    /// Starts the run the current inputs need now (whatever the throttle) and blocks until it
    /// has delivered its result.
    void waitForUncertainty();

    /// The charts of `view` for the current scenario, with the latest uncertainty when shown.
    [[nodiscard]] Result<plot::ViewPlot> plot(econ::EconomicView view) const;

    /// The scenario as a JSON document: the view, every assumption by key, and "as_of" when an
    /// evidence date is set.
    [[nodiscard]] QByteArray scenarioJson() const;
    /// Applies a scenario JSON document (one undo step) and sets the evidence date to its "as_of"
    /// (none without one); the error names the key or offset.
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
    void evidenceDateChanged();
    void comparedScenariosChanged();
    void compareWithDefaultsChanged(bool compare);
    void showUncertaintyChanged(bool show);
    /// The hand-set distributions changed.
    void distributionsChanged();
    /// A Monte Carlo pass finished (or failed); plots are rebuilt after it.
    void uncertaintyUpdated();

private:
    /// What a Monte Carlo run reads; a run starts only when these differ from the last run's.
    struct UncertaintyInputs {
        econ::EconomicView view;
        econ::Scenario scenario;
        econ::Distributions distributions;
        quint64 figuresVersion;
        bool operator==(const UncertaintyInputs &) const = default;
    };

    void scheduleRecompute();
    void onRecomputeDue();
    /// Starts a Monte Carlo run of the shown view when its inputs changed, cancelling one under way.
    void startUncertaintyRun();
    void cancelUncertaintyRun();
    void receiveUncertainty(quint64 generation, Result<plot::ViewUncertainty> result);

    /// Puts the figures the models read (m_figures) in line with the evidence date.
    void applyEvidenceDate();

    std::vector<Figure> m_figuresInHand;
    std::vector<Figure> m_figures;
    std::vector<Source> m_sources;
    std::optional<QDate> m_evidenceDate;
    std::optional<econ::EvidenceAsOf> m_evidence;
    std::vector<econ::ComparedCase> m_compared;
    std::unordered_map<std::string, std::size_t> m_figureIndex;
    std::unordered_map<std::string, std::size_t> m_sourceIndex;
    econ::Scenario m_scenario;
    QUndoStack m_undoStack;
    QString m_viewKey;
    bool m_compareWithDefaults = false;
    quint64 m_dragSerial = 1;
    std::optional<plot::MachineCost> m_machineCost;
    QTimer m_recomputeTimer;

    std::vector<econ::DistributionDefault> m_distributionDefaults; ///< from the figures
    econ::Distributions m_defaultDistributions; ///< the same, as one set
    DistributionOverrides m_distributionOverrides;
    bool m_showUncertainty = false;
    bool m_dragging = false;
    bool m_runIsFull = false; ///< the newest run goes on to kDefaultDraws
    QTimer m_uncertaintyThrottle;
    quint64 m_figuresVersion = 0;
    quint64 m_uncertaintyGeneration = 0; ///< of the newest run; older runs' results are dropped
    std::optional<UncertaintyInputs> m_runInputs;  ///< of the newest run
    std::shared_ptr<std::atomic<bool>> m_runCancel;
    QFuture<void> m_run;
    std::shared_ptr<const plot::ViewUncertainty> m_uncertainty;
    QString m_uncertaintyError;
};

} // namespace cliff
