// Ed25519 (RFC 8032) through libsodium.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace accord {

inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

struct Ed25519KeyPair {
  std::string seed;        // 32 bytes: the private key as RFC 8032 defines it
  std::string public_key;  // 32 bytes
};

// A fresh key pair from the operating system's random source.
Ed25519KeyPair Ed25519Generate();
// Derives the public key; the caller guarantees seed.size() == 32.
Ed25519KeyPair Ed25519FromSeed(std::string_view seed);

// Holds the expanded secret key, so that signing many messages derives it once.
class Ed25519Signer {
 public:
  // The caller guarantees seed.size() == 32.
  explicit Ed25519Signer(std::string_view seed);
  ~Ed25519Signer();
  Ed25519Signer(const Ed25519Signer&) = delete;
  Ed25519Signer& operator=(const Ed25519Signer&) = delete;

  const std::string& public_key() const { return public_key_; }
  // Returns the 64-byte signature of `message`.
  std::string Sign(std::string_view message) const;

 private:
  std::array<unsigned char, 64> secret_;
  std::string public_key_;
};

// False for any malformed key or signature as well as for a wrong one.
// Non-canonical signatures (S >= L) and small-order keys are rejected.
bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature);

// Fills `n` bytes from the operating system's CSPRNG.
std::string RandomBytes(size_t n);

}  // namespace accord
