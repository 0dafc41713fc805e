// Tests of "what would it take" and "as of a date": targets parsed and refused, answers with a
// closed form (one or two assumptions that move a linear score), unreachable targets, bounds
// kept, whole-number targets checked against the models themselves, the chance against a
// uniform distribution worked out by hand, and the figures cut at a date.

#include "econ/assumption_registry.h"
#include "econ/default_distributions.h"
#include "econ/distributions.h"
#include "econ/evidence_date.h"
#include "econ/fiber_jevons.h"
#include "econ/fragility.h"
#include "econ/prediction.h"
#include "econ/scenario.h"
#include "econ/scenario_comparison.h"
#include "econ/target_solver.h"
#include "econ/view_evaluator.h"

#include "dataset_figures.h"

#include <QTest>

#include <cmath>

using namespace cliff;
using namespace cliff::econ;

namespace {

using testing::datasetFigures;
using testing::makeFigure;

// The fragility formula's weights (documented in its Method): leverage 0.25 and circular demand
// 0.10 of a 100-point score, so a score moves 25 and 10 points per unit of each.
constexpr double kLeveragePoints = 25.0;
constexpr double kCircularPoints = 10.0;

Distributions uniformRanges(std::initializer_list<std::tuple<AssumptionId, double, double>> items)
{
    Distributions ranges;
    for (const auto &[id, low, high] : items) {
        const Status status = ranges.set(id, Distribution::uniform(low, high));
        Q_ASSERT(status.ok());
    }
    return ranges;
}

double neocloudScoreAt(const Scenario &scenario)
{
    std::array<FragilityScore, kFragilityPartyCount> scores{};
    const Status status = scoreFragilityParties(scenario, scores);
    Q_ASSERT(status.ok());
    return scores[static_cast<std::size_t>(FragilityParty::Neoclouds)].score;
}

SolveTarget target(EconomicView view, const std::string &text)
{
    auto parsed = parseSolveTarget(view, text);
    if (!parsed)
        qFatal("%s", parsed.error().message.c_str());
    return *parsed;
}

void checkInsideBounds(const Scenario &scenario, EconomicView view)
{
    const auto ids = viewAssumptions(view);
    for (const Assumption &entry : assumptionRegistry()) {
        const double value = scenario.value(entry.id);
        QVERIFY2(value >= entry.minValue && value <= entry.maxValue, entry.key.data());
        if (std::find(ids.begin(), ids.end(), entry.id) == ids.end())
            QCOMPARE(value, entry.defaultValue); // only the view's own assumptions move
    }
}

} // namespace

class TestSolver : public QObject {
    Q_OBJECT

private slots:
    void parsesTargets_data();
    void parsesTargets();
    void refusesTargets_data();
    void refusesTargets();
    void oneAssumptionMovesALinearScore();
    void twoAssumptionsShareTheMoveByTheirRanges();
    void unreachableTargetGivesTheClosestPoint();
    void chanceIsTheShareOfTheRange();
    void targetThatHoldsMovesNothing();
    void strandYearTargetsHoldInTheModel_data();
    void strandYearTargetsHoldInTheModel();
    void rankTargetReordersTheParties();
    void refusesAssumptionsOfOtherViews();
    void comparisonListsDifferencesAndFlips();
    void comparisonRefusesBadCases();
    void guessesAreRead_data();
    void guessesAreRead();
    void guessesAreJudged();
    void evidenceDates_data();
    void evidenceDates();
    void evidenceAsOfCutsByPublication();
};

void TestSolver::parsesTargets_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("description");
    QTest::newRow("gap zero") << int(EconomicView::RevenueGap) << "gap_2030_usd=0"
                              << "gap_2030_usd=0" << "Revenue gap in 2030 = 0";
    QTest::newRow("lag below") << int(EconomicView::CostCurves) << "predicted_lag_months<3"
                               << "predicted_lag_months<3" << "Predicted follower lag < 3";
    QTest::newRow("strand before") << int(EconomicView::FiberJevons) << "strand_year<2029"
                                   << "strand_year<2029" << "Strand year < 2029";
    QTest::newRow("rank above") << int(EconomicView::Fragility) << "rank:neoclouds>1"
                                << "rank:neoclouds>1"
                                << "Debt-financed neoclouds no longer rank most fragile";
    QTest::newRow("rank equal") << int(EconomicView::Fragility) << "rank:hyperscalers=2"
                                << "rank:hyperscalers=2"
                                << "Diversified hyperscalers rank 2nd most fragile";
    QTest::newRow("exponent") << int(EconomicView::RevenueGap) << "gap_2030_usd<-2.5e11"
                              << "gap_2030_usd<-250000000000"
                              << "Revenue gap in 2030 < -250000000000";
}

