// Every authenticated route goes through Wrap: a read connection from the
// pool, the bearer token checked against the API's users (or an anonymous
// observer where --public-reports allows it), the caller's rate limit, and
// the handler's non-OK status turned into a JSON error.
#include "api/http_util.h"
#include "api/server_impl.h"

namespace accord::api {

// Authenticates, rate-limits, lends a reader, runs `fn`, turns a non-OK
// status into a JSON error.
// With `anonymous_ok` (the report endpoints under --public-reports), a
// request without an Authorization header is an anonymous observer.
httplib::Server::Handler Server::Impl::Wrap(Fn fn, bool anonymous_ok) {
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

Status Server::Impl::Serve(const httplib::Request& req, httplib::Response& res, Reader& reader,
                           const Fn& fn, bool anonymous_ok) {
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

}  // namespace accord::api
