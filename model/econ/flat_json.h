#pragma once

#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// One member of a JSON object: its key and, when the value is a number, the number.
struct JsonMember {
    std::string key;
    std::optional<double> number; ///< empty when the value is not a JSON number
    std::string valueText;        ///< "a string", "an object", "true", ... for messages
    std::optional<std::string> text; ///< the string, when the value is a JSON string
    std::vector<JsonMember> members; ///< the object's members, when the value is an object
};

/// The members of the JSON object in `text`, or of its member `nestedKey` when that member
/// exists and is an object. Full JSON syntax is checked; errors give the byte offset.
Result<std::vector<JsonMember>> readFlatJsonObject(std::string_view text,
                                                   std::string_view nestedKey);

/// The members of the top-level object's member `key` when that member is an object (each with
/// its own members and string values), nothing when there is no such member; an error naming
/// `key` when it is not an object. Full JSON syntax is checked; errors give the byte offset.
Result<std::optional<std::vector<JsonMember>>> readJsonObjectMember(std::string_view text,
                                                                    std::string_view key);

} // namespace cliff::econ
