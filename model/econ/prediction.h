#pragma once

#include "core/result.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::econ {

/// The most guesses one reveal places (a class typing theirs in turn).
inline constexpr std::size_t kMaxGuesses = 60;

/// The largest guess read, either side of zero: a quadrillion holds every answer the app asks.
inline constexpr double kLargestGuess = 1e15;

/// The numbers in `text`, separated by commas, semicolons, blanks or new lines, in order; each may
/// end in % (kept as the number: 40% reads 40). Errors name the piece that is not a number or is
/// beyond kLargestGuess, refuse "1,000" (a thousands separator, where commas separate guesses),
/// and refuse none or more than kMaxGuesses.
Result<std::vector<double>> parseGuesses(std::string_view text);

/// Whether the answer and the guesses are all above zero and span a factor of ten or more: then
/// they are placed, and judged, on a log scale.
bool guessesNeedLogScale(double answer, std::span<const double> guesses);

/// How far one guess was from the answer.
struct GuessVerdict {
    double guess = 0.0;
    double factor = 1.0;     ///< guess / answer (on a log scale)
    double difference = 0.0; ///< guess - answer
    bool close = false;      ///< within 10% of the answer
    std::string text;        ///< "3.2× too high", "2.5× too low", "12 too low", "close"
};

/// The verdict on `guess` for `answer`: on a log scale as a factor ("3.2× too high"), otherwise as
/// a difference in the answer's unit ("12 too low"); "close" within 10% either way.
GuessVerdict judgeGuess(double guess, double answer, bool logScale);

} // namespace cliff::econ
