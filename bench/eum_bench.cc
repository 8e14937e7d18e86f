// End-use monitoring figures at scale (issue 5, item 8).
//
// One registry file holds the monitoring facts of n items (1,000,000; 100,000
// with --quick) and about ten rows of facts per item, as the monitoring rules
// write them (src/domain/eum_rules.cc): one eum_items row per item received,
// seven inventories per item on average (eum_inventories), a unit row per
// receipt plus relocations for a fifth of the items (eum_units), an access
// request round per 50 items (eum_access) and a case per 30 items opened and
// mostly closed (eum_cases): about 10,000,000 rows for 1,000,000 items, one
// per event that would have written them. The rows are written straight into
// the tables (what the figures read does not depend on how rows were
// written).
//
// BM_EumDue/<n>: `accord eum due --as-of 2024-06-30 --within 30` — Registry::
//   Open + registry::ComputeEumDue (a merge of three ordered cursors) — against
//   a hand-written SQL query on a bare sqlite3 connection giving the same
//   delinquent and due items with the same due dates and units.
// BM_ReportEum/<n>: `accord report eum --as-of 2024-06-30` —
//   registry::ComputeEumCompliance — against hand-written SQL (window
//   functions for each inventory's lateness, the unit and case status as of
//   the day) giving the same figures per agreement and recipient.
// Both check that the two sides agree, else the benchmark fails. Counters:
// build_s, accord_s, sql_s, ratio = accord_s / sql_s, items, rows.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "bench_events.h"
#include "domain/envelope.h"
#include "registry/eum_report.h"
#include "registry/registry.h"
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

constexpr char kAsOf[] = "2024-06-30";
constexpr int64_t kWithin = 30;

// Days since the epoch -> YYYY-MM-DD.
std::string Day(int64_t days) {
  return accord::domain::FormatDate(days * 86400);
}
constexpr int64_t kDay2015 = 16436;  // 2015-01-01

// A small deterministic generator (no <random> distribution differences
// between standard libraries).
struct Rng {
  uint64_t s;
  uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
};

struct Built {
  double build_s = 0;
  int64_t rows = 0;
};

Built BuildEumRegistry(const std::string& db, int64_t items) {
  RemoveDb(db);
  auto t0 = Clock::now();
  RowTablesDb rt = CreateRowTablesDb(db);
  auto& store = rt.store;
  auto& entities = *rt.entities;
  static const char* kRecipients[] = {"UZ", "KZ", "TJ", "KG"};
  Rng rng{0x9E3779B97F4A7C15ull};
  Built b;
  int64_t idx = 0;
  const int64_t kBatch = 100'000;
  char id[64], unit[32];
  for (int64_t start = 0; start < items; start += kBatch) {
    auto txn = Check(store->BeginWrite(), "begin");
    for (int64_t i = start; i < std::min(items, start + kBatch); ++i) {
      std::snprintf(id, sizeof id, "p%02lld/S%08lld", static_cast<long long>(i % 10),
                    static_cast<long long>(i));
      const std::string agreement = i % 3 == 0 ? "AG-2005" : "AG-2016";
      const std::string recipient = kRecipients[(i / 7) % 4];
      const bool enhanced = i % 10 != 9;
      const int64_t received = kDay2015 + rng.Below(8 * 365);  // 2015-2022
      const int64_t initial = 90, period = 365;
      std::string left;
      if (i % 97 == 0) left = Day(received + 200 + rng.Below(1500));
      Check(entities.PutRow(
                "eum_items",
                {std::string(id), agreement, std::string("RU"), recipient, std::string(id, 3),
                 std::string(id + 4), int64_t{enhanced ? 1 : 0}, Day(received), initial, period,
                 left.empty() ? storage::RowValue{} : storage::RowValue{left},
                 left.empty() ? storage::RowValue{}
                              : storage::RowValue{std::string("declared lost")}}),
            "item");
      std::snprintf(unit, sizeof unit, "unit-%03lld", static_cast<long long>(i % 200));
      Check(entities.PutRow("eum_units", {std::string(id), ++idx, Day(received), std::string(unit),
                                          std::string("Base ") + unit}),
            "unit");
      b.rows += 2;
      if (i % 5 == 0) {
        std::snprintf(unit, sizeof unit, "unit-%03lld", static_cast<long long>((i + 7) % 200));
        Check(entities.PutRow("eum_units", {std::string(id), ++idx, Day(received + 400),
                                            std::string(unit), std::string("Base ") + unit}),
              "relocation");
        ++b.rows;
      }
      // Inventories: the first around the initial deadline, then about
      // yearly; one in eight is late by a few days; up to 2024-12-31.
      int64_t due = received + initial;
      for (int k = 0; k < 12; ++k) {
        int64_t m = due - 20 + rng.Below(24) + (rng.Below(8) == 0 ? 10 : 0);
        if (m > kDay2015 + 11 * 365) break;  // to the end of 2025
        Check(entities.PutRow("eum_inventories",
                              {std::string(id), ++idx, Day(m), std::string("I-") + id}),
              "inventory");
        ++b.rows;
        due = m + period;
      }
      if (i % 50 == 0) {
        int64_t requested = received + rng.Below(700);
        storage::RowValue answered, answer;
        if (rng.Below(10) != 0) {
          answered = Day(requested + rng.Below(40));
          answer = std::string("granted");
        }
        Check(entities.PutRow("eum_access",
                              {std::string("I-") + id, int64_t{1}, agreement, std::string("RU"),
                               recipient, Day(requested), Day(requested + 30), answered, answer}),
              "access");
        ++b.rows;
      }
      if (i % 30 == 0) {
        int64_t opened = received + rng.Below(1000);
        std::string case_id = std::string("K-") + id;
        Check(entities.PutRow("eum_cases",
                              {case_id, int64_t{0}, agreement, std::string("RU"), recipient,
                               Day(opened), std::string("open"), std::string("high")}),
              "case");
        ++b.rows;
        if (rng.Below(4) != 0) {
          Check(entities.PutRow("eum_cases", {case_id, int64_t{1}, agreement, std::string("RU"),
                                              recipient, Day(opened + 10 + rng.Below(300)),
                                              std::string(rng.Below(10) == 0 ? "confirmed_violation"
                                                                             : "resolved"),
                                              std::string("high")}),
                "case closed");
          ++b.rows;
        }
      }
    }
    Check(txn->Commit(), "commit");
  }
  b.build_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return b;
}

