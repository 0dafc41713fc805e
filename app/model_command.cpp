#include "command_line.h"
#include "model_uncertainty.h"
#include "subcommands.h"

#include "econ/cost_curves.h"
#include "econ/fiber_jevons.h"
#include "econ/fragility.h"
#include "econ/moat.h"
#include "econ/revenue_gap.h"
#include "econ/scenario.h"


#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace cliff::app {

namespace {

using econ::Scenario;

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonArray stringArray(const std::vector<std::string> &items)
{
    QJsonArray array;
    for (const std::string &item : items)
        array.append(qs(item));
    return array;
}

QJsonObject assumptionsJson(const Scenario &scenario)
{
    QJsonObject object;
    for (const econ::Assumption &entry : econ::assumptionRegistry())
        object.insert(qs(entry.key), scenario.value(entry.id));
    return object;
}

QJsonObject revenueGapJson(const econ::RevenueGapResult &result)
{
    QJsonArray years;
    for (const econ::RevenueGapYear &row : result.years) {
        years.append(QJsonObject{
            {QStringLiteral("year"), row.year},
            {QStringLiteral("capex_usd"), row.capexUsd},
            {QStringLiteral("capex_cited"), row.capexCited},
            {QStringLiteral("capex_basis"), qs(std::string(econ::capexBasisName(row.capexBasis)))},
            {QStringLiteral("depreciation_usd"), row.depreciationUsd},
            {QStringLiteral("net_book_value_usd"), row.netBookValueUsd},
            {QStringLiteral("required_revenue_usd"), row.requiredRevenueUsd},
            {QStringLiteral("projected_revenue_usd"), row.projectedRevenueUsd},
            {QStringLiteral("gap_usd"), row.gapUsd},
            {QStringLiteral("stranded_book_value_usd"), row.strandedBookValueUsd}});
    }
    QJsonArray companies;
    for (const econ::CompanyCapex &row : result.companies) {
        companies.append(QJsonObject{{QStringLiteral("entity"), qs(row.entity)},
                                     {QStringLiteral("period"), qs(row.period)},
                                     {QStringLiteral("capex_usd"), row.capexUsd},
                                     {QStringLiteral("figure_id"), qs(row.figureId)}});
    }
    return QJsonObject{
        {QStringLiteral("required_revenue_2030_usd"), result.requiredRevenue2030Usd},
        {QStringLiteral("projected_revenue_2030_usd"), result.projectedRevenue2030Usd},
        {QStringLiteral("gap_2030_usd"), result.gap2030Usd},
        {QStringLiteral("stranded_book_value_2030_usd"), result.strandedBookValue2030Usd},
        {QStringLiteral("capex_2026_usd"), result.capex2026Usd},
        {QStringLiteral("capex_2026_low_usd"), result.capex2026LowUsd},
        {QStringLiteral("capex_2026_high_usd"), result.capex2026HighUsd},
        {QStringLiteral("revenue_base_usd"), result.revenueBaseUsd},
        {QStringLiteral("revenue_base_year"), result.revenueBaseYear},
        {QStringLiteral("revenue_base_businesses"), stringArray(result.revenueBusinesses)},
        {QStringLiteral("claimed_required_2030_usd"), optionalNumber(result.claimedRequired2030Usd)},
        {QStringLiteral("claimed_shortfall_2030_usd"), optionalNumber(result.claimedShortfall2030Usd)},
        {QStringLiteral("claim_figure_ids"), stringArray(result.claimFigureIds)},
        {QStringLiteral("payback_vintage_year"), result.paybackVintageYear},
        {QStringLiteral("payback_years"), optionalNumber(result.paybackYears)},
        {QStringLiteral("years"), years},
        {QStringLiteral("company_capex"), companies},
        {QStringLiteral("source_figure_ids"), stringArray(result.sourceFigureIds)},
        {QStringLiteral("notes"), stringArray(result.notes)}};
}

QJsonObject trainingPointJson(const econ::TrainingCostPoint &point)
{
    return QJsonObject{{QStringLiteral("figure_id"), qs(point.figureId)},
                       {QStringLiteral("entity"), qs(point.entity)},
                       {QStringLiteral("metric"), qs(point.metric)},
                       {QStringLiteral("year"), point.year},
                       {QStringLiteral("cost_usd"), point.costUsd},
                       {QStringLiteral("low_usd"), optionalNumber(point.lowUsd)},
                       {QStringLiteral("high_usd"), optionalNumber(point.highUsd)}};
}

QJsonArray curveJson(const std::vector<econ::CurvePoint> &points, const QString &valueName)
{
    QJsonArray array;
    for (const econ::CurvePoint &point : points)
        array.append(QJsonObject{{QStringLiteral("year"), point.year}, {valueName, point.value}});
    return array;
}

QJsonObject costCurvesJson(const econ::CostCurvesResult &result)
{
    QJsonArray training;
    for (const econ::TrainingCostPoint &point : result.trainingCosts)
        training.append(trainingPointJson(point));
    QJsonArray prices;
    for (const econ::BlendedPrice &price : result.prices) {
        prices.append(QJsonObject{
            {QStringLiteral("model"), qs(price.model)},
            {QStringLiteral("tier"), qs(econ::priceTierName(price.tier))},
            {QStringLiteral("year"), price.year},
            {QStringLiteral("input_usd_per_mtok"), price.inputUsdPerMTok},
            {QStringLiteral("output_usd_per_mtok"), price.outputUsdPerMTok},
            {QStringLiteral("blended_usd_per_mtok"), price.blendedUsdPerMTok},
            {QStringLiteral("input_figure_id"), qs(price.inputFigureId)},
            {QStringLiteral("output_figure_id"), qs(price.outputFigureId)}});
    }
    QJsonArray fits;
    for (const econ::TierFit &fit : result.fits) {
        fits.append(QJsonObject{
            {QStringLiteral("tier"), qs(econ::priceTierName(fit.tier))},
            {QStringLiteral("points"), fit.points},
            {QStringLiteral("fitted"), fit.fitted},
            {QStringLiteral("decline_per_year"), fit.fitted ? QJsonValue(fit.declinePerYear)
                                                             : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("projection"),
             curveJson(fit.projection, QStringLiteral("blended_usd_per_mtok"))}});
    }
    QJsonObject out{
        {QStringLiteral("cost_decline_factor_per_year"), result.costDeclineFactorPerYear},
        {QStringLiteral("training_costs"), training},
        {QStringLiteral("decline_curve"), curveJson(result.declineCurve, QStringLiteral("cost_usd"))},
        {QStringLiteral("follower_cost_ratio"), result.followerCostRatio},
        {QStringLiteral("predicted_lag_months"), result.predictedLagMonths},
        {QStringLiteral("observed_lag_months"), result.observedLagMonths},
        {QStringLiteral("prices"), prices},
        {QStringLiteral("tier_fits"), fits},
        {QStringLiteral("notes"), stringArray(result.notes)}};
    if (result.reference)
        out.insert(QStringLiteral("reference"), trainingPointJson(*result.reference));
    if (result.follower)
        out.insert(QStringLiteral("follower"), trainingPointJson(*result.follower));
    return out;
}

QJsonArray moatSeries(const std::vector<econ::MoatPoint> &points)
{
    QJsonArray array;
    for (const econ::MoatPoint &point : points) {
        array.append(QJsonObject{{QStringLiteral("figure_id"), qs(point.figureId)},
                                 {QStringLiteral("entity"), qs(point.entity)},
                                 {QStringLiteral("metric"), qs(point.metric)},
                                 {QStringLiteral("year"), point.year},
                                 {QStringLiteral("value"), point.value},
                                 {QStringLiteral("low"), optionalNumber(point.low)},
                                 {QStringLiteral("high"), optionalNumber(point.high)},
                                 {QStringLiteral("unit"), qs(point.unit)}});
    }
    return array;
}

QJsonObject moatJson(const econ::MoatResult &result)
{
    return QJsonObject{
        {QStringLiteral("top10_share"), moatSeries(result.top10Share)},
        {QStringLiteral("download_share"), moatSeries(result.downloadShare)},
        {QStringLiteral("gap_months"), moatSeries(result.gapMonths)},
        {QStringLiteral("other"), moatSeries(result.other)},
        {QStringLiteral("gap_trend_fitted"), result.gapTrendFitted},
        {QStringLiteral("gap_trend_months_per_year"), result.gapTrendMonthsPerYear},
        {QStringLiteral("gap_closes_year"), optionalNumber(result.gapClosesYear)},
        {QStringLiteral("notes"), stringArray(result.notes)}};
}

QJsonObject fragilityJson(const econ::FragilityResult &result)
{
    QJsonArray ranking;
    for (const econ::FragilityScore &score : result.ranking) {
        QJsonObject factors;
        QJsonObject values;
        for (std::size_t i = 0; i < econ::kFragilityFactorCount; ++i) {
            const auto factor = static_cast<econ::FragilityFactor>(i);
            factors.insert(qs(econ::fragilityFactorName(factor)), score.contributions[i]);
            values.insert(qs(econ::fragilityFactorName(factor)), score.factorValues[i]);
        }
        QJsonObject row{{QStringLiteral("party"), qs(score.party)},
                        {QStringLiteral("firm"), score.firm},
                        {QStringLiteral("score"), score.score},
                        {QStringLiteral("factors"), factors},
                        {QStringLiteral("factor_values"), values},
                        {QStringLiteral("implied_pd_5y"), score.impliedPd5y}};
        if (score.firm)
            row.insert(QStringLiteral("profile"), qs(score.profile));
        ranking.append(row);
    }
    QJsonObject cds;
    for (const econ::CdsReading &reading : result.cds) {
        QJsonObject row{{QStringLiteral("cds_spread_bp"), reading.cdsSpreadBp},
                        {QStringLiteral("implied_pd_5y"), reading.impliedPd5y},
                        {QStringLiteral("hazard_per_year"), reading.hazardPerYear},
                        {QStringLiteral("period"), qs(reading.period)},
                        {QStringLiteral("figure_id"), qs(reading.figureId)}};
        if (reading.citedPd5yPercent) {
            row.insert(QStringLiteral("cited_pd_5y_percent"), *reading.citedPd5yPercent);
            row.insert(QStringLiteral("cited_pd_figure_id"), qs(reading.citedPdFigureId));
        }
        cds.insert(qs(reading.entity), row);
    }
    return QJsonObject{{QStringLiteral("ranking"), ranking},
                       {QStringLiteral("cds"), cds},
                       {QStringLiteral("net_price_pressure"), result.netPricePressure}};
}

QJsonArray comparisonsJson(const std::vector<econ::FiberComparison> &rows)
{
    QJsonArray array;
    for (const econ::FiberComparison &row : rows) {
        array.append(QJsonObject{{QStringLiteral("figure_id"), qs(row.figureId)},
                                 {QStringLiteral("entity"), qs(row.entity)},
                                 {QStringLiteral("metric"), qs(row.metric)},
                                 {QStringLiteral("value"), row.value},
                                 {QStringLiteral("unit"), qs(row.unit)},
                                 {QStringLiteral("period"), qs(row.period)}});
    }
    return array;
}

QJsonObject fiberJson(const econ::FiberResult &result)
{
    QJsonArray years;
    for (const econ::FiberYear &row : result.years) {
        years.append(QJsonObject{{QStringLiteral("year"), row.year},
                                 {QStringLiteral("capex_usd"), row.capexUsd},
                                 {QStringLiteral("price_index"), row.priceIndex},
                                 {QStringLiteral("demand_units"), row.demandUnits},
                                 {QStringLiteral("capacity_units"), row.capacityUnits},
                                 {QStringLiteral("served_units"), row.servedUnits},
                                 {QStringLiteral("utilisation"), row.utilisation},
                                 {QStringLiteral("idle_share"), row.idleShare},
                                 {QStringLiteral("revenue_usd"), row.revenueUsd},
                                 {QStringLiteral("cash_flow_usd"), row.cashFlowUsd},
                                 {QStringLiteral("depreciation_usd"), row.depreciationUsd},
                                 {QStringLiteral("debt_service_usd"), row.debtServiceUsd},
                                 {QStringLiteral("covered"), row.covered}});
    }
    return QJsonObject{
        {QStringLiteral("years"), years},
        {QStringLiteral("strand_year"),
         result.strandYear ? QJsonValue(*result.strandYear) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("base_year"), result.baseYear},
        {QStringLiteral("peak_idle_share"), result.peakIdleShare},
        {QStringLiteral("lit_share_at_bust"), comparisonsJson(result.litShareAtBust)},
        {QStringLiteral("market_value_lost"), comparisonsJson(result.marketValueLost)},
        {QStringLiteral("fiber_era"), comparisonsJson(result.fiberEra)},
        {QStringLiteral("notes"), stringArray(result.notes)}};
}

template <class T, class ToJson>
Result<QJsonObject> outputsOf(const Result<T> &result, ToJson toJson)
{
    if (!result)
        return result.error();
    return toJson(*result);
}

Result<QJsonObject> runView(const QString &view, const std::vector<Figure> &figures,
                            const Scenario &scenario)
{
    if (view == u"revenue-gap")
        return outputsOf(econ::computeRevenueGap(figures, scenario), revenueGapJson);
    if (view == u"cost-curves")
        return outputsOf(econ::computeCostCurves(figures, scenario), costCurvesJson);
    if (view == u"moat")
        return outputsOf(econ::computeMoat(figures, scenario), moatJson);
    if (view == u"fragility")
        return outputsOf(econ::computeFragility(figures, scenario), fragilityJson);
    return outputsOf(econ::computeFiberJevons(figures, scenario), fiberJson);
}

} // namespace

