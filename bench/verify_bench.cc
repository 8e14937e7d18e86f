// `log verify` throughput: Log::Verify over a log of 300-byte leaves, in
// bytes of leaf data per second, against OpenSSL SHA-256 (EVP, one context
// reused, digest fetched once) hashing each of the same leaves as one message.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

#include "log/log.h"
#include "storage/sqlite/log_store.h"

namespace accord_bench {

bool Quick();
accord::log::Log& GetLog(uint64_t n);
accord::storage::SqliteLogStore& GetStore(uint64_t n);

namespace {

constexpr uint64_t kVerifyLeaves = 200000;

// The log's leaves, read back once.
const std::vector<std::string>& Leaves() {
  static const std::vector<std::string> leaves = [] {
    auto r = GetStore(kVerifyLeaves).ReadEntries(0, kVerifyLeaves);
    return r.ok() ? std::move(r).value() : std::vector<std::string>{};
  }();
  return leaves;
}

int64_t TotalBytes() {
  int64_t total = 0;
  for (const std::string& l : Leaves()) total += static_cast<int64_t>(l.size());
  return total;
}

void BM_LogVerify(benchmark::State& state) {
  accord::log::Log& log = GetLog(kVerifyLeaves);
  const int64_t bytes = TotalBytes();
  for (auto _ : state) {
    auto report = log.Verify({});
    if (!report.ok()) {
      state.SkipWithError(report.status().message().c_str());
      break;
    }
    if (report->size != kVerifyLeaves) state.SkipWithError("verified the wrong number of leaves");
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["leaves"] = static_cast<double>(kVerifyLeaves);
}

void BM_Sha256Leaves(benchmark::State& state) {
  const std::vector<std::string>& leaves = Leaves();
  if (leaves.size() != kVerifyLeaves) {
    state.SkipWithError("could not read the leaves");
    return;
  }
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  for (auto _ : state) {
    for (const std::string& leaf : leaves) {
      EVP_DigestInit_ex2(ctx, md, nullptr);
      EVP_DigestUpdate(ctx, leaf.data(), leaf.size());
      EVP_DigestFinal_ex(ctx, out, &len);
      benchmark::DoNotOptimize(out);
    }
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  state.SetBytesProcessed(state.iterations() * TotalBytes());
  state.counters["leaves"] = static_cast<double>(leaves.size());
}

}  // namespace

void RegisterVerifyBenchmarks() {
  const bool quick = Quick();
  const int reps = quick ? 1 : 5;
  auto* v = benchmark::RegisterBenchmark("BM_LogVerify", BM_LogVerify)
                ->Iterations(quick ? 1 : 2)
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
  auto* s = benchmark::RegisterBenchmark("BM_Sha256Leaves", BM_Sha256Leaves)
                ->MinTime(quick ? 0.2 : 0.5)
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
  if (reps > 1) {
    v->Repetitions(reps)->ReportAggregatesOnly(true);
    s->Repetitions(reps)->ReportAggregatesOnly(true);
  }
}

}  // namespace accord_bench
