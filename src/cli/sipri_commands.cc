// accord import sipri (`accord report tiv` is in registry/reports.cc).
#include "cli/sipri_commands.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/commands.h"
#include "cli/io.h"
#include "crypto/sha256.h"
#include "domain/envelope.h"
#include "domain/reference.h"
#include "domain/rules.h"
#include "registry/registry.h"
#include "sipri/register.h"
#include "storage/database.h"
#include "util/encoding.h"

namespace accord::cli {
namespace {

using nlohmann::json;

constexpr size_t kMaxExportBytes = size_t{1} << 30;
// What the domain's body schemas accept (src/domain/schema.cc): checked here
// so that a record the import accepts is never refused half-way through.
constexpr size_t kMaxStringBytes = 1000;
constexpr size_t kMaxTextBytes = 20000;

// SIPRI name -> ISO 3166 alpha-2, or "" if the name has none.
class StateCodes {
 public:
  explicit StateCodes(const domain::ReferenceData& ref) {
    for (const auto& [code, info] : ref.countries()) {
      // Current states first: a former state's name never shadows one.
      if (!info.former) by_name_.emplace(info.name, code);
    }
    for (const auto& [code, info] : ref.countries()) {
      if (info.former) by_name_.emplace(info.name, code);
    }
    for (const auto& [name, code] : sipri::StateAliases()) {
      if (ref.FindCountry(code) != nullptr) by_name_[name] = code;
    }
  }
  std::string Find(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? std::string() : it->second;
  }

 private:
  std::map<std::string, std::string> by_name_;
};

bool HasControl(std::string_view s, bool newline_ok) {
  for (unsigned char c : s) {
    if ((c < 0x20 && !(newline_ok && (c == '\n' || c == '\t'))) || c == 0x7f) return true;
  }
  return false;
}

// One event to record, with where it came from.
struct Pending {
  std::string file;
  size_t line = 0;
  std::string kind, id;  // the subject
  std::string text;      // the event, JSON
};

struct Rejection {
  std::string file;
  size_t line = 0;
  std::string message;  // "line L, column C (Name): ..."
};

struct FileInput {
  std::string path, name;
  sipri::Export ex;
};

class EventBuilder {
 public:
  EventBuilder(const StateCodes& codes, std::string fallback_time)
      : codes_(codes), fallback_time_(std::move(fallback_time)) {}

  json State(const std::string& name) const {
    json s = {{"name", name}};
    std::string code = codes_.Find(name);
    if (!code.empty()) s["code"] = code;
    return s;
  }

  json Source(const FileInput& f, size_t line, size_t last_line) const {
    json s = {{"file", f.name}, {"format", sipri::FormatName(f.ex.format)}, {"line", line}};
    if (!f.ex.generated.empty()) s["generated"] = f.ex.generated;
    if (last_line > line) s["last_line"] = last_line;
    return s;
  }

  json Event(const FileInput& f, const std::string& type, const std::string& subject,
             json body) const {
    return {{"v", 1},
            {"type", type},
            {"time", f.ex.generated.empty() ? fallback_time_ : f.ex.generated},
            {"party", domain::kRegistryParty},
            {"actor", "registry/sipri-import"},
            {"subject", subject},
            {"body", std::move(body)}};
  }

 private:
  const StateCodes& codes_;
  std::string fallback_time_;
};

// Checks text fields against the body schema's limits; "" if they pass.
std::string CheckText(const std::vector<std::pair<std::string, const std::string*>>& strings,
                      const std::vector<std::pair<std::string, const std::string*>>& texts) {
  for (const auto& [what, s] : strings) {
    if (s->size() > kMaxStringBytes) return what + ": longer than 1000 bytes";
    if (HasControl(*s, false)) return what + ": contains a line break or control character";
  }
  for (const auto& [what, s] : texts) {
    if (s->size() > kMaxTextBytes) return what + ": longer than 20000 bytes";
    if (HasControl(*s, true)) return what + ": contains control characters";
  }
  return "";
}

std::string Hex16(const std::string& content) {
  Hash h = Sha256(content);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(h.data()), 8));
}

