// One registry database and the factory that opens it from a locator, the
// `--db` argument of every command.
//
// A Database bundles the three stores of a node: the log (log_store.h), the
// projections (entity_store.h) and the accounts (account_store.h). The log
// and the projections share one connection and so one write transaction: an
// EntityStore write made inside a LogStore::BeginWrite() transaction commits
// or rolls back with it. A Database is one connection and is not
// thread-safe: open one per thread (readers never block the single writer).
//
// Locators:
//   a file path, e.g. registry.db       SQLite (storage/sqlite/), the default
//   postgresql://user@host:port/dbname  PostgreSQL (storage/postgres/, libpq
//   postgres://...                      URI syntax). The database must exist
//                                       (createdb); the password comes from
//                                       PGPASSWORD or ~/.pgpass, and a URI
//                                       that carries one is refused
// Layers above this one never name a backend: they pass the locator along.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "storage/account_store.h"
#include "storage/entity_store.h"
#include "storage/log_store.h"
#include "util/status.h"

namespace accord::storage {

enum class Backend { kSqlite, kPostgres };

class Database {
 public:
  virtual ~Database() = default;

  virtual LogStore& log() = 0;
  // Same connection and transactions as log().
  virtual EntityStore& entities() = 0;
  virtual AccountStore& accounts() = 0;
  virtual Backend backend() const = 0;
  // The locator it was opened from, for messages (never holds a password:
  // PostgreSQL takes it from PGPASSWORD or .pgpass).
  virtual const std::string& locator() const = 0;
};

// Which backend a locator names. InvalidArgument for an empty locator or a
// URI scheme no backend knows (e.g. "mysql://").
Result<Backend> BackendOf(std::string_view locator);

// Creates a new, empty database holding the log's tables. AlreadyExists if
// the locator names a database that already holds anything, Accord's or not:
// an existing file is never taken over.
Result<std::unique_ptr<Database>> CreateDatabase(std::string_view locator);
// How a database is opened. kReadOnly never changes the database it opens:
// SQLite opens the file with SQLITE_OPEN_READONLY, sets no pragma, never
// checkpoints or deletes its write-ahead log (-wal), and first refuses a
// -wal whose header is damaged (the transactions in it would silently be
// lost; storage/sqlite/wal_check.h); PostgreSQL runs every transaction READ
// ONLY. Every write through a read-only database fails.
enum class OpenMode { kReadWrite, kReadOnly };

// Opens an existing database. NotFound if there is none; InvalidArgument if
// it exists but is not an Accord log. Opening never writes to a database
// that is not an Accord log.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view locator,
                                               OpenMode mode = OpenMode::kReadWrite);

// A new, empty database with the log's tables, in memory (SQLite) and gone
// when closed: where a check replays a log without touching the database it
// checks (Registry::CheckProjections).
Result<std::unique_ptr<Database>> CreateScratchDatabase();

}  // namespace accord::storage
