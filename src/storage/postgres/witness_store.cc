#include "storage/postgres/witness_store.h"

namespace accord::storage {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS witness_logs(
  origin TEXT COLLATE "C" PRIMARY KEY,
  size BIGINT NOT NULL,
  root BYTEA NOT NULL,
  note TEXT NOT NULL,
  updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS witness_evidence(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  origin TEXT NOT NULL,
  size BIGINT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  cosigned TEXT NOT NULL,
  submitted TEXT NOT NULL,
  received TEXT NOT NULL
);
)sql";

// Runs `body` in a write transaction, committing if it returns OK.
template <typename Fn>
Status InWriteTxn(PgConn& c, Fn body) {
  RETURN_IF_ERROR(c.Begin(PgConn::Txn::kWrite));
  Status s = body();
  if (!s.ok()) {
    c.Rollback();
    return s;
  }
  return c.Commit();
}

}  // namespace

Result<std::unique_ptr<WitnessStore>> PgWitnessStore::Open(const std::string& locator) {
  ASSIGN_OR_RETURN(auto log, PgLogStore::Open(locator));
  PgConn& c = log->conn();
  // Schema changes from several connections at once take the schema lock.
  RETURN_IF_ERROR(InWriteTxn(c, [&]() -> Status {
    ASSIGN_OR_RETURN(PgResult r,
                     c.Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Int(kPgSchemaLock)));
    return c.ExecScript(kSchema);
  }));
  return std::unique_ptr<WitnessStore>(new PgWitnessStore(std::move(log)));
}

Result<std::optional<WitnessedCheckpoint>> PgWitnessStore::Latest(std::string_view origin) {
  ASSIGN_OR_RETURN(PgResult r, c().Exec("SELECT size, root, note, updated FROM witness_logs "
                                        "WHERE origin = $1",
                                        PgParams().Text(origin)));
  if (r.rows() == 0) return std::optional<WitnessedCheckpoint>();
  return std::optional<WitnessedCheckpoint>(WitnessedCheckpoint{
      std::string(origin), static_cast<uint64_t>(r.Int(0, 0)), std::string(r.Bytes(0, 1)),
      std::string(r.Bytes(0, 2)), std::string(r.Bytes(0, 3))});
}

Result<bool> PgWitnessStore::Advance(uint64_t expected_size, const WitnessedCheckpoint& next) {
  if (next.size < expected_size) {
    return Status::InvalidArgument("witness: cannot move " + next.origin + " back from size " +
                                   std::to_string(expected_size) + " to " +
                                   std::to_string(next.size));
  }
  bool advanced = false;
  RETURN_IF_ERROR(InWriteTxn(c(), [&]() -> Status {
    // Under READ COMMITTED, the read after the lock sees every advance
    // committed before it: the compare and the set cannot interleave.
    ASSIGN_OR_RETURN(PgResult lock,
                     c().Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Int(kPgWitnessLock)));
    ASSIGN_OR_RETURN(std::optional<WitnessedCheckpoint> cur, Latest(next.origin));
    uint64_t stored = cur ? cur->size : 0;
    if (stored != expected_size) return Status::Ok();
    ASSIGN_OR_RETURN(PgResult r,
                     c().Exec("INSERT INTO witness_logs(origin, size, root, note, updated) "
                              "VALUES ($1, $2, $3, $4, $5) ON CONFLICT(origin) DO UPDATE SET "
                              "size = excluded.size, root = excluded.root, "
                              "note = excluded.note, updated = excluded.updated",
                              PgParams()
                                  .Text(next.origin)
                                  .Int(static_cast<int64_t>(next.size))
                                  .Bytes(next.root)
                                  .Text(next.note)
                                  .Text(next.updated)));
    advanced = true;
    return Status::Ok();
  }));
  return advanced;
}

Status PgWitnessStore::AddEvidence(const WitnessEvidence& e) {
  return c()
      .Exec(
          "INSERT INTO witness_evidence(origin, size, kind, reason, cosigned, submitted, "
          "received) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          PgParams()
              .Text(e.origin)
              .Int(static_cast<int64_t>(e.size))
              .Text(e.kind)
              .Text(e.reason)
              .Text(e.cosigned)
              .Text(e.submitted)
              .Text(e.received))
      .status();
}

Result<std::vector<WitnessEvidence>> PgWitnessStore::ListEvidence() {
  ASSIGN_OR_RETURN(PgResult r, c().Exec("SELECT id, origin, size, kind, reason, cosigned, "
                                        "submitted, received FROM witness_evidence ORDER BY id"));
  std::vector<WitnessEvidence> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.Int(i, 0), std::string(r.Bytes(i, 1)), static_cast<uint64_t>(r.Int(i, 2)),
                   std::string(r.Bytes(i, 3)), std::string(r.Bytes(i, 4)),
                   std::string(r.Bytes(i, 5)), std::string(r.Bytes(i, 6)),
                   std::string(r.Bytes(i, 7))});
  }
  return out;
}

}  // namespace accord::storage
