// Tests of the economic models against hand-computed values, the seed's claims at default
// assumptions, monotonicity, the bounds of every assumption and invalid scenarios.

#include "econ/assumption_registry.h"
#include "econ/calibration.h"
#include "econ/capex_path.h"
#include "econ/cost_curves.h"
#include "econ/credit_triangle.h"
#include "econ/distributions.h"
#include "econ/fiber_jevons.h"
#include "econ/fragility.h"
#include "econ/moat.h"
#include "econ/revenue_gap.h"
#include "econ/scenario.h"

#include "figure_fixtures.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace cliff;
using namespace cliff::econ;

namespace {

using testing::makeFigure;

// The figures the seed claims rest on, entered by hand so the test does not depend on the rows
// of datasets/.
std::vector<Figure> seedFigures()
{
    std::vector<Figure> figures = {
        makeFigure("t-capex-2024", "capex", "US hyperscalers",
                   "Capex for generative-AI infrastructure", 200e9, "USD", "2024", "estimate"),
        makeFigure("t-capex-2025", "capex", "Alphabet, Amazon, Meta and Microsoft",
                   "Capex, combined calendar 2025", 410e9, "USD", "2025", "reported"),
        makeFigure("t-capex-2026", "capex", "US hyperscalers", "Capex guidance, calendar 2026 (range)",
                   707.5e9, "USD", "2026", "guidance"),
        makeFigure("t-bain-need", "revenue", "AI compute build-out (global)",
                   "Annual revenue required to fund AI compute demand by 2030", 2e12, "USD", "2030",
                   "projection"),
        makeFigure("t-bain-short", "revenue", "AI compute build-out (global)",
                   "Projected annual revenue shortfall vs. requirement by 2030", 800e9, "USD", "2030",
                   "projection"),
        makeFigure("t-cw-cds", "credit", "CoreWeave", "5-year CDS spread", 642.965, "bp",
                   "2025-12-05"),
        makeFigure("t-cw-cds-old", "credit", "CoreWeave", "5-year CDS spread", 368.395, "bp",
                   "2025-10-06"),
        makeFigure("t-cw-pd", "credit", "CoreWeave", "Implied 5-year default probability", 40, "%",
                   "2025-12", "estimate"),
    };
    figures[2].low = 690e9;
    figures[2].high = 725e9;
    return figures;
}

const FragilityScore *findParty(const FragilityResult &result, const std::string &name)
{
    for (const FragilityScore &score : result.ranking) {
        if (score.party == name)
            return &score;
    }
    return nullptr;
}

std::vector<std::string> partyOrder(const FragilityResult &result)
{
    std::vector<std::string> order;
    for (const FragilityScore &score : result.ranking) {
        if (!score.firm)
            order.push_back(score.party);
    }
    return order;
}

Scenario with(std::initializer_list<std::pair<AssumptionId, double>> values)
{
    Scenario scenario;
    for (const auto &[id, value] : values) {
        // A value outside an assumption's range would be silently left at its default.
        if (const Status status = scenario.set(id, value); !status.ok())
            qFatal("%s", status.error().toString().c_str());
    }
    return scenario;
}

} // namespace

class TestEcon : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registryHasRequiredKeys_data();
    void registryHasRequiredKeys();
    void registryEntriesAreConsistent();
    void assumptionBounds_data();
    void assumptionBounds();
    void invalidPairs_data();
    void invalidPairs();
    void invalidJson_data();
    void invalidJson();
    void validJson_data();
    void validJson();
    void damagedJsonIsRejectedCleanly();
    void jsonEscapesAreDecoded_data();
    void jsonEscapesAreDecoded();
    void jsonSyntaxErrorsSayWhere_data();
    void jsonSyntaxErrorsSayWhere();

    void creditTriangle_data();
    void creditTriangle();
    void blendedPrice_data();
    void blendedPrice();
    void followerLag_data();
    void followerLag();
    void jevonsMultiplier_data();
    void jevonsMultiplier();
    void netPricePressure_data();
    void netPricePressure();
    void priceTier_data();
    void priceTier();

    void revenueGapHandComputed();
    void paybackHandComputed_data();
    void paybackHandComputed();
    void capexGuidanceScale();
    void capexPathAddsUpTheCompanies();
    void evaluateReusesStorage();
    void tokenPriceFit();
    void trainingCostCurve();
    void moatSeries();
    void fragilityHandComputed();
    void fiberInvariants();
    void fiberDemandFollowsTheTokenPrice();

    void seedClaims_data();
    void seedClaims();
    void fragilitySeedOrder();
    void defaultsCalibrationWithoutFigures();

    void fasterPriceDeclineNeverLowersNeocloudFragility();
    void longerEconomicLifeNeverRaisesImpairment();
    void higherRecoveryRaisesPd();

    void missingFiguresDoNotFail();
    void methodsAreWritten();
};

void TestEcon::registryHasRequiredKeys_data()
{
    QTest::addColumn<QString>("key");
    for (const char *key :
         {"depreciation_life_years", "gpu_economic_life_years", "wacc", "operating_margin",
          "capex_growth", "ai_revenue_growth", "token_price_decline_per_year", "demand_elasticity",
          "recovery_rate", "algorithmic_efficiency_per_year", "hardware_price_performance_per_year",
          "input_output_ratio"})
        QTest::newRow(key) << QString::fromLatin1(key);
}

void TestEcon::registryHasRequiredKeys()
{
    QFETCH(QString, key);
    QVERIFY(findAssumption(key.toStdString()).has_value());
}

void TestEcon::registryEntriesAreConsistent()
{
    QCOMPARE(assumptionRegistry().size(), kAssumptionCount);
    for (const Assumption &entry : assumptionRegistry()) {
        const QByteArray name(entry.key.data(), qsizetype(entry.key.size()));
        QVERIFY2(entry.minValue < entry.maxValue, name);
        QVERIFY2(entry.minValue <= entry.defaultValue && entry.defaultValue <= entry.maxValue, name);
        QVERIFY2(entry.step > 0.0, name);
        QVERIFY2(!entry.label.empty() && !entry.unit.empty() && !entry.explanation.empty(), name);
        if (entry.kind != DefaultKind::Illustrative)
            QVERIFY2(!sourceFigureIds(entry).empty(), name);
        QCOMPARE(findAssumption(entry.key), std::optional<AssumptionId>(entry.id));
    }
}

void TestEcon::assumptionBounds_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("accepted");
    for (const Assumption &entry : assumptionRegistry()) {
        const std::string key(entry.key);
        const double span = entry.maxValue - entry.minValue;
        const QString qkey = QString::fromStdString(key);
        QTest::newRow((key + " min").c_str()) << qkey << entry.minValue << true;
        QTest::newRow((key + " max").c_str()) << qkey << entry.maxValue << true;
        QTest::newRow((key + " default").c_str()) << qkey << entry.defaultValue << true;
        QTest::newRow((key + " below").c_str()) << qkey << entry.minValue - 0.01 * span << false;
        QTest::newRow((key + " above").c_str()) << qkey << entry.maxValue + 0.01 * span << false;
    }
}

