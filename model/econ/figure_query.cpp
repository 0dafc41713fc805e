#include "figure_query.h"

#include <cmath>

namespace cliff::econ {

namespace {

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

bool containsNoCase(std::string_view text, std::string_view word)
{
    if (word.empty())
        return true;
    if (word.size() > text.size())
        return false;
    for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
        std::size_t j = 0;
        while (j < word.size() && lower(text[i + j]) == lower(word[j]))
            ++j;
        if (j == word.size())
            return true;
    }
    return false;
}

std::optional<int> calendarYear(const Figure &figure)
{
    if (startsWith(figure.period, "FY") || figure.period.find("..") != std::string::npos)
        return std::nullopt;
    const auto span = parsePeriod(figure.period);
    if (!span)
        return std::nullopt;
    const double year = std::floor(span->startYear);
    if (span->endYear > year + 1.0 + 1e-9)
        return std::nullopt;
    return static_cast<int>(year);
}

std::optional<double> periodMidYear(const Figure &figure)
{
    const auto span = parsePeriod(figure.period);
    if (!span)
        return std::nullopt;
    return 0.5 * (span->startYear + span->endYear);
}

std::optional<double> periodStartYear(const Figure &figure)
{
    const auto span = parsePeriod(figure.period);
    if (!span)
        return std::nullopt;
    return span->startYear;
}

bool isMeasurement(const Figure &figure)
{
    return figure.kind == "reported" || figure.kind == "estimate";
}

std::vector<const Figure *> selectFigures(const std::vector<Figure> &figures,
                                          const std::function<bool(const Figure &)> &keep)
{
    std::vector<const Figure *> selected;
    for (const Figure &figure : figures) {
        if (keep(figure))
            selected.push_back(&figure);
    }
    return selected;
}

const Figure *latestFigure(const std::vector<const Figure *> &candidates)
{
    const Figure *best = nullptr;
    double bestStart = 0.0;
    for (const Figure *figure : candidates) {
        const auto start = periodStartYear(*figure);
        if (!start)
            continue;
        if (!best || *start >= bestStart) {
            best = figure;
            bestStart = *start;
        }
    }
    return best;
}

} // namespace cliff::econ
