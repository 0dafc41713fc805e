#pragma once

#include "core/figure.h"
#include "econ/assumption_registry.h"
#include "econ/economic_view.h"

#include <map>
#include <string>
#include <vector>

namespace cliff::plot {

/// What reads one figure: the views whose charts plot or use it, and the assumptions whose
/// default value cites it (with the views that read those assumptions).
struct FigureReaders {
    std::vector<econ::EconomicView> views;        ///< in display order, each once
    std::vector<econ::AssumptionId> assumptions;  ///< in registry order, each once

    bool operator==(const FigureReaders &) const = default;
};

/// The readers of every figure some view reads, keyed by figure id: the charts of each view at
/// the default scenario (ChartSpec::figureIds) and the registry's cited figure ids. A figure no
/// view reads has no entry. A view whose model refuses the figures contributes only through its
/// assumptions.
std::map<std::string, FigureReaders> figureReaders(const std::vector<Figure> &figures);

} // namespace cliff::plot
