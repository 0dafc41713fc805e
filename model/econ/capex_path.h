#pragma once

#include "scenario.h"

#include "core/figure.h"

#include <cstddef>

#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// How a year of the capex path was obtained.
enum class CapexBasis {
    Measured,     ///< reported or estimated spending (a company sum or an aggregate figure)
    Guided,       ///< the companies' own guidance
    Projected,    ///< a cited analyst projection or consensus
    Interpolated, ///< between two cited years, at constant growth
    Extrapolated  ///< after the last cited year, at capex_growth
};

/// One year of aggregate US hyperscaler capex.
struct CapexYear {
    int year = 0;
    double capexUsd = 0.0;
    std::string figureId; ///< the (first) cited figure, or empty when not cited
    std::vector<std::string> figureIds; ///< every figure summed into this year
    CapexBasis basis = CapexBasis::Extrapolated;
};

/// Capex of one company in one year (for the bars of view 1).
struct CompanyCapex {
    std::string entity;
    std::string period;
    double capexUsd = 0.0;
    std::string figureId;
};

/// The cited part of the aggregate capex path, read from the figures once: the cited years with
/// gaps between them filled, and where capex_guidance_scale starts to apply.
struct CitedCapex {
    std::vector<CapexYear> years;      ///< consecutive calendar years, never empty
    std::size_t firstGuidedIndex = 0;  ///< first year after the last reported one
};

/// The companies whose capex the path adds up, company by company.
inline constexpr const char *kPathCompanies[] = {"Alphabet", "Amazon", "Meta", "Microsoft"};

/// Plain words for a basis ("measured", "guided", ...).
std::string_view capexBasisName(CapexBasis basis);

/// The cited capex years up to `lastYear`. Where every company of kPathCompanies has a figure
/// for a year, the year is their sum: measured years from four calendar quarters of cash capex
/// (or a calendar-year figure), then each company's latest guidance for the next year, then each
/// company's cited projection for the year after. Otherwise the years come from the aggregate
/// entities ("US hyperscalers", then "Alphabet, Amazon, Meta and Microsoft", then "Top 5 US
/// hyperscalers"), preferring reported, then guidance, then estimate, ending at the last reported
/// or guided year. Without any such figure: calibration::kCapex2025Usd and kCapex2026Usd.
CitedCapex citedCapex(const std::vector<Figure> &figures, int lastYear);

/// Capex of the path's year `index` (0 = cited.years.front().year), USD: a cited year, times
/// `guidanceScale` from firstGuidedIndex on, or else `previousUsd` (the year before) grown at
/// `capexGrowth`.
double capexPathUsd(const CitedCapex &cited, std::size_t index, double capexGrowth,
                    double guidanceScale, double previousUsd);

/// Aggregate capex path, USD per calendar year, from the first cited year to `lastYear`, at the
/// scenario's capex_growth and capex_guidance_scale; years beyond the cited ones carry no figure id.
std::vector<CapexYear> buildCapexPath(const std::vector<Figure> &figures, const Scenario &scenario,
                                      int lastYear);

/// The same path with capex_guidance_scale at 1 (the guidance as cited).
std::vector<CapexYear> buildCapexPath(const std::vector<Figure> &figures, double capexGrowth,
                                      int lastYear);

/// Each company's capex figures (metric starting "Capex", non-aggregate entities), one per
/// entity and period: reported before estimated before guided, then the most recently published.
std::vector<CompanyCapex> companyCapex(const std::vector<Figure> &figures);

/// Book value left at the end of year `year` of capex spent in `vintageYear`, as a fraction of
/// that capex, under straight-line depreciation over `lifeYears` starting in the vintage year.
inline double bookValueFraction(int vintageYear, int year, double lifeYears)
{
    if (year < vintageYear)
        return 0.0;
    const double yearsDepreciated = static_cast<double>(year - vintageYear + 1);
    const double left = 1.0 - yearsDepreciated / lifeYears;
    return left > 0.0 ? left : 0.0;
}

} // namespace cliff::econ
