#pragma once

#include "dataset.h"
#include "figure_choice.h"
#include "figure_import.h"

#include "core/result.h"

#include <QString>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

class QSqlDatabase;

namespace cliff::store {

class Connection;

/// Opens the user database at `path` on `connection` read-only and checks it without changing a
/// byte: a regular SQLite file of ours, not damaged, of a schema no newer than this build's, with
/// every table its version should have. Returns its schema version (PRAGMA user_version).
Result<int> openUserDatabaseForReading(Connection &connection, const QString &path);

/// The user's own database (own figures, saved scenarios), separate from the shipped store.
/// Opened for writing, it is created on first use with the current schema and an older file is
/// migrated in one transaction; opened for reading, the file is never changed. A damaged,
/// foreign or newer-schema file is reported and left exactly as it was.
class UserStore {
public:
    ~UserStore();
    UserStore(UserStore &&) noexcept;
    UserStore &operator=(UserStore &&) noexcept;

    /// `<AppDataLocation>/user.sqlite`, the default place of the user database.
    static QString defaultPath();

    /// Opens the user database at `path` for writing: creates it if absent, migrates an older
    /// schema and sets journal mode WAL. Use only when something is about to be written.
    static Result<UserStore> open(const QString &path);

    /// Opens the existing user database at `path` read-only (openUserDatabaseForReading): reads
    /// never change the file, whatever its journal mode or schema version; writes are refused.
    static Result<UserStore> openForReading(const QString &path);

    /// The user's own figures and the sources they cite, each marked userOwned.
    Result<Dataset> figures();

    /// Reports import progress as rows written of rows to write; returning false cancels.
    using ImportProgress = std::function<bool(std::size_t written, std::size_t total)>;

    /// Writes the rows of `preview` to add or replace, with the sources they cite, in one
    /// transaction: all of them or, on any failure or cancel, none. AllOrNothing refuses a
    /// preview with any rejected row (the error is its first); ValidRowsOnly leaves them out.
    Result<ImportSummary> importFigures(const ImportPreview &preview, ImportMode mode,
                                        const ImportProgress &progress = {});

    /// Replaces the user's figure of the same id with `figure` (checked by validateFigure, its
    /// sources already in this database); errors name the field.
    Status updateFigure(const Figure &figure);

    /// Deletes the user's figure `id`, the sources no other figure cites and choices of it.
    Status deleteFigure(const std::string &id);

    /// Records `figure` (shipped or the user's) as the one the models read for its slot.
    Status chooseFigure(const Figure &figure);

    /// Forgets the choice for `slot`, so the user's own figure wins again.
    Status clearChoice(const FigureSlot &slot);

    /// Every recorded choice, ordered by slot (none in a database older than choices).
    Result<std::vector<FigureChoice>> choices();

    /// Saves a scenario under `name` (replacing one of that name) in one transaction.
    Status saveScenario(const std::string &name, const std::string &json);

    /// The saved scenario names, sorted.
    Result<std::vector<std::string>> scenarioNames();

    [[nodiscard]] const QString &path() const { return m_path; }

private:
    UserStore(QString path, std::unique_ptr<Connection> connection, int schemaVersion,
              bool readOnly);

    /// Runs `work` in a transaction, committed when it succeeds and rolled back otherwise.
    Status inTransaction(const std::function<Status(QSqlDatabase &)> &work);

    /// An error when the store was opened for reading only.
    [[nodiscard]] Status requireWritable() const;

    QString m_path;
    std::unique_ptr<Connection> m_connection;
    int m_schemaVersion = 0;
    bool m_readOnly = false;
};

} // namespace cliff::store
