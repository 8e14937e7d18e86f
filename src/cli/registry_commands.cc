// accord init|record|rebuild|digest|verify|show.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/delivery_views.h"
#include "cli/io.h"
#include "cli/table.h"
#include "domain/envelope.h"
#include "domain/rules.h"
#include "registry/doc_fields.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "util/encoding.h"

namespace accord::cli {
namespace {

using registry::DocCell;

using nlohmann::json;

constexpr size_t kMaxRecordInput = size_t{64} << 20;

Result<std::unique_ptr<registry::Registry>> OpenRegistry(const std::string& db, bool writable) {
  auto r = registry::Registry::Open(db, writable);
  if (!r.ok()) return r.status();
  return r;
}

std::string Join(const json& arr, const char* sep = ", ") {
  std::string out;
  for (const auto& v : arr)
    out += (out.empty() ? "" : sep) + (v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

// Thousands separators for integers: 1200000 -> 1,200,000.
std::string Grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

// Ordered and delivered quantity per contract line. Deliveries are recorded
// by the deliveries module; until a line has any, delivered is 0.
json Fulfilment(const json& contract) {
  json out = json::array();
  const json delivered = contract.value("delivered", json::object());
  for (const auto& l : contract["lines"]) {
    std::string line = std::to_string(l["line"].get<int64_t>());
    int64_t ordered = l["quantity"];
    int64_t done = delivered.value(line, int64_t{0});
    out.push_back({{"line", l["line"]},
                   {"product", l["product"]},
                   {"ordered", ordered},
                   {"delivered", done},
                   {"outstanding", ordered - done}});
  }
  return out;
}

json WithFulfilment(json contract) {
  contract["fulfilment"] = Fulfilment(contract);
  return contract;
}

int ShowList(registry::Registry& r, const ShowOptions& o) {
  const domain::EntityKind* kind = ShowListKind(o.what);
  if (kind == nullptr) {
    return Fail(Status::InvalidArgument("cannot show \"" + o.what + "\"; expected one of " +
                                        ShowLists(", ") + ", contract ID, dvc SHIPMENT"));
  }
  auto docs = r.List(std::string(kind->name));
  if (!docs.ok()) return Fail(docs.status());
  if (o.what == "prices") {
    json prices = json::array();
    for (const auto& p : *docs) {
      for (const auto& v : p["prices"]) {
        json row = v;
        row["product"] = p["id"];
        prices.push_back(row);
      }
    }
    if (o.json) {
      std::cout << prices.dump(2) << "\n";
      return kExitOk;
    }
    Table t({"product", "version", "currency", "amount (minor units)", "valid from", "valid to"});
    for (const auto& v : prices) {
      t.Add({DocCell(v, "product"), DocCell(v, "version"), DocCell(v, "currency"),
             Grouped(v["amount_minor"].get<int64_t>()), DocCell(v, "valid_from"),
             v.contains("valid_to") ? DocCell(v, "valid_to") : "open"});
    }
    std::cout << t.Render();
    return kExitOk;
  }
  if (o.json) {
    json arr = json::array();
    for (const auto& d : *docs) arr.push_back(o.what == "contracts" ? WithFulfilment(d) : d);
    std::cout << arr.dump(2) << "\n";
    return kExitOk;
  }
  if (o.what == "parties") {
    Table t({"code", "name", "keys in force", "registered"});
    for (const auto& p : *docs) {
      int active = 0;
      for (const auto& k : p["keys"]) active += k.contains("retired_from") ? 0 : 1;
      t.Add({DocCell(p, "code"), DocCell(p, "name"), std::to_string(active),
             DocCell(p, "registered")});
    }
    std::cout << t.Render();
  } else if (o.what == "bodies") {
    Table t({"id", "party", "kind", "name"});
    for (const auto& b : *docs)
      t.Add({DocCell(b, "id"), DocCell(b, "party"), DocCell(b, "kind"), DocCell(b, "name")});
    std::cout << t.Render();
  } else if (o.what == "agreements") {
    Table t({"id", "parties", "signed", "status", "in force from", "pricing", "title"});
    for (const auto& a : *docs) {
      std::string pricing = DocCell(a, "pricing_rule");
      if (pricing == "domestic") pricing += " +" + DocCell(a, "price_tolerance_bp") + " bp";
      t.Add({DocCell(a, "id"), Join(a["parties"], "-"), DocCell(a, "signed_date"),
             DocCell(a, "status"), DocCell(a, "in_force_from"), pricing, DocCell(a, "title")});
    }
    std::cout << t.Render();
  } else if (o.what == "products") {
    Table t(
        {"id", "designation", "supplier", "UN Register", "SIPRI category", "enhanced", "TIV/unit"});
    for (const auto& p : *docs) {
      std::string tiv;
      if (p.contains("tiv_per_unit_milli")) {
        int64_t m = p["tiv_per_unit_milli"];
        char buf[32];
        std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(m / 1000),
                      static_cast<long long>(m % 1000));
        tiv = buf;
      }
      std::string cat = DocCell(p, "unroca_category");
      if (p.contains("salw_subcategory")) cat += " " + DocCell(p, "salw_subcategory");
      t.Add({DocCell(p, "id"), DocCell(p, "designation"), DocCell(p, "supplier"), cat,
             DocCell(p, "sipri_category"), p.value("enhanced_monitoring", false) ? "yes" : "no",
             tiv});
    }
    std::cout << t.Render();
  } else if (o.what == "contracts") {
    Table t({"id", "agreement", "supplier→recipient", "channel", "lines", "value (minor units)",
             "status", "price flags"});
    for (const auto& c : *docs) {
      std::map<std::string, int64_t> value;
      int flags = 0;
      for (const auto& l : c["lines"]) {
        value[l["currency"]] += l["quantity"].get<int64_t>() * l["unit_price_minor"].get<int64_t>();
        flags += l.value("price_flag", false) ? 1 : 0;
      }
      std::string v;
      for (const auto& [cur, amount] : value)
        v += (v.empty() ? "" : " + ") + Grouped(amount) + " " + cur;
      std::string channel = DocCell(c, "channel");
      if (c.contains("intermediary_body")) channel += " (" + DocCell(c, "intermediary_body") + ")";
      t.Add({DocCell(c, "id"), DocCell(c, "agreement"),
             DocCell(c, "supplier") + "→" + DocCell(c, "recipient"), channel,
             std::to_string(c["lines"].size()), v, DocCell(c, "status"),
             flags ? std::to_string(flags) + " above domestic" : ""});
    }
    std::cout << t.Render();
  } else if (o.what == "programmes") {
    Table t({"id", "recipient", "period", "contracts", "targets (ordered/target)", "title"});
    for (const auto& p : *docs) {
      std::map<std::string, int64_t> ordered;
      for (const auto& cid : p["contracts"]) {
        auto c = r.Get("contract", cid.get<std::string>());
        if (!c.ok() || !*c) continue;
        for (const auto& l : (**c)["lines"]) ordered[l["product"]] += l["quantity"].get<int64_t>();
      }
      std::string targets;
      for (const auto& tg : p["targets"]) {
        std::string prod = tg["product"];
        targets += (targets.empty() ? "" : ", ") + prod + " " + std::to_string(ordered[prod]) +
                   "/" + std::to_string(tg["quantity"].get<int64_t>());
      }
      t.Add({DocCell(p, "id"), DocCell(p, "recipient"),
             DocCell(p, "from") + " – " + DocCell(p, "to"), std::to_string(p["contracts"].size()),
             targets, DocCell(p, "title")});
    }
    std::cout << t.Render();
  }
  if (docs->empty()) std::cerr << "(no " << o.what << " recorded)\n";
  return kExitOk;
}

int ShowContract(registry::Registry& r, const ShowOptions& o) {
  auto c = r.Get("contract", o.id);
  if (!c.ok()) return Fail(c.status());
  if (!*c)
    return Fail(Status::NotFound("no contract \"" + o.id + "\" (see `accord show contracts`)"));
  json contract = WithFulfilment(**c);
  auto history = r.History("contract/" + o.id);
  if (!history.ok()) return Fail(history.status());
  json events = json::array();
  for (const auto& h : *history) {
    events.push_back({{"index", h.idx}, {"type", h.type}, {"party", h.party}, {"time", h.time}});
  }
  contract["history"] = events;
  if (o.json) {
    std::cout << contract.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "contract " << DocCell(contract, "id") << " under agreement "
            << DocCell(contract, "agreement") << "\n  supplier   " << DocCell(contract, "supplier")
            << " (" << DocCell(contract, "supplier_body") << ")\n  recipient  "
            << DocCell(contract, "recipient") << " (" << DocCell(contract, "recipient_body")
            << ")\n  channel    " << DocCell(contract, "channel");
  if (contract.contains("intermediary_body"))
    std::cout << " via " << DocCell(contract, "intermediary_body");
  std::cout << "\n  status     " << DocCell(contract, "status");
  if (contract.contains("in_force_from"))
    std::cout << " from " << DocCell(contract, "in_force_from");
  std::cout << "\n  signatures";
  for (const auto& [party, s] : contract["signatures"].items()) {
    std::cout << " " << party << " " << DocCell(s, "date");
  }
  if (contract["signatures"].empty()) std::cout << " none yet";
  std::cout << "\n\n";
  Table lines({"line", "product", "quantity", "unit price", "domestic price", "flag"});
  for (const auto& l : contract["lines"]) {
    std::string domestic =
        l.contains("domestic_price_minor")
            ? Grouped(l["domestic_price_minor"].get<int64_t>()) + " " + DocCell(l, "currency")
            : "none";
    std::string flag =
        l.value("price_flag", false) ? "ABOVE DOMESTIC: " + DocCell(l, "justification") : "";
    lines.Add({DocCell(l, "line"), DocCell(l, "product"), DocCell(l, "quantity"),
               Grouped(l["unit_price_minor"].get<int64_t>()) + " " + DocCell(l, "currency"),
               domestic, flag});
  }
  std::cout << lines.Render() << "\nfulfilment\n";
  Table f({"line", "product", "ordered", "delivered", "outstanding"});
  for (const auto& x : contract["fulfilment"]) {
    f.Add({DocCell(x, "line"), DocCell(x, "product"), DocCell(x, "ordered"),
           DocCell(x, "delivered"), DocCell(x, "outstanding")});
  }
  std::cout << f.Render();
  if (!contract["amendments"].empty()) {
    std::cout << "\namendments\n";
    Table a({"id", "proposed", "by", "status", "lines", "reason"});
    for (const auto& am : contract["amendments"]) {
      a.Add({DocCell(am, "id"), DocCell(am, "proposed"), DocCell(am, "proposed_by"),
             DocCell(am, "status"), std::to_string(am["lines"].size()), DocCell(am, "reason")});
    }
    std::cout << a.Render();
  }
  std::cout << "\nhistory (log index: event)\n";
  Table h({"index", "type", "party", "time"});
  for (const auto& e : events)
    h.Add({DocCell(e, "index"), DocCell(e, "type"), DocCell(e, "party"), DocCell(e, "time")});
  std::cout << h.Render();
  return kExitOk;
}

}  // namespace

std::string DbName(const std::string& db) {
  auto backend = storage::BackendOf(db);
  if (backend.ok() && *backend == storage::Backend::kPostgres) {
    // postgresql://user@host:port/NAME?options: the path's last segment.
    std::string path = db.substr(0, db.find('?'));
    size_t slash = path.rfind('/');
    std::string name = slash == std::string::npos ? "" : path.substr(slash + 1);
    return name.empty() || path.find("://") + 2 >= slash ? "registry" : name;
  }
  return std::filesystem::path(db).stem().string();
}

std::string KeyStem(const std::string& db, const std::string& key_dir) {
  auto backend = storage::BackendOf(db);
  if (backend.ok() && *backend == storage::Backend::kPostgres) {
    return (std::filesystem::path(key_dir.empty() ? "." : key_dir) / DbName(db)).string();
  }
  std::filesystem::path p(db);
  return (p.parent_path() / p.stem()).string();
}

int RunInit(const InitOptions& o) {
  std::string origin = o.origin.empty() ? "accord.local/" + DbName(o.db) : o.origin;
  if (!note::IsValidKeyName(origin)) {
    return Fail(Status::InvalidArgument(
        "origin \"" + origin +
        "\" must be a key name: no spaces, no '+', e.g. example.org/registry"));
  }
  // The node key is written outside the database (beside an SQLite file, in
  // --key-dir for a PostgreSQL URI), so the locator is checked before
  // anything is written.
  auto backend = storage::BackendOf(o.db);
  if (!backend.ok()) return Fail(backend.status());
  const bool file = *backend == storage::Backend::kSqlite;
  if (file && std::filesystem::exists(o.db)) {
    return Fail(Status::AlreadyExists(o.db + " already exists; choose a new file"));
  }
  if (!file && !o.key_dir.empty() && !std::filesystem::is_directory(o.key_dir)) {
    return Fail(Status::NotFound("--key-dir " + o.key_dir + " is not a directory"));
  }
  std::string stem = KeyStem(o.db, o.key_dir);
  std::string skey = stem + ".node.skey", vkey = stem + ".node.vkey";
  for (const std::string& p : {skey, vkey}) {
    if (std::filesystem::exists(p))
      return Fail(Status::AlreadyExists(p + " already exists; not overwriting it"));
  }
  note::Signer node = note::Signer::Generate(origin);
  if (Status s = WriteNewFile(skey, node.Encode() + "\n", 0600); !s.ok()) return Fail(s);
  if (Status s = WriteNewFile(vkey, node.Verifier().Encode() + "\n", 0644); !s.ok()) return Fail(s);
  std::error_code ec;
  std::string abs_key = std::filesystem::absolute(skey, ec).string();
  if (Status s = registry::Registry::Create(o.db, origin, node, abs_key); !s.ok()) {
    if (file) std::filesystem::remove(o.db, ec);
    std::filesystem::remove(skey, ec);
    std::filesystem::remove(vkey, ec);
    return Fail(s);
  }
  std::cout << "created registry " << o.db << " (origin " << origin << ")\nnode key: " << skey
            << " (keep it secret), " << vkey << "\n";
  return kExitOk;
}

int RunRecord(const RecordOptions& o) {
  std::unique_ptr<note::Signer> signer;
  if (!o.key.empty()) {
    auto s = LoadSigner(o.key);
    if (!s.ok()) return Fail(s.status());
    signer = std::make_unique<note::Signer>(std::move(s).value());
  }
  auto r = OpenRegistry(o.db, true);
  if (!r.ok()) return Fail(r.status());
  auto input = ReadInput(o.input, kMaxRecordInput);
  if (!input.ok()) return Fail(input.status());

  // One JSON object (possibly spread over lines), or NDJSON: one per line;
  // split and parsed as POST /v1/events does, so a bad line gets the same
  // refusal here and there.
  std::vector<registry::Refusal> refused;
  auto items = registry::ParseSubmissions(*input, registry::kNoEventLimit,
                                          o.keep_going ? &refused : nullptr);
  if (!items.ok()) {
    return Fail(Status(items.status().code(), items.status().message() + "; nothing recorded"));
  }
  if (items->empty() && refused.empty()) {
    return Fail(Status::InvalidArgument("no events in the input"));
  }
  auto result = items->empty() ? Result<registry::RecordResult>(registry::RecordResult{})
                               : (*r)->Record(*items, signer.get(), o.keep_going);
  if (!result.ok()) {
    // A replay is refused input (exit 2), as in the API (409).
    Status s = result.status().code() == StatusCode::kAlreadyExists
                   ? Status::FailedPrecondition(result.status().message())
                   : result.status();
    return Fail(Status(s.code(), s.message() + "; nothing recorded"));
  }
  // Refused while parsing or while recording: listed in input order.
  for (registry::Refusal& ref : result->refused) refused.push_back(std::move(ref));
  std::stable_sort(
      refused.begin(), refused.end(),
      [](const registry::Refusal& a, const registry::Refusal& b) { return a.line < b.line; });
  result->refused = std::move(refused);
  for (const auto& rec : result->recorded) {
    std::cout << rec.index << " " << rec.type << " " << rec.subject << "\n";
  }
  for (const auto& ref : result->refused)
    std::cerr << "accord: refused " << ref.status.message() << "\n";
  if (!result->refused.empty()) {
    std::cerr << "accord: recorded " << result->recorded.size() << ", refused "
              << result->refused.size() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

int RunEvents(const EventsOptions& o) {
  auto types = domain::DescribeEventTypes();
  if (o.json) {
    json out = json::array();
    for (const auto& t : types) {
      out.push_back({{"type", t.type}, {"subject", t.subject_kind + "/ID"}, {"fields", t.fields}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (o.markdown) {
    std::cout << "# Event types\n\nGenerated by `accord events --markdown`; the rules in "
                 "`src/domain` are "
                 "the source. Every event has the envelope `v`, `type`, `time`, `party`, `actor`, "
                 "`subject`, `body` (see `../shared/BRIEF.md`, \"Event envelope\"); below are the "
                 "subject and the body of each type.\n";
    for (const auto& t : types) {
      std::cout << "\n## `" << t.type << "`\n\nsubject `" << t.subject_kind << "/ID`\n\n";
      for (const auto& f : t.fields)
        std::cout << "- `" << f.substr(0, f.find(':')) << "`" << f.substr(f.find(':')) << "\n";
    }
    return kExitOk;
  }
  for (const auto& t : types) {
    std::cout << t.type << "  (subject " << t.subject_kind << "/ID)\n";
    for (const auto& f : t.fields) std::cout << "    " << f << "\n";
  }
  return kExitOk;
}

int RunRebuild(const DbOptions& o) {
  auto r = OpenRegistry(o.db, false);
  if (!r.ok()) return Fail(r.status());
  auto before = (*r)->Digest();
  auto n = (*r)->Rebuild();
  if (!n.ok()) return Fail(n.status().WithContext("rebuild failed, projections unchanged"));
  auto after = (*r)->Digest();
  if (!before.ok() || !after.ok()) return Fail(!before.ok() ? before.status() : after.status());
  std::cout << "replayed " << *n << " events; digest " << *after
            << (*before == *after ? " (unchanged)" : " (was " + *before + ")") << "\n";
  return kExitOk;
}

int RunDigest(const DbOptions& o) {
  auto r = OpenRegistry(o.db, false);
  if (!r.ok()) return Fail(r.status());
  auto d = (*r)->Digest();
  if (!d.ok()) return Fail(d.status());
  std::cout << *d << "\n";
  return kExitOk;
}

// Read-only: the database, its -wal and its tables are never changed (the
// replay that checks the projections runs in a scratch database in memory).
int RunVerify(const VerifyOptions& o) {
  // The checkpoints kept elsewhere are read first: a missing file is not a
  // verdict on the log.
  std::vector<std::pair<std::string, std::string>> known;
  for (const std::string& file : o.checkpoints) {
    auto text = ReadInput(file, 1 << 20);
    if (!text.ok()) return Fail(text.status().WithContext("--checkpoint"));
    known.emplace_back(file, std::move(text).value());
  }
  registry::Options options;
  options.read_only = true;
  auto r = registry::Registry::Open(o.db, /*writable=*/false, options);
  if (!r.ok()) return Fail(r.status());
  auto report = (*r)->log().Verify({});
  if (!report.ok()) return Fail(report.status().WithContext("log " + o.db + " does not verify"));
  for (const auto& [file, text] : known) {
    Status s = (*r)->log().CheckCheckpoint(text, {}, "checkpoint " + file);
    if (!s.ok()) return Fail(s.WithContext("log " + o.db + " does not verify"));
  }
  if (Status s = (*r)->CheckProjections(); !s.ok()) return Fail(s);
  std::cout << "ok: " << report->size << " events, every signature and rule checked, root "
            << HexEncode(AsBytes(report->root)) << ", " << report->checkpoints_checked
            << " stored checkpoints checked, projections match the log\n";
  return kExitOk;
}

int RunShow(const ShowOptions& o) {
  auto r = OpenRegistry(o.db, false);
  if (!r.ok()) return Fail(r.status());
  if (o.what == "contract") {
    if (o.id.empty()) return Fail(Status::InvalidArgument("show contract needs an ID"));
    return ShowContract(**r, o);
  }
  if (o.what == "dvc") {
    if (o.id.empty()) return Fail(Status::InvalidArgument("show dvc needs a shipment ID"));
    return ShowDvc(**r, o);
  }
  if (IsDeliveryList(o.what)) {
    if (!o.id.empty())
      return Fail(Status::InvalidArgument(
          "`show " + o.what + "` takes no ID; filter with --contract, --product, --state, --unit"));
    return ShowDeliveryList(**r, o);
  }
  if (!o.id.empty()) {
    return Fail(Status::InvalidArgument("`show " + o.what +
                                        "` takes no ID (did you mean `show contract ID`?)"));
  }
  return ShowList(**r, o);
}

}  // namespace accord::cli
