#include "scenario_command.h"

#include "session.h"

namespace cliff {

ScenarioCommand::ScenarioCommand(Session *session, const econ::Scenario &before,
                                 const econ::Scenario &after, const QString &text, quint64 mergeKey)
    : QUndoCommand(text), m_session(session), m_before(before), m_after(after), m_mergeKey(mergeKey)
{
}

void ScenarioCommand::undo()
{
    m_session->assignScenario(m_before);
}

void ScenarioCommand::redo()
{
    m_session->assignScenario(m_after);
}

int ScenarioCommand::id() const
{
    return m_mergeKey == 0 ? -1 : 1;
}

bool ScenarioCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const ScenarioCommand *>(other);
    if (next->m_mergeKey != m_mergeKey)
        return false;
    m_after = next->m_after;
    setObsolete(m_after == m_before);
    return true;
}

DistributionCommand::DistributionCommand(Session *session, DistributionOverrides before,
                                         DistributionOverrides after, const QString &text)
    : QUndoCommand(text), m_session(session), m_before(std::move(before)), m_after(std::move(after))
{
}

void DistributionCommand::undo()
{
    m_session->assignDistributionOverrides(m_before);
}

void DistributionCommand::redo()
{
    m_session->assignDistributionOverrides(m_after);
}

} // namespace cliff
