#pragma once

#include <QStringList>

namespace cliff::app {

/// `compute-cliff figures [--category C] [--format csv|json]`: every figure with its source.
int runFigures(const QStringList &args);

/// `compute-cliff check-db [FILE]`: integrity and schema checks of a store (default: embedded).
int runCheckDb(const QStringList &args);

/// `compute-cliff bench [--preset P] [--precision fp32|int8] [--threads N] [--tokens N]
/// [--repetitions N] [--format md|csv|json|jsonl|sql]`: the local MoE inference benchmark.
int runBench(const QStringList &args);

/// `compute-cliff model --view V [--set key=value ...] [--scenario FILE] --format json`: one
/// economic model's outputs at a scenario, with the assumptions used.
int runModel(const QStringList &args);

} // namespace cliff::app
