#pragma once

#include "assumption_registry.h"

#include <optional>
#include <span>
#include <string_view>

namespace cliff::econ {

/// The five views backed by an economic model, in the order the app shows them.
enum class EconomicView { RevenueGap, CostCurves, Moat, Fragility, FiberJevons };

/// Every economic view, in display order.
std::span<const EconomicView> economicViews();

/// The command-line and scenario-link key: "revenue-gap", "cost-curves", "moat", "fragility",
/// "fiber".
std::string_view economicViewKey(EconomicView view);

/// The view whose key is `key`, or nothing.
std::optional<EconomicView> findEconomicView(std::string_view key);

/// The assumptions the view's model reads, in registry order; empty for a view that only plots
/// cited figures (moat).
std::span<const AssumptionId> viewAssumptions(EconomicView view);

} // namespace cliff::econ
