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

/// `text` as a spreadsheet must show it, as text: with one more leading `'` when it begins with
/// `=`, `+`, `-`, `@`, tab or CR (OWASP's rule against formula injection), or with `'`s followed
/// by one of those (so that textFromCell always gives `text` back). Not yet escaped.
std::string textCell(std::string_view text);

/// The text textCell wrote into `cell`: one leading `'` removed when `'`s and then `=`, `+`,
/// `-`, `@`, tab or CR follow it; any other cell unchanged.
std::string textFromCell(std::string_view cell);

/// One CRLF-ended record, each field escaped. Every field is a text cell (textCell) except those
/// at the indexes in `numberColumns`, written as they are when they are empty or a finite decimal
/// number, so that numbers stay numbers and no field can start a spreadsheet formula.
std::string formatRecord(const std::vector<std::string> &fields,
                         const std::vector<std::size_t> &numberColumns = {});

/// A comment line: one field, always quoted, holding "# " and `text` with CR and LF made spaces.
/// A spreadsheet shows it in one cell whatever it holds; isComment recognises it when read back.
std::string formatComment(std::string_view text);

/// True for a record of one field that begins with '#', as formatComment writes.
bool isComment(const Record &record);

} // namespace cliff::csv
