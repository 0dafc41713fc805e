#pragma once

#include "dataset.h"

#include "core/result.h"

#include <QString>

#include <optional>

namespace cliff::store {

/// The figures a session works with: the shipped store plus the user's own figures.
struct Catalog {
    Dataset figures;          ///< shipped figures first, then the user's (marked userOwned)
    QString shippedPath;      ///< the file the shipped figures came from
    std::optional<Error> userStoreProblem; ///< set when the user database could not be used
};

/// Loads the shipped store from `shippedPath` (empty: the embedded default) and, when
/// `userPath` is not empty, the user database. A user database that cannot be used is reported
/// in `userStoreProblem` and left untouched; only a bad shipped store is an error.
Result<Catalog> loadCatalog(const QString &shippedPath, const QString &userPath);

} // namespace cliff::store
