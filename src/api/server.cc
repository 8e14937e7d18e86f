#include "api/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "api/authz.h"
#include "api/sequencer.h"
#include "api/store.h"
#include "crypto/sha256.h"
#include "domain/envelope.h"
#include "merkle/hasher.h"
#include "note/signer_file.h"
#include "registry/doc_fields.h"
#include "registry/eum_report.h"
#include "registry/proof_json.h"
#include "registry/reports.h"
#include "registry/submission.h"
#include "storage/database.h"
#include "util/encoding.h"

namespace accord::api {
namespace {

using nlohmann::json;

// Collections: URL name -> entity kind.
const std::vector<std::pair<std::string, std::string>>& Collections() {
  static const std::vector<std::pair<std::string, std::string>> kCollections = {
      {"parties", "party"},
      {"bodies", "body"},
      {"agreements", "agreement"},
      {"products", "product"},
      {"contracts", "contract"},
      {"programmes", "programme"},
      {"certificates", "certificate"},
      {"licences", "licence"},
      {"shipments", "shipment"},
      {"items", "item"},
      {"repairs", "repair"},
      {"cases", "case"},
      {"courses", "course"},
      {"exercises", "exercise"},
      {"consultations", "consultation"},
      {"visits", "visit"},
      {"inspections", "inspection"},
      {"consents", "consent"},
      {"declarations", "declaration"}};
  return kCollections;
}

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

struct HttpError {
  int status;
  const char* code;
};

HttpError MapStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      return {400, "invalid_argument"};
    case StatusCode::kVerificationFailed:
      return {400, "verification_failed"};
    case StatusCode::kUnauthenticated:
      return {401, "unauthenticated"};
    case StatusCode::kPermissionDenied:
      return {403, "forbidden"};
    case StatusCode::kNotFound:
      return {404, "not_found"};
    case StatusCode::kAlreadyExists:
      return {409, "already_exists"};
    case StatusCode::kFailedPrecondition:
      return {422, "refused"};
    case StatusCode::kResourceExhausted:
      return {503, "unavailable"};
    default:
      return {500, "internal"};
  }
}

void SetError(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  res.status = status;
  json j = {{"error", {{"code", code}, {"message", message}}}};
  res.set_content(Dump(j), "application/json");
}

void SetError(httplib::Response& res, const Status& s) {
  HttpError e = MapStatus(s);
  SetError(res, e.status, e.code, s.message());
  if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer");
}

void SetJson(httplib::Response& res, const json& j, int status = 200) {
  res.status = status;
  res.set_content(Dump(j), "application/json");
}

Result<uint64_t> ParseUint(std::string_view name, std::string_view text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidArgument("query parameter " + std::string(name) +
                                   " must be a non-negative integer");
  }
  return std::stoull(std::string(text));
}

// Rejects query parameters not in `allowed`, and repeated ones.
Status CheckParams(const httplib::Request& req, const std::vector<std::string_view>& allowed) {
  for (const auto& [k, v] : req.params) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || a == k;
    if (!ok) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Status::InvalidArgument("unknown query parameter \"" + k + "\"" +
                                     (list.empty() ? "" : " (expected " + list + ")"));
    }
    if (req.params.count(k) > 1) {
      return Status::InvalidArgument("query parameter " + k + " is given more than once");
    }
    if (v.size() > 1024) return Status::InvalidArgument("query parameter " + k + " is too long");
  }
  return Status::Ok();
}

std::optional<std::string> Param(const httplib::Request& req, const char* name) {
  auto it = req.params.find(name);
  if (it == req.params.end()) return std::nullopt;
  return it->second;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '+' || c == '/' || c == '=')
      return Status::InvalidArgument("bad cursor");
  }
  while (s.size() % 4 != 0) s.push_back('=');
  auto d = Base64Decode(s);
  if (!d.ok()) return Status::InvalidArgument("cursor is not one returned by this API");
  return d;
}

std::string DocId(std::string_view kind, const json& doc) {
  return registry::DocText(doc, kind == "party" ? "code" : "id");
}

