// History import and TIV reports at scale (issue 7, item 7).
//
// BM_ImportSipri/<f>: `accord import sipri` (cli::RunImportSipri: parse,
//   build events, sign each with the node key, decide it, append it with its
//   projections, batches of 1,000) of one of SIPRI's exports in
//   ../shared/data/sipri into a fresh registry (f = 0: the 3.6 MB classic
//   register, 1: flat 1950-1989, 2: flat 1990-2023), against the sqlite3 CLI's
//   own `.mode csv` + `.import --skip 11` (the eleven notes lines) of the same
//   file into a fresh database, run as a subprocess in the same iteration
//   (its process start, a few ms, is included). Counters: rows (records
//   Accord recorded), sqlite_rows, accord_rows_per_s, sqlite_rows_per_s,
//   ratio = accord / sqlite rows per second.
//
// BM_ReportTiv/<n>: `report tiv --by year,supplier,recipient` over n rows of
//   the typed projection table tiv_deliveries (src/domain/history_rules.cc),
//   written straight into the table (what the report reads does not depend on
//   how rows were written): Registry::Open + EntityStore::SumRows + the CSV
//   text, against the equivalent SQL GROUP BY on a bare sqlite3 connection
//   producing the same CSV, in the same run. Counters: build_s (writing the
//   rows), report_s, sql_s, groups, ratio = report_s / sql_s.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bench_events.h"
#include "cli/sipri_commands.h"
#include "domain/state.h"
#include "registry/registry.h"
#include "sipri/register.h"
#include "storage/sqlite/entity_store.h"
#include "storage/sqlite/log_store.h"

namespace accord_bench {

bool Quick();
std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);

