#pragma once

#include "econ/scenario.h"

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

} // namespace cliff
