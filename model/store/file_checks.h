#pragma once

#include "dataset.h"

#include "core/result.h"

#include <QString>

class QSqlDatabase;

namespace cliff::store {

/// An error about `path` with the given reason.
Error fileError(const QString &path, std::string message);

/// Checks what can be checked without SQLite: the file exists, is readable, starts with the
/// SQLite header and is as long as the header says (a cut-off download or copy is caught here).
Status probeSqliteFile(const QString &path);

/// Reads an integer PRAGMA, or -1 when it cannot be read.
int pragmaInt(QSqlDatabase &db, const char *name);

/// Checks the file is one of ours (application id) with a schema no newer than `newestVersion`.
Status requireCompatibleSchema(QSqlDatabase &db, const QString &path, int newestVersion);

/// Reads every source and figure from the `sources` and `figures` tables of an open store.
Result<Dataset> readDatasetTables(QSqlDatabase &db, const QString &path);

} // namespace cliff::store
