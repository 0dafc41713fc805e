#pragma once

#include "dataset.h"

#include "core/result.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace cliff::store {

class Connection;

/// The user's own database (own figures, saved scenarios), separate from the shipped store.
/// Created on first use with the current schema; an older file is migrated in one transaction;
/// a damaged, foreign or newer-schema file is reported and left exactly as it was.
class UserStore {
public:
    ~UserStore();
    UserStore(UserStore &&) noexcept;
    UserStore &operator=(UserStore &&) noexcept;

    /// `<AppDataLocation>/user.sqlite`, the default place of the user database.
    static QString defaultPath();

    /// Opens (creating it if absent) the user database at `path`.
    static Result<UserStore> open(const QString &path);

    /// The user's own figures and the sources they cite, each marked userOwned.
    Result<Dataset> figures();

    /// Saves a scenario under `name` (replacing one of that name) in one transaction.
    Status saveScenario(const std::string &name, const std::string &json);

    /// The saved scenario names, sorted.
    Result<std::vector<std::string>> scenarioNames();

    [[nodiscard]] const QString &path() const { return m_path; }

private:
    UserStore(QString path, std::unique_ptr<Connection> connection);

    QString m_path;
    std::unique_ptr<Connection> m_connection;
};

} // namespace cliff::store
