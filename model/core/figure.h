#pragma once

#include "result.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cliff {

/// A document figures are cited from. Plain data: no Qt, so the economics can read it.
struct Source {
    std::string id;
    std::string title;
    std::string publisher;
    std::string url; ///< empty only for kinds "seed" and "app"
    std::string published; ///< YYYY-MM-DD, YYYY-MM or YYYY
    std::string sourceKind;
    std::string tier; ///< "primary", "secondary" or "other"; see sourceTiers()
    std::string note;

    bool operator==(const Source &) const = default;
};

/// One cited number with its unit, period, kind and verbatim quote.
struct Figure {
    std::string id;
    std::string category;
    std::string entity;
    std::string metric;
    double value = 0.0; ///< in `unit`, the base unit (dollars, not billions)
    std::optional<double> low;
    std::optional<double> high;
    std::string unit;
    std::string period;
    std::string kind;
    std::string sourceId;
    std::string readIn; ///< the seed article the figure was read in; may be empty
    std::string quoted; ///< the number as written in `quote`
    std::string quote;
    std::string note;
    /// Other sources that state the same number (restatements and roundings of it).
    std::vector<std::string> alsoIn;
    /// The publication date of the source (YYYY-MM-DD, YYYY-MM or YYYY), filled when the figure
    /// is loaded with its sources; not a column of its own. Empty when unknown.
    std::string published;
    bool userOwned = false; ///< true for figures the user imported into the user store

    bool operator==(const Figure &) const = default;
};

/// The fixed vocabularies of the store; a row using any other word is rejected.
std::span<const std::string_view> figureCategories();
std::span<const std::string_view> figureUnits();
std::span<const std::string_view> figureKinds();
std::span<const std::string_view> sourceKinds();
/// How close a source stands to the number: primary (filings, official pages, papers, the
/// leaderboard's own data), secondary (wire services, established press), other.
std::span<const std::string_view> sourceTiers();

/// Source kinds that may be primary: the publisher speaks for itself.
bool kindMayBePrimary(std::string_view sourceKind);

/// The host of an http(s) URL, lower-cased, without port; empty when there is none.
std::string urlHost(std::string_view url);

/// Why `url` is a mirror or proxy rather than a publisher (a bare IP address, a known copying
/// site), or nothing when it is not one.
std::optional<std::string> mirrorReason(std::string_view url);

/// The smallest step the first number written in `quoted` can resolve, in base units: "$5.6M"
/// is 1e5, "$5.576M" 1e3, "6 million" 1e6. Zero when the number is spelled in words.
double quotedResolution(std::string_view quoted);

/// `alsoIn` as written in a CSV cell: ids joined by ';'.
std::string joinIds(const std::vector<std::string> &ids);
std::vector<std::string> splitIds(std::string_view cell);

/// A period as a span of decimal years, e.g. "2025-07" is [2025.5, 2025.583).
struct PeriodSpan {
    double startYear = 0.0;
    double endYear = 0.0;
};

/// Parses YYYY, FYYYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or a range "A..B" of those.
std::optional<PeriodSpan> parsePeriod(std::string_view period);

/// The number(s) a quoted string spells, in base units: "$5.576M" is 5.576e6, "$690–725 billion"
/// is the range [690e9, 725e9]. Returns nothing when the text spells no number.
struct QuotedNumber {
    double low = 0.0;
    double high = 0.0; ///< equals low for a single number
};
std::optional<QuotedNumber> parseQuotedNumber(std::string_view text);

/// A row of a financial table does not repeat the scale its table heading states ("in
/// thousands"), so `quoted` may end with that scale in brackets: "310,555 [in thousands]".
/// Returns the part before the brackets, the text that appears in the quote; `quoted` itself
/// when it names no table scale.
std::string_view quotedAsWritten(std::string_view quoted);

/// True when `id` is a plain identifier: an ASCII letter or digit, then ASCII letters, digits,
/// '.', '_', ':' or '-'. Such an id cannot start a spreadsheet formula or hide in a listing.
bool isPlainId(std::string_view id);

/// Checks one source against the rules of datasets/README.md; the error names the field.
Status validateSource(const Source &source);

/// The provenance rules of datasets/README.md for one source of the shipped store: its tier
/// fits its kind (only a publisher speaking for itself is primary; seed articles are other),
/// and it is the publisher, not a mirror or proxy. The error names the rule and the field.
Status checkSourceProvenance(const Source &source);

/// Checks one figure against the rules of datasets/README.md (vocabularies, range order, quote
/// length, quoted number matching the value, a calendar year never stored as a duration); the
/// error names the field. Sources are not resolved.
Status validateFigure(const Figure &figure);

/// The number of words in `text` (runs of non-space characters).
int wordCount(std::string_view text);

} // namespace cliff
