// Tests of the uncertainty engine: distributions against closed forms, the default distributions
// derived from the cited figures, their JSON form, Monte Carlo reproducibility and thread
// independence, probabilities, and tornado order on cases worked out by hand.

#include "econ/assumption_registry.h"
#include "econ/calibration.h"
#include "econ/capex_path.h"
#include "econ/counter_rng.h"
#include "econ/default_distributions.h"
#include "econ/distribution.h"
#include "econ/distributions.h"
#include "econ/economic_view.h"
#include "econ/headline_metric.h"
#include "econ/monte_carlo.h"
#include "econ/scenario.h"
#include "econ/tornado.h"

#include "dataset_figures.h"
#include "figure_fixtures.h"

#include "core/csv.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace cliff;
using namespace cliff::econ;

namespace {

using testing::datasetFigures;
using testing::makeFigure;

// GPT-4 and DeepSeek-V3's final run: enough for the cost-curves view's lag.
std::vector<Figure> trainingFigures()
{
    return {makeFigure("gpt4", "training_cost", "GPT-4", "Training compute cost (estimate)", 78e6,
                       "USD", "2023", "estimate"),
            makeFigure("v3", "training_cost", "DeepSeek-V3", "Training cost (final run)", 5.576e6,
                       "USD", "2024-12")};
}

// Every assumption fixed at its default except the ones given.
Distributions onlyThese(std::initializer_list<std::pair<AssumptionId, Distribution>> items)
{
    Distributions distributions;
    for (const auto &[id, distribution] : items) {
        const Status status = distributions.set(id, distribution);
        Q_ASSERT(status.ok());
    }
    return distributions;
}

double phi(double z)
{
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double normalDensity(double z)
{
    return std::exp(-0.5 * z * z) / std::sqrt(2.0 * 3.14159265358979323846);
}

bool sameQuantiles(const Quantiles &a, const Quantiles &b)
{
    return a.p5 == b.p5 && a.p10 == b.p10 && a.p50 == b.p50 && a.p90 == b.p90 && a.p95 == b.p95;
}

bool sameResults(const MonteCarloResult &a, const MonteCarloResult &b)
{
    if (a.bands.size() != b.bands.size() || a.quantiles.size() != b.quantiles.size() ||
        a.probabilities.size() != b.probabilities.size())
        return false;
    for (std::size_t i = 0; i < a.bands.size(); ++i) {
        if (a.bands[i].key != b.bands[i].key || a.bands[i].x != b.bands[i].x)
            return false;
        for (std::size_t j = 0; j < a.bands[i].quantiles.size(); ++j) {
            if (!sameQuantiles(a.bands[i].quantiles[j], b.bands[i].quantiles[j]))
                return false;
        }
    }
    for (std::size_t i = 0; i < a.quantiles.size(); ++i) {
        if (a.quantiles[i].key != b.quantiles[i].key ||
            !sameQuantiles(a.quantiles[i].quantiles, b.quantiles[i].quantiles))
            return false;
    }
    for (std::size_t i = 0; i < a.probabilities.size(); ++i) {
        if (a.probabilities[i].key != b.probabilities[i].key ||
            a.probabilities[i].probability != b.probabilities[i].probability)
            return false;
    }
    return true;
}

std::array<double, 5> levels(const Quantiles &q)
{
    return {q.p5, q.p10, q.p50, q.p90, q.p95};
}

} // namespace

class TestUncertainty : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void splitMixMatchesTheReference();
    void inverseNormal_data();
    void inverseNormal();
    void quantileClosedForms_data();
    void quantileClosedForms();
    void truncatedLogNormalInvertsItsCdf();
    void vectorisedQuantilesEqualScalar();

    void defaultsAreValidAndCentred();
    void defaultsFromTheCitedFigures_data();
    void defaultsFromTheCitedFigures();
    void revenueGrowthDefaultIsTheCitedForecast();
    void builderDefaultsAreTheCitedFigures();
    void shippedCapexPathIsCitedCompanyByCompany();
    void defaultsWithoutFigures();
    void centringMovesAndClips();

    void jsonRoundTrip();
    void jsonBesideAssumptions();
    void badDistributionJson_data();
    void badDistributionJson();
    void badDistributions_data();
    void badDistributions();

    void sampledQuantilesMatchClosedForms_data();
    void sampledQuantilesMatchClosedForms();
    void reproducibleBySeedAndThreadCount_data();
    void reproducibleBySeedAndThreadCount();
    void probabilitiesAreProbabilities_data();
    void probabilitiesAreProbabilities();
    void gapProbabilityRisesAsMarginFalls();
    void badRuns();
    void cancelAndProgress();

    void tornadoOrderCostCurves();
    void tornadoOrderFragility();
    void tornadoRefusals();
    void methodIsWritten();
};

void TestUncertainty::splitMixMatchesTheReference()
{
    // The first outputs of SplitMix64 seeded with 0, as published with the generator.
    QCOMPARE(splitMix64At(0, 0), 0xE220A8397B1DCDAFULL);
    QCOMPARE(splitMix64At(0, 1), 0x6E789E6AA1B965F4ULL);
    QCOMPARE(splitMix64At(0, 2), 0x06C45D188009454FULL);
    QVERIFY(unitInterval(0) > 0.0);
    QVERIFY(unitInterval(~0ULL) < 1.0);
    QCOMPARE(unitInterval(0x8000000000000000ULL), 0.5 + 0x1.0p-53);
}

void TestUncertainty::inverseNormal_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("z");
    QTest::newRow("median") << 0.5 << 0.0;
    QTest::newRow("97.5%") << 0.975 << 1.9599639845400536;
    QTest::newRow("90%") << 0.9 << 1.2815515655446008;
    QTest::newRow("30%") << 0.3 << -0.5244005127080407;
    QTest::newRow("1%") << 0.01 << -2.3263478740408408;
    QTest::newRow("1e-10") << 1e-10 << -6.361340902404056;
}

