// A thin RAII layer over libpq: one connection, statements prepared once per
// connection (PQprepare, then PQexecPrepared), parameters and results in
// binary, and the connection's transaction state.
//
// Every statement with input goes through parameters; SQL text is built only
// from identifiers the caller has checked. Integers travel as int8, byte
// strings as bytea and text as text, all in binary format; results come back
// in binary (an integer column must be bigint: Int() reads 8 bytes).
//
// A PgConn is one server connection and is not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/status.h"

struct pg_conn;
struct pg_result;

namespace accord::storage {

// The locator with any password in it replaced by "***", for messages.
std::string RedactLocator(std::string_view locator);

// Parameters of one statement, in order ($1, $2, ...).
class PgParams {
 public:
  PgParams& Int(int64_t v);
  PgParams& Text(std::string_view v);
  PgParams& Bytes(std::string_view v);
  PgParams& Null();
  size_t size() const { return types_.size(); }

 private:
  friend class PgConn;
  PgParams& Add(unsigned type, std::string_view bytes, bool null);
  std::vector<unsigned> types_;
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
};

// A result: rows of binary cells.
class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;

  int rows() const;
  bool IsNull(int row, int col) const;
  // A bigint (or integer/smallint) cell.
  int64_t Int(int row, int col) const;
  // A text or bytea cell, valid while the result lives.
  std::string_view Bytes(int row, int col) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t Changes() const;

 private:
  pg_result* r_;
};

class PgConn {
 public:
  enum class Txn { kNone, kWrite, kRead };

  // Connects to `locator` (a postgresql:// or postgres:// URI, libpq
  // syntax). InvalidArgument if it carries a password (PGPASSWORD or
  // .pgpass hold it), NotFound if the database does not exist, IoError if
  // the server cannot be reached.
  static Result<std::unique_ptr<PgConn>> Connect(const std::string& locator);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs a statement, prepared on first use under a name of its own.
  Result<PgResult> Exec(const std::string& sql, const PgParams& params = PgParams());
  // Runs a statement without caching it (cursor commands whose text names
  // the cursor); parameters still travel apart from the text.
  Result<PgResult> ExecOnce(const std::string& sql, const PgParams& params = PgParams());
  // Runs parameterless SQL text (schema, several statements).
  Status ExecScript(const char* sql);

  // A write whose result is not needed (INSERT, UPDATE, DELETE). Inside a
  // write transaction it is sent without waiting for its answer (libpq's
  // pipeline mode): a transaction of many writes costs a few round trips,
  // not one per statement. Its outcome is collected by the next call that
  // needs the server (Exec, ExecOnce, ExecScript, Commit, a cursor) or by
  // Flush; a failure is reported there, naming its statement, and leaves
  // the transaction aborted, so Commit writes nothing of it. Outside a
  // write transaction it is Exec.
  Status ExecDeferred(const std::string& sql, const PgParams& params);
  // Collects the outcome of every deferred write: the first failure, or Ok.
  Status Flush();
  // True on a hot standby (pg_is_in_recovery()): the server refuses every
  // write, schema changes included, and its schema is its primary's. Asked
  // once per connection (it is asked while opening stores; a standby
  // promoted later is seen by connections opened after).
  Result<bool> InRecovery();

  // Transactions. Begin fails if one is open already; Commit fails (and
  // the transaction is gone) if the server aborted it.
  Status Begin(Txn kind);
  Status Commit();
  void Rollback();
  Txn txn() const { return txn_; }
  // Bumped by every Begin: a cursor knows whether its transaction lives on.
  uint64_t txn_generation() const { return generation_; }
  // A read hold: opens a read transaction (one snapshot) unless a
  // transaction is open already, and counts the holds on it; the last
  // ReleaseRead of that transaction ends it. Returns the generation to
  // release.
  Result<uint64_t> HoldRead();
  void ReleaseRead(uint64_t generation);
  uint64_t NextCursorId() { return ++cursor_ids_; }
  // Closes a cursor declared in transaction `generation`: now, or once the
  // transaction open now has ended.
  void CloseCursor(const std::string& name, uint64_t generation);

  const std::string& locator() const { return locator_; }

 private:
  PgConn(pg_conn* c, std::string locator) : c_(c), locator_(std::move(locator)) {}
  Result<PgResult> Check(pg_result* r, std::string_view sql);
  void ClosePending();
  pg_conn* c_;
  std::string locator_;                                    // redacted
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  Txn txn_ = Txn::kNone;
  uint64_t generation_ = 0;
  int read_holds_ = 0;
  uint64_t cursor_ids_ = 0;
  std::vector<std::string> pending_close_;
  std::optional<bool> in_recovery_;  // InRecovery(), once asked
  // Deferred writes sent and not yet answered, in order: the SQL, and
  // whether the item is the statement's preparation rather than its run.
  struct Deferred {
    std::string sql;
    bool prepare = false;
  };
  std::vector<Deferred> deferred_;
  // The prepared name of `sql`, preparing it (deferred in pipeline mode).
  Result<std::string> PreparedName(const std::string& sql, const PgParams& params, bool deferred);
};

// A server-side cursor over a SELECT, fetched in chunks: a query's rows one
// at a time without the client holding them all. Declared WITH HOLD, it
// reads one snapshot and survives the transactions around it (the server
// keeps what is left of its rows when its transaction ends). A query of at
// most one chunk of rows is read whole at Open instead, in one round trip
// (`select` must not end in a LIMIT of its own). It must not outlive its
// connection.
class PgCursor {
 public:
  static Result<std::unique_ptr<PgCursor>> Open(PgConn& c, const std::string& select,
                                                const PgParams& params = PgParams());
  ~PgCursor();
  PgCursor(const PgCursor&) = delete;
  PgCursor& operator=(const PgCursor&) = delete;

  // Rows per FETCH (and the most read whole at Open).
  static constexpr int kChunkRows = 1000;

  // Moves to the next row; false at the end.
  Result<bool> Next();
  // The current row's cells.
  const PgResult& result() const { return *chunk_; }
  int row() const { return row_; }

 private:
  PgCursor(PgConn& c, std::string name, uint64_t generation)
      : c_(c), name_(std::move(name)), generation_(generation) {}
  PgConn& c_;
  std::string name_;
  uint64_t generation_;
  std::unique_ptr<PgResult> chunk_;
  int row_ = -1;
  bool done_ = false;
  bool declared_ = false;
};

}  // namespace accord::storage
