// Recording throughput: registry::Registry::Record of presigned, contract-sized
// events against log::Log::Append of exactly the leaves the registry produced.
//
// Setup (untimed, per run): a fresh registry file with the demo world
// (examples/demo: parties RU and UZ with keys, bodies, agreements with
// the 2016 treaty in force, products with domestic prices) plus 20 more RU
// products with RUB prices, recorded in one batch; then a stream of
// pre-signed events, cut into batches:
//   drafted  contract.drafted only, every contract a new id, 5–20 lines each
//            (line count cycles 5, 12, 19, 10, 17, …), each line a distinct
//            product at its domestic price, one delivery entry per line
//   signed   every contract as contract.drafted by UZ, then contract.signed
//            by UZ and by RU (3 events per contract; a contract's events may
//            straddle two batches)
// A baseline log (storage::SqliteLogStore + log::Log, same settings as the
// registry's store) gets the registry's setup leaves copied into it, so both
// trees have the same size throughout.
//
// Every iteration records one batch through Registry::Record (each event is
// parsed strictly, its key found from state, its Ed25519 signature verified,
// decided by the rules against the state, projected into the entity tables,
// and the leaves appended, all in one transaction), then reads those leaves
// back from the registry's log_entries (untimed) and appends the same bytes
// to the baseline log in one Log::Append. Wall-clock time for each side.
// Counters:
//   reg_us_per_event, log_us_per_leaf   mean time per event / leaf
//   events_per_s, leaves_per_s          the same as rates
//   leaf_bytes                          mean leaf size
//   ratio                               events/s ÷ leaves/s (target ≥ 0.6)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_events.h"
#include "domain/envelope.h"
#include "log/log.h"
#include "note/note.h"
#include "registry/demo.h"
#include "registry/registry.h"
#include "storage/sqlite/log_store.h"
#include "util/encoding.h"

namespace accord_bench {

bool Quick();
std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);
std::unique_ptr<accord::log::Log> NewLog(const std::string& path,
                                         std::unique_ptr<accord::note::Signer>* signer,
                                         std::unique_ptr<accord::storage::SqliteLogStore>* store);

namespace {

using nlohmann::json;
namespace registry = accord::registry;
namespace domain = accord::domain;

constexpr int kProducts = 20;
constexpr int64_t kPriceRub = 50'000'000;  // roubles; product i costs (i + 1) times this

std::string ProductId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "bench-p%02d", i);
  return buf;
}

// The products this benchmark's contracts buy, with their domestic prices.
std::vector<std::string> CatalogueEvents(const Events& ev) {
  std::vector<std::string> out;
  for (int i = 0; i < kProducts; ++i) {
    out.push_back(ev.Add("RU", "ru-fsvts/catalogue", "2016-12-01", "product.registered",
                         "product/" + ProductId(i),
                         {{"supplier", "RU"},
                          {"designation", "Bench-" + std::to_string(i)},
                          {"description", "armoured vehicle variant (benchmark)"},
                          {"unroca_category", "II"},
                          {"sipri_category", "armoured_vehicles"},
                          {"enhanced_monitoring", false},
                          {"tiv_per_unit_milli", 300 + 10 * i}}));
    out.push_back(ev.Add("RU", "ru-mod/pricing", "2017-01-01", "product.price_published",
                         "product/" + ProductId(i),
                         {{"currency", "RUB"},
                          {"amount_minor", (i + 1) * kPriceRub * 100},
                          {"valid_from", "2017-01-01"}}));
  }
  return out;
}

