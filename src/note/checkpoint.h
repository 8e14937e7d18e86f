// C2SP checkpoints (c2sp.org/tlog-checkpoint): the text a log signs to
// commit to its size and root hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.h"
#include "util/status.h"

namespace accord::note {

// A C2SP tlog-checkpoint body:
//   <origin>\n<size>\n<base64 root>\n[extension lines]
struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // each without its newline; non-empty

  std::string Text() const;
};

// Parses checkpoint note text (not the signatures): origin non-empty, size a
// decimal without leading zeros (except "0"), root the base64 of 32 bytes.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// Parses a decimal uint64 as checkpoints and tlog-witness write sizes: no
// sign, no leading zeros (except "0"), no overflow. False if malformed.
bool ParseDecimal(std::string_view s, uint64_t* out);

}  // namespace accord::note
