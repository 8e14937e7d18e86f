// Append throughput: log::Log::Append on a storage::SqliteLogStore against
// raw SQLite inserts of the same rows into the same table shape,
// `log_entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL)`, with the same
// file settings (WAL, synchronous=FULL), one transaction per batch and a
// prepared statement. Both start from a fresh file in the same directory.
//
// The two run paired in one benchmark: every iteration appends one batch to
// each, in alternating order, timing each separately (wall clock, since every
// commit is an fsync). A burst of disk or CPU load from elsewhere on the
// machine then hits both sides alike instead of skewing the ratio. Counters:
//   log_ns_per_leaf, raw_ns_per_leaf  mean time per leaf of each side
//   ratio                             log / raw
// The benchmark's own time is the sum of both sides per iteration.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "log/log.h"
#include "note/note.h"
#include "storage/sqlite/log_store.h"

namespace accord_bench {

bool Quick();
std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);
std::vector<std::string> MakeLeaves(size_t n, uint64_t first, uint64_t seed);
std::unique_ptr<accord::log::Log> NewLog(const std::string& path,
                                         std::unique_ptr<accord::note::Signer>* signer,
                                         std::unique_ptr<accord::storage::SqliteLogStore>* store);

namespace {

// The baseline: the leaves table alone, written with the SQLite C API.
class RawDb {
 public:
  explicit RawDb(std::string path) : path_(std::move(path)) {
    RemoveDb(path_);
    if (sqlite3_open_v2(path_.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK ||
        !Exec("PRAGMA journal_mode=WAL") || !Exec("PRAGMA synchronous=FULL") ||
        !Exec("CREATE TABLE log_entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL)") ||
        sqlite3_prepare_v3(db_, "INSERT INTO log_entries(idx, data) VALUES (?1, ?2)", -1,
                           SQLITE_PREPARE_PERSISTENT, &insert_, nullptr) != SQLITE_OK) {
      error_ = sqlite3_errmsg(db_);
    }
  }
  ~RawDb() {
    sqlite3_finalize(insert_);
    sqlite3_close_v2(db_);
    RemoveDb(path_);
  }
  const std::string& error() const { return error_; }

  // One transaction holding all of `leaves`.
  bool Append(const std::vector<std::string>& leaves) {
    if (!Exec("BEGIN IMMEDIATE")) return false;
    for (const std::string& leaf : leaves) {
      sqlite3_reset(insert_);
      sqlite3_bind_int64(insert_, 1, next_++);
      sqlite3_bind_blob(insert_, 2, leaf.data(), static_cast<int>(leaf.size()), SQLITE_STATIC);
      if (sqlite3_step(insert_) != SQLITE_DONE) {
        error_ = sqlite3_errmsg(db_);
        Exec("ROLLBACK");
        return false;
      }
    }
    return Exec("COMMIT");
  }

 private:
  bool Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) == SQLITE_OK) return true;
    error_ = std::string(sql) + ": " + (err ? err : "?");
    sqlite3_free(err);
    return false;
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  int64_t next_ = 0;
  std::string error_;
};

void BM_Append(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const auto batch = static_cast<size_t>(state.range(0));
  const std::vector<std::string> leaves = MakeLeaves(batch, 0, 7);
  const std::string tag = std::to_string(batch);

  RawDb raw(TempPath("raw-" + tag + ".db"));
  if (!raw.error().empty()) {
    state.SkipWithError(raw.error().c_str());
    return;
  }
  const std::string log_path = TempPath("append-" + tag + ".db");
  std::unique_ptr<accord::note::Signer> signer;
  std::unique_ptr<accord::storage::SqliteLogStore> store;
  std::unique_ptr<accord::log::Log> log = NewLog(log_path, &signer, &store);

  double log_s = 0, raw_s = 0;
  bool log_first = false;
  for (auto _ : state) {
    double iter_s = 0;
    for (int side = 0; side < 2; ++side) {
      const bool do_log = (side == 0) == log_first;
      auto t0 = Clock::now();
      bool ok = do_log ? log->Append(leaves).ok() : raw.Append(leaves);
      double s = std::chrono::duration<double>(Clock::now() - t0).count();
      if (!ok) {
        state.SkipWithError(do_log ? "log append failed" : raw.error().c_str());
        break;
      }
      (do_log ? log_s : raw_s) += s;
      iter_s += s;
    }
    state.SetIterationTime(iter_s);
    log_first = !log_first;
  }
  log.reset();
  store.reset();
  RemoveDb(log_path);

  const double leaves_total = static_cast<double>(state.iterations() * batch);
  if (leaves_total > 0 && raw_s > 0) {
    state.counters["leaves"] = static_cast<double>(batch);
    state.counters["log_ns_per_leaf"] = log_s * 1e9 / leaves_total;
    state.counters["raw_ns_per_leaf"] = raw_s * 1e9 / leaves_total;
    state.counters["ratio"] = log_s / raw_s;
  }
}

}  // namespace

void RegisterAppendBenchmarks() {
  const bool quick = Quick();
  // {batch, iterations}; with batch 1 each iteration is two fsyncs.
  const std::pair<int64_t, int64_t> runs[] = {
      {1, quick ? 50 : 300}, {100, quick ? 40 : 300}, {10000, quick ? 4 : 20}};
  const int reps = quick ? 1 : 5;
  for (auto [batch, iters] : runs) {
    auto* b = benchmark::RegisterBenchmark("BM_Append", BM_Append)
                  ->Arg(batch)
                  ->Iterations(iters)
                  ->UseManualTime()
                  ->Unit(benchmark::kMicrosecond);
    if (reps > 1) b->Repetitions(reps)->ReportAggregatesOnly(true);
  }
}

}  // namespace accord_bench
