// The API's own tables in the registry file: users with their bearer-token
// hashes, auditors' agreement assignments, and idempotency records. They sit
// beside the log and the projections but are not part of either: the log never
// depends on them and `accord rebuild` does not touch them.
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
#include "storage/sqlite_db.h"
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

// One connection to the registry file's API tables. Not thread-safe: use one
// per thread.
class ApiStore {
 public:
  // Opens `db_path` (an existing registry) and creates the API tables if
  // they are missing.
  static Result<std::unique_ptr<ApiStore>> Open(const std::string& db_path);

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
  Status PutIdempotent(const std::string& user, const std::string& key,
                       const IdempotentResponse& response, int64_t now);

  storage::SqliteDb& db() { return *db_; }

 private:
  explicit ApiStore(std::unique_ptr<storage::SqliteDb> db) : db_(std::move(db)) {}
  Result<std::vector<std::string>> Agreements(const std::string& name);
  std::unique_ptr<storage::SqliteDb> db_;
};

// Creates the API tables if they do not exist.
Status EnsureApiSchema(storage::SqliteDb& db);

}  // namespace accord::api
