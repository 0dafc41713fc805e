#pragma once

#include "dataset.h"

#include "core/result.h"

#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cliff::store {

/// What an import does with one row of the file.
enum class ImportAction {
    Add,       ///< a figure new to the user database
    Replace,   ///< replaces the user's figure of the same id, whose values differ
    Unchanged, ///< the user database already holds this exact figure: nothing to write
    Shipped,   ///< the shipped store already holds this exact figure: not copied
    Reject,    ///< the row has errors and is never written
};

/// Whether an import writes nothing unless every row is valid, or writes the valid rows only.
enum class ImportMode { AllOrNothing, ValidRowsOnly };

/// One data row of an import file, read and checked.
struct ImportRow {
    int line = 0;             ///< the 1-based line the row starts on
    Figure figure;            ///< the figure as read (userOwned); complete only when valid
    ImportAction action = ImportAction::Reject;
    std::vector<Error> errors; ///< each names the file, line and column; empty unless Reject
};

/// What UserStore::importFigures wrote, in rows of the file.
struct ImportSummary {
    std::size_t added = 0;
    std::size_t replaced = 0;
    std::size_t unchanged = 0; ///< already in the user database
    std::size_t shipped = 0;   ///< already in the shipped store
    std::size_t rejected = 0;  ///< left out (ValidRowsOnly) because of errors
};

/// An import file read and checked against the shipped store and the user database; nothing is
/// written until UserStore::importFigures is given it.
struct ImportPreview {
    std::string fileName;
    std::vector<ImportRow> rows;  ///< in file order
    std::vector<Source> sources;  ///< sources the valid rows cite that the user database lacks

    /// How many rows have `action`.
    [[nodiscard]] std::size_t count(ImportAction action) const;

    /// The first error of the first rejected row, or nullptr when every row is valid.
    [[nodiscard]] const Error *firstError() const;

    /// Why an all-or-nothing import refuses this preview (the first error, how many more rows
    /// are bad, "nothing imported"), or nothing when every row is valid.
    [[nodiscard]] std::optional<Error> refusal() const;

    /// The row counts an import of this preview reports.
    [[nodiscard]] ImportSummary summary() const;
};

/// Reads CSV text with exactly the columns of listingColumns() (in any order) and checks every
/// row: the figure rules of validateFigure, numbers with '.' whatever the locale, the source
/// columns by validateSource, sources and ids consistent with `shipped`, `user` and the rows
/// above. Text cells are read through csv::textFromCell, so what figuresCsv wrote comes back
/// unchanged; comment lines (csv::isComment) before the header are skipped. A file that cannot be
/// read as such a table (not UTF-8 CSV, empty, no data rows, wrong columns) is an error naming
/// the file and line; a bad row is kept with its errors.
Result<ImportPreview> checkImport(std::string_view text, const std::string &fileName,
                                  const Dataset &shipped, const Dataset &user);

/// The largest import file read, in bytes; a larger one is refused before it is read.
inline constexpr qint64 kMaxImportFileBytes = qint64(256) << 20;

/// Reads the file at `path` (checkFileToRead's rules, at most kMaxImportFileBytes) and checks it
/// as checkImport does; errors name `path`.
Result<ImportPreview> checkImportFile(const QString &path, const Dataset &shipped,
                                      const Dataset &user);

/// The word for an action as the command line and the import dialog show it ("add", ...).
std::string_view actionName(ImportAction action);

} // namespace cliff::store
