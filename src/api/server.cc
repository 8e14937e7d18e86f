// api::Server: the routes (every entity kind of domain/entity_kinds.h gets
// its two), the HTTP library's configuration and error pages, and start and
// stop. The handlers live in *_handlers.cc, authentication in auth.cc (see
// api/server_impl.h).
#include "api/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "api/http_util.h"
#include "api/server_impl.h"
#include "domain/entity_kinds.h"

namespace accord::api {

using nlohmann::json;

std::vector<RouteInfo> Routes() {
  std::vector<RouteInfo> out = {{"get", "/v1/health"},
                                {"get", "/v1/me"},
                                {"get", "/v1/openapi.json"},
                                {"get", "/v1/log/checkpoint"},
                                {"get", "/v1/log/entries"},
                                {"get", "/v1/log/history"},
                                {"get", "/v1/log/proof/inclusion"},
                                {"get", "/v1/log/proof/consistency"},
                                {"post", "/v1/events"},
                                {"get", "/v1/event-types"},
                                {"get", "/v1/eum/due"}};
  for (RouteInfo& r : TlogRouteInfo()) out.push_back(std::move(r));
  for (const domain::EntityKind& kind : domain::EntityKinds()) {
    std::string name(kind.plural);
    out.push_back({"get", "/v1/" + name});
    out.push_back({"get", "/v1/" + name + "/{id}"});
  }
  for (const registry::ReportSpec& r : registry::Reports()) {
    out.push_back({"get", "/v1/reports/" + r.name});
  }
  return out;
}

void Server::Impl::Routes() {
  httplib::Server& s = *http;
  s.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
    SetJson(res, {{"status", "ok"}});
  });
  // Who the token is: the web UI's header shows it.
  s.Get("/v1/me", Wrap([](const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
          RETURN_IF_ERROR(CheckParams(req, {}));
          SetJson(res, {{"user", ctx.who.user},
                        {"party", ctx.who.party},
                        {"role", std::string(RoleName(ctx.who.role))}});
          return Status::Ok();
        }));
  s.Get("/v1/openapi.json", Wrap([](const httplib::Request& req, httplib::Response& res, Ctx&) {
          RETURN_IF_ERROR(CheckParams(req, {}));
          res.set_content(OpenApiDocument(), "application/json");
          return Status::Ok();
        }));
  auto bind = [this](Status (Impl::*m)(const httplib::Request&, httplib::Response&, Ctx&)) {
    return Wrap([this, m](const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
      return (this->*m)(req, res, ctx);
    });
  };
  s.Get("/v1/log/entries", bind(&Impl::Entries));
  s.Get("/v1/log/history", bind(&Impl::History));
  s.Get("/v1/log/proof/inclusion", bind(&Impl::Inclusion));
  s.Get("/v1/log/proof/consistency", bind(&Impl::Consistency));
  PostWithBody("/v1/events", [this](const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
    return PostEvents(req, res, ctx);
  });
  s.Get("/v1/event-types", bind(&Impl::EventTypes));
  s.Get("/v1/eum/due", bind(&Impl::EumDue));
  TlogRoutes();
  for (const registry::ReportSpec& spec : registry::Reports()) {
    const registry::ReportSpec* p = &spec;
    s.Get("/v1/reports/" + spec.name,
          Wrap([this, p](const httplib::Request& req, httplib::Response& res,
                         Ctx& ctx) { return Report(req, res, ctx, *p); },
               /*anonymous_ok=*/true));
  }
  for (const domain::EntityKind& kind : domain::EntityKinds()) {
    std::string name(kind.plural), k(kind.name);
    s.Get("/v1/" + name, Wrap([this, k](const httplib::Request& req, httplib::Response& res,
                                        Ctx& ctx) { return List(req, res, ctx, k); }));
    s.Get("/v1/" + name + "/(.+)",
          Wrap([this, k](const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
            return GetOne(req, res, ctx, k, req.matches[1].str());
          }));
  }
}

void Server::Impl::Configure() {
  httplib::Server& s = *http;
  size_t threads = std::max<size_t>(1, o.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(o.keep_alive_max_requests);
  s.set_keep_alive_timeout(o.keep_alive_timeout_s);
  s.set_read_timeout(o.read_timeout_s, 0);
  s.set_write_timeout(o.write_timeout_s, 0);
  s.set_payload_max_length(o.max_body_bytes);
  s.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return GuardBody(req, res); });
  s.set_post_routing_handler(SecurityHeaders);
  // Replaces the default options (SO_REUSEADDR) and remembers the listening
  // socket: the library's compiled-in listen backlog is 5, so Bind() calls
  // listen() again with ours.
  s.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });
  s.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.content_provider_) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        switch (res.status) {
          case 404:
            if (req.path.starts_with("/v1/reports/")) {
              std::string names;
              for (const registry::ReportSpec& r : registry::Reports()) {
                names += (names.empty() ? "" : ", ") + r.name;
              }
              SetError(res, 404, "not_found",
                       "no report \"" + req.path.substr(std::string("/v1/reports/").size()) +
                           "\"; the reports are " + names);
              break;
            }
            SetError(res, 404, "not_found", "no route " + req.method + " " + req.path);
            break;
          case 413:
            SetError(res, 413, "payload_too_large", "the request body is too large");
            break;
          case 414:
            SetError(res, 414, "uri_too_long", "the request URI is too long");
            break;
          case 405:
            SetError(res, 405, "method_not_allowed", "method " + req.method + " is not allowed");
            break;
          default:
            SetError(res, res.status, res.status < 500 ? "bad_request" : "internal",
                     res.status < 500 ? "the request is malformed" : "internal error");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = std::string("internal error: ") + e.what();
        } catch (...) {
        }
        SetError(res, 500, "internal", what);
      });
  if (!o.static_dir.empty()) s.set_mount_point("/", o.static_dir);
}

