// A dry run of Registry::Record: what recording some events now would
// change, or the refusal Record would give, without writing anything.
// Apart from registry.h so that the many files including that one do not
// depend on it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "registry/registry.h"

namespace accord::registry {

// One entity's document as an event would leave it.
struct WouldChange {
  std::string kind;
  std::string id;
  nlohmann::json doc;
};
struct WouldRecord {
  Recorded event;  // the index it would have, its type and subject
  std::vector<WouldChange> changes;
};
struct DryRunResult {
  std::vector<WouldRecord> events;
};

// Checks `items` exactly as registry.Record(items, signer, false) would
// record them at time `now` (seconds since the epoch), against the current
// state, through the same preparation (signature, replay, rules, the
// batch's earlier events applied for the later ones), and returns what they
// would change, or the refusal Record would give. Opens no transaction and
// writes nothing, so it works on a registry opened read-only; signatures
// made with `signer` are thrown away. Another writer may append between a
// dry run and the real Record: a dry run predicts, Record decides.
Result<DryRunResult> DryRun(Registry& registry, const std::vector<Submission>& items,
                            const note::Signer* signer, int64_t now);

}  // namespace accord::registry
