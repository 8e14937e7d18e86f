#include "storage/sqlite/witness_store.h"

namespace accord::storage {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS witness_logs(
  origin TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS witness_evidence(
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  size INTEGER NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  cosigned TEXT NOT NULL,
  submitted TEXT NOT NULL,
  received TEXT NOT NULL
);
)sql";

}  // namespace

Result<std::unique_ptr<WitnessStore>> SqliteWitnessStore::Open(const std::string& path) {
  ASSIGN_OR_RETURN(auto log, SqliteLogStore::Open(path));
  RETURN_IF_ERROR(log->db().Exec(kSchema));
  return std::unique_ptr<WitnessStore>(new SqliteWitnessStore(std::move(log)));
}

Result<std::optional<WitnessedCheckpoint>> SqliteWitnessStore::Latest(std::string_view origin) {
  ASSIGN_OR_RETURN(auto* q, db().Prepare("SELECT size, root, note, updated FROM witness_logs "
                                         "WHERE origin = ?1"));
  q->Reset().BindText(1, origin);
  ASSIGN_OR_RETURN(bool found, q->Step());
  std::optional<WitnessedCheckpoint> out;
  if (found) {
    out = WitnessedCheckpoint{std::string(origin), static_cast<uint64_t>(q->Int(0)),
                              std::string(q->Blob(1)), std::string(q->Text(2)),
                              std::string(q->Text(3))};
  }
  q->Reset();
  return out;
}

Result<bool> SqliteWitnessStore::Advance(uint64_t expected_size, const WitnessedCheckpoint& next) {
  if (next.size < expected_size) {
    return Status::InvalidArgument("witness: cannot move " + next.origin + " back from size " +
                                   std::to_string(expected_size) + " to " +
                                   std::to_string(next.size));
  }
  RETURN_IF_ERROR(db().Exec("BEGIN IMMEDIATE"));
  Result<bool> r = [&]() -> Result<bool> {
    ASSIGN_OR_RETURN(std::optional<WitnessedCheckpoint> cur, Latest(next.origin));
    uint64_t stored = cur ? cur->size : 0;
    if (stored != expected_size) return false;
    ASSIGN_OR_RETURN(auto* q,
                     db().Prepare("INSERT INTO witness_logs(origin, size, root, note, updated) "
                                  "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(origin) DO UPDATE SET "
                                  "size = excluded.size, root = excluded.root, "
                                  "note = excluded.note, updated = excluded.updated"));
    q->Reset()
        .BindText(1, next.origin)
        .Bind(2, static_cast<int64_t>(next.size))
        .BindBlob(3, next.root)
        .BindText(4, next.note)
        .BindText(5, next.updated);
    RETURN_IF_ERROR(q->Run());
    return true;
  }();
  if (r.ok() && *r) {
    Status c = db().Exec("COMMIT");
    if (!c.ok()) {
      (void)db().Exec("ROLLBACK");
      return c;
    }
    return true;
  }
  (void)db().Exec("ROLLBACK");
  return r;
}

Status SqliteWitnessStore::AddEvidence(const WitnessEvidence& e) {
  ASSIGN_OR_RETURN(auto* q, db().Prepare("INSERT INTO witness_evidence(origin, size, kind, "
                                         "reason, cosigned, submitted, received) VALUES(?1, ?2, "
                                         "?3, ?4, ?5, ?6, ?7)"));
  q->Reset()
      .BindText(1, e.origin)
      .Bind(2, static_cast<int64_t>(e.size))
      .BindText(3, e.kind)
      .BindText(4, e.reason)
      .BindText(5, e.cosigned)
      .BindText(6, e.submitted)
      .BindText(7, e.received);
  return q->Run();
}

Result<std::vector<WitnessEvidence>> SqliteWitnessStore::ListEvidence() {
  ASSIGN_OR_RETURN(auto* q, db().Prepare("SELECT id, origin, size, kind, reason, cosigned, "
                                         "submitted, received FROM witness_evidence ORDER BY id"));
  q->Reset();
  std::vector<WitnessEvidence> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back({q->Int(0), std::string(q->Text(1)), static_cast<uint64_t>(q->Int(2)),
                   std::string(q->Text(3)), std::string(q->Text(4)), std::string(q->Text(5)),
                   std::string(q->Text(6)), std::string(q->Text(7))});
  }
  q->Reset();
  return out;
}

}  // namespace accord::storage