// The filters of the list endpoints (the same as `accord show`) as
// conditions on the stored documents, evaluated by the store's keyset query.
std::vector<storage::DocFilter> DocFilters(std::string_view kind,
                                           const std::map<std::string, std::string>& f) {
  std::vector<storage::DocFilter> out;
  for (const auto& [name, want] : f) {
    if (name == "contract" || name == "unit" || name == "serial" || name == "agreement") {
      out.push_back({{"$." + name}, want});
    } else if (name == "state") {
      out.push_back({{kind == "item" ? "$.state" : "$.status"}, want});
    } else if (name == "product") {
      out.push_back({{"$.product", "$.lines[*].product"}, want});
    }
  }
  return out;
}

// A token bucket per user.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // 0 if the request may proceed, else the seconds to wait.
  int Take(const std::string& user) {
    if (rate_ <= 0) return 0;
    auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, fresh] = buckets_.try_emplace(user, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
      double dt = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst_, b.tokens + dt * rate_);
      b.last = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double rate_, burst_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

// One worker's read connections.
struct Reader {
  std::unique_ptr<registry::Registry> registry;
  std::unique_ptr<storage::Database> db;
  storage::LogStore* log_store = nullptr;  // db->log()
  std::unique_ptr<ApiStore> store;
};

class ReaderPool {
 public:
  ReaderPool(std::string db, registry::Options options)
      : db_(std::move(db)), options_(std::move(options)) {}

  Result<std::unique_ptr<Reader>> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        auto r = std::move(free_.back());
        free_.pop_back();
        return r;
      }
    }
    auto r = std::make_unique<Reader>();
    ASSIGN_OR_RETURN(r->registry, registry::Registry::Open(db_, /*writable=*/false, options_));
    ASSIGN_OR_RETURN(r->db, storage::OpenDatabase(db_));
    r->log_store = &r->db->log();
    ASSIGN_OR_RETURN(r->store, ApiStore::Open(db_));
    return r;
  }
  void Release(std::unique_ptr<Reader> r) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(r));
  }

 private:
  std::string db_;
  registry::Options options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Reader>> free_;
};

json RecordedJson(const WriteOutcome& o) {
  json list = json::array();
  for (const registry::Recorded& r : o.recorded) {
    list.push_back({{"index", r.index}, {"type", r.type}, {"subject", r.subject}});
  }
  return {{"recorded", list}};
}

}  // namespace

std::vector<RouteInfo> Routes() {
  std::vector<RouteInfo> out = {{"get", "/v1/health"},
                                {"get", "/v1/openapi.json"},
                                {"get", "/v1/log/checkpoint"},
                                {"get", "/v1/log/entries"},
                                {"get", "/v1/log/history"},
                                {"get", "/v1/log/proof/inclusion"},
                                {"get", "/v1/log/proof/consistency"},
                                {"post", "/v1/events"},
                                {"get", "/v1/eum/due"}};
  for (const auto& [name, kind] : Collections()) {
    out.push_back({"get", "/v1/" + name});
    out.push_back({"get", "/v1/" + name + "/{id}"});
  }
  for (const registry::ReportSpec& r : registry::Reports()) {
    out.push_back({"get", "/v1/reports/" + r.name});
  }
  return out;
}

struct Server::Impl {
  ServerOptions o;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<Sequencer> sequencer;
  std::unique_ptr<ReaderPool> readers;
  std::map<std::string, note::Signer> party_keys;  // by party code, e.g. "RU"
  std::unique_ptr<RateLimiter> limiter;
  std::atomic<int> listen_fd{-1};
  int port = 0;
  bool bound = false;

  int64_t Now() const { return o.clock ? o.clock() : static_cast<int64_t>(std::time(nullptr)); }

  // A request after authentication: who, and a read connection.
  struct Ctx {
    Principal who;
    Reader* reader = nullptr;
  };

  using Fn = std::function<Status(const httplib::Request&, httplib::Response&, Ctx&)>;

  // Authenticates, rate-limits, lends a reader, runs `fn`, turns a non-OK
  // status into a JSON error.
  // With `anonymous_ok` (the report endpoints under --public-reports), a
  // request without an Authorization header is an anonymous observer.
  httplib::Server::Handler Wrap(Fn fn, bool anonymous_ok = false) {
    return [this, fn = std::move(fn), anonymous_ok](const httplib::Request& req,
                                                    httplib::Response& res) {
      auto lease = readers->Acquire();
      if (!lease.ok()) return SetError(res, lease.status());
      std::unique_ptr<Reader> reader = std::move(lease).value();
      Status s = Serve(req, res, *reader, fn, anonymous_ok && o.public_reports);
      readers->Release(std::move(reader));
      if (!s.ok()) SetError(res, s);
    };
  }

