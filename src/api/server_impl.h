// The inside of api::Server, shared by the files that implement it (inside
// src/api only): server.cc (routes, HTTP configuration, start and stop),
// auth.cc (authentication and rate limiting around every handler), and the
// handlers by area: log_handlers.cc, entity_handlers.cc, report_handlers.cc,
// event_handlers.cc, tlog_handlers.cc (the C2SP routes under /tlog). Each
// handler checks its query parameters, asks api/authz, and answers JSON (or
// the C2SP formats) or returns a non-OK Status that Wrap turns into a JSON
// error.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/authz.h"
#include "api/gatherer.h"
#include "api/rate_limiter.h"
#include "api/reader_pool.h"
#include "api/sequencer.h"
#include "api/server.h"
#include "log/witness.h"
#include "note/note.h"
#include "registry/registry.h"
#include "registry/reports.h"

namespace accord::api {

struct Server::Impl {
  ServerOptions o;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<Sequencer> sequencer;  // null on a mirror
  std::optional<std::string> mirror_of;  // the URL a mirror DB follows
  std::unique_ptr<ReaderPool> readers;
  std::unique_ptr<ReaderPool> standby_readers;     // --read-db, else null
  std::map<std::string, note::Signer> party_keys;  // by party code, e.g. "RU"
  std::unique_ptr<RateLimiter> limiter;
  std::unique_ptr<log::Witness> witness;  // with --witness-key, else null
  std::unique_ptr<Gatherer> gatherer;     // with --policy, else null
  std::atomic<int> listen_fd{-1};
  // Paths of the routes registered with PostWithBody (set before serving).
  std::vector<std::string> body_routes;
  int port = 0;
  bool bound = false;

  // Where GET requests read: the standby (--read-db) if there is one.
  ReaderPool& GetReaders() { return standby_readers ? *standby_readers : *readers; }
  // Opens the standby's readers and checks it holds this node's log.
  Status SetUpStandby();

  int64_t Now() const { return o.clock ? o.clock() : static_cast<int64_t>(std::time(nullptr)); }

  // How far a content-reader route got with its request body.
  enum class BodyState { kUnread, kRead, kTooLarge, kFailed };

  // A request after authentication: who, and a read connection; on a route
  // registered with PostWithBody, the not yet read body.
  struct Ctx {
    Principal who;
    Reader* reader = nullptr;
    const httplib::ContentReader* content = nullptr;
    BodyState body = BodyState::kUnread;
  };

  using Fn = std::function<Status(const httplib::Request&, httplib::Response&, Ctx&)>;

  // auth.cc
  // Authenticates, rate-limits, lends a reader, runs `fn`, turns a non-OK
  // status into a JSON error.
  // With `anonymous_ok` (the report endpoints under --public-reports), a
  // request without an Authorization header is an anonymous observer.
  httplib::Server::Handler Wrap(Fn fn, bool anonymous_ok = false);
  // Wrap for a route that takes a body: authentication and the rate limit
  // look at the headers only; `fn` reads the body with ReadBody after its
  // own header checks. If the answer is given with body left unread, the
  // connection is closed after it.
  httplib::Server::HandlerWithContentReader WrapBody(Fn fn);
  // Registers POST `path` through WrapBody, and exempts it from GuardBody.
  void PostWithBody(const std::string& path, Fn fn);
  // REQUIRES: ctx comes from WrapBody. The body (Content-Length or chunked),
  // read only up to --max-body: past it, reading stops at once and the
  // answer is 413 (ResourceExhausted); a malformed body is InvalidArgument.
  Result<std::string> ReadBody(const httplib::Request& req, Ctx& ctx);
  // Pre-routing: a request to any other route that announces a chunked body
  // (411) or a Content-Length over --max-body (413) is answered before any
  // of its body is read, and its connection closed.
  httplib::Server::HandlerResponse GuardBody(const httplib::Request& req, httplib::Response& res);
  // `ctx.reader` is set by the caller.
  Status Serve(const httplib::Request& req, httplib::Response& res, Ctx& ctx, const Fn& fn,
               bool anonymous_ok);

  // log_handlers.cc
  Status Entries(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  Status History(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  Status Inclusion(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  Status Consistency(const httplib::Request& req, httplib::Response& res, Ctx& ctx);

  // entity_handlers.cc
  // An EntityLookup over `r` that remembers each (kind, id) in `cache`, for
  // the life of one request.
  static EntityLookup CachedLookup(
      registry::Registry& r,
      std::map<std::pair<std::string, std::string>, std::optional<nlohmann::json>>& cache);
  Status List(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
              const std::string& kind);
  Status GetOne(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
                const std::string& kind, const std::string& id);
  Status EumDue(const httplib::Request& req, httplib::Response& res, Ctx& ctx);

  // report_handlers.cc
  Status Report(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
                const registry::ReportSpec& spec);

  // event_handlers.cc
  Status PrepareEvent(const Principal& who, registry::Submission& sub);
  Status PostEvents(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  Status DryRunEvents(httplib::Response& res, Ctx& ctx,
                      const std::vector<registry::Submission>& events);
  // GET /v1/event-types: the body schema of every event type, for forms.
  Status EventTypes(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  Status LoadPartyKeys();

  // tlog_handlers.cc: the C2SP routes (/tlog/...) and the public checkpoints.
  // Like Wrap, but a request without an Authorization header is an anonymous
  // caller whatever --public-reports says (a token given is still checked).
  httplib::Server::Handler WrapPublic(Fn fn);
  // Loads --witness-key and --witness-log and opens the witness's state.
  Status SetUpWitness();
  // Loads --policy and starts gathering cosignatures (api/gatherer.h).
  Status SetUpGatherer();
  void TlogRoutes();
  Status Checkpoint(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  Status CheckpointOfSize(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  Status TlogTile(const httplib::Request& req, httplib::Response& res, Ctx& ctx);
  void AddCheckpoint(const httplib::Request& req, httplib::Response& res);

  // server.cc
  void Routes();
  void Configure();
};

// The routes TlogRoutes() registers, for Routes() (tlog_handlers.cc).
std::vector<RouteInfo> TlogRouteInfo();

// {"recorded":[{"index","type","subject"}...]}: the answer to a successful
// POST /v1/events, also stored for its Idempotency-Key (event_handlers.cc).
nlohmann::json RecordedJson(const WriteOutcome& o);

// Sends `res` as it stands, then closes the connection instead of reading
// another request from it (auth.cc): for answers given while the client may
// still be sending a body.
void CloseAfter(httplib::Response& res);

// Headers on every answer (auth.cc): X-Content-Type-Options: nosniff;
// Cache-Control: no-store on /v1 (tokens' data must not be cached); a
// Content-Security-Policy and X-Frame-Options: DENY on the web UI's files.
void SecurityHeaders(const httplib::Request& req, httplib::Response& res);

}  // namespace accord::api
