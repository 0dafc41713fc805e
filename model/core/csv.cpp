#include "csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace cliff::csv {
namespace {

/// The offset of the first byte that does not belong to well-formed UTF-8 (no overlong forms,
/// no surrogates, nothing above U+10FFFF), or npos when all of `text` is.
std::size_t invalidUtf8Offset(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + length > text.size())
            return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            const unsigned char min = k == 1 ? low : 0x80;
            const unsigned char max = k == 1 ? high : 0xBF;
            if (next < min || next > max)
                return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

/// A spreadsheet reads a cell that starts with one of these as a formula (OWASP's list).
bool startsFormula(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/// True when `text` is a run of `'` (possibly none) and then a character that starts a formula.
bool quotesThenFormula(std::string_view text)
{
    const std::size_t first = text.find_first_not_of('\'');
    return first != std::string_view::npos && startsFormula(text[first]);
}

/// True for text from_chars reads whole as a finite number, such as "-2.5" or "1.5e+12";
/// "+5", " 5" and "inf" are not.
bool isPlainNumber(std::string_view text)
{
    double value = 0.0;
    const char *end = text.data() + text.size();
    const auto read = std::from_chars(text.data(), end, value);
    return !text.empty() && read.ec == std::errc() && read.ptr == end && std::isfinite(value);
}

} // namespace

Result<std::vector<Record>> parse(std::string_view text, const std::string &fileName)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    if (const std::size_t bad = invalidUtf8Offset(text); bad != std::string_view::npos) {
        const auto lines = std::count(text.begin(), text.begin() + std::ptrdiff_t(bad), '\n');
        return Error{"not UTF-8 text (byte " + std::to_string(bad + 1) + ")", fileName,
                     int(lines) + 1, {}};
    }

    std::vector<Record> records;
    Record current;
    std::string field;
    bool inQuotes = false;
    int quoteLine = 0; // where the open quoted field started
    bool fieldWasQuoted = false;
    bool recordHasContent = false;
    int line = 1;
    current.line = 1;

    auto endField = [&] {
        current.fields.push_back(std::move(field));
        field.clear();
        fieldWasQuoted = false;
    };
    auto endRecord = [&] {
        if (recordHasContent || !current.fields.empty()) {
            endField();
            records.push_back(std::move(current));
        }
        current = Record{};
        field.clear();
        fieldWasQuoted = false;
        recordHasContent = false;
    };

    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == '\n')
                    ++line;
                if (c == '\0')
                    return Error{"a NUL byte (not a text file)", fileName, line,
                                 "column " + std::to_string(current.fields.size() + 1)};
                field += c;
            }
            continue;
        }
        switch (c) {
        case '"':
            if (!field.empty() || fieldWasQuoted)
                return Error{"a quote inside an unquoted field", fileName, line, {}};
            inQuotes = true;
            quoteLine = line;
            fieldWasQuoted = true;
            recordHasContent = true;
            break;
        case ',':
            endField();
            recordHasContent = true;
            break;
        case '\r':
            if (i + 1 < text.size() && text[i + 1] == '\n')
                break; // the LF ends the record
            return Error{"a bare carriage return", fileName, line, {}};
        case '\n':
            endRecord();
            ++line;
            current.line = line;
            break;
        default:
            if (fieldWasQuoted)
                return Error{"text after a closing quote", fileName, line, {}};
            if (c == '\0')
                return Error{"a NUL byte (not a text file)", fileName, line,
                             "column " + std::to_string(current.fields.size() + 1)};
            field += c;
            recordHasContent = true;
        }
    }
    if (inQuotes)
        return Error{"a quoted field that starts here is not closed", fileName, quoteLine, {}};
    endRecord();
    return records;
}

std::string escape(std::string_view field)
{
    if (field.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(field);
    std::string quoted = "\"";
    for (char c : field) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string textCell(std::string_view text)
{
    if (quotesThenFormula(text))
        return "'" + std::string(text);
    return std::string(text);
}

std::string textFromCell(std::string_view cell)
{
    if (cell.starts_with('\'') && quotesThenFormula(cell.substr(1)))
        cell.remove_prefix(1);
    return std::string(cell);
}

std::string formatRecord(const std::vector<std::string> &fields,
                         const std::vector<std::size_t> &numberColumns)
{
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        const bool number = std::find(numberColumns.begin(), numberColumns.end(), i)
                                != numberColumns.end()
                            && (fields[i].empty() || isPlainNumber(fields[i]));
        line += escape(number ? fields[i] : textCell(fields[i]));
    }
    return line + "\r\n";
}

std::string formatComment(std::string_view text)
{
    std::string line = "# ";
    line += text;
    std::replace(line.begin(), line.end(), '\r', ' ');
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::string quoted = "\"";
    for (char c : line) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"\r\n";
}

bool isComment(const Record &record)
{
    return record.fields.size() == 1 && record.fields.front().starts_with('#');
}

} // namespace cliff::csv
