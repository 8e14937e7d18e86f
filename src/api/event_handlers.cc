// POST /v1/events: one event or NDJSON, checked against the authorization
// matrix, signed with the party's key (--party-keys) unless pre-signed, and
// recorded through the sequencer; and the loading of the party keys.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/http_util.h"
#include "api/server_impl.h"
#include "crypto/sha256.h"
#include "domain/envelope.h"
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

// Parses one event object, checks who may record it, and signs it with the
// party's key unless it is signed already. The submission carries the
// parsed event, its key id and signature, so the sequencer does not parse
// it again; a signature the node has just made is not verified again.
Result<registry::Submission> Server::Impl::PrepareEvent(const Principal& who, json object,
                                                        size_t line) {
  if (!object.is_object()) return Status::InvalidArgument("an event must be a JSON object");
  ASSIGN_OR_RETURN(std::optional<domain::PresignedEvent> presigned, domain::SplitPresigned(object));
  json bare = presigned ? std::move(presigned->event) : std::move(object);
  ASSIGN_OR_RETURN(domain::Event event, domain::ParseEvent(std::move(bare)));
  RETURN_IF_ERROR(CanRecord(who, event.party, event.type));
  registry::Submission sub;
  sub.line = line;
  if (presigned) {
    sub.key_id = presigned->key_id;
    sub.signature = std::move(presigned->signature);
  } else {
    auto key = party_keys.find(event.party);
    if (key == party_keys.end()) {
      return Status::FailedPrecondition("this node holds no signing key for party " + event.party +
                                        "; sign the event yourself (\"key\" and \"sig\")");
    }
    sub.key_id = key->second.key_id();
    sub.signature = key->second.Sign(domain::SigningMessage(event));
    sub.signed_here = true;
  }
  sub.parsed = std::make_shared<const domain::Event>(std::move(event));
  return sub;
}

Status Server::Impl::PostEvents(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
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

  std::vector<std::pair<size_t, json>> objects;
  auto whole = domain::ParseStrictJson(req.body);
  if (whole.ok()) {
    if (!whole->is_object()) {
      return Status::InvalidArgument(
          "the body must be one event (a JSON object) or NDJSON, one event per line");
    }
    objects.emplace_back(0, std::move(whole).value());
  } else if (req.body.find('\n') == std::string::npos) {
    return whole.status().WithContext("body");
  } else {
    size_t line = 0, pos = 0;
    while (pos <= req.body.size()) {
      size_t nl = req.body.find('\n', pos);
      if (nl == std::string::npos) nl = req.body.size();
      std::string_view text(req.body.data() + pos, nl - pos);
      ++line;
      pos = nl + 1;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
      auto parsed = domain::ParseStrictJson(text);
      if (!parsed.ok()) return parsed.status().WithContext("line " + std::to_string(line));
      objects.emplace_back(line, std::move(parsed).value());
      if (objects.size() > o.max_batch_events) {
        SetError(res, 413, "payload_too_large",
                 "at most " + std::to_string(o.max_batch_events) + " events per request");
        return Status::Ok();
      }
    }
  }
  if (objects.empty()) return Status::InvalidArgument("the body holds no event");
  for (auto& [line, object] : objects) {
    auto sub = PrepareEvent(ctx.who, std::move(object), line);
    if (!sub.ok()) {
      return line == 0 ? sub.status() : sub.status().WithContext("line " + std::to_string(line));
    }
    w.events.push_back(std::move(sub).value());
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

Status Server::Impl::LoadPartyKeys() {
  if (o.party_keys_dir.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::directory_iterator it(o.party_keys_dir, ec);
  if (ec)
    return Status::NotFound("cannot read --party-keys " + o.party_keys_dir + ": " + ec.message());
  for (const auto& entry : it) {
    if (entry.path().extension() != ".skey") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    auto signer = note::Signer::Parse(ss.str());
    if (!signer.ok()) return signer.status().WithContext(entry.path().string());
    std::string party = entry.path().stem().string();
    for (char& c : party) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    party_keys.emplace(party, std::move(signer).value());
  }
  return Status::Ok();
}

}  // namespace accord::api
