// Ed25519 sign and verify rates: libsodium (crypto_sign_detached /
// crypto_sign_verify_detached, as src/crypto uses) against OpenSSL
// (EVP_DigestSign / EVP_DigestVerify with an EVP_PKEY_ED25519 key, one
// context reused and re-initialized per message as the one-shot API needs).
// The message is a checkpoint body of typical size.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace accord_bench {

bool Quick();

namespace {

const std::string& Message() {
  static const std::string m =
      "bench.example/log\n1048576\nq0hb3IY2CkTTBPH+o2Pm8GZ8sP2JRD6QBxUhz0o+GXo=\n";
  return m;
}

struct Keys {
  std::array<unsigned char, 32> seed{};
  std::array<unsigned char, 32> pk{};
  std::array<unsigned char, 64> sk{};  // libsodium's expanded secret key
  std::array<unsigned char, 64> sig{};
  EVP_PKEY* priv = nullptr;
  EVP_PKEY* pub = nullptr;
};

const Keys& GetKeys() {
  static const Keys keys = [] {
    if (sodium_init() < 0) std::abort();
    Keys k;
    randombytes_buf(k.seed.data(), k.seed.size());
    crypto_sign_seed_keypair(k.pk.data(), k.sk.data(), k.seed.data());
    const std::string& m = Message();
    crypto_sign_detached(k.sig.data(), nullptr, reinterpret_cast<const unsigned char*>(m.data()),
                         m.size(), k.sk.data());
    k.priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, k.seed.data(), 32);
    k.pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, k.pk.data(), 32);
    if (k.priv == nullptr || k.pub == nullptr) std::abort();
    // Ed25519 is deterministic: both libraries must produce the same bytes.
    std::array<unsigned char, 64> osig{};
    size_t len = osig.size();
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, k.priv) != 1 ||
        EVP_DigestSign(ctx, osig.data(), &len, reinterpret_cast<const unsigned char*>(m.data()),
                       m.size()) != 1 ||
        osig != k.sig) {
      std::fprintf(stderr, "OpenSSL and libsodium Ed25519 signatures differ\n");
      std::abort();
    }
    EVP_MD_CTX_free(ctx);
    return k;
  }();
  return keys;
}

const unsigned char* Msg() {
  return reinterpret_cast<const unsigned char*>(Message().data());
}

void BM_Ed25519Sign_Sodium(benchmark::State& state) {
  const Keys& k = GetKeys();
  std::array<unsigned char, 64> sig{};
  for (auto _ : state) {
    crypto_sign_detached(sig.data(), nullptr, Msg(), Message().size(), k.sk.data());
    benchmark::DoNotOptimize(sig.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Ed25519Verify_Sodium(benchmark::State& state) {
  const Keys& k = GetKeys();
  for (auto _ : state) {
    if (crypto_sign_verify_detached(k.sig.data(), Msg(), Message().size(), k.pk.data()) != 0) {
      state.SkipWithError("libsodium rejected a valid signature");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Ed25519Sign_OpenSSL(benchmark::State& state) {
  const Keys& k = GetKeys();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::array<unsigned char, 64> sig{};
  for (auto _ : state) {
    size_t len = sig.size();
    if (EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, k.priv) != 1 ||
        EVP_DigestSign(ctx, sig.data(), &len, Msg(), Message().size()) != 1) {
      state.SkipWithError("OpenSSL signing failed");
      break;
    }
    benchmark::DoNotOptimize(sig.data());
  }
  EVP_MD_CTX_free(ctx);
  state.SetItemsProcessed(state.iterations());
}

void BM_Ed25519Verify_OpenSSL(benchmark::State& state) {
  const Keys& k = GetKeys();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  for (auto _ : state) {
    if (EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, k.pub) != 1 ||
        EVP_DigestVerify(ctx, k.sig.data(), k.sig.size(), Msg(), Message().size()) != 1) {
      state.SkipWithError("OpenSSL rejected a valid signature");
      break;
    }
  }
  EVP_MD_CTX_free(ctx);
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

void RegisterEd25519Benchmarks() {
  const double min_time = Quick() ? 0.2 : 0.5;
  const int reps = Quick() ? 1 : 3;
  for (auto [name, fn] : {std::pair{"BM_Ed25519Sign_Sodium", &BM_Ed25519Sign_Sodium},
                          std::pair{"BM_Ed25519Sign_OpenSSL", &BM_Ed25519Sign_OpenSSL},
                          std::pair{"BM_Ed25519Verify_Sodium", &BM_Ed25519Verify_Sodium},
                          std::pair{"BM_Ed25519Verify_OpenSSL", &BM_Ed25519Verify_OpenSSL}}) {
    auto* b = benchmark::RegisterBenchmark(name, fn)->MinTime(min_time)->UseRealTime()->Unit(
        benchmark::kMicrosecond);
    if (reps > 1) b->Repetitions(reps)->ReportAggregatesOnly(true);
  }
}

}  // namespace accord_bench