Status Server::Impl::SetUpStandby() {
  if (o.read_db.empty()) return Status::Ok();
  auto postgres = [](const std::string& locator) {
    auto backend = storage::BackendOf(locator);
    return backend.ok() && *backend == storage::Backend::kPostgres;
  };
  if (!postgres(o.db) || !postgres(o.read_db)) {
    return Status::InvalidArgument(
        "--read-db is a PostgreSQL hot standby of --db: both must be postgresql:// URIs");
  }
  standby_readers = std::make_unique<ReaderPool>(o.read_db, o.registry);
  auto standby = standby_readers->Acquire();
  if (!standby.ok()) return standby.status().WithContext("--read-db");
  ASSIGN_OR_RETURN(auto primary, readers->Acquire());
  // A standby of another registry would answer with another log.
  note::VerifierKey mine = primary->registry->log().verifier();
  note::VerifierKey theirs = (*standby)->registry->log().verifier();
  readers->Release(std::move(primary));
  standby_readers->Release(std::move(standby).value());
  if (mine.name != theirs.name || mine.public_key != theirs.public_key) {
    return Status::InvalidArgument("--read-db holds the log " + theirs.Encode() +
                                   ", --db the log " + mine.Encode() +
                                   ": --read-db must be a standby of --db");
  }
  return Status::Ok();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  if (impl_ && impl_->http) impl_->http->stop();
  if (impl_ && impl_->sequencer) impl_->sequencer->Stop();
  if (impl_ && impl_->gatherer) impl_->gatherer->Stop();
}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->o = std::move(options);
  Impl& m = *impl;
  if (m.o.tls_cert.empty() != m.o.tls_key.empty()) {
    return Status::InvalidArgument("--tls-cert and --tls-key go together");
  }
  RETURN_IF_ERROR(CheckPlainHttp(m.o));
  RETURN_IF_ERROR(m.LoadPartyKeys());
  m.readers = std::make_unique<ReaderPool>(m.o.db, m.o.registry);
  // Opening one reader first checks the file is a registry and creates the
  // API tables.
  ASSIGN_OR_RETURN(auto first, m.readers->Acquire());
  m.mirror_of = first->registry->mirror_of();
  m.readers->Release(std::move(first));
  if (m.mirror_of && !m.o.policy_file.empty()) {
    return Status::InvalidArgument("--policy: " + m.o.db + " is a mirror of " + *m.mirror_of +
                                   "; cosignatures are gathered by the sequencer");
  }
  RETURN_IF_ERROR(m.SetUpStandby());
  SequencerOptions so;
  so.db = m.o.db;
  so.registry = m.o.registry;
  so.max_batch_requests = m.o.group_commit ? 100000 : 1;
  so.clock = m.o.clock;
  so.render = [](const WriteRequest&, const WriteOutcome& out) {
    return IdempotentResponse{"", 201, Dump(RecordedJson(out))};
  };
  RETURN_IF_ERROR(m.SetUpWitness());
  RETURN_IF_ERROR(m.SetUpGatherer());
  if (Gatherer* g = m.gatherer.get()) so.committed = [g] { g->Notify(); };
  // A mirror's log is written by `accord mirror` only: no sequencer, and
  // POST /v1/events is refused (event_handlers.cc).
  if (!m.mirror_of) {
    ASSIGN_OR_RETURN(m.sequencer, Sequencer::Start(std::move(so)));
  }
  if (!m.o.tls_cert.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(m.o.tls_cert.c_str(), m.o.tls_key.c_str());
    if (!tls->is_valid()) {
      return Status::InvalidArgument("cannot load --tls-cert " + m.o.tls_cert + " / --tls-key " +
                                     m.o.tls_key);
    }
    m.http = std::move(tls);
  } else {
    m.http = std::make_unique<httplib::Server>();
  }
  m.limiter = std::make_unique<RateLimiter>(m.o.rate_per_second, m.o.rate_burst);
  m.Configure();
  m.Routes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Bind() {
  Impl& m = *impl_;
  if (m.o.port == 0) {
    m.port = m.http->bind_to_any_port(m.o.host);
    if (m.port <= 0) return Status::IoError("cannot listen on " + m.o.host + " (any port)");
  } else {
    if (!m.http->bind_to_port(m.o.host, m.o.port)) {
      return Status::IoError("cannot listen on " + m.o.host + ":" + std::to_string(m.o.port));
    }
    m.port = m.o.port;
  }
  if (m.listen_fd >= 0) ::listen(m.listen_fd, m.o.backlog);
  m.bound = true;
  return Status::Ok();
}

int Server::port() const {
  return impl_->port;
}

Status Server::Run() {
  Impl& m = *impl_;
  if (!m.bound) RETURN_IF_ERROR(Bind());
  bool ok = m.http->listen_after_bind();
  // Every worker has finished its request; let the queued writes commit.
  if (m.sequencer) m.sequencer->Stop();
  if (m.gatherer) m.gatherer->Stop();
  if (!ok) return Status::IoError("the HTTP server stopped with an error");
  return Status::Ok();
}

void Server::Stop() {
  impl_->http->stop();
}

}  // namespace accord::api
