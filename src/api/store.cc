#include "api/store.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "domain/envelope.h"
#include "util/encoding.h"

namespace accord::api {
namespace {

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

Result<std::unique_ptr<ApiStore>> ApiStore::Open(const std::string& db) {
  ASSIGN_OR_RETURN(auto database, storage::OpenDatabase(db));
  RETURN_IF_ERROR(database->accounts().EnsureSchema());
  return std::unique_ptr<ApiStore>(new ApiStore(std::move(database)));
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
  ASSIGN_OR_RETURN(std::optional<storage::UserRecord> existing, accounts().FindUser(name));
  if (existing) return Status::AlreadyExists("user " + name + " already exists");
  std::string secret = Base64UrlEncode(RandomBytes(32));
  storage::UserRecord u;
  u.name = name;
  u.party = party;
  u.role = std::string(RoleName(role));
  u.token_id = HexEncode(RandomBytes(8));
  u.salt = RandomBytes(16);
  u.token_hash = TokenHash(u.salt, secret);
  u.created = domain::FormatRfc3339(now);
  RETURN_IF_ERROR(accounts().InsertUser(u));
  return u.token_id + "." + secret;
}

Result<std::vector<UserInfo>> ApiStore::ListUsers() {
  ASSIGN_OR_RETURN(std::vector<storage::UserRecord> users, accounts().ListUsers());
  std::vector<UserInfo> out;
  for (storage::UserRecord& r : users) {
    UserInfo u;
    u.name = std::move(r.name);
    u.party = std::move(r.party);
    ASSIGN_OR_RETURN(u.role, ParseRole(r.role));
    u.created = std::move(r.created);
    u.revoked = r.revoked.value_or("");
    ASSIGN_OR_RETURN(u.agreements, accounts().Agreements(u.name));
    out.push_back(std::move(u));
  }
  return out;
}

Status ApiStore::RevokeUser(const std::string& name, int64_t now) {
  return accounts().RevokeUser(name, domain::FormatRfc3339(now));
}

Status ApiStore::AssignAgreement(const std::string& name, const std::string& agreement) {
  ASSIGN_OR_RETURN(std::optional<storage::UserRecord> user, accounts().FindUser(name));
  if (!user) return Status::NotFound("no user " + name);
  if (user->role != "auditor") {
    return Status::FailedPrecondition("user " + name + " is an " + user->role +
                                      "; only auditors are assigned agreements");
  }
  if (agreement.empty()) return Status::InvalidArgument("--agreement must not be empty");
  return accounts().AddAgreement(name, agreement);
}

Result<Principal> ApiStore::Authenticate(std::string_view token) {
  auto bad = Status::Unauthenticated("the bearer token is not valid");
  size_t dot = token.find('.');
  if (dot != 16 || token.size() > 200) return bad;
  std::string_view token_id = token.substr(0, dot);
  std::string_view secret = token.substr(dot + 1);
  ASSIGN_OR_RETURN(std::optional<storage::UserRecord> user, accounts().FindUserByTokenId(token_id));
  if (!user) return bad;
  std::string hash = TokenHash(user->salt, secret);
  const std::string& stored = user->token_hash;
  if (hash.size() != stored.size() || CRYPTO_memcmp(hash.data(), stored.data(), hash.size()) != 0) {
    return bad;
  }
  if (user->revoked)
    return Status::Unauthenticated("the token of user " + user->name + " was revoked");
  Principal p;
  p.user = user->name;
  p.party = user->party;
  ASSIGN_OR_RETURN(p.role, ParseRole(user->role));
  if (p.role == Role::kAuditor) {
    ASSIGN_OR_RETURN(p.agreements, accounts().Agreements(p.user));
  }
  return p;
}

Result<std::optional<IdempotentResponse>> ApiStore::GetIdempotent(const std::string& user,
                                                                  const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<storage::IdempotencyRecord> r,
                   accounts().GetIdempotent(user, key));
  if (!r) return std::optional<IdempotentResponse>();
  return std::optional<IdempotentResponse>(
      IdempotentResponse{std::move(r->request_hash), r->status, std::move(r->body)});
}

Status ApiStore::PutIdempotent(const std::vector<IdempotentRecord>& records, int64_t now) {
  std::string when = domain::FormatRfc3339(now);
  std::vector<storage::IdempotencyRecord> rows;
  rows.reserve(records.size());
  for (const IdempotentRecord& r : records) {
    rows.push_back(
        {r.user, r.key, r.response.request_hash, r.response.status, r.response.body, when});
  }
  return accounts().PutIdempotent(rows);
}

}  // namespace accord::api
