#include "story.h"

#include <QCoreApplication>

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
         preset({})},
        {tr("2. The falsification risk"), QStringLiteral("cost-curves"), QStringLiteral("training-cost"),
         tr("If a follower can reach the frontier for a small fraction of its cost, spending more "
            "buys less lead than planned. The dots far below the decline line are last year's "
            "frontier, rebuilt cheaply; the price tiers fall on the right."),
         preset({})},
        {tr("3. The doctrine"), QStringLiteral("moat"), QStringLiteral("open-closed-gap"),
         tr("The spending assumes scale is a moat. The leaderboards say otherwise: open and Chinese "
            "models sit in the top ten and the measured gap to the closed frontier is counted in "
            "months."),
         preset({})},
        {tr("4. The cracks"), QStringLiteral("fragility"), QStringLiteral("fragility-ranking"),
         tr("Not everyone is exposed alike. Borrowers who financed short-lived chips with debt and "
            "sell compute at falling prices come out on top of the ranking; the credit market "
            "already prices their default risk. Here token prices fall a little faster."),
         preset({{TokenPriceDeclinePerYear, 0.85}})},
        {tr("5. The cliff"), QStringLiteral("fiber"), QStringLiteral("cash-coverage"),
         tr("Cheaper compute does raise demand, as the Jevons argument says, but here demand "
            "responds a little less than one for one. Capacity then outruns use, cash flow falls "
            "below depreciation and debt service, and the fleet goes dark the way fiber did."),
         preset({{DemandElasticity, 0.9}})},
    };
}

} // namespace cliff
