#include "storage/postgres/pg.h"

#include <endian.h>
#include <libpq-fe.h>

#include <cstring>

namespace accord::storage {
namespace {

// Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across versions.
constexpr Oid kInt8 = 20;
constexpr Oid kText = 25;
constexpr Oid kBytea = 17;

// SQLSTATE classes, as in the PostgreSQL manual's appendix A.
Status FromState(const char* state, const std::string& msg) {
  std::string_view s = state ? state : "";
  if (s.starts_with("23")) return Status::FailedPrecondition(msg);  // integrity constraint
  if (s.starts_with("53")) return Status::ResourceExhausted(msg);   // insufficient resources
  if (s.starts_with("22")) return Status::InvalidArgument(msg);     // data exception
  if (s.starts_with("XX001") || s.starts_with("XX002")) return Status::Corruption(msg);
  return Status::IoError(msg);
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

std::string RedactLocator(std::string_view locator) {
  std::string out(locator);
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t end = out.find_first_of("/?", start);
    size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at > start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... in the query string (or a key/value conninfo).
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    size_t v = p + 9;
    size_t e = out.find_first_of("& ", v);
    out.replace(v, (e == std::string::npos ? out.size() : e) - v, "***");
  }
  return out;
}

PgParams& PgParams::Add(unsigned type, std::string_view bytes, bool null) {
  types_.push_back(type);
  values_.emplace_back(bytes);
  nulls_.push_back(null);
  return *this;
}

PgParams& PgParams::Int(int64_t v) {
  uint64_t be = htobe64(static_cast<uint64_t>(v));
  char buf[8];
  std::memcpy(buf, &be, 8);
  return Add(kInt8, std::string_view(buf, 8), false);
}
PgParams& PgParams::Text(std::string_view v) {
  return Add(kText, v, false);
}
PgParams& PgParams::Bytes(std::string_view v) {
  return Add(kBytea, v, false);
}
PgParams& PgParams::Null() {
  return Add(0, {}, true);
}

PgResult::~PgResult() {
  if (r_ != nullptr) PQclear(r_);
}
int PgResult::rows() const {
  return PQntuples(r_);
}
bool PgResult::IsNull(int row, int col) const {
  return PQgetisnull(r_, row, col) != 0;
}
int64_t PgResult::Int(int row, int col) const {
  const char* p = PQgetvalue(r_, row, col);
  switch (PQgetlength(r_, row, col)) {
    case 8: {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return static_cast<int64_t>(be64toh(v));
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      return static_cast<int32_t>(be32toh(v));
    }
    case 2: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      return static_cast<int16_t>(be16toh(v));
    }
    default:
      return 0;
  }
}
std::string_view PgResult::Bytes(int row, int col) const {
  return std::string_view(PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col)));
}
int64_t PgResult::Changes() const {
  const char* n = PQcmdTuples(r_);
  return (n == nullptr || *n == '\0') ? 0 : std::strtoll(n, nullptr, 10);
}

Result<std::unique_ptr<PgConn>> PgConn::Connect(const std::string& locator) {
  const std::string shown = RedactLocator(locator);
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(locator.c_str(), &err);
  if (opts == nullptr) {
    std::string why = err ? Trim(err) : "malformed";
    PQfreemem(err);
    // libpq's message may quote the URI; never echo a password.
    return Status::InvalidArgument("--db " + shown + " is not a usable PostgreSQL URI (" +
                                   RedactLocator(why) +
                                   "); expected postgresql://user@host:port/dbname");
  }
  bool has_password = false;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, "password") == 0 && o->val != nullptr && *o->val != '\0') {
      has_password = true;
    }
  }
  PQconninfoFree(opts);
  if (has_password) {
    return Status::InvalidArgument("--db " + shown +
                                   " carries a password; give it in PGPASSWORD or ~/.pgpass "
                                   "instead, never in the URI");
  }
  const char* keys[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
  const char* values[] = {locator.c_str(), "UTF8", "accord", nullptr};
  pg_conn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (c == nullptr) return Status::ResourceExhausted("cannot allocate a PostgreSQL connection");
  std::unique_ptr<PgConn> conn(new PgConn(c, shown));
  if (PQstatus(c) != CONNECTION_OK) {
    std::string why = RedactLocator(Trim(PQerrorMessage(c)));
    if (why.find("does not exist") != std::string::npos) {
      return Status::NotFound("database " + shown + " does not exist (" + why +
                              "); create it first, e.g. with createdb");
    }
    return Status::IoError("cannot connect to " + shown + ": " + why);
  }
  PQsetNoticeProcessor(c, IgnoreNotice, nullptr);
  return conn;
}

