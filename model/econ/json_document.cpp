#include "json_document.h"

#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cliff::econ {

namespace {

constexpr std::size_t kMaxDepth = 64;

// Builds the document from nlohmann's SAX events rather than with its DOM parser, which keeps
// the last of two equal keys without a word: a scenario saying "wacc" twice is ambiguous.
class DocumentBuilder final : public nlohmann::json_sax<JsonValue> {
public:
    bool null() override { return place(JsonValue(nullptr)) != nullptr; }
    bool boolean(bool value) override { return place(JsonValue(value)) != nullptr; }
    bool number_integer(number_integer_t value) override
    {
        return place(JsonValue(value)) != nullptr;
    }
    bool number_unsigned(number_unsigned_t value) override
    {
        return place(JsonValue(value)) != nullptr;
    }
    bool number_float(number_float_t value, const string_t &) override
    {
        return place(JsonValue(value)) != nullptr;
    }
    bool string(string_t &value) override { return place(JsonValue(std::move(value))) != nullptr; }
    bool binary(binary_t &) override
    {
        return fail(Error{"binary data is not JSON", {}, 0, {}});
    }
    bool start_object(std::size_t) override { return open(JsonValue::object()); }
    bool key(string_t &name) override
    {
        if (!m_open.back().keys.insert(name).second)
            return fail(Error{"given twice in one object", {}, 0, name});
        m_key = std::move(name);
        return true;
    }
    bool end_object() override
    {
        m_open.pop_back();
        return true;
    }
    bool start_array(std::size_t) override { return open(JsonValue::array()); }
    bool end_array() override
    {
        m_open.pop_back();
        return true;
    }
    bool parse_error(std::size_t byte, const std::string &,
                     const nlohmann::json::exception &error) override
    {
        // what() is "[json.exception.parse_error.101] parse error at line 1, column 9: ...";
        // the bracketed id means nothing to whoever edits the file.
        std::string reason = error.what();
        if (const std::size_t end = reason.find("] ");
            reason.starts_with("[json.exception.") && end != std::string::npos)
            reason.erase(0, end + 2);
        return fail(Error{reason + " (byte " + std::to_string(byte) + ")", {}, 0, {}});
    }

    /// The document once the parser has accepted it; the first error otherwise.
    Result<JsonValue> take(bool parsed) &&
    {
        if (m_error)
            return std::move(*m_error);
        if (!parsed)
            return Error{"not valid JSON", {}, 0, {}};
        return std::move(m_root);
    }

private:
    struct Level {
        JsonValue *container;
        std::unordered_set<std::string> keys; // a set, as ordered_json looks keys up linearly
    };

    // Puts `value` where the parser is: the root, the open array's end or the open object's
    // current key. Parents gain no other member while a child is open, so the pointer stays
    // valid until that child is closed.
    JsonValue *place(JsonValue value)
    {
        if (m_open.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        JsonValue &parent = *m_open.back().container;
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return &parent.back();
        }
        JsonValue &slot = parent[m_key];
        slot = std::move(value);
        return &slot;
    }

    bool open(JsonValue container)
    {
        if (m_open.size() >= kMaxDepth)
            return fail(Error{"nesting deeper than " + std::to_string(kMaxDepth) + " levels", {},
                              0, {}});
        m_open.push_back(Level{place(std::move(container)), {}});
        return true;
    }

    bool fail(Error error)
    {
        if (!m_error)
            m_error = std::move(error);
        return false;
    }

    JsonValue m_root;
    std::vector<Level> m_open;
    std::string m_key;
    std::optional<Error> m_error;
};

} // namespace

Result<JsonValue> parseJsonDocument(std::string_view text)
{
    DocumentBuilder builder;
    const bool parsed = JsonValue::sax_parse(text.begin(), text.end(), &builder);
    return std::move(builder).take(parsed);
}

std::string describeJson(const JsonValue &value)
{
    switch (value.type()) {
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return "a number";
    case nlohmann::json::value_t::binary:
    case nlohmann::json::value_t::discarded: break;
    }
    return "a value";
}

} // namespace cliff::econ