// Runs `sql` with ?1 = as-of (and ?2 = within, if used); calls fn per row.
template <typename Fn>
void Query(sqlite3* db, const char* sql, Fn fn) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
    std::abort();
  }
  sqlite3_bind_text(stmt, 1, kAsOf, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count(stmt) >= 2) sqlite3_bind_int64(stmt, 2, kWithin);
  while (sqlite3_step(stmt) == SQLITE_ROW) fn(stmt);
  sqlite3_finalize(stmt);
}

std::string Col(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// Per item as of ?1: its current due date (the last inventory + period, else
// receipt + initial) and its unit (the latest unit row on or before ?1).
constexpr char kDueSql[] = R"(
WITH last_inv AS (
  SELECT item, MAX(date) AS last FROM eum_inventories WHERE date <= ?1 GROUP BY item),
unit_now AS (
  SELECT item, unit FROM (
    SELECT item, unit, ROW_NUMBER() OVER (PARTITION BY item ORDER BY date DESC, idx DESC) AS rn
    FROM eum_units WHERE date <= ?1) WHERE rn = 1),
due AS (
  SELECT i.item, i.recipient,
         CASE WHEN l.last IS NULL THEN date(i.received, '+' || i.initial_days || ' days')
              ELSE date(l.last, '+' || i.period_days || ' days') END AS due
  FROM eum_items i LEFT JOIN last_inv l ON l.item = i.item
  WHERE i.enhanced = 1 AND i.received <= ?1 AND (i.left_on IS NULL OR i.left_on > ?1))
SELECT d.recipient, u.unit, d.due, d.item,
       CAST(julianday(?1) - julianday(d.due) AS INTEGER) AS overdue
FROM due d LEFT JOIN unit_now u ON u.item = d.item
WHERE d.due <= date(?1, '+' || ?2 || ' days')
ORDER BY d.recipient, u.unit, d.due, d.item
)";

// Per agreement, supplier and recipient as of ?1.
constexpr char kItemsSql[] = R"(
WITH inv AS (
  SELECT v.item, v.date AS m,
         LAG(v.date) OVER (PARTITION BY v.item ORDER BY v.date) AS prev
  FROM eum_inventories v WHERE v.date <= ?1),
items AS (
  SELECT item, agreement, supplier, recipient, received, initial_days, period_days
  FROM eum_items
  WHERE enhanced = 1 AND received <= ?1 AND (left_on IS NULL OR left_on > ?1)),
per_item AS (
  SELECT i.item, i.agreement, i.supplier, i.recipient,
         COUNT(inv.m) AS n,
         MAX(CASE WHEN julianday(inv.m) > CASE WHEN inv.prev IS NULL
                      THEN julianday(i.received) + i.initial_days
                      ELSE julianday(inv.prev) + i.period_days END THEN 1 ELSE 0 END) AS late,
         CASE WHEN MAX(inv.m) IS NULL THEN julianday(i.received) + i.initial_days
              ELSE julianday(MAX(inv.m)) + i.period_days END AS due
  FROM items i LEFT JOIN inv ON inv.item = i.item
  GROUP BY i.item)
