// The log routes: GET /v1/log/entries, /v1/log/history,
// /v1/log/proof/inclusion and /v1/log/proof/consistency (the checkpoints are
// in tlog_handlers.cc). What of each entry the caller sees is decided by
// EntryJson (api/disclosure.h): whole, or withheld (index and leaf hash
// only), never refused.
#include <map>

#include "api/disclosure.h"
#include "api/http_util.h"
#include "api/server_impl.h"
#include "domain/envelope.h"
#include "merkle/hasher.h"
#include "registry/doc_fields.h"
#include "registry/proof_json.h"
#include "util/encoding.h"

namespace accord::api {

using nlohmann::json;

Status Server::Impl::Entries(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
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
        ASSIGN_OR_RETURN(json entry, EntryJson(ctx.who, idx, data, lookup));
        list.push_back(std::move(entry));
        return Status::Ok();
      }));
  SetJson(res, {{"start", start}, {"end", end}, {"size", size}, {"entries", list}});
  return Status::Ok();
}

// GET /v1/log/history?subject=kind/id[&after=N]: the log entries about one
// subject that the caller may read whole, in log order, in the shape of
// /v1/log/entries; the others are left out (a withheld entry in a subject's
// history would tell that something happened, e.g. another party's trainee
// enrolled, which the subject's document hides; and so a subject the caller
// may not read answers as an unknown one does, with none of its events but
// the caller's own party's). At most entries_max per page, the next page
// from `after` = the last index returned.
Status Server::Impl::History(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
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
    RETURN_IF_ERROR(ctx.reader->log_store->ScanEntries(
        row.idx, row.idx + 1, [&](uint64_t idx, std::string_view data) -> Status {
          EventForm form = EventForm::kWithheld;
          ASSIGN_OR_RETURN(json entry, EntryJson(ctx.who, idx, data, lookup, &form));
          if (form == EventForm::kWhole) list.push_back(std::move(entry));
          return Status::Ok();
        }));
  }
  SetJson(res, {{"subject", *subject}, {"entries", list}, {"more", more}});
  return Status::Ok();
}

Status Server::Impl::Inclusion(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
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

Status Server::Impl::Consistency(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
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

}  // namespace accord::api
