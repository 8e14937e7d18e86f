// The HTTP API under load, on loopback only.
//
// BM_ApiPost/<group_commit>: 64 client threads on 64 keep-alive connections
//   POST single unsigned events (/v1/events; the node signs each with the
//   party's key) to a server on 127.0.0.1 over a fresh demo registry, with
//   group commit on (1) or one transaction per request (0). Counters:
//   req_per_s, p50_ms, p99_ms. Target: group commit >= 5x the throughput of
//   one transaction per request.
// BM_ApiHealth: the same clients on GET /v1/health: the HTTP layer's ceiling.
// BM_ApiBatch: one NDJSON POST of 1,000 events against Registry::Record of
//   the same 1,000 events in one call (what `accord record` does), events/s
//   each; target: the API >= 0.7x.
// BM_ApiPostPg: BM_ApiPost with group commit on a registry on PostgreSQL
//   (ACCORD_BENCH_PG, see pg_bench.cc), against BM_PgAuditTable.
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/server.h"
#include "api/store.h"
#include "bench_events.h"
#include "registry/demo.h"
#include "registry/registry.h"

namespace accord_bench {

bool Quick();
std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);
std::string PgBenchServer();
std::string FreshPgBenchDatabase(const std::string& stem);

namespace {

namespace api = accord::api;
namespace registry = accord::registry;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kConnections = 64;

// A demo registry, an officer of UZ with a token, and party keys on disk.
struct Fixture {
  std::string db, keys_dir, token;
  std::unique_ptr<accord::note::Signer> node, ru, uz;
};

// The registry is a new file, or the PostgreSQL database at `locator`.
Fixture MakeFixture(const std::string& name, const std::string& locator = "") {
  Fixture f;
  f.db = locator.empty() ? TempPath(name + ".db") : locator;
  f.keys_dir = TempPath(name + ".keys");
  if (locator.empty()) RemoveDb(f.db);
  std::filesystem::remove_all(f.keys_dir);
  std::filesystem::create_directories(f.keys_dir);
  f.node = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/node"));
  f.ru = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/ru"));
  f.uz = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/uz"));
  std::string node_key = TempPath(name + ".node.skey");
  std::ofstream(node_key) << f.node->Encode() << "\n";
  std::ofstream(f.keys_dir + "/ru.skey") << f.ru->Encode() << "\n";
  std::ofstream(f.keys_dir + "/uz.skey") << f.uz->Encode() << "\n";
  Check(registry::Registry::Create(f.db, "bench/node", *f.node, node_key), "create");
  {
    auto reg = Check(registry::Registry::Open(f.db, true), "open");
    Check(registry::RecordDemo(*reg, {f.node.get(), f.ru.get(), f.uz.get()}), "demo");
  }
  auto store = Check(api::ApiStore::Open(f.db), "api store");
  f.token = Check(store->AddUser("uz-officer", "UZ", api::Role::kOfficer, 1700000000), "user");
  return f;
}

// An unsigned body.registered event of UZ with a unique id.
std::string BodyEvent(const std::string& id) {
  json e = {{"v", 1},
            {"type", "body.registered"},
            {"time", "2020-01-01T00:00:00Z"},
            {"party", "UZ"},
            {"actor", "uz-mod/registrar"},
            {"subject", "body/" + id},
            {"body", {{"party", "UZ"}, {"kind", "military_unit"}, {"name", "unit " + id}}}};
  return e.dump();
}

class RunningServer {
 public:
  RunningServer(const Fixture& f, bool group_commit) {
    api::ServerOptions o;
    o.db = f.db;
    o.port = 0;
    o.party_keys_dir = f.keys_dir;
    o.threads = kConnections + 8;
    o.rate_per_second = 0;
    o.group_commit = group_commit;
    server_ = Check(api::Server::Create(o), "server");
    Check(server_->Bind(), "bind");
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  ~RunningServer() {
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }

 private:
  std::unique_ptr<api::Server> server_;
  std::thread thread_;
};

struct LoadResult {
  double seconds = 0;
  std::vector<double> latency_ms;
  int failures = 0;
};

// `per_connection` requests on each of kConnections keep-alive connections.
LoadResult Load(int port, const std::string& token, int per_connection, bool post, int tag) {
  LoadResult out;
  std::vector<std::vector<double>> lat(kConnections);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client cli("127.0.0.1", port);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);  // else Nagle and delayed ACKs add ~40 ms per POST
      cli.set_read_timeout(60, 0);
      httplib::Headers h = {{"Authorization", "Bearer " + token}};
      for (int i = 0; i < per_connection; ++i) {
        auto s = Clock::now();
        httplib::Result r = post ? cli.Post("/v1/events", h,
                                            BodyEvent("b" + std::to_string(tag) + "-" +
                                                      std::to_string(c) + "-" + std::to_string(i)),
                                            "application/json")
                                 : cli.Get("/v1/health", h);
        auto e = Clock::now();
        if (!r || r->status >= 300) ++failures;
        lat[c].push_back(std::chrono::duration<double, std::milli>(e - s).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (auto& l : lat) out.latency_ms.insert(out.latency_ms.end(), l.begin(), l.end());
  std::sort(out.latency_ms.begin(), out.latency_ms.end());
  out.failures = failures;
  return out;
}

double Pct(const std::vector<double>& sorted, double p) {
  return sorted.empty() ? 0
                        : sorted[static_cast<size_t>(p * static_cast<double>(sorted.size() - 1))];
}

void Report(benchmark::State& state, const LoadResult& r) {
  state.SetIterationTime(r.seconds);
  state.counters["req_per_s"] = static_cast<double>(r.latency_ms.size()) / r.seconds;
  state.counters["p50_ms"] = Pct(r.latency_ms, 0.5);
  state.counters["p99_ms"] = Pct(r.latency_ms, 0.99);
  state.counters["failures"] = r.failures;
}

void BM_ApiPost(benchmark::State& state) {
  const bool group = state.range(0) != 0;
  Fixture f = MakeFixture(group ? "api-group" : "api-single");
  RunningServer server(f, group);
  (void)Load(server.port(), f.token, 2, true, 1000);  // warm-up: connections and readers
  const int per = Quick() ? (group ? 20 : 5) : (group ? 60 : 15);
  int tag = 0;
  for (auto _ : state) Report(state, Load(server.port(), f.token, per, true, tag++));
}

void BM_ApiPostPg(benchmark::State& state) {
  if (PgBenchServer().empty()) {
    return state.SkipWithError("ACCORD_BENCH_PG is not set (bench/run sets it)");
  }
  Fixture f = MakeFixture("api-pg", FreshPgBenchDatabase("api"));
  RunningServer server(f, true);
  (void)Load(server.port(), f.token, 2, true, 1000);  // warm-up: connections and readers
  const int per = Quick() ? 20 : 60;
  int tag = 0;
  for (auto _ : state) Report(state, Load(server.port(), f.token, per, true, tag++));
}

void BM_ApiHealth(benchmark::State& state) {
  Fixture f = MakeFixture("api-health");
  RunningServer server(f, true);
  (void)Load(server.port(), f.token, 2, false, 0);  // warm-up
  const int per = Quick() ? 100 : 400;
  for (auto _ : state) Report(state, Load(server.port(), f.token, per, false, 0));
}

void BM_ApiBatch(benchmark::State& state) {
  const int n = Quick() ? 300 : 1000;
  Fixture api_f = MakeFixture("api-batch");
  Fixture cli_f = MakeFixture("cli-batch");
  RunningServer server(api_f, true);
  int round = 0;
  for (auto _ : state) {
    std::string ndjson;
    for (int i = 0; i < n; ++i) {
      std::string e = BodyEvent("batch" + std::to_string(round) + "-" + std::to_string(i));
      ndjson += e + "\n";
    }
    ++round;
    httplib::Client cli("127.0.0.1", server.port());
    cli.set_read_timeout(120, 0);
    cli.set_tcp_nodelay(true);
    auto t0 = Clock::now();
    auto r = cli.Post("/v1/events", {{"Authorization", "Bearer " + api_f.token}}, ndjson,
                      "application/x-ndjson");
    auto t1 = Clock::now();
    if (!r || r->status >= 300) throw std::runtime_error("batch POST failed");
    // The CLI path: `accord record --key uz.skey` opens the registry and
    // records the stream in one call.
    auto t2 = Clock::now();
    auto reg = Check(registry::Registry::Open(cli_f.db, true), "open");
    auto items = Check(registry::ParseSubmissions(ndjson, registry::kNoEventLimit), "parse");
    auto rec = Check(reg->Record(items, cli_f.uz.get(), false), "record");
    auto t3 = Clock::now();
    if (rec.recorded.size() != static_cast<size_t>(n)) throw std::runtime_error("not all recorded");
    double api_s = std::chrono::duration<double>(t1 - t0).count();
    double cli_s = std::chrono::duration<double>(t3 - t2).count();
    state.SetIterationTime(api_s);
    state.counters["api_events_per_s"] = n / api_s;
    state.counters["cli_events_per_s"] = n / cli_s;
    state.counters["ratio"] = cli_s / api_s;
  }
}

}  // namespace

void RegisterApiBenchmarks() {
  for (int group : {1, 0}) {
    benchmark::RegisterBenchmark("BM_ApiPost", BM_ApiPost)
        ->Arg(group)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("BM_ApiPostPg", BM_ApiPostPg)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ApiHealth", BM_ApiHealth)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ApiBatch", BM_ApiBatch)
      ->Iterations(Quick() ? 1 : 3)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace accord_bench
