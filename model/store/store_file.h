#pragma once

#include "dataset.h"

#include "core/result.h"

#include <QString>

#include <string>
#include <vector>

namespace cliff::store {

/// What `check-db` found in a store file: the schema version, row counts and every problem.
struct StoreReport {
    int schemaVersion = 0;
    int sourceCount = 0;
    int figureCount = 0;
    std::vector<std::string> problems; ///< empty when the file passes every check
};

/// Writes `dataset` as a new shipped store at `path`: to a temporary file first, renamed over
/// `path` only when complete, so a failure never leaves a half-written store.
Status writeStore(const QString &path, const Dataset &dataset);

/// Loads every source and figure of a shipped store, opened read-only. A file that is missing,
/// not SQLite, truncated, another application's, or of a newer schema gives an error naming the
/// file and the reason; the file is never modified.
Result<Dataset> loadStore(const QString &path);

/// Runs SQLite's integrity and foreign-key checks and re-validates every row against the
/// dataset rules, without modifying the file. An unopenable file is an error, not a report.
Result<StoreReport> checkStore(const QString &path);

/// The path of the store embedded in the application (a Qt resource path, ":/..."): loadStore,
/// checkStore and QFile read it; SQLite reads it from memory, and no copy is written anywhere.
Result<QString> embeddedStorePath();

} // namespace cliff::store