PgConn::~PgConn() {
  PQfinish(c_);
}

Result<PgResult> PgConn::Check(pg_result* r, std::string_view sql) {
  if (r == nullptr) {
    return Status::IoError("database " + locator_ + ": " + Trim(PQerrorMessage(c_)));
  }
  ExecStatusType st = PQresultStatus(r);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgResult(r);
  std::string msg = Trim(PQresultErrorMessage(r));
  Status s = FromState(PQresultErrorField(r, PG_DIAG_SQLSTATE),
                       "database " + locator_ + ": " + msg + " (in: " + std::string(sql) + ")");
  PQclear(r);
  return s;
}

Result<std::string> PgConn::PreparedName(const std::string& sql, const PgParams& params,
                                         bool deferred) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "s" + std::to_string(prepared_.size() + 1);
  if (deferred) {
    if (PQsendPrepare(c_, name.c_str(), sql.c_str(), static_cast<int>(params.types_.size()),
                      params.types_.data()) == 0) {
      return Status::IoError("database " + locator_ + ": " + Trim(PQerrorMessage(c_)));
    }
    deferred_.push_back({sql, true});
  } else {
    ASSIGN_OR_RETURN(PgResult prepared,
                     Check(PQprepare(c_, name.c_str(), sql.c_str(),
                                     static_cast<int>(params.types_.size()), params.types_.data()),
                           sql));
  }
  prepared_.emplace(sql, name);
  return name;
}

namespace {
// libpq's arrays for binary parameters; they point into `params`.
struct ParamArrays {
  explicit ParamArrays(const std::vector<std::string>& values, const std::vector<bool>& nulls)
      : pointers(values.size()), lengths(values.size()), formats(values.size(), 1) {
    for (size_t i = 0; i < values.size(); ++i) {
      pointers[i] = nulls[i] ? nullptr : values[i].data();
      lengths[i] = static_cast<int>(values[i].size());
    }
  }
  int count() const { return static_cast<int>(pointers.size()); }
  std::vector<const char*> pointers;
  std::vector<int> lengths, formats;
};
// Deferred writes answered per round trip at most: their answers wait in the
// socket while more are sent, and too many could fill its buffer.
constexpr size_t kMaxDeferred = 256;
}  // namespace

Result<PgResult> PgConn::Exec(const std::string& sql, const PgParams& params) {
  RETURN_IF_ERROR(Flush());
  ASSIGN_OR_RETURN(std::string name, PreparedName(sql, params, /*deferred=*/false));
  ParamArrays a(params.values_, params.nulls_);
  return Check(PQexecPrepared(c_, name.c_str(), a.count(), a.pointers.data(), a.lengths.data(),
                              a.formats.data(), /*resultFormat=*/1),
               sql);
}

Status PgConn::ExecDeferred(const std::string& sql, const PgParams& params) {
  if (txn_ != Txn::kWrite) {
    ASSIGN_OR_RETURN(PgResult r, Exec(sql, params));
    return Status::Ok();
  }
  if (PQpipelineStatus(c_) == PQ_PIPELINE_OFF && PQenterPipelineMode(c_) == 0) {
    return Status::IoError("database " + locator_ +
                           ": cannot enter pipeline mode: " + Trim(PQerrorMessage(c_)));
  }
  ASSIGN_OR_RETURN(std::string name, PreparedName(sql, params, /*deferred=*/true));
  ParamArrays a(params.values_, params.nulls_);
  if (PQsendQueryPrepared(c_, name.c_str(), a.count(), a.pointers.data(), a.lengths.data(),
                          a.formats.data(), /*resultFormat=*/1) == 0) {
    return Status::IoError("database " + locator_ + ": " + Trim(PQerrorMessage(c_)));
  }
  deferred_.push_back({sql, false});
  if (deferred_.size() >= kMaxDeferred) return Flush();
  return Status::Ok();
}

