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
// is the domain rules' business.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace accord::domain {

// Limits on untrusted JSON.
// One event, as text: large enough for a shipment manifest of ~200,000 serials.
inline constexpr size_t kMaxEventBytes = 8 << 20;
inline constexpr int kMaxJsonDepth = 32;
// Integers must be "safe" (|n| <= 2^53 - 1) so that every JSON implementation,
// including a browser's, reads them exactly.
inline constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

inline constexpr char kEventSignaturePrefix[] = "accord-event/v1\n";

// Parses untrusted JSON text strictly: valid UTF-8, no duplicate keys in any
// object, no floating-point numbers (integers only, within ±kMaxSafeInteger),
// nesting at most kMaxJsonDepth, at most kMaxEventBytes. Errors say where
// (byte offset or JSON path) and what was expected.
Result<nlohmann::json> ParseStrictJson(std::string_view text);

// Canonical JSON: object keys sorted by their UTF-8 bytes, no insignificant
// white space, strings as UTF-8 with only the escapes JSON requires
// (\" \\ and control characters: \b \f \n \r \t, others as \u00xx), integers
// in plain decimal. Fails (InvalidArgument) on floats, unsafe integers or
// invalid UTF-8 anywhere in `value`.
Result<std::string> CanonicalJson(const nlohmann::json& value);

// A time stamp as RFC 3339 (date-time with a 'Z' or ±hh:mm offset, optional
// fractional seconds) or a full date YYYY-MM-DD where the field is a date.
// Parses into seconds since the Unix epoch (UTC), validating the calendar
// (month lengths, leap years).
Result<int64_t> ParseRfc3339(std::string_view text);
Result<int64_t> ParseDate(std::string_view text);  // YYYY-MM-DD -> midnight UTC
// Formats seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatRfc3339(int64_t unix_seconds);
// Formats as "YYYY-MM-DD".
std::string FormatDate(int64_t unix_seconds);

// The validated envelope of one event.
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

// The bytes an event signature covers.
Result<std::string> SigningMessage(const nlohmann::json& event);
// The same for a parsed event, from its canonical text (no re-serialization).
std::string SigningMessage(const Event& event);

// A signed event as submitted by a client: the event fields plus "key" (the
// signer's 8-hex-digit key id) and "sig" (base64 Ed25519 signature).
struct PresignedEvent {
  nlohmann::json event;  // without "key" and "sig"
  uint32_t key_id = 0;
  std::string signature;  // 64 bytes
};
// Splits "key" and "sig" off an object if both are present (nullopt if
// neither is; an error if only one is or either is malformed).
Result<std::optional<PresignedEvent>> SplitPresigned(const nlohmann::json& object);

// The log leaf for an event signed by key `key_id` with `signature`, logged
// at `logged_at` (RFC 3339, UTC).
Result<std::string> MakeLeaf(const nlohmann::json& event, uint32_t key_id,
                             std::string_view signature, std::string_view logged_at);
// The same for a parsed event, from its canonical text.
Result<std::string> MakeLeaf(const Event& event, uint32_t key_id, std::string_view signature,
                             std::string_view logged_at);

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