// The events of one file, in line order; rejections of records the domain
// would refuse are added to `rejected`.
void BuildEvents(const FileInput& f, const std::string& dataset, const EventBuilder& b,
                 std::vector<Pending>& out, std::vector<Rejection>& rejected) {
  if (f.ex.format == sipri::Format::kFlat) {
    for (const sipri::FlatRecord& r : f.ex.flat) {
      std::string bad = CheckText(
          {{"Supplier", &r.supplier}, {"Recipient", &r.recipient}, {"Designation", &r.designation}},
          {{"Description", &r.description}});
      if (!bad.empty()) {
        rejected.push_back({f.name, r.line, "line " + std::to_string(r.line) + ": " + bad});
        continue;
      }
      std::string id =
          dataset + ":" + std::to_string(r.deal_id) + ":" + std::to_string(r.delivery_year);
      json body = {{"dataset", dataset},
                   {"source", b.Source(f, r.line, r.line)},
                   {"deal_id", r.deal_id},
                   {"supplier", b.State(r.supplier)},
                   {"recipient", b.State(r.recipient)},
                   {"designation", r.designation},
                   {"category", r.category},
                   {"order_year", r.order_year},
                   {"order_year_estimate", r.order_year_estimate},
                   {"delivery_year", r.delivery_year},
                   {"delivery_year_estimate", r.delivery_year_estimate},
                   {"number_delivered", r.number_delivered},
                   {"number_delivered_estimate", r.number_delivered_estimate},
                   {"status", sipri::DealStatusCode(r.status)},
                   {"local_production", r.local_production}};
      if (!r.description.empty()) body["description"] = r.description;
      if (r.tiv_core_milli) body["tiv_core_milli"] = *r.tiv_core_milli;
      if (r.tiv_per_unit_milli) body["tiv_per_unit_milli"] = *r.tiv_per_unit_milli;
      if (r.tiv_delivery_milli) body["tiv_delivery_milli"] = *r.tiv_delivery_milli;
      json e =
          b.Event(f, "history.sipri_delivery_recorded", "sipri_delivery/" + id, std::move(body));
      out.push_back({f.name, r.line, "sipri_delivery", id, e.dump()});
    }
    return;
  }
  // Classic records have no id: the subject is a hash of the record's
  // content, numbered when identical records occur more than once (SIPRI
  // lists some deals twice, and both count in its totals).
  std::map<std::string, int> occurrences;
  for (const sipri::ClassicRecord& r : f.ex.classic) {
    std::string bad =
        CheckText({{"Recipient", &r.recipient},
                   {"Supplier", &r.supplier},
                   {"Weapon designation", &r.designation}},
                  {{"Weapon description", &r.description}, {"Comments", &r.comments}});
    if (!bad.empty()) {
      rejected.push_back({f.name, r.line, "line " + std::to_string(r.line) + ": " + bad});
      continue;
    }
    auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; };
    std::string content =
        r.recipient + "\x1f" + r.supplier + "\x1f" + std::to_string(r.order_year) +
        (r.order_year_estimate ? "?" : "") + "\x1f" + opt(r.number_ordered) +
        (r.number_ordered_estimate ? "?" : "") + "\x1f" + r.designation + "\x1f" + r.description +
        "\x1f" + opt(r.number_delivered) + (r.number_delivered_estimate ? "?" : "") + "\x1f";
    for (int y : r.delivery_years) content += std::to_string(y) + ";";
    content += "\x1f" + r.status_text + "\x1f" + r.comments + "\x1f" + opt(r.tiv_per_unit_milli) +
               "\x1f" + opt(r.tiv_order_milli) + "\x1f" + opt(r.tiv_delivered_milli);
    std::string hash = Hex16(content);
    int n = ++occurrences[hash];
    std::string id = dataset + ":" + hash + (n > 1 ? "-" + std::to_string(n) : "");
    json body = {{"dataset", dataset},
                 {"source", b.Source(f, r.line, r.last_line)},
                 {"supplier", b.State(r.supplier)},
                 {"recipient", b.State(r.recipient)},
                 {"designation", r.designation},
                 {"order_year", r.order_year},
                 {"order_year_estimate", r.order_year_estimate},
                 {"number_ordered_estimate", r.number_ordered_estimate},
                 {"number_delivered_estimate", r.number_delivered_estimate},
                 {"delivery_years", r.delivery_years},
                 {"status", sipri::DealStatusCode(r.status)}};
    if (!r.description.empty()) body["description"] = r.description;
    if (!r.comments.empty()) body["comments"] = r.comments;
    if (r.number_ordered) body["number_ordered"] = *r.number_ordered;
    if (r.number_delivered) body["number_delivered"] = *r.number_delivered;
    if (r.tiv_per_unit_milli) body["tiv_per_unit_milli"] = *r.tiv_per_unit_milli;
    if (r.tiv_order_milli) body["tiv_order_milli"] = *r.tiv_order_milli;
    if (r.tiv_delivered_milli) body["tiv_delivered_milli"] = *r.tiv_delivered_milli;
    json e = b.Event(f, "history.sipri_deal_recorded", "sipri_deal/" + id, std::move(body));
    out.push_back({f.name, r.line, "sipri_deal", id, e.dump()});
  }
}

