#include "api/http_util.h"

#include <arpa/inet.h>

#include <cstring>

#include "util/encoding.h"
#include "util/utf8.h"

namespace accord::api {

using nlohmann::json;

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

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

void SetJson(httplib::Response& res, const json& j, int status) {
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
      return Status::InvalidArgument("unknown query parameter " + QuoteForMessage(k) +
                                     (list.empty() ? "" : " (expected " + list + ")"));
    }
    // Every value is text: invalid UTF-8 is refused here, once for all
    // filters, rather than matching nothing.
    if (size_t bad = FindInvalidUtf8(v); bad != std::string::npos) {
      return Status::InvalidArgument("query parameter " + k + " is not valid UTF-8 (byte " +
                                     std::to_string(bad) + " of " + QuoteForMessage(v) + ")");
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

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return false;
  static const unsigned char kLoop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.s6_addr, kLoop, 16) == 0) return true;
  return std::memcmp(v6.s6_addr, kMapped, 12) == 0 && v6.s6_addr[12] == 127;
}

Status CheckPlainHttp(const ServerOptions& o) {
  if (!o.tls_cert.empty() || o.insecure_http || IsLoopbackHost(o.host)) return Status::Ok();
  return Status::InvalidArgument(
      "refusing plain HTTP on " + o.host +
      ", which is not a loopback address: bearer tokens and events would cross the network "
      "unencrypted. Give --tls-cert and --tls-key, listen on 127.0.0.1, or pass --insecure-http "
      "if a TLS proxy in front of this node encrypts the traffic");
}

}  // namespace accord::api