void TestEcon::assumptionBounds()
{
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(bool, accepted);
    Scenario scenario;
    const Status status = scenario.set(key.toStdString(), formatDouble(value));
    QCOMPARE(status.ok(), accepted);
    const AssumptionId id = *findAssumption(key.toStdString());
    if (accepted) {
        QCOMPARE(scenario.value(id), value);
        // Every model runs at the bounds.
        const auto figures = seedFigures();
        QVERIFY(computeRevenueGap(figures, scenario).ok());
        QVERIFY(computeCostCurves(figures, scenario).ok());
        QVERIFY(computeMoat(figures, scenario).ok());
        QVERIFY(computeFragility(figures, scenario).ok());
        const auto fiber = computeFiberJevons(figures, scenario);
        QVERIFY(fiber.ok());
        for (const FiberYear &row : fiber->years)
            QVERIFY(std::isfinite(row.revenueUsd) && std::isfinite(row.utilisation));
    } else {
        QCOMPARE(QString::fromStdString(status.error().field), key);
        const std::string range = "[" + formatDouble(assumption(id).minValue) + ", " +
                                  formatDouble(assumption(id).maxValue) + "]";
        QVERIFY2(status.error().message.find(range) != std::string::npos,
                 status.error().message.c_str());
        QCOMPARE(scenario.value(id), assumption(id).defaultValue);
    }
}

void TestEcon::invalidPairs_data()
{
    QTest::addColumn<QString>("pair");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("unknown key") << "discount=0.1" << "discount" << "unknown";
    QTest::newRow("not a number") << "wacc=abc" << "wacc" << "[0.03, 0.2]";
    QTest::newRow("empty value") << "wacc=" << "wacc" << "not a number";
    QTest::newRow("nan") << "wacc=nan" << "wacc" << "not a number";
    QTest::newRow("infinity") << "wacc=inf" << "wacc" << "not a number";
    QTest::newRow("trailing text") << "wacc=0.1x" << "wacc" << "not a number";
    QTest::newRow("no equals") << "wacc" << "" << "key=value";
    QTest::newRow("empty key") << "=3" << "" << "key=value";
    QTest::newRow("above max") << "recovery_rate=0.95" << "recovery_rate" << "[0, 0.9]";
    QTest::newRow("below min") << "depreciation_life_years=1" << "depreciation_life_years" << "[2, 10]";
}

void TestEcon::invalidPairs()
{
    QFETCH(QString, pair);
    QFETCH(QString, field);
    QFETCH(QString, messagePart);
    const auto scenario = scenarioFromPairs({pair.toStdString()});
    QVERIFY(!scenario.ok());
    QCOMPARE(QString::fromStdString(scenario.error().field), field);
    QVERIFY2(scenario.error().message.find(messagePart.toStdString()) != std::string::npos,
             scenario.error().message.c_str());
}

void TestEcon::invalidJson_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("not an object") << "[1, 2]" << "";
    QTest::newRow("empty text") << "" << "";
    QTest::newRow("truncated") << "{\"wacc\": 0.1" << "";
    QTest::newRow("trailing garbage") << "{\"wacc\": 0.1} x" << "";
    QTest::newRow("unquoted key") << "{wacc: 0.1}" << "";
    QTest::newRow("string value") << "{\"wacc\": \"0.1\"}" << "wacc";
    QTest::newRow("boolean value") << "{\"wacc\": true}" << "wacc";
    QTest::newRow("null value") << "{\"wacc\": null}" << "wacc";
    QTest::newRow("unknown key") << "{\"waccc\": 0.1}" << "waccc";
    QTest::newRow("out of range") << "{\"assumptions\": {\"wacc\": 0.5}}" << "wacc";
    QTest::newRow("nested unknown") << "{\"view\": \"fragility\", \"assumptions\": {\"x\": 1}}" << "x";
    QTest::newRow("bad number") << "{\"wacc\": 1e999}" << "";
    QTest::newRow("key given twice") << "{\"wacc\": 0.1, \"wacc\": 0.12}" << "wacc";
    QTest::newRow("key twice, escaped once") << "{\"wacc\": 0.1, \"w\\u0061cc\": 0.12}" << "wacc";
    QTest::newRow("key twice in the outputs")
        << "{\"assumptions\": {\"wacc\": 0.1}, \"outputs\": {\"a\": 1, \"a\": 2}}" << "a";
    QTest::newRow("lone surrogate") << "{\"wacc\": 0.1, \"note\": \"\\ud800\"}" << "";
    QTest::newRow("bad escape") << "{\"wacc\": 0.1, \"note\": \"\\x41\"}" << "";
    QTest::newRow("comment") << "{\"wacc\": 0.1 /* why */}" << "";
    QTest::newRow("nesting too deep")
        << "{\"wacc\": 0.1, \"outputs\": " + QString(70, u'[') + QString(70, u']') + "}" << "";
}

void TestEcon::invalidJson()
{
    QFETCH(QString, json);
    QFETCH(QString, field);
    Scenario scenario;
    const Scenario before = scenario;
    const QByteArray text = json.toUtf8();
    const Status status = scenario.applyJson(std::string_view(text.constData(), size_t(text.size())));
    QVERIFY(!status.ok());
    QCOMPARE(QString::fromStdString(status.error().field), field);
    QVERIFY(scenario == before);
}

void TestEcon::validJson_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<double>("wacc");
    QTest::newRow("flat") << "{\"wacc\": 0.12}" << 0.12;
    QTest::newRow("spaced") << " \n{ \"wacc\" : 1.2e-1 , \"capex_growth\": -0.1 }\n" << 0.12;
    QTest::newRow("model output")
        << "{\"view\": \"revenue-gap\", \"assumptions\": {\"wacc\": 0.07}, "
           "\"outputs\": {\"years\": [{\"year\": 2025, \"x\": [1, \"a\\\"b\", null]}]}}"
        << 0.07;
    QTest::newRow("empty") << "{}" << assumption(AssumptionId::Wacc).defaultValue;
}

void TestEcon::validJson()
{
    QFETCH(QString, json);
    QFETCH(double, wacc);
    Scenario scenario;
    const QByteArray text = json.toUtf8();
    const Status status = scenario.applyJson(std::string_view(text.constData(), size_t(text.size())));
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().toString().c_str());
    QCOMPARE(scenario.value(AssumptionId::Wacc), wacc);
}

void TestEcon::jsonEscapesAreDecoded_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<double>("wacc");
    QTest::addColumn<QString>("waccKind"); // wacc's distribution kind after Distributions::applyJson
    const QString fixed = QStringLiteral("fixed");
    const double defaultWacc = assumption(AssumptionId::Wacc).defaultValue;
    QTest::newRow("escaped letter in a key") << QByteArray(R"({"w\u0061cc": 0.12})") << 0.12 << fixed;
    QTest::newRow("every letter escaped") << QByteArray(R"({"\u0077\u0061\u0063\u0063": 0.11})") << 0.11
                                          << fixed;
    QTest::newRow("upper-case hex digits") << QByteArray(R"({"wacc": 0.07, "capex\u005Fgrowth": -0.05})")
                                           << 0.07 << fixed;
    QTest::newRow("in the assumptions member") << QByteArray(R"({"\u0061ssumptions": {"wacc": 0.07}})")
                                               << 0.07 << fixed;
    QTest::newRow("surrogate pair and UTF-8 elsewhere")
        << QByteArray(R"({"assumptions": {"wacc": 0.08}, "note": "\ud83d\ude00 \u00e9 )" "\xc3\xa9" R"( \/"})")
        << 0.08 << fixed;
    QTest::newRow("escaped kind")
        << QByteArray(R"({"wacc": 0.1, "distributions": {"w\u0061cc": {"kind": "tri\u0061ngular", )"
                      R"("low": 0.08, "mode": 0.1, "high": 0.12}}})")
        << 0.1 << QStringLiteral("triangular");
    QTest::newRow("escaped hyphen in a kind")
        << QByteArray(R"({"distributions": {"wacc": {"kind": "log\u002dnormal", "median": 0.09, )"
                      R"("sigma": 0.2}}})")
        << defaultWacc << QStringLiteral("log-normal");
}

