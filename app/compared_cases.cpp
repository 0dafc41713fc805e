#include "compared_cases.h"

#include "econ/evidence_date.h"
#include "econ/scenario_link.h"
#include "plot/view_plot.h"
#include "store/file_checks.h"
#include "ui/session/story.h"

#include <QFileInfo>

#include <algorithm>

namespace cliff::app {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

std::vector<std::string_view> viewKeys()
{
    std::vector<std::string_view> keys;
    for (econ::EconomicView view : econ::economicViews())
        keys.push_back(econ::economicViewKey(view));
    return keys;
}

// The scenario and name of one source; prints the error on failure.
std::optional<econ::ComparedCase> readSource(const QString &source, int &exitCode)
{
    econ::ComparedCase item;
    if (source == u"defaults") {
        item.name = "defaults";
        return item;
    }
    if (source.startsWith(u"story:")) {
        const std::vector<StoryStep> story = thesisStory();
        bool ok = false;
        const int step = source.mid(6).toInt(&ok);
        if (!ok || step < 1 || step > int(story.size())) {
            printError(QStringLiteral("%1 is not a story step (story:1 to story:%2)")
                           .arg(quoted(source))
                           .arg(story.size()));
            exitCode = ExitUsage;
            return std::nullopt;
        }
        item.name = story[std::size_t(step - 1)].title.toStdString();
        item.scenario = story[std::size_t(step - 1)].scenario;
        return item;
    }
    if (source.startsWith(u"compute-cliff:")) {
        const auto link = econ::parseScenarioLink(source.toStdString(), viewKeys());
        if (!link) {
            printError(QStringLiteral("%1: %2").arg(quoted(source), qs(link.error().message)));
            exitCode = ExitUsage;
            return std::nullopt;
        }
        item.name = "link";
        item.scenario = link->scenario;
        return item;
    }
    const auto read = store::readSmallFile(source, econ::kMaxScenarioJsonBytes);
    if (!read) {
        printError(qs(read.error().toString()));
        exitCode = ExitFailure;
        return std::nullopt;
    }
    if (Status applied = item.scenario.applyJson(
            std::string_view(read->constData(), std::size_t(read->size())));
        !applied) {
        Error located = applied.error();
        located.file = source.toStdString();
        printError(qs(located.toString()));
        exitCode = ExitFailure;
        return std::nullopt;
    }
    const auto asOf = econ::scenarioEvidenceDate(std::string_view(read->constData(), std::size_t(read->size())));
    if (!asOf) {
        Error located = asOf.error();
        located.file = source.toStdString();
        printError(qs(located.toString()));
        exitCode = ExitFailure;
        return std::nullopt;
    }
    item.asOf = *asOf;
    item.name = QFileInfo(source).completeBaseName().toStdString();
    return item;
}

} // namespace

std::optional<std::vector<econ::ComparedCase>> readComparedCases(
    const QStringList &sources, const std::optional<QString> &defaultAsOf, int &exitCode)
{
    std::vector<econ::ComparedCase> cases;
    for (const QString &argument : sources) {
        QString source = argument;
        std::optional<QString> date;
        // A trailing @YYYY-MM-DD is a date unless the whole argument names a file.
        if (const qsizetype at = argument.lastIndexOf(u'@');
            at >= 0 && !QFileInfo::exists(argument)) {
            source = argument.left(at);
            date = argument.mid(at + 1);
        }
        if (date) {
            if (Status valid = econ::validateEvidenceDate(date->toStdString()); !valid) {
                printError(QStringLiteral("%1: %2").arg(quoted(argument), qs(valid.error().message)));
                exitCode = ExitUsage;
                return std::nullopt;
            }
        }
        auto item = readSource(source, exitCode);
        if (!item)
            return std::nullopt;
        if (!date)
            date = item->asOf.empty() ? defaultAsOf : QString::fromStdString(item->asOf);
        if (date) {
            item->asOf = date->toStdString();
            item->name += ", as of " + plot::readableDate(item->asOf);
        }
        cases.push_back(std::move(*item));
    }
    // Names tell the cases apart in legends and tables: a repeated name is numbered from its
    // second use ("defaults", "defaults (2)", "defaults (3)").
    std::vector<std::string> given;
    for (const econ::ComparedCase &item : cases)
        given.push_back(item.name);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto earlier = std::count(given.begin(), given.begin() + std::ptrdiff_t(i), given[i]);
        if (earlier > 0)
            cases[i].name += " (" + std::to_string(earlier + 1) + ")";
    }
    return cases;
}

} // namespace cliff::app
