#include "domain/envelope.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "domain/json_messages.h"
#include "util/encoding.h"
#include "util/utf8.h"

namespace accord::domain {
namespace {

using json_messages::Describe;
using nlohmann::json;

constexpr char kAllowedEventFields[] = "v, type, time, party, actor, subject, body";
constexpr size_t kMaxTextField = 200;  // party, actor, subject
// A leaf wraps an event one level deeper and adds key id, signature and time.
constexpr int kMaxLeafDepth = kMaxJsonDepth + 1;
constexpr size_t kMaxLeafBytes = kMaxEventBytes + 1024;

std::string_view TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "a non-JSON value";
  }
}

Status FieldError(std::string_view field, const std::string& message) {
  return Status::InvalidArgument(std::string(field) + ": " + message);
}

bool IsLowerWord(std::string_view s) {
  // ^[a-z][a-z_]*$
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

bool IsEventType(std::string_view s) {
  // ^[a-z][a-z_]*\.[a-z][a-z_]*$
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  return IsLowerWord(s.substr(0, dot)) && IsLowerWord(s.substr(dot + 1));
}

// The string of `field`, non-empty, at most kMaxTextField bytes of UTF-8
// without control characters (C0, DEL, C1).
Result<std::string> TextField(const json& event, std::string_view field) {
  const json& v = event.find(field).value();
  if (!v.is_string()) return FieldError(field, "expected a string, got " + Describe(v));
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty()) return FieldError(field, "must not be empty");
  if (s.size() > kMaxTextField) {
    return FieldError(field, "is " + std::to_string(s.size()) + " bytes long; at most " +
                                 std::to_string(kMaxTextField) + " are allowed");
  }
  if (size_t bad = FindInvalidUtf8(s); bad != std::string_view::npos) {
    return FieldError(field, "invalid UTF-8 at byte " + std::to_string(bad));
  }
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) {
      return FieldError(field, QuoteForMessage(s) + " contains a control character");
    }
  }
  return s;
}

std::pair<std::string_view, std::string_view> SplitSubject(std::string_view subject) {
  size_t slash = subject.find('/');
  if (slash == std::string_view::npos) return {subject, {}};
  return {subject.substr(0, slash), subject.substr(slash + 1)};
}

bool IsUtcDateTime(std::string_view t) {
  return ParseRfc3339(t).ok() && !t.empty() && t.back() == 'Z';
}

}  // namespace

std::string_view Event::subject_kind() const {
  return SplitSubject(subject).first;
}
std::string_view Event::subject_id() const {
  return SplitSubject(subject).second;
}

Result<Event> ParseEvent(nlohmann::json event) {
  static constexpr std::string_view kFields[] = {"v",     "type",    "time", "party",
                                                 "actor", "subject", "body"};
  if (!event.is_object()) {
    return Status::InvalidArgument("an event must be a JSON object, got " +
                                   std::string(TypeName(event)));
  }
  for (const auto& [key, value] : event.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), key) == std::end(kFields)) {
      return Status::InvalidArgument("unknown field " + QuoteForMessage(key) +
                                     " (allowed: " + kAllowedEventFields + ")");
    }
  }
  for (std::string_view f : kFields) {
    if (!event.contains(f)) {
      return Status::InvalidArgument("missing field \"" + std::string(f) + "\"");
    }
  }
  Event e;
  const json& v = event["v"];
  if (!v.is_number_integer() || v.get<int64_t>() != 1) {
    return FieldError("v", "expected the integer 1 (envelope version), got " + Describe(v));
  }
  e.version = 1;

  const json& type = event["type"];
  if (!type.is_string()) return FieldError("type", "expected a string, got " + Describe(type));
  e.type = type.get<std::string>();
  if (!IsEventType(e.type)) {
    return FieldError("type", QuoteForMessage(e.type) +
                                  " is not an event type noun.verb_past (lowercase letters and "
                                  "'_', e.g. \"agreement.ratified\")");
  }

  const json& time = event["time"];
  if (!time.is_string()) return FieldError("time", "expected a string, got " + Describe(time));
  e.time = time.get<std::string>();
  auto t = ParseRfc3339(e.time);
  if (!t.ok()) return t.status().WithContext("time");
  e.time_unix = *t;

  ASSIGN_OR_RETURN(e.party, TextField(event, "party"));
  ASSIGN_OR_RETURN(e.actor, TextField(event, "actor"));
  ASSIGN_OR_RETURN(e.subject, TextField(event, "subject"));
  auto [kind, id] = SplitSubject(e.subject);
  if (!IsLowerWord(kind) || id.empty()) {
    return FieldError("subject", QuoteForMessage(e.subject) +
                                     " is not <kind>/<id> with a lowercase kind (e.g. "
                                     "\"contract/RU-UZ-2018-001\")");
  }

  const json& body = event["body"];
  if (!body.is_object()) {
    return FieldError("body", "expected a JSON object, got " + std::string(TypeName(body)));
  }
  // Everything inside must be canonical-JSON material (no floats, unsafe
  // integers or invalid UTF-8), or the event could not be signed.
  auto canonical = CanonicalJson(event);
  if (!canonical.ok()) return canonical.status();

  e.json = std::move(event);
  e.canonical = std::move(canonical).value();
  return e;
}

