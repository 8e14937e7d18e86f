// The registry on PostgreSQL. These benchmarks need a server: bench/run
// starts a throwaway one with fsync on (scripts/pg-cluster start, PG_FSYNC=on;
// loopback only) and names it in ACCORD_BENCH_PG. Without it they report an
// error ("n/a" in bench/run's table), never a number.
//
// BM_PgAppend/<batch>: 300-byte leaves, three sides per iteration, one batch
//   each, in rotating order (a burst of load elsewhere hits all alike):
//     log::Log::Append on PostgreSQL (storage/postgres);
//     raw libpq: the same rows into log_entries(idx BIGINT PRIMARY KEY,
//       data BYTEA NOT NULL), one transaction per batch, prepared multi-row
//       INSERTs of up to 200 rows with binary parameters, on the same server;
//     log::Log::Append on SQLite (WAL, synchronous=FULL), for comparison.
//   Counters pg_ns_per_leaf, raw_ns_per_leaf, sqlite_ns_per_leaf, ratio
//   (PostgreSQL log ÷ raw PostgreSQL).
// BM_PgRecord/<batch>: Registry::Record of unsigned body.registered events
//   (signed by the UZ key, checked by the rules, projected, appended) on a
//   demo registry on PostgreSQL and one on SQLite, paired per iteration.
//   Counters pg_events_per_s, sqlite_events_per_s, ratio (PostgreSQL ÷ SQLite).
// BM_PgAuditTable: the table a user would build instead of Accord: a
//   PostgreSQL audit table whose BEFORE INSERT trigger keeps a SHA-256 hash
//   chain in one head row (each row's hash = sha256(previous hash || data)),
//   driven as pgbench would: 16 clients, each its own connection, one
//   autocommit INSERT of one event's JSON per transaction. Counters
//   rows_per_s, p50_ms, p99_ms. bench/run compares BM_ApiPostPg (api_bench.cc:
//   single-event POSTs at 64 connections to `accord serve` on PostgreSQL)
//   with it; target ≥ 10×.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "log/log.h"
#include "note/note.h"
#include "registry/demo.h"
#include "registry/registry.h"
#include "storage/database.h"

namespace accord_bench {

bool Quick();
std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);
std::vector<std::string> MakeLeaves(size_t n, uint64_t first, uint64_t seed);

std::string FreshPgBenchDatabase(const std::string& stem);

// ACCORD_BENCH_PG, or "".
std::string PgBenchServer() {
  const char* v = std::getenv("ACCORD_BENCH_PG");
  return v == nullptr ? std::string() : std::string(v);
}

namespace {

using Clock = std::chrono::steady_clock;

// A libpq connection for the baselines; throws on failure.
class Conn {
 public:
  explicit Conn(const std::string& uri) : c_(PQconnectdb(uri.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) {
      std::string e = PQerrorMessage(c_);
      PQfinish(c_);
      throw std::runtime_error("cannot connect to " + uri + ": " + e);
    }
  }
  ~Conn() { PQfinish(c_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void Exec(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    std::string e = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) throw std::runtime_error(sql.substr(0, 60) + ": " + e);
  }
  // The prepared multi-row INSERT of `rows` log entries (idx, data), by name.
  std::string PrepareInsert(size_t rows) {
    std::string name = "ins" + std::to_string(rows);
    if (prepared_.insert(name).second) {
      std::string sql = "INSERT INTO log_entries(idx, data) VALUES ";
      for (size_t i = 0; i < rows; ++i) {
        sql += (i ? ", ($" : "($") + std::to_string(2 * i + 1) + "::bigint, $" +
               std::to_string(2 * i + 2) + "::bytea)";
      }
      Prepare(name.c_str(), sql.c_str(), static_cast<int>(2 * rows));
    }
    return name;
  }
  void Prepare(const char* name, const char* sql, int n) {
    PGresult* r = PQprepare(c_, name, sql, n, nullptr);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string e = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) throw std::runtime_error(std::string("prepare ") + name + ": " + e);
  }
  // Runs a prepared statement with binary parameters.
  void Run(const char* name, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats(params.size(), 1);
    for (const std::string& p : params) {
      values.push_back(p.data());
      lengths.push_back(static_cast<int>(p.size()));
    }
    PGresult* r = PQexecPrepared(c_, name, static_cast<int>(params.size()), values.data(),
                                 lengths.data(), formats.data(), 1);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string e = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) throw std::runtime_error(std::string(name) + ": " + e);
  }

