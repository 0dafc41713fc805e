#include "fragility.h"

#include "credit_triangle.h"
#include "figure_query.h"

#include <algorithm>
#include <array>
#include <map>

namespace cliff::econ {

namespace {

constexpr std::array<double, kFragilityFactorCount> kWeights = {0.25, 0.15, 0.20, 0.10, 0.15, 0.15};
constexpr std::array<std::string_view, kFragilityFactorCount> kFactorNames = {
    "leverage", "depreciation_mismatch", "price_exposure", "circular_demand",
    "implied_default", "priced_execution"};

using Party = FragilityParty;
constexpr std::array<std::string_view, kFragilityPartyCount> kPartyNames = {
    "Diversified hyperscalers", "Model labs", "Debt-financed neoclouds", "Equity holders"};

struct Profile {
    AssumptionId leverage;
    AssumptionId exposure;
    AssumptionId circular;
    AssumptionId pricedExecution;
    std::optional<AssumptionId> spreadBp; ///< empty for equity holders
};

constexpr std::array<Profile, 4> kProfiles = {{
    {AssumptionId::HyperscalerLeverage, AssumptionId::HyperscalerComputeExposure,
     AssumptionId::HyperscalerCircularShare, AssumptionId::HyperscalerPricedExecution,
     AssumptionId::HyperscalerCdsSpreadBp},
    {AssumptionId::ModelLabLeverage, AssumptionId::ModelLabComputeExposure,
     AssumptionId::ModelLabCircularShare, AssumptionId::ModelLabPricedExecution,
     AssumptionId::ModelLabCdsSpreadBp},
    {AssumptionId::NeocloudLeverage, AssumptionId::NeocloudComputeExposure,
     AssumptionId::NeocloudCircularShare, AssumptionId::NeocloudPricedExecution,
     AssumptionId::NeocloudCdsSpreadBp},
    {AssumptionId::EquityHolderLeverage, AssumptionId::EquityHolderComputeExposure,
     AssumptionId::EquityHolderCircularShare, AssumptionId::EquityHolderPricedExecution,
     std::nullopt},
}};

// Which party's profile a firm with a cited CDS takes.
std::optional<Party> partyOfFirm(std::string_view entity)
{
    constexpr std::array<std::string_view, 6> neoclouds = {"CoreWeave", "Nebius",   "Lambda",
                                                           "Crusoe",    "Fluidstack", "Together"};
    constexpr std::array<std::string_view, 6> hyperscalers = {"Oracle", "Microsoft", "Alphabet",
                                                              "Amazon", "Meta",      "Google"};
    constexpr std::array<std::string_view, 4> labs = {"OpenAI", "Anthropic", "xAI", "Mistral"};
    for (std::string_view name : neoclouds)
        if (startsWith(entity, name))
            return Party::Neoclouds;
    for (std::string_view name : hyperscalers)
        if (startsWith(entity, name))
            return Party::Hyperscalers;
    for (std::string_view name : labs)
        if (startsWith(entity, name))
            return Party::ModelLabs;
    return std::nullopt;
}

FragilityScore scoreProfile(const Profile &profile, const Scenario &scenario, double pd5y,
                            double pricePressure)
{
    using enum AssumptionId;
    const double lifeYears = scenario.value(DepreciationLifeYears);
    const double economicLifeYears = scenario.value(GpuEconomicLifeYears);
    const double mismatch = std::max(0.0, 1.0 - economicLifeYears / lifeYears);
    const double exposure = scenario.value(profile.exposure);

    FragilityScore score;
    score.factorValues = {scenario.value(profile.leverage),
                          exposure * mismatch,
                          exposure * pricePressure,
                          scenario.value(profile.circular),
                          pd5y,
                          scenario.value(profile.pricedExecution)};
    for (std::size_t i = 0; i < kFragilityFactorCount; ++i) {
        score.factorValues[i] = std::clamp(score.factorValues[i], 0.0, 1.0);
        score.contributions[i] = 100.0 * kWeights[i] * score.factorValues[i];
        score.score += score.contributions[i];
    }
    score.impliedPd5y = pd5y;
    return score;
}

} // namespace

std::string_view fragilityFactorName(FragilityFactor factor)
{
    return kFactorNames[static_cast<std::size_t>(factor)];
}

double fragilityFactorWeight(FragilityFactor factor)
{
    return kWeights[static_cast<std::size_t>(factor)];
}

double netPricePressure(double priceDeclinePerYear, double demandElasticity)
{
    const double d = std::clamp(priceDeclinePerYear, 0.0, 1.0);
    const double offset = std::clamp(demandElasticity, 0.0, 1.0) * (1.0 - d);
    return d * (1.0 - offset);
}

std::string_view fragilityPartyKey(FragilityParty party)
{
    static constexpr std::array<std::string_view, kFragilityPartyCount> kKeys = {
        "hyperscalers", "model_labs", "neoclouds", "equity_holders"};
    return kKeys[static_cast<std::size_t>(party)];
}

std::string_view fragilityPartyName(FragilityParty party)
{
    return kPartyNames[static_cast<std::size_t>(party)];
}

Status scoreFragilityParties(const Scenario &scenario,
                             std::array<FragilityScore, kFragilityPartyCount> &out)
{
    const double recovery = scenario.value(AssumptionId::RecoveryRate);
    if (recovery >= 1.0)
        return Error{"must be below 1", {}, 0, "recovery_rate"};
    const double pressure = netPricePressure(scenario.value(AssumptionId::TokenPriceDeclinePerYear),
                                             scenario.value(AssumptionId::DemandElasticity));
    std::array<double, kFragilityPartyCount> partyPd{};
    for (std::size_t p = 0; p < 3; ++p)
        partyPd[p] = impliedDefaultProbability(scenario.value(*kProfiles[p].spreadBp), recovery, 5.0);
    // Equity is the first-loss claim on every party: it carries the weakest party's default odds.
    partyPd[3] = *std::max_element(partyPd.begin(), partyPd.begin() + 3);
    for (std::size_t p = 0; p < kFragilityPartyCount; ++p)
        out[p] = scoreProfile(kProfiles[p], scenario, partyPd[p], pressure);
    return Ok{};
}

Result<FragilityResult> computeFragility(const std::vector<Figure> &figures,
                                         const Scenario &scenario)
{
    std::array<FragilityScore, kFragilityPartyCount> parties;
    if (Status status = scoreFragilityParties(scenario, parties); !status)
        return status.error();
    const double recovery = scenario.value(AssumptionId::RecoveryRate);
    FragilityResult out;
    out.netPricePressure = netPricePressure(scenario.value(AssumptionId::TokenPriceDeclinePerYear),
                                            scenario.value(AssumptionId::DemandElasticity));
    for (std::size_t p = 0; p < kFragilityPartyCount; ++p) {
        parties[p].party = std::string(kPartyNames[p]);
        out.ranking.push_back(std::move(parties[p]));
    }

    // Firms with a cited 5-year CDS spread: the latest quote per firm (a trading range over
    // months is not a quote).
    std::map<std::string, std::vector<const Figure *>> spreads;
    std::map<std::string, std::vector<const Figure *>> citedPds;
    for (const Figure &figure : figures) {
        if (figure.category != "credit" || !isMeasurement(figure))
            continue;
        if (startsWith(figure.metric, "5-year CDS spread") && figure.unit == "bp" &&
            figure.metric.find("bound") == std::string::npos && figure.value >= 0.0 && !figure.low)
            spreads[figure.entity].push_back(&figure);
        else if (startsWith(figure.metric, "Implied 5-year default probability") &&
                 figure.unit == "%")
            citedPds[figure.entity].push_back(&figure);
    }
    for (const auto &[entity, quotes] : spreads) {
        const Figure *latest = latestFigure(quotes);
        if (!latest)
            continue;
        CdsReading reading;
        reading.entity = entity;
        reading.figureId = latest->id;
        reading.period = latest->period;
        reading.cdsSpreadBp = latest->value;
        reading.hazardPerYear = hazardRatePerYear(latest->value, recovery);
        reading.impliedPd5y = impliedDefaultProbability(latest->value, recovery, 5.0);
        if (const auto cited = citedPds.find(entity); cited != citedPds.end()) {
            if (const Figure *pd = latestFigure(cited->second)) {
                reading.citedPd5yPercent = pd->value;
                reading.citedPdFigureId = pd->id;
            }
        }
        if (const auto party = partyOfFirm(entity)) {
            const std::size_t p = static_cast<std::size_t>(*party);
            FragilityScore score =
                scoreProfile(kProfiles[p], scenario, reading.impliedPd5y, out.netPricePressure);
            score.party = entity;
            score.firm = true;
            score.profile = std::string(kPartyNames[p]);
            out.ranking.push_back(std::move(score));
        }
        out.cds.push_back(std::move(reading));
    }
    std::stable_sort(out.ranking.begin(), out.ranking.end(),
                     [](const FragilityScore &a, const FragilityScore &b) { return a.score < b.score; });
    return out;
}

std::string_view fragilityMethod()
{
    return R"(Credit triangle: a CDS spread s (bp / 10,000) pays for expected loss, so the default
intensity is h = s / (1 - R) per year with R = recovery_rate, and the chance of default within T
years is PD(T) = 1 - exp(-h T). With R = 35% (the recovery the cited RIA estimate used),
CoreWeave's 643 bp spread of 5 December 2025 gives about 39% over five years, the seed's ~40%.

Fragility score (0-100) = 100 x sum of weight x factor, each factor in [0, 1]:
  leverage 0.25 - debt share of capital (for equity holders: the debt that ranks ahead of them);
  depreciation mismatch 0.15 - compute exposure x max(0, 1 - gpu_economic_life_years /
    depreciation_life_years): how much book value outlives the hardware's earning life;
  price exposure 0.20 - compute exposure x net price pressure, where net price pressure =
    d x (1 - min(1, e) x (1 - d)) with d = token_price_decline_per_year, e = demand_elasticity:
    an elastic market wins back part of a small price cut, little of a deep one, and a seller
    with fixed capacity cannot gain more than it loses (elasticity above 1 adds no offset);
  circular demand 0.10 - share of revenue or funding that comes from the party's own backers;
  implied default 0.15 - five-year PD from the party's CDS spread (equity holders: the highest PD
    among the other parties, since equity takes the first loss);
  priced execution 0.15 - share of value that depends on the build-out paying off.
The party profiles are illustrative assumptions, labelled as such and editable. Firms with a
cited CDS spread are scored with their party's profile and their own market-implied PD.)";
}

} // namespace cliff::econ
