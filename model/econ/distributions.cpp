#include "distributions.h"

#include "json_document.h"
#include "scenario.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace cliff::econ {

namespace {

constexpr double kMaxSigma = 5.0;

Error keyError(AssumptionId id, const std::string &message)
{
    return Error{message, {}, 0, std::string(assumption(id).key)};
}

std::string rangeText(const Assumption &entry)
{
    return "[" + formatDouble(entry.minValue) + ", " + formatDouble(entry.maxValue) + "]";
}

// The lower end a log-normal is truncated at: the range's minimum, or 0 for a range that starts
// below 0 (a log-normal has no mass there).
double logNormalFloor(const Assumption &entry)
{
    return entry.minValue > 0.0 ? entry.minValue : 0.0;
}

// One parameter of a distribution object: present, a number.
Result<double> parameter(AssumptionId id, const JsonValue &object, const std::string &name,
                         std::string_view kind)
{
    const auto found = object.find(name);
    if (found == object.end())
        return keyError(id, "a " + std::string(kind) + " distribution needs \"" + name + "\"");
    if (!found->is_number())
        return keyError(id, "\"" + name + "\" must be a number, got " + describeJson(*found));
    return found->get<double>();
}

Result<Distribution> distributionFromJson(AssumptionId id, const JsonValue &object)
{
    if (!object.is_object())
        return keyError(id, "expected an object such as {\"kind\": \"triangular\", \"low\": ..., "
                            "\"mode\": ..., \"high\": ...}, got " + describeJson(object));
    const auto kindMember = object.find("kind");
    if (kindMember == object.end())
        return keyError(id, "needs \"kind\" (fixed, uniform, triangular, log-normal)");
    if (!kindMember->is_string())
        return keyError(id, "\"kind\" must be a string");
    const std::string &kindText = kindMember->get_ref<const std::string &>();
    const std::optional<DistributionKind> kind = findDistributionKind(kindText);
    if (!kind)
        return keyError(id, "unknown kind \"" + kindText +
                                "\" (fixed, uniform, triangular, log-normal)");
    const std::string_view name = distributionKindName(*kind);
    std::vector<std::string_view> allowed = {"kind"};
    Distribution out;
    switch (*kind) {
    case DistributionKind::Fixed: {
        auto value = parameter(id, object, "value", name);
        if (!value)
            return value.error();
        out = Distribution::fixed(*value);
        allowed.push_back("value");
        break;
    }
    case DistributionKind::Uniform: {
        auto low = parameter(id, object, "low", name);
        auto high = parameter(id, object, "high", name);
        if (!low)
            return low.error();
        if (!high)
            return high.error();
        out = Distribution::uniform(*low, *high);
        allowed.insert(allowed.end(), {"low", "high"});
        break;
    }
    case DistributionKind::Triangular: {
        auto low = parameter(id, object, "low", name);
        auto mode = parameter(id, object, "mode", name);
        auto high = parameter(id, object, "high", name);
        if (!low)
            return low.error();
        if (!mode)
            return mode.error();
        if (!high)
            return high.error();
        out = Distribution::triangular(*low, *mode, *high);
        allowed.insert(allowed.end(), {"low", "mode", "high"});
        break;
    }
    case DistributionKind::LogNormal: {
        auto median = parameter(id, object, "median", name);
        auto sigma = parameter(id, object, "sigma", name);
        if (!median)
            return median.error();
        if (!sigma)
            return sigma.error();
        const Assumption &entry = assumption(id);
        out = Distribution::logNormal(*median, *sigma, logNormalFloor(entry), entry.maxValue);
        allowed.insert(allowed.end(), {"median", "sigma"});
        break;
    }
    }
    for (const auto &field : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), field.key()) == allowed.end())
            return keyError(id, "unexpected \"" + field.key() + "\" in a " + std::string(name) +
                                    " distribution");
    }
    return out;
}

void appendNumber(std::string &json, std::string_view name, double value)
{
    json += ", \"";
    json += name;
    json += "\": ";
    json += formatDouble(value);
}

} // namespace

Distributions::Distributions()
{
    for (const Assumption &entry : assumptionRegistry())
        m_items[static_cast<std::size_t>(entry.id)] = Distribution::fixed(entry.defaultValue);
}

