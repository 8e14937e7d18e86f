#include "storage/sqlite/log_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storage/sqlite/wal_check.h"

namespace accord::storage {
namespace {

constexpr int kTileLevelShift = 48;

int64_t TileKey(const merkle::TileId& id) {
  return static_cast<int64_t>((uint64_t{id.level} << kTileLevelShift) | id.index);
}

merkle::TileId TileIdFromKey(int64_t key) {
  auto k = static_cast<uint64_t>(key);
  return {static_cast<uint32_t>(k >> kTileLevelShift), k & ((uint64_t{1} << kTileLevelShift) - 1)};
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS log_entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS log_tiles(tile INTEGER PRIMARY KEY, hashes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS log_checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log_meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
)sql";

// Reads shared by the store and its write transaction (same connection).
class SqliteReads {
 public:
  explicit SqliteReads(SqliteDb& db) : db_(db) {}

  Result<uint64_t> Size() {
    ASSIGN_OR_RETURN(SqliteStmt * s, db_.Prepare("SELECT MAX(idx) FROM log_entries"));
    s->Reset();
    ASSIGN_OR_RETURN(bool row, s->Step());
    uint64_t size = (!row || s->IsNull(0)) ? 0 : static_cast<uint64_t>(s->Int(0)) + 1;
    s->Reset();  // an unreset statement would pin an old read snapshot
    return size;
  }

  Status Scan(uint64_t begin, uint64_t end,
              const std::function<Status(uint64_t, std::string_view)>& fn) {
    ASSIGN_OR_RETURN(SqliteStmt * s,
                     db_.Prepare("SELECT idx, data FROM log_entries WHERE idx >= ?1 AND idx < ?2 "
                                 "ORDER BY idx"));
    s->Reset().Bind(1, static_cast<int64_t>(begin)).Bind(2, static_cast<int64_t>(end));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      Status st = fn(static_cast<uint64_t>(s->Int(0)), s->Blob(1));
      if (!st.ok()) {
        s->Reset();
        return st;
      }
    }
    s->Reset();
    return Status::Ok();
  }

  Result<std::vector<std::string>> Read(uint64_t begin, uint64_t end) {
    std::vector<std::string> out;
    if (end > begin) out.reserve(end - begin);
    uint64_t expect = begin;
    RETURN_IF_ERROR(Scan(begin, end, [&](uint64_t idx, std::string_view data) {
      if (idx != expect)
        return Status::NotFound("log entry " + std::to_string(expect) + " is missing");
      out.emplace_back(data);
      ++expect;
      return Status::Ok();
    }));
    if (expect != end)
      return Status::NotFound("log entry " + std::to_string(expect) + " is missing");
    return out;
  }

  Result<merkle::Tile> Tile(const merkle::TileId& id) {
    ASSIGN_OR_RETURN(SqliteStmt * s, db_.Prepare("SELECT hashes FROM log_tiles WHERE tile = ?1"));
    s->Reset().Bind(1, TileKey(id));
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      return Status::NotFound("hash tile " + std::to_string(id.level) + "/" +
                              std::to_string(id.index) + " is not stored");
    }
    merkle::Tile t{id, std::string(s->Blob(0))};
    s->Reset();
    return t;
  }

  Status Tiles(uint32_t level, const std::function<Status(const merkle::Tile&)>& fn) {
    ASSIGN_OR_RETURN(SqliteStmt * s, db_.Prepare("SELECT tile, hashes FROM log_tiles WHERE tile "
                                                 ">= ?1 AND tile < ?2 ORDER BY tile"));
    s->Reset().Bind(1, TileKey({level, 0})).Bind(2, TileKey({level + 1, 0}));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      Status st = fn(merkle::Tile{TileIdFromKey(s->Int(0)), std::string(s->Blob(1))});
      if (!st.ok()) {
        s->Reset();
        return st;
      }
    }
    s->Reset();
    return Status::Ok();
  }

  Result<std::optional<std::string>> Meta(std::string_view key) {
    ASSIGN_OR_RETURN(SqliteStmt * s, db_.Prepare("SELECT value FROM log_meta WHERE key = ?1"));
    s->Reset().BindText(1, key);
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<std::string>();
    std::optional<std::string> v(std::string(s->Blob(0)));
    s->Reset();
    return v;
  }

  Result<std::optional<std::string>> Checkpoint(uint64_t size) {
    ASSIGN_OR_RETURN(SqliteStmt * s,
                     db_.Prepare("SELECT note FROM log_checkpoints WHERE size = ?1"));
    s->Reset().Bind(1, static_cast<int64_t>(size));
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<std::string>();
    std::optional<std::string> v(std::string(s->Text(0)));
    s->Reset();
    return v;
  }

 private:
  SqliteDb& db_;
};

}  // namespace

