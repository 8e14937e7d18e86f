// The demo scenario: the world of the seed document (the 2016 Russia–
// Uzbekistan Treaty on the Development of Military-Technical Cooperation) as
// events. Deals follow SIPRI's Russia→Uzbekistan records; prices and some
// dates are illustrative and say so.
//
// The scenario is data, not code: examples/demo/*.ndjson hold its events,
// unsigned, one per line, one file per chapter, recorded in file-name order.
// Lines starting with '#' are comments. The parties' public keys differ in
// every demo registry, so a key registration names them by placeholder:
// the string "<vkey of RU>" (or UZ) is replaced by that party's vkey. Each
// event is signed when loaded, with the key of its party ("registry": the
// node key), through the one input path (ParseSubmissions, SignSubmission).
//
// The files are compiled into the binary at build time (CMake reads them
// into a generated source, as it does docs/openapi.json), so `accord demo`
// works from any directory, from an installed binary and without a checkout;
// CMake re-runs when a file changes. RecordScenario takes other files, e.g.
// for tests or a scenario read from elsewhere.
#pragma once

#include <string_view>
#include <vector>

#include "note/note.h"
#include "registry/registry.h"

namespace accord::registry {

struct DemoKeys {
  const note::Signer* node = nullptr;  // the registry's own key
  const note::Signer* ru = nullptr;    // Russian Federation
  const note::Signer* uz = nullptr;    // Republic of Uzbekistan
};

// One chapter of a scenario: its file name (for messages) and its NDJSON.
struct DemoFile {
  std::string_view name;
  std::string_view text;
};

// examples/demo/*.ndjson as compiled in, in file-name order.
const std::vector<DemoFile>& DemoScenario();

// Signs and records `files` in order, in one batch (nothing is recorded if
// any event is refused; the refusal names the file and line). Returns how
// many events.
Result<size_t> RecordScenario(Registry& registry, const DemoKeys& keys,
                              const std::vector<DemoFile>& files);

// Records DemoScenario().
Result<size_t> RecordDemo(Registry& registry, const DemoKeys& keys);

}  // namespace accord::registry
