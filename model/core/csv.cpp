#include "csv.h"

namespace cliff::csv {

Result<std::vector<Record>> parse(std::string_view text, const std::string &fileName)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);

    std::vector<Record> records;
    Record current;
    std::string field;
    bool inQuotes = false;
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
                field += c;
            }
            continue;
        }
        switch (c) {
        case '"':
            if (!field.empty() || fieldWasQuoted)
                return Error{"a quote inside an unquoted field", fileName, line, {}};
            inQuotes = true;
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
                return Error{"a NUL byte (not a text file)", fileName, line, {}};
            field += c;
            recordHasContent = true;
        }
    }
    if (inQuotes)
        return Error{"a quoted field is not closed", fileName, line, {}};
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

std::string formatRecord(const std::vector<std::string> &fields)
{
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        line += escape(fields[i]);
    }
    return line + "\r\n";
}

} // namespace cliff::csv