  Status Serve(const httplib::Request& req, httplib::Response& res, Reader& reader, const Fn& fn,
               bool anonymous_ok) {
    Ctx ctx;
    ctx.reader = &reader;
    std::string auth = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    std::string bucket;
    if (auth.empty() && anonymous_ok) {
      ctx.who.user = "anonymous";
      ctx.who.role = Role::kObserver;
      ctx.who.anonymous = true;
      // Anonymous readers share a bucket per client address.
      bucket = "anonymous@" + req.remote_addr;
    } else {
      if (auth.empty()) {
        return Status::Unauthenticated("missing bearer token (Authorization: Bearer <token>)");
      }
      if (auth.compare(0, kBearer.size(), kBearer) != 0) {
        return Status::Unauthenticated("the Authorization header must be \"Bearer <token>\"");
      }
      ASSIGN_OR_RETURN(ctx.who,
                       reader.store->Authenticate(std::string_view(auth).substr(kBearer.size())));
      bucket = ctx.who.user;
    }
    if (int wait = limiter->Take(bucket); wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      SetError(res, 429, "rate_limited",
               "too many requests for user " + ctx.who.user + "; retry after " +
                   std::to_string(wait) + " s");
      return Status::Ok();
    }
    return fn(req, res, ctx);
  }

  Status Checkpoint(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    RETURN_IF_ERROR(CheckParams(req, {}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadLogProofs));
    ASSIGN_OR_RETURN(std::string note, ctx.reader->registry->log().Checkpoint());
    res.set_content(note, "text/plain; charset=utf-8");
    return Status::Ok();
  }

  Status Entries(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    RETURN_IF_ERROR(CheckParams(req, {"start", "end"}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadLogEntries));
    ASSIGN_OR_RETURN(uint64_t size, ctx.reader->log_store->Size());
    uint64_t start = 0;
    if (auto v = Param(req, "start")) {
      ASSIGN_OR_RETURN(start, ParseUint("start", *v));
    }
    uint64_t end = std::min<uint64_t>(size, start + o.entries_max);
    if (auto v = Param(req, "end")) {
      ASSIGN_OR_RETURN(end, ParseUint("end", *v));
    }
    if (start > end) return Status::InvalidArgument("start must not exceed end");
    if (end > size) {
      return Status::InvalidArgument("end " + std::to_string(end) + " is past the log's size " +
                                     std::to_string(size));
    }
    if (end - start > o.entries_max) {
      return Status::InvalidArgument("at most " + std::to_string(o.entries_max) +
                                     " entries per request");
    }
    json list = json::array();
    std::map<std::pair<std::string, std::string>, std::optional<json>> cache;
    EntityLookup lookup = CachedLookup(*ctx.reader->registry, cache);
    RETURN_IF_ERROR(ctx.reader->log_store->ScanEntries(
        start, end, [&](uint64_t idx, std::string_view data) -> Status {
          std::string leaf_hash = Base64Encode(AsBytes(merkle::LeafHash(data)));
          ASSIGN_OR_RETURN(domain::Leaf leaf, domain::ParseLeaf(data));
          ASSIGN_OR_RETURN(bool visible,
                           CanReadEvent(ctx.who, registry::DocText(leaf.event, "party"),
                                        registry::DocText(leaf.event, "subject"), lookup));
          if (visible) {
            list.push_back({{"index", idx}, {"leaf", std::string(data)}, {"leaf_hash", leaf_hash}});
          } else {
            list.push_back({{"index", idx}, {"withheld", true}, {"leaf_hash", leaf_hash}});
          }
          return Status::Ok();
        }));
    SetJson(res, {{"start", start}, {"end", end}, {"size", size}, {"entries", list}});
    return Status::Ok();
  }