void TestEcon::jsonEscapesAreDecoded()
{
    QFETCH(QByteArray, json);
    QFETCH(double, wacc);
    QFETCH(QString, waccKind);
    const std::string_view text(json.constData(), std::size_t(json.size()));
    Scenario scenario;
    const Status applied = scenario.applyJson(text);
    QVERIFY2(applied.ok(), applied.ok() ? "" : applied.error().toString().c_str());
    QCOMPARE(scenario.value(AssumptionId::Wacc), wacc);
    Distributions distributions;
    const Status read = distributions.applyJson(text);
    QVERIFY2(read.ok(), read.ok() ? "" : read.error().toString().c_str());
    const std::string_view kind = distributionKindName(distributions.get(AssumptionId::Wacc).kind);
    QCOMPARE(QString::fromLatin1(kind.data(), qsizetype(kind.size())), waccKind);
}

void TestEcon::jsonSyntaxErrorsSayWhere_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("where");
    QTest::newRow("missing value") << QByteArray("{\n  \"wacc\": 0.1,\n  \"capex_growth\": \n}")
                                   << "line 4, column 1";
    QTest::newRow("trailing comma") << QByteArray("{\"wacc\": 0.1,}") << "line 1, column 14";
    QTest::newRow("number overflow") << QByteArray("{\"wacc\": 1e999}") << "1e999";
    QTest::newRow("empty") << QByteArray() << "line 1, column 1";
}

void TestEcon::jsonSyntaxErrorsSayWhere()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, where);
    Scenario scenario;
    const Status status = scenario.applyJson(std::string_view(json.constData(), std::size_t(json.size())));
    QVERIFY(!status.ok());
    const QString message = QString::fromStdString(status.error().message);
    QVERIFY2(message.contains(where), qPrintable(message));
    QVERIFY2(message.contains(u"byte"), qPrintable(message));
    QVERIFY2(!message.contains(u"json.exception"), qPrintable(message));
}

void TestEcon::damagedJsonIsRejectedCleanly()
{
    // Every truncation and every single-byte replacement of a valid document either applies
    // cleanly or leaves the scenario untouched; none may crash or read past the text.
    const std::string valid =
        "{\"view\": \"fiber\", \"assumptions\": {\"wacc\": 0.1, \"recovery_rate\": 0.4}, "
        "\"outputs\": {\"a\": [1, -2.5e3, true, false, null, \"s\\u00e9\\n\"]}}";
    int rejected = 0;
    auto check = [&](const std::string &text) {
        Scenario scenario;
        const Scenario before = scenario;
        const Status status = scenario.applyJson(text);
        if (!status.ok()) {
            ++rejected;
            QVERIFY(scenario == before);
        }
    };
    for (std::size_t length = 0; length < valid.size(); ++length)
        check(valid.substr(0, length));
    for (std::size_t i = 0; i < valid.size(); ++i) {
        for (char replacement : {'{', '}', '"', ',', ':', 'x', '\\', '\0', '9'}) {
            std::string damaged = valid;
            damaged[i] = replacement;
            check(damaged);
        }
    }
    QVERIFY(rejected > int(valid.size()));
}

void TestEcon::creditTriangle_data()
{
    QTest::addColumn<double>("spreadBp");
    QTest::addColumn<double>("recovery");
    QTest::addColumn<double>("years");
    QTest::addColumn<double>("hazard");
    QTest::addColumn<double>("pd");
    // hazard = s / (1 - R); PD = 1 - exp(-hazard T), worked out by hand.
    QTest::newRow("100bp R40 5y") << 100.0 << 0.40 << 5.0 << 0.0166666667 << 0.0799555854;
    QTest::newRow("643bp R35 5y") << 643.0 << 0.35 << 5.0 << 0.0989230769 << 0.3901945973;
    QTest::newRow("500bp R0 1y") << 500.0 << 0.0 << 1.0 << 0.05 << 0.0487705755;
    QTest::newRow("zero spread") << 0.0 << 0.40 << 5.0 << 0.0 << 0.0;
}

void TestEcon::creditTriangle()
{
    QFETCH(double, spreadBp);
    QFETCH(double, recovery);
    QFETCH(double, years);
    QFETCH(double, hazard);
    QFETCH(double, pd);
    QVERIFY(std::abs(hazardRatePerYear(spreadBp, recovery) - hazard) < 1e-9);
    QVERIFY(std::abs(impliedDefaultProbability(spreadBp, recovery, years) - pd) < 1e-9);
}

void TestEcon::blendedPrice_data()
{
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("output");
    QTest::addColumn<double>("mix");
    QTest::addColumn<double>("blended");
    QTest::newRow("GPT-4o 3:1") << 2.5 << 10.0 << 3.0 << 4.375;
    QTest::newRow("GPT-4o 1:1") << 2.5 << 10.0 << 1.0 << 6.25;
    QTest::newRow("o1 3:1") << 15.0 << 60.0 << 3.0 << 26.25;
    QTest::newRow("R1 3:1") << 0.55 << 2.19 << 3.0 << 0.9600;
    QTest::newRow("output heavy 0.1:1") << 1.0 << 12.0 << 0.1 << 11.0;
}

void TestEcon::blendedPrice()
{
    QFETCH(double, input);
    QFETCH(double, output);
    QFETCH(double, mix);
    QFETCH(double, blended);
    QVERIFY(std::abs(blendedPriceUsdPerMTok(input, output, mix) - blended) < 1e-12);
}

void TestEcon::followerLag_data()
{
    QTest::addColumn<double>("ratio");
    QTest::addColumn<double>("algorithmic");
    QTest::addColumn<double>("hardware");
    QTest::addColumn<double>("months");
    QTest::newRow("4x at 4x/yr") << 4.0 << 2.0 << 2.0 << 12.0;
    QTest::newRow("16x at 4x/yr") << 16.0 << 2.0 << 2.0 << 24.0;
    QTest::newRow("2x at 4x/yr") << 2.0 << 2.0 << 2.0 << 6.0;
    QTest::newRow("same cost") << 1.0 << 3.0 << 1.32 << 0.0;
    QTest::newRow("14x at defaults") << 14.0 << 3.0 << 1.32 << 23.010954;
}

void TestEcon::followerLag()
{
    QFETCH(double, ratio);
    QFETCH(double, algorithmic);
    QFETCH(double, hardware);
    QFETCH(double, months);
    QVERIFY(std::abs(followerLagMonths(ratio, algorithmic, hardware) - months) < 1e-5);
}

void TestEcon::jevonsMultiplier_data()
{
    QTest::addColumn<double>("fall");
    QTest::addColumn<double>("elasticity");
    QTest::addColumn<double>("multiplier");
    QTest::newRow("unit elastic") << 2.0 << 1.0 << 2.0;
    QTest::newRow("inelastic") << 10.0 << 0.0 << 1.0;
    QTest::newRow("square") << 3.0 << 2.0 << 9.0;
    QTest::newRow("4x at 1.2") << 4.0 << 1.2 << 5.278031643;
}

void TestEcon::jevonsMultiplier()
{
    QFETCH(double, fall);
    QFETCH(double, elasticity);
    QFETCH(double, multiplier);
    QVERIFY(std::abs(jevonsVolumeMultiplier(fall, elasticity) - multiplier) < 1e-8);
}

