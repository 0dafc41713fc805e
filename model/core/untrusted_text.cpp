#include "untrusted_text.h"

#include <cstdint>

namespace cliff {

namespace {

/// The length of the UTF-8 sequence at `text[at]`, with its code point in `codePoint`; 0 when
/// the bytes there are not UTF-8 (a stray continuation, an overlong form, a surrogate, a cut-off
/// sequence).
std::size_t decodeUtf8(std::string_view text, std::size_t at, char32_t &codePoint)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) {
        codePoint = lead;
        return 1;
    }
    std::size_t length = 0;
    char32_t smallest = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        codePoint = lead & 0x1Fu;
        smallest = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        codePoint = lead & 0x0Fu;
        smallest = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        codePoint = lead & 0x07u;
        smallest = 0x10000;
    } else {
        return 0;
    }
    if (text.size() - at < length)
        return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0u) != 0x80u)
            return 0;
        codePoint = (codePoint << 6) | (byte(at + i) & 0x3Fu);
    }
    if (codePoint < smallest || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        return 0;
    return length;
}

/// Characters a terminal acts on instead of showing, or that make a line read differently from
/// its bytes: C0 and C1 controls, DEL, line separators and the bidirectional overrides.
bool isControl(char32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x200E || c == 0x200F
           || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void appendHex(std::string &out, std::uint32_t value, int digits)
{
    static constexpr char kHex[] = "0123456789abcdef";
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
        out += kHex[(value >> shift) & 0xFu];
}

void appendControl(std::string &out, char32_t c)
{
    switch (c) {
    case U'\n': out += "\\n"; return;
    case U'\r': out += "\\r"; return;
    case U'\t': out += "\\t"; return;
    default: break;
    }
    if (c < 0x80) {
        out += "\\x";
        appendHex(out, c, 2);
    } else {
        out += "\\u";
        appendHex(out, c, 4);
    }
}

/// Appends `text` with its controls escaped (and `"`, `\` too when `quoting`), up to `maxChars`
/// characters; returns whether it stopped before the end.
bool appendEscaped(std::string &out, std::string_view text, bool quoting, std::size_t maxChars)
{
    std::size_t chars = 0;
    for (std::size_t at = 0; at < text.size(); ++chars) {
        if (chars == maxChars)
            return true;
        char32_t c = 0;
        const std::size_t length = decodeUtf8(text, at, c);
        if (length == 0) {
            out += "\\x";
            appendHex(out, static_cast<unsigned char>(text[at]), 2);
            ++at;
            continue;
        }
        if (isControl(c))
            appendControl(out, c);
        else if (quoting && (c == U'"' || c == U'\\'))
            (out += '\\') += static_cast<char>(c);
        else
            out.append(text.substr(at, length));
        at += length;
    }
    return false;
}

} // namespace

std::string escapeControls(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    appendEscaped(out, text, false, text.size());
    return out;
}

std::string quoteUntrusted(std::string_view text, std::size_t maxChars)
{
    std::string out = "\"";
    if (!appendEscaped(out, text, true, maxChars))
        return out + '"';
    return out + "…\" (" + groupedDigits(text.size()) + (text.size() == 1 ? " byte)" : " bytes)");
}

std::string groupedDigits(std::size_t count)
{
    std::string digits = std::to_string(count);
    for (std::size_t at = digits.size(); at > 3; at -= 3)
        digits.insert(at - 3, 1, ',');
    return digits;
}

} // namespace cliff
