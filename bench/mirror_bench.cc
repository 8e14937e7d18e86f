// The verifying mirror's catch-up (issue 15, item 9): a registry of the demo
// plus body.registered events served by an in-process `accord serve` on
// loopback; a fresh mirror syncs all of it (log::MirrorSync over
// api::HttpTileSource: checkpoint, tiles authenticated, bundles checked,
// every event's signature and rules replayed into projections, committed a
// bundle at a time), against `accord verify` of the same registry (the log
// recomputed and every event replayed into scratch projections). Both in
// events per second; the ratio is mirror time / verify time.
//
// Log size: ACCORD_BENCH_MIRROR_EVENTS (default 20,000; 1000000 for the
// issue's 1M-event row, which takes several minutes to build).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/server.h"
#include "api/store.h"
#include "api/tile_client.h"
#include "bench_events.h"
#include "log/mirror.h"
#include "registry/demo.h"
#include "registry/registry.h"
#include "registry/submission.h"

namespace accord_bench {

std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);

namespace {

namespace api = accord::api;
namespace registry = accord::registry;
using Clock = std::chrono::steady_clock;

uint64_t MirrorEvents() {
  const char* env = std::getenv("ACCORD_BENCH_MIRROR_EVENTS");
  if (env != nullptr && *env != '\0') return std::strtoull(env, nullptr, 10);
  return 20000;
}

// The sequencer's registry: the demo, then body.registered events of UZ
// until the log holds `events` entries. Returns a node-role token.
std::string BuildSequencer(const std::string& db, uint64_t events) {
  RemoveDb(db);
  auto node = accord::note::Signer::Generate("bench/node");
  auto ru = accord::note::Signer::Generate("bench/ru");
  auto uz = accord::note::Signer::Generate("bench/uz");
  std::string key = db + ".node.skey";
  std::ofstream(key) << node.Encode() << "\n";
  Check(registry::Registry::Create(db, "bench/node", node, key), "create");
  auto reg = Check(registry::Registry::Open(db, true), "open");
  Check(registry::RecordDemo(*reg, {&node, &ru, &uz}), "demo");
  uint64_t size = Check(reg->log().Size(), "size");
  for (uint64_t i = 0; size < events; ++i) {
    std::string ndjson;
    for (int j = 0; j < 1000 && size + j < events; ++j) {
      std::string id = std::to_string(i) + "-" + std::to_string(j);
      ndjson +=
          nlohmann::json{
              {"v", 1},
              {"type", "body.registered"},
              {"time", "2020-01-01T00:00:00Z"},
              {"party", "UZ"},
              {"actor", "uz-mod/registrar"},
              {"subject", "body/m" + id},
              {"body", {{"party", "UZ"}, {"kind", "military_unit"}, {"name", "unit " + id}}}}
              .dump() +
          "\n";
    }
    auto subs = Check(registry::ParseSubmissions(ndjson, 100000), "parse");
    Check(reg->Record(subs, &uz, false), "record");
    size = Check(reg->log().Size(), "size");
  }
  auto store = Check(api::ApiStore::Open(db), "api store");
  return Check(store->AddUser("bench-mirror", "UZ", api::Role::kNode, 1700000000), "user");
}

void BM_MirrorCatchUp(benchmark::State& state) {
  const uint64_t events = MirrorEvents();
  const std::string seq = TempPath("mirror-seq.db");
  const std::string mirror = TempPath("mirror.db");
  std::string token;
  try {
    token = BuildSequencer(seq, events);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  api::ServerOptions o;
  o.db = seq;
  o.port = 0;
  o.rate_per_second = 0;
  auto server = Check(api::Server::Create(o), "server");
  Check(server->Bind(), "bind");
  std::thread serving([&server] { (void)server->Run(); });
  const std::string url = "http://127.0.0.1:" + std::to_string(server->port());
  double mirror_s = 0, verify_s = 0;
  uint64_t size = 0;
  for (auto _ : state) {
    RemoveDb(mirror);
    auto reg = Check(registry::Registry::Open(seq, false), "open sequencer");
    auto key = reg->log().verifier();
    Check(registry::Registry::CreateMirror(mirror, key, url), "create mirror");
    auto m = Check(registry::Registry::Open(mirror, false), "open mirror");
    auto source = Check(api::HttpTileSource::Open(url, token), "source");
    accord::log::MirrorSync sync(
        m->log(), *source,
        [&m](uint64_t first, std::span<const std::string> leaves, const std::string& cp,
             uint64_t* bad) { return m->AppendMirrored(first, leaves, cp, bad); });
    auto t0 = Clock::now();
    auto r = sync.Sync();
    mirror_s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    size = r->size;
    if (Check(m->Digest(), "digest") != Check(reg->Digest(), "digest")) {
      state.SkipWithError("the mirror's digest differs from the sequencer's");
      break;
    }
    // `accord verify` of the same registry.
    registry::Options ro;
    ro.read_only = true;
    auto v = Check(registry::Registry::Open(seq, false, ro), "open read-only");
    t0 = Clock::now();
    Check(v->log().Verify({}).status(), "verify log");
    Check(v->CheckProjections(), "verify projections");
    verify_s = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(mirror_s);
  }
  server->Stop();
  serving.join();
  state.counters["events"] = static_cast<double>(size);
  state.counters["mirror_events_per_s"] = mirror_s > 0 ? size / mirror_s : 0;
  state.counters["verify_events_per_s"] = verify_s > 0 ? size / verify_s : 0;
  state.counters["ratio"] = verify_s > 0 ? mirror_s / verify_s : 0;
}

}  // namespace

void RegisterMirrorBenchmarks() {
  benchmark::RegisterBenchmark("BM_MirrorCatchUp", BM_MirrorCatchUp)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace accord_bench