  // GET /v1/log/history?subject=kind/id[&after=N]: the log entries about one
  // subject, in log order, in the shape of /v1/log/entries (entries the
  // caller may not read withheld); at most entries_max per page, the next
  // page from `after` = the last index returned.
  Status History(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    RETURN_IF_ERROR(CheckParams(req, {"subject", "after"}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadLogEntries));
    auto subject = Param(req, "subject");
    if (!subject || subject->empty() || subject->find('/') == std::string::npos) {
      return Status::InvalidArgument(
          "query parameter subject: expected <kind>/<id>, e.g. contract/RU-UZ-2018-001");
    }
    std::optional<uint64_t> after;
    if (auto v = Param(req, "after")) {
      ASSIGN_OR_RETURN(after, ParseUint("after", *v));
    }
    ASSIGN_OR_RETURN(std::vector<storage::EventIndexRow> rows,
                     ctx.reader->registry->History(*subject));
    json list = json::array();
    std::map<std::pair<std::string, std::string>, std::optional<json>> cache;
    EntityLookup lookup = CachedLookup(*ctx.reader->registry, cache);
    bool more = false;
    for (const storage::EventIndexRow& row : rows) {
      if (after && row.idx <= *after) continue;
      if (list.size() == o.entries_max) {
        more = true;
        break;
      }
      ASSIGN_OR_RETURN(bool visible, CanReadEvent(ctx.who, row.party, row.subject, lookup));
      RETURN_IF_ERROR(ctx.reader->log_store->ScanEntries(
          row.idx, row.idx + 1, [&](uint64_t idx, std::string_view data) -> Status {
            std::string leaf_hash = Base64Encode(AsBytes(merkle::LeafHash(data)));
            if (visible) {
              list.push_back(
                  {{"index", idx}, {"leaf", std::string(data)}, {"leaf_hash", leaf_hash}});
            } else {
              list.push_back({{"index", idx}, {"withheld", true}, {"leaf_hash", leaf_hash}});
            }
            return Status::Ok();
          }));
    }
    SetJson(res, {{"subject", *subject}, {"entries", list}, {"more", more}});
    return Status::Ok();
  }

  Status Inclusion(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    RETURN_IF_ERROR(CheckParams(req, {"index", "size"}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadLogProofs));
    log::Log& lg = ctx.reader->registry->log();
    ASSIGN_OR_RETURN(uint64_t n, lg.Size());
    auto index_text = Param(req, "index");
    if (!index_text) return Status::InvalidArgument("query parameter index is required");
    ASSIGN_OR_RETURN(uint64_t index, ParseUint("index", *index_text));
    uint64_t size = n;
    if (auto v = Param(req, "size")) {
      ASSIGN_OR_RETURN(size, ParseUint("size", *v));
    }
    if (size > n) {
      return Status::InvalidArgument("size " + std::to_string(size) + " is past the log's size " +
                                     std::to_string(n));
    }
    if (index >= size) {
      return Status::InvalidArgument("index " + std::to_string(index) +
                                     " is not below the tree size " + std::to_string(size));
    }
    ASSIGN_OR_RETURN(json proof, registry::InclusionProofJson(lg, index, size));
    SetJson(res, proof);
    return Status::Ok();
  }

  Status Consistency(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    RETURN_IF_ERROR(CheckParams(req, {"from", "to"}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadLogProofs));
    log::Log& lg = ctx.reader->registry->log();
    ASSIGN_OR_RETURN(uint64_t n, lg.Size());
    auto from_text = Param(req, "from");
    if (!from_text) return Status::InvalidArgument("query parameter from is required");
    ASSIGN_OR_RETURN(uint64_t from, ParseUint("from", *from_text));
    uint64_t to = n;
    if (auto v = Param(req, "to")) {
      ASSIGN_OR_RETURN(to, ParseUint("to", *v));
    }
    if (to > n) {
      return Status::InvalidArgument("to " + std::to_string(to) + " is past the log's size " +
                                     std::to_string(n));
    }
    if (from < 1 || from > to) {
      return Status::InvalidArgument("from must be between 1 and to (" + std::to_string(to) + ")");
    }
    ASSIGN_OR_RETURN(json proof, registry::ConsistencyProofJson(lg, from, to));
    SetJson(res, proof);
    return Status::Ok();
  }

  static EntityLookup CachedLookup(
      registry::Registry& r,
      std::map<std::pair<std::string, std::string>, std::optional<json>>& cache) {
    return [&r, &cache](std::string_view kind, std::string_view id) -> Result<std::optional<json>> {
      std::pair<std::string, std::string> key(kind, id);
      auto it = cache.find(key);
      if (it != cache.end()) return it->second;
      ASSIGN_OR_RETURN(std::optional<json> doc, r.Get(kind, id));
      cache.emplace(std::move(key), doc);
      return doc;
    };
  }

