#pragma once

namespace cliff::econ::calibration {

// Fallbacks used when the figures passed to a model lack a number; each repeats a cited figure
// (id in the comment) so that the models give the seed's answer even on an empty store.

/// 2025 combined capex of Alphabet, Amazon, Meta and Microsoft, USD (big4-capex-2025-aggregator).
inline constexpr double kCapex2025Usd = 410e9;
/// 2026 US hyperscaler capex guidance midpoint and range, USD (us-hyperscaler-capex-2026-whitepaper).
inline constexpr double kCapex2026Usd = 707.5e9;
inline constexpr double kCapex2026LowUsd = 690e9;
inline constexpr double kCapex2026HighUsd = 725e9;
/// Bain: annual revenue needed by 2030, USD (bain-ai-revenue-needed-2030-whitepaper).
inline constexpr double kBainRequired2030Usd = 2e12;
/// Bain: projected shortfall against that need in 2030, USD (bain-ai-revenue-shortfall-2030-whitepaper).
inline constexpr double kBainShortfall2030Usd = 800e9;
/// The year Bain's need and shortfall refer to.
inline constexpr int kHorizonYear = 2030;
/// First year of the projected-revenue path; its base is back-cast from Bain's implied 2030 revenue.
inline constexpr int kRevenueBaseYear = 2025;
/// Last year the yearly paths run to.
inline constexpr int kLastPathYear = 2035;
/// Year the fiber/Jevons model sets its revenue level in when no capex figure is cited: the
/// 2026 guidance year.
inline constexpr int kFiberBaseYear = 2026;
/// The seed's reading of CoreWeave's CDS: ~40% five-year default probability, Dec 2025
/// (coreweave-implied-pd-whitepaper), in percent.
inline constexpr double kCoreWeaveSeedPd5yPercent = 40.0;
/// CoreWeave 5-year CDS spread on 2025-12-05, bp (coreweave-cds-2025-12-05).
inline constexpr double kCoreWeaveCdsSpreadBp = 642.965;

} // namespace cliff::econ::calibration
