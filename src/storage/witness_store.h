// The witness's memory (C2SP tlog-witness): for each log, by origin, the
// latest checkpoint this node cosigned; and the checkpoints it refused that
// show a log misbehaving (a fork: the same size with another root; or a
// checkpoint its log could not prove consistent), kept as evidence.
//
// It lives in the node's registry database, beside the log and the accounts
// but part of neither: the log never reads it and a rebuild leaves it alone.
// A WitnessStore is one connection and is not thread-safe; several stores
// (threads, processes) may share one database, and Advance() stays correct
// between them.
//
// Tables (every backend): witness_logs(origin PK, size, root, note, updated),
// witness_evidence(id PK, origin, size, kind, reason, cosigned, submitted,
// received).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::storage {

struct WitnessedCheckpoint {
  std::string origin;
  uint64_t size = 0;
  std::string root;     // 32 bytes
  std::string note;     // the checkpoint as cosigned (with this witness's cosignature)
  std::string updated;  // RFC 3339
};

struct WitnessEvidence {
  int64_t id = 0;  // assigned by AddEvidence, increasing
  std::string origin;
  uint64_t size = 0;      // of the refused checkpoint
  std::string kind;       // "fork" or "inconsistent"
  std::string reason;     // one line for people
  std::string cosigned;   // the cosigned checkpoint it conflicts with (may be empty)
  std::string submitted;  // the whole add-checkpoint request body
  std::string received;   // RFC 3339
};

class WitnessStore {
 public:
  virtual ~WitnessStore() = default;

  // The latest cosigned checkpoint of `origin`, or nullopt if never cosigned.
  virtual Result<std::optional<WitnessedCheckpoint>> Latest(std::string_view origin) = 0;

  // Compare-and-set, in one transaction: if the size stored for next.origin
  // is `expected_size` (a log never cosigned counts as size 0), replaces the
  // record with `next` and returns true; otherwise writes nothing and returns
  // false. This is the atomic check-and-store tlog-witness requires: two
  // requests checked against the same size cannot both advance.
  // REQUIRES: next.size >= expected_size.
  virtual Result<bool> Advance(uint64_t expected_size, const WitnessedCheckpoint& next) = 0;

  // Appends one record of evidence (its `id` is ignored and assigned).
  virtual Status AddEvidence(const WitnessEvidence& e) = 0;
  // Every record, oldest first.
  virtual Result<std::vector<WitnessEvidence>> ListEvidence() = 0;
};

// Opens the witness tables of the registry database at `locator` (a --db
// argument), creating them if missing. NotFound if there is no database,
// InvalidArgument if it is not an Accord registry.
Result<std::unique_ptr<WitnessStore>> OpenWitnessStore(std::string_view locator);

}  // namespace accord::storage
