#pragma once

#include "assumption_registry.h"

#include "core/figure.h"
#include "core/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// The figures the models may read as of a date, and how many were left out.
struct EvidenceAsOf {
    std::string date;             ///< YYYY-MM-DD
    std::vector<Figure> figures;  ///< those published on or before `date`, in the order given
    int publishedLater = 0;       ///< left out: published after `date`
    int undated = 0;              ///< left out: their source gives no publication date
    /// Assumptions whose default is cited from figures of which none was published by `date`:
    /// the value was not yet known then, though the models still use it.
    std::vector<AssumptionId> defaultsCitedLater;
};

/// Checks that `date` is a calendar date written YYYY-MM-DD between 1990-01-01 and 2099-12-31;
/// the error says what is wrong with it.
Status validateEvidenceDate(std::string_view date);

/// The last day a publication date may stand for: "2025-01-27" itself, "2025-02" the
/// 28th of February, "2025" the 31st of December; empty when `published` is not such a date.
std::string lastDayOf(std::string_view published);

/// The "as_of" member of a scenario JSON document: "" when it has none (or null), the date when
/// it is a valid one; an error naming as_of otherwise, or the document's own error.
Result<std::string> scenarioEvidenceDate(std::string_view jsonText);

/// The figures whose source was published on or before `date` (YYYY-MM-DD). A source dated only
/// by month or year counts from the last day of it, since it may have appeared any day in it, but
/// no later than `today` (every figure in hand was published by then); a figure whose source has
/// no date is left out, as nobody can say it was known then.
Result<EvidenceAsOf> evidenceAsOf(const std::vector<Figure> &figures, std::string_view date,
                                  std::string_view today);

} // namespace cliff::econ
