// The API's users, tokens and idempotency records, kept through the registry
// database's AccountStore (storage/account_store.h): beside the log and the
// projections but part of neither; `accord rebuild` does not touch them.
//
// Tokens are "<id>.<secret>": `id` is 8 random bytes in hex, stored in clear to
// find the user; `secret` is 32 random bytes (base64url) of which only
// SHA-256(salt || secret) is stored, with a random 16-byte salt per user. A
// fast hash is enough because the secret has 256 bits of entropy (a password
// hash such as Argon2 defends low-entropy secrets against guessing and would
// cost tens of milliseconds on every request). Hashes are compared in
// constant time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/authz.h"
#include "storage/database.h"
#include "util/status.h"

namespace accord::api {

struct UserInfo {
  std::string name;
  std::string party;
  Role role = Role::kObserver;
  std::string created;                  // RFC 3339
  std::string revoked;                  // RFC 3339, empty while active
  std::vector<std::string> agreements;  // auditors: the agreements they may read
};

struct IdempotentResponse {
  std::string request_hash;  // hex SHA-256 of method, path and body
  int status = 0;
  std::string body;
};

struct IdempotentRecord {
  std::string user;
  std::string key;
  IdempotentResponse response;
};

// One connection to the registry database's account tables. Not
// thread-safe: use one per thread.
class ApiStore {
 public:
  // Opens the registry database at `db` (a --db locator) and creates the
  // account tables if they are missing.
  static Result<std::unique_ptr<ApiStore>> Open(const std::string& db);

  // Adds a user and returns its bearer token (the only time it exists in
  // clear). Names are 1-64 characters of [A-Za-z0-9._@-].
  Result<std::string> AddUser(const std::string& name, const std::string& party, Role role,
                              int64_t now);
  Result<std::vector<UserInfo>> ListUsers();
  // Marks the user revoked: its token stops working at once.
  Status RevokeUser(const std::string& name, int64_t now);
  // Lets auditor `name` read agreement `agreement`.
  Status AssignAgreement(const std::string& name, const std::string& agreement);
  // The active user holding `token`, or Unauthenticated.
  Result<Principal> Authenticate(std::string_view token);

  Result<std::optional<IdempotentResponse>> GetIdempotent(const std::string& user,
                                                          const std::string& key);
  // Stores the responses in one transaction (all or none); a (user, key)
  // already stored keeps its first response.
  Status PutIdempotent(const std::vector<IdempotentRecord>& records, int64_t now);

 private:
  explicit ApiStore(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {}
  storage::AccountStore& accounts() { return db_->accounts(); }
  std::unique_ptr<storage::Database> db_;
};

}  // namespace accord::api
