#include "note/keys.h"

#include <cassert>
#include <utility>

#include "crypto/sha256.h"
#include "note/note_text.h"
#include "util/encoding.h"

namespace accord::note {

using internal::BigEndian32;
using internal::BigEndian64;
using internal::CosignedMessage;
using internal::DecodeRune;
using internal::Hex8;
using internal::IsControl;
using internal::IsUnicodeSpace;
using internal::KeyLabel;
using internal::kMaxTimestamp;
using internal::kSigPrefix;
using internal::Quote;
using internal::ReadBigEndian32;
using internal::TrimSpace;

namespace {

// Splits "name+<8 hex>+<base64>" and checks name, key id syntax and base64.
struct KeyParts {
  std::string name;
  uint32_t key_id = 0;
  std::string data;  // decoded base64: alg || key material
};

Result<KeyParts> SplitKey(std::string_view text, std::string_view kind) {
  std::string k(kind);
  size_t p1 = text.find('+');
  if (p1 == std::string_view::npos) {
    return Status::InvalidArgument(k + " has no '+' after the key name (expected " +
                                   "name+keyid+base64)");
  }
  KeyParts parts;
  std::string_view name = text.substr(0, p1);
  if (!IsValidKeyName(name)) {
    return Status::InvalidArgument(
        k + " has an invalid key name " + Quote(name) +
        " (expected non-empty, without spaces, '+' or control characters)");
  }
  parts.name = std::string(name);
  std::string_view rest = text.substr(p1 + 1);
  if (rest.size() < 9 || rest[8] != '+') {
    return Status::InvalidArgument(k + " for " + Quote(name) +
                                   ": expected exactly 8 hex digits of key id followed by '+'");
  }
  std::string_view hex = rest.substr(0, 8);
  auto id_bytes = HexDecode(hex);
  if (!id_bytes.ok()) {
    return Status::InvalidArgument(k + " for " + Quote(name) + ": key id " + Quote(hex) +
                                   " is not hex: " + id_bytes.status().message());
  }
  parts.key_id = ReadBigEndian32(*id_bytes);
  std::string_view b64 = rest.substr(9);
  auto data = Base64Decode(b64);
  if (!data.ok()) {
    return Status::InvalidArgument(k + " for " + Quote(name) +
                                   ": key is not valid base64: " + data.status().message());
  }
  if (data->empty()) {
    return Status::InvalidArgument(k + " for " + Quote(name) +
                                   ": key is empty (expected an algorithm byte and a key)");
  }
  parts.data = std::move(data).value();
  return parts;
}

constexpr std::string_view kPrivateKeyPrefix = "PRIVATE+KEY+";

}  // namespace

namespace internal {

// Checks a VerifierKey given to Verify.
Status CheckKnownKey(const VerifierKey& k) {
  if (!IsValidKeyName(k.name)) return Status::InvalidArgument("invalid key name " + Quote(k.name));
  if (k.alg != kAlgEd25519 && k.alg != kAlgCosignatureV1) {
    return Status::InvalidArgument("key " + KeyLabel(k.name, k.key_id) + " has algorithm " +
                                   std::to_string(k.alg) + " (expected 1 or 4)");
  }
  if (k.public_key.size() != kEd25519PublicKeySize) {
    return Status::InvalidArgument("key " + KeyLabel(k.name, k.key_id) + " has a " +
                                   std::to_string(k.public_key.size()) +
                                   "-byte public key (expected 32)");
  }
  uint32_t want = KeyId(k.name, k.alg, k.public_key);
  if (k.key_id != want) {
    return Status::InvalidArgument("key " + KeyLabel(k.name, k.key_id) +
                                   " has the wrong key id (computed " + Hex8(want) + ")");
  }
  return Status::Ok();
}

}  // namespace internal

uint32_t KeyId(std::string_view name, uint8_t alg, std::string_view public_key) {
  const char a = static_cast<char>(alg);
  Hash h = Sha256({name, "\n", std::string_view(&a, 1), public_key});
  return ReadBigEndian32(AsBytes(h));
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  size_t i = 0;
  while (i < name.size()) {
    size_t len = 0;
    int32_t cp = DecodeRune(name, i, &len);
    if (cp < 0 || cp == '+' || IsUnicodeSpace(cp) || IsControl(cp)) return false;
    i += len;
  }
  return true;
}

std::string VerifierKey::Encode() const {
  std::string data(1, static_cast<char>(alg));
  data += public_key;
  return name + "+" + Hex8(key_id) + "+" + Base64Encode(data);
}

Result<VerifierKey> ParseVerifierKey(std::string_view text) {
  text = TrimSpace(text);
  // Not ASSIGN_OR_RETURN: GCC 12 then warns (wrongly) that parts.data may be
  // uninitialized.
  auto split = SplitKey(text, "verifier key");
  if (!split.ok()) return split.status();
  KeyParts& parts = *split;
  auto alg = static_cast<uint8_t>(parts.data[0]);
  if (alg != kAlgEd25519 && alg != kAlgCosignatureV1) {
    return Status::InvalidArgument("verifier key " + Quote(parts.name) + ": algorithm byte " +
                                   std::to_string(alg) + " is not supported (expected 1 for " +
                                   "Ed25519 or 4 for cosignature/v1)");
  }
  if (parts.data.size() != 1 + kEd25519PublicKeySize) {
    return Status::InvalidArgument("verifier key " + Quote(parts.name) + ": public key is " +
                                   std::to_string(parts.data.size() - 1) + " bytes (expected 32)");
  }
  VerifierKey key;
  key.name = std::move(parts.name);
  key.alg = alg;
  key.public_key = parts.data.substr(1);
  key.key_id = KeyId(key.name, key.alg, key.public_key);
  if (key.key_id != parts.key_id) {
    return Status::InvalidArgument("verifier key " + Quote(key.name) + ": key id " +
                                   Hex8(parts.key_id) + " does not match the key (expected " +
                                   Hex8(key.key_id) + ")");
  }
  return key;
}

Signer::Signer(std::string name, std::string seed)
    : name_(std::move(name)), seed_(std::move(seed)), ed_(std::make_shared<Ed25519Signer>(seed_)) {
  key_id_ = KeyId(name_, kAlgEd25519, ed_->public_key());
}

Signer Signer::Generate(std::string name) {
  // Callers must check names from users with IsValidKeyName first.
  assert(IsValidKeyName(name));
  return Signer(std::move(name), RandomBytes(kEd25519SeedSize));
}

Result<Signer> Signer::Parse(std::string_view text) {
  text = TrimSpace(text);
  if (text.substr(0, kPrivateKeyPrefix.size()) != kPrivateKeyPrefix) {
    return Status::InvalidArgument("signer key does not start with \"PRIVATE+KEY+\"");
  }
  text.remove_prefix(kPrivateKeyPrefix.size());
  // Not ASSIGN_OR_RETURN: GCC 12 then warns (wrongly) that parts.data may be
  // uninitialized.
  auto split = SplitKey(text, "signer key");
  if (!split.ok()) return split.status();
  KeyParts& parts = *split;
  auto alg = static_cast<uint8_t>(parts.data[0]);
  if (alg != kAlgEd25519) {
    return Status::InvalidArgument("signer key " + Quote(parts.name) + ": algorithm byte " +
                                   std::to_string(alg) + " is not supported (expected 1 for " +
                                   "Ed25519)");
  }
  if (parts.data.size() != 1 + kEd25519SeedSize) {
    return Status::InvalidArgument("signer key " + Quote(parts.name) + ": seed is " +
                                   std::to_string(parts.data.size() - 1) + " bytes (expected 32)");
  }
  Signer signer(std::move(parts.name), parts.data.substr(1));
  if (signer.key_id() != parts.key_id) {
    return Status::InvalidArgument("signer key " + Quote(signer.name()) + ": key id " +
                                   Hex8(parts.key_id) + " does not match the key (expected " +
                                   Hex8(signer.key_id()) + ")");
  }
  return signer;
}

std::string Signer::Encode() const {
  std::string data(1, static_cast<char>(kAlgEd25519));
  data += seed_;
  return std::string(kPrivateKeyPrefix) + name_ + "+" + Hex8(key_id_) + "+" + Base64Encode(data);
}

VerifierKey Signer::Verifier() const {
  return VerifierKey{name_, key_id_, kAlgEd25519, ed_->public_key()};
}

VerifierKey Signer::CosignerVerifier() const {
  return VerifierKey{name_, KeyId(name_, kAlgCosignatureV1, ed_->public_key()), kAlgCosignatureV1,
                     ed_->public_key()};
}

std::string Signer::Sign(std::string_view message) const {
  return ed_->Sign(message);
}

std::string Signer::SignatureLine(std::string_view text) const {
  std::string raw = BigEndian32(key_id_) + ed_->Sign(text);
  return std::string(kSigPrefix) + name_ + " " + Base64Encode(raw) + "\n";
}

std::string Signer::CosignatureLine(std::string_view text, uint64_t timestamp) const {
  // The format cannot carry larger timestamps; verifiers reject them.
  assert(timestamp <= kMaxTimestamp);
  uint32_t id = KeyId(name_, kAlgCosignatureV1, ed_->public_key());
  std::string raw =
      BigEndian32(id) + BigEndian64(timestamp) + ed_->Sign(CosignedMessage(text, timestamp));
  return std::string(kSigPrefix) + name_ + " " + Base64Encode(raw) + "\n";
}

}  // namespace accord::note
