#include "evidence_date.h"

#include "json_document.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace cliff::econ {

namespace {

std::optional<int> digits(std::string_view text)
{
    int value = 0;
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

int daysInMonth(int year, int month)
{
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

std::string twoDigits(int value)
{
    return (value < 10 ? "0" : "") + std::to_string(value);
}

} // namespace

namespace {

// Why `date` is not a calendar date written YYYY-MM-DD, or nothing; its year in `year`.
std::optional<std::string> calendarProblem(std::string_view date, int &year)
{
    if (date.size() != 10 || date[4] != '-' || date[7] != '-')
        return "is not written YYYY-MM-DD";
    const auto y = digits(date.substr(0, 4));
    const auto month = digits(date.substr(5, 2));
    const auto day = digits(date.substr(8, 2));
    if (!y || !month || !day)
        return "is not written YYYY-MM-DD";
    if (*month < 1 || *month > 12)
        return "has no month " + std::to_string(*month);
    if (*day < 1 || *day > daysInMonth(*y, *month))
        return "has no day " + std::to_string(*day) + " in its month";
    year = *y;
    return std::nullopt;
}

} // namespace

Status validateEvidenceDate(std::string_view date)
{
    int year = 0;
    auto problem = calendarProblem(date, year);
    if (!problem && (year < 1990 || year > 2099))
        problem = "is outside 1990 to 2099";
    if (problem)
        return Error{"as-of date \"" + std::string(date) + "\" " + *problem, {}, 0, "as-of"};
    return Ok{};
}

std::string lastDayOf(std::string_view published)
{
    if (int year = 0; published.size() == 10 && !calendarProblem(published, year))
        return std::string(published);
    const auto year = published.size() >= 4 ? digits(published.substr(0, 4)) : std::nullopt;
    if (!year)
        return {};
    if (published.size() == 4)
        return std::string(published) + "-12-31";
    const auto month = published.size() == 7 && published[4] == '-'
                           ? digits(published.substr(5, 2))
                           : std::nullopt;
    if (!month || *month < 1 || *month > 12)
        return {};
    return std::string(published) + "-" + twoDigits(daysInMonth(*year, *month));
}

Result<std::string> scenarioEvidenceDate(std::string_view jsonText)
{
    auto document = parseJsonDocument(jsonText);
    if (!document)
        return document.error();
    if (!document->is_object() || !document->contains("as_of") || (*document)["as_of"].is_null())
        return std::string();
    const JsonValue &value = (*document)["as_of"];
    if (!value.is_string())
        return Error{"as_of must be a date YYYY-MM-DD, not " + describeJson(value), {}, 0, "as_of"};
    const auto date = value.get<std::string>();
    if (Status valid = validateEvidenceDate(date); !valid)
        return valid.error();
    return date;
}

Result<EvidenceAsOf> evidenceAsOf(const std::vector<Figure> &figures, std::string_view date,
                                  std::string_view today)
{
    if (Status valid = validateEvidenceDate(date); !valid)
        return valid.error();
    if (Status valid = validateEvidenceDate(today); !valid)
        return valid.error();
    EvidenceAsOf result;
    result.date = std::string(date);
    for (const Figure &figure : figures) {
        const std::string lastDay = lastDayOf(figure.published);
        if (lastDay.empty())
            ++result.undated;
        else if (std::min(lastDay, std::string(today)) > result.date) // YYYY-MM-DD compares as text
            ++result.publishedLater;
        else
            result.figures.push_back(figure);
    }
    const auto among = [](const std::vector<Figure> &list, const std::string &id) {
        return std::any_of(list.begin(), list.end(),
                           [&](const Figure &figure) { return figure.id == id; });
    };
    for (const Assumption &entry : assumptionRegistry()) {
        const std::vector<std::string> ids = sourceFigureIds(entry);
        const bool cited = entry.kind == DefaultKind::Cited &&
                           std::any_of(ids.begin(), ids.end(),
                                       [&](const std::string &id) { return among(figures, id); });
        if (cited && std::none_of(ids.begin(), ids.end(), [&](const std::string &id) {
                return among(result.figures, id);
            }))
            result.defaultsCitedLater.push_back(entry.id);
    }
    return result;
}

} // namespace cliff::econ