SELECT agreement, supplier, recipient, COUNT(*),
       SUM(n > 0 OR due <= julianday(?1)),
       SUM((n > 0 OR due <= julianday(?1)) AND COALESCE(late, 0) = 0 AND due >= julianday(?1)),
       SUM(due < julianday(?1)),
       COALESCE(MAX(CASE WHEN due < julianday(?1) THEN CAST(julianday(?1) - due AS INTEGER) END), 0)
FROM per_item GROUP BY agreement, supplier, recipient ORDER BY agreement, supplier, recipient
)";

constexpr char kAccessSql[] = R"(
SELECT agreement, supplier, recipient, COUNT(*),
       SUM(answered IS NOT NULL AND answered <= ?1 AND answered <= deadline),
       SUM(answered IS NOT NULL AND answered <= ?1 AND answered > deadline),
       SUM((answered IS NULL OR answered > ?1) AND deadline < ?1),
       SUM((answered IS NULL OR answered > ?1) AND deadline >= ?1)
FROM eum_access WHERE requested <= ?1
GROUP BY agreement, supplier, recipient ORDER BY agreement, supplier, recipient
)";

constexpr char kCasesSql[] = R"(
WITH c AS (
  SELECT case_id, agreement, supplier, recipient, status,
         MIN(date) OVER (PARTITION BY case_id) AS opened,
         ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY seq DESC) AS rn
  FROM eum_cases WHERE date <= ?1),
now AS (SELECT *, julianday(?1) - julianday(opened) AS age FROM c WHERE rn = 1)
SELECT agreement, supplier, recipient,
       SUM(status = 'open'), SUM(status = 'open' AND age <= 30),
       SUM(status = 'open' AND age > 30 AND age <= 90),
       SUM(status = 'open' AND age > 90 AND age <= 365), SUM(status = 'open' AND age > 365),
       SUM(status = 'resolved'), SUM(status = 'confirmed_violation')
FROM now GROUP BY agreement, supplier, recipient ORDER BY agreement, supplier, recipient
)";

using Row = registry::EumComplianceRow;
using Key = std::tuple<std::string, std::string, std::string>;

std::vector<Row> SqlCompliance(const std::string& db) {
  sqlite3* raw = nullptr;
  sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::map<Key, Row> rows;
  auto at = [&](sqlite3_stmt* s) -> Row& {
    Row& r = rows[Key{Col(s, 0), Col(s, 1), Col(s, 2)}];
    r.agreement = Col(s, 0);
    r.supplier = Col(s, 1);
    r.recipient = Col(s, 2);
    return r;
  };
  Query(raw, kItemsSql, [&](sqlite3_stmt* s) {
    Row& r = at(s);
    r.items_monitored = sqlite3_column_int64(s, 3);
    r.items_assessed = sqlite3_column_int64(s, 4);
    r.items_on_time = sqlite3_column_int64(s, 5);
    r.items_delinquent = sqlite3_column_int64(s, 6);
    r.max_days_overdue = sqlite3_column_int64(s, 7);
  });
  Query(raw, kAccessSql, [&](sqlite3_stmt* s) {
    Row& r = at(s);
    r.access_requests = sqlite3_column_int64(s, 3);
    r.access_in_time = sqlite3_column_int64(s, 4);
    r.access_late = sqlite3_column_int64(s, 5);
    r.access_unanswered = sqlite3_column_int64(s, 6);
    r.access_pending = sqlite3_column_int64(s, 7);
  });
  Query(raw, kCasesSql, [&](sqlite3_stmt* s) {
    Row& r = at(s);
    r.cases_open = sqlite3_column_int64(s, 3);
    for (int k = 0; k < 4; ++k) r.cases_open_by_age[k] = sqlite3_column_int64(s, 4 + k);
    r.cases_resolved = sqlite3_column_int64(s, 8);
    r.violations_confirmed = sqlite3_column_int64(s, 9);
  });
  sqlite3_close(raw);
  std::vector<Row> out;
  for (auto& [k, r] : rows) out.push_back(r);
  return out;
}

bool Same(const Row& a, const Row& b) {
  return std::tie(a.agreement, a.supplier, a.recipient, a.items_monitored, a.items_assessed,
                  a.items_on_time, a.items_delinquent, a.max_days_overdue, a.access_requests,
                  a.access_in_time, a.access_late, a.access_unanswered, a.access_pending,
                  a.cases_open, a.cases_open_by_age, a.cases_resolved, a.violations_confirmed) ==
         std::tie(b.agreement, b.supplier, b.recipient, b.items_monitored, b.items_assessed,
                  b.items_on_time, b.items_delinquent, b.max_days_overdue, b.access_requests,
                  b.access_in_time, b.access_late, b.access_unanswered, b.access_pending,
                  b.cases_open, b.cases_open_by_age, b.cases_resolved, b.violations_confirmed);
}

