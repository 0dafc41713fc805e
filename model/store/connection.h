#pragma once

#include "core/result.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringView>

namespace cliff::store {

/// The Qt resource path of the shipped store compiled into the app. Connection opens it from
/// memory, read-only; it is never copied to a file.
inline constexpr QStringView kEmbeddedStoreResource = u":/data/compute-cliff.sqlite";

/// A uniquely named SQLite connection that is closed and unregistered when it goes out of scope.
/// Used only on the thread that opened it, as QtSql requires.
class Connection {
public:
    enum class Mode { ReadOnly, ReadWrite };

    Connection();
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    /// Opens `path`; ReadOnly never creates or changes the file (SQLite's read-only open) and
    /// has read its schema once it succeeds, so a file SQLite cannot read fails here with
    /// SQLite's reason. kEmbeddedStoreResource opens the embedded store, ReadOnly only.
    Status open(const QString &path, Mode mode);

    QSqlDatabase &db() { return m_db; }

private:
    Status openAs(const QString &name, const QString &options, const QString &path);
    Status readSchema(const QString &path);

    QString m_name;
    QSqlDatabase m_db;
};

} // namespace cliff::store
