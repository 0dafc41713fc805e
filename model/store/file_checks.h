#pragma once

#include "dataset.h"

#include "core/result.h"

#include <QString>

class QSqlDatabase;
class QSqlQuery;

namespace cliff::store {

/// An error about `path` with the given reason.
Error fileError(const QString &path, std::string message);

/// Checks what can be checked without SQLite: the file exists, is readable, starts with the
/// SQLite header and is as long as the header says (a cut-off download or copy is caught here).
Status probeSqliteFile(const QString &path);

/// Reads an integer PRAGMA, or -1 when it cannot be read.
int pragmaInt(QSqlDatabase &db, const char *name);

/// Checks the file is one of ours (application id) with a schema no newer than `newestVersion`;
/// returns its schema version (PRAGMA user_version). A file SQLite cannot read is refused with
/// SQLite's reason.
Result<int> requireCompatibleSchema(QSqlDatabase &db, const QString &path, int newestVersion);

/// `INSERT INTO sources` and `INSERT INTO figures` with one placeholder per column.
extern const QString kInsertSource;
extern const QString kInsertFigure;

/// Binds a source's columns, in table order, to a query prepared from kInsertSource.
void bindSource(QSqlQuery &query, const Source &source);

/// Binds a figure's columns, in table order (period_start/end from its period), to a query
/// prepared from kInsertFigure.
void bindFigure(QSqlQuery &query, const Figure &figure);

/// Reads every source and figure from the `sources` and `figures` tables of an open store.
Result<Dataset> readDatasetTables(QSqlDatabase &db, const QString &path);

} // namespace cliff::store
