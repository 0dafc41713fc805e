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
};

/// The members of the JSON object in `text`, or of its member `nestedKey` when that member
/// exists and is an object. Full JSON syntax is checked; errors give the byte offset.
Result<std::vector<JsonMember>> readFlatJsonObject(std::string_view text,
                                                   std::string_view nestedKey);

} // namespace cliff::econ
