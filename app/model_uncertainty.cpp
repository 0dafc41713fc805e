#include "model_uncertainty.h"

#include "econ/default_distributions.h"
#include "econ/distributions.h"
#include "econ/headline_metric.h"
#include "econ/monte_carlo.h"
#include "econ/scenario.h"
#include "econ/tornado.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <string>

namespace cliff::app {

namespace {

// Seeds are printed as JSON numbers, which hold integers exactly up to 2^53.
constexpr std::uint64_t kMaxSeed = (std::uint64_t(1) << 53) - 1;

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

bool isWholeNumber(const QString &text)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,20}$"));
    return digits.match(text).hasMatch();
}

QJsonObject quantilesJson(const econ::Quantiles &q)
{
    return QJsonObject{{QStringLiteral("p5"), q.p5},
                       {QStringLiteral("p10"), q.p10},
                       {QStringLiteral("p50"), q.p50},
                       {QStringLiteral("p90"), q.p90},
                       {QStringLiteral("p95"), q.p95}};
}

QJsonObject distributionsObject(const econ::Distributions &distributions,
                                std::span<const econ::AssumptionId> ids)
{
    const std::string text = econ::distributionsJson(distributions, ids);
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

// Where each view assumption's distribution comes from: the derived default (with its figures)
// or the scenario file.
QJsonObject basisJson(const econ::Distributions &used, const econ::Distributions &defaults,
                      const std::vector<econ::DistributionDefault> &details,
                      std::span<const econ::AssumptionId> ids)
{
    QJsonObject object;
    for (econ::AssumptionId id : ids) {
        const econ::DistributionDefault &detail = details[static_cast<std::size_t>(id)];
        QJsonObject row;
        if (used.get(id) == defaults.get(id)) {
            row.insert(QStringLiteral("basis"), qs(detail.basis));
            QJsonArray figureIds;
            for (const std::string &figureId : detail.figureIds)
                figureIds.append(qs(figureId));
            row.insert(QStringLiteral("figure_ids"), figureIds);
        } else {
            row.insert(QStringLiteral("basis"), QStringLiteral("given in the scenario file"));
            row.insert(QStringLiteral("figure_ids"), QJsonArray());
        }
        object.insert(qs(econ::assumption(id).key), row);
    }
    return object;
}

QJsonObject monteCarloJson(const econ::MonteCarloResult &result, QJsonObject basis)
{
    QJsonArray sampled;
    for (econ::AssumptionId id : result.sampled)
        sampled.append(qs(econ::assumption(id).key));
    QJsonArray levels;
    for (double level : econ::kQuantileLevels)
        levels.append(level);
    QJsonObject bands;
    for (const econ::Band &band : result.bands) {
        QJsonArray rows;
        for (std::size_t i = 0; i < band.x.size(); ++i) {
            QJsonObject row = quantilesJson(band.quantiles[i]);
            row.insert(QStringLiteral("year"), band.x[i]);
            rows.append(row);
        }
        bands.insert(qs(band.key), rows);
    }
    QJsonObject quantiles;
    for (const econ::NamedQuantiles &item : result.quantiles)
        quantiles.insert(qs(item.key), quantilesJson(item.quantiles));
    QJsonObject probabilities;
    for (const econ::NamedProbability &item : result.probabilities) {
        probabilities.insert(qs(item.key),
                             QJsonObject{{QStringLiteral("probability"), item.probability},
                                         {QStringLiteral("description"), qs(item.description)}});
    }
    return QJsonObject{{QStringLiteral("draws"), result.draws},
                       {QStringLiteral("seed"), double(result.seed)},
                       {QStringLiteral("sampled"), sampled},
                       {QStringLiteral("distribution_basis"), basis},
                       {QStringLiteral("quantile_levels"), levels},
                       {QStringLiteral("bands"), bands},
                       {QStringLiteral("quantiles"), quantiles},
                       {QStringLiteral("probabilities"), probabilities}};
}

QJsonObject tornadoJson(const econ::Tornado &tornado)
{
    QJsonArray bars;
    for (const econ::TornadoBar &bar : tornado.bars) {
        bars.append(QJsonObject{{QStringLiteral("assumption"), qs(econ::assumption(bar.id).key)},
                                {QStringLiteral("low_input"), bar.lowInput},
                                {QStringLiteral("high_input"), bar.highInput},
                                {QStringLiteral("low_output"), bar.lowOutput},
                                {QStringLiteral("high_output"), bar.highOutput},
                                {QStringLiteral("swing"), bar.swing}});
    }
    return QJsonObject{{QStringLiteral("metric"), qs(econ::headlineMetricKey(tornado.metric))},
                       {QStringLiteral("label"), qs(econ::headlineMetricLabel(tornado.metric))},
                       {QStringLiteral("input_range"), QStringLiteral("p10-p90")},
                       {QStringLiteral("base"), tornado.baseOutput},
                       {QStringLiteral("bars"), bars}};
}

} // namespace

