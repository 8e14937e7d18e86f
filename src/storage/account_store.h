// The accounts of the people and programs that use a node: users with their
// bearer-token hashes, auditors' agreement assignments, and the responses
// remembered for Idempotency-Keys. They sit beside the log and the
// projections in the same database but are part of neither: the log never
// depends on them and a rebuild does not touch them.
//
// This layer stores rows; what a token is, how it is hashed and checked, and
// who may do what is decided above (api/store.h). Every method is its own
// transaction (PutIdempotent writes all its records in one); none may be
// called while a log write transaction is open on the same Database.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::storage {

struct UserRecord {
  std::string name;  // unique
  std::string party;
  std::string role;                    // a role name, e.g. "officer"
  std::string token_id;                // unique; stored in clear to find the user
  std::string salt;                    // bytes
  std::string token_hash;              // bytes
  std::string created;                 // RFC 3339
  std::optional<std::string> revoked;  // RFC 3339, nullopt while active
};

struct IdempotencyRecord {
  std::string user;
  std::string key;
  std::string request_hash;
  int status = 0;
  std::string body;
  std::string created;  // RFC 3339
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Creates the account tables if they do not exist.
  virtual Status EnsureSchema() = 0;

  // Inserts a user. AlreadyExists if its name or token id is taken; nothing
  // is written then.
  virtual Status InsertUser(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(std::string_view name) = 0;
  virtual Result<std::optional<UserRecord>> FindUserByTokenId(std::string_view token_id) = 0;
  // Every user, ordered by name (byte order).
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  // Sets `revoked` of the user `name` if it is active. NotFound if there is
  // no such user or it is already revoked (the first revocation time stays).
  virtual Status RevokeUser(std::string_view name, std::string_view when) = 0;

  // Adds `agreement` to the user's assignments; adding it twice is a no-op.
  // NotFound if there is no such user.
  virtual Status AddAgreement(std::string_view name, std::string_view agreement) = 0;
  // The user's agreements in byte order (empty for an unknown user).
  virtual Result<std::vector<std::string>> Agreements(std::string_view name) = 0;

  virtual Result<std::optional<IdempotencyRecord>> GetIdempotent(std::string_view user,
                                                                 std::string_view key) = 0;
  // Stores the records in one transaction: all or none. A record whose
  // (user, key) is already stored is skipped: the first response stays.
  virtual Status PutIdempotent(std::span<const IdempotencyRecord> records) = 0;
};

}  // namespace accord::storage