int runModel(const QStringList &args)
{
    QString error;
    const OptionSpec spec{{QStringLiteral("--view"), QStringLiteral("--set"),
                           QStringLiteral("--scenario"), QStringLiteral("--format"),
                           QStringLiteral("--user-db"), QStringLiteral("--monte-carlo"),
                           QStringLiteral("--seed"), QStringLiteral("--as-of")},
                          {QStringLiteral("--tornado")},
                          0,
                          {QStringLiteral("--set")}};
    const auto options = parseOptions(args, spec, QStringLiteral("model"), error);
    if (!options) {
        printError(error);
        return ExitUsage;
    }
    const QStringList views{QStringLiteral("revenue-gap"), QStringLiteral("cost-curves"),
                            QStringLiteral("moat"), QStringLiteral("fragility"),
                            QStringLiteral("fiber")};
    const auto view = options->value(QStringLiteral("--view"));
    if (!view) {
        printError(QStringLiteral("model needs --view (one of: %1)").arg(views.join(u", ")));
        return ExitUsage;
    }
    if (!views.contains(*view)) {
        printError(QStringLiteral("unknown view %1 (one of: %2)").arg(quoted(*view), views.join(u", ")));
        return ExitUsage;
    }
    const QString format = options->value(QStringLiteral("--format")).value_or(QStringLiteral("json"));
    if (format != u"json") {
        printError(QStringLiteral("unknown format %1 (use json)").arg(quoted(format)));
        return ExitUsage;
    }
    const econ::EconomicView economicView = *econ::findEconomicView(view->toStdString());
    const auto uncertainty = parseUncertaintyOptions(*options, economicView);
    if (!uncertainty)
        return ExitUsage;

    int exitCode = ExitOk;
    const auto given = readCommandScenario(*options, exitCode);
    if (!given)
        return exitCode;
    const Scenario &scenario = given->scenario;

    const auto loaded = loadCommandFigures(*options, exitCode, given->asOf);
    if (!loaded)
        return exitCode;
    const std::vector<Figure> &figures = loaded->figures;
    auto outputs = runView(*view, figures, scenario);
    if (!outputs) {
        printError(QString::fromStdString(outputs.error().toString()));
        return ExitFailure;
    }
    QJsonObject document{{QStringLiteral("view"), *view},
                         {QStringLiteral("as_of"), asOfJson(loaded->asOf)},
                         {QStringLiteral("assumptions"), assumptionsJson(scenario)},
                         {QStringLiteral("outputs"), *outputs}};
    if (const int status = addUncertainty(document, *uncertainty, economicView, figures, *given);
        status != ExitOk)
        return status;
    writeStdout(QJsonDocument(document).toJson(QJsonDocument::Indented));
    return ExitOk;
}

} // namespace cliff::app
