#pragma once

#include "assumption_registry.h"
#include "economic_view.h"
#include "headline_metric.h"
#include "monte_carlo.h"
#include "scenario.h"

#include "core/figure.h"
#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// The fewest and most scenarios one comparison shows.
inline constexpr std::size_t kMinComparedCases = 2;
inline constexpr std::size_t kMaxComparedCases = 4;

/// One scenario of a comparison: its name, its assumptions and the date its evidence is cut at.
struct ComparedCase {
    std::string name;
    Scenario scenario;
    std::string asOf; ///< YYYY-MM-DD; empty for every figure in hand
};

/// What one case's model gives.
struct CaseOutcome {
    std::vector<double> headlines;             ///< one per headlineMetrics(view)
    /// The view's statements in ScenarioComparison::statementKeys order: 1 or 0, or NaN where the
    /// case's figures do not support the statement (it may need a figure not yet published).
    std::vector<NamedProbability> statements;
    int figuresUsed = 0;
    int publishedLater = 0; ///< figures left out by the case's date
    int undated = 0;        ///< figures left out for want of a publication date
    std::vector<AssumptionId> defaultsCitedLater; ///< see EvidenceAsOf
};

/// Two to four scenarios of one view side by side.
struct ScenarioComparison {
    EconomicView view = EconomicView::RevenueGap;
    std::vector<ComparedCase> cases;
    std::vector<CaseOutcome> outcomes; ///< one per case
    std::vector<AssumptionId> differing; ///< the view's assumptions not equal in every case
    std::vector<std::size_t> flipped;  ///< statements (by index) that hold in some cases, fail in others
    bool datesDiffer = false;          ///< the cases cut their evidence at different dates
};

/// Whether a compared statement is known in a case (not NaN) and holds there.
inline bool statementKnown(const NamedProbability &statement) { return statement.probability == statement.probability; }
inline bool statementHolds(const NamedProbability &statement) { return statement.probability > 0.5; }

/// Runs `view`'s model for each case on `figures` cut at the case's date (see evidenceAsOf,
/// with `today`), and lists the assumptions that differ and the statements that flip. Errors:
/// fewer than kMinComparedCases or more than kMaxComparedCases cases, a view without a model
/// (moat), a bad date, or a model error, each naming the case.
Result<ScenarioComparison> compareScenarios(EconomicView view, const std::vector<Figure> &figures,
                                            std::vector<ComparedCase> cases,
                                            std::string_view today);

} // namespace cliff::econ
