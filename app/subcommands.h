#pragma once

#include <QStringList>

namespace cliff::app {

/// `compute-cliff figures [--category C] [--format csv|json]`: every figure with its source.
int runFigures(const QStringList &args);

/// `compute-cliff check-db [FILE]`: integrity and schema checks of a store (default: embedded).
int runCheckDb(const QStringList &args);

} // namespace cliff::app
