// Signed-note keys (c2sp.org/signed-note): key ids and names, public keys in
// the "vkey" encoding, and Ed25519 private keys ("skey") that sign notes,
// cosignatures and, for Accord, events.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "util/status.h"

namespace accord::note {

inline constexpr uint8_t kAlgEd25519 = 0x01;        // plain note signatures
inline constexpr uint8_t kAlgCosignatureV1 = 0x04;  // timestamped Ed25519 cosignatures

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

}  // namespace accord::note
