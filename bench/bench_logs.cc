// Logs of a given size, built once per process (appending 300-byte leaves in
// batches of 10,000) and shared by the proof and verify benchmarks.
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "log/log.h"
#include "note/note.h"
#include "storage/sqlite/log_store.h"

namespace accord_bench {

std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);

inline constexpr size_t kLeafSize = 300;

// `n` leaves of kLeafSize pseudo-random bytes; the first 8 bytes hold
// `first + i`, so that no two leaves of one log are equal.
std::vector<std::string> MakeLeaves(size_t n, uint64_t first, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out(n, std::string(kLeafSize, '\0'));
  for (size_t i = 0; i < n; ++i) {
    std::string& s = out[i];
    for (size_t j = 0; j < kLeafSize; j += 8) {
      uint64_t r = j == 0 ? first + i : rng();
      for (size_t k = 0; k < 8 && j + k < kLeafSize; ++k)
        s[j + k] = static_cast<char>(r >> (8 * k));
    }
  }
  return out;
}

namespace {

struct BenchLog {
  std::string path;
  std::unique_ptr<accord::note::Signer> signer;
  std::unique_ptr<accord::storage::SqliteLogStore> store;
  std::unique_ptr<accord::log::Log> log;
  double build_seconds = 0;
};

std::map<uint64_t, BenchLog>& Logs() {
  static auto* logs = new std::map<uint64_t, BenchLog>;
  return *logs;
}

template <typename T>
T Must(accord::Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().message());
  return std::move(r).value();
}

void Must(const accord::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.message());
}

}  // namespace

// A fresh, initialized, empty log at `path`.
std::unique_ptr<accord::log::Log> NewLog(const std::string& path,
                                         std::unique_ptr<accord::note::Signer>* signer,
                                         std::unique_ptr<accord::storage::SqliteLogStore>* store) {
  RemoveDb(path);
  *signer = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench.example"));
  *store = Must(accord::storage::SqliteLogStore::Create(path), "create store");
  Must(accord::log::Log::Initialize(**store, "bench.example/log", **signer), "initialize log");
  return Must(accord::log::Log::Open(**store, signer->get()), "open log");
}

BenchLog& GetBenchLog(uint64_t n) {
  auto it = Logs().find(n);
  if (it != Logs().end()) return it->second;
  BenchLog b;
  b.path = TempPath("log-" + std::to_string(n) + ".db");
  b.log = NewLog(b.path, &b.signer, &b.store);
  constexpr uint64_t kBatch = 10000;
  std::vector<std::string> leaves = MakeLeaves(kBatch, 0, 42);
  auto start = std::chrono::steady_clock::now();
  for (uint64_t done = 0; done < n;) {
    uint64_t m = std::min(kBatch, n - done);
    // Make every leaf unique without regenerating the random tail.
    for (uint64_t i = 0; i < m; ++i) {
      uint64_t v = done + i;
      for (size_t k = 0; k < 8; ++k) leaves[i][k] = static_cast<char>(v >> (8 * k));
    }
    Must(b.log->Append(std::span<const std::string>(leaves.data(), m)), "append");
    done += m;
  }
  b.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (n >= 100000) {
    std::fprintf(stderr, "built a %llu-leaf log in %.1f s\n", static_cast<unsigned long long>(n),
                 b.build_seconds);
  }
  return Logs().emplace(n, std::move(b)).first->second;
}

accord::log::Log& GetLog(uint64_t n) {
  return *GetBenchLog(n).log;
}
accord::storage::SqliteLogStore& GetStore(uint64_t n) {
  return *GetBenchLog(n).store;
}
double LogBuildSeconds(uint64_t n) {
  return GetBenchLog(n).build_seconds;
}

void CloseLogs() {
  for (auto& [n, b] : Logs()) {
    b.log.reset();
    b.store.reset();
    RemoveDb(b.path);
  }
  Logs().clear();
}

}  // namespace accord_bench
