// libFuzzer harness: the figures listing (store::figuresCsv) read back by the importer
// (store::checkImport). The input makes figures and sources with arbitrary text; those valid by
// the dataset rules must come back from the listing exactly as they went in, and no text cell of
// the listing may start a spreadsheet formula.
#include "core/csv.h"
#include "core/figure.h"
#include "store/dataset.h"
#include "store/figure_import.h"
#include "store/figure_listing.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// Arbitrary text the listing must carry: every ASCII byte but NUL (which a text file cannot
/// hold, so the reader refuses it), and bytes above 0x7F as whole UTF-8 characters (the reader
/// refuses malformed UTF-8), including the curly quotes and dashes the datasets use.
std::string text(FuzzedDataProvider &data, std::size_t maxLength)
{
    static constexpr std::string_view kWide[] = {"\u2013", "\u201c", "\u201d", "\u00e9", "\u00a0",
                                                 "\U0001F4C8", "\uFF1D"};
    std::string out;
    for (const char c : data.ConsumeRandomLengthString(maxLength)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0)
            out += '=';
        else if (byte < 0x80)
            out += c;
        else
            out += kWide[byte % std::size(kWide)];
    }
    return out;
}

/// A word of `words`, chosen by the input.
template <class Words>
std::string pick(FuzzedDataProvider &data, const Words &words)
{
    const std::size_t index = data.ConsumeIntegralInRange<std::size_t>(0, std::size(words) - 1);
    return std::string(words[index]);
}

/// An id from the input when it is a plain id, else `fallback`, so most inputs make valid rows.
std::string id(FuzzedDataProvider &data, const std::string &fallback)
{
    std::string made = text(data, 16);
    return cliff::isPlainId(made) ? made : fallback;
}

void requireSpreadsheetSafe(const std::string &listing)
{
    auto records = cliff::csv::parse(listing, "listing.csv");
    if (!records || records->empty())
        __builtin_trap();
    const std::vector<std::string> &header = records->front().fields;
    for (std::size_t r = 1; r < records->size(); ++r) {
        const std::vector<std::string> &cells = (*records)[r].fields;
        if (cells.size() != header.size())
            __builtin_trap();
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string &cell = cells[c];
            if (cell.empty())
                continue;
            if (header[c] == "value" || header[c] == "low" || header[c] == "high") {
                if (!cliff::store::parseNumber(cell))
                    __builtin_trap();
            } else if (std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
                __builtin_trap();
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    FuzzedDataProvider data(bytes, size);
    static constexpr std::string_view kPeriods[] = {"2025", "FY2024", "2025-Q3", "2025-07",
                                                    "2025-01-27", "2024..2026"};
    static constexpr std::string_view kPublished[] = {"", "2025", "2025-02", "2025-02-05"};

    cliff::store::Dataset listed;
    const std::size_t sourceCount = data.ConsumeIntegralInRange<std::size_t>(1, 3);
    for (std::size_t i = 0; i < sourceCount; ++i) {
        cliff::Source source;
        source.id = id(data, "s" + std::to_string(i));
        source.title = text(data, 40);
        source.publisher = text(data, 40);
        // Unique, so no source takes another's URL; the tail is free text.
        source.url = "https://example.org/" + std::to_string(i) + "/" + text(data, 20);
        source.published = pick(data, kPublished);
        source.sourceKind = pick(data, cliff::sourceKinds());
        if (cliff::validateSource(source) && !listed.findSource(source.id))
            listed.sources.push_back(std::move(source));
    }
    if (listed.sources.empty())
        return 0;

    const std::size_t figureCount = data.ConsumeIntegralInRange<std::size_t>(1, 4);
    const auto find = [&listed](const std::string &sourceId) { return listed.findSource(sourceId); };
    for (std::size_t i = 0; i < figureCount; ++i) {
        cliff::Figure figure;
        figure.id = id(data, "f" + std::to_string(i));
        figure.category = pick(data, cliff::figureCategories());
        figure.entity = text(data, 40);
        figure.metric = text(data, 40);
        const int low = data.ConsumeIntegralInRange<int>(0, 1000000);
        if (data.ConsumeBool()) {
            const int high = low + data.ConsumeIntegralInRange<int>(0, 1000);
            figure.low = low;
            figure.high = high;
            figure.quoted = std::to_string(low) + " to " + std::to_string(high);
        } else {
            figure.quoted = std::to_string(low);
        }
        figure.value = low;
        figure.unit = pick(data, cliff::figureUnits());
        figure.period = pick(data, kPeriods);
        figure.kind = pick(data, cliff::figureKinds());
        figure.sourceId = listed.sources[data.ConsumeIntegralInRange<std::size_t>(
                                             0, listed.sources.size() - 1)].id;
        if (data.ConsumeBool())
            figure.readIn = listed.sources[data.ConsumeIntegralInRange<std::size_t>(
                                               0, listed.sources.size() - 1)].id;
        figure.quote = text(data, 30) + figure.quoted + text(data, 30);
        figure.note = text(data, 60);
        figure.userOwned = true;
        if (cliff::validateFigure(figure) && cliff::store::checkFigureSources(figure, find)
            && !listed.findFigure(figure.id))
            listed.figures.push_back(std::move(figure));
    }
    // A listing row carries only its own source's columns, so a seed a figure was read in must be
    // some row's source (or already known to the importer, which here knows none).
    for (bool dropped = true; dropped;) {
        std::set<std::string> sourced;
        for (const cliff::Figure &figure : listed.figures)
            sourced.insert(figure.sourceId);
        dropped = std::erase_if(listed.figures, [&sourced](const cliff::Figure &figure) {
                      return !figure.readIn.empty() && !sourced.count(figure.readIn);
                  }) > 0;
    }
    if (listed.figures.empty())
        return 0;

    std::vector<const cliff::Figure *> rows;
    std::set<std::string> cited;
    for (const cliff::Figure &figure : listed.figures) {
        rows.push_back(&figure);
        cited.insert(figure.sourceId);
        if (!figure.readIn.empty())
            cited.insert(figure.readIn);
    }
    const std::string listing = cliff::store::figuresCsv(listed, rows);
    requireSpreadsheetSafe(listing);

    auto preview = cliff::store::checkImport(listing, "listing.csv", {}, {});
    if (!preview || preview->firstError() || preview->rows.size() != listed.figures.size())
        __builtin_trap();
    for (std::size_t i = 0; i < listed.figures.size(); ++i) {
        const cliff::store::ImportRow &row = preview->rows[i];
        if (row.action != cliff::store::ImportAction::Add || !(row.figure == listed.figures[i]))
            __builtin_trap();
    }
    if (preview->sources.size() != cited.size())
        __builtin_trap();
    for (const cliff::Source &source : preview->sources) {
        const cliff::Source *original = listed.findSource(source.id);
        if (!original || !(source == *original))
            __builtin_trap();
    }
    return 0;
}
