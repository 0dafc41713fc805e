#include "scenario.h"

#include "core/untrusted_text.h"

#include "json_document.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cliff::econ {

namespace {

std::string rangeText(const Assumption &entry)
{
    return "[" + formatDouble(entry.minValue) + ", " + formatDouble(entry.maxValue) + "]";
}

std::optional<double> parseDouble(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty())
        return std::nullopt;
    if (text.front() == '+')
        text.remove_prefix(1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace

std::string formatDouble(double value)
{
    char buffer[32];
    if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e15) {
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
        return buffer;
    }
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
        if (std::strtod(buffer, nullptr) == value)
            break;
    }
    return buffer;
}

Scenario::Scenario()
{
    for (const Assumption &entry : assumptionRegistry())
        m_values[static_cast<std::size_t>(entry.id)] = entry.defaultValue;
}

Status Scenario::set(AssumptionId id, double value)
{
    const Assumption &entry = assumption(id);
    if (!std::isfinite(value) || value < entry.minValue || value > entry.maxValue) {
        return Error{formatDouble(value) + " is out of range " + rangeText(entry) + " " +
                         std::string(entry.unit),
                     {}, 0, std::string(entry.key)};
    }
    m_values[static_cast<std::size_t>(id)] = value;
    return Ok{};
}

Status Scenario::set(std::string_view key, std::string_view text)
{
    const auto id = findAssumption(key);
    if (!id)
        return Error{"unknown assumption (see the registry for the keys)", {}, 0, std::string(key)};
    const auto value = parseDouble(text);
    if (!value) {
        return Error{quoteUntrusted(text) + " is not a number (allowed " +
                         rangeText(assumption(*id)) + ")",
                     {}, 0, std::string(key)};
    }
    return set(*id, *value);
}

Status Scenario::apply(std::string_view keyEqualsValue)
{
    const std::size_t eq = keyEqualsValue.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return Error{"expected key=value, got " + quoteUntrusted(keyEqualsValue), {}, 0, {}};
    return set(keyEqualsValue.substr(0, eq), keyEqualsValue.substr(eq + 1));
}

Status Scenario::applyJson(std::string_view jsonText)
{
    auto document = parseJsonDocument(jsonText);
    if (!document)
        return document.error();
    if (!document->is_object())
        return Error{"expected a JSON object, got " + describeJson(*document), {}, 0, {}};
    // A model's output (or a saved session) keeps the values in "assumptions"; a flat scenario
    // is the object itself.
    const JsonValue *members = &document.value();
    if (const auto nested = document->find("assumptions");
        nested != document->end() && nested->is_object())
        members = &*nested;
    Scenario next = *this;
    for (const auto &member : members->items()) {
        const std::string &key = member.key();
        const JsonValue &value = member.value();
        // A flat scenario may carry the assumptions' distributions beside them.
        if (key == "distributions" && value.is_object())
            continue;
        const auto id = findAssumption(key);
        if (!id)
            return Error{"unknown assumption (see the registry for the keys)", {}, 0, key};
        if (!value.is_number()) {
            return Error{"expected a number, got " + describeJson(value) + " (allowed " +
                             rangeText(assumption(*id)) + ")",
                         {}, 0, key};
        }
        if (auto status = next.set(*id, value.get<double>()); !status)
            return status;
    }
    *this = next;
    return Ok{};
}

std::vector<AssumptionId> Scenario::changed() const
{
    std::vector<AssumptionId> ids;
    for (const Assumption &entry : assumptionRegistry()) {
        if (value(entry.id) != entry.defaultValue)
            ids.push_back(entry.id);
    }
    return ids;
}

Result<Scenario> scenarioFromPairs(const std::vector<std::string> &keyEqualsValue)
{
    Scenario scenario;
    for (const std::string &pair : keyEqualsValue) {
        if (auto status = scenario.apply(pair); !status)
            return status.error();
    }
    return scenario;
}

} // namespace cliff::econ