// Contract number `k`: 5–20 lines at domestic prices.
std::string DraftedEvent(const Events& ev, uint64_t k) {
  const int nlines = 5 + static_cast<int>((k * 7) % 16);
  json lines = json::array(), schedule = json::array();
  for (int j = 0; j < nlines; ++j) {
    const int p = static_cast<int>((k + j) % kProducts);
    const int64_t qty = 1 + static_cast<int64_t>((k * 13 + j) % 50);
    lines.push_back({{"line", j + 1},
                     {"product", ProductId(p)},
                     {"quantity", qty},
                     {"unit_price_minor", (p + 1) * kPriceRub * 100},
                     {"currency", "RUB"}});
    schedule.push_back({{"line", j + 1}, {"year", 2020 + j % 3}, {"quantity", qty}});
  }
  return ev.Add("UZ", "uz-mod/procurement", "2019-06-01", "contract.drafted",
                "contract/BENCH-" + std::to_string(k),
                {{"agreement", "RU-UZ-2016-MTC"},
                 {"supplier_body", "ru-kamaz"},
                 {"recipient_body", "uz-mod"},
                 {"channel", "direct"},
                 {"lines", std::move(lines)},
                 {"delivery_schedule", std::move(schedule)}});
}

// The whole stream: `n` events.
std::vector<std::string> StreamEvents(const Events& ev, size_t n, bool with_signed) {
  std::vector<std::string> out;
  out.reserve(n);
  for (uint64_t k = 0; out.size() < n; ++k) {
    out.push_back(DraftedEvent(ev, k));
    if (!with_signed) continue;
    const std::string subject = "contract/BENCH-" + std::to_string(k);
    out.push_back(ev.Add("UZ", "uz-mod/procurement", "2019-06-10", "contract.signed", subject,
                         {{"date", "2019-06-10"}}));
    out.push_back(ev.Add("RU", "ru-mod/contracts", "2019-06-12", "contract.signed", subject,
                         {{"date", "2019-06-12"}}));
  }
  out.resize(n);
  return out;
}

