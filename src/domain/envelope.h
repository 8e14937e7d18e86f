// Accord events: the envelope, its canonical JSON, its Ed25519 signature and
// the log leaf that carries it (see ../shared/BRIEF.md, "Event envelope").
//
// An event as submitted:
//   {"v":1,"type":"contract.signed","time":"2018-06-01T00:00:00Z","party":"UZ",
//    "actor":"uz-mod/officer-17","subject":"contract/RU-UZ-2018-001","body":{...}}
// Its signature is Ed25519 over "accord-event/v1\n" + CanonicalJson(event).
// The log leaf is the canonical JSON of
//   {"e":event,"k":"<key id hex>","s":"<base64 sig>","t":"<logged-at RFC 3339>"}
//
// This file knows the envelope only; what a body must contain for each type
// is the domain rules' business. Strict JSON, canonical JSON and time stamps
// have their own headers, included here because every user of events needs
// them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/canonical_json.h"
#include "domain/civil_time.h"
#include "domain/strict_json.h"
#include "util/status.h"

namespace accord::domain {

inline constexpr char kEventSignaturePrefix[] = "accord-event/v1\n";

// The validated envelope of one event.
// clang-tidy 14 reports the implicit noexcept move of a struct holding
// nlohmann::json as throwing; json's move does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Event {
  int version = 1;
  std::string type;  // noun.verb_past, e.g. "agreement.ratified"
  std::string time;  // as given (RFC 3339)
  int64_t time_unix = 0;
  std::string party;      // acting party: ISO 3166-1 alpha-2, or "XX"-style code the registry knows
  std::string actor;      // who acted, a pseudonymous id such as "uz-mod/officer-17"
  std::string subject;    // "<kind>/<id>", e.g. "contract/RU-UZ-2018-001"
  nlohmann::json json;    // the whole event object, exactly as signed
  std::string canonical;  // CanonicalJson(json), computed once by ParseEvent

  const nlohmann::json& body() const { return json.at("body"); }
  // "contract" of "contract/RU-UZ-2018-001".
  std::string_view subject_kind() const;
  // "RU-UZ-2018-001" of "contract/RU-UZ-2018-001".
  std::string_view subject_id() const;
};

// Checks the envelope of `event` (a parsed object): exactly the keys v, type,
// time, party, actor, subject, body; v == 1; type matches
// ^[a-z][a-z_]*\.[a-z][a-z_]*$; time is RFC 3339; party, actor, subject
// non-empty strings without control characters (subject "<kind>/<id>"); body
// an object. Errors name the field ("type: ...").
Result<Event> ParseEvent(nlohmann::json event);

// The safe alphabet of identifiers: one or more segments separated by '/',
// each made of ASCII letters, digits, '-', '_', '.' and ':' and not starting
// with '.' (so no "..", no empty segment); at most 200 bytes. Everything
// else — spaces, '%', '?', '#', '<', any non-ASCII letter such as a Cyrillic
// homoglyph, zero-width or bidirectional marks — is refused, so ids cannot
// be confused with each other or escape a URL path or an HTML page.
bool IsSafeId(std::string_view id);

// New input only (registry::ParseSubmission, and Registry::Record for the
// entity ids the rules create): the party, the actor and the subject's id are
// safe ids. InvalidArgument naming the field and what is allowed. A log
// recorded before this check still replays.
Status CheckIds(const Event& event);

// The bytes an event signature covers.
Result<std::string> SigningMessage(const nlohmann::json& event);
// The same for a parsed event, from its canonical text (no re-serialization).
std::string SigningMessage(const Event& event);

// A signed event as submitted by a client: the event fields plus "key" (the
// signer's 8-hex-digit key id) and "sig" (base64 Ed25519 signature).
// clang-tidy 14 reports the implicit noexcept move of a struct holding
// nlohmann::json as throwing; json's move does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct PresignedEvent {
  nlohmann::json event;  // without "key" and "sig"
  uint32_t key_id = 0;
  std::string signature;  // 64 bytes
};
// Splits "key" and "sig" off an object if both are present (nullopt if
// neither is; an error if only one is or either is malformed).
Result<std::optional<PresignedEvent>> SplitPresigned(const nlohmann::json& object);

// The largest log leaf MakeLeaf makes: a C2SP tlog-tiles entry bundle
// prefixes each entry with a 16-bit length. An event whose leaf would be
// larger is refused (InvalidArgument saying so).
inline constexpr size_t kMaxLeafEntryBytes = 65535;

// The log leaf for an event signed by key `key_id` with `signature`, logged
// at `logged_at` (RFC 3339, UTC).
Result<std::string> MakeLeaf(const nlohmann::json& event, uint32_t key_id,
                             std::string_view signature, std::string_view logged_at);
// The same for a parsed event, from its canonical text.
Result<std::string> MakeLeaf(const Event& event, uint32_t key_id, std::string_view signature,
                             std::string_view logged_at);

// clang-tidy 14 reports the implicit noexcept move of a struct holding
// nlohmann::json as throwing; json's move does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Leaf {
  nlohmann::json event;
  uint32_t key_id = 0;
  std::string signature;
  std::string logged_at;
};
// Parses a leaf made by MakeLeaf, checking it is canonical.
Result<Leaf> ParseLeaf(std::string_view leaf);

// "0a1b2c3d" <-> 0x0a1b2c3d.
std::string KeyIdHex(uint32_t key_id);
Result<uint32_t> ParseKeyIdHex(std::string_view hex);

}  // namespace accord::domain
