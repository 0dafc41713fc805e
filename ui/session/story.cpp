#include "story.h"

#include "econ/headline_metric.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace cliff {

namespace {

using enum econ::AssumptionId;

econ::Scenario preset(std::initializer_list<std::pair<econ::AssumptionId, double>> values)
{
    econ::Scenario scenario;
    for (const auto &[id, value] : values) {
        const Status set = scenario.set(id, value);
        Q_ASSERT(set);
    }
    return scenario;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("cliff::Story", text);
}

} // namespace

std::vector<StoryStep> thesisStory()
{
    return {
        {tr("1. The bet"), QStringLiteral("revenue-gap"), QStringLiteral("required-vs-projected"),
         tr("The largest companies are spending on data centres as if AI revenue will grow into "
            "the bill. Compare the revenue the build-out needs to earn its cost of capital with "
            "what is projected: the shaded band is the shortfall."),
         preset({}),
         StoryQuestion{tr("How much capex did the US hyperscalers guide to for calendar 2026?"),
                       QStringLiteral("us-hyperscaler-capex-2026-whitepaper"), {}, QStringLiteral("US$ billions")}},
        {tr("2. The falsification risk"), QStringLiteral("cost-curves"), QStringLiteral("training-cost"),
         tr("If a follower can reach the frontier for a small fraction of its cost, spending more "
            "buys less lead than planned. The dots far below the decline line are last year's "
            "frontier, rebuilt cheaply; the price tiers fall on the right."),
         preset({}),
         StoryQuestion{tr("What did DeepSeek-V3's final training run cost, by DeepSeek's own account?"),
                       QStringLiteral("v3-final-run-cost-report"), {}, QStringLiteral("US$ millions")}},
        {tr("3. The doctrine"), QStringLiteral("moat"), QStringLiteral("open-closed-gap"),
         tr("The spending assumes scale is a moat. The leaderboards say otherwise: open and Chinese "
            "models sit in the top ten and the measured gap to the closed frontier is counted in "
            "months."),
         preset({}),
         StoryQuestion{tr("How many of the ten best models on the LMArena leaderboard came from "
                          "Chinese labs in December 2025?"),
                       QStringLiteral("arena-top10-chinese-labs-2025-12-computecliff"), {}, QStringLiteral("count")}},
        {tr("4. The cracks"), QStringLiteral("fragility"), QStringLiteral("fragility-ranking"),
         tr("Not everyone is exposed alike. Borrowers who financed short-lived chips with debt and "
            "sell compute at falling prices come out on top of the ranking; the credit market "
            "already prices their default risk. Here token prices fall a little faster."),
         preset({{TokenPriceDeclinePerYear, 0.85}}),
         StoryQuestion{tr("What chance of default within five years did CoreWeave's credit "
                          "default swaps imply in December 2025?"),
                       QStringLiteral("coreweave-implied-pd-whitepaper"), {}, QStringLiteral("%")}},
        {tr("5. The cliff"), QStringLiteral("fiber"), QStringLiteral("cash-coverage"),
         tr("Cheaper compute does raise demand, as the Jevons argument says, but here demand "
            "responds a little less than one for one. Capacity then outruns use, cash flow falls "
            "below depreciation and debt service, and the fleet goes dark the way fiber did."),
         preset({{DemandElasticity, 0.9}}),
         StoryQuestion{tr("At these settings, in which year does cash flow stop covering "
                          "depreciation and debt service?"),
                       {}, QStringLiteral("strand_year"), QStringLiteral("year")}},
    };
}

namespace {

// How a typed unit turns into the answer's: the unit family a figure must be in, and the factor.
struct UnitFactor {
    QString figureUnit; ///< "USD" for the US$ units, else the unit itself
    double factor = 1.0;
};

std::optional<UnitFactor> unitFactor(const QString &unit)
{
    static const std::vector<std::pair<QString, double>> kDollars = {
        {QStringLiteral("US$"), 1.0},           {QStringLiteral("US$ thousands"), 1e3},
        {QStringLiteral("US$ millions"), 1e6},  {QStringLiteral("US$ billions"), 1e9},
        {QStringLiteral("US$ trillions"), 1e12}};
    for (const auto &[name, factor] : kDollars) {
        if (unit == name)
            return UnitFactor{QStringLiteral("USD"), factor};
    }
    const auto &units = storyUnits();
    if (std::find(units.begin(), units.end(), unit) == units.end())
        return std::nullopt;
    return UnitFactor{unit, 1.0};
}

QString valueText(double value, const QString &unit)
{
    if (unit == u"year")
        return QString::number(value, 'f', 0);
    const QString number = QLocale().toString(value, 'g', 4);
    if (unit.startsWith(u"US$")) // "$5.576 million" for 5.576 in "US$ millions"
        return QStringLiteral("$%1%2").arg(number, unit.size() > 4 ? u' ' + unit.mid(4).chopped(1) : QString());
    if (unit == u"%")
        return number + unit;
    if (unit == u"count")
        return number;
    return number + u' ' + unit;
}

// A headline metric's value in the unit its question is typed in (shares as percentages).
struct HeadlineUnit {
    econ::HeadlineMetric metric;
    QString unit;
    double toTyped;
};

std::optional<HeadlineUnit> headlineUnit(const QString &key)
{
    const auto metric = econ::findHeadlineMetric(key.toStdString());
    if (!metric)
        return std::nullopt;
    switch (*metric) {
    case econ::HeadlineMetric::Gap2030Usd:
        return HeadlineUnit{*metric, QStringLiteral("USD"), 1.0};
    case econ::HeadlineMetric::PredictedLagMonths:
        return HeadlineUnit{*metric, QStringLiteral("months"), 1.0};
    case econ::HeadlineMetric::MinCashCoverage:
        return HeadlineUnit{*metric, QStringLiteral("x"), 1.0};
    case econ::HeadlineMetric::StrandYear:
        return HeadlineUnit{*metric, QStringLiteral("year"), 1.0};
    case econ::HeadlineMetric::PeakIdleShare:
        return HeadlineUnit{*metric, QStringLiteral("%"), 100.0};
    default:
        return HeadlineUnit{*metric, QStringLiteral("points"), 1.0};
    }
}

} // namespace