Status validateDistribution(AssumptionId id, const Distribution &d)
{
    const Assumption &entry = assumption(id);
    const std::string kind(distributionKindName(d.kind));
    for (double value : {d.low, d.centre, d.high, d.sigma}) {
        if (!std::isfinite(value))
            return keyError(id, kind + " distribution with a value that is not a finite number");
    }
    const auto inside = [&](double value) {
        return value >= entry.minValue && value <= entry.maxValue;
    };
    const auto outside = [&](std::string_view what, double value) {
        return keyError(id, std::string(what) + " " + formatDouble(value) + " is out of range " +
                                rangeText(entry) + " " + std::string(entry.unit));
    };
    switch (d.kind) {
    case DistributionKind::Fixed:
        if (!inside(d.centre))
            return outside("value", d.centre);
        return Ok{};
    case DistributionKind::Uniform:
    case DistributionKind::Triangular:
        if (!inside(d.low))
            return outside("low", d.low);
        if (!inside(d.high))
            return outside("high", d.high);
        if (!(d.low < d.high))
            return keyError(id, kind + " distribution needs low < high, got low " +
                                    formatDouble(d.low) + " and high " + formatDouble(d.high));
        if (d.kind == DistributionKind::Triangular && (d.centre < d.low || d.centre > d.high))
            return keyError(id, "triangular mode " + formatDouble(d.centre) +
                                    " is not within low " + formatDouble(d.low) + " and high " +
                                    formatDouble(d.high));
        return Ok{};
    case DistributionKind::LogNormal:
        if (!(d.centre > 0.0))
            return keyError(id, "log-normal median must be above 0, got " + formatDouble(d.centre));
        if (!inside(d.centre))
            return outside("median", d.centre);
        if (!(d.sigma > 0.0) || d.sigma > kMaxSigma)
            return keyError(id, "log-normal sigma must be above 0 and at most " +
                                    formatDouble(kMaxSigma) + ", got " + formatDouble(d.sigma));
        return Ok{};
    }
    return Ok{};
}

Status Distributions::set(AssumptionId id, Distribution distribution)
{
    if (distribution.kind == DistributionKind::LogNormal) {
        const Assumption &entry = assumption(id);
        distribution.low = logNormalFloor(entry);
        distribution.high = entry.maxValue;
    }
    if (Status status = validateDistribution(id, distribution); !status)
        return status;
    m_items[static_cast<std::size_t>(id)] = distribution;
    return Ok{};
}

Status Distributions::applyJson(std::string_view jsonText)
{
    auto document = parseJsonDocument(jsonText);
    if (!document)
        return document.error();
    if (!document->is_object())
        return Error{"expected a JSON object, got " + describeJson(*document), {}, 0, {}};
    const auto members = document->find("distributions");
    if (members == document->end())
        return Ok{};
    if (!members->is_object())
        return Error{"expected an object, got " + describeJson(*members), {}, 0, "distributions"};
    Distributions next = *this;
    for (const auto &member : members->items()) {
        const auto id = findAssumption(member.key());
        if (!id)
            return Error{"unknown assumption (see the registry for the keys)", {}, 0, member.key()};
        auto distribution = distributionFromJson(*id, member.value());
        if (!distribution)
            return distribution.error();
        if (Status status = next.set(*id, *distribution); !status)
            return status;
    }
    *this = next;
    return Ok{};
}

Distributions Distributions::centredOn(const Scenario &scenario) const
{
    Distributions out;
    for (const Assumption &entry : assumptionRegistry()) {
        const Distribution &d = get(entry.id);
        const double value = scenario.value(entry.id);
        Distribution moved = d;
        switch (d.kind) {
        case DistributionKind::Fixed:
            moved = Distribution::fixed(value);
            break;
        case DistributionKind::Uniform:
        case DistributionKind::Triangular: {
            const double shift = value - d.centre;
            moved.low = std::max(entry.minValue, d.low + shift);
            moved.high = std::min(entry.maxValue, d.high + shift);
            moved.centre = d.kind == DistributionKind::Uniform ? 0.5 * (moved.low + moved.high)
                                                               : value;
            break;
        }
        case DistributionKind::LogNormal:
            moved = value > 0.0 ? Distribution::logNormal(value, d.sigma, d.low, d.high)
                                : Distribution::fixed(value);
            break;
        }
        out.m_items[static_cast<std::size_t>(entry.id)] = moved;
    }
    return out;
}

std::string distributionsJson(const Distributions &distributions, std::span<const AssumptionId> ids)
{
    std::string json = "{";
    bool first = true;
    for (AssumptionId id : ids) {
        const Distribution &d = distributions.get(id);
        json += first ? "\"" : ", \"";
        first = false;
        json += assumption(id).key;
        json += "\": {\"kind\": \"";
        json += distributionKindName(d.kind);
        json += "\"";
        switch (d.kind) {
        case DistributionKind::Fixed:
            appendNumber(json, "value", d.centre);
            break;
        case DistributionKind::Uniform:
            appendNumber(json, "low", d.low);
            appendNumber(json, "high", d.high);
            break;
        case DistributionKind::Triangular:
            appendNumber(json, "low", d.low);
            appendNumber(json, "mode", d.centre);
            appendNumber(json, "high", d.high);
            break;
        case DistributionKind::LogNormal:
            appendNumber(json, "median", d.centre);
            appendNumber(json, "sigma", d.sigma);
            break;
        }
        json += "}";
    }
    json += "}";
    return json;
}

} // namespace cliff::econ
