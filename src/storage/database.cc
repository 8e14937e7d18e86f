#include "storage/database.h"

#include "storage/postgres/database.h"
#include "storage/sqlite/database.h"

namespace accord::storage {

Result<Backend> BackendOf(std::string_view locator) {
  if (locator.empty()) {
    return Status::InvalidArgument("--db is empty; give a file path (SQLite)");
  }
  if (locator.starts_with("postgresql://") || locator.starts_with("postgres://")) {
    return Backend::kPostgres;
  }
  size_t scheme = locator.find("://");
  if (scheme != std::string_view::npos && scheme > 0 && locator.find('/') == scheme + 1) {
    return Status::InvalidArgument("--db " + std::string(locator.substr(0, scheme)) +
                                   "://...: unknown database kind; give a file path (SQLite) or "
                                   "a postgresql:// URI");
  }
  return Backend::kSqlite;
}

Result<std::unique_ptr<Database>> CreateDatabase(std::string_view locator) {
  ASSIGN_OR_RETURN(Backend backend, BackendOf(locator));
  if (backend == Backend::kPostgres) return PgDatabase::Create(std::string(locator));
  return SqliteDatabase::Create(std::string(locator));
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view locator, OpenMode mode) {
  ASSIGN_OR_RETURN(Backend backend, BackendOf(locator));
  bool read_only = mode == OpenMode::kReadOnly;
  if (backend == Backend::kPostgres) return PgDatabase::Open(std::string(locator), read_only);
  return SqliteDatabase::Open(std::string(locator), read_only);
}

Result<std::unique_ptr<Database>> CreateScratchDatabase() {
  return SqliteDatabase::CreateInMemory();
}

}  // namespace accord::storage
