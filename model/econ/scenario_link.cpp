#include "scenario_link.h"

#include "core/untrusted_text.h"

#include <set>

namespace cliff::econ {

namespace {

constexpr std::string_view kPrefix = "compute-cliff:";

std::string_view trimmed(std::string_view text)
{
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return text;
}

Error linkError(std::string message, std::string field = {})
{
    return Error{"scenario link: " + std::move(message), {}, 0, std::move(field)};
}

} // namespace

std::string formatScenarioLink(std::string_view view, const Scenario &scenario)
{
    std::string link = std::string(kPrefix) + "view=" + std::string(view);
    for (AssumptionId id : scenario.changed())
        link += "&" + std::string(assumption(id).key) + "=" + formatDouble(scenario.value(id));
    return link;
}

Result<ScenarioLink> parseScenarioLink(std::string_view text, std::span<const std::string_view> views)
{
    text = trimmed(text);
    if (!text.starts_with(kPrefix))
        return linkError("it must start with \"compute-cliff:\"");
    text.remove_prefix(kPrefix.size());

    ScenarioLink link;
    std::set<std::string, std::less<>> seen;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('&'), text.size());
        const std::string_view pair = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        const std::size_t equals = pair.find('=');
        if (equals == std::string_view::npos || equals == 0)
            return linkError(quoteUntrusted(pair) + " is not of the form key=value");
        const std::string_view key = pair.substr(0, equals);
        const std::string_view value = pair.substr(equals + 1);
        if (!seen.insert(std::string(key)).second)
            return linkError(quoteUntrusted(key) + " is given twice", std::string(key));
        if (key == "view") {
            bool known = false;
            std::string names;
            for (std::string_view name : views) {
                known = known || name == value;
                names += (names.empty() ? "" : ", ") + std::string(name);
            }
            if (!known)
                return linkError("unknown view " + quoteUntrusted(value) + " (one of: " + names + ")",
                                 "view");
            link.view = std::string(value);
            continue;
        }
        if (Status set = link.scenario.set(key, value); !set)
            return linkError(quoteUntrusted(key) + ": " + set.error().message, std::string(key));
    }
    if (link.view.empty())
        return linkError("it names no view (view=...)", "view");
    return link;
}

} // namespace cliff::econ