void TestSolver::parsesTargets()
{
    QFETCH(int, view);
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    QFETCH(QString, description);
    const auto parsed = parseSolveTarget(static_cast<EconomicView>(view), text.toStdString());
    QVERIFY2(parsed.ok(), parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(QString::fromStdString(targetText(*parsed)), canonical);
    QCOMPARE(QString::fromStdString(describeTarget(*parsed)), description);
    // The canonical text reads back to the same target.
    QCOMPARE(*parseSolveTarget(static_cast<EconomicView>(view), targetText(*parsed)), *parsed);
}

void TestSolver::refusesTargets_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("named"); // the message names this
    QTest::newRow("no relation") << int(EconomicView::RevenueGap) << "gap_2030_usd" << "KEY=VALUE";
    QTest::newRow("not a number") << int(EconomicView::RevenueGap) << "gap_2030_usd=lots" << "lots";
    QTest::newRow("infinite") << int(EconomicView::RevenueGap) << "gap_2030_usd<inf" << "inf";
    QTest::newRow("unknown key") << int(EconomicView::RevenueGap) << "profit=0" << "gap_2030_usd";
    QTest::newRow("other view") << int(EconomicView::RevenueGap) << "strand_year<2029"
                                << "revenue-gap";
    QTest::newRow("rank elsewhere") << int(EconomicView::FiberJevons) << "rank:neoclouds>1"
                                    << "fragility";
    QTest::newRow("unknown party") << int(EconomicView::Fragility) << "rank:banks>1" << "banks";
    QTest::newRow("rank zero") << int(EconomicView::Fragility) << "rank:neoclouds=0" << "rank";
    QTest::newRow("rank five") << int(EconomicView::Fragility) << "rank:neoclouds>4" << "rank";
    QTest::newRow("rank half") << int(EconomicView::Fragility) << "rank:neoclouds<2.5" << "rank";
    QTest::newRow("always holds") << int(EconomicView::Fragility) << "rank:neoclouds<5"
                                  << "always holds";
    QTest::newRow("half year") << int(EconomicView::FiberJevons) << "strand_year=2030.5"
                               << "whole year";
    QTest::newRow("far year") << int(EconomicView::FiberJevons) << "strand_year<1e300" << "outside";
    QTest::newRow("moat") << int(EconomicView::Moat) << "gap_2030_usd=0" << "no headline";
}

void TestSolver::refusesTargets()
{
    QFETCH(int, view);
    QFETCH(QString, text);
    QFETCH(QString, named);
    const auto parsed = parseSolveTarget(static_cast<EconomicView>(view), text.toStdString());
    QVERIFY(!parsed.ok());
    QVERIFY2(QString::fromStdString(parsed.error().message).contains(named),
             parsed.error().message.c_str());
}

void TestSolver::oneAssumptionMovesALinearScore()
{
    // Leverage's range runs 0.6-0.8, so its 10th-90th percentile span is 0.16. Asking for 2.5
    // more points asks for 0.1 more leverage: 0.625 range units.
    const Distributions ranges = uniformRanges({{AssumptionId::NeocloudLeverage, 0.6, 0.8}});
    const Scenario start;
    const double before = neocloudScoreAt(start);
    SolveOptions options;
    options.vary = {AssumptionId::NeocloudLeverage};
    options.draws = 100;
    const SolveTarget wanted{EconomicView::Fragility, HeadlineMetric::NeocloudScore, std::nullopt,
                             TargetRelation::Equal, before + 2.5};
    const auto answer = solveTarget({}, start, ranges, wanted, options);
    QVERIFY2(answer.ok(), answer ? "" : answer.error().message.c_str());
    QVERIFY(answer->reachable);
    QVERIFY(!answer->alreadyHolds);
    QCOMPARE(answer->moves.size(), std::size_t(1));
    const AssumptionMove &move = answer->moves.front();
    QCOMPARE(move.id, AssumptionId::NeocloudLeverage);
    QCOMPARE(move.from, 0.70);
    QVERIFY2(std::abs(move.to - 0.80) < 2e-4, std::to_string(move.to).c_str());
    QVERIFY(std::abs(move.rangeSpan - 0.16) < 1e-12);
    QVERIFY(std::abs(move.rangeUnits - 0.625) < 2e-3);
    QVERIFY(std::abs(answer->distance - 0.625) < 2e-3);
    QVERIFY(std::abs(neocloudScoreAt(answer->answer) - (before + 2.5)) <= 0.005);
    // Every other assumption stays where it was.
    for (const Assumption &entry : assumptionRegistry()) {
        if (entry.id != AssumptionId::NeocloudLeverage)
            QCOMPARE(answer->answer.value(entry.id), start.value(entry.id));
    }
}

