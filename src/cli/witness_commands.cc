// `accord witness evidence`: what the node's witness refused and kept
// (storage/witness_store.h). The witness itself runs inside `accord serve`
// (--witness-key, --witness-log; log/witness.h).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/io.h"
#include "cli/serve_commands.h"
#include "cli/table.h"
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

}  // namespace accord::cli
