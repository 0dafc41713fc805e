#include "scenario_comparison.h"

#include "evidence_date.h"
#include "view_evaluator.h"

#include <algorithm>
#include <limits>

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
        outcome.statements = viewStatements(prepared, evaluator, item.scenario);
        comparison.outcomes.push_back(std::move(outcome));
    }
    for (AssumptionId id : viewAssumptions(view)) {
        const double first = cases.front().scenario.value(id);
        if (std::any_of(cases.begin(), cases.end(),
                        [&](const ComparedCase &item) { return item.scenario.value(id) != first; }))
            comparison.differing.push_back(id);
    }
    // Every case lists every statement any case has, in order of first appearance: a statement
    // may need a figure that one case's date leaves out.
    std::vector<NamedProbability> all;
    for (const CaseOutcome &outcome : comparison.outcomes) {
        for (const NamedProbability &statement : outcome.statements) {
            if (std::none_of(all.begin(), all.end(),
                             [&](const NamedProbability &known) { return known.key == statement.key; }))
                all.push_back({statement.key, statement.description, std::numeric_limits<double>::quiet_NaN()});
        }
    }
    for (CaseOutcome &outcome : comparison.outcomes) {
        std::vector<NamedProbability> aligned = all;
        for (NamedProbability &slot : aligned) {
            for (const NamedProbability &statement : outcome.statements) {
                if (statement.key == slot.key)
                    slot.probability = statement.probability;
            }
        }
        outcome.statements = std::move(aligned);
    }
    for (std::size_t s = 0; s < all.size(); ++s) {
        bool holds = false;
        bool fails = false;
        for (const CaseOutcome &outcome : comparison.outcomes) {
            if (statementKnown(outcome.statements[s]))
                (statementHolds(outcome.statements[s]) ? holds : fails) = true;
        }
        if (holds && fails)
            comparison.flipped.push_back(s);
    }
    comparison.datesDiffer = std::any_of(cases.begin(), cases.end(), [&](const ComparedCase &item) {
        return item.asOf != cases.front().asOf;
    });
    comparison.cases = std::move(cases);
    return comparison;
}

} // namespace cliff::econ