  Status List(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
              const std::string& kind) {
    RETURN_IF_ERROR(CheckParams(
        req, {"cursor", "limit", "contract", "product", "state", "unit", "serial", "agreement"}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadEntities));
    size_t limit = o.page_limit_default;
    if (auto v = Param(req, "limit")) {
      ASSIGN_OR_RETURN(uint64_t l, ParseUint("limit", *v));
      if (l < 1 || l > o.page_limit_max) {
        return Status::InvalidArgument("limit must be between 1 and " +
                                       std::to_string(o.page_limit_max));
      }
      limit = l;
    }
    std::optional<std::string> after;
    if (auto v = Param(req, "cursor")) {
      ASSIGN_OR_RETURN(after, Base64UrlDecode(*v));
    }
    std::map<std::string, std::string> filters;
    for (const char* f : {"contract", "product", "state", "unit", "serial", "agreement"}) {
      if (auto v = Param(req, f)) filters[f] = *v;
    }
    for (const auto& [name, value] : filters) {
      if (value.empty()) {
        return Status::InvalidArgument("query parameter " + name + " must not be empty");
      }
    }
    std::vector<storage::DocFilter> where = DocFilters(kind, filters);
    registry::Registry& r = *ctx.reader->registry;
    std::map<std::pair<std::string, std::string>, std::optional<json>> cache;
    EntityLookup lookup = CachedLookup(r, cache);
    // Keyset pages from the store until the page and one more visible item
    // (to know whether there is a next page) are found, or the kind ends.
    // Items the caller may not read are skipped, so a store page may yield
    // fewer items than it holds.
    json items = json::array();
    std::optional<std::string> next;
    std::optional<std::string> scan_after = after;
    bool more = true;
    while (more && !next) {
      ASSIGN_OR_RETURN(std::vector<json> docs, r.ListPage(kind, scan_after, where, limit + 1));
      more = docs.size() == limit + 1;
      for (const json& d : docs) {
        scan_after = DocId(kind, d);
        ASSIGN_OR_RETURN(bool visible, CanReadEntity(ctx.who, kind, d, lookup));
        if (!visible) continue;
        if (items.size() == limit) {
          next = Base64UrlEncode(DocId(kind, items.back()));
          break;
        }
        items.push_back(RedactEntity(ctx.who, kind, d));
      }
    }
    SetJson(res, {{"items", items}, {"next_cursor", next ? json(*next) : json(nullptr)}});
    return Status::Ok();
  }

  Status GetOne(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
                const std::string& kind, const std::string& id) {
    RETURN_IF_ERROR(CheckParams(req, {}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadEntities));
    registry::Registry& r = *ctx.reader->registry;
    ASSIGN_OR_RETURN(std::optional<json> doc, r.Get(kind, id));
    if (!doc) return Status::NotFound("no " + kind + " \"" + id + "\"");
    std::map<std::pair<std::string, std::string>, std::optional<json>> cache;
    ASSIGN_OR_RETURN(bool visible, CanReadEntity(ctx.who, kind, *doc, CachedLookup(r, cache)));
    if (!visible) {
      return Status::PermissionDenied("user " + ctx.who.user + " (" +
                                      std::string(RoleName(ctx.who.role)) + " of " + ctx.who.party +
                                      ") may not read " + kind + " \"" + id + "\"");
    }
    SetJson(res, RedactEntity(ctx.who, kind, std::move(*doc)));
    return Status::Ok();
  }

  // GET /v1/eum/due?as-of=&within=: `accord eum due --json`, limited to the
  // items the caller may read (their party supplied or received them; an
  // auditor's assigned agreements). Lists serial numbers: not for observers.
  Status EumDue(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    RETURN_IF_ERROR(CheckParams(req, {"as-of", "within"}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadEntities));
    std::string as_of = domain::FormatDate(Now());
    if (auto v = Param(req, "as-of")) {
      auto parsed = registry::ParseAsOfDate(*v);
      if (!parsed.ok()) {
        return Status::InvalidArgument("query parameter " + parsed.status().message());
      }
      as_of = *parsed;
    }
    int64_t within = 30;
    if (auto v = Param(req, "within")) {
      ASSIGN_OR_RETURN(uint64_t w, ParseUint("within", *v));
      if (w > 3650) return Status::InvalidArgument("query parameter within: at most 3650 days");
      within = static_cast<int64_t>(w);
    }
    ASSIGN_OR_RETURN(registry::EumDue due,
                     registry::ComputeEumDue(ctx.reader->registry->projections(), as_of, within));
    for (auto* list : {&due.delinquent, &due.due}) {
      std::erase_if(*list, [&](const registry::EumDueItem& i) {
        return !CanReadMonitoredItem(ctx.who, i.agreement, i.supplier, i.recipient);
      });
    }
    // The total counts every party's items: only admins see it.
    res.set_content(registry::EumDueJson(due, /*with_total=*/ctx.who.role == Role::kAdmin),
                    "application/json");
    return Status::Ok();
  }

