// Reads a signing key (.skey) from a file: the one way every command, the
// API server and the registry turn a key file into a note::Signer, so that a
// bad or missing key file is reported the same way everywhere.
//
// The file holds one signed-note private key (PRIVATE+KEY+<name>+<id>+
// <base64>), surrounding whitespace ignored; "-" means standard input. The
// file's permissions are not checked: key files are written 0600 by
// `accord keygen`, `init` and `demo`, and refusing a readable key has never
// been part of the contract.
#pragma once

#include <string>

#include "note/note.h"
#include "util/status.h"

namespace accord::note {

// Larger files are refused before parsing: a key file is one short line.
inline constexpr size_t kMaxSignerFileSize = 4096;

// The key in `path`. Errors name the file: NotFound or IoError "signing key:
// cannot read <path>: <why>", InvalidArgument "signing key <path> is not a
// signed-note private key (<why>); expected PRIVATE+KEY+<name>+<id>+<base64>".
Result<Signer> LoadSignerFile(const std::string& path);

}  // namespace accord::note
