#include "result.h"

#include "untrusted_text.h"

#include <algorithm>

namespace cliff {

namespace {

// Longer paths than this are no file a user named on purpose; they are shown cut short.
constexpr std::size_t kLongestShownPath = 1024;

/// A field name as written: column and option names stay bare, while a name read from a file
/// (a CSV header cell, a JSON key) that could hide or break the line is quoted and cut short.
std::string shownField(const std::string &field)
{
    const bool plain = field.size() <= kQuotedChars && field.front() != ' ' && field.back() != ' '
                       && std::all_of(field.begin(), field.end(), [](char c) {
                              return c >= ' ' && c <= '~' && c != '"' && c != '\\';
                          });
    return plain ? field : quoteUntrusted(field);
}

} // namespace

std::string Error::toString() const
{
    std::string text;
    if (!file.empty()) {
        text += file.size() > kLongestShownPath ? quoteUntrusted(file, kLongestShownPath / 4)
                                                : escapeControls(file);
        if (line > 0)
            text += ':' + std::to_string(line);
        text += ": ";
    }
    if (!field.empty())
        text += shownField(field) + ": ";
    return text + message;
}

} // namespace cliff
