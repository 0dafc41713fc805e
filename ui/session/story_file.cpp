#include "story.h"

#include "econ/economic_view.h"
#include "plot/export_subject.h"
#include "plot/view_plot.h"

#include <QStringList>

#include <algorithm>
#include <set>

namespace cliff {

namespace {

constexpr std::size_t kMaxStorySteps = 50;

// The step being read, with the line each key was given on.
struct PendingStep {
    StoryStep step;
    int line = 0;
    std::set<QString> given;
    int answerLine = 0;
    int chartLine = 0;
};

} // namespace

Result<std::vector<StoryStep>> parseStoryFile(const QByteArray &text, const QString &fileName,
                                              const std::vector<Figure> &figures,
                                              const std::vector<Source> &sources)
{
    const std::string file = fileName.toStdString();
    const auto fail = [&](int line, const QString &message) -> Error {
        return Error{message.toStdString(), file, line, {}};
    };
    if (text.size() > kMaxStoryFileBytes)
        return fail(0, QStringLiteral("the file is larger than %1 bytes").arg(kMaxStoryFileBytes));
    if (text.contains('\0'))
        return fail(0, QStringLiteral("the file holds a NUL byte; a story is text"));

    std::vector<StoryStep> steps;
    std::optional<PendingStep> pending;
    // Checks the step just read and answers its question.
    const auto finish = [&]() -> std::optional<Error> {
        if (!pending)
            return std::nullopt;
        for (const char *key : {"title", "view", "caption"}) {
            if (!pending->given.count(QString::fromLatin1(key)))
                return fail(pending->line, QStringLiteral("the step has no '%1'").arg(QString::fromLatin1(key)));
        }
        const bool asks = pending->given.count(QStringLiteral("question")) > 0;
        for (const char *key : {"answer", "unit"}) {
            if (asks != (pending->given.count(QString::fromLatin1(key)) > 0)) {
                return fail(pending->line, asks ? QStringLiteral("the question has no '%1'").arg(QString::fromLatin1(key))
                                                : QStringLiteral("'%1' without a question").arg(QString::fromLatin1(key)));
            }
        }
        if (!pending->step.chartKey.isEmpty()) {
            const auto view = econ::findEconomicView(pending->step.viewKey.toStdString());
            const auto plot = plot::buildViewPlot(*view, figures, pending->step.scenario);
            const std::vector<std::string> keys = plot ? plot::chartKeys(*plot) : std::vector<std::string>{};
            if (std::find(keys.begin(), keys.end(), pending->step.chartKey.toStdString()) == keys.end()) {
                QStringList known;
                for (const std::string &key : keys)
                    known << QString::fromStdString(key);
                return fail(pending->chartLine, QStringLiteral("the %1 view has no chart '%2' (%3)")
                                                    .arg(pending->step.viewKey, pending->step.chartKey,
                                                         known.join(u", ")));
            }
        }
        if (asks) {
            auto answer = answerStoryQuestion(pending->step, figures, sources);
            if (!answer)
                return fail(pending->answerLine, QString::fromStdString(answer.error().message));
        }
        steps.push_back(std::move(pending->step));
        pending.reset();
        return std::nullopt;
    };

    const QStringList lines = QString::fromUtf8(text).split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const int line = i + 1;
        const QString content = lines[i].trimmed();
        if (content.isEmpty() || content.startsWith(u'#'))
            continue;
        if (content == u"[step]") {
            if (auto error = finish())
                return *error;
            if (steps.size() >= kMaxStorySteps)
                return fail(line, QStringLiteral("more than %1 steps").arg(kMaxStorySteps));
            pending = PendingStep{};
            pending->line = line;
            continue;
        }
        const qsizetype colon = content.indexOf(u':');
        if (colon <= 0)
            return fail(line, QStringLiteral("expected \"key: value\" or [step]"));
        const QString key = content.left(colon).trimmed();
        const QString value = content.mid(colon + 1).trimmed();
        if (!pending)
            return fail(line, QStringLiteral("'%1' before the first [step]").arg(key));
        static const std::set<QString> kKeys = {
            QStringLiteral("title"),    QStringLiteral("view"),   QStringLiteral("chart"),
            QStringLiteral("caption"),  QStringLiteral("set"),    QStringLiteral("question"),
            QStringLiteral("answer"),   QStringLiteral("unit")};
        if (!kKeys.count(key))
            return fail(line, QStringLiteral("unknown key '%1' (title, view, chart, caption, set, question, answer, unit)").arg(key));
        if (key != u"set" && !pending->given.insert(key).second)
            return fail(line, QStringLiteral("'%1' given twice in one step").arg(key));
        if (value.isEmpty())
            return fail(line, QStringLiteral("'%1' has no value").arg(key));
        StoryStep &step = pending->step;
        if (key == u"title") {
            step.title = value;
        } else if (key == u"view") {
            if (!econ::findEconomicView(value.toStdString()))
                return fail(line, QStringLiteral("unknown view '%1' (revenue-gap, cost-curves, moat, fragility, fiber)").arg(value));
            step.viewKey = value;
        } else if (key == u"chart") {
            step.chartKey = value;
            pending->chartLine = line;
        } else if (key == u"caption") {
            step.caption = value;
        } else if (key == u"set") {
            pending->given.insert(key);
            if (Status set = step.scenario.apply(value.toStdString()); !set)
                return fail(line, QStringLiteral("set: %1").arg(QString::fromStdString(set.error().toString())));
        } else if (key == u"question") {
            step.question = step.question.value_or(StoryQuestion{});
            step.question->prompt = value;
        } else if (key == u"answer") {
            step.question = step.question.value_or(StoryQuestion{});
            pending->answerLine = line;
            const QStringList parts = value.split(u' ', Qt::SkipEmptyParts);
            if (parts.size() != 2 || (parts[0] != u"figure" && parts[0] != u"headline"))
                return fail(line, QStringLiteral("answer is \"figure ID\" or \"headline KEY\", not '%1'").arg(value));
            (parts[0] == u"figure" ? step.question->figureId : step.question->headline) = parts[1];
        } else {
            const auto &units = storyUnits();
            if (std::find(units.begin(), units.end(), value) == units.end())
                return fail(line, QStringLiteral("unknown unit '%1' (%2)").arg(value, QStringList(units.begin(), units.end()).join(u", ")));
            step.question = step.question.value_or(StoryQuestion{});
            step.question->unit = value;
        }
    }
    if (auto error = finish())
        return *error;
    if (steps.empty())
        return fail(0, QStringLiteral("the file has no [step]"));
    return steps;
}

} // namespace cliff
