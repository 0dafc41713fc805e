#include "flat_json.h"

#include <charconv>
#include <cmath>

namespace cliff::econ {

namespace {

// A small recursive-descent reader: enough JSON to read scenario files without Qt.
class Reader {
public:
    explicit Reader(std::string_view text) : m_text(text) {}

    Error error(const std::string &message) const
    {
        return Error{message + " at byte " + std::to_string(m_pos), {}, 0, {}};
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }

    std::optional<std::string> readString()
    {
        if (peek() != '"')
            return std::nullopt;
        ++m_pos;
        std::string out;
        while (!atEnd()) {
            const char c = m_text[m_pos++];
            if (c == '"')
                return out;
            if (static_cast<unsigned char>(c) < 0x20)
                return std::nullopt;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (atEnd())
                return std::nullopt;
            const char escaped = m_text[m_pos++];
            switch (escaped) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u':
                if (m_pos + 4 > m_text.size())
                    return std::nullopt;
                for (int i = 0; i < 4; ++i) {
                    const char h = m_text[m_pos++];
                    const bool hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
                                     (h >= 'A' && h <= 'F');
                    if (!hex)
                        return std::nullopt;
                }
                out += '?';
                break;
            default:
                return std::nullopt;
            }
        }
        return std::nullopt;
    }

    std::optional<double> readNumber()
    {
        const std::size_t start = m_pos;
        if (peek() == '-')
            ++m_pos;
        if (!(peek() >= '0' && peek() <= '9'))
            return std::nullopt;
        while (std::string_view("0123456789.eE+-").find(peek()) != std::string_view::npos &&
               !atEnd())
            ++m_pos;
        double value = 0.0;
        const char *first = m_text.data() + start;
        const char *last = m_text.data() + m_pos;
        const auto [end, ec] = std::from_chars(first, last, value);
        if (ec != std::errc() || end != last || !std::isfinite(value))
            return std::nullopt;
        return value;
    }

    bool readLiteral(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    // Reads any value; fills `member` with a description (and the number, for numbers).
    Status readValue(JsonMember &member, int depth)
    {
        if (depth > 64)
            return error("nesting too deep");
        skipSpace();
        const char c = peek();
        if (c == '{') {
            member.valueText = "an object";
            return readObject(&member.members, {}, nullptr, depth + 1);
        }
        if (c == '[') {
            member.valueText = "an array";
            ++m_pos;
            skipSpace();
            if (peek() == ']') {
                ++m_pos;
                return Ok{};
            }
            for (;;) {
                JsonMember element;
                if (auto status = readValue(element, depth + 1); !status)
                    return status;
                skipSpace();
                if (peek() == ',') {
                    ++m_pos;
                    continue;
                }
                if (peek() == ']') {
                    ++m_pos;
                    return Ok{};
                }
                return error("expected ',' or ']'");
            }
        }
        if (c == '"') {
            member.text = readString();
            if (!member.text)
                return error("bad string");
            member.valueText = "a string";
            return Ok{};
        }
        if (readLiteral("true")) {
            member.valueText = "true";
            return Ok{};
        }
        if (readLiteral("false")) {
            member.valueText = "false";
            return Ok{};
        }
        if (readLiteral("null")) {
            member.valueText = "null";
            return Ok{};
        }
        member.number = readNumber();
        if (!member.number)
            return error("bad value");
        member.valueText = "a number";
        return Ok{};
    }

    // Reads an object at the cursor. When `members` is given, keeps its members; when the member
    // called `nestedKey` is an object, its members go to `nested` instead.
    Status readObject(std::vector<JsonMember> *members, std::string_view nestedKey,
                      std::vector<JsonMember> *nested, int depth)
    {
        skipSpace();
        if (peek() != '{')
            return error("expected '{'");
        ++m_pos;
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return Ok{};
        }
        for (;;) {
            skipSpace();
            auto key = readString();
            if (!key)
                return error("expected a key in double quotes");
            skipSpace();
            if (peek() != ':')
                return error("expected ':'");
            ++m_pos;
            skipSpace();
            if (nested && *key == nestedKey && peek() == '{') {
                if (auto status = readObject(nested, {}, nullptr, depth + 1); !status)
                    return status;
                m_foundNested = true;
            } else {
                JsonMember member;
                member.key = *key;
                if (auto status = readValue(member, depth); !status)
                    return status;
                if (members)
                    members->push_back(std::move(member));
            }
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                return Ok{};
            }
            return error("expected ',' or '}'");
        }
    }

    bool foundNested() const { return m_foundNested; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_foundNested = false;
};

} // namespace

Result<std::vector<JsonMember>> readFlatJsonObject(std::string_view text,
                                                   std::string_view nestedKey)
{
    Reader reader(text);
    std::vector<JsonMember> members;
    std::vector<JsonMember> nested;
    if (auto status = reader.readObject(&members, nestedKey, &nested, 0); !status)
        return status.error();
    reader.skipSpace();
    if (!reader.atEnd())
        return reader.error("unexpected text after the object");
    if (reader.foundNested())
        return nested;
    return members;
}

Result<std::optional<std::vector<JsonMember>>> readJsonObjectMember(std::string_view text,
                                                                    std::string_view key)
{
    Reader reader(text);
    std::vector<JsonMember> members;
    if (auto status = reader.readObject(&members, {}, nullptr, 0); !status)
        return status.error();
    reader.skipSpace();
    if (!reader.atEnd())
        return reader.error("unexpected text after the object");
    const JsonMember *found = nullptr;
    for (const JsonMember &member : members) {
        if (member.key == key)
            found = &member;
    }
    if (!found)
        return std::optional<std::vector<JsonMember>>();
    if (found->valueText != "an object")
        return Error{"expected an object, got " + found->valueText, {}, 0, std::string(key)};
    return std::optional<std::vector<JsonMember>>(found->members);
}

} // namespace cliff::econ