Status PgConn::Flush() {
  if (PQpipelineStatus(c_) == PQ_PIPELINE_OFF) return Status::Ok();
  Status first = Status::Ok();
  auto fail = [&](Status s) {
    if (first.ok()) first = std::move(s);
  };
  if (PQpipelineSync(c_) == 0) {
    fail(Status::IoError("database " + locator_ + ": " + Trim(PQerrorMessage(c_))));
  }
  // One result per item (then a null), then the sync's own.
  for (const Deferred& d : deferred_) {
    pg_result* r = PQgetResult(c_);
    if (r == nullptr) {
      fail(Status::IoError("database " + locator_ + ": " + Trim(PQerrorMessage(c_))));
      break;
    }
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_ABORTED) {
      PQclear(r);
    } else {
      Result<PgResult> checked = Check(r, d.sql);  // takes r
      if (!checked.ok()) fail(checked.status());
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && d.prepare) {
      prepared_.erase(d.sql);  // never prepared: prepare again next time
    }
    while ((r = PQgetResult(c_)) != nullptr) PQclear(r);
  }
  deferred_.clear();
  for (pg_result* r = PQgetResult(c_); r != nullptr; r = PQgetResult(c_)) {
    bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (sync) break;
  }
  if (PQexitPipelineMode(c_) == 0) {
    fail(Status::IoError("database " + locator_ +
                         ": cannot leave pipeline mode: " + Trim(PQerrorMessage(c_))));
  }
  return first;
}

Result<PgResult> PgConn::ExecOnce(const std::string& sql, const PgParams& params) {
  RETURN_IF_ERROR(Flush());
  const size_t n = params.size();
  std::vector<const char*> values(n);
  std::vector<int> lengths(n), formats(n, 1);
  for (size_t i = 0; i < n; ++i) {
    values[i] = params.nulls_[i] ? nullptr : params.values_[i].data();
    lengths[i] = static_cast<int>(params.values_[i].size());
  }
  return Check(PQexecParams(c_, sql.c_str(), static_cast<int>(n), params.types_.data(),
                            values.data(), lengths.data(), formats.data(), /*resultFormat=*/1),
               sql);
}

Status PgConn::ExecScript(const char* sql) {
  RETURN_IF_ERROR(Flush());
  ASSIGN_OR_RETURN(PgResult r, Check(PQexec(c_, sql), "schema"));
  return Status::Ok();
}

Result<bool> PgConn::InRecovery() {
  if (!in_recovery_) {
    ASSIGN_OR_RETURN(PgResult r, Exec("SELECT pg_is_in_recovery()"));
    in_recovery_ = r.rows() == 1 && r.Bytes(0, 0) == std::string_view("\x01", 1);
  }
  return *in_recovery_;
}

Status PgConn::Begin(Txn kind) {
  if (txn_ != Txn::kNone) {
    return Status::FailedPrecondition(txn_ == Txn::kWrite ? "a write transaction is already open"
                                                          : "a row cursor is still open");
  }
  // READ COMMITTED for writes: each statement sees what committed before
  // it, so the log size read after the writer lock is current. A read
  // transaction (for cursors) sees one snapshot throughout.
  const char* begin = kind == Txn::kWrite ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                          : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  RETURN_IF_ERROR(ExecScript(begin));
  txn_ = kind;
  read_holds_ = 0;
  ++generation_;
  return Status::Ok();
}