void BM_Record(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const auto batch = static_cast<size_t>(state.range(0));
  const bool with_signed = state.range(1) != 0;
  const std::string tag = std::to_string(batch) + (with_signed ? "-signed" : "-drafted");
  const std::string reg_path = TempPath("record-" + tag + ".db");
  const std::string key_path = TempPath("record-" + tag + ".skey");
  const std::string base_path = TempPath("record-base-" + tag + ".db");

  std::unique_ptr<registry::Registry> reg;
  std::unique_ptr<accord::storage::SqliteLogStore> reader;  // 2nd connection to reg_path
  std::unique_ptr<accord::note::Signer> base_signer;
  std::unique_ptr<accord::storage::SqliteLogStore> base_store;
  std::unique_ptr<accord::log::Log> base;
  std::vector<std::vector<std::string>> batches;  // event texts
  auto node = accord::note::Signer::Generate("bench.example/registry");
  auto ru = accord::note::Signer::Generate("ru.example/mod");
  auto uz = accord::note::Signer::Generate("uz.example/mod");
  const registry::DemoKeys keys{&node, &ru, &uz};
  try {
    RemoveDb(reg_path);
    {
      FILE* f = std::fopen(key_path.c_str(), "wb");
      if (f == nullptr) throw std::runtime_error("cannot write " + key_path);
      std::string text = node.Encode() + "\n";
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
    }
    Check(registry::Registry::Create(reg_path, "bench.example/registry", node, key_path),
          "create registry");
    registry::Options opt;
    opt.clock = [] { return int64_t{1800000000}; };  // 2027-01-15
    reg = Check(registry::Registry::Open(reg_path, true, opt), "open registry");
    Check(registry::RecordDemo(*reg, keys), "record demo");
    const Events ev(keys);
    std::vector<registry::Submission> setup;
    for (std::string& e : CatalogueEvents(ev)) {
      setup.push_back(Check(registry::ParseSubmission(e, setup.size() + 1), "parse catalogue"));
    }
    Check(reg->Record(setup, nullptr, false), "record catalogue");

    // The events of every iteration, signed in advance.
    const size_t iters = static_cast<size_t>(state.max_iterations);
    std::vector<std::string> stream = StreamEvents(ev, iters * batch, with_signed);
    batches.resize(iters);
    for (size_t i = 0; i < stream.size(); ++i) batches[i / batch].push_back(std::move(stream[i]));

    // The baseline log starts with the same leaves as the registry's log.
    reader = Check(accord::storage::SqliteLogStore::Open(reg_path), "open reader");
    base = NewLog(base_path, &base_signer, &base_store);
    const uint64_t n = Check(reader->Size(), "size");
    Check(base->Append(Check(reader->ReadEntries(0, n), "read setup leaves")), "copy setup");
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }

  double reg_s = 0, log_s = 0, leaf_bytes = 0;
  size_t it = 0;
  for (auto _ : state) {
    const std::vector<std::string>& texts = batches[it++];
    auto t0 = Clock::now();
    // Parsing is part of recording an event, as it was when Record parsed.
    std::vector<registry::Submission> items;
    items.reserve(texts.size());
    accord::Status parsed;
    for (const std::string& text : texts) {
      auto sub = registry::ParseSubmission(text, items.size() + 1);
      if (!sub.ok()) {
        parsed = sub.status();
        break;
      }
      items.push_back(std::move(sub).value());
    }
    auto recorded = parsed.ok() ? reg->Record(items, nullptr, /*keep_going=*/false)
                                : accord::Result<registry::RecordResult>(parsed);
    const double rs = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!recorded.ok() || recorded->recorded.size() != items.size()) {
      state.SkipWithError(("record: " + recorded.status().ToString()).c_str());
      break;
    }
    const uint64_t first = recorded->recorded.front().index;
    auto leaves = reader->ReadEntries(first, first + items.size());
    if (!leaves.ok()) {
      state.SkipWithError(("read leaves: " + leaves.status().ToString()).c_str());
      break;
    }
    for (const std::string& l : *leaves) leaf_bytes += static_cast<double>(l.size());
    auto t1 = Clock::now();
    auto appended = base->Append(*leaves);
    const double ls = std::chrono::duration<double>(Clock::now() - t1).count();
    if (!appended.ok() || *appended != first) {
      state.SkipWithError("baseline append failed or diverged");
      break;
    }
    reg_s += rs;
    log_s += ls;
    state.SetIterationTime(rs + ls);
  }
  base.reset();
  base_store.reset();
  reader.reset();
  reg.reset();
  RemoveDb(base_path);
  RemoveDb(reg_path);
  std::remove(key_path.c_str());

  const double events = static_cast<double>(state.iterations() * batch);
  if (events > 0 && reg_s > 0 && log_s > 0) {
    state.counters["events"] = static_cast<double>(batch);
    state.counters["reg_us_per_event"] = reg_s * 1e6 / events;
    state.counters["log_us_per_leaf"] = log_s * 1e6 / events;
    state.counters["events_per_s"] = events / reg_s;
    state.counters["leaves_per_s"] = events / log_s;
    state.counters["leaf_bytes"] = leaf_bytes / events;
    state.counters["ratio"] = log_s / reg_s;
  }
}

}  // namespace

void RegisterRecordBenchmarks() {
  const bool quick = Quick();
  // {batch, iterations}
  const std::pair<int64_t, int64_t> runs[] = {
      {1, quick ? 40 : 200}, {100, quick ? 4 : 15}, {1000, quick ? 1 : 3}};
  const int reps = quick ? 1 : 3;
  for (int with_signed : {0, 1}) {
    for (auto [batch, iters] : runs) {
      auto* b = benchmark::RegisterBenchmark("BM_Record", BM_Record)
                    ->Args({batch, with_signed})
                    ->Iterations(iters)
                    ->UseManualTime()
                    ->Unit(benchmark::kMillisecond);
      if (reps > 1) b->Repetitions(reps)->ReportAggregatesOnly(true);
    }
  }
}

}  // namespace accord_bench
