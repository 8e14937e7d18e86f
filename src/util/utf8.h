// UTF-8 as the registry checks it (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), and untrusted text quoted for error
// messages. Knows nothing of JSON or events.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace accord {

// Length of the well-formed UTF-8 sequence at s[i] (REQUIRES: i < s.size()),
// or 0 if there is none.
size_t Utf8SequenceLength(std::string_view s, size_t i);

// The byte offset of the first invalid UTF-8, or npos.
size_t FindInvalidUtf8(std::string_view s);

// `s` in double quotes for an error message: JSON-style escapes for controls,
// \xNN for bytes that are not UTF-8, cut after about `max` bytes. The result
// is always valid UTF-8, whatever `s` holds.
std::string QuoteForMessage(std::string_view s, size_t max = 64);

}  // namespace accord
