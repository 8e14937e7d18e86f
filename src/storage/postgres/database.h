// Database on one PostgreSQL database: the log (PgLogStore), the projections
// (PgEntityStore) and the accounts (PgAccountStore), all on the log store's
// server connection, so projections commit in the log's transactions. Open
// one per thread: each is a connection of its own (mind the server's
// max_connections).
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"
#include "storage/postgres/account_store.h"
#include "storage/postgres/entity_store.h"
#include "storage/postgres/log_store.h"

namespace accord::storage {

class PgDatabase : public Database {
 public:
  // As PgLogStore::Create and ::Open.
  static Result<std::unique_ptr<Database>> Create(const std::string& locator);
  static Result<std::unique_ptr<Database>> Open(const std::string& locator, bool read_only = false);

  LogStore& log() override { return *log_; }
  EntityStore& entities() override { return entities_; }
  AccountStore& accounts() override { return accounts_; }
  Backend backend() const override { return Backend::kPostgres; }
  const std::string& locator() const override { return locator_; }

 private:
  PgDatabase(std::unique_ptr<PgLogStore> log, std::string locator)
      : log_(std::move(log)),
        entities_(log_->conn()),
        accounts_(log_->conn()),
        locator_(std::move(locator)) {}
  std::unique_ptr<PgLogStore> log_;
  PgEntityStore entities_;
  PgAccountStore accounts_;
  std::string locator_;
};

}  // namespace accord::storage
