// Database on one SQLite file: the log (SqliteLogStore), the projections
// (SqliteEntityStore) and the accounts (SqliteAccountStore), all on the log
// store's connection, so projections commit in the log's transactions.
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"
#include "storage/sqlite/account_store.h"
#include "storage/sqlite/entity_store.h"
#include "storage/sqlite/log_store.h"

namespace accord::storage {

class SqliteDatabase : public Database {
 public:
  // As SqliteLogStore::Create, ::Open and ::CreateInMemory.
  static Result<std::unique_ptr<Database>> Create(const std::string& path);
  static Result<std::unique_ptr<Database>> Open(const std::string& path, bool read_only = false);
  static Result<std::unique_ptr<Database>> CreateInMemory();

  LogStore& log() override { return *log_; }
  EntityStore& entities() override { return entities_; }
  AccountStore& accounts() override { return accounts_; }
  Backend backend() const override { return Backend::kSqlite; }
  const std::string& locator() const override { return path_; }

 private:
  SqliteDatabase(std::unique_ptr<SqliteLogStore> log, std::string path)
      : log_(std::move(log)),
        entities_(log_->db()),
        accounts_(log_->db()),
        path_(std::move(path)) {}
  std::unique_ptr<SqliteLogStore> log_;
  SqliteEntityStore entities_;
  SqliteAccountStore accounts_;
  std::string path_;
};

}  // namespace accord::storage