void TestEcon::netPricePressure_data()
{
    QTest::addColumn<double>("decline");
    QTest::addColumn<double>("elasticity");
    QTest::addColumn<double>("pressure");
    // d x (1 - min(1, e) x (1 - d))
    QTest::newRow("no decline") << 0.0 << 1.2 << 0.0;
    QTest::newRow("inelastic") << 0.5 << 0.0 << 0.5;
    QTest::newRow("unit elastic half") << 0.5 << 1.0 << 0.25;
    QTest::newRow("defaults") << 0.75 << 1.2 << 0.5625;
    QTest::newRow("half elastic") << 0.6 << 0.5 << 0.48;
    QTest::newRow("total collapse") << 0.99 << 3.0 << 0.9801;
}

void TestEcon::netPricePressure()
{
    QFETCH(double, decline);
    QFETCH(double, elasticity);
    QFETCH(double, pressure);
    QVERIFY(std::abs(econ::netPricePressure(decline, elasticity) - pressure) < 1e-12);
}

void TestEcon::priceTier_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("tier");
    QTest::newRow("GPT-4o mini") << "GPT-4o mini" << "mini";
    QTest::newRow("o3-mini") << "OpenAI o3-mini" << "mini";
    QTest::newRow("Gemini is not mini") << "Gemini 1.5 Pro" << "frontier";
    QTest::newRow("Gemini Flash") << "Gemini 2.0 Flash" << "mini";
    QTest::newRow("Haiku") << "Claude 3.5 Haiku" << "mini";
    QTest::newRow("DeepSeek") << "DeepSeek-V3" << "open-weights";
    QTest::newRow("Qwen") << "Qwen3-235B-A22B" << "open-weights";
    QTest::newRow("o1") << "OpenAI o1" << "frontier";
}

void TestEcon::priceTier()
{
    QFETCH(QString, model);
    QFETCH(QString, tier);
    QCOMPARE(QString::fromLatin1(priceTierName(priceTierOf(model.toStdString())).data()), tier);
}

void TestEcon::revenueGapHandComputed()
{
    // Flat $100B a year, two-year life, one-year economic life, 10% WACC, 50% margin.
    std::vector<Figure> figures = {
        makeFigure("c25", "capex", "US hyperscalers", "Capex", 100e9, "USD", "2025", "reported"),
        makeFigure("c26", "capex", "US hyperscalers", "Capex guidance", 100e9, "USD", "2026",
                   "guidance"),
        // Reported revenue: the latest run-rate of each AI business, 60 + 40 = 100 in 2025.
        makeFigure("lab24", "revenue", "Lab A", "Annualized revenue run-rate", 30e9, "USD",
                   "2024-06", "reported"),
        makeFigure("lab25", "revenue", "Lab A", "Annualized revenue run-rate", 60e9, "USD",
                   "2025-06", "reported"),
        makeFigure("cloud", "revenue", "Cloud B", "AI business annual revenue run-rate", 40e9,
                   "USD", "2025-03", "estimate"),
        makeFigure("plan", "revenue", "Cloud B", "AI business annual revenue run-rate", 90e9,
                   "USD", "2025-12", "guidance"),
        // Bain's need and shortfall are claims shown beside the model, never inputs.
        makeFigure("need", "revenue", "AI compute build-out (global)",
                   "Annual revenue required by 2030", 300e9, "USD", "2030", "projection"),
        makeFigure("short", "revenue", "AI compute build-out (global)",
                   "Projected annual revenue shortfall by 2030", 100e9, "USD", "2030", "projection"),
    };
    Scenario scenario = with({{AssumptionId::CapexGrowth, 0.0},
                              {AssumptionId::DepreciationLifeYears, 2.0},
                              {AssumptionId::GpuEconomicLifeYears, 1.0},
                              {AssumptionId::Wacc, 0.10},
                              {AssumptionId::OperatingMargin, 0.5},
                              {AssumptionId::AiRevenueGrowth, 0.4}});
    auto result = computeRevenueGap(figures, scenario);
    QVERIFY(result.ok());
    // 2030: the 2029 vintage writes off its second half (50), the 2030 vintage its first half
    // (50) and keeps 50 of book value: (100 + 0.1 x 50) / 0.5 = 210.
    QVERIFY(std::abs(result->requiredRevenue2030Usd - 210e9) < 1.0);
    // Economic life one year: the 2030 vintage's remaining 50 is stranded.
    QVERIFY(std::abs(result->strandedBookValue2030Usd - 50e9) < 1.0);
    // Base 100 in 2025 grown five years at 40%: 100 x 1.4^5 = 537.824.
    QCOMPARE(result->revenueBaseYear, 2025);
    QVERIFY(std::abs(result->revenueBaseUsd - 100e9) < 1.0);
    QVERIFY(std::abs(result->projectedRevenue2030Usd - 537.824e9) < 1e3);
    QVERIFY(std::abs(result->gap2030Usd - (210e9 - 537.824e9)) < 1e3);
    QVERIFY(result->claimedRequired2030Usd && *result->claimedRequired2030Usd == 300e9);
    QVERIFY(result->claimedShortfall2030Usd && *result->claimedShortfall2030Usd == 100e9);
    // First year: one vintage, half written off, half on the books: (50 + 5) / 0.5 = 110.
    QCOMPARE(result->years.front().year, 2025);
    QVERIFY(std::abs(result->years.front().requiredRevenueUsd - 110e9) < 1.0);
    QVERIFY(result->years.front().capexCited);
    QVERIFY(!result->years.back().capexCited);

    // Without Bain's claims the model's numbers do not move.
    std::vector<Figure> withoutClaims(figures.begin(), figures.end() - 2);
    const auto unclaimed = computeRevenueGap(withoutClaims, scenario);
    QVERIFY(unclaimed.ok());
    QCOMPARE(unclaimed->gap2030Usd, result->gap2030Usd);
    QVERIFY(!unclaimed->claimedRequired2030Usd);

    // Faster growth: 100 x 1.5^5 = 759.375.
    QVERIFY(scenario.set(AssumptionId::AiRevenueGrowth, 0.5).ok());
    result = computeRevenueGap(figures, scenario);
    QVERIFY(std::abs(result->projectedRevenue2030Usd - 759.375e9) < 1e3);
}

void TestEcon::paybackHandComputed_data()
{
    QTest::addColumn<double>("revenueUsd");
    QTest::addColumn<double>("paybackYears"); // negative: no payback
    // Flat $100B a year from 2025, two-year life, margin 0.5, flat AI revenue R. The 2026 vintage
    // holds 100 of the 150 on the books at the start of 2026 and 50 of 150 at the start of 2027,
    // then is written off: it earns 0.5 R x (2/3) and then 0.5 R x (1/3).
    QTest::newRow("R 300: repaid in 2026") << 300e9 << 1.0;
    QTest::newRow("R 240: 80 then 40 of 100") << 240e9 << 1.5;
    QTest::newRow("R 210: 70 then 35 of 100") << 210e9 << 1.0 + 30.0 / 35.0;
    QTest::newRow("R 180: never") << 180e9 << -1.0;
}

