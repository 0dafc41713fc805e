#pragma once

#include "dataset.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace cliff::store {

/// The columns of `compute-cliff figures --format csv`: the figure's own columns, its source's,
/// and `origin` (`shipped` or `user`). The same columns are read back by the importer.
const std::vector<std::string> &listingColumns();

/// The figures (in the dataset's order) with their sources as RFC 4180 CSV with a header row;
/// text cells are spreadsheet-safe (csv::textCell), and checkImport reads them back unchanged.
std::string figuresCsv(const Dataset &dataset, const std::vector<const Figure *> &figures);

/// The same rows as a JSON array of objects keyed by listingColumns(); numbers stay numbers.
QByteArray figuresJson(const Dataset &dataset, const std::vector<const Figure *> &figures);

} // namespace cliff::store
