#include "storage/postgres/database.h"

namespace accord::storage {

Result<std::unique_ptr<Database>> PgDatabase::Create(const std::string& locator) {
  ASSIGN_OR_RETURN(auto log, PgLogStore::Create(locator));
  return std::unique_ptr<Database>(new PgDatabase(std::move(log), locator));
}

Result<std::unique_ptr<Database>> PgDatabase::Open(const std::string& locator, bool read_only) {
  ASSIGN_OR_RETURN(auto log, PgLogStore::Open(locator, read_only));
  return std::unique_ptr<Database>(new PgDatabase(std::move(log), locator));
}

}  // namespace accord::storage
