// Hex and base64 (RFC 4648 §4, standard alphabet, padded) codecs.
//
// Decoders are strict: they reject wrong lengths, characters outside the
// alphabet, missing or misplaced padding and non-canonical trailing bits, so
// that every accepted string has exactly one byte sequence and vice versa.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace accord {

// Lowercase hex.
std::string HexEncode(std::string_view bytes);
// Accepts upper- and lowercase; the length must be even.
Result<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
// RFC 4648 §5 (URL- and file-safe alphabet), without padding.
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace accord
