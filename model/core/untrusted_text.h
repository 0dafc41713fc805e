#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cliff {

/// How many characters of text from outside a message shows before it cuts the text short.
inline constexpr std::size_t kQuotedChars = 64;

/// `text` safe for one line of a terminal: control characters (C0, DEL, C1), line and paragraph
/// separators, bidirectional controls and bytes that are not UTF-8 become escapes (\n, \x1b,
/// \u202e); everything else, backslashes included, is unchanged.
std::string escapeControls(std::string_view text);

/// `text` that came from a user or a file, as a message shows it: in double quotes with `"`, `\`
/// and what escapeControls escapes written as escapes, and when it is longer than `maxChars`
/// characters, cut there with "…" and followed by its length: "abc…" (52,428,800 bytes).
std::string quoteUntrusted(std::string_view text, std::size_t maxChars = kQuotedChars);

/// `count` in decimal with a comma between groups of three digits: "52,428,800".
std::string groupedDigits(std::size_t count);

} // namespace cliff
