#include "storage/sqlite/database.h"

namespace accord::storage {

Result<std::unique_ptr<Database>> SqliteDatabase::Create(const std::string& path) {
  ASSIGN_OR_RETURN(auto log, SqliteLogStore::Create(path));
  return std::unique_ptr<Database>(new SqliteDatabase(std::move(log), path));
}

Result<std::unique_ptr<Database>> SqliteDatabase::Open(const std::string& path, bool read_only) {
  ASSIGN_OR_RETURN(auto log, SqliteLogStore::Open(path, read_only));
  return std::unique_ptr<Database>(new SqliteDatabase(std::move(log), path));
}

Result<std::unique_ptr<Database>> SqliteDatabase::CreateInMemory() {
  ASSIGN_OR_RETURN(auto log, SqliteLogStore::CreateInMemory());
  return std::unique_ptr<Database>(new SqliteDatabase(std::move(log), ":memory:"));
}

}  // namespace accord::storage