void TestEcon::paybackHandComputed()
{
    QFETCH(double, revenueUsd);
    QFETCH(double, paybackYears);
    const std::vector<Figure> figures = {
        makeFigure("c25", "capex", "US hyperscalers", "Capex", 100e9, "USD", "2025", "reported"),
        makeFigure("c26", "capex", "US hyperscalers", "Capex guidance", 100e9, "USD", "2026",
                   "guidance"),
        makeFigure("rev", "revenue", "Lab A", "Annualized revenue run-rate", revenueUsd, "USD",
                   "2025", "reported"),
    };
    const Scenario scenario = with({{AssumptionId::CapexGrowth, 0.0},
                                    {AssumptionId::DepreciationLifeYears, 2.0},
                                    {AssumptionId::OperatingMargin, 0.5},
                                    {AssumptionId::AiRevenueGrowth, 0.0}});
    const auto result = computeRevenueGap(figures, scenario);
    QVERIFY(result.ok());
    QCOMPARE(result->paybackVintageYear, 2026);
    if (paybackYears < 0.0) {
        QVERIFY(!result->paybackYears.has_value());
    } else {
        QVERIFY(result->paybackYears.has_value());
        QVERIFY2(std::abs(*result->paybackYears - paybackYears) < 1e-12,
                 formatDouble(*result->paybackYears).c_str());
    }
}

void TestEcon::capexGuidanceScale()
{
    const auto figures = seedFigures();
    const Scenario scaled = with({{AssumptionId::CapexGuidanceScale, 1.02},
                                  {AssumptionId::CapexGrowth, 0.10}});
    const auto result = computeRevenueGap(figures, scaled);
    const auto base = computeRevenueGap(figures, with({{AssumptionId::CapexGrowth, 0.10}}));
    QVERIFY(result.ok() && base.ok());
    const std::vector<CapexYear> path = buildCapexPath(figures, scaled, calibration::kLastPathYear);
    QCOMPARE(path.size(), result->years.size());
    for (std::size_t i = 0; i < path.size(); ++i) {
        const RevenueGapYear &row = result->years[i];
        QCOMPARE(path[i].capexUsd, row.capexUsd);
        // Reported years stay as cited; the guided year and every year grown from it scale.
        const double expected = row.year <= 2025 ? base->years[i].capexUsd
                                                 : 707.5e9 * 1.02 * std::pow(1.1, row.year - 2026);
        QVERIFY2(std::abs(row.capexUsd - expected) <= 1e-6 * expected, std::to_string(row.year).c_str());
    }
    QVERIFY(result->requiredRevenue2030Usd > base->requiredRevenue2030Usd);
    // The cited range sets the guidance figures' own low and high; they do not move.
    QCOMPARE(result->capex2026LowUsd, 690e9);
    // The older path builder takes the guidance as cited.
    QCOMPARE(buildCapexPath(figures, 0.10, calibration::kLastPathYear)[2].capexUsd, 707.5e9);
    // Without figures the fallback's 2026 guidance scales too.
    const auto fallback = computeRevenueGap({}, scaled);
    QVERIFY(fallback.ok());
    QCOMPARE(fallback->years.at(0).capexUsd, calibration::kCapex2025Usd);
    QCOMPARE(fallback->years.at(1).capexUsd, calibration::kCapex2026Usd * 1.02);
}

void TestEcon::capexPathAddsUpTheCompanies()
{
    // Each company: four quarters of 2025 (q, q+1, q+2, q+3 billions), two guidance revisions
    // for 2026 (the later one counts) and a 2027 projection.
    std::vector<Figure> figures;
    const char *quarterly = "Capex, quarterly, cash (purchases of property and equipment)";
    double base = 10e9;
    for (const char *company : {"Alphabet", "Amazon", "Meta", "Microsoft"}) {
        const std::string name(company);
        for (int q = 1; q <= 4; ++q)
            figures.push_back(makeFigure(name + std::to_string(q), "capex", name, quarterly,
                                         base + (q - 1) * 1e9, "USD", "2025-Q" + std::to_string(q),
                                         "estimate"));
        Figure early = makeFigure(name + "-g1", "capex", name, "Capex guidance, calendar 2026",
                                  50e9, "USD", "2026", "guidance");
        early.published = "2026-01-28";
        Figure later = makeFigure(name + "-g2", "capex", name, "Capex guidance, calendar 2026",
                                  60e9, "USD", "2026", "guidance");
        later.published = "2026-04-29";
        figures.push_back(later); // input order must not decide: the later publication does
        figures.push_back(early);
        figures.push_back(makeFigure(name + "-p", "capex", name, "Capex, calendar 2027, projection",
                                     80e9, "USD", "2027", "projection"));
        base += 10e9;
    }
    // An aggregate the company sums take precedence over.
    figures.push_back(makeFigure("agg", "capex", "US hyperscalers", "Capex", 999e9, "USD", "2025"));

    const CitedCapex cited = citedCapex(figures, calibration::kLastPathYear);
    QCOMPARE(cited.years.size(), std::size_t(3));
    // 2025: per company 4b + 6e9 for b = 10, 20, 30, 40 billion: 4 x 100e9 + 4 x 6e9 = 424e9.
    QCOMPARE(cited.years[0].year, 2025);
    QVERIFY(std::abs(cited.years[0].capexUsd - 424e9) < 1.0);
    QCOMPARE(cited.years[0].figureIds.size(), std::size_t(16));
    QCOMPARE(cited.years[0].basis, CapexBasis::Measured);
    QCOMPARE(cited.years[1].year, 2026);
    QVERIFY(std::abs(cited.years[1].capexUsd - 240e9) < 1.0);
    QCOMPARE(cited.years[1].basis, CapexBasis::Guided);
    QCOMPARE(cited.years[2].year, 2027);
    QVERIFY(std::abs(cited.years[2].capexUsd - 320e9) < 1.0);
    QCOMPARE(cited.years[2].basis, CapexBasis::Projected);
    QCOMPARE(cited.firstGuidedIndex, std::size_t(1));

    // After the last cited year the path grows at capex_growth, marked as extrapolated.
    const Scenario scenario = with({{AssumptionId::CapexGrowth, 0.1}});
    const std::vector<CapexYear> path = buildCapexPath(figures, scenario, 2029);
    QCOMPARE(path.back().year, 2029);
    QVERIFY(std::abs(path.back().capexUsd - 320e9 * 1.1 * 1.1) < 1.0);
    QCOMPARE(path.back().basis, CapexBasis::Extrapolated);

    // One company without 2025 quarters: the aggregate figures are read instead.
    std::vector<Figure> partial;
    for (const Figure &figure : figures) {
        if (!(figure.entity == "Meta" && figure.period.starts_with("2025-Q")))
            partial.push_back(figure);
    }
    const CitedCapex fallback = citedCapex(partial, calibration::kLastPathYear);
    QCOMPARE(fallback.years.front().capexUsd, 999e9);
}

