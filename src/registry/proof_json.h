// Proofs as JSON in the schemas of transparency-dev's merkle test data
// (shared/data/tlog/probes), which `accord log prove|consistency`, the API's
// /v1/log/proof/* and `accord trace` all print, and `accord log
// verify-proof` reads:
//   inclusion:   {"leafIdx","treeSize","root","leafHash","proof":[base64...]}
//   consistency: {"size1","size2","root1","root2","proof":[base64...]}
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "log/log.h"
#include "util/status.h"

namespace accord::registry {

// Fails with InvalidArgument (naming the value) when index >= size or size
// is past the log's size.
Result<nlohmann::json> InclusionProofJson(log::Log& log, uint64_t index, uint64_t size);
// Fails with InvalidArgument unless 0 < size1 <= size2 <= the log's size.
Result<nlohmann::json> ConsistencyProofJson(log::Log& log, uint64_t size1, uint64_t size2);

}  // namespace accord::registry
