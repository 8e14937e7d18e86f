// `accord witness evidence` and `accord checkpoint verify --policy` (see
// cli/witness_commands.h). The witness itself runs inside `accord serve`
// (--witness-key, --witness-log; log/witness.h).
#include "cli/witness_commands.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/io.h"
#include "cli/table.h"
#include "note/policy.h"
#include "registry/registry.h"
#include "storage/witness_store.h"

namespace accord::cli {

int RunWitnessEvidence(const WitnessEvidenceOptions& o) {
  // Checks that --db is a registry before touching it.
  auto reg = registry::Registry::Open(o.db, /*writable=*/false);
  if (!reg.ok()) return Fail(reg.status());
  auto store = storage::OpenWitnessStore(o.db);
  if (!store.ok()) return Fail(store.status());
  auto all = (*store)->ListEvidence();
  if (!all.ok()) return Fail(all.status());
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const storage::WitnessEvidence& e : *all) {
      list.push_back({{"id", e.id},
                      {"origin", e.origin},
                      {"size", e.size},
                      {"kind", e.kind},
                      {"reason", e.reason},
                      {"received", e.received},
                      {"cosigned_checkpoint", e.cosigned},
                      {"request", e.submitted}});
    }
    std::cout << list.dump(2) << "\n";
    return kExitOk;
  }
  if (all->empty()) {
    std::cerr << "no evidence: the witness has refused no checkpoint as a fork or "
                 "inconsistency\n";
    return kExitOk;
  }
  Table t({"id", "received", "origin", "size", "kind", "reason"});
  for (const storage::WitnessEvidence& e : *all) {
    t.Add({std::to_string(e.id), e.received, e.origin, std::to_string(e.size), e.kind, e.reason});
  }
  std::cout << t.Render();
  std::cerr << "(--json shows both checkpoints and the request with its proof)\n";
  return kExitOk;
}

int RunCheckpointVerify(const CheckpointVerifyOptions& o) {
  auto policy_text = ReadInput(o.policy, 1 << 20);
  if (!policy_text.ok()) return Fail(policy_text.status().WithContext("--policy"));
  auto policy = note::ParsePolicy(*policy_text);
  if (!policy.ok()) return Fail(policy.status().WithContext(o.policy));
  auto note_text = ReadInput(o.input, note::kMaxNoteSize);
  if (!note_text.ok()) return Fail(note_text.status());
  auto v = note::VerifyWithPolicy(*note_text, *policy);
  if (!v.ok()) {
    // Whatever is wrong with the checkpoint, it does not verify.
    return Fail(Status::VerificationFailed("checkpoint " +
                                           (o.input == "-" ? std::string("(stdin)") : o.input) +
                                           ": " + v.status().message()));
  }
  std::string who;
  for (const std::string& c : v->cosigners) who += (who.empty() ? "" : ", ") + c;
  if (o.json) {
    std::cout << nlohmann::json{{"origin", v->origin},
                                {"size", v->size},
                                {"log", v->log},
                                {"cosigners", v->cosigners},
                                {"quorum", policy->quorum},
                                {"quorum_met", v->quorum_met}}
                     .dump(2)
              << "\n";
  }
  std::cerr << "checkpoint " << v->origin << " size " << v->size << ": signed by " << v->log
            << "; cosigned by " << (who.empty() ? "none" : who) << "; quorum " << policy->quorum
            << " met\n";
  return kExitOk;
}

}  // namespace accord::cli
