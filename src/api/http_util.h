// The HTTP plumbing every route shares, inside src/api only: JSON bodies,
// the mapping of a Status to an HTTP status and error code, and the checking
// of query parameters (unknown or repeated ones are a 400).
#pragma once

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/server.h"
#include "util/status.h"

namespace accord::api {

// Compact JSON; invalid UTF-8 is replaced rather than thrown.
std::string Dump(const nlohmann::json& j);

struct HttpError {
  int status;
  const char* code;
};
// The HTTP status and error code of a non-OK status.
HttpError MapStatus(const Status& s);

// {"error":{"code":...,"message":...}} with `status`.
void SetError(httplib::Response& res, int status, std::string_view code, std::string_view message);
// The same for a non-OK status (401s also carry WWW-Authenticate: Bearer).
void SetError(httplib::Response& res, const Status& s);
void SetJson(httplib::Response& res, const nlohmann::json& j, int status = 200);

// A non-negative decimal integer of at most 18 digits, else InvalidArgument
// naming the query parameter.
Result<uint64_t> ParseUint(std::string_view name, std::string_view text);

// Rejects query parameters not in `allowed`, and repeated ones.
Status CheckParams(const httplib::Request& req, const std::vector<std::string_view>& allowed);

// The query parameter `name`, if given.
std::optional<std::string> Param(const httplib::Request& req, const char* name);

// Refuses plain HTTP (no TLS) on an address other than loopback unless
// `o.insecure_http`: InvalidArgument saying why and what to do.
Status CheckPlainHttp(const ServerOptions& o);

// A cursor (base64url without padding) back to its bytes.
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace accord::api
