#include "api/store.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "domain/envelope.h"
#include "util/encoding.h"

namespace accord::api {
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

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
}

std::string TokenHash(std::string_view salt, std::string_view secret) {
  Hash h = Sha256({salt, secret});
  return std::string(AsBytes(h));
}

}  // namespace

Status EnsureApiSchema(storage::SqliteDb& db) {
  return db.Exec(kSchema);
}

Result<std::unique_ptr<ApiStore>> ApiStore::Open(const std::string& db_path) {
  ASSIGN_OR_RETURN(auto db, storage::SqliteDb::Open(db_path, /*create=*/false));
  RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=FULL"));
  RETURN_IF_ERROR(EnsureApiSchema(*db));
  return std::unique_ptr<ApiStore>(new ApiStore(std::move(db)));
}

Result<std::string> ApiStore::AddUser(const std::string& name, const std::string& party, Role role,
                                      int64_t now) {
  if (!ValidName(name)) {
    return Status::InvalidArgument("user name \"" + name +
                                   "\" must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  if (party.empty() || party.size() > 64) {
    return Status::InvalidArgument("--party must be a party code such as RU");
  }
  std::string token_id = HexEncode(RandomBytes(8));
  std::string secret = Base64UrlEncode(RandomBytes(32));
  std::string salt = RandomBytes(16);
  ASSIGN_OR_RETURN(auto* exists, db_->Prepare("SELECT 1 FROM api_users WHERE name = ?1"));
  exists->Reset().BindText(1, name);
  ASSIGN_OR_RETURN(bool found, exists->Step());
  exists->Reset();
  if (found) return Status::AlreadyExists("user " + name + " already exists");
  ASSIGN_OR_RETURN(auto* ins,
                   db_->Prepare("INSERT INTO api_users(name, party, role, token_id, salt, "
                                "token_hash, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  std::string role_name(RoleName(role));
  std::string hash = TokenHash(salt, secret);
  std::string created = domain::FormatRfc3339(now);
  ins->Reset()
      .BindText(1, name)
      .BindText(2, party)
      .BindText(3, role_name)
      .BindText(4, token_id)
      .BindBlob(5, salt)
      .BindBlob(6, hash)
      .BindText(7, created);
  RETURN_IF_ERROR(ins->Run());
  return token_id + "." + secret;
}

Result<std::vector<std::string>> ApiStore::Agreements(const std::string& name) {
  ASSIGN_OR_RETURN(auto* q, db_->Prepare("SELECT agreement FROM api_user_agreements WHERE name = "
                                         "?1 ORDER BY agreement"));
  q->Reset().BindText(1, name);
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.emplace_back(q->Text(0));
  }
  q->Reset();
  return out;
}

Result<std::vector<UserInfo>> ApiStore::ListUsers() {
  ASSIGN_OR_RETURN(auto* q, db_->Prepare("SELECT name, party, role, created, revoked FROM "
                                         "api_users ORDER BY name"));
  q->Reset();
  std::vector<UserInfo> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    UserInfo u;
    u.name = q->Text(0);
    u.party = q->Text(1);
    ASSIGN_OR_RETURN(u.role, ParseRole(q->Text(2)));
    u.created = q->Text(3);
    if (!q->IsNull(4)) u.revoked = q->Text(4);
    out.push_back(std::move(u));
  }
  q->Reset();
  for (UserInfo& u : out) {
    ASSIGN_OR_RETURN(u.agreements, Agreements(u.name));
  }
  return out;
}

Status ApiStore::RevokeUser(const std::string& name, int64_t now) {
  ASSIGN_OR_RETURN(auto* q, db_->Prepare("UPDATE api_users SET revoked = ?2 WHERE name = ?1 AND "
                                         "revoked IS NULL"));
  std::string when = domain::FormatRfc3339(now);
  q->Reset().BindText(1, name).BindText(2, when);
  RETURN_IF_ERROR(q->Run());
  if (sqlite3_changes(db_->raw()) == 0) {
    return Status::NotFound("no active user " + name);
  }
  return Status::Ok();
}

Status ApiStore::AssignAgreement(const std::string& name, const std::string& agreement) {
  ASSIGN_OR_RETURN(auto* q, db_->Prepare("SELECT role FROM api_users WHERE name = ?1"));
  q->Reset().BindText(1, name);
  ASSIGN_OR_RETURN(bool found, q->Step());
  std::string role = found ? std::string(q->Text(0)) : std::string();
  q->Reset();
  if (!found) return Status::NotFound("no user " + name);
  if (role != "auditor") {
    return Status::FailedPrecondition("user " + name + " is an " + role +
                                      "; only auditors are assigned agreements");
  }
  if (agreement.empty()) return Status::InvalidArgument("--agreement must not be empty");
  ASSIGN_OR_RETURN(auto* ins, db_->Prepare("INSERT OR IGNORE INTO api_user_agreements(name, "
                                           "agreement) VALUES(?1, ?2)"));
  ins->Reset().BindText(1, name).BindText(2, agreement);
  return ins->Run();
}

Result<Principal> ApiStore::Authenticate(std::string_view token) {
  auto bad = Status::Unauthenticated("the bearer token is not valid");
  size_t dot = token.find('.');
  if (dot != 16 || token.size() > 200) return bad;
  std::string token_id(token.substr(0, dot));
  std::string_view secret = token.substr(dot + 1);
  ASSIGN_OR_RETURN(auto* q, db_->Prepare("SELECT name, party, role, salt, token_hash, revoked "
                                         "FROM api_users WHERE token_id = ?1"));
  q->Reset().BindText(1, token_id);
  ASSIGN_OR_RETURN(bool found, q->Step());
  if (!found) {
    q->Reset();
    return bad;
  }
  Principal p;
  p.user = q->Text(0);
  p.party = q->Text(1);
  auto role = ParseRole(q->Text(2));
  std::string salt(q->Blob(3));
  std::string stored(q->Blob(4));
  bool revoked = !q->IsNull(5);
  q->Reset();
  std::string hash = TokenHash(salt, secret);
  if (hash.size() != stored.size() || CRYPTO_memcmp(hash.data(), stored.data(), hash.size()) != 0) {
    return bad;
  }
  if (revoked) return Status::Unauthenticated("the token of user " + p.user + " was revoked");
  if (!role.ok()) return role.status();
  p.role = *role;
  if (p.role == Role::kAuditor) {
    ASSIGN_OR_RETURN(p.agreements, Agreements(p.user));
  }
  return p;
}

Result<std::optional<IdempotentResponse>> ApiStore::GetIdempotent(const std::string& user,
                                                                  const std::string& key) {
  ASSIGN_OR_RETURN(auto* q, db_->Prepare("SELECT request_hash, status, body FROM api_idempotency "
                                         "WHERE user = ?1 AND key = ?2"));
  q->Reset().BindText(1, user).BindText(2, key);
  ASSIGN_OR_RETURN(bool found, q->Step());
  std::optional<IdempotentResponse> out;
  if (found) {
    out = IdempotentResponse{std::string(q->Text(0)), static_cast<int>(q->Int(1)),
                             std::string(q->Text(2))};
  }
  q->Reset();
  return out;
}

Status ApiStore::PutIdempotent(const std::string& user, const std::string& key,
                               const IdempotentResponse& r, int64_t now) {
  ASSIGN_OR_RETURN(auto* q, db_->Prepare("INSERT OR IGNORE INTO api_idempotency(user, key, "
                                         "request_hash, status, body, created) VALUES(?1, ?2, "
                                         "?3, ?4, ?5, ?6)"));
  std::string when = domain::FormatRfc3339(now);
  q->Reset()
      .BindText(1, user)
      .BindText(2, key)
      .BindText(3, r.request_hash)
      .Bind(4, r.status)
      .BindText(5, r.body)
      .BindText(6, when);
  return q->Run();
}

}  // namespace accord::api
