#include "registry/submission.h"

#include <optional>
#include <utility>

namespace accord::registry {
namespace {

using nlohmann::json;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Starts with '{' and ends with '}' once trimmed: the shape of an NDJSON line.
bool LooksLikeObject(std::string_view line) {
  size_t b = line.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return false;
  size_t e = line.find_last_not_of(" \t\r");
  return line[b] == '{' && line[e] == '}';
}

bool ParsesAsObject(std::string_view line) {
  auto j = domain::ParseStrictJson(line);
  return j.ok() && j->is_object();
}

}  // namespace

std::string LineContext(size_t line) {
  return line == 0 ? std::string("event") : "line " + std::to_string(line);
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

Result<Submission> ParseSubmission(std::string_view text, size_t line) {
  ASSIGN_OR_RETURN(json object, domain::ParseStrictJson(text));
  if (!object.is_object()) return Status::InvalidArgument("an event must be a JSON object");
  ASSIGN_OR_RETURN(std::optional<domain::PresignedEvent> presigned, domain::SplitPresigned(object));
  Submission sub;
  sub.line = line;
  if (presigned) {
    object = std::move(presigned->event);
    sub.key_id = presigned->key_id;
    sub.signature = std::move(presigned->signature);
  }
  ASSIGN_OR_RETURN(domain::Event event, domain::ParseEvent(std::move(object)));
  RETURN_IF_ERROR(domain::CheckIds(event));
  sub.parsed = std::make_shared<const domain::Event>(std::move(event));
  return sub;
}

Result<std::vector<Submission>> ParseSubmissions(std::string_view text, size_t max_events,
                                                 std::vector<Refusal>* refused) {
  std::vector<std::pair<size_t, std::string_view>> lines;  // the non-blank ones
  bool all_look_like_objects = true;
  {
    std::vector<std::string_view> all = SplitLines(text);
    for (size_t i = 0; i < all.size(); ++i) {
      if (IsBlank(all[i])) continue;
      lines.emplace_back(i + 1, all[i]);
      all_look_like_objects = all_look_like_objects && LooksLikeObject(all[i]);
    }
  }
  std::vector<Submission> out;
  if (lines.empty()) return out;
  bool ndjson = lines.size() > 1 && (all_look_like_objects || ParsesAsObject(lines.front().second));
  if (!ndjson && lines.size() > 1 && !json::accept(text)) {
    // Not one JSON document, but lines shaped like objects: NDJSON with a bad
    // line (perhaps the first), so each line is decided on its own.
    for (const auto& [line, line_text] : lines) ndjson = ndjson || LooksLikeObject(line_text);
  }
  if (!ndjson) {
    auto sub = ParseSubmission(text, 0);
    if (!sub.ok()) {
      Status s = sub.status();
      auto whole = domain::ParseStrictJson(text);
      if (whole.ok() && !whole->is_object()) {
        s = Status::InvalidArgument(
            "the input must be one event (a JSON object) or NDJSON, one event per line");
      }
      if (refused == nullptr) return s.WithContext(LineContext(0));
      refused->push_back({0, s.WithContext(LineContext(0))});
      return out;
    }
    out.push_back(std::move(sub).value());
    return out;
  }
  if (lines.size() > max_events) {
    return Status::ResourceExhausted("at most " + std::to_string(max_events) +
                                     " events per request");
  }
  out.reserve(lines.size());
  for (const auto& [line, line_text] : lines) {
    auto sub = ParseSubmission(line_text, line);
    if (!sub.ok()) {
      Status s = sub.status().WithContext(LineContext(line));
      if (refused == nullptr) return s;
      refused->push_back({line, std::move(s)});
      continue;
    }
    out.push_back(std::move(sub).value());
  }
  return out;
}

void SignSubmission(const note::Signer& signer, Submission& sub) {
  sub.key_id = signer.key_id();
  sub.signature = signer.Sign(domain::SigningMessage(*sub.parsed));
  sub.signed_here = true;
}

}  // namespace accord::registry
