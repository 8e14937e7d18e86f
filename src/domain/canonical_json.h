// Canonical JSON: the one text of a JSON value that signatures and log
// leaves cover, so that any two implementations that agree on the value
// agree on the bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "domain/strict_json.h"  // kMaxSafeInteger
#include "util/status.h"

namespace accord::domain {

// Canonical JSON: object keys sorted by their UTF-8 bytes, no insignificant
// white space, strings as UTF-8 with only the escapes JSON requires
// (\" \\ and control characters: \b \f \n \r \t, others as \u00xx), integers
// in plain decimal. Fails (InvalidArgument) on floats, unsafe integers or
// invalid UTF-8 anywhere in `value`.
Result<std::string> CanonicalJson(const nlohmann::json& value);
// The same; also stores in *max_depth (if not null) how deeply arrays and
// objects nest in `value` (0 for a scalar, 1 for a flat object).
Result<std::string> CanonicalJson(const nlohmann::json& value, int* max_depth);

// Appends `s` as a canonical JSON string, quotes included. REQUIRES: `s` is
// valid UTF-8 (unchecked here; CanonicalJson checks).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace accord::domain