void TestUncertainty::inverseNormal()
{
    QFETCH(double, p);
    QFETCH(double, z);
    QVERIFY2(std::abs(inverseNormalCdf(p) - z) <= 1.2e-9 * std::max(1.0, std::abs(z)),
             formatDouble(inverseNormalCdf(p)).c_str());
    // 1 - p is exact only where p is not tiny.
    if (p >= 1e-3)
        QVERIFY(std::abs(inverseNormalCdf(1.0 - p) + z) <= 1.2e-9 * std::max(1.0, std::abs(z)));
}

void TestUncertainty::quantileClosedForms_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<double>("c");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("expected");
    const auto row = [](const char *name, DistributionKind kind, double a, double b, double c,
                        double p, double expected) {
        QTest::newRow(name) << int(kind) << a << b << c << p << expected;
    };
    // Uniform [2, 6]: 2 + 4p.
    row("uniform p0.1", DistributionKind::Uniform, 2, 0, 6, 0.1, 2.4);
    row("uniform p0.75", DistributionKind::Uniform, 2, 0, 6, 0.75, 5.0);
    // Triangular (0, 1, 4): F(x) = x^2 / 4 up to the mode, 1 - (4 - x)^2 / 12 above it.
    row("triangular below mode", DistributionKind::Triangular, 0, 1, 4, 0.16, 0.8);
    row("triangular at mode", DistributionKind::Triangular, 0, 1, 4, 0.25, 1.0);
    row("triangular above mode", DistributionKind::Triangular, 0, 1, 4, 0.64, 4.0 - std::sqrt(4.32));
    row("triangular tail", DistributionKind::Triangular, 0, 1, 4, 0.99, 4.0 - std::sqrt(0.12));
    row("triangular mode at low", DistributionKind::Triangular, 5, 5, 6, 0.36, 6.0 - std::sqrt(0.64));
    // Log-normal, median 3, sigma 0.5, truncation far out: 3 exp(0.5 z_p).
    row("log-normal median", DistributionKind::LogNormal, 3, 0.5, 0, 0.5, 3.0);
    row("log-normal p90", DistributionKind::LogNormal, 3, 0.5, 0, 0.9,
        3.0 * std::exp(0.5 * 1.2815515655446008));
    row("log-normal p30", DistributionKind::LogNormal, 3, 0.5, 0, 0.3,
        3.0 * std::exp(0.5 * -0.5244005127080407));
    row("fixed", DistributionKind::Fixed, 0, 7, 0, 0.3, 7.0);
}

void TestUncertainty::quantileClosedForms()
{
    QFETCH(int, kind);
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(double, c);
    QFETCH(double, p);
    QFETCH(double, expected);
    Distribution distribution;
    switch (static_cast<DistributionKind>(kind)) {
    case DistributionKind::Fixed:
        distribution = Distribution::fixed(b);
        break;
    case DistributionKind::Uniform:
        distribution = Distribution::uniform(a, c);
        break;
    case DistributionKind::Triangular:
        distribution = Distribution::triangular(a, b, c);
        break;
    case DistributionKind::LogNormal:
        distribution = Distribution::logNormal(a, b, 1e-9, 1e9);
        break;
    }
    const double actual = distribution.quantile(p);
    QVERIFY2(std::abs(actual - expected) <= 1e-8 * std::max(1.0, std::abs(expected)),
             (formatDouble(actual) + " vs " + formatDouble(expected)).c_str());
}

void TestUncertainty::truncatedLogNormalInvertsItsCdf()
{
    // Median 1, sigma 1, kept to [0.5, 2]: F(x) = (Phi(ln x) - Phi(ln 0.5)) / (Phi(ln 2) - Phi(ln 0.5)).
    const Distribution distribution = Distribution::logNormal(1.0, 1.0, 0.5, 2.0);
    const double pLow = phi(std::log(0.5));
    const double pHigh = phi(std::log(2.0));
    for (double p : {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
        const double x = distribution.quantile(p);
        QVERIFY(x >= 0.5 && x <= 2.0);
        const double cdf = (phi(std::log(x)) - pLow) / (pHigh - pLow);
        QVERIFY2(std::abs(cdf - p) < 1e-8, formatDouble(p).c_str());
    }
    QCOMPARE(distribution.quantile(0.5), 1.0);
}

void TestUncertainty::vectorisedQuantilesEqualScalar()
{
    const std::vector<Distribution> distributions = {
        Distribution::uniform(-0.3, 0.6), Distribution::triangular(0.0, 0.1, 0.3),
        Distribution::triangular(5.0, 6.0, 6.0), Distribution::logNormal(40.0, 0.5, 0.0, 3000.0),
        Distribution::fixed(0.35)};
    Eigen::ArrayXd p(1000);
    for (Eigen::Index i = 0; i < p.size(); ++i)
        p(i) = unitInterval(splitMix64At(99, static_cast<std::uint64_t>(i)));
    for (const Distribution &distribution : distributions) {
        Eigen::ArrayXd x = p;
        distribution.quantiles(x);
        for (Eigen::Index i = 0; i < p.size(); ++i)
            QCOMPARE(x(i), distribution.quantile(p(i)));
    }
}

void TestUncertainty::defaultsAreValidAndCentred()
{
    for (const auto &figures : {datasetFigures(), std::vector<Figure>{}}) {
        const std::vector<DistributionDefault> details = defaultDistributionDetails(figures);
        QCOMPARE(details.size(), kAssumptionCount);
        const Distributions distributions = defaultDistributions(figures);
        for (const DistributionDefault &item : details) {
            const Assumption &entry = assumption(item.id);
            const QByteArray key(entry.key.data(), qsizetype(entry.key.size()));
            QVERIFY2(validateDistribution(item.id, item.distribution).ok(), key);
            QVERIFY2(item.distribution == distributions.get(item.id), key);
            QCOMPARE(item.distribution.centre, entry.defaultValue);
            QVERIFY2(!item.basis.empty() && item.basis.find("does not fit") == std::string::npos, key);
            QCOMPARE(item.cited, !item.figureIds.empty());
            if (item.distribution.kind != DistributionKind::Fixed) {
                QVERIFY2(item.distribution.quantile(0.1) < item.distribution.quantile(0.9), key);
            }
        }
        // Centred on the defaults they stay as they are.
        QVERIFY(distributions.centredOn(Scenario()) == distributions);
    }
}

void TestUncertainty::defaultsFromTheCitedFigures_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<QString>("figure");
    const auto tri = [](const char *key, double low, double high, const char *figure) {
        QTest::newRow(key) << QString::fromLatin1(key) << int(DistributionKind::Triangular) << low
                           << high << 0.0 << QString::fromLatin1(figure);
    };
    // 2026 guidance $690-725B against its $707.5B midpoint.
    tri("capex_guidance_scale", 690.0 / 707.5, 725.0 / 707.5, "us-hyperscaler-capex-2026-whitepaper");
    // A 5-10x fall over 16 months (mid-January 2025 to mid-May 2026) as a yearly decline.
    tri("token_price_decline_per_year", 1.0 - std::pow(5.0, -0.75), 1.0 - std::pow(10.0, -0.75),
        "open-weights-cost-curve-collapse-casestudy");
    tri("debt_interest_rate", 0.09, 0.11, "coreweave-ddtl2-rate-2025-06");
    tri("neocloud_cds_spread_bp", 368.395, 675.0, "coreweave-cds-2025-10-06");
    tri("depreciation_life_years", 5.0, 6.0, "amazon-server-life-from-2025");
    QTest::newRow("algorithmic_efficiency_per_year")
        << QStringLiteral("algorithmic_efficiency_per_year") << int(DistributionKind::LogNormal)
        << 0.0 << 0.0 << std::log(3.0 / 1.7) / 1.6448536269514722
        << QStringLiteral("algorithmic-efficiency-1p7x-epoch-prior");
}

