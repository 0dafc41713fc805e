#pragma once

#include "export_subject.h"

#include <string>
#include <vector>

namespace cliff::plot {

/// The column names of plotCsv's data rows, in order.
const std::vector<std::string> &plotCsvColumns();

/// The plotted data of the subject's charts as RFC 4180 CSV (CRLF line ends): a block of "# "
/// comment lines (csv::formatComment: each one quoted field) naming the app, view, charts, axes,
/// scenario link, changed assumptions and every cited source and the user's own figures, then a
/// header row and one row per plotted value and per reference line, each with its origin
/// (shipped, user, or empty for model output). Numbers are the shortest text that reads back to
/// the same double; text cells are spreadsheet-safe (csv::textCell); no timestamp, so the same
/// subject gives the same bytes.
std::string plotCsv(const ExportSubject &subject);

} // namespace cliff::plot
