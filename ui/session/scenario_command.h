#pragma once

#include "econ/distribution.h"
#include "econ/scenario.h"

#include <map>

#include <QUndoCommand>

namespace cliff {

class Session;

/// One undoable change of the scenario, from `before` to `after`. Commands with the same
/// non-zero merge key (one slider drag) collapse into a single step.
class ScenarioCommand : public QUndoCommand {
public:
    ScenarioCommand(Session *session, const econ::Scenario &before, const econ::Scenario &after,
                    const QString &text, quint64 mergeKey = 0);

    void undo() override;
    void redo() override;
    [[nodiscard]] int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    Session *m_session;
    econ::Scenario m_before;
    econ::Scenario m_after;
    quint64 m_mergeKey;
};

/// The distributions the user set by hand, by assumption; the others follow their defaults.
using DistributionOverrides = std::map<econ::AssumptionId, econ::Distribution>;

/// One undoable change of the hand-set distributions, from `before` to `after`.
class DistributionCommand : public QUndoCommand {
public:
    DistributionCommand(Session *session, DistributionOverrides before, DistributionOverrides after,
                        const QString &text);

    void undo() override;
    void redo() override;

private:
    Session *m_session;
    DistributionOverrides m_before;
    DistributionOverrides m_after;
};

} // namespace cliff