void TestUncertainty::shippedCapexPathIsCitedCompanyByCompany()
{
    // The shipped figures carry every company's quarters, guidance and projection: the path is
    // measured, then guided, then projected, and only then extrapolated.
    const CitedCapex cited = citedCapex(datasetFigures(), calibration::kLastPathYear);
    std::vector<CapexBasis> bases;
    for (const CapexYear &year : cited.years)
        bases.push_back(year.basis);
    QVERIFY(bases.size() >= 3);
    QCOMPARE(bases.back(), CapexBasis::Projected);
    QCOMPARE(bases[bases.size() - 2], CapexBasis::Guided);
    QCOMPARE(bases.front(), CapexBasis::Measured);
    // Each company contributes to every year (four companies, one or more figures each).
    for (const CapexYear &year : cited.years)
        QVERIFY2(year.figureIds.size() >= 4, std::to_string(year.year).c_str());
}

void TestUncertainty::revenueGrowthDefaultIsTheCitedForecast()
{
    // Bloomberg Intelligence: $40B of generative-AI revenue in 2022, $1.3T in 2032.
    double from = 0.0;
    double to = 0.0;
    for (const Figure &figure : datasetFigures()) {
        if (figure.id == "revenue-genai-market-2022-bi")
            from = figure.value;
        if (figure.id == "revenue-genai-market-2032-bi")
            to = figure.value;
    }
    QCOMPARE(from, 40e9);
    QCOMPARE(to, 1.3e12);
    const double growth = std::pow(to / from, 1.0 / 10.0) - 1.0; // 0.4164
    QVERIFY(std::abs(assumption(AssumptionId::AiRevenueGrowth).defaultValue - growth) < 0.005);
}

// Middle of a period in years: 2024 -> 2024.5, 2024-10 -> 2024.79, 2024-Q1 -> 2024.125,
// A..B -> the mean of both ends.
static double periodMiddle(const std::string &period)
{
    if (const auto dots = period.find(".."); dots != std::string::npos)
        return (periodMiddle(period.substr(0, dots)) + periodMiddle(period.substr(dots + 2))) / 2.0;
    const double year = std::stod(period.substr(0, 4));
    if (period.size() == 4)
        return year + 0.5;
    if (period[5] == 'Q')
        return year + (std::stod(period.substr(6, 1)) - 0.5) / 4.0;
    return year + (std::stod(period.substr(5, 2)) - 0.5) / 12.0;
}

void TestUncertainty::builderDefaultsAreTheCitedFigures()
{
    std::map<std::string, double> byId;
    // The rental-price trend: least squares of ln(price) on time through every H100 rental price
    // that is a measurement.
    std::vector<std::pair<double, double>> points;
    for (const Figure &figure : datasetFigures()) {
        byId[figure.id] = figure.value;
        const bool h100 = (figure.entity + figure.metric).find("H100") != std::string::npos;
        if (h100 && figure.unit == "USD/GPU-hour" && (figure.kind == "reported" || figure.kind == "estimate"))
            points.emplace_back(periodMiddle(figure.period), std::log(figure.value));
    }
    QVERIFY(points.size() >= 8);
    double meanX = 0.0;
    double meanY = 0.0;
    for (const auto &[x, y] : points) {
        meanX += x / double(points.size());
        meanY += y / double(points.size());
    }
    double sxy = 0.0;
    double sxx = 0.0;
    for (const auto &[x, y] : points) {
        sxy += (x - meanX) * (y - meanY);
        sxx += (x - meanX) * (x - meanX);
    }
    const double decline = 1.0 - std::exp(sxy / sxx);
    QVERIFY2(std::abs(assumption(AssumptionId::GpuRentalPriceDeclinePerYear).defaultValue - decline) < 0.01,
             std::to_string(decline).c_str());
    // CoreWeave's debt over its property and equipment at the end of 2025.
    const double leverage = byId.at("credit-coreweave-total-debt-2025-12-31") /
                            byId.at("builder-coreweave-ppe-net-2025-12-31");
    QVERIFY(std::abs(assumption(AssumptionId::NeocloudLeverage).defaultValue - leverage) < 0.005);
    // A loan draw's cited term and the cited typical utilisation.
    QCOMPARE(assumption(AssumptionId::LoanTermYears).defaultValue,
             byId.at("builder-coreweave-ddtl2-5th-amend-draw-term"));
    QCOMPARE(assumption(AssumptionId::InitialUtilisation).defaultValue,
             byId.at("builder-neocloud-utilisation-typical") / 100.0);
}

