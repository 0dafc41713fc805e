#pragma once

#include "command_line.h"

#include "econ/distributions.h"
#include "econ/economic_view.h"

#include "core/figure.h"

#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <vector>

namespace cliff::app {

/// What `model` was asked to add about uncertainty: Monte Carlo draws and seed, tornado swings.
struct UncertaintyRequest {
    std::optional<int> draws;
    std::uint64_t seed = 1;
    bool tornado = false;

    [[nodiscard]] bool any() const { return draws.has_value() || tornado; }
};

/// Reads a number of draws from `drawsOption` (1 to econ::kMaxMonteCarloDraws) and a seed from
/// --seed into the given places, each only when given; prints the error and returns false on bad
/// usage.
bool readDrawOptions(const ParsedOptions &options, const QString &drawsOption,
                     std::optional<int> &draws, std::uint64_t &seed);

/// The request in --monte-carlo N, --seed S and --tornado; on bad usage prints one line and
/// returns nothing.
std::optional<UncertaintyRequest> parseUncertaintyOptions(const ParsedOptions &options,
                                                          econ::EconomicView view);

/// The distributions uncertainty is drawn from: the defaults derived from `figures`, centred on
/// `scenario`, overridden by the "distributions" of the scenario file in `given`. Prints the
/// error (naming the file) and returns nothing when the file's distributions are invalid.
std::optional<econ::Distributions> commandDistributions(const std::vector<Figure> &figures,
                                                       const econ::Scenario &scenario,
                                                       const CommandScenario &given);

/// Adds "distributions" (beside "assumptions", in the form a scenario file is read back from),
/// "monte_carlo" and "tornado" members to `document` as requested, over commandDistributions().
/// Prints the error and returns the exit code on failure, ExitOk otherwise.
int addUncertainty(QJsonObject &document, const UncertaintyRequest &request,
                   econ::EconomicView view, const std::vector<Figure> &figures,
                   const CommandScenario &given);

} // namespace cliff::app