 private:
  PGconn* c_;
  std::set<std::string> prepared_;
};

// The raw baseline writes rows as an experienced hand would: multi-row
// INSERTs of up to this many rows (one round trip each).
constexpr size_t kRawRows = 200;

// `uri` with its database name replaced by `name`.
std::string WithDatabase(const std::string& uri, const std::string& name) {
  size_t path = uri.find('/', uri.find("://") + 3);
  return uri.substr(0, path) + "/" + name;
}

std::string BigEndian64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

template <typename T>
T Must(accord::Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}
void Must(const accord::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.ToString());
}

// A log (store + Log) at `locator`, new.
struct OpenLog {
  std::unique_ptr<accord::storage::Database> db;
  std::unique_ptr<accord::log::Log> log;
};
OpenLog NewLogAt(const std::string& locator, const accord::note::Signer& signer) {
  OpenLog out;
  out.db = Must(accord::storage::CreateDatabase(locator), "create log");
  Must(accord::log::Log::Initialize(out.db->log(), "bench/log", signer), "initialize log");
  out.log = Must(accord::log::Log::Open(out.db->log(), &signer), "open log");
  return out;
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

void BM_PgAppend(benchmark::State& state) {
  const std::string server = PgBenchServer();
  if (server.empty()) return state.SkipWithError("ACCORD_BENCH_PG is not set (bench/run sets it)");
  const size_t batch = static_cast<size_t>(state.range(0));
  const std::string tag = std::to_string(batch);
  accord::note::Signer signer = accord::note::Signer::Generate("bench/log");
  std::string sqlite_path = TempPath("pg-append-" + tag + ".db");
  RemoveDb(sqlite_path);
  OpenLog pg = NewLogAt(FreshPgBenchDatabase("append_log_" + tag), signer);
  OpenLog sqlite = NewLogAt(sqlite_path, signer);
  Conn raw(FreshPgBenchDatabase("append_raw_" + tag));
  raw.Exec("CREATE TABLE log_entries(idx BIGINT PRIMARY KEY, data BYTEA NOT NULL)");
  uint64_t next = 0;
  double pg_s = 0, raw_s = 0, sqlite_s = 0;
  int turn = 0;
  for (auto _ : state) {
    std::vector<std::string> leaves = MakeLeaves(batch, next, 7);
    double pg_i = 0, raw_i = 0, sqlite_i = 0;
    auto run_pg = [&] {
      auto t = Clock::now();
      Must(pg.log->Append(leaves), "append on PostgreSQL");
      pg_i = Seconds(Clock::now() - t);
    };
    auto run_sqlite = [&] {
      auto t = Clock::now();
      Must(sqlite.log->Append(leaves), "append on SQLite");
      sqlite_i = Seconds(Clock::now() - t);
    };
    auto run_raw = [&] {
      auto t = Clock::now();
      raw.Exec("BEGIN");
      for (size_t i = 0; i < leaves.size(); i += kRawRows) {
        size_t rows = std::min(kRawRows, leaves.size() - i);
        std::vector<std::string> params;
        for (size_t k = 0; k < rows; ++k) {
          params.push_back(BigEndian64(next + i + k));
          params.push_back(leaves[i + k]);
        }
        raw.Run(raw.PrepareInsert(rows).c_str(), params);
      }
      raw.Exec("COMMIT");
      raw_i = Seconds(Clock::now() - t);
    };
    switch (turn++ % 3) {
      case 0:
        run_pg(), run_raw(), run_sqlite();
        break;
      case 1:
        run_raw(), run_sqlite(), run_pg();
        break;
      default:
        run_sqlite(), run_pg(), run_raw();
        break;
    }
    next += batch;
    pg_s += pg_i;
    raw_s += raw_i;
    sqlite_s += sqlite_i;
    state.SetIterationTime(pg_i + raw_i + sqlite_i);
  }
  const double n = static_cast<double>(next);
  state.counters["pg_ns_per_leaf"] = pg_s / n * 1e9;
  state.counters["raw_ns_per_leaf"] = raw_s / n * 1e9;
  state.counters["sqlite_ns_per_leaf"] = sqlite_s / n * 1e9;
  state.counters["ratio"] = pg_s / raw_s;
}

// A demo registry at `locator` whose UZ key signs the benchmark's events.
struct DemoRegistry {
  std::unique_ptr<accord::note::Signer> node, ru, uz;
  std::unique_ptr<accord::registry::Registry> reg;
};
DemoRegistry NewDemoRegistry(const std::string& locator, const std::string& name) {
  DemoRegistry d;
  d.node = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/node"));
  d.ru = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/ru"));
  d.uz = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/uz"));
  std::string node_key = TempPath(name + ".node.skey");
  std::ofstream(node_key) << d.node->Encode() << "\n";
  Must(accord::registry::Registry::Create(locator, "bench/node", *d.node, node_key), "create");
  d.reg = Must(accord::registry::Registry::Open(locator, true), "open");
  Must(accord::registry::RecordDemo(*d.reg, {d.node.get(), d.ru.get(), d.uz.get()}), "demo");
  return d;
}

std::string BodyEventJson(const std::string& id) {
  return "{\"v\":1,\"type\":\"body.registered\",\"time\":\"2020-01-01T00:00:00Z\",\"party\":\"UZ\","
         "\"actor\":\"uz-mod/registrar\",\"subject\":\"body/" +
         id + "\",\"body\":{\"party\":\"UZ\",\"kind\":\"military_unit\",\"name\":\"unit " + id +
         "\"}}";
}

void BM_PgRecord(benchmark::State& state) {
  if (PgBenchServer().empty()) {
    return state.SkipWithError("ACCORD_BENCH_PG is not set (bench/run sets it)");
  }
  const int batch = static_cast<int>(state.range(0));
  const std::string tag = std::to_string(batch);
  std::string sqlite_path = TempPath("pg-record-" + tag + ".db");
  RemoveDb(sqlite_path);
  DemoRegistry pg = NewDemoRegistry(FreshPgBenchDatabase("record_" + tag), "pg-record-" + tag);
  DemoRegistry sqlite = NewDemoRegistry(sqlite_path, "sqlite-record-" + tag);
  double pg_s = 0, sqlite_s = 0;
  int64_t events = 0;
  int round = 0;
  for (auto _ : state) {
    std::string ndjson;
    for (int i = 0; i < batch; ++i) {
      ndjson += BodyEventJson("r" + std::to_string(round) + "-" + std::to_string(i)) + "\n";
    }
    auto items =
        Must(accord::registry::ParseSubmissions(ndjson, accord::registry::kNoEventLimit), "parse");
    double pg_i = 0, sqlite_i = 0;
    auto record = [&](DemoRegistry& d, double* seconds) {
      auto t = Clock::now();
      auto rec = Must(d.reg->Record(items, d.uz.get(), false), "record");
      *seconds = Seconds(Clock::now() - t);
      if (rec.recorded.size() != static_cast<size_t>(batch)) {
        throw std::runtime_error("not every event was recorded");
      }
    };
    if (round % 2 == 0) {
      record(pg, &pg_i), record(sqlite, &sqlite_i);
    } else {
      record(sqlite, &sqlite_i), record(pg, &pg_i);
    }
    ++round;
    events += batch;
    pg_s += pg_i;
    sqlite_s += sqlite_i;
    state.SetIterationTime(pg_i + sqlite_i);
  }
  state.counters["pg_events_per_s"] = static_cast<double>(events) / pg_s;
  state.counters["sqlite_events_per_s"] = static_cast<double>(events) / sqlite_s;
  state.counters["ratio"] = sqlite_s / pg_s;
}

constexpr int kAuditClients = 16;

void BM_PgAuditTable(benchmark::State& state) {
  if (PgBenchServer().empty()) {
    return state.SkipWithError("ACCORD_BENCH_PG is not set (bench/run sets it)");
  }
  const std::string db = FreshPgBenchDatabase("audit");
  {
    Conn c(db);
    c.Exec(R"sql(
CREATE TABLE audit_head(id INT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL,
                        hash BYTEA NOT NULL);
INSERT INTO audit_head VALUES (1, 0, sha256(''::bytea));
CREATE TABLE audit_log(seq BIGINT PRIMARY KEY, data BYTEA NOT NULL, hash BYTEA NOT NULL);
CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_head SET seq = seq + 1, hash = sha256(hash || NEW.data) WHERE id = 1
    RETURNING seq, hash INTO NEW.seq, NEW.hash;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_chain();
)sql");
  }
  const int per_client = Quick() ? 100 : 400;
  int round = 0;
  for (auto _ : state) {
    std::vector<std::vector<double>> lat(kAuditClients);
    std::vector<std::thread> clients;
    std::atomic<int> failures{0};
    auto t0 = Clock::now();
    for (int c = 0; c < kAuditClients; ++c) {
      clients.emplace_back([&, c] {
        try {
          Conn conn(db);
          conn.Prepare("ins", "INSERT INTO audit_log(seq, data, hash) VALUES (0, $1::bytea, '')",
                       1);
          for (int i = 0; i < per_client; ++i) {
            std::string data = BodyEventJson("a" + std::to_string(round) + "-" + std::to_string(c) +
                                             "-" + std::to_string(i));
            auto s = Clock::now();
            conn.Run("ins", {data});
            lat[static_cast<size_t>(c)].push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - s).count());
          }
        } catch (const std::exception&) {
          ++failures;
        }
      });
    }
    for (auto& t : clients) t.join();
    double secs = Seconds(Clock::now() - t0);
    ++round;
    std::vector<double> all;
    for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    if (failures > 0 || all.empty()) return state.SkipWithError("audit table INSERTs failed");
    state.SetIterationTime(secs);
    state.counters["rows_per_s"] = static_cast<double>(all.size()) / secs;
    state.counters["p50_ms"] = all[all.size() / 2];
    state.counters["p99_ms"] = all[(all.size() - 1) * 99 / 100];
  }
}

}  // namespace

std::string FreshPgBenchDatabase(const std::string& stem) {
  static std::atomic<int> counter{0};
  std::string name = "bench_" + stem + "_" + std::to_string(counter++);
  Conn(PgBenchServer()).Exec("CREATE DATABASE " + name);
  return WithDatabase(PgBenchServer(), name);
}

void RegisterPgBenchmarks() {
  for (int batch : {1, 100, 10000}) {
    benchmark::RegisterBenchmark("BM_PgAppend", BM_PgAppend)
        ->Arg(batch)
        ->Iterations(Quick() ? (batch == 1     ? 60
                                : batch == 100 ? 15
                                               : 3)
                             : (batch == 1     ? 300
                                : batch == 100 ? 60
                                               : 10))
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_PgRecord", BM_PgRecord)
      ->Arg(100)
      ->Iterations(Quick() ? 5 : 20)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_PgAuditTable", BM_PgAuditTable)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace accord_bench