void TestUncertainty::defaultsFromTheCitedFigures()
{
    QFETCH(QString, key);
    QFETCH(int, kind);
    QFETCH(double, low);
    QFETCH(double, high);
    QFETCH(double, sigma);
    QFETCH(QString, figure);
    const AssumptionId id = *findAssumption(key.toStdString());
    const std::vector<DistributionDefault> details = defaultDistributionDetails(datasetFigures());
    const DistributionDefault &item = details[static_cast<std::size_t>(id)];
    QCOMPARE(item.id, id);
    QVERIFY(item.cited);
    QVERIFY(std::find(item.figureIds.begin(), item.figureIds.end(), figure.toStdString()) !=
            item.figureIds.end());
    QCOMPARE(int(item.distribution.kind), kind);
    QCOMPARE(item.distribution.centre, assumption(id).defaultValue);
    if (item.distribution.kind == DistributionKind::LogNormal) {
        QVERIFY(std::abs(item.distribution.sigma - sigma) < 1e-12);
        // The farthest cited value sits at the 5th percentile (of the log-normal before it is
        // cut to the allowed [1, 10], which moves it by about 0.002).
        QVERIFY(std::abs(item.distribution.quantile(0.05) - 1.7) < 0.005);
    } else {
        QVERIFY2(std::abs(item.distribution.low - low) < 1e-12, formatDouble(item.distribution.low).c_str());
        QVERIFY2(std::abs(item.distribution.high - high) < 1e-12, formatDouble(item.distribution.high).c_str());
    }
}

void TestUncertainty::defaultsWithoutFigures()
{
    // No figures: nothing is cited, and the stated fallbacks repeat the seed's ranges.
    const std::vector<DistributionDefault> details = defaultDistributionDetails({});
    for (const DistributionDefault &item : details)
        QVERIFY(!item.cited);
    const Distribution &scale = details[static_cast<std::size_t>(AssumptionId::CapexGuidanceScale)].distribution;
    QVERIFY(std::abs(scale.low - 690.0 / 707.5) < 1e-12);
    QVERIFY(std::abs(scale.high - 725.0 / 707.5) < 1e-12);
    const Distribution &exposure =
        details[static_cast<std::size_t>(AssumptionId::NeocloudComputeExposure)].distribution;
    QCOMPARE(exposure.kind, DistributionKind::Fixed);
    // The neoclouds' leverage: ten points either side of CoreWeave's cited 0.70.
    const Distribution &leverage = details[static_cast<std::size_t>(AssumptionId::NeocloudLeverage)].distribution;
    QVERIFY(std::abs(leverage.low - 0.60) < 1e-12 && std::abs(leverage.high - 0.80) < 1e-12);
    // A party profile without a rule of its own: ten points either side of its default, 0.30.
    const Distribution &labs = details[static_cast<std::size_t>(AssumptionId::ModelLabLeverage)].distribution;
    QVERIFY(std::abs(labs.low - 0.20) < 1e-12 && std::abs(labs.high - 0.40) < 1e-12);
}

void TestUncertainty::centringMovesAndClips()
{
    Distributions distributions = onlyThese(
        {{AssumptionId::Wacc, Distribution::triangular(0.07, 0.09, 0.12)},
         {AssumptionId::RecoveryRate, Distribution::uniform(0.25, 0.45)},
         {AssumptionId::AlgorithmicEfficiencyPerYear, Distribution::logNormal(3.0, 0.3, 0, 0)},
         {AssumptionId::HyperscalerCdsSpreadBp, Distribution::logNormal(40.0, 0.5, 0, 0)}});
    Scenario scenario;
    QVERIFY(scenario.set(AssumptionId::Wacc, 0.19).ok());
    QVERIFY(scenario.set(AssumptionId::RecoveryRate, 0.05).ok());
    QVERIFY(scenario.set(AssumptionId::AlgorithmicEfficiencyPerYear, 2.0).ok());
    QVERIFY(scenario.set(AssumptionId::HyperscalerCdsSpreadBp, 0.0).ok());
    QVERIFY(scenario.set(AssumptionId::LoanTermYears, 7.0).ok());
    const Distributions centred = distributions.centredOn(scenario);
    // Shifted by +0.10 and clipped to the 0.20 maximum.
    const Distribution &wacc = centred.get(AssumptionId::Wacc);
    QVERIFY(std::abs(wacc.low - 0.17) < 1e-12 && wacc.centre == 0.19 && wacc.high == 0.20);
    // Shifted by -0.30 and clipped to the 0 minimum; the midpoint follows the clipped range.
    const Distribution &recovery = centred.get(AssumptionId::RecoveryRate);
    QVERIFY(recovery.low == 0.0 && std::abs(recovery.high - 0.15) < 1e-12);
    QVERIFY(std::abs(recovery.centre - 0.075) < 1e-12);
    const Distribution &efficiency = centred.get(AssumptionId::AlgorithmicEfficiencyPerYear);
    QVERIFY(efficiency.centre == 2.0 && efficiency.sigma == 0.3);
    QCOMPARE(centred.get(AssumptionId::HyperscalerCdsSpreadBp).kind, DistributionKind::Fixed);
    QCOMPARE(centred.get(AssumptionId::LoanTermYears), Distribution::fixed(7.0));
    for (const Assumption &entry : assumptionRegistry())
        QVERIFY(validateDistribution(entry.id, centred.get(entry.id)).ok());
}

