// Deliveries at scale.
//
// BM_Shipment100k: one shipment of 100,000 serial-numbered items, dispatched
//   (shipment.dispatched and its shipment.dispatch_part events, 4,000 serials
//   each so that every event fits a log leaf; 100,000 new item documents) and
//   received serial by serial (shipment.items_received events of 1,250 items
//   each, then the shipment.received that reconciles and updates all 100,000
//   items), each leg through one Registry::Record batch in one transaction.
//   Counters: dispatch_s, receive_s, items_per_s (both legs together),
//   events, largest_event_bytes.
//
// BM_ItemLookup/<n>: locating one item by product and serial among n item
//   documents (Registry::Get, which also parses the document) against a bare
//   SQLite primary-key lookup of the same row on another connection (prepared
//   SELECT doc FROM entities WHERE kind = ? AND id = ?), on the same database
//   in the same run; p50 and p99 latency over random serials. The items are
//   written straight into the projection table (what a lookup reads does not
//   depend on how it was written), so that 1,000,000 items take seconds.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench_events.h"
#include "registry/demo.h"
#include "registry/registry.h"
#include "storage/sqlite/entity_store.h"
#include "storage/sqlite/log_store.h"

namespace accord_bench {

bool Quick();
std::string TempPath(const std::string& name);
void RemoveDb(const std::string& path);

namespace {

using nlohmann::json;
namespace registry = accord::registry;
using Clock = std::chrono::steady_clock;

std::string Serial(int64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "AK-%08lld", static_cast<long long>(i));
  return buf;
}

// A registry with the demo world, its keys written to files.
struct World {
  std::unique_ptr<accord::note::Signer> node, ru, uz;
  std::unique_ptr<registry::Registry> reg;
};

World MakeWorld(const std::string& name) {
  World w;
  const std::string db = TempPath(name + ".db"), key = TempPath(name + ".skey");
  RemoveDb(db);
  w.node = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/node"));
  w.ru = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/ru"));
  w.uz = std::make_unique<accord::note::Signer>(accord::note::Signer::Generate("bench/uz"));
  FILE* f = std::fopen(key.c_str(), "w");
  std::fputs((w.node->Encode() + "\n").c_str(), f);
  std::fclose(f);
  Check(registry::Registry::Create(db, "bench/node", *w.node, key), "create registry");
  w.reg = Check(registry::Registry::Open(db, true), "open registry");
  Check(registry::RecordDemo(*w.reg, {w.node.get(), w.ru.get(), w.uz.get()}), "demo");
  return w;
}

void Record(registry::Registry& reg, const std::string& event) {
  auto r = Check(reg.Record({Check(registry::ParseSubmission(event, 1), "parse")}, nullptr, false),
                 "record");
  if (r.recorded.size() != 1) throw std::runtime_error("event not recorded");
}

// Each leg's events (a shipment event and its parts) in one batch, one
// transaction.
void RecordAll(registry::Registry& reg, const std::vector<std::string>& events) {
  std::vector<registry::Submission> subs;
  for (const std::string& e : events)
    subs.push_back(Check(registry::ParseSubmission(e, 1), "parse"));
  auto r = Check(reg.Record(subs, nullptr, false), "record");
  if (r.recorded.size() != events.size()) throw std::runtime_error("events not recorded");
}

constexpr int64_t kSerialsPerPart = 4000;
constexpr int64_t kItemsPerPart = 1250;

void BM_Shipment100k(benchmark::State& state) {
  const int64_t n = state.range(0);
  for (auto _ : state) {
    World w = MakeWorld("shipment-" + std::to_string(n));
    registry::DemoKeys keys{w.node.get(), w.ru.get(), w.uz.get()};
    Events ev(keys);
    const std::string contract = "RU-UZ-BENCH-AK";
    // A contract for n small arms, its certificate and export licence.
    Record(*w.reg, ev.Add("RU", "ru-fsvts/catalogue", "2019-01-10", "product.registered",
                          "product/ak-bench",
                          {{"supplier", "RU"},
                           {"designation", "AK-12 (benchmark)"},
                           {"description", "assault rifle"},
                           {"unroca_category", "VIII"},
                           {"salw_subcategory", "assault_rifles"},
                           {"sipri_category", "other"},
                           {"enhanced_monitoring", true}}));
    Record(
        *w.reg,
        ev.Add("RU", "ru-mod/pricing", "2019-01-10", "product.price_published", "product/ak-bench",
               {{"currency", "RUB"}, {"amount_minor", 5'000'000}, {"valid_from", "2019-01-01"}}));
    Record(*w.reg, ev.Add("UZ", "uz-mod/procurement", "2019-02-01", "contract.drafted",
                          "contract/" + contract,
                          {{"agreement", "RU-UZ-2016-MTC"},
                           {"supplier_body", "ru-kamaz"},
                           {"recipient_body", "uz-mod"},
                           {"channel", "direct"},
                           {"lines",
                            {{{"line", 1},
                              {"product", "ak-bench"},
                              {"quantity", n},
                              {"unit_price_minor", 5'000'000},
                              {"currency", "RUB"}}}}}));
    for (const char* p : {"UZ", "RU"}) {
      Record(*w.reg, ev.Add(p, "x/officer", "2019-02-10", "contract.signed", "contract/" + contract,
                            {{"date", "2019-02-10"}}));
    }
    Record(*w.reg, ev.Add("UZ", "uz-mod/logistics", "2019-02-15", "certificate.issued",
                          "certificate/EUC-AK",
                          {{"contract", contract},
                           {"end_user", "uz-mod"},
                           {"end_use", "ground forces"},
                           {"final_destination", "UZ"},
                           {"no_reexport_without_consent", true},
                           {"no_wmd_use", true},
                           {"signatory", {{"name", "signatory"}, {"office", "MoD"}}},
                           {"date", "2019-02-15"}}));
    Record(*w.reg,
           ev.Add("RU", "ru-fsvts/licensing", "2019-03-01", "licence.issued", "licence/EXP-AK",
                  {{"kind", "export"},
                   {"contract", contract},
                   {"issuing_body", "ru-fsvts"},
                   {"lines", {{{"product", "ak-bench"}, {"quantity", n}}}},
                   {"valid_from", "2019-03-01"},
                   {"valid_to", "2020-12-31"}}));
    // Every event fits a log leaf (65,535 bytes): the serials go in parts of
    // kSerialsPerPart (about 14 bytes each), the received items in parts of
    // kItemsPerPart (about 45 bytes each).
    const int64_t dispatch_parts = (n + kSerialsPerPart - 1) / kSerialsPerPart;
    const int64_t receipt_parts = (n + kItemsPerPart - 1) / kItemsPerPart;
    std::vector<std::string> dispatch, receive;
    for (int64_t p = 0; p < dispatch_parts; ++p) {
      json serials = json::array();
      for (int64_t i = p * kSerialsPerPart; i < std::min(n, (p + 1) * kSerialsPerPart); ++i)
        serials.push_back(Serial(i));
      json lines = {{{"line", 1}, {"serials", std::move(serials)}}};
      if (p == 0) {
        json body = {{"contract", contract},  {"licence", "EXP-AK"},      {"date", "2019-04-01"},
                     {"carrier", "rail"},     {"mode", "rail"},           {"place", "Izhevsk"},
                     {"route", {"RU", "UZ"}}, {"lines", std::move(lines)}};
        if (dispatch_parts > 1) body["parts"] = dispatch_parts;
        dispatch.push_back(ev.Add("RU", "ru-mod/logistics", "2019-04-01", "shipment.dispatched",
                                  "shipment/SH-AK", std::move(body)));
      } else {
        dispatch.push_back(ev.Add("RU", "ru-mod/logistics", "2019-04-01", "shipment.dispatch_part",
                                  "shipment/SH-AK",
                                  {{"part", p + 1}, {"lines", std::move(lines)}}));
      }
    }
    // The receipt: shipment.items_received parts, then the shipment.received
    // that reconciles them all (with the last part's items).
    for (int64_t p = 0; p < receipt_parts; ++p) {
      json items = json::array();
      for (int64_t i = p * kItemsPerPart; i < std::min(n, (p + 1) * kItemsPerPart); ++i)
        items.push_back({{"product", "ak-bench"}, {"serial", Serial(i)}});
      if (p + 1 < receipt_parts) {
        receive.push_back(ev.Add("UZ", "uz-mod/logistics", "2019-04-20", "shipment.items_received",
                                 "shipment/SH-AK", {{"items", std::move(items)}}));
        continue;
      }
      receive.push_back(ev.Add("UZ", "uz-mod/logistics", "2019-04-20", "shipment.received",
                               "shipment/SH-AK",
                               {{"date", "2019-04-20"},
                                {"unit", "uz-mod"},
                                {"location", "Tashkent"},
                                {"seals_intact", true},
                                {"items", std::move(items)}}));
    }
    size_t largest = 0;
    for (const auto* leg : {&dispatch, &receive}) {
      for (const std::string& e : *leg) largest = std::max(largest, e.size());
    }
    auto t0 = Clock::now();
    RecordAll(*w.reg, dispatch);
    auto t1 = Clock::now();
    RecordAll(*w.reg, receive);
    auto t2 = Clock::now();
    auto shipment = Check(w.reg->Get("shipment", "SH-AK"), "get shipment");
    if (!shipment || (*shipment)["status"] != "closed")
      throw std::runtime_error("shipment not closed");
    double d = std::chrono::duration<double>(t1 - t0).count();
    double r = std::chrono::duration<double>(t2 - t1).count();
    state.SetIterationTime(d + r);
    state.counters["dispatch_s"] = d;
    state.counters["receive_s"] = r;
    state.counters["items_per_s"] = 2.0 * static_cast<double>(n) / (d + r);
    state.counters["events"] = static_cast<double>(dispatch.size() + receive.size());
    state.counters["largest_event_bytes"] = static_cast<double>(largest);
  }
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

void BM_ItemLookup(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string db = TempPath("items-" + std::to_string(n) + ".db");
  const std::string key = TempPath("items-" + std::to_string(n) + ".skey");
  RemoveDb(db);
  accord::note::Signer node = accord::note::Signer::Generate("bench/node");
  FILE* f = std::fopen(key.c_str(), "w");
  std::fputs((node.Encode() + "\n").c_str(), f);
  std::fclose(f);
  Check(registry::Registry::Create(db, "bench/node", node, key), "create registry");
  {
    // n item documents shaped like those deliveries write.
    auto store = Check(accord::storage::SqliteLogStore::Open(db), "open store");
    accord::storage::SqliteEntityStore entities(store->db());
    auto txn = Check(store->BeginWrite(), "begin");
    for (int64_t i = 0; i < n; ++i) {
      std::string serial = Serial(i);
      json doc = {{"id", "ak-bench/" + serial},
                  {"product", "ak-bench"},
                  {"serial", serial},
                  {"contract", "RU-UZ-BENCH-AK"},
                  {"line", 1},
                  {"shipment", "SH-" + std::to_string(i / 100000)},
                  {"state", "in_service"},
                  {"unit", "uz-mod"},
                  {"location", "Tashkent"},
                  {"received", "2019-04-20"},
                  {"history",
                   {{{"index", i},
                     {"date", "2019-04-01"},
                     {"event", "shipment.dispatched"},
                     {"what", "dispatched"}},
                    {{"index", i + 1},
                     {"date", "2019-04-20"},
                     {"event", "shipment.received"},
                     {"what", "received"}}}}};
      Check(
          entities.Put("item", "ak-bench/" + serial,
                       Check(accord::domain::CanonicalJson(doc), "json"), static_cast<uint64_t>(i)),
          "put");
    }
    Check(txn->Commit(), "commit");
  }
  auto reg = Check(registry::Registry::Open(db, false), "open registry");
  sqlite3* raw = nullptr;
  sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(raw, "SELECT doc FROM entities WHERE kind = ?1 AND id = ?2", -1, &stmt,
                     nullptr);

  const int lookups = Quick() ? 2000 : 20000;
  std::mt19937_64 rng(7);
  std::vector<std::string> ids;
  for (int i = 0; i < lookups; ++i)
    ids.push_back("ak-bench/" + Serial(static_cast<int64_t>(rng() % static_cast<uint64_t>(n))));
  std::vector<double> reg_us, raw_us;
  for (auto _ : state) {
    reg_us.clear();
    raw_us.clear();
    for (const std::string& id : ids) {
      auto t0 = Clock::now();
      auto doc = Check(reg->Get("item", id), "get");
      auto t1 = Clock::now();
      sqlite3_reset(stmt);
      sqlite3_bind_text(stmt, 1, "item", -1, SQLITE_STATIC);
      sqlite3_bind_text(stmt, 2, id.c_str(), static_cast<int>(id.size()), SQLITE_STATIC);
      bool found = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) > 0;
      auto t2 = Clock::now();
      if (!doc || !found) throw std::runtime_error("item not found: " + id);
      reg_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      raw_us.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
    double total = 0;
    for (double x : reg_us) total += x;
    state.SetIterationTime(total / 1e6);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  state.counters["p50_us"] = Percentile(reg_us, 0.50);
  state.counters["p99_us"] = Percentile(reg_us, 0.99);
  state.counters["raw_p50_us"] = Percentile(raw_us, 0.50);
  state.counters["raw_p99_us"] = Percentile(raw_us, 0.99);
}

}  // namespace

void RegisterDeliveryBenchmarks() {
  benchmark::RegisterBenchmark("BM_Shipment100k", BM_Shipment100k)
      ->Arg(Quick() ? 20000 : 100000)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  for (int64_t n : {10'000, 1'000'000}) {
    if (Quick() && n > 100'000) n = 100'000;
    benchmark::RegisterBenchmark("BM_ItemLookup", BM_ItemLookup)
        ->Arg(n)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace accord_bench