class SqliteLogWriteTxn : public LogWriteTxn {
 public:
  explicit SqliteLogWriteTxn(SqliteLogStore& store) : store_(store), reads_(*store.db_) {}
  ~SqliteLogWriteTxn() override { Rollback(); }

  Result<uint64_t> Size() override { return reads_.Size(); }
  Result<std::vector<std::string>> ReadEntries(uint64_t b, uint64_t e) override {
    return reads_.Read(b, e);
  }
  Status ScanEntries(uint64_t b, uint64_t e,
                     const std::function<Status(uint64_t, std::string_view)>& fn) override {
    return reads_.Scan(b, e, fn);
  }
  Result<merkle::Tile> ReadTile(const merkle::TileId& id) override { return reads_.Tile(id); }
  Status ScanTiles(uint32_t level, const std::function<Status(const merkle::Tile&)>& fn) override {
    return reads_.Tiles(level, fn);
  }
  Result<std::optional<std::string>> GetMeta(std::string_view key) override {
    return reads_.Meta(key);
  }

  Status AppendEntries(uint64_t first, std::span<const std::string> leaves) override {
    ASSIGN_OR_RETURN(uint64_t size, reads_.Size());
    if (size != first) {
      return Status::FailedPrecondition("append at index " + std::to_string(first) +
                                        " but the log has " + std::to_string(size) + " entries");
    }
    ASSIGN_OR_RETURN(SqliteStmt * s,
                     db().Prepare("INSERT INTO log_entries(idx, data) VALUES (?1, ?2)"));
    uint64_t idx = first;
    for (const std::string& leaf : leaves) {
      s->Reset().Bind(1, static_cast<int64_t>(idx++)).BindBlob(2, leaf);
      RETURN_IF_ERROR(s->Run());
    }
    return Status::Ok();
  }

  Status PutTiles(std::span<const merkle::Tile> tiles) override {
    ASSIGN_OR_RETURN(SqliteStmt * s, db().Prepare("INSERT OR REPLACE INTO log_tiles(tile, hashes) "
                                                  "VALUES (?1, ?2)"));
    for (const merkle::Tile& t : tiles) {
      s->Reset().Bind(1, TileKey(t.id)).BindBlob(2, t.hashes);
      RETURN_IF_ERROR(s->Run());
    }
    return Status::Ok();
  }

  Status PutMeta(std::string_view key, std::string_view value) override {
    ASSIGN_OR_RETURN(SqliteStmt * s,
                     db().Prepare("INSERT OR REPLACE INTO log_meta(key, value) VALUES (?1, ?2)"));
    s->Reset().BindText(1, key).BindBlob(2, value);
    return s->Run();
  }

  Status PutCheckpoint(uint64_t size, std::string_view note) override {
    ASSIGN_OR_RETURN(SqliteStmt * s, db().Prepare("INSERT OR REPLACE INTO log_checkpoints(size, "
                                                  "note) VALUES (?1, ?2)"));
    s->Reset().Bind(1, static_cast<int64_t>(size)).BindText(2, note);
    return s->Run();
  }

  Result<std::optional<std::string>> CheckpointAt(uint64_t size) override {
    return reads_.Checkpoint(size);
  }

  Status Commit() override {
    if (!open_) return Status::FailedPrecondition("transaction is already finished");
    open_ = false;
    store_.in_write_ = false;
    Status s = db().Exec("COMMIT");
    if (!s.ok()) {
      (void)db().Exec("ROLLBACK");
      return s.WithContext("commit failed");
    }
    return s;
  }

  void Rollback() override {
    if (!open_) return;
    open_ = false;
    store_.in_write_ = false;
    (void)db().Exec("ROLLBACK");
  }

 private:
  SqliteDb& db() { return *store_.db_; }
  SqliteLogStore& store_;
  SqliteReads reads_;
  bool open_ = true;
};

Status SqliteLogStore::Configure(SqliteDb& db) {
  // WAL: readers do not block the writer. synchronous=FULL: a commit is
  // fsynced before it returns, so an acknowledged append survives power loss.
  RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=FULL"));
  RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  return Status::Ok();
}

namespace {

// Counts the log's four tables; fails if the file is not an SQLite database.
Result<int64_t> CountLogTables(SqliteDb& db) {
  auto not_sqlite = [&](const Status& s) {
    return Status::InvalidArgument(db.path() + " is not a usable SQLite database (" + s.message() +
                                   ")");
  };
  auto s = db.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
      "('log_entries', 'log_tiles', 'log_meta', 'log_checkpoints')");
  if (!s.ok()) return not_sqlite(s.status());
  (*s)->Reset();
  auto row = (*s)->Step();
  if (!row.ok()) return not_sqlite(row.status());
  int64_t n = *row ? (*s)->Int(0) : 0;
  (*s)->Reset();
  return n;
}

}  // namespace

