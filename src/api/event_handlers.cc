// POST /v1/events: one event or NDJSON, checked against the authorization
// matrix, signed with the party's key (--party-keys) unless pre-signed, and
// recorded through the sequencer; and the loading of the party keys.
#include <cctype>
#include <filesystem>

#include "api/http_util.h"
#include "api/server_impl.h"
#include "crypto/sha256.h"
#include "domain/envelope.h"
#include "domain/event_schema.h"
#include "domain/rules.h"
#include "note/signer_file.h"
#include "registry/dry_run.h"
#include "registry/submission.h"
#include "util/encoding.h"

namespace accord::api {

using nlohmann::json;

json RecordedJson(const WriteOutcome& o) {
  json list = json::array();
  for (const registry::Recorded& r : o.recorded) {
    list.push_back({{"index", r.index}, {"type", r.type}, {"subject", r.subject}});
  }
  return {{"recorded", list}};
}

// Checks who may record a parsed event, and signs it with the party's key
// unless it is signed already; a signature the node has just made is not
// verified again.
Status Server::Impl::PrepareEvent(const Principal& who, registry::Submission& sub) {
  RETURN_IF_ERROR(CanRecord(who, sub.parsed->party, sub.parsed->type));
  if (sub.is_signed()) return Status::Ok();
  auto key = party_keys.find(sub.parsed->party);
  if (key == party_keys.end()) {
    return Status::FailedPrecondition("this node holds no signing key for party " +
                                      sub.parsed->party +
                                      R"(; sign the event yourself ("key" and "sig"))");
  }
  registry::SignSubmission(key->second, sub);
  return Status::Ok();
}

Status Server::Impl::PostEvents(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
  std::string ctype = req.get_header_value("Content-Type");
  std::string base = ctype.substr(0, ctype.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (char& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (base != "application/json" && base != "application/x-ndjson") {
    SetError(res, 415, "unsupported_media_type",
             "Content-Type must be application/json or application/x-ndjson, not " +
                 (ctype.empty() ? std::string("missing") : ctype));
    return Status::Ok();
  }
  RETURN_IF_ERROR(CheckParams(req, {"dry_run"}));
  std::optional<std::string> dry = Param(req, "dry_run");
  if (dry && *dry != "1" && *dry != "true") {
    return Status::InvalidArgument("dry_run must be 1 or true, not \"" + *dry + "\"");
  }
  RETURN_IF_ERROR(Authorize(ctx.who, Action::kRecordEvents));
  if (!sequencer) {
    return Status::PermissionDenied("this node serves a read-only mirror of " +
                                    mirror_of.value_or("another node") +
                                    " (kept by `accord mirror`): it records no events; send "
                                    "them to that node");
  }
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
  // Only now, after every check the headers allow, is the body read.
  ASSIGN_OR_RETURN(std::string body, ReadBody(req, ctx));
  w.request_hash = HexEncode(AsBytes(Sha256({"POST /v1/events\n", body})));

  // The one input path (registry::ParseSubmissions), as `accord record`.
  auto subs = registry::ParseSubmissions(body, o.max_batch_events);
  if (!subs.ok()) {
    if (subs.status().code() == StatusCode::kResourceExhausted) {
      SetError(res, 413, "payload_too_large", subs.status().message());
      return Status::Ok();
    }
    return subs.status();
  }
  if (subs->empty()) return Status::InvalidArgument("the body holds no event");
  if (base == "application/json" && subs->size() > 1) {
    return Status::InvalidArgument("an application/json body is one event; send " +
                                   std::to_string(subs->size()) +
                                   " events as application/x-ndjson, one per line");
  }
  for (registry::Submission& sub : *subs) {
    Status st = PrepareEvent(ctx.who, sub);
    if (!st.ok()) return sub.line == 0 ? st : st.WithContext(registry::LineContext(sub.line));
    w.events.push_back(std::move(sub));
  }
  if (dry) return DryRunEvents(res, ctx, w.events);
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

// The dry run of POST /v1/events: the same events, prepared and decided by
// the primary's reader (WrapBody lends one) against the current state;
// nothing is appended and no Idempotency-Key is looked up or kept.
Status Server::Impl::DryRunEvents(httplib::Response& res, Ctx& ctx,
                                  const std::vector<registry::Submission>& events) {
  auto r = registry::DryRun(*ctx.reader->registry, events, nullptr, Now());
  if (!r.ok()) {
    Status s = r.status();
    if (s.code() == StatusCode::kNotFound) s = Status::FailedPrecondition(s.message());
    return s;
  }
  json list = json::array();
  for (const registry::WouldRecord& w : r->events) {
    json changes = json::array();
    for (const registry::WouldChange& c : w.changes) {
      changes.push_back({{"kind", c.kind}, {"id", c.id}, {"doc", c.doc}});
    }
    list.push_back({{"index", w.event.index},
                    {"type", w.event.type},
                    {"subject", w.event.subject},
                    {"changes", std::move(changes)}});
  }
  SetJson(res, {{"dry_run", true}, {"would_record", std::move(list)}});
  return Status::Ok();
}

// Every event type's body schema (domain::EventTypeSchemas), and for each
// whether the caller may record it and as which party.
Status Server::Impl::EventTypes(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
  RETURN_IF_ERROR(CheckParams(req, {}));
  // Public knowledge (docs/EVENTS.md): any signed-in user.
  RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadLogProofs));
  const std::string party =
      ctx.who.role == Role::kAdmin ? std::string(domain::kRegistryParty) : ctx.who.party;
  json types = domain::EventTypeSchemas();
  for (json& t : types) {
    const bool may = CanRecord(ctx.who, party, t["type"].get<std::string>()).ok();
    t["may_record"] = may;
    if (may) t["party"] = party;
  }
  SetJson(res, {{"event_types", std::move(types)}});
  return Status::Ok();
}

Status Server::Impl::LoadPartyKeys() {
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

}  // namespace accord::api
