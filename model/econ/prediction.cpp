#include "prediction.h"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace cliff::econ {

namespace {

std::string shortNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

} // namespace

Result<std::vector<double>> parseGuesses(std::string_view text)
{
    std::vector<double> guesses;
    std::size_t at = 0;
    const auto separator = [](char c) {
        return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    };
    while (at < text.size()) {
        while (at < text.size() && separator(text[at]))
            ++at;
        std::size_t end = at;
        while (end < text.size() && !separator(text[end]))
            ++end;
        if (end == at)
            break;
        std::string_view piece = text.substr(at, end - at);
        // "1,000" would read as 1 and 0: a comma before three digits is a thousands separator.
        const bool digitsBefore = !piece.empty() && std::isdigit(static_cast<unsigned char>(piece.back()));
        if (digitsBefore && end + 4 <= text.size() && text[end] == ',' &&
            std::all_of(text.begin() + std::ptrdiff_t(end) + 1, text.begin() + std::ptrdiff_t(end) + 4,
                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) &&
            (end + 4 == text.size() || separator(text[end + 4]))) {
            return Error{"\"" + std::string(text.substr(at, end + 4 - at)) +
                             "\" looks like a number with a thousands separator; commas separate "
                             "guesses, so write it without one",
                         {}, 0, "guess"};
        }
        if (piece.ends_with('%'))
            piece.remove_suffix(1);
        double value = 0.0;
        const auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), value);
        if (piece.empty() || ec != std::errc{} || ptr != piece.data() + piece.size() ||
            !std::isfinite(value))
            return Error{"\"" + std::string(text.substr(at, end - at)) + "\" is not a number", {}, 0, "guess"};
        if (std::abs(value) > kLargestGuess)
            return Error{"\"" + std::string(text.substr(at, end - at)) + "\" is beyond any answer here", {}, 0, "guess"};
        guesses.push_back(value);
        if (guesses.size() > kMaxGuesses)
            return Error{"more than " + std::to_string(kMaxGuesses) + " guesses", {}, 0, "guess"};
        at = end;
    }
    if (guesses.empty())
        return Error{"no guess given", {}, 0, "guess"};
    return guesses;
}

bool guessesNeedLogScale(double answer, std::span<const double> guesses)
{
    double low = answer;
    double high = answer;
    for (double guess : guesses) {
        low = std::min(low, guess);
        high = std::max(high, guess);
    }
    return low > 0.0 && high / low >= 10.0;
}

GuessVerdict judgeGuess(double guess, double answer, bool logScale)
{
    GuessVerdict verdict;
    verdict.guess = guess;
    verdict.difference = guess - answer;
    verdict.factor = answer != 0.0 ? guess / answer : 0.0;
    verdict.close = answer != 0.0 ? std::abs(verdict.difference) <= 0.1 * std::abs(answer)
                                  : guess == 0.0;
    if (verdict.close) {
        verdict.text = "close";
    } else if (logScale) {
        const bool high = verdict.factor > 1.0;
        verdict.text = shortNumber(high ? verdict.factor : 1.0 / verdict.factor) + "\u00d7 too " +
                       (high ? "high" : "low");
    } else {
        verdict.text = shortNumber(std::abs(verdict.difference)) + " too " +
                       (verdict.difference > 0.0 ? "high" : "low");
    }
    return verdict;
}

} // namespace cliff::econ
