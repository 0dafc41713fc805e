#pragma once

#include "core/figure.h"
#include "core/result.h"

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cliff::store {

/// Figures with the sources they cite: what a store file or a datasets/ folder holds.
struct Dataset {
    std::vector<Source> sources;
    std::vector<Figure> figures;
    /// Where each row was read, by id ("figure:ID" or "source:ID"), when read from CSV files;
    /// cross-row errors name the file and line from here.
    std::map<std::string, std::pair<std::string, int>> origins;

    /// The source with this id, or nullptr.
    [[nodiscard]] const Source *findSource(const std::string &id) const;

    /// The figure with this id, or nullptr.
    [[nodiscard]] const Figure *findFigure(const std::string &id) const;

    /// Other figures for the same entity, metric and unit whose periods overlap `figure`'s:
    /// where sources agree or disagree on one number.
    [[nodiscard]] std::vector<const Figure *> alternativesTo(const Figure &figure) const;
};

/// Sets each figure's `published` to its source's publication date.
void fillPublished(Dataset &dataset);

/// The column names of datasets/sources/*.csv and datasets/figures/*.csv, in order.
const std::vector<std::string> &sourceColumns();
const std::vector<std::string> &figureColumns();

/// Reads every sources/*.csv and figures/*.csv under `dir` (files in name order), validating
/// each row; the first bad row gives an error naming its file, line and field.
Result<Dataset> readDatasetDir(const std::filesystem::path &dir);

/// A source from fields in sourceColumns() order, checked by validateSource; errors name the field.
Result<Source> sourceFromFields(const std::vector<std::string> &fields);

/// A figure from fields in figureColumns() order: numbers read with parseNumber, the row checked
/// by validateFigure; errors name the field (the caller adds the file and line).
Result<Figure> figureFromFields(const std::vector<std::string> &fields);

/// The per-figure part of checkReferences: source_id resolves through `find` (to a source with a
/// URL unless the figure is an assumption) and read_in, when set, to a seed source.
Status checkFigureSources(const Figure &figure,
                          const std::function<const Source *(const std::string &)> &find);

/// Cross-row rules: unique ids, every source_id and read_in resolves (read_in to a seed), no
/// two sources share a URL, no source is cited by no figure.
Status checkReferences(const Dataset &dataset);

/// The provenance rules of datasets/README.md that look across rows: a reported figure cites a
/// primary or secondary source; every also_in id names a source; one number is one figure (no two
/// figures of one entity, metric and unit over overlapping periods where one value is a rounding
/// of the other); one unit per metric; a reported figure's period does not start after its
/// source was published. The error names the rule, and the file and line where known.
Status checkProvenance(const Dataset &dataset);

/// Text for a double that reads back to the same double ("5576000", "0.55", "1.5e+12").
std::string formatNumber(double value);

/// Parses a whole field as a finite decimal number with '.' as the decimal point, whatever the
/// locale; rejects empty text, trailing characters, NaN and infinities.
std::optional<double> parseNumber(const std::string &text);

} // namespace cliff::store