namespace {

namespace registry = accord::registry;
namespace storage = accord::storage;
using Clock = std::chrono::steady_clock;

const char* kFiles[] = {"trade-register-1950-2024.csv", "trade-register-flat-1950-1989.csv",
                        "trade-register-flat-1990-2023.csv"};

std::string SipriPath(int f) {
  return std::string(ACCORD_SHARED_DATA) + "/sipri/" + kFiles[f];
}

int64_t CountRows(const std::string& db, const char* sql) {
  sqlite3* raw = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(raw, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(raw);
  return n;
}

void RemoveRegistry(const std::string& stem) {
  RemoveDb(stem + ".db");
  std::error_code ec;
  for (const char* suffix : {".node.skey", ".node.vkey"})
    std::filesystem::remove(stem + suffix, ec);
}

void BM_ImportSipri(benchmark::State& state) {
  const int f = static_cast<int>(state.range(0));
  const std::string file = SipriPath(f);
  if (!std::filesystem::exists(file)) {
    state.SkipWithError(("missing " + file).c_str());
    return;
  }
  for (auto _ : state) {
    const std::string stem = TempPath("import-" + std::to_string(f));
    RemoveRegistry(stem);
    accord::cli::ImportSipriOptions o;
    o.db = stem + ".db";
    o.files = {file};
    auto t0 = Clock::now();
    int rc = accord::cli::RunImportSipri(o);
    double accord_s = std::chrono::duration<double>(Clock::now() - t0).count();
    // Exit 2 lists rejected records (the classic register has a few); anything else failed.
    if (rc != 0 && rc != 2) {
      state.SkipWithError("accord import sipri failed");
      return;
    }
    int64_t rows = CountRows(
        o.db, "SELECT COUNT(*) FROM entities WHERE kind IN ('sipri_delivery', 'sipri_deal')");

    const std::string sdb = TempPath("sqlite-import-" + std::to_string(f) + ".db");
    RemoveDb(sdb);
    std::string cmd =
        "sqlite3 '" + sdb + "' '.mode csv' '.import --skip 11 " + file + " t' >/dev/null 2>&1";
    auto t1 = Clock::now();
    int src = std::system(cmd.c_str());
    double sqlite_s = std::chrono::duration<double>(Clock::now() - t1).count();
    if (src != 0) {
      state.SkipWithError("sqlite3 .import failed (is the sqlite3 CLI installed?)");
      return;
    }
    int64_t sqlite_rows = CountRows(sdb, "SELECT COUNT(*) FROM t");
    state.SetIterationTime(accord_s);
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["sqlite_rows"] = static_cast<double>(sqlite_rows);
    state.counters["accord_rows_per_s"] = static_cast<double>(rows) / accord_s;
    state.counters["sqlite_rows_per_s"] = static_cast<double>(sqlite_rows) / sqlite_s;
    state.counters["ratio"] =
        (static_cast<double>(rows) / accord_s) / (static_cast<double>(sqlite_rows) / sqlite_s);
    RemoveRegistry(stem);
    RemoveDb(sdb);
  }
}

// Thousandths -> "12.34", as report tiv prints them.
void AppendMillions2(std::string& out, int64_t milli) {
  int64_t cents = (milli + 5) / 10;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  out += buf;
}

// A registry whose tiv_deliveries table holds n synthetic rows: 25
// suppliers, 150 recipients, 74 years (1950-2023), 11 categories.
// Returns the seconds it took to write them.
double BuildTivRegistry(const std::string& db, int64_t n) {
  RemoveDb(db);
  auto t0 = Clock::now();
  RowTablesDb rt = CreateRowTablesDb(db);
  auto& store = rt.store;
  auto& entities = *rt.entities;
  const std::vector<std::string>& categories = accord::sipri::ArmamentCategories();
  const int64_t kBatch = 1'000'000;
  char subject[64], supplier[32], recipient[32];
  for (int64_t start = 0; start < n; start += kBatch) {
    auto txn = Check(store->BeginWrite(), "begin");
    for (int64_t i = start; i < std::min(n, start + kBatch); ++i) {
      std::snprintf(subject, sizeof subject, "sipri_delivery/bench:%010lld",
                    static_cast<long long>(i));
      std::snprintf(supplier, sizeof supplier, "Supplier %02lld", static_cast<long long>(i % 25));
      std::snprintf(recipient, sizeof recipient, "Recipient %03lld",
                    static_cast<long long>((i / 25) % 150));
      Check(entities.PutRow("tiv_deliveries",
                            {std::string("bench"), std::string(subject), std::string(supplier),
                             std::string(recipient), int64_t{1950 + (i / 3750) % 74},
                             categories[i % categories.size()], int64_t{1 + i % 12},
                             int64_t{(i * 7919) % 50'000}}),
            "put row");
    }
    Check(txn->Commit(), "commit");
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void BM_ReportTiv(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string db = TempPath("tiv-" + std::to_string(n) + ".db");
  double build_s = BuildTivRegistry(db, n);
  for (auto _ : state) {
    // Accord: what `accord report tiv --dataset bench --by year,supplier,recipient` runs.
    auto t0 = Clock::now();
    std::string csv = "year,supplier,recipient,tiv\n";
    int64_t groups = 0, total = 0;
    {
      auto reg = Check(registry::Registry::Open(db, false), "open registry");
      using Op = storage::RowCondition::Op;
      Check(reg->projections().SumRows(
                "tiv_deliveries", {"year", "supplier", "recipient"}, "tiv_milli",
                {{"dataset", Op::kEq, std::string("bench")}, {"year", Op::kNotNull, {}}},
                [&](const storage::RowGroup& g) {
                  csv += std::to_string(std::get<int64_t>(g.keys[0])) + "," +
                         std::get<std::string>(g.keys[1]) + "," + std::get<std::string>(g.keys[2]) +
                         ",";
                  AppendMillions2(csv, g.sum);
                  csv += "\n";
                  ++groups;
                  total += g.sum;
                  return accord::Status::Ok();
                }),
            "sum rows");
    }
    double report_s = std::chrono::duration<double>(Clock::now() - t0).count();

    // SQL: the same GROUP BY on a bare connection, the same CSV.
    auto t1 = Clock::now();
    std::string sql_csv = "year,supplier,recipient,tiv\n";
    int64_t sql_groups = 0, sql_total = 0;
    {
      sqlite3* raw = nullptr;
      sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(raw,
                         "SELECT year, supplier, recipient, SUM(tiv_milli) FROM tiv_deliveries "
                         "WHERE dataset = ?1 AND year IS NOT NULL GROUP BY year, supplier, "
                         "recipient ORDER BY year, supplier, recipient",
                         -1, &stmt, nullptr);
      sqlite3_bind_text(stmt, 1, "bench", -1, SQLITE_STATIC);
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        sql_csv += std::to_string(sqlite3_column_int64(stmt, 0)) + "," +
                   reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)) + "," +
                   reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2)) + ",";
        int64_t sum = sqlite3_column_int64(stmt, 3);
        AppendMillions2(sql_csv, sum);
        sql_csv += "\n";
        ++sql_groups;
        sql_total += sum;
      }
      sqlite3_finalize(stmt);
      sqlite3_close(raw);
    }
    double sql_s = std::chrono::duration<double>(Clock::now() - t1).count();
    if (csv != sql_csv || groups != sql_groups || total != sql_total) {
      state.SkipWithError("report tiv and SQL GROUP BY disagree");
      return;
    }
    state.SetIterationTime(report_s);
    state.counters["build_s"] = build_s;
    state.counters["report_s"] = report_s;
    state.counters["sql_s"] = sql_s;
    state.counters["groups"] = static_cast<double>(groups);
    state.counters["rows_per_s"] = static_cast<double>(n) / report_s;
    state.counters["ratio"] = report_s / sql_s;
  }
  RemoveDb(db);
}

}  // namespace

void RegisterReportsBenchmarks() {
  for (int f = 0; f < 3; ++f) {
    benchmark::RegisterBenchmark("BM_ImportSipri", BM_ImportSipri)
        ->Arg(f)
        ->Iterations(1)
        ->Repetitions(Quick() ? 1 : 3)
        ->UseManualTime()
        ->Unit(benchmark::kSecond);
  }
  // 10M rows take about 15 s to write here (well under a minute), so the
  // quick run uses 10M as well.
  benchmark::RegisterBenchmark("BM_ReportTiv", BM_ReportTiv)
      ->Arg(10'000'000)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
}

}  // namespace accord_bench
