// Append throughput: log::Log::Append on a storage::SqliteLogStore against
// raw SQLite inserts of the same rows into the same table shape, with the
// same file settings (WAL, synchronous=FULL), one transaction per batch and
// prepared statements. Both start from a fresh file in the same directory.
//
// Reported time is real time per batch (each commit is an fsync); the
// "leaves" counter holds the batch size, so per-leaf time = time / leaves.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "log/log.h"
#include "note/note.h"
#include "storage/sqlite_log_store.h"

namespace accord_bench {

bool Quick();
std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);
std::vector<std::string> MakeLeaves(size_t n, uint64_t first, uint64_t seed);
std::unique_ptr<accord::log::Log> NewLog(const std::string& path,
                                         std::unique_ptr<accord::note::Signer>* signer,
                                         std::unique_ptr<accord::storage::SqliteLogStore>* store);

namespace {

constexpr size_t kLeafBytes = 300;

void SetCounters(benchmark::State& state, size_t batch) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * batch * kLeafBytes));
  state.counters["leaves"] = static_cast<double>(batch);
}

bool Exec(benchmark::State& state, sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK) return true;
  state.SkipWithError((std::string(sql) + ": " + (err ? err : "?")).c_str());
  sqlite3_free(err);
  return false;
}

void BM_AppendRawSqlite(benchmark::State& state) {
  const auto batch = static_cast<size_t>(state.range(0));
  const std::vector<std::string> leaves = MakeLeaves(batch, 0, 7);
  const std::string path = TempPath("raw-" + std::to_string(batch) + ".db");
  RemoveDb(path);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    state.SkipWithError("cannot open the raw database");
    sqlite3_close_v2(db);
    return;
  }
  sqlite3_stmt* ins = nullptr;
  if (Exec(state, db, "PRAGMA journal_mode=WAL") && Exec(state, db, "PRAGMA synchronous=FULL") &&
      Exec(state, db, "CREATE TABLE log_entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL)") &&
      sqlite3_prepare_v3(db, "INSERT INTO log_entries(idx, data) VALUES (?1, ?2)", -1,
                         SQLITE_PREPARE_PERSISTENT, &ins, nullptr) == SQLITE_OK) {
    int64_t next = 0;
    for (auto _ : state) {
      if (!Exec(state, db, "BEGIN IMMEDIATE")) break;
      bool ok = true;
      for (const std::string& leaf : leaves) {
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, next++);
        sqlite3_bind_blob(ins, 2, leaf.data(), static_cast<int>(leaf.size()), SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        state.SkipWithError(sqlite3_errmsg(db));
        break;
      }
      if (!Exec(state, db, "COMMIT")) break;
    }
  } else if (!state.error_occurred()) {
    state.SkipWithError(sqlite3_errmsg(db));
  }
  sqlite3_finalize(ins);
  sqlite3_close_v2(db);
  RemoveDb(path);
  SetCounters(state, batch);
}

void BM_AppendLog(benchmark::State& state) {
  const auto batch = static_cast<size_t>(state.range(0));
  const std::vector<std::string> leaves = MakeLeaves(batch, 0, 7);
  const std::string path = TempPath("append-" + std::to_string(batch) + ".db");
  std::unique_ptr<accord::note::Signer> signer;
  std::unique_ptr<accord::storage::SqliteLogStore> store;
  std::unique_ptr<accord::log::Log> log = NewLog(path, &signer, &store);
  for (auto _ : state) {
    auto r = log->Append(leaves);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      break;
    }
  }
  log.reset();
  store.reset();
  RemoveDb(path);
  SetCounters(state, batch);
}

}  // namespace

void RegisterAppendBenchmarks() {
  const bool quick = Quick();
  // {batch, iterations}: batch 1 is one fsync per iteration.
  const std::pair<int64_t, int64_t> runs[] = {
      {1, quick ? 50 : 200}, {100, quick ? 40 : 150}, {10000, quick ? 4 : 15}};
  const int reps = quick ? 1 : 3;
  for (auto [batch, iters] : runs) {
    // Raw and log next to each other, so that they see the same machine load.
    for (auto [name, fn] : {std::pair{"BM_AppendRawSqlite", &BM_AppendRawSqlite},
                            std::pair{"BM_AppendLog", &BM_AppendLog}}) {
      auto* b = benchmark::RegisterBenchmark(name, fn)
                    ->Arg(batch)
                    ->Iterations(iters)
                    ->UseRealTime()
                    ->Unit(benchmark::kMicrosecond);
      if (reps > 1) b->Repetitions(reps)->ReportAggregatesOnly(true);
    }
  }
}

}  // namespace accord_bench
