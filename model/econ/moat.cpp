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
        if (isTop10Count(figure)) {
            point.value = 10.0 * figure.value;
            if (point.low)
                point.low = 10.0 * *point.low;
            if (point.high)
                point.high = 10.0 * *point.high;
            point.unit = std::string(1, '%');
            out.top10Share.push_back(std::move(point));
        } else if (figure.unit == "%" && containsNoCase(figure.metric, "download")) {
            out.downloadShare.push_back(std::move(point));
        } else if (figure.unit == "months") {
            out.gapMonths.push_back(std::move(point));
        } else {
            out.other.push_back(std::move(point));
        }
    }
    sortByYear(out.top10Share);
    sortByYear(out.downloadShare);
    sortByYear(out.gapMonths);
    sortByYear(out.other);

    if (out.gapMonths.size() >= 2 &&
        out.gapMonths.back().year - out.gapMonths.front().year > 1e-6) {
        const auto n = static_cast<Eigen::Index>(out.gapMonths.size());
        double meanYear = 0.0;
        for (const MoatPoint &point : out.gapMonths)
            meanYear += point.year;
        meanYear /= static_cast<double>(n);
        Eigen::MatrixXd design(n, 2);
        Eigen::VectorXd months(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            const MoatPoint &point = out.gapMonths[static_cast<std::size_t>(i)];
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
        out.notes.push_back("fewer than two dated open-vs-closed gap figures; no trend fitted");
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

Open-vs-closed gap: cited estimates of how many months open-weights models trail the best closed
models (12-18 months believed in 2024; 3 to 9 months after DeepSeek-R1), with ranges as bands.
A straight line fitted by least squares gives the trend in months per year and, when the gap is
shrinking, the year the fitted line reaches zero. Counts are dated snapshots of third-party
tables; sources that disagree are all shown.)";
}

} // namespace cliff::econ
