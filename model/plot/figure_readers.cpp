#include "figure_readers.h"

#include "view_plot.h"

#include <algorithm>

namespace cliff::plot {
namespace {

template <class T>
void addOnce(std::vector<T> &list, T item)
{
    if (std::find(list.begin(), list.end(), item) == list.end())
        list.push_back(item);
}

/// The rank of `view` in display order, for sorting.
std::size_t rank(econ::EconomicView view)
{
    const auto views = econ::economicViews();
    return std::size_t(std::find(views.begin(), views.end(), view) - views.begin());
}

} // namespace

std::map<std::string, FigureReaders> figureReaders(const std::vector<Figure> &figures)
{
    std::map<std::string, FigureReaders> readers;
    for (econ::EconomicView view : econ::economicViews()) {
        if (auto plot = buildViewPlot(view, figures, econ::Scenario{})) {
            for (const ChartSpec &chart : plot->charts) {
                for (const std::string &id : chart.figureIds)
                    addOnce(readers[id].views, view);
            }
        }
        for (econ::AssumptionId id : econ::viewAssumptions(view)) {
            for (const std::string &figureId : econ::sourceFigureIds(econ::assumption(id))) {
                FigureReaders &entry = readers[figureId];
                addOnce(entry.views, view);
                addOnce(entry.assumptions, id);
            }
        }
    }
    for (auto &[id, entry] : readers) {
        std::sort(entry.views.begin(), entry.views.end(),
                  [](auto a, auto b) { return rank(a) < rank(b); });
        std::sort(entry.assumptions.begin(), entry.assumptions.end());
    }
    return readers;
}

} // namespace cliff::plot
