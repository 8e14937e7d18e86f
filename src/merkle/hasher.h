// RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashing with SHA-256.
#pragma once

#include <string_view>

#include "crypto/sha256.h"

namespace accord::merkle {

// MTH of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();
// HASH(0x00 || leaf).
Hash LeafHash(std::string_view leaf);
// HASH(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);

}  // namespace accord::merkle
