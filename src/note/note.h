// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, C2SP
// checkpoints (c2sp.org/tlog-checkpoint) and C2SP cosignatures
// (c2sp.org/tlog-cosignature, Ed25519 "cosignature/v1", signature type 0x04).
//
// This layer knows nothing of storage or of Accord's domain: it turns texts
// and keys into signed texts and back. Keys are in note/keys.h, checkpoints in
// note/checkpoint.h; this header includes both.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "note/checkpoint.h"
#include "note/keys.h"
#include "util/status.h"

namespace accord::note {

// Verifiers accept at most this many signature lines in one note (the
// standard asks for at least 16).
inline constexpr size_t kMaxSignatures = 100;
// Notes larger than this are refused before parsing.
inline constexpr size_t kMaxNoteSize = 1 << 20;

// One parsed signature line.
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;  // the bytes after the key id (64 for 0x01, 72 for 0x04)
};

struct Note {
  std::string text;  // includes its final newline
  std::vector<NoteSignature> signatures;
};

// Splits a signed note into text and signature lines, checking only syntax:
// valid UTF-8, no control characters but newline, text non-empty and ending
// in a newline, a blank line, then 1..kMaxSignatures well-formed lines
// "— name base64" each ending in a newline, and nothing after them.
Result<Note> ParseNote(std::string_view message);

// Signs `text` (must be non-empty, end in '\n', and itself be valid note text)
// with every signer; returns the whole note.
Result<std::string> Sign(std::string_view text, const std::vector<const Signer*>& signers);

// Appends signature lines to an existing signed note without touching its text
// (used to add cosignatures). `lines` must be complete signature lines.
Result<std::string> AddSignatureLines(std::string_view message, std::string_view lines);

struct VerifiedSignature {
  VerifierKey key;
  std::optional<uint64_t> timestamp;  // set for cosignatures
};

struct VerifiedNote {
  Note note;
  std::vector<VerifiedSignature> verified;  // in the order of the note's lines
};

// Verifies `message` against `known`. Signature lines whose (name, key id)
// match no known key are ignored. A line that matches a known key but does
// not verify rejects the whole note. A note that no known key verifies is
// rejected. Cosignatures (alg 0x04) are verified over
// "cosignature/v1\ntime <t>\n" + text.
Result<VerifiedNote> Verify(std::string_view message, const std::vector<VerifierKey>& known);

}  // namespace accord::note