void TestSolver::twoAssumptionsShareTheMoveByTheirRanges()
{
    // In range units u, the score rises by a . u with a = (25 x 0.32, 10 x 0.32) = (8, 3.2). The
    // shortest u with a . u = c is c a / |a|^2; the target asks for 2 points more, aimed a tenth
    // of the 0.01-point resolution inside, so c = 2.001.
    const Distributions ranges = uniformRanges({{AssumptionId::NeocloudLeverage, 0.5, 0.9},
                                                {AssumptionId::NeocloudCircularShare, 0.42, 0.82}});
    const Scenario start;
    const double before = neocloudScoreAt(start);
    SolveOptions options;
    options.vary = {AssumptionId::NeocloudLeverage, AssumptionId::NeocloudCircularShare};
    options.draws = 100;
    const SolveTarget wanted{EconomicView::Fragility, HeadlineMetric::NeocloudScore, std::nullopt,
                             TargetRelation::Above, before + 2.0};
    const auto answer = solveTarget({}, start, ranges, wanted, options);
    QVERIFY(answer.ok());
    QVERIFY(answer->reachable);
    const double a1 = kLeveragePoints * 0.32;
    const double a2 = kCircularPoints * 0.32;
    const double c = 2.001;
    const double u1 = c * a1 / (a1 * a1 + a2 * a2);
    const double u2 = c * a2 / (a1 * a1 + a2 * a2);
    QCOMPARE(answer->moves.size(), std::size_t(2));
    for (const AssumptionMove &move : answer->moves) {
        const double expected = move.id == AssumptionId::NeocloudLeverage ? u1 : u2;
        QVERIFY2(std::abs(move.rangeUnits - expected) < 2e-3,
                 (std::to_string(move.rangeUnits) + " vs " + std::to_string(expected)).c_str());
    }
    QVERIFY(std::abs(answer->distance - std::hypot(u1, u2)) < 2e-3);
    QVERIFY(neocloudScoreAt(answer->answer) > before + 2.0);
}

void TestSolver::unreachableTargetGivesTheClosestPoint()
{
    // Leverage tops out at 0.95 on its slider: 25 x 0.25 = 6.25 points more, and no further.
    const Distributions ranges = uniformRanges({{AssumptionId::NeocloudLeverage, 0.6, 0.8}});
    const Scenario start;
    const double before = neocloudScoreAt(start);
    SolveOptions options;
    options.vary = {AssumptionId::NeocloudLeverage};
    options.draws = 100;
    const SolveTarget wanted{EconomicView::Fragility, HeadlineMetric::NeocloudScore, std::nullopt,
                             TargetRelation::Above, before + 10.0};
    const auto answer = solveTarget({}, start, ranges, wanted, options);
    QVERIFY(answer.ok());
    QVERIFY(!answer->reachable);
    QCOMPARE(answer->moves.size(), std::size_t(1));
    QVERIFY(answer->moves.front().atBound);
    QVERIFY(std::abs(answer->moves.front().to - 0.95) < 1e-6);
    QVERIFY(std::abs(answer->quantityAtAnswer - (before + 6.25)) < 1e-4);
    QCOMPARE(answer->chance, 0.0);
}

void TestSolver::chanceIsTheShareOfTheRange()
{
    // Above 1.25 points more is leverage above 0.75: a quarter of a uniform 0.6-0.8.
    const Distributions ranges = uniformRanges({{AssumptionId::NeocloudLeverage, 0.6, 0.8}});
    const Scenario start;
    SolveOptions options;
    options.draws = 20000;
    const SolveTarget wanted{EconomicView::Fragility, HeadlineMetric::NeocloudScore, std::nullopt,
                             TargetRelation::Above, neocloudScoreAt(start) + 1.25};
    const auto answer = solveTarget({}, start, ranges, wanted, options);
    QVERIFY(answer.ok());
    QCOMPARE(answer->draws, 20000);
    // Four standard errors of a share of 0.25 over 20,000 draws: 0.012.
    QVERIFY2(std::abs(answer->chance - 0.25) < 0.012, std::to_string(answer->chance).c_str());
    // Only leverage has a range, so it is all that may move; the rest of the view is held.
    QCOMPARE(answer->varied, std::vector<AssumptionId>{AssumptionId::NeocloudLeverage});
    QCOMPARE(answer->held.size(), viewAssumptions(EconomicView::Fragility).size() - 1);
}

