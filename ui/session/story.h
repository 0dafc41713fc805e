#pragma once

#include "core/figure.h"
#include "core/result.h"
#include "econ/scenario.h"

#include <QString>

#include <optional>
#include <vector>

namespace cliff {

/// A question a step asks the class before it shows the answer: a cited figure, or one of the
/// step's view's headline numbers at the step's assumptions.
struct StoryQuestion {
    QString prompt;
    QString figureId; ///< the answer is this figure's value; or
    QString headline; ///< the answer is this headline metric of the step's view (its key)
    QString unit;     ///< the unit guesses are typed in: see storyUnits()
};

/// One move of the guided story: a view, the assumptions it starts from and what to look at.
struct StoryStep {
    QString title;
    QString viewKey;
    QString chartKey; ///< the chart the caption talks about
    QString caption;
    econ::Scenario scenario; ///< defaults with the step's preset assumptions applied
    std::optional<StoryQuestion> question;
};

/// "The thesis in five moves": the bet, the falsification risk, the doctrine, the cracks, the
/// cliff, in order, each with a question.
std::vector<StoryStep> thesisStory();

/// The units a question's guesses may be typed in: "US$", "US$ thousands", "US$ millions",
/// "US$ billions", "US$ trillions", "%", "count", "months", "years", "year", "points", "bp", "x".
const std::vector<QString> &storyUnits();

/// A question's answer, in the unit guesses are typed in.
struct StoryAnswer {
    double value = 0.0;
    QString text;     ///< the value with its unit, e.g. "$5.58 million"
    QString source;   ///< "Publisher, title (published)" or "Model: <view> at this step's assumptions"
    QString quote;    ///< the figure's verbatim quote; empty for a model output
    QString figureId; ///< empty for a model output
};

/// The answer to `step`'s question from `figures` (and `sources` for the citation). Errors: no
/// question, a figure not among them, a headline not of the step's view, a model error, or a
/// figure whose unit the question's unit cannot express (US$ for USD, % for %, else the same).
Result<StoryAnswer> answerStoryQuestion(const StoryStep &step, const std::vector<Figure> &figures,
                                        const std::vector<Source> &sources);

/// The largest story file read, in bytes.
inline constexpr qint64 kMaxStoryFileBytes = 1 << 20;

/// Reads a story file: lines of "key: value", a step starting at each "[step]" line, "#" lines
/// and blank lines ignored. Keys: title, view, chart, caption (required but chart), set
/// (key=value, repeatable), question, answer ("figure ID" or "headline KEY") and unit (both
/// required with a question). Every question is answered against `figures` and `sources` on
/// load. Errors name the file and line: an unknown key, a key outside a step or given twice, a
/// missing key (at the step's line), an unknown view or a chart it does not draw, a bad
/// assumption, an answer that cannot be found. At most 50 steps.
Result<std::vector<StoryStep>> parseStoryFile(const QByteArray &text, const QString &fileName,
                                              const std::vector<Figure> &figures,
                                              const std::vector<Source> &sources);

} // namespace cliff