  // GET /v1/reports/<name>: the same bytes as `accord report <name>`, with
  // format=json (the default) or csv, plus the report's other formats.
  Status Report(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
                const registry::ReportSpec& spec) {
    std::vector<std::string_view> allowed = {"format"};
    for (const registry::ReportParam& p : spec.params) allowed.push_back(p.name);
    RETURN_IF_ERROR(CheckParams(req, allowed));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadReports));
    registry::ReportRequest rr;
    rr.param_prefix = "query parameter ";
    for (const auto& [k, v] : req.params) {
      if (k == "format") {
        rr.format = v;
      } else {
        rr.params[k] = v;
      }
    }
    if (rr.format.empty()) rr.format = "json";
    // "csv" is the report's CSV, whatever the CLI calls it (sipri-csv).
    bool has_csv = false;
    for (const registry::ReportFormat& f : spec.formats) has_csv = has_csv || f.name == "csv";
    if (rr.format == "csv" && !has_csv) {
      for (const registry::ReportFormat& f : spec.formats) {
        if (f.content_type.starts_with("text/csv")) rr.format = f.name;
      }
    }
    ASSIGN_OR_RETURN(rr.form, CanReadReport(ctx.who, spec, rr.params));
    ASSIGN_OR_RETURN(registry::ReportOutput out,
                     registry::RunReport(*ctx.reader->registry, spec, rr));
    if (!out.content_type.starts_with("application/json")) {
      res.set_header("Content-Disposition", "attachment; filename=\"" + out.filename + "\"");
    }
    if (rr.form == registry::ReportForm::kPublic) res.set_header("X-Accord-Report-Form", "public");
    res.set_content(out.body, out.content_type);
    return Status::Ok();
  }

  // Checks who may record a parsed event, and signs it with the party's key
  // unless it is signed already; a signature the node has just made is not
  // verified again.
  Status PrepareEvent(const Principal& who, registry::Submission& sub) {
    RETURN_IF_ERROR(CanRecord(who, sub.parsed->party, sub.parsed->type));
    if (sub.is_signed()) return Status::Ok();
    auto key = party_keys.find(sub.parsed->party);
    if (key == party_keys.end()) {
      return Status::FailedPrecondition("this node holds no signing key for party " +
                                        sub.parsed->party +
                                        "; sign the event yourself (\"key\" and \"sig\")");
    }
    registry::SignSubmission(key->second, sub);
    return Status::Ok();
  }

  Status PostEvents(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    std::string ctype = req.get_header_value("Content-Type");
    std::string base = ctype.substr(0, ctype.find(';'));
    if (!ctype.empty() && base != "application/json" && base != "application/x-ndjson") {
      SetError(res, 415, "unsupported_media_type",
               "Content-Type must be application/json or application/x-ndjson, not " + ctype);
      return Status::Ok();
    }
    RETURN_IF_ERROR(CheckParams(req, {}));
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kRecordEvents));
    WriteRequest w;
    w.user = ctx.who.user;
    w.idempotency_key = req.get_header_value("Idempotency-Key");
    if (w.idempotency_key.size() > 200 ||
        w.idempotency_key.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:") !=
            std::string::npos) {
      return Status::InvalidArgument(
          "Idempotency-Key must be at most 200 characters of A-Z a-z 0-9 - _ . :");
    }
    w.request_hash = HexEncode(AsBytes(Sha256({"POST /v1/events\n", req.body})));

    // The one input path (registry::ParseSubmissions), as `accord record`.
    auto subs = registry::ParseSubmissions(req.body, o.max_batch_events);
    if (!subs.ok()) {
      if (subs.status().code() == StatusCode::kResourceExhausted) {
        SetError(res, 413, "payload_too_large", subs.status().message());
        return Status::Ok();
      }
      return subs.status();
    }
    if (subs->empty()) return Status::InvalidArgument("the body holds no event");
    for (registry::Submission& sub : *subs) {
      Status s = PrepareEvent(ctx.who, sub);
      if (!s.ok()) return sub.line == 0 ? s : s.WithContext(registry::LineContext(sub.line));
      w.events.push_back(std::move(sub));
    }
    WriteOutcome out = sequencer->Submit(std::move(w));
    if (out.replay) {
      res.status = out.replay->status;
      res.set_header("Idempotent-Replayed", "true");
      res.set_content(out.replay->body, "application/json");
      return Status::Ok();
    }
    if (!out.status.ok()) {
      Status s = out.status;
      // A missing referenced entity is a refusal of the event, not a 404 of
      // the URL.
      if (s.code() == StatusCode::kNotFound) s = Status::FailedPrecondition(s.message());
      return s;
    }
    SetJson(res, RecordedJson(out), 201);
    return Status::Ok();
  }

  Status LoadPartyKeys() {
    if (o.party_keys_dir.empty()) return Status::Ok();
    std::error_code ec;
    std::filesystem::directory_iterator it(o.party_keys_dir, ec);
    if (ec)
      return Status::NotFound("cannot read --party-keys " + o.party_keys_dir + ": " + ec.message());
    for (const auto& entry : it) {
      if (entry.path().extension() != ".skey") continue;
      auto signer = note::LoadSignerFile(entry.path().string());
      if (!signer.ok()) return signer.status();
      std::string party = entry.path().stem().string();
      for (char& c : party) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      party_keys.emplace(party, std::move(signer).value());
    }
    return Status::Ok();
  }

  void Routes() {
    httplib::Server& s = *http;
    s.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
      SetJson(res, {{"status", "ok"}});
    });
    s.Get("/v1/openapi.json", Wrap([](const httplib::Request& req, httplib::Response& res, Ctx&) {
            RETURN_IF_ERROR(CheckParams(req, {}));
            res.set_content(OpenApiDocument(), "application/json");
            return Status::Ok();
          }));
    auto bind = [this](Status (Impl::*m)(const httplib::Request&, httplib::Response&, Ctx&)) {
      return Wrap([this, m](const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
        return (this->*m)(req, res, ctx);
      });
    };
    s.Get("/v1/log/checkpoint", bind(&Impl::Checkpoint));
    s.Get("/v1/log/entries", bind(&Impl::Entries));
    s.Get("/v1/log/history", bind(&Impl::History));
    s.Get("/v1/log/proof/inclusion", bind(&Impl::Inclusion));
    s.Get("/v1/log/proof/consistency", bind(&Impl::Consistency));
    s.Post("/v1/events", bind(&Impl::PostEvents));
    s.Get("/v1/eum/due", bind(&Impl::EumDue));
    for (const registry::ReportSpec& spec : registry::Reports()) {
      const registry::ReportSpec* p = &spec;
      s.Get("/v1/reports/" + spec.name,
            Wrap([this, p](const httplib::Request& req, httplib::Response& res,
                           Ctx& ctx) { return Report(req, res, ctx, *p); },
                 /*anonymous_ok=*/true));
    }
    for (const auto& [name, kind] : Collections()) {
      std::string k = kind;
      s.Get("/v1/" + name, Wrap([this, k](const httplib::Request& req, httplib::Response& res,
                                          Ctx& ctx) { return List(req, res, ctx, k); }));
      s.Get("/v1/" + name + "/(.+)",
            Wrap([this, k](const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
              return GetOne(req, res, ctx, k, req.matches[1].str());
            }));
    }
  }

  void Configure() {
    httplib::Server& s = *http;
    size_t threads = std::max<size_t>(1, o.threads);
    s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    s.set_tcp_nodelay(true);
    s.set_keep_alive_max_count(o.keep_alive_max_requests);
    s.set_keep_alive_timeout(o.keep_alive_timeout_s);
    s.set_read_timeout(o.read_timeout_s, 0);
    s.set_write_timeout(o.write_timeout_s, 0);
    s.set_payload_max_length(o.max_body_bytes);
    // Replaces the default options (SO_REUSEADDR) and remembers the listening
    // socket: the library's compiled-in listen backlog is 5, so Bind() calls
    // listen() again with ours.
    s.set_socket_options([this](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_fd = sock;
    });
    s.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request& req, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          switch (res.status) {
            case 404:
              if (req.path.starts_with("/v1/reports/")) {
                std::string names;
                for (const registry::ReportSpec& r : registry::Reports()) {
                  names += (names.empty() ? "" : ", ") + r.name;
                }
                SetError(res, 404, "not_found",
                         "no report \"" + req.path.substr(std::string("/v1/reports/").size()) +
                             "\"; the reports are " + names);
                break;
              }
              SetError(res, 404, "not_found", "no route " + req.method + " " + req.path);
              break;
            case 413:
              SetError(res, 413, "payload_too_large", "the request body is too large");
              break;
            case 414:
              SetError(res, 414, "uri_too_long", "the request URI is too long");
              break;
            case 405:
              SetError(res, 405, "method_not_allowed", "method " + req.method + " is not allowed");
              break;
            default:
              SetError(res, res.status, res.status < 500 ? "bad_request" : "internal",
                       res.status < 500 ? "the request is malformed" : "internal error");
          }
          return httplib::Server::HandlerResponse::Handled;
        }));
    s.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "internal error";
          try {
            if (ep) std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = std::string("internal error: ") + e.what();
          } catch (...) {
          }
          SetError(res, 500, "internal", what);
        });
    if (!o.static_dir.empty()) s.set_mount_point("/", o.static_dir);
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  if (impl_ && impl_->http) impl_->http->stop();
  if (impl_ && impl_->sequencer) impl_->sequencer->Stop();
}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->o = std::move(options);
  Impl& m = *impl;
  if (m.o.tls_cert.empty() != m.o.tls_key.empty()) {
    return Status::InvalidArgument("--tls-cert and --tls-key go together");
  }
  RETURN_IF_ERROR(m.LoadPartyKeys());
  m.readers = std::make_unique<ReaderPool>(m.o.db, m.o.registry);
  // Opening one reader first checks the file is a registry and creates the
  // API tables.
  ASSIGN_OR_RETURN(auto first, m.readers->Acquire());
  m.readers->Release(std::move(first));
  SequencerOptions so;
  so.db = m.o.db;
  so.registry = m.o.registry;
  so.max_batch_requests = m.o.group_commit ? 100000 : 1;
  so.clock = m.o.clock;
  so.render = [](const WriteRequest&, const WriteOutcome& out) {
    return IdempotentResponse{"", 201, Dump(RecordedJson(out))};
  };
  ASSIGN_OR_RETURN(m.sequencer, Sequencer::Start(std::move(so)));
  if (!m.o.tls_cert.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(m.o.tls_cert.c_str(), m.o.tls_key.c_str());
    if (!tls->is_valid()) {
      return Status::InvalidArgument("cannot load --tls-cert " + m.o.tls_cert + " / --tls-key " +
                                     m.o.tls_key);
    }
    m.http = std::move(tls);
  } else {
    m.http = std::make_unique<httplib::Server>();
  }
  m.limiter = std::make_unique<RateLimiter>(m.o.rate_per_second, m.o.rate_burst);
  m.Configure();
  m.Routes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Bind() {
  Impl& m = *impl_;
  if (m.o.port == 0) {
    m.port = m.http->bind_to_any_port(m.o.host);
    if (m.port <= 0) return Status::IoError("cannot listen on " + m.o.host + " (any port)");
  } else {
    if (!m.http->bind_to_port(m.o.host, m.o.port)) {
      return Status::IoError("cannot listen on " + m.o.host + ":" + std::to_string(m.o.port));
    }
    m.port = m.o.port;
  }
  if (m.listen_fd >= 0) ::listen(m.listen_fd, m.o.backlog);
  m.bound = true;
  return Status::Ok();
}

int Server::port() const {
  return impl_->port;
}

Status Server::Run() {
  Impl& m = *impl_;
  if (!m.bound) RETURN_IF_ERROR(Bind());
  bool ok = m.http->listen_after_bind();
  // Every worker has finished its request; let the queued writes commit.
  m.sequencer->Stop();
  if (!ok) return Status::IoError("the HTTP server stopped with an error");
  return Status::Ok();
}

void Server::Stop() {
  impl_->http->stop();
}

}  // namespace accord::api
