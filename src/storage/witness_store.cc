#include "storage/witness_store.h"

#include "storage/database.h"
#include "storage/sqlite/witness_store.h"

namespace accord::storage {

Result<std::unique_ptr<WitnessStore>> OpenWitnessStore(std::string_view locator) {
  ASSIGN_OR_RETURN(Backend backend, BackendOf(locator));
  if (backend != Backend::kSqlite) {
    return Status::InvalidArgument(
        "witness state is stored only in SQLite registries in this build; --db " +
        std::string(locator.substr(0, locator.find(':'))) + "://... is not supported for it");
  }
  return SqliteWitnessStore::Open(std::string(locator));
}

}  // namespace accord::storage
