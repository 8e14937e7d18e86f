// The canonical form every backend digests its projections in
// (EntityStore::Digest), so the same content digests alike on SQLite and on
// PostgreSQL: length-prefixed fields, typed cells. Also the identifier rule
// for typed tables and columns, the same on every backend.
#pragma once

#include <string_view>

#include "crypto/sha256.h"
#include "storage/entity_store.h"

namespace accord::storage {

// The first bytes of every projection digest.
inline constexpr std::string_view kProjectionDigestHeader = "accord-projections/v1\n";

// One field, length-prefixed, so that no choice of content can make two
// different rows hash alike.
void DigestField(Sha256Stream& h, std::string_view v);
// A typed cell: its kind (NULL, integer, text), then its value.
void DigestValue(Sha256Stream& h, const RowValue& v);
// [a-z_][a-z0-9_]*, at most 64 characters: safe to splice as an identifier.
bool IsSqlIdentifier(std::string_view s);

}  // namespace accord::storage
