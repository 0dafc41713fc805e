#include "scenario_comparison.h"

#include "evidence_date.h"
#include "view_evaluator.h"

#include <algorithm>

namespace cliff::econ {

Result<ScenarioComparison> compareScenarios(EconomicView view, const std::vector<Figure> &figures,
                                            std::vector<ComparedCase> cases,
                                            std::string_view today)
{
    if (cases.size() < kMinComparedCases || cases.size() > kMaxComparedCases) {
        return Error{"a comparison takes " + std::to_string(kMinComparedCases) + " to " +
                         std::to_string(kMaxComparedCases) + " scenarios, not " +
                         std::to_string(cases.size()),
                     {}, 0, "scenarios"};
    }
    if (headlineMetrics(view).empty()) {
        return Error{"the " + std::string(economicViewKey(view)) +
                         " view plots cited figures only; it has no model to compare",
                     {}, 0, "view"};
    }
    ScenarioComparison comparison;
    comparison.view = view;
    for (const ComparedCase &item : cases) {
        const auto fail = [&](const Error &error) {
            return Error{item.name + ": " + error.message, {}, 0, error.field};
        };
        CaseOutcome outcome;
        std::vector<Figure> cut;
        if (!item.asOf.empty()) {
            auto asOf = evidenceAsOf(figures, item.asOf, today);
            if (!asOf)
                return fail(asOf.error());
            cut = std::move(asOf->figures);
            outcome.publishedLater = asOf->publishedLater;
            outcome.undated = asOf->undated;
            outcome.defaultsCitedLater = asOf->defaultsCitedLater;
        }
        const std::vector<Figure> &used = item.asOf.empty() ? figures : cut;
        outcome.figuresUsed = static_cast<int>(used.size());
        const PreparedView prepared = prepareView(view, used);
        ViewEvaluator evaluator(prepared);
        if (Status status = evaluator.evaluate(item.scenario); !status)
            return fail(status.error());
        for (HeadlineMetric metric : headlineMetrics(view))
            outcome.headlines.push_back(headlineValue(metric, evaluator));
        auto statements = viewStatementsAt(view, used, item.scenario);
        if (!statements)
            return fail(statements.error());
        outcome.statements = std::move(*statements);
        comparison.outcomes.push_back(std::move(outcome));
    }
    for (AssumptionId id : viewAssumptions(view)) {
        const double first = cases.front().scenario.value(id);
        if (std::any_of(cases.begin(), cases.end(),
                        [&](const ComparedCase &item) { return item.scenario.value(id) != first; }))
            comparison.differing.push_back(id);
    }
    const std::vector<NamedProbability> &firstStatements = comparison.outcomes.front().statements;
    for (std::size_t s = 0; s < firstStatements.size(); ++s) {
        const auto holdsIn = [&](const CaseOutcome &outcome) {
            return s < outcome.statements.size() && outcome.statements[s].probability > 0.5;
        };
        const bool first = holdsIn(comparison.outcomes.front());
        if (std::any_of(comparison.outcomes.begin(), comparison.outcomes.end(),
                        [&](const CaseOutcome &outcome) { return holdsIn(outcome) != first; }))
            comparison.flipped.push_back(s);
    }
    comparison.datesDiffer = std::any_of(cases.begin(), cases.end(), [&](const ComparedCase &item) {
        return item.asOf != cases.front().asOf;
    });
    comparison.cases = std::move(cases);
    return comparison;
}

} // namespace cliff::econ
