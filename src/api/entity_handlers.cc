// The entity routes: GET /v1/<plural> (keyset pages, filtered like `accord
// show`) and GET /v1/<plural>/<id> for every kind of domain/entity_kinds.h,
// and GET /v1/eum/due. Each document is shown as DiscloseEntity
// (api/disclosure.h) decides: not at all, redacted or whole.
#include <map>

#include "api/disclosure.h"
#include "api/http_util.h"
#include "api/server_impl.h"
#include "domain/entity_kinds.h"
#include "domain/envelope.h"
#include "registry/doc_fields.h"
#include "registry/eum_report.h"
#include "util/encoding.h"

namespace accord::api {

using nlohmann::json;

namespace {

// The member holding a document's id, from its kind's row ("id" for a kind
// not in the table).
std::string IdField(std::string_view kind) {
  const domain::EntityKind* k = domain::FindKind(kind);
  return std::string(k ? k->id_field : "id");
}

std::string DocId(std::string_view kind, const json& doc) {
  return registry::DocText(doc, IdField(kind).c_str());
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
      const domain::EntityKind* k = domain::FindKind(kind);
      out.push_back({{"$." + std::string(k ? k->state_field : "status")}, want});
    } else if (name == "product") {
      out.push_back({{"$.product", "$.lines[*].product"}, want});
    }
  }
  return out;
}

}  // namespace

EntityLookup Server::Impl::CachedLookup(
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

Status Server::Impl::List(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
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
      ASSIGN_OR_RETURN(std::optional<json> shown, DiscloseEntity(ctx.who, kind, d, lookup));
      if (!shown) continue;
      if (items.size() == limit) {
        next = Base64UrlEncode(DocId(kind, items.back()));
        break;
      }
      items.push_back(std::move(*shown));
    }
  }
  SetJson(res, {{"items", items}, {"next_cursor", next ? json(*next) : json(nullptr)}});
  return Status::Ok();
}

Status Server::Impl::GetOne(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
                            const std::string& kind, const std::string& id) {
  RETURN_IF_ERROR(CheckParams(req, {}));
  RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadEntities));
  registry::Registry& r = *ctx.reader->registry;
  ASSIGN_OR_RETURN(std::optional<json> doc, r.Get(kind, id));
  // An entity the caller may not read is answered exactly as a missing one,
  // so the answer does not tell whether it exists.
  Status missing = Status::NotFound("no " + kind + " \"" + id + "\"");
  if (!doc) return missing;
  std::map<std::pair<std::string, std::string>, std::optional<json>> cache;
  ASSIGN_OR_RETURN(std::optional<json> shown,
                   DiscloseEntity(ctx.who, kind, std::move(*doc), CachedLookup(r, cache)));
  if (!shown) return missing;
  SetJson(res, *shown);
  return Status::Ok();
}

// GET /v1/eum/due?as-of=&within=: `accord eum due --json`, limited to the
// items the caller may read (their party supplied or received them; an
// auditor's assigned agreements). Lists serial numbers: not for observers.
Status Server::Impl::EumDue(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
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

}  // namespace accord::api