void TestUncertainty::jsonRoundTrip()
{
    const Distributions defaults = defaultDistributions(datasetFigures());
    std::vector<AssumptionId> all;
    for (const Assumption &entry : assumptionRegistry())
        all.push_back(entry.id);
    const std::string text = "{\"distributions\": " + distributionsJson(defaults, all) + "}";
    Distributions read;
    const Status status = read.applyJson(text);
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().toString().c_str());
    QVERIFY(read == defaults);
    // A subset leaves the rest alone.
    Distributions partial;
    const std::vector<AssumptionId> one = {AssumptionId::Wacc};
    QVERIFY(partial.applyJson("{\"distributions\": " + distributionsJson(defaults, one) + "}").ok());
    QVERIFY(partial.get(AssumptionId::Wacc) == defaults.get(AssumptionId::Wacc));
    QVERIFY(partial.get(AssumptionId::RecoveryRate) == Distribution::fixed(0.35));
}

void TestUncertainty::jsonBesideAssumptions()
{
    // The model command's output and a flat scenario both carry distributions beside the values.
    for (const char *text :
         {"{\"view\": \"revenue-gap\", \"assumptions\": {\"wacc\": 0.1}, \"distributions\": "
          "{\"wacc\": {\"kind\": \"uniform\", \"low\": 0.08, \"high\": 0.12}}, \"outputs\": {}}",
          "{\"wacc\": 0.1, \"distributions\": {\"wacc\": {\"kind\": \"uniform\", \"low\": 0.08, "
          "\"high\": 0.12}}}"}) {
        Scenario scenario;
        Distributions distributions;
        QVERIFY(scenario.applyJson(text).ok());
        QVERIFY(distributions.applyJson(text).ok());
        QCOMPARE(scenario.value(AssumptionId::Wacc), 0.1);
        QVERIFY(distributions.get(AssumptionId::Wacc) == Distribution::uniform(0.08, 0.12));
    }
    // No "distributions" member: nothing changes.
    Distributions untouched;
    QVERIFY(untouched.applyJson("{\"assumptions\": {\"wacc\": 0.1}}").ok());
    QVERIFY(untouched == Distributions());
}

void TestUncertainty::badDistributionJson_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("messagePart");
    const auto row = [](const char *name, const char *inner, const char *field, const char *part) {
        QTest::newRow(name) << (QStringLiteral("{\"distributions\": ") + QString::fromLatin1(inner) +
                                QStringLiteral("}"))
                            << QString::fromLatin1(field) << QString::fromLatin1(part);
    };
    row("unknown key", "{\"waccc\": {\"kind\": \"fixed\", \"value\": 0.1}}", "waccc", "unknown");
    row("unknown kind", "{\"wacc\": {\"kind\": \"normal\", \"low\": 0.1}}", "wacc", "normal");
    row("no kind", "{\"wacc\": {\"low\": 0.1, \"high\": 0.2}}", "wacc", "kind");
    row("kind not a string", "{\"wacc\": {\"kind\": 3}}", "wacc", "kind");
    row("not an object", "{\"wacc\": 0.1}", "wacc", "expected an object");
    row("missing mode", "{\"wacc\": {\"kind\": \"triangular\", \"low\": 0.05, \"high\": 0.1}}",
        "wacc", "mode");
    row("string parameter", "{\"wacc\": {\"kind\": \"uniform\", \"low\": \"0.05\", \"high\": 0.1}}",
        "wacc", "low");
    row("extra member",
        "{\"wacc\": {\"kind\": \"uniform\", \"low\": 0.05, \"high\": 0.1, \"mode\": 0.07}}", "wacc",
        "mode");
    row("low above high", "{\"wacc\": {\"kind\": \"uniform\", \"low\": 0.12, \"high\": 0.1}}",
        "wacc", "low < high");
    row("mode outside",
        "{\"wacc\": {\"kind\": \"triangular\", \"low\": 0.05, \"mode\": 0.15, \"high\": 0.1}}",
        "wacc", "mode");
    row("out of range", "{\"wacc\": {\"kind\": \"uniform\", \"low\": 0.05, \"high\": 0.5}}", "wacc",
        "[0.03, 0.2]");
    row("fixed out of range", "{\"recovery_rate\": {\"kind\": \"fixed\", \"value\": 1}}",
        "recovery_rate", "[0, 0.9]");
    row("sigma zero", "{\"wacc\": {\"kind\": \"log-normal\", \"median\": 0.1, \"sigma\": 0}}",
        "wacc", "sigma");
    row("sigma negative", "{\"wacc\": {\"kind\": \"log-normal\", \"median\": 0.1, \"sigma\": -1}}",
        "wacc", "sigma");
    row("median zero",
        "{\"capex_growth\": {\"kind\": \"log-normal\", \"median\": 0, \"sigma\": 0.2}}",
        "capex_growth", "median");
    row("not an object at all", "[1]", "distributions", "expected an object");
    QTest::newRow("broken json") << QStringLiteral("{\"distributions\": {\"wacc\": ") << QString()
                                 << QStringLiteral("byte");
}

void TestUncertainty::badDistributionJson()
{
    QFETCH(QString, json);
    QFETCH(QString, field);
    QFETCH(QString, messagePart);
    Distributions distributions = defaultDistributions({});
    const Distributions before = distributions;
    const Status status = distributions.applyJson(json.toStdString());
    QVERIFY(!status.ok());
    QCOMPARE(QString::fromStdString(status.error().field), field);
    QVERIFY2(status.error().message.find(messagePart.toStdString()) != std::string::npos,
             status.error().message.c_str());
    QVERIFY(distributions == before);
}

