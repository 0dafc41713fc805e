#pragma once

#include "store/bench_history.h"

#include <QJsonObject>

#include <optional>

namespace cliff::bench {
struct BenchReport;
}

namespace cliff::ui {

/// The report as `compute-cliff bench --format json` prints it: every figure, sample, the
/// scaling, the cost assumptions and the machine. Dense comparison fields are null when the
/// dense models were not run.
[[nodiscard]] QJsonObject benchReportJson(const bench::BenchReport &report);

/// The report as a run for the user database's benchmark history, with every sample and the
/// JSON report; runAtUtc is left empty for BenchHistory::save to stamp.
[[nodiscard]] store::BenchRun benchRunRecord(const bench::BenchReport &report);

/// The attention a saved run measured: its report's, or for a run saved before reports named
/// it, what its preset ran then (DeepSeek's latent attention stood in for by multi-head).
[[nodiscard]] QString savedRunAttention(const store::BenchRun &run);

/// Whether a saved run's read-only bandwidth held through the run (bench::steadyCeiling), as
/// its report says; nullopt for a run saved before each probe was kept.
[[nodiscard]] std::optional<bool> savedRunDecodeCeilingSteady(const store::BenchRun &run);

/// A saved run's decode fraction as the history lists it: two decimals, marked † when its
/// ceiling moved during the run, or "not measured" for a run saved before the read probe.
[[nodiscard]] QString savedRunDecodeFraction(const store::BenchRun &run);

} // namespace cliff::ui
