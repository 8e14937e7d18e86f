// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, C2SP
// checkpoints (c2sp.org/tlog-checkpoint) and C2SP cosignatures
// (c2sp.org/tlog-cosignature, Ed25519 "cosignature/v1", signature type 0x04).
//
// This layer knows nothing of storage or of Accord's domain: it turns texts
// and keys into signed texts and back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "util/status.h"

namespace accord::note {

inline constexpr uint8_t kAlgEd25519 = 0x01;        // plain note signatures
inline constexpr uint8_t kAlgCosignatureV1 = 0x04;  // timestamped Ed25519 cosignatures

// Verifiers accept at most this many signature lines in one note (the
// standard asks for at least 16).
inline constexpr size_t kMaxSignatures = 100;
// Notes larger than this are refused before parsing.
inline constexpr size_t kMaxNoteSize = 1 << 20;

// SHA-256(name || 0x0A || alg || public_key)[:4], big-endian.
uint32_t KeyId(std::string_view name, uint8_t alg, std::string_view public_key);

// Key names must be non-empty, valid UTF-8, and contain no Unicode space,
// no '+' and no control character.
bool IsValidKeyName(std::string_view name);

// A public key in the signed-note "vkey" encoding:
//   <name>+<8 lowercase hex digits of key id>+<base64(alg || 32-byte public key)>
// alg is kAlgEd25519 or kAlgCosignatureV1.
struct VerifierKey {
  std::string name;
  uint32_t key_id = 0;
  uint8_t alg = kAlgEd25519;
  std::string public_key;  // 32 bytes

  std::string Encode() const;
};

// Parses a vkey; the key id must match the one computed from name, alg and
// key. Surrounding whitespace (e.g. a trailing newline from a file) is ignored.
Result<VerifierKey> ParseVerifierKey(std::string_view text);

// An Ed25519 private key in the signed-note "skey" encoding:
//   PRIVATE+KEY+<name>+<8 hex digits of key id>+<base64(0x01 || 32-byte seed)>
class Signer {
 public:
  // A new random key.
  static Signer Generate(std::string name);
  // Parses an skey (surrounding whitespace ignored); the key id must match.
  static Result<Signer> Parse(std::string_view text);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // The skey text (no trailing newline).
  std::string Encode() const;
  // The vkey for plain note signatures (alg 0x01).
  VerifierKey Verifier() const;
  // The vkey of the same key acting as a cosigner (alg 0x04).
  VerifierKey CosignerVerifier() const;

  // The raw 64-byte Ed25519 signature of `message` (for formats other than
  // notes that use the same key, such as Accord's event signatures).
  std::string Sign(std::string_view message) const;

  // One signature line "— <name> <base64(key id || sig)>\n" over `text`.
  std::string SignatureLine(std::string_view text) const;
  // One cosignature/v1 line over the checkpoint note text `text`, at POSIX
  // time `timestamp` (seconds): base64(key id || u64 BE timestamp || sig).
  std::string CosignatureLine(std::string_view text, uint64_t timestamp) const;

 private:
  Signer(std::string name, std::string seed);
  std::string name_;
  std::string seed_;
  uint32_t key_id_;
  std::shared_ptr<Ed25519Signer> ed_;
};

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

}  // namespace accord::note