void TestUncertainty::badDistributions_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<double>("c");
    QTest::newRow("nan") << "wacc" << int(DistributionKind::Uniform) << std::nan("") << 0.0 << 0.1;
    QTest::newRow("equal ends") << "wacc" << int(DistributionKind::Triangular) << 0.1 << 0.1 << 0.1;
    QTest::newRow("huge sigma") << "wacc" << int(DistributionKind::LogNormal) << 0.1 << 6.0 << 0.0;
    QTest::newRow("below min") << "loan_term_years" << int(DistributionKind::Uniform) << 0.5 << 0.0 << 3.0;
}

void TestUncertainty::badDistributions()
{
    QFETCH(QString, key);
    QFETCH(int, kind);
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(double, c);
    const AssumptionId id = *findAssumption(key.toStdString());
    Distribution distribution;
    switch (static_cast<DistributionKind>(kind)) {
    case DistributionKind::Uniform:
        distribution = Distribution::uniform(a, c);
        break;
    case DistributionKind::Triangular:
        distribution = Distribution::triangular(a, b, c);
        break;
    case DistributionKind::LogNormal:
        distribution = Distribution::logNormal(a, b, 0.0, 0.0);
        break;
    case DistributionKind::Fixed:
        distribution = Distribution::fixed(b);
        break;
    }
    Distributions distributions;
    const Status status = distributions.set(id, distribution);
    QVERIFY(!status.ok());
    QCOMPARE(QString::fromStdString(status.error().field), key);
    QVERIFY(distributions == Distributions());
}

void TestUncertainty::sampledQuantilesMatchClosedForms_data()
{
    QTest::addColumn<int>("kind");
    // With hardware gains fixed at 1, the cost-curves view's yearly cost decline factor is the
    // algorithmic gain itself, so its sampled quantiles are those of the distribution drawn.
    QTest::newRow("uniform") << int(DistributionKind::Uniform);
    QTest::newRow("triangular") << int(DistributionKind::Triangular);
    QTest::newRow("log-normal") << int(DistributionKind::LogNormal);
}

void TestUncertainty::sampledQuantilesMatchClosedForms()
{
    QFETCH(int, kind);
    Distribution distribution;
    std::array<double, 5> expected{};
    std::array<double, 5> density{};
    const std::array<double, 5> z = {-1.6448536269514722, -1.2815515655446008, 0.0,
                                     1.2815515655446008, 1.6448536269514722};
    for (std::size_t i = 0; i < kQuantileLevels.size(); ++i) {
        const double p = kQuantileLevels[i];
        switch (static_cast<DistributionKind>(kind)) {
        case DistributionKind::Uniform: // [2, 4]
            distribution = Distribution::uniform(2.0, 4.0);
            expected[i] = 2.0 + 2.0 * p;
            density[i] = 0.5;
            break;
        case DistributionKind::Triangular: // (1, 3, 7): F(3) = 1/3
            distribution = Distribution::triangular(1.0, 3.0, 7.0);
            expected[i] = p < 1.0 / 3.0 ? 1.0 + std::sqrt(12.0 * p) : 7.0 - std::sqrt(24.0 * (1.0 - p));
            density[i] = expected[i] < 3.0 ? (expected[i] - 1.0) / 6.0 : (7.0 - expected[i]) / 12.0;
            break;
        default: // median 3, sigma 0.3; the range [1, 10] cuts off less than 1e-4 of it
            distribution = Distribution::logNormal(3.0, 0.3, 0.0, 0.0);
            expected[i] = 3.0 * std::exp(0.3 * z[i]);
            density[i] = normalDensity(z[i]) / (0.3 * expected[i]);
            break;
        }
    }
    Scenario centre;
    QVERIFY(centre.set(AssumptionId::HardwarePricePerformancePerYear, 1.0).ok());
    const Distributions distributions = onlyThese(
        {{AssumptionId::AlgorithmicEfficiencyPerYear, distribution},
         {AssumptionId::HardwarePricePerformancePerYear, Distribution::fixed(1.0)}});
    MonteCarloOptions options;
    options.draws = kMaxMonteCarloDraws;
    options.seed = 20250127;
    const auto result =
        runMonteCarlo(EconomicView::CostCurves, trainingFigures(), centre, distributions, options);
    QVERIFY(result.ok());
    const Quantiles *factor = result->quantilesOf("cost_decline_factor_per_year");
    QVERIFY(factor);
    const std::array<double, 5> sampled = levels(*factor);
    for (std::size_t i = 0; i < kQuantileLevels.size(); ++i) {
        // Six standard errors of a sample quantile: sqrt(p (1 - p) / n) / density.
        const double p = kQuantileLevels[i];
        const double tolerance = 6.0 * std::sqrt(p * (1.0 - p) / options.draws) / density[i];
        QVERIFY2(std::abs(sampled[i] - expected[i]) <= tolerance,
                 (std::to_string(p) + ": " + formatDouble(sampled[i]) + " vs " +
                  formatDouble(expected[i]))
                     .c_str());
    }
}

void TestUncertainty::reproducibleBySeedAndThreadCount_data()
{
    QTest::addColumn<QString>("view");
    for (const char *view : {"revenue-gap", "cost-curves", "fragility", "fiber"})
        QTest::newRow(view) << QString::fromLatin1(view);
}

