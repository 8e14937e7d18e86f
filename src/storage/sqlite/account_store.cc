#include "storage/sqlite/account_store.h"

namespace accord::storage {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS api_users(
  name TEXT PRIMARY KEY,
  party TEXT NOT NULL,
  role TEXT NOT NULL,
  token_id TEXT NOT NULL UNIQUE,
  salt BLOB NOT NULL,
  token_hash BLOB NOT NULL,
  created TEXT NOT NULL,
  revoked TEXT
);
CREATE TABLE IF NOT EXISTS api_user_agreements(
  name TEXT NOT NULL REFERENCES api_users(name),
  agreement TEXT NOT NULL,
  PRIMARY KEY(name, agreement)
);
CREATE TABLE IF NOT EXISTS api_idempotency(
  user TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY(user, key)
);
)sql";

constexpr char kUserColumns[] =
    "SELECT name, party, role, token_id, salt, token_hash, created, revoked FROM api_users ";

UserRecord ReadUser(const SqliteStmt& q) {
  UserRecord u;
  u.name = q.Text(0);
  u.party = q.Text(1);
  u.role = q.Text(2);
  u.token_id = q.Text(3);
  u.salt = q.Blob(4);
  u.token_hash = q.Blob(5);
  u.created = q.Text(6);
  if (!q.IsNull(7)) u.revoked = std::string(q.Text(7));
  return u;
}

}  // namespace

Status SqliteAccountStore::EnsureSchema() {
  return db_.Exec(kSchema);
}

Status SqliteAccountStore::InsertUser(const UserRecord& u) {
  ASSIGN_OR_RETURN(auto* taken,
                   db_.Prepare("SELECT 1 FROM api_users WHERE name = ?1 OR token_id = ?2"));
  taken->Reset().BindText(1, u.name).BindText(2, u.token_id);
  ASSIGN_OR_RETURN(bool found, taken->Step());
  taken->Reset();
  if (found) return Status::AlreadyExists("user " + u.name + " already exists");
  ASSIGN_OR_RETURN(auto* ins,
                   db_.Prepare("INSERT INTO api_users(name, party, role, token_id, salt, "
                               "token_hash, created, revoked) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                               "?8)"));
  ins->Reset()
      .BindText(1, u.name)
      .BindText(2, u.party)
      .BindText(3, u.role)
      .BindText(4, u.token_id)
      .BindBlob(5, u.salt)
      .BindBlob(6, u.token_hash)
      .BindText(7, u.created);
  if (u.revoked) ins->BindText(8, *u.revoked);
  return ins->Run();
}

Result<std::optional<UserRecord>> SqliteAccountStore::FindBy(const char* sql,
                                                             std::string_view value) {
  ASSIGN_OR_RETURN(auto* q, db_.Prepare(sql));
  q->Reset().BindText(1, value);
  ASSIGN_OR_RETURN(bool found, q->Step());
  std::optional<UserRecord> out;
  if (found) out = ReadUser(*q);
  q->Reset();
  return out;
}

Result<std::optional<UserRecord>> SqliteAccountStore::FindUser(std::string_view name) {
  static const std::string sql = std::string(kUserColumns) + "WHERE name = ?1";
  return FindBy(sql.c_str(), name);
}

Result<std::optional<UserRecord>> SqliteAccountStore::FindUserByTokenId(std::string_view token_id) {
  static const std::string sql = std::string(kUserColumns) + "WHERE token_id = ?1";
  return FindBy(sql.c_str(), token_id);
}

Result<std::vector<UserRecord>> SqliteAccountStore::ListUsers() {
  static const std::string sql = std::string(kUserColumns) + "ORDER BY name";
  ASSIGN_OR_RETURN(auto* q, db_.Prepare(sql.c_str()));
  q->Reset();
  std::vector<UserRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back(ReadUser(*q));
  }
  q->Reset();
  return out;
}

Status SqliteAccountStore::RevokeUser(std::string_view name, std::string_view when) {
  ASSIGN_OR_RETURN(auto* q, db_.Prepare("UPDATE api_users SET revoked = ?2 WHERE name = ?1 AND "
                                        "revoked IS NULL"));
  q->Reset().BindText(1, name).BindText(2, when);
  RETURN_IF_ERROR(q->Run());
  if (db_.Changes() == 0) return Status::NotFound("no active user " + std::string(name));
  return Status::Ok();
}

Status SqliteAccountStore::AddAgreement(std::string_view name, std::string_view agreement) {
  ASSIGN_OR_RETURN(std::optional<UserRecord> user, FindUser(name));
  if (!user) return Status::NotFound("no user " + std::string(name));
  ASSIGN_OR_RETURN(auto* ins, db_.Prepare("INSERT OR IGNORE INTO api_user_agreements(name, "
                                          "agreement) VALUES(?1, ?2)"));
  ins->Reset().BindText(1, name).BindText(2, agreement);
  return ins->Run();
}

Result<std::vector<std::string>> SqliteAccountStore::Agreements(std::string_view name) {
  ASSIGN_OR_RETURN(auto* q, db_.Prepare("SELECT agreement FROM api_user_agreements WHERE name = "
                                        "?1 ORDER BY agreement"));
  q->Reset().BindText(1, name);
  std::vector<std::string> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.emplace_back(q->Text(0));
  }
  q->Reset();
  return out;
}

Result<std::optional<IdempotencyRecord>> SqliteAccountStore::GetIdempotent(std::string_view user,
                                                                           std::string_view key) {
  ASSIGN_OR_RETURN(auto* q, db_.Prepare("SELECT request_hash, status, body, created FROM "
                                        "api_idempotency WHERE user = ?1 AND key = ?2"));
  q->Reset().BindText(1, user).BindText(2, key);
  ASSIGN_OR_RETURN(bool found, q->Step());
  std::optional<IdempotencyRecord> out;
  if (found) {
    out = IdempotencyRecord{std::string(user),       std::string(key),
                            std::string(q->Text(0)), static_cast<int>(q->Int(1)),
                            std::string(q->Text(2)), std::string(q->Text(3))};
  }
  q->Reset();
  return out;
}

Status SqliteAccountStore::PutIdempotent(std::span<const IdempotencyRecord> records) {
  if (records.empty()) return Status::Ok();
  RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
  Status s = [&]() -> Status {
    ASSIGN_OR_RETURN(auto* q, db_.Prepare("INSERT OR IGNORE INTO api_idempotency(user, key, "
                                          "request_hash, status, body, created) VALUES(?1, ?2, "
                                          "?3, ?4, ?5, ?6)"));
    for (const IdempotencyRecord& r : records) {
      q->Reset()
          .BindText(1, r.user)
          .BindText(2, r.key)
          .BindText(3, r.request_hash)
          .Bind(4, r.status)
          .BindText(5, r.body)
          .BindText(6, r.created);
      RETURN_IF_ERROR(q->Run());
    }
    return Status::Ok();
  }();
  if (s.ok()) s = db_.Exec("COMMIT");
  if (!s.ok()) (void)db_.Exec("ROLLBACK");
  return s;
}

}  // namespace accord::storage
