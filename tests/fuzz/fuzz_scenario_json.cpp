// libFuzzer harness: the scenario JSON reader (nlohmann-json underneath) through
// Scenario::applyJson and Distributions::applyJson on arbitrary bytes. Besides not crashing, a
// failed apply must leave its target unchanged, every value must stay inside its range and
// every distribution must stay valid.
#include "econ/distributions.h"
#include "econ/scenario.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    cliff::econ::Scenario scenario;
    const cliff::econ::Scenario before = scenario;
    const cliff::Status applied = scenario.applyJson(text);
    if (!applied && !(scenario == before))
        __builtin_trap();
    if (!applied && applied.error().message.empty())
        __builtin_trap();
    for (const cliff::econ::Assumption &entry : cliff::econ::assumptionRegistry()) {
        const double value = scenario.value(entry.id);
        if (!(value >= entry.minValue && value <= entry.maxValue))
            __builtin_trap();
    }

    cliff::econ::Distributions distributions;
    const cliff::econ::Distributions unchanged = distributions;
    const cliff::Status read = distributions.applyJson(text);
    if (!read && !(distributions == unchanged))
        __builtin_trap();
    for (const cliff::econ::Assumption &entry : cliff::econ::assumptionRegistry()) {
        if (!cliff::econ::validateDistribution(entry.id, distributions.get(entry.id)))
            __builtin_trap();
    }
    return 0;
}
