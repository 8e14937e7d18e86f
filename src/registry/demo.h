// The demo scenario: the world of the seed document (the 2016 Russia–
// Uzbekistan Treaty on the Development of Military-Technical Cooperation) as
// signed events. Deals follow SIPRI's Russia→Uzbekistan records; prices and
// some dates are illustrative and say so.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "note/note.h"
#include "registry/registry.h"

namespace accord::registry {

struct DemoKeys {
  const note::Signer* node = nullptr;  // the registry's own key
  const note::Signer* ru = nullptr;    // Russian Federation
  const note::Signer* uz = nullptr;    // Republic of Uzbekistan
};

// The scenario's events in order, each signed by the key its party must use
// (carrying "key" and "sig"), one JSON object per element.
Result<std::vector<std::string>> DemoEvents(const DemoKeys& keys);

// Records the whole scenario in one batch; returns how many events.
Result<size_t> RecordDemo(Registry& registry, const DemoKeys& keys);

}  // namespace accord::registry