void TestUncertainty::reproducibleBySeedAndThreadCount()
{
    QFETCH(QString, view);
    const EconomicView id = *findEconomicView(view.toStdString());
    const std::vector<Figure> figures = datasetFigures();
    const Scenario centre;
    const Distributions distributions = defaultDistributions(figures);
    MonteCarloOptions options;
    options.draws = 3001; // not a multiple of the chunk length
    options.seed = 42;
    options.threads = 1;
    const auto single = runMonteCarlo(id, figures, centre, distributions, options);
    QVERIFY(single.ok());
    QCOMPARE(single->draws, 3001);
    QCOMPARE(single->seed, std::uint64_t(42));
    QCOMPARE(single->sampled.size(), std::size_t(std::count_if(
        viewAssumptions(id).begin(), viewAssumptions(id).end(), [&](AssumptionId a) {
            return distributions.get(a).kind != DistributionKind::Fixed;
        })));
    for (int threads : {1, 2, 3, 7}) {
        options.threads = threads;
        const auto again = runMonteCarlo(id, figures, centre, distributions, options);
        QVERIFY(again.ok());
        QVERIFY2(sameResults(*single, *again), std::to_string(threads).c_str());
    }
    options.seed = 43;
    const auto other = runMonteCarlo(id, figures, centre, distributions, options);
    QVERIFY(other.ok());
    QVERIFY(!sameResults(*single, *other));
    // Bands are ordered and bracket nothing impossible.
    for (const Band &band : single->bands) {
        QCOMPARE(band.quantiles.size(), band.x.size());
        for (const Quantiles &q : band.quantiles) {
            QVERIFY(std::isfinite(q.p5) && std::isfinite(q.p95));
            QVERIFY(q.p5 <= q.p10 && q.p10 <= q.p50 && q.p50 <= q.p90 && q.p90 <= q.p95);
        }
    }
}

void TestUncertainty::probabilitiesAreProbabilities_data()
{
    reproducibleBySeedAndThreadCount_data();
}

void TestUncertainty::probabilitiesAreProbabilities()
{
    QFETCH(QString, view);
    const EconomicView id = *findEconomicView(view.toStdString());
    const std::vector<Figure> figures = datasetFigures();
    MonteCarloOptions options;
    options.draws = 2000;
    const auto result =
        runMonteCarlo(id, figures, Scenario(), defaultDistributions(figures), options);
    QVERIFY(result.ok());
    QVERIFY(!result->probabilities.empty());
    for (const NamedProbability &p : result->probabilities) {
        QVERIFY2(p.probability >= 0.0 && p.probability <= 1.0, p.key.c_str());
        QVERIFY(!p.description.empty());
        // A share of draws is a whole number of draws.
        const double count = p.probability * options.draws;
        QVERIFY(std::abs(count - std::round(count)) < 1e-6);
    }
    if (id == EconomicView::Fragility) {
        double sum = 0.0;
        for (const char *party : {"hyperscalers", "model_labs", "neoclouds", "equity_holders"})
            sum += result->probability(std::string("most_fragile_") + party)->probability;
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
        QVERIFY(result->probability("seed_order_holds")->probability <=
                result->probability("most_fragile_equity_holders")->probability);
    }
    if (id == EconomicView::FiberJevons) {
        QVERIFY(result->probability("strand_before_2030")->probability <=
                result->probability("strand_by_2035")->probability);
        const Quantiles *strand = result->quantilesOf("strand_year");
        QVERIFY(strand && strand->p5 >= 2026 && strand->p95 <= kNoStrandYear);
    }
    if (id == EconomicView::RevenueGap) {
        QVERIFY(result->probability("no_payback_by_2035")->probability <=
                result->probability("payback_after_economic_life")->probability);
    }
}

void TestUncertainty::gapProbabilityRisesAsMarginFalls()
{
    // Each draw keeps its uniform numbers when the margin's distribution moves, and a lower
    // margin raises the revenue required, so the share of draws with a gap cannot fall.
    const std::vector<Figure> figures = datasetFigures();
    const Distributions defaults = defaultDistributions(figures);
    MonteCarloOptions options;
    options.draws = 4000;
    options.seed = 5;
    double previous = -1.0;
    for (double margin : {0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2}) {
        Scenario centre;
        QVERIFY(centre.set(AssumptionId::OperatingMargin, margin).ok());
        QVERIFY(centre.set(AssumptionId::AiRevenueGrowth, 0.5).ok());
        const auto result = runMonteCarlo(EconomicView::RevenueGap, figures, centre,
                                          defaults.centredOn(centre), options);
        QVERIFY(result.ok());
        const double p = result->probability("gap_2030_positive")->probability;
        QVERIFY2(p >= previous, formatDouble(margin).c_str());
        previous = p;
    }
    QVERIFY(previous > 0.9); // at a 20% margin almost every draw falls short
}

void TestUncertainty::badRuns()
{
    const Distributions distributions = defaultDistributions({});
    MonteCarloOptions options;
    const auto moat = runMonteCarlo(EconomicView::Moat, {}, Scenario(), distributions, options);
    QVERIFY(!moat.ok());
    QCOMPARE(moat.error().field, std::string("view"));
    for (int draws : {0, -5, kMaxMonteCarloDraws + 1}) {
        options.draws = draws;
        const auto result = runMonteCarlo(EconomicView::FiberJevons, {}, Scenario(), distributions, options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().field, std::string("draws"));
    }
}

void TestUncertainty::cancelAndProgress()
{
    const std::vector<Figure> figures = datasetFigures();
    const Distributions distributions = defaultDistributions(figures);
    MonteCarloOptions options;
    options.draws = 5000;
    options.threads = 2;
    std::vector<int> seen;
    options.progress = [&](int done, int total) {
        QCOMPARE(total, 5000);
        seen.push_back(done);
    };
    QVERIFY(runMonteCarlo(EconomicView::FiberJevons, figures, Scenario(), distributions, options).ok());
    QVERIFY(!seen.empty());
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    QCOMPARE(seen.back(), 5000);

    // Cancelled before it starts, and from the progress callback half way.
    std::atomic<bool> cancel{true};
    options.cancel = &cancel;
    options.progress = nullptr;
    auto cancelled = runMonteCarlo(EconomicView::FiberJevons, figures, Scenario(), distributions, options);
    QVERIFY(!cancelled.ok());
    QCOMPARE(cancelled.error().message, std::string(kCancelledMessage));
    cancel = false;
    options.progress = [&](int done, int) {
        if (done >= 1000)
            cancel = true;
    };
    cancelled = runMonteCarlo(EconomicView::FiberJevons, figures, Scenario(), distributions, options);
    QVERIFY(!cancelled.ok());
    QCOMPARE(cancelled.error().message, std::string(kCancelledMessage));
}