void TestEcon::evaluateReusesStorage()
{
    // One result object evaluated at one scenario and then another equals a fresh computation at
    // the second: nothing of the first evaluation may survive.
    const auto figures = seedFigures();
    const Scenario first = with({{AssumptionId::TokenPriceDeclinePerYear, 0.9},
                                 {AssumptionId::DemandElasticity, 0.0},
                                 {AssumptionId::DemandAdoptionGrowth, 0.0},
                                 {AssumptionId::AiRevenueGrowth, 0.8}});
    const Scenario second;

    const PreparedRevenueGap preparedGap = prepareRevenueGap(figures);
    RevenueGapResult gap;
    QVERIFY(evaluateRevenueGap(preparedGap, first, gap).ok());
    QVERIFY(gap.paybackYears.has_value());
    QVERIFY(evaluateRevenueGap(preparedGap, second, gap).ok());
    const auto freshGap = computeRevenueGap(figures, second);
    QCOMPARE(gap.years.size(), freshGap->years.size());
    for (std::size_t i = 0; i < gap.years.size(); ++i) {
        QCOMPARE(gap.years[i].requiredRevenueUsd, freshGap->years[i].requiredRevenueUsd);
        QCOMPARE(gap.years[i].strandedBookValueUsd, freshGap->years[i].strandedBookValueUsd);
    }
    QCOMPARE(gap.gap2030Usd, freshGap->gap2030Usd);
    QCOMPARE(gap.paybackYears, freshGap->paybackYears);

    const PreparedFiber preparedFiber = prepareFiberJevons(figures);
    FiberResult fiber;
    QVERIFY(evaluateFiberJevons(preparedFiber, first, fiber).ok());
    QVERIFY(fiber.strandYear.has_value());
    QVERIFY(evaluateFiberJevons(preparedFiber, second, fiber).ok());
    const auto freshFiber = computeFiberJevons(figures, second);
    QCOMPARE(fiber.strandYear, freshFiber->strandYear);
    QCOMPARE(fiber.peakIdleShare, freshFiber->peakIdleShare);
    for (std::size_t i = 0; i < fiber.years.size(); ++i) {
        QCOMPARE(fiber.years[i].cashFlowUsd, freshFiber->years[i].cashFlowUsd);
        QCOMPARE(fiber.years[i].debtServiceUsd, freshFiber->years[i].debtServiceUsd);
    }

    const PreparedCostCurves preparedCurves = prepareCostCurves(figures);
    CostCurvesResult curves;
    evaluateCostCurves(preparedCurves, first, curves);
    evaluateCostCurves(preparedCurves, second, curves);
    const auto freshCurves = computeCostCurves(figures, second);
    QCOMPARE(curves.declineCurve.size(), freshCurves->declineCurve.size());
    QCOMPARE(curves.fits.size(), freshCurves->fits.size());

    std::array<FragilityScore, kFragilityPartyCount> parties;
    QVERIFY(scoreFragilityParties(second, parties).ok());
    const auto freshFragility = computeFragility(figures, second);
    for (std::size_t p = 0; p < kFragilityPartyCount; ++p) {
        const auto name = fragilityPartyName(static_cast<FragilityParty>(p));
        QCOMPARE(parties[p].score, findParty(*freshFragility, std::string(name))->score);
    }
}

void TestEcon::tokenPriceFit()
{
    // One frontier model halving its price every year: the fit must find a 50% decline.
    std::vector<Figure> figures;
    const double prices[] = {8.0, 4.0, 2.0};
    for (int i = 0; i < 3; ++i) {
        const std::string year = std::to_string(2024 + i);
        figures.push_back(makeFigure("in" + year, "token_prices", "Alpha", "API price, input",
                                     prices[i], "USD/1M tokens", year));
        figures.push_back(makeFigure("out" + year, "token_prices", "Alpha", "API price, output",
                                     prices[i], "USD/1M tokens", year));
    }
    figures.push_back(makeFigure("lone", "token_prices", "Beta mini", "API price, input", 1.0,
                                 "USD/1M tokens", "2025"));
    const Scenario scenario = with({{AssumptionId::TokenPriceDeclinePerYear, 0.75}});
    const auto result = computeCostCurves(figures, scenario);
    QVERIFY(result.ok());
    QCOMPARE(result->prices.size(), std::size_t(3)); // the unpaired price is left out
    const TierFit &frontier = result->fits.at(0);
    QCOMPARE(frontier.tier, PriceTier::Frontier);
    QVERIFY(frontier.fitted);
    QVERIFY(std::abs(frontier.declinePerYear - 0.5) < 1e-9);
    QVERIFY(std::abs(frontier.projection.at(1).value - 0.5) < 1e-12); // 2 x (1 - 0.75)
    QVERIFY(!result->fits.at(1).fitted);
    QCOMPARE(result->fits.at(2).points, 0);
}

void TestEcon::trainingCostCurve()
{
    std::vector<Figure> figures = {
        makeFigure("gpt4", "training_cost", "GPT-4", "Training compute cost (estimate)", 78e6, "USD",
                   "2023", "estimate"),
        makeFigure("v3", "training_cost", "DeepSeek-V3", "Training cost (final run)", 5.576e6, "USD",
                   "2024-12"),
        makeFigure("hours", "training_cost", "DeepSeek-V3", "Training GPU-hours", 2.788e6,
                   "GPU-hours", "2024-12"),
    };
    const auto result = computeCostCurves(figures, Scenario());
    QVERIFY(result.ok());
    QCOMPARE(result->trainingCosts.size(), std::size_t(2));
    QVERIFY(result->reference && result->reference->figureId == "gpt4");
    QVERIFY(result->follower && result->follower->figureId == "v3");
    // 12 ln(78 / 5.576) / ln(3 x 1.32) = 23.0038 months.
    QVERIFY(std::abs(result->predictedLagMonths - 23.003802565) < 1e-6);
    // One year on the curve costs 78M / 3.96.
    const CurvePoint oneYear = result->declineCurve.at(4);
    QVERIFY(std::abs(oneYear.year - (result->reference->year + 1.0)) < 1e-12);
    QVERIFY(std::abs(oneYear.value - 78e6 / 3.96) < 1e-3);
}

void TestEcon::moatSeries()
{
    std::vector<Figure> figures = {
        makeFigure("arena", "leaderboard", "Chinese labs", "Models in the Arena top 10", 9, "count",
                   "2025-12", "estimate"),
        makeFigure("gap24", "leaderboard", "Open vs closed", "Open-vs-closed capability gap", 15,
                   "months", "2024", "estimate"),
        makeFigure("gap25", "leaderboard", "Open vs closed", "Open-vs-closed capability gap", 5,
                   "months", "2025", "reported"),
        // A belief and a plan are drawn but never fitted: with them the slope would differ.
        makeFigure("belief", "leaderboard", "Open vs closed",
                   "Open-vs-closed capability gap (believed)", 40, "months", "2025", "assumption"),
        makeFigure("plan", "leaderboard", "Open vs closed",
                   "Open-vs-closed capability gap (plan)", 1, "months", "2024", "projection"),
        makeFigure("dl", "leaderboard", "Qwen", "Share of downloads", 18.5, "%", "2026-06"),
    };
    const auto result = computeMoat(figures, Scenario());
    QVERIFY(result.ok());
    QCOMPARE(result->top10Share.size(), std::size_t(1));
    QCOMPARE(result->top10Share.front().value, 90.0);
    QCOMPARE(result->downloadShare.size(), std::size_t(1));
    QVERIFY(result->gapTrendFitted);
    // Points (2024.5, 15) and (2025.5, 5): -10 months a year, zero at 2026.0.
    QCOMPARE(result->gapMonths.size(), std::size_t(4));
    QCOMPARE(result->gapPointsFitted, 2);
    for (const MoatPoint &point : result->gapMonths)
        QCOMPARE(point.fedFit, point.figureId == "gap24" || point.figureId == "gap25");
    QVERIFY(std::abs(result->gapTrendMonthsPerYear + 10.0) < 1e-9);
    QVERIFY(result->gapClosesYear && std::abs(*result->gapClosesYear - 2026.0) < 1e-9);
}