const std::vector<QString> &storyUnits()
{
    static const std::vector<QString> kUnits = {
        QStringLiteral("US$"),    QStringLiteral("US$ thousands"), QStringLiteral("US$ millions"),
        QStringLiteral("US$ billions"), QStringLiteral("US$ trillions"), QStringLiteral("%"),
        QStringLiteral("count"),  QStringLiteral("months"), QStringLiteral("years"),
        QStringLiteral("year"),   QStringLiteral("points"), QStringLiteral("bp"), QStringLiteral("x")};
    return kUnits;
}

Result<StoryAnswer> answerStoryQuestion(const StoryStep &step, const std::vector<Figure> &figures,
                                        const std::vector<Source> &sources)
{
    const auto fail = [](const QString &message) { return Error{message.toStdString(), {}, 0, "answer"}; };
    if (!step.question)
        return fail(QStringLiteral("the step asks no question"));
    const StoryQuestion &question = *step.question;
    const auto typed = unitFactor(question.unit);
    if (!typed)
        return fail(QStringLiteral("unknown unit '%1'").arg(question.unit));
    StoryAnswer answer;
    if (!question.figureId.isEmpty()) {
        const auto found = std::find_if(figures.begin(), figures.end(), [&](const Figure &figure) {
            return figure.id == question.figureId.toStdString();
        });
        if (found == figures.end())
            return fail(QStringLiteral("figure '%1' is not in the store").arg(question.figureId));
        if (QString::fromStdString(found->unit) != typed->figureUnit)
            return fail(QStringLiteral("figure '%1' is in %2, which unit '%3' cannot express")
                            .arg(question.figureId, QString::fromStdString(found->unit), question.unit));
        answer.value = found->value / typed->factor;
        answer.quote = QString::fromStdString(found->quote);
        answer.figureId = question.figureId;
        const auto source = std::find_if(sources.begin(), sources.end(),
                                         [&](const Source &item) { return item.id == found->sourceId; });
        answer.source = source == sources.end()
                            ? QString::fromStdString(found->sourceId)
                            : QStringLiteral("%1, “%2” (%3)").arg(QString::fromStdString(source->publisher),
                                                                 QString::fromStdString(source->title),
                                                                 QString::fromStdString(source->published));
    } else {
        const auto view = econ::findEconomicView(step.viewKey.toStdString());
        const auto headline = headlineUnit(question.headline);
        const auto metrics = view ? econ::headlineMetrics(*view) : std::span<const econ::HeadlineMetric>{};
        if (!headline || std::find(metrics.begin(), metrics.end(), headline->metric) == metrics.end())
            return fail(QStringLiteral("'%1' is not a headline of the %2 view").arg(question.headline, step.viewKey));
        if (headline->unit != typed->figureUnit)
            return fail(QStringLiteral("headline '%1' is in %2, which unit '%3' cannot express")
                            .arg(question.headline, headline->unit, question.unit));
        const auto value = econ::headlineAt(*view, headline->metric, figures, step.scenario);
        if (!value)
            return value.error();
        answer.value = *value * headline->toTyped / typed->factor;
        answer.source = QStringLiteral("Model: %1 at this step's assumptions")
                            .arg(QString::fromUtf8(econ::headlineMetricLabel(headline->metric).data()).toLower());
        if (headline->metric == econ::HeadlineMetric::StrandYear && *value >= econ::kNoStrandYear) {
            answer.text = QStringLiteral("no strand year by %1").arg(econ::kNoStrandYear - 1);
            return answer;
        }
    }
    answer.text = valueText(answer.value, question.unit);
    return answer;
}

} // namespace cliff
