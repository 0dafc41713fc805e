#pragma once

#include "command_line.h"

#include "econ/scenario_comparison.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace cliff::app {

/// The cases named on a command line, each SOURCE or SOURCE@YYYY-MM-DD: SOURCE is "defaults",
/// "story:N" (a step of the guided story, 1 to 5), a scenario link ("compute-cliff:view=..."),
/// or a scenario JSON file; the date cuts that case's evidence, else the file's own "as_of",
/// else `defaultAsOf` when set. Prints the error and returns nothing with `exitCode` set on bad
/// input (ExitUsage for a bad source or date, ExitFailure for an unreadable file).
std::optional<std::vector<econ::ComparedCase>> readComparedCases(
    const QStringList &sources, const std::optional<QString> &defaultAsOf, int &exitCode);

} // namespace cliff::app