bool IsSafeId(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  bool segment_start = true;
  for (char c : id) {
    if (c == '/') {
      if (segment_start) return false;  // empty segment
      segment_start = true;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == ':' || (c == '.' && !segment_start);
    if (!ok) return false;
    segment_start = false;
  }
  return !segment_start;
}

Status CheckIds(const Event& event) {
  constexpr char kAllowed[] =
      " is not a safe id: segments separated by '/', each of ASCII letters, digits, '-', '_', "
      "'.' and ':', not starting with '.'";
  if (!IsSafeId(event.party)) return FieldError("party", QuoteForMessage(event.party) + kAllowed);
  if (!IsSafeId(event.actor)) return FieldError("actor", QuoteForMessage(event.actor) + kAllowed);
  if (!IsSafeId(event.subject_id())) {
    return FieldError("subject", QuoteForMessage(event.subject) + ": the id" + kAllowed);
  }
  return Status::Ok();
}

std::string SigningMessage(const Event& event) {
  return std::string(kEventSignaturePrefix) + event.canonical;
}

Result<std::string> SigningMessage(const nlohmann::json& event) {
  ASSIGN_OR_RETURN(std::string canonical, CanonicalJson(event));
  return std::string(kEventSignaturePrefix) + canonical;
}

Result<std::optional<PresignedEvent>> SplitPresigned(const nlohmann::json& object) {
  if (!object.is_object()) {
    return Status::InvalidArgument("expected a JSON object, got " + std::string(TypeName(object)));
  }
  bool has_key = object.contains("key");
  bool has_sig = object.contains("sig");
  if (!has_key && !has_sig) return std::optional<PresignedEvent>();
  if (!has_key || !has_sig) {
    return Status::InvalidArgument(std::string("missing field \"") + (has_key ? "sig" : "key") +
                                   R"(" (a signed event carries both "key" and "sig"))");
  }
  PresignedEvent p;
  const json& key = object["key"];
  auto key_id = key.is_string() ? ParseKeyIdHex(key.get_ref<const std::string&>())
                                : Result<uint32_t>(Status::InvalidArgument("not a string"));
  if (!key_id.ok()) {
    return FieldError("key",
                      "expected the signer's key id as 8 hex digits (e.g. \"0a1b2c3d\"), "
                      "got " +
                          Describe(key));
  }
  p.key_id = *key_id;
  const json& sig = object["sig"];
  auto signature = sig.is_string() ? Base64Decode(sig.get_ref<const std::string&>())
                                   : Result<std::string>(Status::InvalidArgument("not a string"));
  if (!signature.ok() || signature->size() != 64) {
    return FieldError(
        "sig", "expected a base64 Ed25519 signature (64 bytes), got " +
                   (signature.ok() ? std::to_string(signature->size()) + " bytes" : Describe(sig)));
  }
  p.signature = std::move(signature).value();
  p.event = object;
  p.event.erase("key");
  p.event.erase("sig");
  return std::optional<PresignedEvent>(std::move(p));
}

namespace {

// The leaf around an event already in canonical form.
Result<std::string> LeafAround(std::string_view canonical_event, uint32_t key_id,
                               std::string_view signature, std::string_view logged_at) {
  if (signature.size() != 64) {
    return Status::InvalidArgument("leaf: the signature must be 64 bytes, got " +
                                   std::to_string(signature.size()));
  }
  if (!IsUtcDateTime(logged_at)) {
    return Status::InvalidArgument("leaf: logged-at time " + QuoteForMessage(logged_at) +
                                   " is not an RFC 3339 date-time in UTC (ending in Z)");
  }
  // Members in key order: e < k < s < t.
  std::string leaf;
  leaf.reserve(canonical_event.size() + 160);
  leaf += "{\"e\":";
  leaf += canonical_event;
  leaf += R"(,"k":")" + KeyIdHex(key_id) + R"(","s":")" + Base64Encode(signature) + R"(","t":)";
  AppendJsonString(leaf, logged_at);
  leaf += '}';
  if (leaf.size() > kMaxLeafEntryBytes) {
    return Status::InvalidArgument(
        "event too large for the log: its log entry would be " + std::to_string(leaf.size()) +
        " bytes, more than " + std::to_string(kMaxLeafEntryBytes) +
        " (a C2SP tlog-tiles entry bundle holds entries of at most 65,535 bytes); split it into "
        "several events, e.g. a shipment's serials over several parts");
  }
  return leaf;
}

}  // namespace

Result<std::string> MakeLeaf(const nlohmann::json& event, uint32_t key_id,
                             std::string_view signature, std::string_view logged_at) {
  if (!event.is_object()) {
    return Status::InvalidArgument("leaf: the event must be a JSON object, got " +
                                   std::string(TypeName(event)));
  }
  int depth = 0;
  auto canonical = CanonicalJson(event, &depth);
  if (!canonical.ok()) return canonical.status().WithContext("leaf: event");
  if (depth > kMaxJsonDepth) {
    return Status::InvalidArgument("leaf: event nested deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels");
  }
  return LeafAround(*canonical, key_id, signature, logged_at);
}

Result<std::string> MakeLeaf(const Event& event, uint32_t key_id, std::string_view signature,
                             std::string_view logged_at) {
  return LeafAround(event.canonical, key_id, signature, logged_at);
}

Result<Leaf> ParseLeaf(std::string_view text) {
  auto parsed = ParseStrictJson(text, kMaxLeafBytes, kMaxLeafDepth);
  if (!parsed.ok()) return parsed.status().WithContext("leaf");
  json& j = *parsed;
  if (!j.is_object()) {
    return Status::InvalidArgument("leaf: expected a JSON object, got " + std::string(TypeName(j)));
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "e" && key != "k" && key != "s" && key != "t") {
      return Status::InvalidArgument("leaf: unknown field " + QuoteForMessage(key) +
                                     " (allowed: e, k, s, t)");
    }
  }
  for (const char* f : {"e", "k", "s", "t"}) {
    if (!j.contains(f))
      return Status::InvalidArgument(std::string("leaf: missing field \"") + f + "\"");
  }
  Leaf leaf;
  if (!j["e"].is_object()) {
    return Status::InvalidArgument("leaf: e: expected the event object, got " +
                                   std::string(TypeName(j["e"])));
  }
  const json& k = j["k"];
  auto key_id = k.is_string() ? ParseKeyIdHex(k.get_ref<const std::string&>())
                              : Result<uint32_t>(Status::InvalidArgument("not a string"));
  if (!key_id.ok() || k.get_ref<const std::string&>() != KeyIdHex(*key_id)) {
    return Status::InvalidArgument("leaf: k: expected 8 lowercase hex digits, got " + Describe(k));
  }
  leaf.key_id = *key_id;
  const json& s = j["s"];
  auto signature = s.is_string() ? Base64Decode(s.get_ref<const std::string&>())
                                 : Result<std::string>(Status::InvalidArgument("not a string"));
  if (!signature.ok() || signature->size() != 64) {
    return Status::InvalidArgument("leaf: s: expected a base64 signature of 64 bytes, got " +
                                   Describe(s));
  }
  leaf.signature = std::move(signature).value();
  const json& t = j["t"];
  if (!t.is_string() || !IsUtcDateTime(t.get_ref<const std::string&>())) {
    return Status::InvalidArgument("leaf: t: expected an RFC 3339 date-time in UTC, got " +
                                   Describe(t));
  }
  leaf.logged_at = t.get<std::string>();
  auto canonical = CanonicalJson(j);
  if (!canonical.ok()) return canonical.status().WithContext("leaf");
  if (*canonical != text) return Status::InvalidArgument("leaf is not canonical");
  leaf.event = std::move(j["e"]);
  return leaf;
}

std::string KeyIdHex(uint32_t key_id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(key_id));
  return buf;
}

Result<uint32_t> ParseKeyIdHex(std::string_view hex) {
  bool ok = hex.size() == 8;
  uint32_t v = 0;
  for (size_t i = 0; ok && i < hex.size(); ++i) {
    char c = hex[i];
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (d < 0) ok = false;
    v = (v << 4) | static_cast<uint32_t>(d & 15);
  }
  if (!ok) {
    return Status::InvalidArgument("key id " + QuoteForMessage(hex) +
                                   " is not 8 hex digits (e.g. \"0a1b2c3d\")");
  }
  return v;
}

}  // namespace accord::domain
