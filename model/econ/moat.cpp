#include "moat.h"

#include "figure_query.h"

#include <Eigen/Dense>

#include <algorithm>

namespace cliff::econ {

namespace {

bool isTop10Count(const Figure &figure)
{
    return figure.unit == "count" &&
           (containsNoCase(figure.metric, "top 10") || containsNoCase(figure.metric, "top-10") ||
            containsNoCase(figure.metric, "top ten"));
}

/// A cited open-vs-closed gap in months (beliefs and plans included; only measurements are fitted).
bool isOpenClosedGap(const Figure &figure)
{
    return figure.unit == "months" && startsWith(figure.metric, "Open-vs-closed capability gap");
}

bool isArenaScore(const Figure &figure)
{
    return figure.unit == "points" && startsWith(figure.metric, "Arena score (Elo)");
}

void sortByYear(std::vector<MoatPoint> &points)
{
    std::stable_sort(points.begin(), points.end(),
                     [](const MoatPoint &a, const MoatPoint &b) { return a.year < b.year; });
}

} // namespace

Result<MoatResult> computeMoat(const std::vector<Figure> &figures, const Scenario &)
{
    MoatResult out;
    for (const Figure &figure : figures) {
        if (figure.category != "leaderboard")
            continue;
        const auto year = periodMidYear(figure);
        if (!year)
            continue;
        MoatPoint point{figure.id, figure.entity, figure.metric, *year, figure.value,
                        figure.low, figure.high, figure.unit};
        if (isTop10Count(figure) && !containsNoCase(figure.entity, "proprietary")
            && !containsNoCase(figure.entity, "closed")) {
            point.value = 10.0 * figure.value;
            if (point.low)
                point.low = 10.0 * *point.low;
            if (point.high)
                point.high = 10.0 * *point.high;
            point.unit = std::string(1, '%');
            out.top10Share.push_back(std::move(point));
        } else if (figure.unit == "%" && containsNoCase(figure.metric, "download")) {
            out.downloadShare.push_back(std::move(point));
        } else if (isOpenClosedGap(figure)) {
            point.fedFit = isMeasurement(figure);
            out.gapMonths.push_back(std::move(point));
        } else if (isArenaScore(figure) && figure.entity == "Top model overall") {
            out.topScore.push_back(std::move(point));
        } else if (isArenaScore(figure) && figure.entity == "Top open-weights model") {
            out.topOpenScore.push_back(std::move(point));
        } else {
            out.other.push_back(std::move(point));
        }
    }
    sortByYear(out.top10Share);
    sortByYear(out.downloadShare);
    sortByYear(out.gapMonths);
    sortByYear(out.topScore);
    sortByYear(out.topOpenScore);
    sortByYear(out.other);

    std::vector<const MoatPoint *> measured;
    for (const MoatPoint &point : out.gapMonths) {
        if (point.fedFit)
            measured.push_back(&point);
    }
    out.gapPointsFitted = static_cast<int>(measured.size());
    if (measured.size() >= 2 && measured.back()->year - measured.front()->year > 1e-6) {
        const auto n = static_cast<Eigen::Index>(measured.size());
        double meanYear = 0.0;
        for (const MoatPoint *point : measured)
            meanYear += point->year;
        meanYear /= static_cast<double>(n);
        Eigen::MatrixXd design(n, 2);
        Eigen::VectorXd months(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            const MoatPoint &point = *measured[static_cast<std::size_t>(i)];
            design(i, 0) = 1.0;
            design(i, 1) = point.year - meanYear;
            months(i) = point.value;
        }
        const Eigen::Vector2d beta = design.colPivHouseholderQr().solve(months);
        out.gapTrendFitted = true;
        out.gapTrendReferenceYear = meanYear;
        out.gapTrendInterceptMonths = beta(0);
        out.gapTrendMonthsPerYear = beta(1);
        if (beta(1) < 0.0 && beta(0) > 0.0)
            out.gapClosesYear = meanYear - beta(0) / beta(1);
    } else {
        for (MoatPoint &point : out.gapMonths)
            point.fedFit = false;
        out.gapPointsFitted = 0;
        out.notes.push_back("fewer than two dated measurements of the open-vs-closed gap; no trend "
                            "fitted");
    }
    if (out.top10Share.empty())
        out.notes.push_back("no top-10 leaderboard counts in the figures");
    return out;
}

std::string_view moatMethod()
{
    return R"(Leaderboard share: each cited count of models in a leaderboard's top 10 (for example
Chinese labs holding 9 of the Arena top 10 in December 2025) is shown as a share of the ten
places, at the middle of its period. Download share: cited shares of open-weights downloads.

Open-vs-closed gap: cited figures for how many months open-weights models trail the best closed
models, with ranges as bands. A straight line is fitted by least squares through the
measurements only (figures of kind reported or estimate, each at the middle of its period).
Beliefs, plans and assumptions are drawn hollow and never fitted. The line gives the trend in
months per year and, when the gap is shrinking, the year it reaches zero.

Arena scores: the leaderboard's own score of the best model overall and of the best
open-weights model at dated snapshots; the distance between the two lines is the gap in score
points. Counts are dated snapshots of the leaderboard; sources that disagree are all shown.)";
}

} // namespace cliff::econ
