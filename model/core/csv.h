#pragma once

#include "result.h"

#include <string>
#include <string_view>
#include <vector>

namespace cliff::csv {

/// One parsed record and the 1-based line it starts on (records may span lines inside quotes).
struct Record {
    int line = 0;
    std::vector<std::string> fields;
};

/// Parses RFC 4180 text (CRLF or LF, optional UTF-8 BOM, quoted fields with doubled quotes).
/// Text that is not well-formed UTF-8 is an error naming the line of the first bad byte. A quote
/// inside an unquoted field, text after a closing quote, an unterminated quote or a NUL byte
/// (quoted or not) is an error naming `fileName` and the line (for an unterminated quote, the
/// line it opens on); a NUL byte's error also names the column. Empty lines are skipped.
Result<std::vector<Record>> parse(std::string_view text, const std::string &fileName);

/// Quotes `field` when it holds a comma, quote, CR or LF (doubling inner quotes), per RFC 4180.
std::string escape(std::string_view field);

/// Joins fields with commas, escaping each, and ends the line with CRLF as RFC 4180 asks.
std::string formatRecord(const std::vector<std::string> &fields);

} // namespace cliff::csv
