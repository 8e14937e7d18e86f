#include "cli/serve_commands.h"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/server.h"
#include "api/store.h"
#include "cli/io.h"
#include "cli/table.h"
#include "domain/entity_kinds.h"
#include "registry/registry.h"

namespace accord::cli {
namespace {

int64_t Now() {
  return static_cast<int64_t>(std::time(nullptr));
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = listen.substr(0, colon);
  std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return Status::InvalidArgument("--listen: port \"" + port + "\" must be 0-65535");
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, std::stoi(port));
}

// Opens the registry (checking it is one) and its API tables.
Result<std::unique_ptr<api::ApiStore>> OpenStore(const std::string& db) {
  ASSIGN_OR_RETURN(auto r, registry::Registry::Open(db, /*writable=*/false));
  return api::ApiStore::Open(db);
}

// InvalidArgument unless the registry at `db` holds entity `kind`/`id`.
Status CheckRegistered(const std::string& db, const std::string& kind, const std::string& id,
                       const std::string& option) {
  ASSIGN_OR_RETURN(auto r, registry::Registry::Open(db, /*writable=*/false));
  ASSIGN_OR_RETURN(auto doc, r->Get(kind, id));
  if (doc) return Status::Ok();
  return Status::InvalidArgument(
      option + ": the registry has no " + kind + " \"" + id + "\" (see `accord show " +
      std::string(domain::FindKind(kind)->plural) + " --db " + db + "`)");
}

}  // namespace

int RunServe(const ServeOptions& o) {
  auto listen = ParseListen(o.listen);
  if (!listen.ok()) return Fail(listen.status());
  api::ServerOptions so;
  so.db = o.db;
  so.host = listen->first;
  so.port = listen->second;
  so.tls_cert = o.tls_cert;
  so.tls_key = o.tls_key;
  so.party_keys_dir = o.party_keys;
  so.static_dir = o.static_dir;
  so.threads = o.threads;
  so.rate_per_second = o.rate;
  so.rate_burst = o.burst;
  so.max_body_bytes = o.max_body;
  so.group_commit = !o.no_group_commit;
  so.public_reports = o.public_reports;
  so.witness_key_file = o.witness_key;
  so.witness_log_files = o.witness_logs;
  so.insecure_http = o.insecure_http;
  so.read_db = o.read_db;
  so.policy_file = o.policy;
  so.cosign_timeout_ms = static_cast<int>(o.cosign_timeout * 1000);
  so.log = [](const std::string& line) { std::cerr << ("accord: " + line + "\n") << std::flush; };

  // SIGINT and SIGTERM are taken by one thread (sigwait): every thread the
  // server starts inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = api::Server::Create(std::move(so));
  if (!server.ok()) return Fail(server.status());
  if (Status s = (*server)->Bind(); !s.ok()) return Fail(s);
  std::cerr << "serving " << (o.tls_cert.empty() ? "http" : "https") << "://" << listen->first
            << ":" << (*server)->port() << std::endl;

  std::atomic<bool> done{false};
  api::Server* srv = server->get();
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (done) return;
    std::cerr << "accord: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
              << ": finishing in-flight requests" << std::endl;
    // Stop() is a no-op until the server runs; repeat until Run() returns.
    while (!done) {
      srv->Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  Status s = (*server)->Run();
  done = true;
  // Wakes the waiter's sigwait() when no signal came; the signal is blocked in
  // every thread, so it is consumed by sigwait and terminates nothing.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  server->reset();
  if (!s.ok()) return Fail(s);
  std::cerr << "accord: stopped" << std::endl;
  return kExitOk;
}

int RunUserAdd(const UserAddOptions& o) {
  auto role = api::ParseRole(o.role);
  if (!role.ok()) return Fail(role.status());
  auto store = OpenStore(o.db);
  if (!store.ok()) return Fail(store.status());
  if (Status s = CheckRegistered(o.db, "party", o.party, "--party"); !s.ok()) return Fail(s);
  auto token = (*store)->AddUser(o.name, o.party, *role, Now());
  if (!token.ok()) return Fail(token.status());
  std::cout << *token << "\n";
  std::cerr << "user " << o.name << " (" << o.role << " of " << o.party
            << "): the token above is shown only now; keep it secret\n";
  return kExitOk;
}

int RunUserList(const UserListOptions& o) {
  auto store = OpenStore(o.db);
  if (!store.ok()) return Fail(store.status());
  auto users = (*store)->ListUsers();
  if (!users.ok()) return Fail(users.status());
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const api::UserInfo& u : *users) {
      list.push_back(
          {{"name", u.name},
           {"party", u.party},
           {"role", api::RoleName(u.role)},
           {"created", u.created},
           {"revoked", u.revoked.empty() ? nlohmann::json(nullptr) : nlohmann::json(u.revoked)},
           {"agreements", u.agreements}});
    }
    std::cout << list.dump(2) << "\n";
    return kExitOk;
  }
  Table t({"name", "party", "role", "created", "revoked", "agreements"});
  for (const api::UserInfo& u : *users) {
    std::string agreements;
    for (const std::string& a : u.agreements) agreements += (agreements.empty() ? "" : ",") + a;
    t.Add({u.name, u.party, std::string(api::RoleName(u.role)), u.created,
           u.revoked.empty() ? "-" : u.revoked, agreements.empty() ? "-" : agreements});
  }
  std::cout << t.Render();
  return kExitOk;
}

int RunUserRevoke(const UserNameOptions& o) {
  auto store = OpenStore(o.db);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->RevokeUser(o.name, Now()); !s.ok()) return Fail(s);
  std::cerr << "revoked " << o.name << "\n";
  return kExitOk;
}

int RunUserAssign(const UserAssignOptions& o) {
  auto store = OpenStore(o.db);
  if (!store.ok()) return Fail(store.status());
  if (Status s = CheckRegistered(o.db, "agreement", o.agreement, "--agreement"); !s.ok()) {
    return Fail(s);
  }
  if (Status s = (*store)->AssignAgreement(o.name, o.agreement); !s.ok()) return Fail(s);
  std::cerr << o.name << " may read agreement " << o.agreement << "\n";
  return kExitOk;
}

}  // namespace accord::cli
