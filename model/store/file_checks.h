#pragma once

#include "dataset.h"

#include "core/result.h"

#include <QByteArray>
#include <QString>

class QSqlDatabase;
class QSqlQuery;

namespace cliff::store {

/// An error about `path` with the given reason.
Error fileError(const QString &path, std::string message);

/// Checks, before anything reads it, that `path` is a file we may read: it exists, is a regular
/// file (a FIFO, device, socket or folder is refused without being opened, so nothing hangs),
/// is at most `maxBytes` long when `maxBytes` is not negative, and opens for reading. A Qt
/// resource path (":/...") is the app's own and only has to exist.
Status checkFileToRead(const QString &path, qint64 maxBytes = -1);

/// The bytes of `path` after checkFileToRead(path, maxBytes), `maxBytes` >= 0; the error names
/// the file.
Result<QByteArray> readSmallFile(const QString &path, qint64 maxBytes);

/// Checks what can be checked without SQLite: checkFileToRead, then that the file starts with
/// the SQLite header and is as long as the header says (a cut-off download or copy is caught
/// here).
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
