#pragma once

#include "core/result.h"

class QSqlDatabase;

namespace cliff::store {

/// The schema version of the shipped store this build writes and reads (PRAGMA user_version).
inline constexpr int kShippedSchemaVersion = 2;

/// The newest user-database schema this build knows; older files are migrated forward.
inline constexpr int kUserSchemaVersion = 5;

/// The `meta` table's `application_id` value, so a random SQLite file is not taken for ours.
inline constexpr int kApplicationId = 0x43434C46; // "CCLF"

/// Creates the shipped store's tables in an empty database, inside the caller's transaction.
Status createShippedSchema(QSqlDatabase &db);

/// Brings a user database from its current version up to kUserSchemaVersion, one step per
/// version, in one transaction; an empty database starts at version 0.
Status migrateUserSchema(QSqlDatabase &db);

} // namespace cliff::store
