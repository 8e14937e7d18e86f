#include "crypto/sha256.h"

// The one-shot hashes below use OpenSSL's SHA256_* functions: deprecated in
// OpenSSL 3 in favour of EVP, but still the same SHA-NI code without EVP's
// per-call dispatch, which costs ~30% on the 65-byte inputs of a Merkle node
// (see docs/BENCHMARKS.md).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <cstring>

namespace accord {
namespace {

// Fetched once: EVP_sha256() per call costs a lookup in OpenSSL 3.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) std::abort();  // libcrypto without SHA-256 cannot run Accord at all
  return md;
}

}  // namespace

Hash HashFromBytes(std::string_view bytes) {
  Hash h;
  std::memcpy(h.data(), bytes.data(), kHashSize);
  return h;
}

Hash Sha256(std::initializer_list<std::string_view> parts) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  for (std::string_view p : parts) SHA256_Update(&ctx, p.data(), p.size());
  Hash h;
  SHA256_Final(h.data(), &ctx);
  return h;
}

Hash Sha256(std::string_view data) {
  return Sha256({data});
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), Sha256Md(), nullptr);
}

Sha256Stream::~Sha256Stream() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256Stream::Update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

Hash Sha256Stream::Finish() {
  Hash h;
  unsigned int len = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  EVP_DigestFinal_ex(ctx, h.data(), &len);
  EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr);
  return h;
}

}  // namespace accord