// A progress bar on stderr, redrawn at most every 100 ms.
class Progress {
 public:
  Progress(size_t total, bool on) : total_(total), on_(on && total > 0) {}
  void Update(size_t done, bool force = false) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr int kWidth = 40;
    int filled = static_cast<int>(kWidth * done / total_);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, ' ');
    std::fprintf(stderr, "\rimporting [%s] %3zu%% %zu/%zu", bar.c_str(), 100 * done / total_, done,
                 total_);
    std::fflush(stderr);
  }
  void Done() {
    if (!on_) return;
    Update(total_, true);
    std::fputc('\n', stderr);
  }

 private:
  size_t total_;
  bool on_;
  std::chrono::steady_clock::time_point last_{};
};

Result<std::unique_ptr<note::Signer>> LoadNodeKey(const std::string& db) {
  ASSIGN_OR_RETURN(auto store, storage::OpenDatabase(db));
  ASSIGN_OR_RETURN(std::optional<std::string> path,
                   store->log().GetMeta(registry::kMetaNodeKeyFile));
  if (!path) return Status::Corruption("no node key recorded in " + db);
  ASSIGN_OR_RETURN(note::Signer signer, LoadSigner(*path));
  return std::make_unique<note::Signer>(std::move(signer));
}

bool ValidDataset(const std::string& d) {
  if (d.empty() || d.size() > 64) return false;
  for (char c : d) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

}  // namespace