void TestEcon::fragilityHandComputed()
{
    // A neocloud with no default risk and no life mismatch:
    // 100 x (0.25 x 0.8 + 0.15 x 0 + 0.20 x 0.25 + 0.10 x 0.5 + 0.15 x 0 + 0.15 x 0.4) = 36.
    const Scenario scenario = with({{AssumptionId::NeocloudLeverage, 0.8},
                                    {AssumptionId::NeocloudComputeExposure, 1.0},
                                    {AssumptionId::NeocloudCircularShare, 0.5},
                                    {AssumptionId::NeocloudPricedExecution, 0.4},
                                    {AssumptionId::NeocloudCdsSpreadBp, 0.0},
                                    {AssumptionId::GpuEconomicLifeYears, 6.0},
                                    {AssumptionId::DepreciationLifeYears, 6.0},
                                    {AssumptionId::TokenPriceDeclinePerYear, 0.5},
                                    {AssumptionId::DemandElasticity, 1.0}});
    const auto result = computeFragility({}, scenario);
    QVERIFY(result.ok());
    const FragilityScore *neocloud = findParty(*result, "Debt-financed neoclouds");
    QVERIFY(neocloud);
    QVERIFY(std::abs(neocloud->score - 36.0) < 1e-9);
    const double expected[] = {20.0, 0.0, 5.0, 5.0, 0.0, 6.0};
    for (std::size_t i = 0; i < kFragilityFactorCount; ++i)
        QVERIFY(std::abs(neocloud->contributions[i] - expected[i]) < 1e-9);
    double weights = 0.0;
    for (std::size_t i = 0; i < kFragilityFactorCount; ++i)
        weights += fragilityFactorWeight(static_cast<FragilityFactor>(i));
    QVERIFY(std::abs(weights - 1.0) < 1e-12);
    // Equity holders carry the highest PD among the other parties (here the model labs').
    const FragilityScore *labs = findParty(*result, "Model labs");
    const FragilityScore *equity = findParty(*result, "Equity holders");
    QVERIFY(labs && equity);
    QCOMPARE(equity->impliedPd5y, labs->impliedPd5y);
}

void TestEcon::fiberInvariants()
{
    auto figures = seedFigures();
    figures.push_back(makeFigure("lit", "fiber_analogue", "US fiber", "Share of laid fiber lit", 5,
                                 "%", "2001..2002", "estimate"));
    figures.push_back(makeFigure("lost", "fiber_analogue", "Telecom", "Market value lost", 1e12,
                                 "USD", "2000..2002", "estimate"));
    const Scenario scenario;
    const auto result = computeFiberJevons(figures, scenario);
    QVERIFY(result.ok());
    QCOMPARE(result->baseYear, 2026);
    QCOMPARE(result->litShareAtBust.size(), std::size_t(1));
    QCOMPARE(result->marketValueLost.size(), std::size_t(1));
    for (const FiberYear &row : result->years) {
        QVERIFY(row.utilisation >= 0.0 && row.utilisation <= 1.0 + 1e-12);
        QVERIFY(std::abs(row.idleShare - (1.0 - row.utilisation)) < 1e-12);
        QVERIFY(row.servedUnits <= row.demandUnits + 1e-9);
        if (row.year == result->baseYear) {
            QVERIFY(std::abs(row.capacityUnits - 1.0) < 1e-12);
            QVERIFY(std::abs(row.utilisation - scenario.value(AssumptionId::InitialUtilisation)) < 1e-12);
            const double coverage = row.cashFlowUsd / (row.depreciationUsd + row.debtServiceUsd);
            QVERIFY(std::abs(coverage - scenario.value(AssumptionId::InitialCashCoverage)) < 1e-9);
        }
    }
    // Inelastic demand and a steep price fall strand the builder within the horizon.
    const Scenario harsh = with({{AssumptionId::DemandElasticity, 0.0},
                                 {AssumptionId::DemandAdoptionGrowth, 0.0},
                                 {AssumptionId::GpuRentalPriceDeclinePerYear, 0.6}});
    const auto stranded = computeFiberJevons(figures, harsh);
    QVERIFY(stranded.ok());
    QVERIFY(stranded->strandYear.has_value());
    QVERIFY(*stranded->strandYear > stranded->baseYear);
    QVERIFY(stranded->peakIdleShare > 0.5);
}

void TestEcon::fiberDemandFollowsTheTokenPrice()
{
    // Rent falls 30% a year and algorithms gain 2x a year, so a token gets 2 / 0.7 cheaper each
    // year; with elasticity 1.5 and adoption growth 10%, token demand grows
    // 1.1 x (2 / 0.7)^1.5 a year, and the hardware it needs grows that over 2.
    const Scenario scenario = with({{AssumptionId::GpuRentalPriceDeclinePerYear, 0.3},
                                    {AssumptionId::AlgorithmicEfficiencyPerYear, 2.0},
                                    {AssumptionId::DemandElasticity, 1.5},
                                    {AssumptionId::DemandAdoptionGrowth, 0.1}});
    const auto result = computeFiberJevons(seedFigures(), scenario);
    QVERIFY(result.ok());
    const double growth = 1.1 * std::pow(2.0 / 0.7, 1.5) / 2.0;
    for (std::size_t i = 1; i < result->years.size(); ++i) {
        const FiberYear &row = result->years[i];
        const FiberYear &before = result->years[i - 1];
        QVERIFY(std::abs(row.demandUnits / before.demandUnits - growth) < 1e-9);
        QVERIFY(std::abs(row.priceIndex / before.priceIndex - 0.7) < 1e-12);
        // Revenue is rent x served units.
        QVERIFY(std::abs(row.revenueUsd / before.revenueUsd -
                         0.7 * row.servedUnits / before.servedUnits) < 1e-9);
    }
}

void TestEcon::seedClaims_data()
{
    QTest::addColumn<QString>("claim");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");
    // Bain: ~$2T a year needed by 2030 (5%), ~$800B short (10%); 2026 capex $690-725B.
    QTest::newRow("required revenue 2030") << "required2030" << 2e12 << 0.10e12;
    QTest::newRow("gap 2030") << "gap2030" << 800e9 << 80e9;
    QTest::newRow("capex 2026 low") << "capex2026low" << 690e9 << 1.0;
    QTest::newRow("capex 2026 high") << "capex2026high" << 725e9 << 1.0;
    QTest::newRow("capex 2026 in path") << "capex2026path" << 707.5e9 << 1.0;
    // CoreWeave's CDS implied ~40% five-year default probability (3 points).
    QTest::newRow("CoreWeave PD") << "coreweavePd" << 0.40 << 0.03;
}

void TestEcon::seedClaims()
{
    QFETCH(QString, claim);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    const auto figures = seedFigures();
    const Scenario scenario;
    const auto gap = computeRevenueGap(figures, scenario);
    const auto fragility = computeFragility(figures, scenario);
    QVERIFY(gap.ok() && fragility.ok());
    double actual = 0.0;
    if (claim == u"required2030") {
        actual = gap->requiredRevenue2030Usd;
    } else if (claim == u"gap2030") {
        actual = gap->gap2030Usd;
    } else if (claim == u"capex2026low") {
        actual = gap->capex2026LowUsd;
    } else if (claim == u"capex2026high") {
        actual = gap->capex2026HighUsd;
    } else if (claim == u"capex2026path") {
        for (const RevenueGapYear &row : gap->years) {
            if (row.year == 2026)
                actual = row.capexUsd;
        }
    } else {
        QCOMPARE(fragility->cds.size(), std::size_t(1));
        QCOMPARE(fragility->cds.front().entity, std::string("CoreWeave"));
        QCOMPARE(fragility->cds.front().figureId, std::string("t-cw-cds")); // the latest quote
        QCOMPARE(fragility->cds.front().citedPd5yPercent, std::optional<double>(40.0));
        actual = fragility->cds.front().impliedPd5y;
    }
    QVERIFY2(std::abs(actual - expected) <= tolerance,
             (claim.toStdString() + " = " + formatDouble(actual)).c_str());
}

