// WitnessStore in a registry's PostgreSQL database, on its own connection,
// the tables and meanings of SQLite's (storage/sqlite/witness_store.h) in
// PostgreSQL's types:
//
//   witness_logs(origin TEXT PRIMARY KEY, size BIGINT, root BYTEA, note TEXT, updated TEXT)
//   witness_evidence(id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, origin, size BIGINT,
//                    kind, reason, cosigned, submitted, received)
//
// Advance() holds a transaction-scoped advisory lock of its own
// (kPgWitnessLock), so concurrent stores on the same database serialize
// without waiting on the log's writer.
#pragma once

#include <memory>
#include <string>

#include "storage/postgres/log_store.h"
#include "storage/witness_store.h"

namespace accord::storage {

inline constexpr int64_t kPgWitnessLock = 0x6163636f72640003;  // "accord" 3: witness advances

class PgWitnessStore : public WitnessStore {
 public:
  // Opens the registry at `locator` (as PgLogStore::Open) and creates the
  // witness tables if missing.
  static Result<std::unique_ptr<WitnessStore>> Open(const std::string& locator);

  Result<std::optional<WitnessedCheckpoint>> Latest(std::string_view origin) override;
  Result<bool> Advance(uint64_t expected_size, const WitnessedCheckpoint& next) override;
  Status AddEvidence(const WitnessEvidence& e) override;
  Result<std::vector<WitnessEvidence>> ListEvidence() override;

 private:
  explicit PgWitnessStore(std::unique_ptr<PgLogStore> log) : log_(std::move(log)) {}
  PgConn& c() { return log_->conn(); }
  std::unique_ptr<PgLogStore> log_;
};

}  // namespace accord::storage