void TestSolver::targetThatHoldsMovesNothing()
{
    const Scenario start;
    const Distributions ranges = defaultDistributions({});
    SolveOptions options;
    options.draws = 100;
    // At the defaults the equity holders lead, so the neoclouds already rank below first.
    const auto answer = solveTarget({}, start, ranges,
                                    target(EconomicView::Fragility, "rank:neoclouds>1"), options);
    QVERIFY(answer.ok());
    QVERIFY(answer->alreadyHolds);
    QVERIFY(answer->reachable);
    QVERIFY(answer->moves.empty());
    QCOMPARE(answer->distance, 0.0);
    QCOMPARE(answer->answer, start);
    QCOMPARE(answer->evaluations, 0);
}

void TestSolver::strandYearTargetsHoldInTheModel_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last"); // strand year wanted in [first, last]; 2036: never
    QTest::newRow("before 2029") << "strand_year<2029" << 0 << 2028;
    QTest::newRow("exactly 2031") << "strand_year=2031" << 2031 << 2031;
    QTest::newRow("never") << "strand_year>2035" << 2036 << 2036;
    // No year before the base year: only the base year's own coverage can fall short.
    QTest::newRow("in the base year") << "strand_year=2026" << 2026 << 2026;
}

void TestSolver::strandYearTargetsHoldInTheModel()
{
    QFETCH(QString, text);
    QFETCH(int, first);
    QFETCH(int, last);
    const std::vector<Figure> figures = datasetFigures();
    const Scenario start;
    const Distributions ranges = defaultDistributions(figures).centredOn(start);
    SolveOptions options;
    options.draws = 200;
    const auto answer = solveTarget(figures, start, ranges,
                                    target(EconomicView::FiberJevons, text.toStdString()), options);
    QVERIFY(answer.ok());
    QVERIFY(answer->reachable);
    checkInsideBounds(answer->answer, EconomicView::FiberJevons);
    // The strand year, recomputed by the model itself at the answer.
    const auto fiber = computeFiberJevons(figures, answer->answer);
    QVERIFY(fiber.ok());
    const int strand = fiber->strandYear.value_or(2036);
    QVERIFY2(strand >= first && strand <= last, std::to_string(strand).c_str());
    QCOMPARE(answer->quantityAtAnswer, double(strand));
    // Each move is counted in its own range's units.
    double sumSquares = 0.0;
    for (const AssumptionMove &move : answer->moves) {
        QVERIFY(std::abs(move.rangeUnits * move.rangeSpan - (move.to - move.from)) < 1e-9);
        sumSquares += move.rangeUnits * move.rangeUnits;
    }
    QVERIFY(std::abs(std::sqrt(sumSquares) - answer->distance) < 1e-9);
}

void TestSolver::rankTargetReordersTheParties()
{
    const Scenario start;
    const Distributions ranges = defaultDistributions({}).centredOn(start);
    SolveOptions options;
    options.draws = 200;
    const auto answer = solveTarget({}, start, ranges,
                                    target(EconomicView::Fragility, "rank:equity_holders>1"), options);
    QVERIFY(answer.ok());
    QVERIFY(answer->reachable);
    checkInsideBounds(answer->answer, EconomicView::Fragility);
    std::array<FragilityScore, kFragilityPartyCount> scores{};
    QVERIFY(scoreFragilityParties(answer->answer, scores).ok());
    const double equity = scores[std::size_t(FragilityParty::EquityHolders)].score;
    bool someoneAbove = false;
    for (const FragilityScore &score : scores)
        someoneAbove = someoneAbove || score.score > equity;
    QVERIFY(someoneAbove);
    QCOMPARE(answer->quantityAtAnswer, 2.0);
}