bool readDrawOptions(const ParsedOptions &options, const QString &drawsOption,
                     std::optional<int> &draws, std::uint64_t &seed)
{
    if (const auto text = options.value(drawsOption)) {
        bool ok = false;
        const qulonglong count = isWholeNumber(*text) ? text->toULongLong(&ok) : 0;
        if (!ok || count < 1 || count > qulonglong(econ::kMaxMonteCarloDraws)) {
            printError(QStringLiteral("%1: %2 is not a number of draws from 1 to %3")
                           .arg(drawsOption, quoted(*text))
                           .arg(econ::kMaxMonteCarloDraws));
            return false;
        }
        draws = int(count);
    }
    if (const auto text = options.value(QStringLiteral("--seed"))) {
        bool ok = false;
        const qulonglong value = isWholeNumber(*text) ? text->toULongLong(&ok) : 0;
        if (!ok || value > kMaxSeed) {
            printError(QStringLiteral("--seed: %1 is not a whole number from 0 to %2")
                           .arg(quoted(*text))
                           .arg(qulonglong(kMaxSeed)));
            return false;
        }
        seed = value;
    }
    return true;
}

std::optional<UncertaintyRequest> parseUncertaintyOptions(const ParsedOptions &options,
                                                          econ::EconomicView view)
{
    UncertaintyRequest request;
    request.tornado = options.has(QStringLiteral("--tornado"));
    if (!readDrawOptions(options, QStringLiteral("--monte-carlo"), request.draws, request.seed))
        return std::nullopt;
    if (options.value(QStringLiteral("--seed")) && !request.draws) {
        printError(QStringLiteral("--seed needs --monte-carlo N"));
        return std::nullopt;
    }
    if (request.any() && econ::viewAssumptions(view).empty()) {
        printError(QStringLiteral("the %1 view has no assumptions to vary (%2)")
                       .arg(qs(econ::economicViewKey(view)),
                            request.draws ? QStringLiteral("--monte-carlo")
                                          : QStringLiteral("--tornado")));
        return std::nullopt;
    }
    return request;
}

std::optional<econ::Distributions> commandDistributions(const std::vector<Figure> &figures,
                                                       const econ::Scenario &scenario,
                                                       const CommandScenario &given)
{
    econ::Distributions distributions = econ::defaultDistributions(figures).centredOn(scenario);
    if (given.fileText.isEmpty())
        return distributions;
    if (Status status = distributions.applyJson(
            std::string_view(given.fileText.constData(), std::size_t(given.fileText.size())));
        !status) {
        Error located = status.error();
        located.file = given.filePath.toStdString();
        printError(QString::fromStdString(located.toString()));
        return std::nullopt;
    }
    return distributions;
}

int addUncertainty(QJsonObject &document, const UncertaintyRequest &request,
                   econ::EconomicView view, const std::vector<Figure> &figures,
                   const CommandScenario &given)
{
    if (!request.any())
        return ExitOk;
    const econ::Scenario &scenario = given.scenario;
    const std::vector<econ::DistributionDefault> details =
        econ::defaultDistributionDetails(figures);
    const econ::Distributions defaults = econ::defaultDistributions(figures).centredOn(scenario);
    const auto read = commandDistributions(figures, scenario, given);
    if (!read)
        return ExitFailure;
    const econ::Distributions &distributions = *read;
    const auto ids = econ::viewAssumptions(view);
    document.insert(QStringLiteral("distributions"), distributionsObject(distributions, ids));

    if (request.draws) {
        econ::MonteCarloOptions options;
        options.draws = *request.draws;
        options.seed = request.seed;
        const auto result = econ::runMonteCarlo(view, figures, scenario, distributions, options);
        if (!result) {
            printError(QString::fromStdString(result.error().toString()));
            return ExitFailure;
        }
        document.insert(QStringLiteral("monte_carlo"),
                        monteCarloJson(*result, basisJson(distributions, defaults, details, ids)));
    }
    if (request.tornado) {
        const econ::HeadlineMetric metric = econ::headlineMetrics(view).front();
        const auto tornado =
            econ::computeTornado(view, metric, figures, scenario, distributions);
        if (!tornado) {
            printError(QString::fromStdString(tornado.error().toString()));
            return ExitFailure;
        }
        document.insert(QStringLiteral("tornado"), tornadoJson(*tornado));
    }
    return ExitOk;
}

} // namespace cliff::app