Result<std::unique_ptr<SqliteLogStore>> SqliteLogStore::Create(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && st.st_size > 0) {
    // Never take over an existing file, Accord's or anyone else's.
    auto existing = SqliteDb::Open(path, /*create=*/false);
    if (existing.ok()) {
      auto n = CountLogTables(**existing);
      if (n.ok() && *n > 0)
        return Status::AlreadyExists("database " + path + " already holds a log");
    }
    return Status::AlreadyExists(path + " already exists and is not empty; choose a new file");
  }
  // Owner-only whatever the umask: the file first, 0600, then SQLite, which
  // gives its -wal and -shm files the database's mode.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
  int chmod_rc = ::fchmod(fd, 0600);
  ::close(fd);
  if (chmod_rc != 0) return Status::IoError("cannot chmod 0600 " + path);
  ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, /*create=*/true));
  Status cfg = Configure(*db);
  if (!cfg.ok()) return cfg.WithContext("cannot set up " + path);
  RETURN_IF_ERROR(db->Exec(kSchema));
  return std::unique_ptr<SqliteLogStore>(new SqliteLogStore(std::move(db)));
}

Result<std::unique_ptr<SqliteLogStore>> SqliteLogStore::Open(const std::string& path,
                                                             bool read_only) {
  if (read_only) RETURN_IF_ERROR(CheckWalFile(path));
  ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, /*create=*/false, read_only));
  // Look before configuring: switching to WAL writes to the file, and a file
  // that is not ours must stay untouched.
  ASSIGN_OR_RETURN(int64_t n, CountLogTables(*db));
  if (n != 4) {
    return Status::InvalidArgument(path + " is not an Accord log (its log tables are missing)");
  }
  if (read_only) return std::unique_ptr<SqliteLogStore>(new SqliteLogStore(std::move(db)));
  Status cfg = Configure(*db);
  if (!cfg.ok()) return cfg.WithContext("cannot set up " + path);
  return std::unique_ptr<SqliteLogStore>(new SqliteLogStore(std::move(db)));
}

Result<std::unique_ptr<SqliteLogStore>> SqliteLogStore::CreateInMemory() {
  ASSIGN_OR_RETURN(auto db, SqliteDb::Open(":memory:", /*create=*/true));
  RETURN_IF_ERROR(db->Exec(kSchema));
  return std::unique_ptr<SqliteLogStore>(new SqliteLogStore(std::move(db)));
}

Result<uint64_t> SqliteLogStore::Size() {
  return SqliteReads(*db_).Size();
}
Result<std::vector<std::string>> SqliteLogStore::ReadEntries(uint64_t b, uint64_t e) {
  return SqliteReads(*db_).Read(b, e);
}
Status SqliteLogStore::ScanEntries(uint64_t b, uint64_t e,
                                   const std::function<Status(uint64_t, std::string_view)>& fn) {
  return SqliteReads(*db_).Scan(b, e, fn);
}
Result<merkle::Tile> SqliteLogStore::ReadTile(const merkle::TileId& id) {
  return SqliteReads(*db_).Tile(id);
}
Status SqliteLogStore::ScanTiles(uint32_t level,
                                 const std::function<Status(const merkle::Tile&)>& fn) {
  return SqliteReads(*db_).Tiles(level, fn);
}
Result<std::optional<std::string>> SqliteLogStore::GetMeta(std::string_view key) {
  return SqliteReads(*db_).Meta(key);
}

Result<std::unique_ptr<LogWriteTxn>> SqliteLogStore::BeginWrite() {
  if (in_write_) return Status::FailedPrecondition("a write transaction is already open");
  // IMMEDIATE takes the write lock now, so the size read inside is stable.
  RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  in_write_ = true;
  return std::unique_ptr<LogWriteTxn>(new SqliteLogWriteTxn(*this));
}

Result<std::optional<std::string>> SqliteLogStore::CheckpointAt(uint64_t size) {
  return SqliteReads(*db_).Checkpoint(size);
}

Status SqliteLogStore::ScanMeta(
    const std::function<Status(std::string_view, std::string_view)>& fn) {
  ASSIGN_OR_RETURN(SqliteStmt * s, db_->Prepare("SELECT key, value FROM log_meta ORDER BY key"));
  s->Reset();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Status st = fn(s->Text(0), s->Blob(1));
    if (!st.ok()) {
      s->Reset();
      return st;
    }
  }
  s->Reset();
  return Status::Ok();
}

Status SqliteLogStore::ScanCheckpoints(
    const std::function<Status(uint64_t, std::string_view)>& fn) {
  ASSIGN_OR_RETURN(SqliteStmt * s,
                   db_->Prepare("SELECT size, note FROM log_checkpoints ORDER BY size"));
  s->Reset();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Status st = fn(static_cast<uint64_t>(s->Int(0)), s->Text(1));
    if (!st.ok()) {
      s->Reset();
      return st;
    }
  }
  s->Reset();
  return Status::Ok();
}

}  // namespace accord::storage
