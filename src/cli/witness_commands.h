// The federation's commands beside `accord serve`: `accord witness evidence`
// (what the node's witness refused, storage/witness_store.h) and `accord
// checkpoint verify --policy` (a checkpoint against a C2SP tlog-policy,
// note/policy.h).
#pragma once

#include <string>

namespace accord::cli {

struct WitnessEvidenceOptions {
  std::string db;
  bool json = false;
};
// Lists the refused checkpoints as a table, or as JSON with both
// checkpoints and the whole request.
int RunWitnessEvidence(const WitnessEvidenceOptions& o);

struct CheckpointVerifyOptions {
  std::string policy;       // a tlog-policy file
  std::string input = "-";  // the signed checkpoint; "-" is standard input
  bool json = false;
};
// Exit 0 if the checkpoint is signed by a log of the policy and its
// cosignatures meet the quorum (printing who signed on stderr, or the
// verdict as JSON on stdout); 1 if not or if the checkpoint is malformed;
// 2 for a malformed policy; 3 for an unreadable file.
int RunCheckpointVerify(const CheckpointVerifyOptions& o);

}  // namespace accord::cli