int RunImportSipri(const ImportSipriOptions& o) {
  auto started = std::chrono::steady_clock::now();
  if (!o.dataset.empty() && !ValidDataset(o.dataset)) {
    return Fail(Status::InvalidArgument(
        "--dataset \"" + o.dataset + "\": expected at most 64 characters a-z, 0-9, '-', '_', '.'"));
  }
  if (o.files.empty()) return Fail(Status::InvalidArgument("no FILE to import"));

  // 1. Parse every file first: under --strict nothing is written unless all parse.
  std::vector<FileInput> inputs;
  std::vector<Rejection> rejected;
  std::vector<std::string> unusable;  // whole files refused
  for (const std::string& path : o.files) {
    std::string name = std::filesystem::path(path).filename().string();
    auto bytes = ReadInput(path, kMaxExportBytes);
    if (!bytes.ok()) return Fail(bytes.status());
    auto ex = sipri::ParseExport(*bytes);
    if (!ex.ok()) {
      unusable.push_back(path + ": " + ex.status().message());
      continue;
    }
    for (const sipri::Problem& p : ex->rejected) rejected.push_back({name, p.line, p.ToString()});
    inputs.push_back({path, name, std::move(ex).value()});
  }

  // 2. Events, with the reference data the rules will use.
  auto ref = domain::ReferenceData::Load();
  if (!ref.ok()) return Fail(ref.status());
  StateCodes codes(*ref);
  EventBuilder builder(codes, domain::FormatRfc3339(std::time(nullptr)));
  std::vector<Pending> events;
  std::map<std::string, size_t> per_dataset;
  for (const FileInput& f : inputs) {
    std::string dataset = !o.dataset.empty()                    ? o.dataset
                          : f.ex.format == sipri::Format::kFlat ? kDefaultFlatDataset
                                                                : kDefaultClassicDataset;
    size_t before = events.size();
    BuildEvents(f, dataset, builder, events, rejected);
    per_dataset[dataset] += events.size() - before;
  }
  auto report_rejections = [&] {
    for (const std::string& u : unusable) std::cerr << "accord: " << u << "\n";
    for (const Rejection& r : rejected) std::cerr << r.file << ": " << r.message << "\n";
  };
  if (o.strict && (!unusable.empty() || !rejected.empty())) {
    report_rejections();
    std::cerr << "accord: --strict: " << unusable.size() << " unusable file(s) and "
              << rejected.size() << " rejected record(s); nothing imported\n";
    return kExitBadInput;
  }
  report_rejections();

  // 3. The registry, created if needed.
  auto backend = storage::BackendOf(o.db);
  if (!backend.ok()) return Fail(backend.status());
  bool missing = false;
  if (*backend == storage::Backend::kSqlite) {
    missing = !std::filesystem::exists(o.db);
  } else {
    auto existing = storage::OpenDatabase(o.db);  // an empty database holds no registry yet
    missing = !existing.ok() && existing.status().code() == StatusCode::kNotFound;
  }
  if (missing) {
    InitOptions init;
    init.db = o.db;
    init.key_dir = o.key_dir;
    if (int rc = RunInit(init); rc != kExitOk) return rc;
  }
  auto reg = registry::Registry::Open(o.db, /*writable=*/true);
  if (!reg.ok()) return Fail(reg.status());
  auto node_key = LoadNodeKey(o.db);
  if (!node_key.ok()) return Fail(node_key.status());

  // 4. Skip what is already recorded (a re-import, or a row in two files).
  std::vector<registry::Submission> to_record;
  std::vector<const Pending*> batch_sources;
  std::set<std::pair<std::string, std::string>> queued;
  size_t present = 0;
  for (const Pending& p : events) {
    if (!queued.insert({p.kind, p.id}).second) {
      ++present;
      continue;
    }
    auto doc = (*reg)->projections().Get(p.kind, p.id);
    if (!doc.ok()) return Fail(doc.status());
    if (doc->has_value()) {
      ++present;
      continue;
    }
    auto sub = registry::ParseSubmission(p.text, to_record.size() + 1);
    if (!sub.ok()) {
      return Fail(sub.status().WithContext(p.file + ": line " + std::to_string(p.line)));
    }
    to_record.push_back(std::move(sub).value());
    batch_sources.push_back(&p);
  }

  // 5. Record in batches, one transaction each.
  Progress progress(to_record.size(), StderrIsTerminal());
  size_t recorded = 0, refused = 0;
  const size_t batch = std::max<size_t>(1, o.batch);
  for (size_t start = 0; start < to_record.size(); start += batch) {
    std::vector<registry::Submission> chunk(
        to_record.begin() + static_cast<std::ptrdiff_t>(start),
        to_record.begin() + static_cast<std::ptrdiff_t>(std::min(to_record.size(), start + batch)));
    auto r = (*reg)->Record(chunk, node_key->get(), /*keep_going=*/!o.strict);
    if (!r.ok()) {
      progress.Done();
      return Fail(r.status().WithContext("importing (" + std::to_string(recorded) +
                                         " records were recorded before this batch)"));
    }
    recorded += r->recorded.size();
    for (const registry::Refusal& x : r->refused) {
      const Pending* p = batch_sources[x.line - 1];
      std::cerr << p->file << ": line " << p->line << ": refused: " << x.status.message() << "\n";
      ++refused;
    }
    progress.Update(recorded + refused);
  }
  progress.Done();

  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  size_t read = 0;
  for (const FileInput& f : inputs) read += f.ex.accepted();
  std::string datasets;
  for (const auto& [d, n] : per_dataset) {
    datasets += (datasets.empty() ? "" : ", ") + d + " " + std::to_string(n);
  }
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f s, %.0f records/s", secs,
                secs > 0 ? static_cast<double>(recorded) / secs : 0.0);
  std::cout << "sipri import: " << inputs.size() << " file(s), " << read << " records read ("
            << (datasets.empty() ? "none" : datasets) << "); " << recorded << " recorded, "
            << present << " already present, " << rejected.size() + refused << " rejected, "
            << unusable.size() << " unusable file(s); " << rate << "\n";
  return (rejected.empty() && refused == 0 && unusable.empty()) ? kExitOk : kExitBadInput;
}

}  // namespace accord::cli
