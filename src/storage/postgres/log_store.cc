#include "storage/postgres/log_store.h"

#include <map>

namespace accord::storage {
namespace {

constexpr int kTileLevelShift = 48;
// Rows per round trip when scanning, and per INSERT when appending.
constexpr int64_t kScanChunk = 1000;
constexpr size_t kInsertRows = 200;

// "INSERT INTO log_entries(idx, data) VALUES ($1, $2), ..." for `rows` rows.
const std::string& InsertEntriesSql(size_t rows) {
  static const auto* const kSql = [] {
    auto* sql = new std::map<size_t, std::string>();
    for (size_t n : {kInsertRows, size_t{128}, size_t{64}, size_t{32}, size_t{16}, size_t{8},
                     size_t{4}, size_t{2}, size_t{1}}) {
      std::string s = "INSERT INTO log_entries(idx, data) VALUES ";
      for (size_t i = 0; i < n; ++i) {
        s += (i ? ", ($" : "($") + std::to_string(2 * i + 1) + ", $" + std::to_string(2 * i + 2) +
             ")";
      }
      (*sql)[n] = std::move(s);
    }
    return sql;
  }();
  return kSql->at(rows);
}

int64_t TileKey(const merkle::TileId& id) {
  return static_cast<int64_t>((uint64_t{id.level} << kTileLevelShift) | id.index);
}

merkle::TileId TileIdFromKey(int64_t key) {
  auto k = static_cast<uint64_t>(key);
  return {static_cast<uint32_t>(k >> kTileLevelShift), k & ((uint64_t{1} << kTileLevelShift) - 1)};
}

constexpr const char* kSchema = R"sql(
CREATE TABLE log_entries(idx BIGINT PRIMARY KEY, data BYTEA NOT NULL);
CREATE TABLE log_tiles(tile BIGINT PRIMARY KEY, hashes BYTEA NOT NULL);
CREATE TABLE log_checkpoints(size BIGINT PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE log_meta(key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
)sql";

// Reads shared by the store and its write transaction (same connection).
Result<uint64_t> SizeOf(PgConn& c) {
  ASSIGN_OR_RETURN(PgResult r, c.Exec("SELECT MAX(idx) FROM log_entries"));
  return (r.rows() == 0 || r.IsNull(0, 0)) ? 0 : static_cast<uint64_t>(r.Int(0, 0)) + 1;
}

Status Scan(PgConn& c, uint64_t begin, uint64_t end,
            const std::function<Status(uint64_t, std::string_view)>& fn) {
  // A keyset scan in chunks: the log only grows, so chunks read at different
  // moments still give each index's one value.
  uint64_t next = begin;
  while (next < end) {
    ASSIGN_OR_RETURN(PgResult r, c.Exec("SELECT idx, data FROM log_entries WHERE idx >= $1 AND "
                                        "idx < $2 ORDER BY idx LIMIT $3",
                                        PgParams()
                                            .Int(static_cast<int64_t>(next))
                                            .Int(static_cast<int64_t>(end))
                                            .Int(kScanChunk)));
    for (int i = 0; i < r.rows(); ++i) {
      RETURN_IF_ERROR(fn(static_cast<uint64_t>(r.Int(i, 0)), r.Bytes(i, 1)));
    }
    if (r.rows() < kScanChunk) break;
    next = static_cast<uint64_t>(r.Int(r.rows() - 1, 0)) + 1;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> Read(PgConn& c, uint64_t begin, uint64_t end) {
  std::vector<std::string> out;
  if (end > begin) out.reserve(end - begin);
  uint64_t expect = begin;
  RETURN_IF_ERROR(Scan(c, begin, end, [&](uint64_t idx, std::string_view data) {
    if (idx != expect)
      return Status::NotFound("log entry " + std::to_string(expect) + " is missing");
    out.emplace_back(data);
    ++expect;
    return Status::Ok();
  }));
  if (expect < end) return Status::NotFound("log entry " + std::to_string(expect) + " is missing");
  return out;
}

Result<merkle::Tile> ReadTileOf(PgConn& c, const merkle::TileId& id) {
  ASSIGN_OR_RETURN(PgResult r, c.Exec("SELECT hashes FROM log_tiles WHERE tile = $1",
                                      PgParams().Int(TileKey(id))));
  if (r.rows() == 0) {
    return Status::NotFound("hash tile " + std::to_string(id.level) + "/" +
                            std::to_string(id.index) + " is not stored");
  }
  return merkle::Tile{id, std::string(r.Bytes(0, 0))};
}

Status Tiles(PgConn& c, uint32_t level, const std::function<Status(const merkle::Tile&)>& fn) {
  int64_t next = TileKey({level, 0});
  const int64_t end = TileKey({level + 1, 0});
  for (;;) {
    ASSIGN_OR_RETURN(PgResult r, c.Exec("SELECT tile, hashes FROM log_tiles WHERE tile >= $1 AND "
                                        "tile < $2 ORDER BY tile LIMIT $3",
                                        PgParams().Int(next).Int(end).Int(kScanChunk)));
    for (int i = 0; i < r.rows(); ++i) {
      RETURN_IF_ERROR(fn(merkle::Tile{TileIdFromKey(r.Int(i, 0)), std::string(r.Bytes(i, 1))}));
    }
    if (r.rows() < kScanChunk) return Status::Ok();
    next = r.Int(r.rows() - 1, 0) + 1;
  }
}

Result<std::optional<std::string>> Meta(PgConn& c, std::string_view key) {
  ASSIGN_OR_RETURN(PgResult r,
                   c.Exec("SELECT value FROM log_meta WHERE key = $1", PgParams().Text(key)));
  if (r.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r.Bytes(0, 0)));
}

Result<std::optional<std::string>> CheckpointOf(PgConn& c, uint64_t size) {
  ASSIGN_OR_RETURN(PgResult r, c.Exec("SELECT note FROM log_checkpoints WHERE size = $1",
                                      PgParams().Int(static_cast<int64_t>(size))));
  if (r.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r.Bytes(0, 0)));
}

class PgLogWriteTxn : public LogWriteTxn {
 public:
  explicit PgLogWriteTxn(PgConn& c) : c_(c), generation_(c.txn_generation()) {}
  ~PgLogWriteTxn() override { Rollback(); }

  Result<uint64_t> Size() override { return SizeOf(c_); }
  Result<std::vector<std::string>> ReadEntries(uint64_t b, uint64_t e) override {
    return Read(c_, b, e);
  }
  Status ScanEntries(uint64_t b, uint64_t e,
                     const std::function<Status(uint64_t, std::string_view)>& fn) override {
    return Scan(c_, b, e, fn);
  }
  Result<merkle::Tile> ReadTile(const merkle::TileId& id) override { return ReadTileOf(c_, id); }
  Status ScanTiles(uint32_t level, const std::function<Status(const merkle::Tile&)>& fn) override {
    return Tiles(c_, level, fn);
  }
  Result<std::optional<std::string>> GetMeta(std::string_view key) override {
    return Meta(c_, key);
  }

  Status AppendEntries(uint64_t first, std::span<const std::string> leaves) override {
    ASSIGN_OR_RETURN(uint64_t size, SizeOf(c_));
    if (size != first) {
      return Status::FailedPrecondition("append at index " + std::to_string(first) +
                                        " but the log has " + std::to_string(size) + " entries");
    }
    // Rows go kInsertRows to a statement (one round trip each) and the rest
    // in statements of 128, 64, ..., 1 rows: a batch of thousands costs tens
    // of round trips, a batch of 100 three, and a connection prepares at
    // most nine INSERT shapes.
    uint64_t idx = first;
    size_t i = 0;
    for (size_t rows = kInsertRows; rows > 0;) {
      if (i + rows > leaves.size()) {
        rows = rows == kInsertRows ? 128 : rows / 2;
        continue;
      }
      PgParams p;
      for (size_t k = 0; k < rows; ++k) p.Int(static_cast<int64_t>(idx++)).Bytes(leaves[i + k]);
      RETURN_IF_ERROR(c_.ExecDeferred(InsertEntriesSql(rows), p));
      i += rows;
    }
    return Status::Ok();
  }

  Status PutTiles(std::span<const merkle::Tile> tiles) override {
    for (const merkle::Tile& t : tiles) {
      RETURN_IF_ERROR(c_.ExecDeferred(
          "INSERT INTO log_tiles(tile, hashes) VALUES ($1, $2) ON CONFLICT (tile) DO UPDATE SET "
          "hashes = EXCLUDED.hashes",
          PgParams().Int(TileKey(t.id)).Bytes(t.hashes)));
    }
    return Status::Ok();
  }

  Status PutMeta(std::string_view key, std::string_view value) override {
    return c_.ExecDeferred(
        "INSERT INTO log_meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = "
        "EXCLUDED.value",
        PgParams().Text(key).Bytes(value));
  }

  Status PutCheckpoint(uint64_t size, std::string_view note) override {
    return c_.ExecDeferred(
        "INSERT INTO log_checkpoints(size, note) VALUES ($1, $2) ON CONFLICT (size) DO UPDATE SET "
        "note = EXCLUDED.note",
        PgParams().Int(static_cast<int64_t>(size)).Text(note));
  }

  Result<std::optional<std::string>> CheckpointAt(uint64_t size) override {
    return CheckpointOf(c_, size);
  }

  Status Commit() override {
    if (!Mine()) return Status::FailedPrecondition("transaction is already finished");
    Status s = c_.Commit();
    return s.ok() ? s : s.WithContext("commit failed");
  }

  void Rollback() override {
    if (Mine()) c_.Rollback();
  }

 private:
  // Whether the connection's open transaction is still this one.
  bool Mine() const {
    return c_.txn() == PgConn::Txn::kWrite && c_.txn_generation() == generation_;
  }
  PgConn& c_;
  uint64_t generation_;
};

// Counts the log's four tables and every table of the database's schemas
// (the system's aside), to tell an Accord log, an empty database and
// someone else's apart.
struct TableCounts {
  int64_t log = 0;
  int64_t all = 0;
};

Result<TableCounts> CountTables(PgConn& c) {
  ASSIGN_OR_RETURN(
      PgResult r,
      c.Exec("SELECT count(*) FILTER (WHERE n.nspname = current_schema() AND c.relname IN "
             "('log_entries', 'log_tiles', 'log_meta', 'log_checkpoints') AND c.relkind = 'r'), "
             "count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
             "c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN "
             "('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"));
  return TableCounts{r.Int(0, 0), r.Int(0, 1)};
}

}  // namespace

Result<std::unique_ptr<PgLogStore>> PgLogStore::Create(const std::string& locator) {
  ASSIGN_OR_RETURN(auto conn, PgConn::Connect(locator));
  ASSIGN_OR_RETURN(TableCounts n, CountTables(*conn));
  if (n.log > 0)
    return Status::AlreadyExists("database " + conn->locator() + " already holds a log");
  if (n.all > 0) {
    return Status::AlreadyExists("database " + conn->locator() +
                                 " already holds tables; give an empty database");
  }
  RETURN_IF_ERROR(conn->Begin(PgConn::Txn::kWrite));
  Status s = conn->ExecScript(kSchema);
  if (!s.ok()) {
    conn->Rollback();
    return s.WithContext("cannot set up " + conn->locator());
  }
  RETURN_IF_ERROR(conn->Commit());
  return std::unique_ptr<PgLogStore>(new PgLogStore(std::move(conn)));
}

Result<std::unique_ptr<PgLogStore>> PgLogStore::Open(const std::string& locator, bool read_only) {
  ASSIGN_OR_RETURN(auto conn, PgConn::Connect(locator));
  // Every transaction of this session read-only: the server refuses any write.
  if (read_only) RETURN_IF_ERROR(conn->ExecScript("SET default_transaction_read_only = on"));
  ASSIGN_OR_RETURN(TableCounts n, CountTables(*conn));
  if (n.all == 0) {
    return Status::NotFound("database " + conn->locator() +
                            " holds no Accord log (it is empty; `accord init` creates one)");
  }
  if (n.log != 4) {
    return Status::InvalidArgument(conn->locator() +
                                   " is not an Accord log (its log tables are missing)");
  }
  return std::unique_ptr<PgLogStore>(new PgLogStore(std::move(conn)));
}

Result<uint64_t> PgLogStore::Size() {
  return SizeOf(*conn_);
}
Result<std::vector<std::string>> PgLogStore::ReadEntries(uint64_t b, uint64_t e) {
  return Read(*conn_, b, e);
}
Status PgLogStore::ScanEntries(uint64_t b, uint64_t e,
                               const std::function<Status(uint64_t, std::string_view)>& fn) {
  return Scan(*conn_, b, e, fn);
}
Result<merkle::Tile> PgLogStore::ReadTile(const merkle::TileId& id) {
  return ReadTileOf(*conn_, id);
}
Status PgLogStore::ScanTiles(uint32_t level, const std::function<Status(const merkle::Tile&)>& fn) {
  return Tiles(*conn_, level, fn);
}
Result<std::optional<std::string>> PgLogStore::GetMeta(std::string_view key) {
  return Meta(*conn_, key);
}

Result<std::unique_ptr<LogWriteTxn>> PgLogStore::BeginWrite() {
  RETURN_IF_ERROR(conn_->Begin(PgConn::Txn::kWrite));
  // The single writer: wait here for any other connection's write to end.
  auto locked = conn_->Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Int(kPgWriterLock));
  if (!locked.ok()) {
    conn_->Rollback();
    return locked.status().WithContext("cannot take the log's writer lock");
  }
  return std::unique_ptr<LogWriteTxn>(new PgLogWriteTxn(*conn_));
}

Result<std::optional<std::string>> PgLogStore::CheckpointAt(uint64_t size) {
  return CheckpointOf(*conn_, size);
}

Status PgLogStore::ScanMeta(const std::function<Status(std::string_view, std::string_view)>& fn) {
  ASSIGN_OR_RETURN(PgResult r, conn_->Exec("SELECT key, value FROM log_meta ORDER BY key"));
  for (int i = 0; i < r.rows(); ++i) RETURN_IF_ERROR(fn(r.Bytes(i, 0), r.Bytes(i, 1)));
  return Status::Ok();
}

Status PgLogStore::ScanCheckpoints(const std::function<Status(uint64_t, std::string_view)>& fn) {
  // Checkpoints may be many (one per batch): a cursor, not one result.
  ASSIGN_OR_RETURN(auto cursor,
                   PgCursor::Open(*conn_, "SELECT size, note FROM log_checkpoints ORDER BY size"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, cursor->Next());
    if (!row) return Status::Ok();
    RETURN_IF_ERROR(fn(static_cast<uint64_t>(cursor->result().Int(cursor->row(), 0)),
                       cursor->result().Bytes(cursor->row(), 1)));
  }
}

}  // namespace accord::storage
