#include "crypto/ed25519.h"

#include <sodium.h>

#include <cstdlib>

namespace accord {
namespace {

void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) std::abort();  // no entropy source: nothing can be signed safely
}

}  // namespace

Ed25519KeyPair Ed25519Generate() {
  EnsureSodium();
  return Ed25519FromSeed(RandomBytes(kEd25519SeedSize));
}

Ed25519KeyPair Ed25519FromSeed(std::string_view seed) {
  EnsureSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, reinterpret_cast<const unsigned char*>(seed.data()));
  sodium_memzero(sk, sizeof sk);
  return {std::string(seed), std::string(reinterpret_cast<char*>(pk), sizeof pk)};
}

Ed25519Signer::Ed25519Signer(std::string_view seed) {
  EnsureSodium();
  static_assert(crypto_sign_SECRETKEYBYTES == 64);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pk, secret_.data(), reinterpret_cast<const unsigned char*>(seed.data()));
  public_key_.assign(reinterpret_cast<char*>(pk), sizeof pk);
}

Ed25519Signer::~Ed25519Signer() {
  sodium_memzero(secret_.data(), secret_.size());
}

std::string Ed25519Signer::Sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return std::string(reinterpret_cast<char*>(sig), sizeof sig);
}

bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature) {
  EnsureSodium();
  if (public_key.size() != kEd25519PublicKeySize || signature.size() != kEd25519SignatureSize) {
    return false;
  }
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string RandomBytes(size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

}  // namespace accord
