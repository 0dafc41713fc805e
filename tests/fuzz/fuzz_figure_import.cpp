// libFuzzer harness: the CSV importer's checks (store::checkImport) against the shipped
// datasets. Every error must name the file and a line; every row it accepts must pass the
// dataset rules on its own.
#include "store/dataset.h"
#include "store/figure_import.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace {

const cliff::store::Dataset &shipped()
{
    static const cliff::store::Dataset dataset = [] {
        auto read = cliff::store::readDatasetDir(CLIFF_DATASETS_DIR);
        if (!read) {
            std::fprintf(stderr, "%s\n", read.error().toString().c_str());
            __builtin_trap();
        }
        return std::move(read).value();
    }();
    return dataset;
}

/// A user database holding copies of a few shipped figures under ids of their own ("my-..."),
/// so that rows can also be unchanged or replace one of the user's figures.
const cliff::store::Dataset &user()
{
    static const cliff::store::Dataset dataset = [] {
        cliff::store::Dataset own;
        for (std::size_t i = 0; i < 4 && i < shipped().figures.size(); ++i) {
            cliff::Figure figure = shipped().figures[i];
            figure.id = "my-" + figure.id;
            figure.userOwned = true;
            for (const std::string *id : {&figure.sourceId, &figure.readIn}) {
                const cliff::Source *source = shipped().findSource(*id);
                if (source && !own.findSource(*id))
                    own.sources.push_back(*source);
            }
            own.figures.push_back(std::move(figure));
        }
        return own;
    }();
    return dataset;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto preview = cliff::store::checkImport(text, "fuzz.csv", shipped(), user());
    if (!preview) {
        if (preview.error().file != "fuzz.csv")
            __builtin_trap();
        return 0;
    }
    for (const cliff::store::ImportRow &row : preview->rows) {
        if (row.line < 2)
            __builtin_trap();
        const bool rejected = row.action == cliff::store::ImportAction::Reject;
        if (rejected != !row.errors.empty())
            __builtin_trap();
        for (const cliff::Error &error : row.errors) {
            if (error.file != "fuzz.csv" || error.line != row.line || error.message.empty())
                __builtin_trap();
        }
        if (!rejected && !cliff::validateFigure(row.figure))
            __builtin_trap();
    }
    for (const cliff::Source &source : preview->sources) {
        if (!cliff::validateSource(source))
            __builtin_trap();
    }
    return 0;
}
