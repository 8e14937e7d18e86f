// LogStore in a PostgreSQL database, the same four tables as SQLite's
// (storage/sqlite/log_store.h), in PostgreSQL's types:
//   log_entries(idx BIGINT PRIMARY KEY, data BYTEA NOT NULL)
//   log_tiles(tile BIGINT PRIMARY KEY, hashes BYTEA NOT NULL)
//       tile = (tile level << 48) | tile index
//   log_checkpoints(size BIGINT PRIMARY KEY, note TEXT NOT NULL)
//   log_meta(key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL)
//
// One writer at a time: a write transaction (READ COMMITTED) first takes a
// transaction-scoped advisory lock, so writers on every connection to the
// database queue there, and the size read after it is current; the primary
// key on idx is the backstop against a duplicate or lost leaf. A commit
// returns once the server has made it durable (synchronous_commit, and with
// a synchronous standby, replicated). Readers use MVCC snapshots and never
// block the writer.
//
// One PgLogStore is one server connection and is not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "storage/log_store.h"
#include "storage/postgres/pg.h"

namespace accord::storage {

class PgLogStore : public LogStore {
 public:
  // Creates the log's tables in an existing, empty database; AlreadyExists if
  // it holds any table, NotFound if there is no such database.
  static Result<std::unique_ptr<PgLogStore>> Create(const std::string& locator);
  // Opens the log of an existing database: NotFound if the database does not
  // exist or is empty, InvalidArgument if it holds tables but not a log.
  // With `read_only` every transaction of the connection is READ ONLY.
  static Result<std::unique_ptr<PgLogStore>> Open(const std::string& locator,
                                                  bool read_only = false);

  Result<uint64_t> Size() override;
  Result<std::vector<std::string>> ReadEntries(uint64_t begin, uint64_t end) override;
  Status ScanEntries(uint64_t begin, uint64_t end,
                     const std::function<Status(uint64_t, std::string_view)>& fn) override;
  Result<merkle::Tile> ReadTile(const merkle::TileId& id) override;
  Status ScanTiles(uint32_t level, const std::function<Status(const merkle::Tile&)>& fn) override;
  Result<std::optional<std::string>> GetMeta(std::string_view key) override;
  Result<std::unique_ptr<LogWriteTxn>> BeginWrite() override;
  Result<std::optional<std::string>> CheckpointAt(uint64_t size) override;
  Status ScanMeta(const std::function<Status(std::string_view, std::string_view)>& fn) override;
  Status ScanCheckpoints(const std::function<Status(uint64_t, std::string_view)>& fn) override;

  // The connection, shared with the projections and accounts.
  PgConn& conn() { return *conn_; }

 private:
  explicit PgLogStore(std::unique_ptr<PgConn> conn) : conn_(std::move(conn)) {}
  std::unique_ptr<PgConn> conn_;
};

// Advisory lock keys (pg_advisory_xact_lock), one per database.
inline constexpr int64_t kPgWriterLock = 0x6163636f72640001;  // "accord" 1: the log writer
inline constexpr int64_t kPgSchemaLock = 0x6163636f72640002;  // "accord" 2: schema changes

}  // namespace accord::storage
