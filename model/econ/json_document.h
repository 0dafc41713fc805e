#pragma once

// Scenario JSON, read with nlohmann-json. Included only by econ's own sources: the library is a
// private dependency of cliff_econ.

#include "core/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace cliff::econ {

/// A parsed JSON value; objects keep their members in file order, so errors follow the file.
using JsonValue = nlohmann::ordered_json;

/// The JSON document in `text`. Refuses what is not strict JSON (the error gives line, column
/// and byte), a number too large for a double, a key given twice in one object (the error's
/// field is the key) and nesting deeper than 64 levels.
Result<JsonValue> parseJsonDocument(std::string_view text);

/// "an object", "an array", "a string", "a number", "true", "false" or "null", for messages.
std::string describeJson(const JsonValue &value);

} // namespace cliff::econ
