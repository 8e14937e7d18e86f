// `accord serve`: the REST/JSON API under /v1 over a registry file.
//
// HTTP worker threads authenticate, authorize (api/authz.h) and read through
// their own read-only Registry connections; every write goes through the one
// Sequencer (api/sequencer.h). The HTTP library stays inside src/api's own
// files (server_impl.h and the handlers); this header does not include it.
// Every entity kind of domain/entity_kinds.h is served as a collection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "registry/registry.h"
#include "util/status.h"

namespace accord::api {

struct ServerOptions {
  std::string db;
  std::string host = "127.0.0.1";
  int port = 8080;                // 0: any free port (see Server::port())
  std::string tls_cert, tls_key;  // both or neither
  // Directory of <party>.skey files (e.g. ru.skey): the node signs events
  // submitted unsigned by a party's users with that party's key.
  std::string party_keys_dir;
  // Web UI files served under / (optional).
  std::string static_dir;

  size_t threads = 64;  // worker threads = concurrent keep-alive connections
  int backlog = 1024;
  size_t max_body_bytes = 8 << 20;
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  int keep_alive_timeout_s = 30;
  size_t keep_alive_max_requests = 100000;
  size_t page_limit_default = 100;
  size_t page_limit_max = 500;
  size_t entries_max = 1000;
  size_t max_batch_events = 10000;  // events in one POST
  // Per-token rate limit: a bucket of `rate_burst` requests refilled at
  // `rate_per_second`. 0 disables it.
  double rate_per_second = 200;
  double rate_burst = 400;
  bool group_commit = true;
  // Lets the report endpoints be read without a token, as an anonymous
  // observer (aggregate and public forms only; see api/authz.h).
  bool public_reports = false;
  // Plain HTTP (no tls_cert) is served only on a loopback address
  // (127.0.0.0/8, ::1, localhost) unless this is set: off loopback, bearer
  // tokens and events would cross the network in clear.
  bool insecure_http = false;

  // The witness (POST /tlog/add-checkpoint, log/witness.h): its signing key
  // file (.skey; not the log's key) and the verifier key files (.vkey) of
  // the logs it witnesses. Both or neither.
  std::string witness_key_file;
  std::vector<std::string> witness_log_files;

  // A PostgreSQL hot standby of `db` (a postgresql:// URI; "" for none):
  // GET requests read there, writes and everything a POST reads go to `db`.
  // With synchronous_commit=on the standby holds every acknowledged event;
  // it shows it once replayed (remote_apply makes that part of the commit).
  std::string read_db;
  // The sequencer gathers cosignatures (api/gatherer.h): after each commit
  // it asks the witnesses of this C2SP tlog-policy file (those with a URL)
  // to cosign the latest checkpoint, and stores their cosignatures with it.
  // Empty: no gathering.
  std::string policy_file;
  int cosign_timeout_ms = 5000;  // one exchange with one witness, its retry included

  // Diagnostics, one line each (e.g. a witness failing); null: silent.
  std::function<void(const std::string&)> log;

  registry::Options registry;
  std::function<int64_t()> clock;
};

// True if `host` is a loopback address: 127.0.0.0/8, ::1 (also
// IPv4-mapped) or "localhost".
bool IsLoopbackHost(const std::string& host);

// One route as the OpenAPI document names it, e.g. {"get", "/v1/{kind}"}.
struct RouteInfo {
  std::string method;
  std::string path;
};
// Every route the server registers.
std::vector<RouteInfo> Routes();
// The OpenAPI document served at /v1/openapi.json (docs/openapi.json,
// compiled in).
const std::string& OpenApiDocument();

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(ServerOptions options);
  ~Server();

  // Binds the listening socket; after this, port() is known.
  Status Bind();
  int port() const;
  // Serves until Stop(); then lets in-flight requests finish and stops the
  // sequencer after the writes queued so far have committed.
  Status Run();
  // Safe from any thread (not from a signal handler).
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace accord::api
