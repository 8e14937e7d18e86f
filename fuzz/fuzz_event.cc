// libFuzzer target for the event envelope: strict JSON parsing, canonical
// JSON, event and leaf parsing and RFC 3339 time stamps must reject malformed
// input cleanly, never crash, and canonical JSON must be a fixed point.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/envelope.h"

namespace {

namespace d = accord::domain;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  auto parsed = d::ParseStrictJson(input);
  if (parsed.ok()) {
    // Whatever the strict parser accepts can be canonicalized, and the
    // canonical form parses back to the same value and the same bytes.
    auto canonical = d::CanonicalJson(*parsed);
    if (!canonical.ok()) __builtin_trap();
    if (canonical->size() > input.size()) __builtin_trap();  // canonical is never longer
    auto again = d::ParseStrictJson(*canonical);
    if (!again.ok() || *again != *parsed) __builtin_trap();
    auto canonical2 = d::CanonicalJson(*again);
    if (!canonical2.ok() || *canonical2 != *canonical) __builtin_trap();

    auto event = d::ParseEvent(*parsed);
    if (event.ok()) {
      if (event->json != *parsed) __builtin_trap();
      if (event->subject_kind().empty() || event->subject_id().empty()) __builtin_trap();
      auto message = d::SigningMessage(event->json);
      if (!message.ok() || *message != d::kEventSignaturePrefix + *canonical) __builtin_trap();
      // A leaf made from any valid event parses back to it.
      std::string sig(64, '\x5a');
      auto leaf = d::MakeLeaf(event->json, 0x0a1b2c3d, sig, "2018-06-01T00:00:00Z");
      if (!leaf.ok()) __builtin_trap();
      auto back = d::ParseLeaf(*leaf);
      if (!back.ok() || back->event != event->json || back->signature != sig ||
          back->key_id != 0x0a1b2c3d) {
        __builtin_trap();
      }
    }
    auto presigned = d::SplitPresigned(*parsed);
    if (presigned.ok() && presigned->has_value()) {
      if ((*presigned)->signature.size() != 64) __builtin_trap();
      if ((*presigned)->event.contains("key") || (*presigned)->event.contains("sig")) {
        __builtin_trap();
      }
    }
  }

  auto leaf = d::ParseLeaf(input);
  if (leaf.ok()) {
    // A leaf that parses is canonical, so MakeLeaf rebuilds it exactly.
    auto rebuilt = d::MakeLeaf(leaf->event, leaf->key_id, leaf->signature, leaf->logged_at);
    if (!rebuilt.ok() || *rebuilt != input) __builtin_trap();
  }

  auto t = d::ParseRfc3339(input);
  if (t.ok()) {
    // Years 0000-9999 with offsets up to a day: the instant formats and
    // parses back to itself (leap seconds read as :59 already).
    if (*t < -62167219200 - 86400 || *t > 253402300799 + 86400) __builtin_trap();
    std::string formatted = d::FormatRfc3339(*t);
    if (*t >= -62167219200 && *t <= 253402300799) {
      auto back = d::ParseRfc3339(formatted);
      if (!back.ok() || *back != *t) __builtin_trap();
    }
  }
  auto day = d::ParseDate(input);
  if (day.ok()) {
    if (d::FormatDate(*day) != input) __builtin_trap();
    if (*day % 86400 != 0) __builtin_trap();
  }
  auto key = d::ParseKeyIdHex(input);
  if (key.ok() && d::ParseKeyIdHex(d::KeyIdHex(*key)).value() != *key) __builtin_trap();
  return 0;
}
