// Helpers shared by the registry benchmarks: failing loudly on a non-OK
// result, and presigned events built the way registry/demo.cc builds them.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "domain/envelope.h"
#include "note/note.h"
#include "registry/demo.h"
#include "util/encoding.h"
#include "util/status.h"

namespace accord_bench {

template <typename T>
T Check(accord::Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}
inline void Check(const accord::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.ToString());
}

// Presigned events as canonical JSON text.
class Events {
 public:
  explicit Events(const accord::registry::DemoKeys& keys) : keys_(keys) {}

  std::string Add(const std::string& party, const std::string& actor, const std::string& date,
                  const std::string& type, const std::string& subject, nlohmann::json body) const {
    nlohmann::json e = {
        {"v", 1},         {"type", type},       {"time", date + "T00:00:00Z"}, {"party", party},
        {"actor", actor}, {"subject", subject}, {"body", std::move(body)}};
    const accord::note::Signer* s = party == "RU"   ? keys_.ru
                                    : party == "UZ" ? keys_.uz
                                                    : keys_.node;
    std::string message = Check(accord::domain::SigningMessage(e), "signing message");
    e["key"] = accord::domain::KeyIdHex(s->key_id());
    e["sig"] = accord::Base64Encode(s->Sign(message));
    return Check(accord::domain::CanonicalJson(e), "canonical json");
  }

 private:
  const accord::registry::DemoKeys& keys_;
};

}  // namespace accord_bench
