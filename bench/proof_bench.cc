// Proof generation from stored hash tiles: Log::InclusionProof at random
// indexes and Log::ConsistencyProof from random earlier sizes, in logs of
// 1K (1024), 32K and 1M leaves, to show the O(log n) growth. Each proof starts with
// an empty tile cache, as a fresh request would.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "log/log.h"
#include "merkle/proof.h"
#include "merkle/tiles.h"
#include "storage/sqlite/log_store.h"

namespace accord_bench {

bool Quick();
accord::log::Log& GetLog(uint64_t n);
accord::storage::SqliteLogStore& GetStore(uint64_t n);
double LogBuildSeconds(uint64_t n);

namespace {

constexpr uint64_t kSizes[] = {1024, 32768, 1 << 20};

std::vector<uint64_t> RandomBelow(uint64_t n, uint64_t lo, size_t count) {
  std::mt19937_64 rng(n);
  std::uniform_int_distribution<uint64_t> d(lo, n - 1);
  std::vector<uint64_t> out(count);
  for (auto& v : out) v = d(rng);
  return out;
}

// Building the log once, timed as a whole (manual time = build seconds).
void BM_BuildLog(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  double seconds = LogBuildSeconds(n);  // builds it, unless built already
  for (auto _ : state) state.SetIterationTime(seconds);
  state.counters["leaves"] = static_cast<double>(n);
  state.counters["leaves_per_s"] = static_cast<double>(n) / seconds;
}

void BM_InclusionProof(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  accord::log::Log& log = GetLog(n);
  const std::vector<uint64_t> idx = RandomBelow(n, 0, 4096);
  size_t i = 0;
  uint64_t tiles = 0, hashes = 0;
  for (auto _ : state) {
    uint64_t t = 0;
    auto proof = log.InclusionProof(idx[i++ & 4095], n, &t);
    if (!proof.ok()) {
      state.SkipWithError(proof.status().message().c_str());
      break;
    }
    tiles += t;
    hashes += proof->size();
    benchmark::DoNotOptimize(proof->data());
  }
  const auto iters = static_cast<double>(state.iterations());
  state.counters["tiles_per_proof"] = static_cast<double>(tiles) / iters;
  state.counters["proof_hashes"] = static_cast<double>(hashes) / iters;
  state.counters["leaves"] = static_cast<double>(n);
}

void BM_ConsistencyProof(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  accord::log::Log& log = GetLog(n);
  const std::vector<uint64_t> from = RandomBelow(n, 1, 4096);
  size_t i = 0;
  for (auto _ : state) {
    auto proof = log.ConsistencyProof(from[i++ & 4095], n);
    if (!proof.ok()) {
      state.SkipWithError(proof.status().message().c_str());
      break;
    }
    benchmark::DoNotOptimize(proof->data());
  }
  // Tile reads per consistency proof, counted outside the timed loop with the
  // same reader Log::ConsistencyProof uses.
  accord::storage::SqliteLogStore& store = GetStore(n);
  uint64_t tiles = 0;
  const size_t samples = 256;
  for (size_t k = 0; k < samples; ++k) {
    accord::merkle::TileNodeReader reader(
        [&store](const accord::merkle::TileId& id) { return store.ReadTile(id); });
    (void)accord::merkle::ConsistencyProof(reader, from[k], n);
    tiles += reader.tiles_fetched();
  }
  state.counters["tiles_per_proof"] = static_cast<double>(tiles) / samples;
  state.counters["leaves"] = static_cast<double>(n);
}

}  // namespace

void RegisterProofBenchmarks() {
  const double min_time = Quick() ? 0.2 : 1.0;
  benchmark::RegisterBenchmark("BM_BuildLog", BM_BuildLog)
      ->Arg(1 << 20)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  for (uint64_t n : kSizes) {
    benchmark::RegisterBenchmark("BM_InclusionProof", BM_InclusionProof)
        ->Arg(static_cast<int64_t>(n))
        ->MinTime(min_time)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
  for (uint64_t n : kSizes) {
    benchmark::RegisterBenchmark("BM_ConsistencyProof", BM_ConsistencyProof)
        ->Arg(static_cast<int64_t>(n))
        ->MinTime(min_time)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace accord_bench