void TestSolver::refusesAssumptionsOfOtherViews()
{
    SolveOptions options;
    options.vary = {AssumptionId::Wacc};
    const auto answer = solveTarget({}, Scenario(), defaultDistributions({}),
                                    target(EconomicView::Fragility, "rank:neoclouds=1"), options);
    QVERIFY(!answer.ok());
    QVERIFY(QString::fromStdString(answer.error().message).contains(u"wacc"));
    // A fixed distribution has no range to measure the move in.
    options.vary = {AssumptionId::NeocloudLeverage};
    const auto fixed = solveTarget({}, Scenario(), Distributions(),
                                   target(EconomicView::Fragility, "rank:neoclouds=1"), options);
    QVERIFY(!fixed.ok());
    QVERIFY(QString::fromStdString(fixed.error().message).contains(u"no range"));
}

void TestSolver::comparisonListsDifferencesAndFlips()
{
    // Equity holders lead the neoclouds by 58.23 - 53.30 = 4.92 points at the defaults; a
    // quarter less leverage takes 25 x 0.25 = 6.25 points off them, so the neoclouds lead.
    Scenario lessLeverage;
    QVERIFY(lessLeverage.set(AssumptionId::EquityHolderLeverage, 0.45).ok());
    const auto comparison = compareScenarios(
        EconomicView::Fragility, {},
        {{"defaults", Scenario(), ""}, {"less leverage", lessLeverage, ""}}, "2026-12-07");
    QVERIFY(comparison.ok());
    QCOMPARE(comparison->differing, std::vector<AssumptionId>{AssumptionId::EquityHolderLeverage});
    const auto metrics = headlineMetrics(EconomicView::Fragility);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        const double change = comparison->outcomes[1].headlines[m] - comparison->outcomes[0].headlines[m];
        const double expected = metrics[m] == HeadlineMetric::EquityHolderScore ? -6.25
                                : metrics[m] == HeadlineMetric::TopPartyLeadPoints ? -6.25
                                                                                   : 0.0;
        QVERIFY2(std::abs(change - expected) < 1e-9, headlineMetricKey(metrics[m]).data());
    }
    std::vector<std::string> flipped;
    for (std::size_t s : comparison->flipped)
        flipped.push_back(comparison->outcomes[0].statements[s].key);
    // The seed's order (neoclouds below equity holders) no longer holds either.
    QCOMPARE(flipped, (std::vector<std::string>{"most_fragile_neoclouds", "most_fragile_equity_holders",
                                                "seed_order_holds"}));
    QVERIFY(!comparison->datesDiffer);
}

void TestSolver::comparisonRefusesBadCases()
{
    const ComparedCase defaults{"defaults", Scenario(), ""};
    QVERIFY(!compareScenarios(EconomicView::FiberJevons, {}, {defaults}, "2026-12-07").ok());
    QVERIFY(!compareScenarios(EconomicView::FiberJevons, {}, std::vector<ComparedCase>(5, defaults),
                              "2026-12-07")
                 .ok());
    QVERIFY(!compareScenarios(EconomicView::Moat, {}, {defaults, defaults}, "2026-12-07").ok());
    const auto badDate = compareScenarios(EconomicView::FiberJevons, {},
                                          {defaults, {"then", Scenario(), "2025-02-30"}}, "2026-12-07");
    QVERIFY(!badDate.ok());
    QVERIFY(QString::fromStdString(badDate.error().message).startsWith(u"then: "));
}

void TestSolver::guessesAreRead_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("read"); // the numbers joined by "|", or "error"
    QTest::newRow("one") << "5" << "5";
    QTest::newRow("a room") << "1, 50; 500\n7.5" << "1|50|500|7.5";
    QTest::newRow("percent") << "40%, 35 %" << "error";
    QTest::newRow("percent sign") << "40%,35%" << "40|35";
    QTest::newRow("word") << "5, lots" << "error";
    QTest::newRow("empty") << " , " << "error";
    QTest::newRow("infinite") << "inf" << "error";
    QTest::newRow("huge") << "1.5e308" << "error";
    QTest::newRow("thousands") << "1,000" << "error";
    QTest::newRow("thousands in a room") << "5, 1,200, 7" << "error";
    QTest::newRow("two guesses, no space") << "1,20" << "1|20";
}

void TestSolver::guessesAreRead()
{
    QFETCH(QString, text);
    QFETCH(QString, read);
    const auto guesses = parseGuesses(text.toStdString());
    if (read == u"error") {
        QVERIFY(!guesses.ok());
        return;
    }
    QVERIFY(guesses.ok());
    QStringList numbers;
    for (double guess : *guesses)
        numbers << QString::number(guess);
    QCOMPARE(numbers.join(u'|'), read);
}

