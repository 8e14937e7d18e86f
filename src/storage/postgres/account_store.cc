#include "storage/postgres/account_store.h"

#include "storage/postgres/log_store.h"

namespace accord::storage {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS api_users(
  name TEXT COLLATE "C" PRIMARY KEY,
  party TEXT NOT NULL,
  role TEXT NOT NULL,
  token_id TEXT COLLATE "C" NOT NULL UNIQUE,
  salt BYTEA NOT NULL,
  token_hash BYTEA NOT NULL,
  created TEXT NOT NULL,
  revoked TEXT
);
CREATE TABLE IF NOT EXISTS api_user_agreements(
  name TEXT COLLATE "C" NOT NULL REFERENCES api_users(name),
  agreement TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(name, agreement)
);
CREATE TABLE IF NOT EXISTS api_idempotency(
  "user" TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  request_hash TEXT NOT NULL,
  status BIGINT NOT NULL,
  body TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY("user", key)
);
)sql";

const std::string kUserColumns =
    "SELECT name, party, role, token_id, salt, token_hash, created, revoked FROM api_users ";

UserRecord ReadUser(const PgResult& r, int row) {
  UserRecord u;
  u.name = r.Bytes(row, 0);
  u.party = r.Bytes(row, 1);
  u.role = r.Bytes(row, 2);
  u.token_id = r.Bytes(row, 3);
  u.salt = r.Bytes(row, 4);
  u.token_hash = r.Bytes(row, 5);
  u.created = r.Bytes(row, 6);
  if (!r.IsNull(row, 7)) u.revoked = std::string(r.Bytes(row, 7));
  return u;
}

}  // namespace

Status PgAccountStore::EnsureSchema() {
  // Several connections open at once (the API server's readers) must not
  // race on CREATE TABLE IF NOT EXISTS: the schema lock serializes them.
  // A hot standby (serve --read-db) refuses DDL; it has its primary's tables.
  ASSIGN_OR_RETURN(bool standby, c_.InRecovery());
  if (standby) return Status::Ok();
  RETURN_IF_ERROR(c_.Begin(PgConn::Txn::kWrite));
  Status s = [&]() -> Status {
    ASSIGN_OR_RETURN(PgResult r,
                     c_.Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Int(kPgSchemaLock)));
    return c_.ExecScript(kSchema);
  }();
  if (!s.ok()) {
    c_.Rollback();
    return s;
  }
  return c_.Commit();
}

Status PgAccountStore::InsertUser(const UserRecord& u) {
  ASSIGN_OR_RETURN(PgResult taken, c_.Exec("SELECT 1 FROM api_users WHERE name = $1 OR token_id "
                                           "= $2",
                                           PgParams().Text(u.name).Text(u.token_id)));
  if (taken.rows() > 0) return Status::AlreadyExists("user " + u.name + " already exists");
  PgParams p;
  p.Text(u.name)
      .Text(u.party)
      .Text(u.role)
      .Text(u.token_id)
      .Bytes(u.salt)
      .Bytes(u.token_hash)
      .Text(u.created);
  if (u.revoked) {
    p.Text(*u.revoked);
  } else {
    p.Null();
  }
  auto ins = c_.Exec(
      "INSERT INTO api_users(name, party, role, token_id, salt, token_hash, created, revoked) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
      p);
  RETURN_IF_ERROR(ins.status());
  // Another connection may have taken the name or token id since the check.
  if (ins->Changes() == 0) return Status::AlreadyExists("user " + u.name + " already exists");
  return Status::Ok();
}

Result<std::optional<UserRecord>> PgAccountStore::FindBy(const std::string& sql,
                                                         std::string_view value) {
  ASSIGN_OR_RETURN(PgResult r, c_.Exec(sql, PgParams().Text(value)));
  if (r.rows() == 0) return std::optional<UserRecord>();
  return std::optional<UserRecord>(ReadUser(r, 0));
}

Result<std::optional<UserRecord>> PgAccountStore::FindUser(std::string_view name) {
  static const std::string sql = kUserColumns + "WHERE name = $1";
  return FindBy(sql, name);
}

Result<std::optional<UserRecord>> PgAccountStore::FindUserByTokenId(std::string_view token_id) {
  static const std::string sql = kUserColumns + "WHERE token_id = $1";
  return FindBy(sql, token_id);
}

Result<std::vector<UserRecord>> PgAccountStore::ListUsers() {
  ASSIGN_OR_RETURN(PgResult r, c_.Exec(kUserColumns + "ORDER BY name"));
  std::vector<UserRecord> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadUser(r, i));
  return out;
}

Status PgAccountStore::RevokeUser(std::string_view name, std::string_view when) {
  ASSIGN_OR_RETURN(PgResult r, c_.Exec("UPDATE api_users SET revoked = $2 WHERE name = $1 AND "
                                       "revoked IS NULL",
                                       PgParams().Text(name).Text(when)));
  if (r.Changes() == 0) return Status::NotFound("no active user " + std::string(name));
  return Status::Ok();
}

Status PgAccountStore::AddAgreement(std::string_view name, std::string_view agreement) {
  ASSIGN_OR_RETURN(std::optional<UserRecord> user, FindUser(name));
  if (!user) return Status::NotFound("no user " + std::string(name));
  ASSIGN_OR_RETURN(PgResult r, c_.Exec("INSERT INTO api_user_agreements(name, agreement) VALUES "
                                       "($1, $2) ON CONFLICT DO NOTHING",
                                       PgParams().Text(name).Text(agreement)));
  return Status::Ok();
}

Result<std::vector<std::string>> PgAccountStore::Agreements(std::string_view name) {
  ASSIGN_OR_RETURN(PgResult r, c_.Exec("SELECT agreement FROM api_user_agreements WHERE name = $1 "
                                       "ORDER BY agreement",
                                       PgParams().Text(name)));
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.Bytes(i, 0));
  return out;
}

Result<std::optional<IdempotencyRecord>> PgAccountStore::GetIdempotent(std::string_view user,
                                                                       std::string_view key) {
  ASSIGN_OR_RETURN(PgResult r, c_.Exec("SELECT request_hash, status, body, created FROM "
                                       "api_idempotency WHERE \"user\" = $1 AND key = $2",
                                       PgParams().Text(user).Text(key)));
  if (r.rows() == 0) return std::optional<IdempotencyRecord>();
  return std::optional<IdempotencyRecord>(IdempotencyRecord{
      std::string(user), std::string(key), std::string(r.Bytes(0, 0)),
      static_cast<int>(r.Int(0, 1)), std::string(r.Bytes(0, 2)), std::string(r.Bytes(0, 3))});
}

Status PgAccountStore::PutIdempotent(std::span<const IdempotencyRecord> records) {
  if (records.empty()) return Status::Ok();
  RETURN_IF_ERROR(c_.Begin(PgConn::Txn::kWrite));
  Status s = [&]() -> Status {
    for (const IdempotencyRecord& rec : records) {
      ASSIGN_OR_RETURN(PgResult r, c_.Exec("INSERT INTO api_idempotency(\"user\", key, "
                                           "request_hash, status, body, created) VALUES ($1, $2, "
                                           "$3, $4, $5, $6) ON CONFLICT DO NOTHING",
                                           PgParams()
                                               .Text(rec.user)
                                               .Text(rec.key)
                                               .Text(rec.request_hash)
                                               .Int(rec.status)
                                               .Text(rec.body)
                                               .Text(rec.created)));
    }
    return Status::Ok();
  }();
  if (!s.ok()) {
    c_.Rollback();
    return s;
  }
  return c_.Commit();
}

}  // namespace accord::storage