Status PgConn::Commit() {
  if (txn_ == Txn::kNone) return Status::FailedPrecondition("transaction is already finished");
  Status written = Flush();
  txn_ = Txn::kNone;
  if (!written.ok()) {
    PQclear(PQexec(c_, "ROLLBACK"));
    ClosePending();
    return written;
  }
  pg_result* raw = PQexec(c_, "COMMIT");
  ASSIGN_OR_RETURN(PgResult r, Check(raw, "COMMIT"));
  // COMMIT of a transaction the server aborted (an earlier statement failed)
  // succeeds as a ROLLBACK: nothing was written.
  if (std::strcmp(PQcmdStatus(raw), "ROLLBACK") == 0) {
    ClosePending();
    return Status::FailedPrecondition("database " + locator_ +
                                      ": the transaction was aborted by an earlier error; "
                                      "nothing of it was written");
  }
  ClosePending();
  return Status::Ok();
}

Result<uint64_t> PgConn::HoldRead() {
  if (txn_ == Txn::kNone) RETURN_IF_ERROR(Begin(Txn::kRead));
  if (txn_ == Txn::kRead) ++read_holds_;
  return generation_;
}

void PgConn::ReleaseRead(uint64_t generation) {
  if (txn_ != Txn::kRead || generation != generation_) return;
  if (--read_holds_ == 0) (void)Commit();
}

void PgConn::Rollback() {
  if (txn_ == Txn::kNone) return;
  (void)Flush();  // the outcome of writes being undone does not matter
  txn_ = Txn::kNone;
  PQclear(PQexec(c_, "ROLLBACK"));
  ClosePending();
}

Result<std::unique_ptr<PgCursor>> PgCursor::Open(PgConn& c, const std::string& select,
                                                 const PgParams& params) {
  // Most queries are small (a point lookup in the sequencer's transaction):
  // one round trip fetches them whole, where a cursor costs three (DECLARE,
  // FETCH, CLOSE). Only a query with more rows than a chunk is declared as a
  // cursor, and read from it alone, in the cursor's own snapshot.
  ASSIGN_OR_RETURN(PgResult first,
                   c.Exec(select + " LIMIT " + std::to_string(kChunkRows + 1), params));
  if (first.rows() <= kChunkRows) {
    std::unique_ptr<PgCursor> whole(new PgCursor(c, "", c.txn_generation()));
    whole->chunk_ = std::make_unique<PgResult>(std::move(first));
    whole->done_ = true;
    return whole;
  }
  std::string name = "accord_cursor_" + std::to_string(c.NextCursorId());
  std::unique_ptr<PgCursor> cursor(new PgCursor(c, name, c.txn_generation()));
  // WITH HOLD: the cursor outlives the transaction it was declared in (in
  // autocommit, the statement's own), reading the snapshot of that moment,
  // so writes may follow on this connection while it is open. The cursor's
  // name is ours; the query's values stay parameters.
  ASSIGN_OR_RETURN(
      PgResult declared,
      c.ExecOnce("DECLARE " + name + " BINARY NO SCROLL CURSOR WITH HOLD FOR " + select, params));
  cursor->declared_ = true;
  return cursor;
}

PgCursor::~PgCursor() {
  if (declared_) c_.CloseCursor(name_, generation_);
}

Result<bool> PgCursor::Next() {
  if (chunk_ && row_ + 1 < chunk_->rows()) {
    ++row_;
    return true;
  }
  if (done_) return false;
  ASSIGN_OR_RETURN(PgResult r,
                   c_.ExecOnce("FETCH FORWARD " + std::to_string(kChunkRows) + " FROM " + name_));
  if (r.rows() < kChunkRows) done_ = true;
  chunk_ = std::make_unique<PgResult>(std::move(r));
  row_ = 0;
  return chunk_->rows() > 0;
}

void PgConn::CloseCursor(const std::string& name, uint64_t generation) {
  // Closing inside another transaction than the cursor's could fail (a
  // rolled-back declaration is gone) and abort that transaction: wait.
  if (txn_ != Txn::kNone && generation != generation_) {
    pending_close_.push_back(name);
    return;
  }
  // A failed deferred write leaves the transaction aborted, and Commit says
  // so; the cursor is closed either way.
  (void)Flush();
  PQclear(PQexec(c_, ("CLOSE " + name).c_str()));
}

void PgConn::ClosePending() {
  for (const std::string& name : pending_close_) PQclear(PQexec(c_, ("CLOSE " + name).c_str()));
  pending_close_.clear();
}

}  // namespace accord::storage