void TestSolver::guessesAreJudged()
{
    // DeepSeek-V3's $5.576M against a class's 1, 50 and 500 (US$ millions): a factor of 500 / 1
    // spans decades, so the verdicts are factors.
    const std::vector<double> room = {1.0, 50.0, 500.0};
    QVERIFY(guessesNeedLogScale(5.576, room));
    QCOMPARE(judgeGuess(1.0, 5.576, true).text, std::string("5.58\u00d7 too low"));
    QCOMPARE(judgeGuess(50.0, 5.576, true).text, std::string("8.97\u00d7 too high"));
    QCOMPARE(judgeGuess(500.0, 5.576, true).text, std::string("89.7\u00d7 too high"));
    QCOMPARE(judgeGuess(6.0, 5.576, true).text, std::string("close")); // within 10%
    // Nine of ten against guesses of 3 and 7: no decade spanned, so differences.
    const std::vector<double> counts = {3.0, 7.0};
    QVERIFY(!guessesNeedLogScale(9.0, counts));
    QCOMPARE(judgeGuess(3.0, 9.0, false).text, std::string("6 too low"));
    QCOMPARE(judgeGuess(12.0, 9.0, false).text, std::string("3 too high"));
    // A guess of zero or below keeps the line linear.
    QVERIFY(!guessesNeedLogScale(5.0, std::vector<double>{0.0, 100.0}));
}

void TestSolver::evidenceDates_data()
{
    QTest::addColumn<QString>("published");
    QTest::addColumn<QString>("lastDay");
    QTest::newRow("day") << "2025-01-27" << "2025-01-27";
    QTest::newRow("month") << "2025-01" << "2025-01-31";
    QTest::newRow("february") << "2025-02" << "2025-02-28";
    QTest::newRow("leap february") << "2024-02" << "2024-02-29";
    QTest::newRow("year") << "2023" << "2023-12-31";
    QTest::newRow("before 1990") << "1987-10-19" << "1987-10-19";
    QTest::newRow("no 30 February") << "2025-02-30" << "";
    QTest::newRow("none") << "" << "";
    QTest::newRow("not a date") << "soon" << "";
    QTest::newRow("month 13") << "2025-13" << "";
}

void TestSolver::evidenceDates()
{
    QFETCH(QString, published);
    QFETCH(QString, lastDay);
    QCOMPARE(QString::fromStdString(lastDayOf(published.toStdString())), lastDay);
}

void TestSolver::evidenceAsOfCutsByPublication()
{
    auto dated = [](const std::string &id, const std::string &published) {
        Figure figure = makeFigure(id, "capex", "A", "Capex", 1.0, "USD", "2024");
        figure.published = published;
        return figure;
    };
    const std::vector<Figure> figures = {dated("before", "2025-01-20"), dated("on", "2025-01-27"),
                                         dated("after", "2025-01-28"), dated("month", "2025-01"),
                                         dated("year", "2024"), dated("undated", "")};
    const auto cut = evidenceAsOf(figures, "2025-01-27", "2026-12-07");
    QVERIFY(cut.ok());
    std::vector<std::string> kept;
    for (const Figure &figure : cut->figures)
        kept.push_back(figure.id);
    // "2025-01" may have appeared as late as the 31st, so it is not yet known on the 27th.
    QCOMPARE(kept, (std::vector<std::string>{"before", "on", "year"}));
    QCOMPARE(cut->publishedLater, 2);
    QCOMPARE(cut->undated, 1);
    QCOMPARE(evidenceAsOf(figures, "2025-01-31", "2026-12-07")->figures.size(), std::size_t(5));
    // On the day itself a source dated only by this month or year is in hand, so it was out.
    const std::vector<Figure> thisMonth = {dated("month", "2026-12"), dated("year", "2026")};
    QCOMPARE(evidenceAsOf(thisMonth, "2026-12-07", "2026-12-07")->figures.size(), std::size_t(2));
    QCOMPARE(evidenceAsOf(thisMonth, "2026-12-06", "2026-12-07")->figures.size(), std::size_t(0));

    for (const char *bad : {"2025-02-30", "2025-1-27", "27/01/2025", "1899-01-01", "", "2025-01-27x"})
        QVERIFY2(!evidenceAsOf(figures, bad, "2026-12-07").ok(), bad);
}

QTEST_GUILESS_MAIN(TestSolver)
#include "test_solver.moc"
