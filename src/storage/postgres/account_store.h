// AccountStore in a registry's PostgreSQL database, the tables and meanings
// of SQLite's (storage/sqlite/account_store.h) in PostgreSQL's types:
//
//   api_users(name TEXT PRIMARY KEY, party, role, token_id TEXT UNIQUE,
//             salt BYTEA, token_hash BYTEA, created, revoked NULL while active)
//   api_user_agreements(name REFERENCES api_users, agreement, PRIMARY KEY(name, agreement))
//   api_idempotency("user", key, request_hash, status BIGINT, body, created,
//                   PRIMARY KEY("user", key))
//
// Uses the connection of the PgDatabase it belongs to.
#pragma once

#include "storage/account_store.h"
#include "storage/postgres/pg.h"

namespace accord::storage {

class PgAccountStore : public AccountStore {
 public:
  explicit PgAccountStore(PgConn& conn) : c_(conn) {}

  Status EnsureSchema() override;
  Status InsertUser(const UserRecord& user) override;
  Result<std::optional<UserRecord>> FindUser(std::string_view name) override;
  Result<std::optional<UserRecord>> FindUserByTokenId(std::string_view token_id) override;
  Result<std::vector<UserRecord>> ListUsers() override;
  Status RevokeUser(std::string_view name, std::string_view when) override;
  Status AddAgreement(std::string_view name, std::string_view agreement) override;
  Result<std::vector<std::string>> Agreements(std::string_view name) override;
  Result<std::optional<IdempotencyRecord>> GetIdempotent(std::string_view user,
                                                         std::string_view key) override;
  Status PutIdempotent(std::span<const IdempotencyRecord> records) override;

 private:
  Result<std::optional<UserRecord>> FindBy(const std::string& sql, std::string_view value);
  PgConn& c_;
};

}  // namespace accord::storage
