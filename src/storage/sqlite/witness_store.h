// WitnessStore in a registry's SQLite file, on its own connection:
//
//   witness_logs(origin TEXT PRIMARY KEY, size INTEGER, root BLOB, note TEXT, updated TEXT)
//   witness_evidence(id INTEGER PRIMARY KEY, origin, size, kind, reason, cosigned,
//                    submitted, received)
//
// Advance() runs under BEGIN IMMEDIATE, SQLite's write lock, so concurrent
// stores on the same file serialize.
#pragma once

#include <memory>
#include <string>

#include "storage/sqlite/log_store.h"
#include "storage/witness_store.h"

namespace accord::storage {

class SqliteWitnessStore : public WitnessStore {
 public:
  // Opens the registry at `path` (as SqliteLogStore::Open) and creates the
  // witness tables if missing.
  static Result<std::unique_ptr<WitnessStore>> Open(const std::string& path);

  Result<std::optional<WitnessedCheckpoint>> Latest(std::string_view origin) override;
  Result<bool> Advance(uint64_t expected_size, const WitnessedCheckpoint& next) override;
  Status AddEvidence(const WitnessEvidence& e) override;
  Result<std::vector<WitnessEvidence>> ListEvidence() override;

 private:
  explicit SqliteWitnessStore(std::unique_ptr<SqliteLogStore> log) : log_(std::move(log)) {}
  SqliteDb& db() { return log_->db(); }
  std::unique_ptr<SqliteLogStore> log_;
};

}  // namespace accord::storage