void TestUncertainty::tornadoOrderCostCurves()
{
    // The lag is 12 ln(r) / ln(a h) with r = 78 / 5.576; only a and h move it.
    const Distributions distributions = onlyThese(
        {{AssumptionId::AlgorithmicEfficiencyPerYear, Distribution::uniform(2.5, 3.5)},
         {AssumptionId::HardwarePricePerformancePerYear, Distribution::uniform(1.2, 1.44)},
         {AssumptionId::TokenPriceDeclinePerYear, Distribution::uniform(0.5, 0.9)},
         {AssumptionId::InputOutputRatio, Distribution::uniform(1.0, 5.0)}});
    const auto tornado = computeTornado(EconomicView::CostCurves, HeadlineMetric::PredictedLagMonths,
                                        trainingFigures(), Scenario(), distributions);
    QVERIFY(tornado.ok());
    const double r = 78.0 / 5.576;
    const auto lag = [&](double a, double h) { return 12.0 * std::log(r) / std::log(a * h); };
    QVERIFY(std::abs(tornado->baseOutput - lag(3.0, 1.32)) < 1e-9);
    QCOMPARE(tornado->bars.size(), std::size_t(4));
    // a from 2.6 to 3.4 moves the lag more than h from 1.224 to 1.416; price and mix not at all.
    const std::vector<AssumptionId> order = {
        AssumptionId::AlgorithmicEfficiencyPerYear, AssumptionId::HardwarePricePerformancePerYear,
        AssumptionId::TokenPriceDeclinePerYear, AssumptionId::InputOutputRatio};
    for (std::size_t i = 0; i < order.size(); ++i)
        QCOMPARE(tornado->bars[i].id, order[i]);
    const TornadoBar &a = tornado->bars[0];
    QVERIFY(std::abs(a.lowInput - 2.6) < 1e-12 && std::abs(a.highInput - 3.4) < 1e-12);
    QVERIFY(std::abs(a.lowOutput - lag(2.6, 1.32)) < 1e-9);
    QVERIFY(std::abs(a.swing - (lag(3.4, 1.32) - lag(2.6, 1.32))) < 1e-9);
    QVERIFY(std::abs(tornado->bars[1].swing - (lag(3.0, 1.416) - lag(3.0, 1.224))) < 1e-9);
    QCOMPARE(tornado->bars[2].swing, 0.0);
    QCOMPARE(tornado->bars[3].swing, 0.0);
}

void TestUncertainty::tornadoOrderFragility()
{
    // The equity holders' score moves by 100 x weight x (p90 - p10) of each factor's input.
    const Distributions distributions = onlyThese(
        {{AssumptionId::EquityHolderPricedExecution, Distribution::uniform(0.6, 1.0)},   // 0.15 x 0.32
         {AssumptionId::EquityHolderLeverage, Distribution::uniform(0.5, 0.9)},          // 0.25 x 0.32
         {AssumptionId::EquityHolderCircularShare, Distribution::uniform(0.2, 1.0)}});   // 0.10 x 0.64
    const auto tornado = computeTornado(EconomicView::Fragility, HeadlineMetric::EquityHolderScore,
                                        {}, Scenario(), distributions);
    QVERIFY(tornado.ok());
    QCOMPARE(tornado->bars.size(), viewAssumptions(EconomicView::Fragility).size());
    QCOMPARE(tornado->bars[0].id, AssumptionId::EquityHolderLeverage);
    QCOMPARE(tornado->bars[1].id, AssumptionId::EquityHolderCircularShare);
    QCOMPARE(tornado->bars[2].id, AssumptionId::EquityHolderPricedExecution);
    QVERIFY(std::abs(tornado->bars[0].swing - 8.0) < 1e-9);
    QVERIFY(std::abs(tornado->bars[1].swing - 6.4) < 1e-9);
    QVERIFY(std::abs(tornado->bars[2].swing - 4.8) < 1e-9);
    for (std::size_t i = 3; i < tornado->bars.size(); ++i)
        QCOMPARE(tornado->bars[i].swing, 0.0);
    // The ranking's leader is the equity holders at the defaults; their lead over the neoclouds
    // moves by the same points as their score.
    const auto lead = computeTornado(EconomicView::Fragility, HeadlineMetric::TopPartyLeadPoints,
                                     {}, Scenario(), distributions);
    QVERIFY(lead.ok());
    QVERIFY(std::abs(lead->bars[0].swing - 8.0) < 1e-9);
}

void TestUncertainty::tornadoRefusals()
{
    const Distributions distributions = defaultDistributions({});
    const auto moat = computeTornado(EconomicView::Moat, HeadlineMetric::Gap2030Usd, {}, Scenario(),
                                     distributions);
    QVERIFY(!moat.ok());
    QCOMPARE(moat.error().field, std::string("view"));
    const auto wrong = computeTornado(EconomicView::FiberJevons, HeadlineMetric::Gap2030Usd, {},
                                      Scenario(), distributions);
    QVERIFY(!wrong.ok());
    QCOMPARE(wrong.error().field, std::string("metric"));
    for (EconomicView view : economicViews()) {
        QCOMPARE(headlineMetrics(view).empty(), viewAssumptions(view).empty());
        for (HeadlineMetric metric : headlineMetrics(view))
            QCOMPARE(findHeadlineMetric(headlineMetricKey(metric)), std::optional(metric));
    }
}

void TestUncertainty::methodIsWritten()
{
    QVERIFY(uncertaintyMethod().size() > 500);
}

QTEST_GUILESS_MAIN(TestUncertainty)
#include "test_uncertainty.moc"
