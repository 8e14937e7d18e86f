// Small I/O helpers shared by the CLI commands.
#pragma once

#include <string>
#include <vector>

#include "note/note.h"
#include "note/signer_file.h"
#include "util/status.h"

namespace accord::cli {

// Exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitVerifyFailed = 1;  // a proof, note or log does not verify
inline constexpr int kExitBadInput =
    2;                                  // refused input: malformed, out of range, or against a rule
inline constexpr int kExitFailure = 3;  // missing files, I/O and other failures

// Prints "accord: <message>" on stderr and returns the exit code for `s`.
int Fail(const Status& s);
int ExitCodeFor(const Status& s);

// Reads a whole file ("-" means standard input), refusing more than
// `max_bytes`.
Result<std::string> ReadInput(const std::string& path, size_t max_bytes);
// Writes a file atomically-enough for keys: fails if it exists, sets `mode`.
Status WriteNewFile(const std::string& path, const std::string& content, unsigned mode);

// A signing key file: note::LoadSignerFile, the loader every layer uses.
inline Result<note::Signer> LoadSigner(const std::string& path) {
  return note::LoadSignerFile(path);
}
Result<note::VerifierKey> LoadVerifier(const std::string& path);

// True if stderr is a terminal (progress bars go there).
bool StderrIsTerminal();

}  // namespace accord::cli
