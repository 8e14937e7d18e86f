// A check of an SQLite write-ahead log (the "-wal" file beside a database)
// before the database is opened read-only, for `accord verify`.
//
// SQLite reads a WAL only up to its first damaged part: a WAL whose header
// is damaged is ignored whole, and frames after a damaged frame are ignored.
// At the tail of the file that is normal (a write torn by a crash, never
// acknowledged); anywhere else it means committed, acknowledged transactions
// that the database would silently lose, and the next writer would then
// reset the WAL and erase the evidence. CheckWalFile reads the file (never
// writes it) and fails when:
//   - it is not empty but shorter than its 32-byte header, or the header's
//     magic, version, page size or checksum is wrong;
//   - a frame of the current generation (the header's salts) fails its
//     checksum and a commit frame of the same generation follows it.
// Format: https://www.sqlite.org/fileformat2.html#walformat.
//
// Run on a database that a writer is using, the check may see a header being
// rewritten at that instant; verify a copy or a quiet database.
#pragma once

#include <string>

#include "util/status.h"

namespace accord::storage {

// OK if `db_path`-wal is missing, empty or sound; Corruption naming the file,
// the damage and what it means otherwise; IoError if it cannot be read.
Status CheckWalFile(const std::string& db_path);

}  // namespace accord::storage
