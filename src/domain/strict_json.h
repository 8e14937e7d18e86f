// Strict parsing of untrusted JSON text: what the registry accepts from a
// client or reads back from its own log, refused as early and as precisely
// as possible (byte offset or JSON path, and what was expected).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
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

// Parses untrusted JSON text strictly: valid UTF-8, no duplicate keys in any
// object, no floating-point numbers (integers only, within ±kMaxSafeInteger),
// nesting at most kMaxJsonDepth, at most kMaxEventBytes. Errors say where
// (byte offset or JSON path) and what was expected.
Result<nlohmann::json> ParseStrictJson(std::string_view text);
// The same with other limits on size and nesting (a log leaf wraps an event
// one level deeper and adds a few fields).
Result<nlohmann::json> ParseStrictJson(std::string_view text, size_t max_bytes, int max_depth);

}  // namespace accord::domain