int64_t Items() {
  return Quick() ? 100'000 : 1'000'000;
}

// One database for both benchmarks of a run.
const std::string& Db(Built* built) {
  static Built b;
  static const std::string db = [] {
    std::string path = TempPath("eum.db");
    b = BuildEumRegistry(path, Items());
    return path;
  }();
  *built = b;
  return db;
}

void BM_EumDue(benchmark::State& state) {
  Built built;
  const std::string& db = Db(&built);
  for (auto _ : state) {
    auto t0 = Clock::now();
    registry::EumDue due;
    {
      auto reg = Check(registry::Registry::Open(db, false), "open registry");
      due = Check(registry::ComputeEumDue(reg->projections(), kAsOf, kWithin), "eum due");
    }
    double accord_s = std::chrono::duration<double>(Clock::now() - t0).count();

    auto t1 = Clock::now();
    std::vector<std::tuple<std::string, std::string, std::string, std::string, int64_t>> sql;
    {
      sqlite3* raw = nullptr;
      sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
      Query(raw, kDueSql, [&](sqlite3_stmt* s) {
        sql.emplace_back(Col(s, 0), Col(s, 1), Col(s, 2), Col(s, 3), sqlite3_column_int64(s, 4));
      });
      sqlite3_close(raw);
    }
    double sql_s = std::chrono::duration<double>(Clock::now() - t1).count();

    // Accord lists delinquent then due items, each in (recipient, unit, due,
    // item) order; the SQL lists both in one such order.
    std::vector<std::tuple<std::string, std::string, std::string, std::string, int64_t>> mine;
    for (const auto* list : {&due.delinquent, &due.due}) {
      for (const auto& i : *list) {
        mine.emplace_back(i.recipient, i.unit, i.due, i.item,
                          list == &due.delinquent ? i.days : -i.days);
      }
    }
    std::sort(mine.begin(), mine.end());
    if (mine != sql) {
      state.SkipWithError("eum due and the SQL query disagree");
      return;
    }
    state.SetIterationTime(accord_s);
    state.counters["build_s"] = built.build_s;
    state.counters["rows"] = static_cast<double>(built.rows);
    state.counters["items"] = static_cast<double>(due.items_monitored);
    state.counters["delinquent"] = static_cast<double>(due.delinquent.size());
    state.counters["due"] = static_cast<double>(due.due.size());
    state.counters["accord_s"] = accord_s;
    state.counters["sql_s"] = sql_s;
    state.counters["ratio"] = accord_s / sql_s;
  }
}

void BM_ReportEum(benchmark::State& state) {
  Built built;
  const std::string& db = Db(&built);
  for (auto _ : state) {
    auto t0 = Clock::now();
    registry::EumCompliance report;
    {
      auto reg = Check(registry::Registry::Open(db, false), "open registry");
      report = Check(registry::ComputeEumCompliance(reg->projections(), kAsOf), "report eum");
    }
    double accord_s = std::chrono::duration<double>(Clock::now() - t0).count();
    auto t1 = Clock::now();
    std::vector<Row> sql = SqlCompliance(db);
    double sql_s = std::chrono::duration<double>(Clock::now() - t1).count();
    bool same = sql.size() == report.rows.size();
    for (size_t i = 0; same && i < sql.size(); ++i) same = Same(sql[i], report.rows[i]);
    if (!same) {
      state.SkipWithError("report eum and the SQL queries disagree");
      return;
    }
    int64_t items = 0;
    for (const Row& r : report.rows) items += r.items_monitored;
    state.SetIterationTime(accord_s);
    state.counters["build_s"] = built.build_s;
    state.counters["rows"] = static_cast<double>(built.rows);
    state.counters["items"] = static_cast<double>(items);
    state.counters["groups"] = static_cast<double>(report.rows.size());
    state.counters["accord_s"] = accord_s;
    state.counters["sql_s"] = sql_s;
    state.counters["ratio"] = accord_s / sql_s;
  }
}

}  // namespace

void RegisterEumBenchmarks() {
  using Fn = void (*)(benchmark::State&);
  for (auto [name, fn] : {std::pair<const char*, Fn>{"BM_EumDue", BM_EumDue},
                          std::pair<const char*, Fn>{"BM_ReportEum", BM_ReportEum}}) {
    benchmark::RegisterBenchmark(name, fn)
        ->Iterations(1)
        ->Repetitions(Quick() ? 1 : 3)
        ->UseManualTime()
        ->Unit(benchmark::kSecond);
  }
}

}  // namespace accord_bench
