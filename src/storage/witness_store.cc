#include "storage/witness_store.h"

#include "storage/database.h"
#include "storage/postgres/witness_store.h"
#include "storage/sqlite/witness_store.h"

namespace accord::storage {

Result<std::unique_ptr<WitnessStore>> OpenWitnessStore(std::string_view locator) {
  ASSIGN_OR_RETURN(Backend backend, BackendOf(locator));
  if (backend == Backend::kPostgres) return PgWitnessStore::Open(std::string(locator));
  return SqliteWitnessStore::Open(std::string(locator));
}

}  // namespace accord::storage
