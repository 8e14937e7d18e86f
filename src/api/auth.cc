// Every authenticated route goes through Wrap (or WrapBody for a route that
// takes a request body): a read connection from the pool, the bearer token
// checked against the API's users (or an anonymous observer where
// --public-reports allows it), the caller's rate limit, and the handler's
// non-OK status turned into a JSON error.
//
// Request bodies. A route that takes a body is a content-reader route
// (WrapBody): it authenticates and rate-limits from the headers alone, and
// the handler reads the body with ReadBody only after its own header checks,
// stopping the moment it passes --max-body, whether it comes with a
// Content-Length or chunked. Any other request that announces a body the
// library would read unbounded (chunked) or over the limit is refused before
// routing (GuardBody). A response given while the client still has body to
// send closes the connection after it (CloseAfter), so nothing more is read.
#include <cctype>

#include "api/http_util.h"
#include "api/server_impl.h"

namespace accord::api {

namespace {

std::string TransferEncoding(const httplib::Request& req) {
  std::string te = req.get_header_value("Transfer-Encoding");
  for (char& c : te) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return te;
}

// Any Transfer-Encoding but identity: a body of unannounced length.
bool IsChunked(const httplib::Request& req) {
  std::string te = TransferEncoding(req);
  return !te.empty() && te != "identity";
}

// The request's Content-Length, 0 if absent; nullopt if malformed.
std::optional<uint64_t> ContentLength(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return 0;
  std::string v = req.get_header_value("Content-Length");
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos ||
      req.get_header_value_count("Content-Length") > 1) {
    return std::nullopt;
  }
  return std::stoull(v);
}

bool ExpectsBody(const httplib::Request& req) {
  return req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
         req.method == "DELETE";
}

}  // namespace

void CloseAfter(httplib::Response& res) {
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  if (body->empty()) *body = " ";
  std::string ctype = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.set_header("Connection", "close");
  // Writes the whole answer, then reports failure: that is how the library
  // is told to end the connection instead of reading the next request.
  res.set_content_provider(body->size(), ctype.empty() ? "application/json" : ctype,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return false;
                           });
}

httplib::Server::Handler Server::Impl::Wrap(Fn fn, bool anonymous_ok) {
  return [this, fn = std::move(fn), anonymous_ok](const httplib::Request& req,
                                                  httplib::Response& res) {
    ReaderPool& pool = GetReaders();
    auto lease = pool.Acquire();
    if (!lease.ok()) return SetError(res, lease.status());
    std::unique_ptr<Reader> reader = std::move(lease).value();
    Ctx ctx;
    ctx.reader = reader.get();
    Status s = Serve(req, res, ctx, fn, anonymous_ok && o.public_reports);
    pool.Release(std::move(reader));
    if (!s.ok()) SetError(res, s);
  };
}

httplib::Server::HandlerWithContentReader Server::Impl::WrapBody(Fn fn) {
  return [this, fn = std::move(fn)](const httplib::Request& req, httplib::Response& res,
                                    const httplib::ContentReader& content) {
    Ctx ctx;
    ctx.content = &content;
    auto lease = readers->Acquire();
    if (!lease.ok()) {
      SetError(res, lease.status());
    } else {
      std::unique_ptr<Reader> reader = std::move(lease).value();
      ctx.reader = reader.get();
      Status s = Serve(req, res, ctx, fn, false);
      readers->Release(std::move(reader));
      if (ctx.body == BodyState::kTooLarge) {
        SetError(res, 413, "payload_too_large", s.message());
      } else if (!s.ok()) {
        SetError(res, s);
      }
    }
    auto length = ContentLength(req);
    bool body_pending = IsChunked(req) || !length || *length > 0;
    if (ctx.body != BodyState::kRead && body_pending) CloseAfter(res);
  };
}

void Server::Impl::PostWithBody(const std::string& path, Fn fn) {
  body_routes.push_back(path);
  http->Post(path, WrapBody(std::move(fn)));
}

httplib::Server::HandlerResponse Server::Impl::GuardBody(const httplib::Request& req,
                                                         httplib::Response& res) {
  if (!ExpectsBody(req)) return httplib::Server::HandlerResponse::Unhandled;
  for (const std::string& p : body_routes) {
    if (req.path == p) return httplib::Server::HandlerResponse::Unhandled;
  }
  auto length = ContentLength(req);
  if (IsChunked(req)) {
    SetError(res, 411, "length_required",
             "a chunked request body is accepted only where the route reads it within "
             "--max-body; send Content-Length");
  } else if (!length) {
    SetError(res, 400, "invalid_argument", "the Content-Length header is malformed");
  } else if (*length > o.max_body_bytes) {
    SetError(res, 413, "payload_too_large",
             "the request body of " + std::to_string(*length) + " bytes is over --max-body (" +
                 std::to_string(o.max_body_bytes) + " bytes)");
  } else {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  CloseAfter(res);
  return httplib::Server::HandlerResponse::Handled;
}

void SecurityHeaders(const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  if (req.path.starts_with("/v1/")) {
    if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  } else {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                   "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                   "frame-ancestors 'none'; form-action 'self'");
    res.set_header("X-Frame-Options", "DENY");
  }
}

Result<std::string> Server::Impl::ReadBody(const httplib::Request& req, Ctx& ctx) {
  const size_t max = o.max_body_bytes;
  const std::string over =
      "the request body is over --max-body (" + std::to_string(max) + " bytes)";
  bool chunked = IsChunked(req);
  auto length = ContentLength(req);
  if (chunked && req.has_header("Content-Length")) {
    return Status::InvalidArgument(
        "a request must not carry both Transfer-Encoding and Content-Length");
  }
  if (chunked && TransferEncoding(req) != "chunked") {
    return Status::InvalidArgument("the only Transfer-Encoding accepted is chunked");
  }
  if (!length) return Status::InvalidArgument("the Content-Length header is malformed");
  std::string body;
  if (!chunked && *length == 0) {
    ctx.body = BodyState::kRead;  // HTTP/1.1: no Content-Length, no chunks, no body
    return body;
  }
  if (!chunked && *length > max) {
    ctx.body = BodyState::kTooLarge;
    return Status::ResourceExhausted(over);
  }
  bool too_large = false;
  bool ok = (*ctx.content)([&](const char* data, size_t n) {
    if (n > max - body.size()) {
      too_large = true;
      return false;
    }
    body.append(data, n);
    return true;
  });
  if (too_large) {
    ctx.body = BodyState::kTooLarge;
    return Status::ResourceExhausted(over);
  }
  if (!ok) {
    ctx.body = BodyState::kFailed;
    return Status::InvalidArgument("the request body is malformed or incomplete");
  }
  ctx.body = BodyState::kRead;
  return body;
}

Status Server::Impl::Serve(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
                           const Fn& fn, bool anonymous_ok) {
  if (req.get_header_value_count("Authorization") > 1) {
    return Status::InvalidArgument("the Authorization header is given more than once");
  }
  std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "bearer ";  // the scheme is case-insensitive
  std::string scheme = auth.substr(0, kBearer.size());
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
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
    if (scheme != kBearer) {
      return Status::Unauthenticated("the Authorization header must be \"Bearer <token>\"");
    }
    ASSIGN_OR_RETURN(
        ctx.who, ctx.reader->store->Authenticate(std::string_view(auth).substr(kBearer.size())));
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

}  // namespace accord::api
