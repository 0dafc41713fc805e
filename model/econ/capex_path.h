#pragma once

#include "core/figure.h"

#include <string>
#include <vector>

namespace cliff::econ {

/// One year of aggregate US hyperscaler capex.
struct CapexYear {
    int year = 0;
    double capexUsd = 0.0;
    std::string figureId; ///< the cited figure, or empty when extended by capex_growth
};

/// Capex of one company in one year (for the bars of view 1).
struct CompanyCapex {
    std::string entity;
    std::string period;
    double capexUsd = 0.0;
    std::string figureId;
};

/// Aggregate capex path, USD per calendar year, from the first cited year to `lastYear`.
/// Cited years come from category "capex", metric starting "Capex", a single calendar year, for
/// the aggregate entities ("US hyperscalers", then "Alphabet, Amazon, Meta and Microsoft",
/// then "Top 5 US hyperscalers"), preferring reported, then guidance, then estimate; years after
/// the last reported or guided year grow at `capexGrowth`. Without any such figure the path falls
/// back to calibration::kCapex2025Usd and kCapex2026Usd.
std::vector<CapexYear> buildCapexPath(const std::vector<Figure> &figures, double capexGrowth,
                                      int lastYear);

/// Each company's capex figures (metric starting "Capex", non-aggregate entities), one per
/// entity and period, preferring reported over guidance over estimate.
std::vector<CompanyCapex> companyCapex(const std::vector<Figure> &figures);

/// Book value left at the end of year `year` of capex spent in `vintageYear`, as a fraction of
/// that capex, under straight-line depreciation over `lifeYears` starting in the vintage year.
double bookValueFraction(int vintageYear, int year, double lifeYears);

} // namespace cliff::econ
