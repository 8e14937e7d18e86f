// LogStore on a single SQLite file in WAL mode with synchronous=FULL, so that
// a committed transaction is on disk when Commit() returns.
//
// Schema (see docs/ARCHITECTURE.md):
//   log_entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL)
//   log_tiles(tile INTEGER PRIMARY KEY, hashes BLOB NOT NULL)
//       tile = (tile level << 48) | tile index
//   log_checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL)
//   log_meta(key TEXT PRIMARY KEY, value BLOB NOT NULL)
//
// One SqliteLogStore is one connection and is not thread-safe; use one per
// thread (readers never block the writer under WAL).
#pragma once

#include <memory>
#include <string>

#include "storage/log_store.h"
#include "storage/sqlite/db.h"

namespace accord::storage {

class SqliteLogStore : public LogStore {
 public:
  // Creates a new store; fails with AlreadyExists if `path` holds a log.
  static Result<std::unique_ptr<SqliteLogStore>> Create(const std::string& path);
  // Opens an existing store; fails with NotFound if there is no file and with
  // Corruption if the file is not an Accord log. With `read_only` the file is
  // opened SQLITE_OPEN_READONLY and nothing of it is changed (no pragma, no
  // WAL checkpoint or deletion on close); a -wal file whose header is
  // damaged is refused first (CheckWalFile).
  static Result<std::unique_ptr<SqliteLogStore>> Open(const std::string& path,
                                                      bool read_only = false);
  // A new store in memory, gone when closed.
  static Result<std::unique_ptr<SqliteLogStore>> CreateInMemory();

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

  // The connection, for layers above that keep their own tables in the same
  // file and transactions.
  SqliteDb& db() { return *db_; }

 private:
  friend class SqliteLogWriteTxn;
  explicit SqliteLogStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  static Status Configure(SqliteDb& db);
  std::unique_ptr<SqliteDb> db_;
  bool in_write_ = false;
};

}  // namespace accord::storage