void TestEcon::fragilitySeedOrder()
{
    const auto result = computeFragility(seedFigures(), Scenario());
    QVERIFY(result.ok());
    const std::vector<std::string> expected = {"Diversified hyperscalers", "Model labs",
                                               "Debt-financed neoclouds", "Equity holders"};
    QCOMPARE(partyOrder(*result), expected);
    for (std::size_t i = 1; i < result->ranking.size(); ++i)
        QVERIFY(result->ranking[i - 1].score <= result->ranking[i].score);
    const FragilityScore *coreweave = findParty(*result, "CoreWeave");
    QVERIFY(coreweave && coreweave->firm);
    QCOMPARE(coreweave->profile, std::string("Debt-financed neoclouds"));
}

void TestEcon::defaultsCalibrationWithoutFigures()
{
    // No figures at all: the documented fallbacks must still give the seed's numbers.
    const std::vector<Figure> none;
    const Scenario scenario;
    const auto gap = computeRevenueGap(none, scenario);
    QVERIFY(gap.ok());
    QVERIFY(!gap->notes.empty());
    QCOMPARE(gap->capex2026Usd, calibration::kCapex2026Usd);
    QVERIFY(std::abs(gap->requiredRevenue2030Usd - calibration::kBainRequired2030Usd) <=
            0.05 * calibration::kBainRequired2030Usd);
    QVERIFY(std::abs(gap->gap2030Usd - calibration::kBainShortfall2030Usd) <=
            0.10 * calibration::kBainShortfall2030Usd);
    QVERIFY(std::abs(gap->projectedRevenue2030Usd -
                     (calibration::kBainRequired2030Usd - calibration::kBainShortfall2030Usd)) < 1.0);
    // The registry defaults behind the calibration.
    QCOMPARE(assumption(AssumptionId::DepreciationLifeYears).defaultValue, 6.0);
    QCOMPARE(assumption(AssumptionId::OperatingMargin).defaultValue, 0.5);
    QCOMPARE(assumption(AssumptionId::RecoveryRate).defaultValue, 0.35);
    const double pd = impliedDefaultProbability(calibration::kCoreWeaveCdsSpreadBp,
                                                assumption(AssumptionId::RecoveryRate).defaultValue,
                                                5.0);
    QVERIFY(std::abs(100.0 * pd - calibration::kCoreWeaveSeedPd5yPercent) <= 3.0);
    QCOMPARE(assumption(AssumptionId::NeocloudCdsSpreadBp).defaultValue,
             std::round(calibration::kCoreWeaveCdsSpreadBp));
    const auto fragility = computeFragility(none, scenario);
    QVERIFY(fragility.ok());
    QVERIFY(fragility->cds.empty());
    const std::vector<std::string> expected = {"Diversified hyperscalers", "Model labs",
                                               "Debt-financed neoclouds", "Equity holders"};
    QCOMPARE(partyOrder(*fragility), expected);
}

void TestEcon::fasterPriceDeclineNeverLowersNeocloudFragility()
{
    for (double elasticity : {0.0, 0.5, 1.0, 1.2, 2.0, 3.0}) {
        double previous = -1.0;
        // Every slider position, up to the slider's own bound.
        const int last = int(std::lround(assumption(AssumptionId::TokenPriceDeclinePerYear).maxValue * 100.0));
        for (int step = 0; step <= last; ++step) {
            const double decline = step / 100.0;
            const Scenario scenario = with({{AssumptionId::TokenPriceDeclinePerYear, decline},
                                            {AssumptionId::DemandElasticity, elasticity}});
            const auto result = computeFragility(seedFigures(), scenario);
            QVERIFY(result.ok());
            const double score = findParty(*result, "Debt-financed neoclouds")->score;
            QVERIFY2(score >= previous - 1e-12,
                     ("e=" + formatDouble(elasticity) + " d=" + formatDouble(decline)).c_str());
            previous = score;
        }
    }
}

void TestEcon::longerEconomicLifeNeverRaisesImpairment()
{
    const auto figures = seedFigures();
    for (double lifeYears : {3.0, 6.0, 8.0}) {
        std::vector<double> previous;
        for (int step = 2; step <= 20; ++step) {
            const Scenario scenario = with({{AssumptionId::GpuEconomicLifeYears, step / 2.0},
                                            {AssumptionId::DepreciationLifeYears, lifeYears}});
            const auto result = computeRevenueGap(figures, scenario);
            QVERIFY(result.ok());
            for (std::size_t i = 0; i < result->years.size(); ++i) {
                const double stranded = result->years[i].strandedBookValueUsd;
                QVERIFY(stranded >= 0.0);
                if (!previous.empty())
                    QVERIFY(stranded <= previous[i] + 1e-3);
                if (step / 2.0 >= lifeYears)
                    QCOMPARE(stranded, 0.0);
            }
            previous.clear();
            for (const RevenueGapYear &row : result->years)
                previous.push_back(row.strandedBookValueUsd);
        }
    }
}

void TestEcon::higherRecoveryRaisesPd()
{
    for (double spreadBp : {10.0, 100.0, 643.0, 2000.0}) {
        double previous = -1.0;
        for (int step = 0; step <= 90; ++step) {
            const double pd = impliedDefaultProbability(spreadBp, step / 100.0, 5.0);
            QVERIFY(pd > previous);
            QVERIFY(pd < 1.0);
            previous = pd;
        }
    }
    // Through the model as well.
    double previous = -1.0;
    for (double recovery : {0.0, 0.2, 0.35, 0.5, 0.9}) {
        const auto result =
            computeFragility(seedFigures(), with({{AssumptionId::RecoveryRate, recovery}}));
        QVERIFY(result.ok());
        QVERIFY(result->cds.front().impliedPd5y > previous);
        previous = result->cds.front().impliedPd5y;
    }
}

void TestEcon::missingFiguresDoNotFail()
{
    // Figures of the wrong unit, unparsable periods or unknown categories are skipped.
    std::vector<Figure> odd = {
        makeFigure("bad-period", "capex", "US hyperscalers", "Capex", 1e9, "USD", "sometime"),
        makeFigure("bad-unit", "credit", "CoreWeave", "5-year CDS spread", 5, "%", "2025"),
        makeFigure("odd", "market_events", "Nvidia", "One-day loss", 589e9, "USD", "2025-01-27"),
        makeFigure("half", "token_prices", "Solo", "API price, output", 3, "USD/1M tokens", "2025"),
    };
    const Scenario scenario;
    for (const auto &figures : {std::vector<Figure>{}, odd}) {
        QVERIFY(computeRevenueGap(figures, scenario).ok());
        const auto costs = computeCostCurves(figures, scenario);
        QVERIFY(costs.ok());
        QVERIFY(!costs->notes.empty());
        QVERIFY(computeMoat(figures, scenario).ok());
        const auto fragility = computeFragility(figures, scenario);
        QVERIFY(fragility.ok());
        QVERIFY(fragility->cds.empty());
        const auto fiber = computeFiberJevons(figures, scenario);
        QVERIFY(fiber.ok());
        QCOMPARE(fiber->baseYear, calibration::kFiberBaseYear);
    }
}

void TestEcon::methodsAreWritten()
{
    for (std::string_view method : {revenueGapMethod(), costCurvesMethod(), moatMethod(),
                                    fragilityMethod(), fiberJevonsMethod()})
        QVERIFY(method.size() > 200);
}

QTEST_GUILESS_MAIN(TestEcon)
#include "test_econ.moc"
