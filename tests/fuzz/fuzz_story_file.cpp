// libFuzzer harness: the story file reader (parseStoryFile) on arbitrary bytes, with a small
// store of two figures to answer from, and the other text inputs of the questions: solve targets
// and class guesses. Besides not crashing: a refused story names a line inside the file, a read
// one has every required field and an answerable question, and a parsed target reads back to
// itself.
#include "econ/prediction.h"
#include "econ/target_solver.h"
#include "session/story.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

cliff::Figure figure(const char *id, double value, const char *unit)
{
    cliff::Figure made;
    made.id = id;
    made.category = "training_cost";
    made.entity = "A";
    made.metric = "Training cost";
    made.value = value;
    made.unit = unit;
    made.period = "2024";
    made.kind = "reported";
    made.sourceId = "s";
    return made;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    static const std::vector<cliff::Figure> figures = {figure("cost", 5.576e6, "USD"),
                                                       figure("count", 9, "count")};
    const auto story = cliff::parseStoryFile(bytes, QStringLiteral("fuzz.story"), figures, {});
    if (!story) {
        const int lines = int(bytes.count('\n')) + 1;
        if (story.error().message.empty() || story.error().line < 0 || story.error().line > lines)
            __builtin_trap();
    } else {
        for (const cliff::StoryStep &step : *story) {
            if (step.title.isEmpty() || step.viewKey.isEmpty() || step.caption.isEmpty())
                __builtin_trap();
            if (step.question && !cliff::answerStoryQuestion(step, figures, {}))
                __builtin_trap();
        }
    }

    const std::string_view text(reinterpret_cast<const char *>(data), size);
    for (cliff::econ::EconomicView view : cliff::econ::economicViews()) {
        const auto target = cliff::econ::parseSolveTarget(view, text);
        if (target && !(*cliff::econ::parseSolveTarget(view, cliff::econ::targetText(*target)) == *target))
            __builtin_trap();
    }
    if (const auto guesses = cliff::econ::parseGuesses(text)) {
        if (guesses->empty() || guesses->size() > cliff::econ::kMaxGuesses)
            __builtin_trap();
    }
    return 0;
}
