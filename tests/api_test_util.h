// Shared set-up of the HTTP API tests (tests/api_*_test.cc): a demo registry
// with users of every role behind an in-process server on an ephemeral
// loopback port (clients are cpp-httplib), the JSON error check, and a
// fixture whose test suite shares one server. Each suite gets its own server,
// so the areas do not see each other's writes.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "api/authz.h"
#include "api/disclosure.h"
#include "api/server.h"
#include "api/store.h"
#include "domain/envelope.h"
#include "note/note.h"
#include "storage/conformance/backends.h"
#include "storage/database.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing {

using nlohmann::json;
namespace fs = std::filesystem;

inline std::string BodyEvent(const std::string& party, const std::string& id,
                             const std::string& type = "body.registered") {
  json e = {
      {"v", 1},
      {"type", type},
      {"time", "2023-01-01T00:00:00Z"},
      {"party", party},
      {"actor", "test/officer"},
      {"subject", "body/" + id},
      {"body", {{"party", party}, {"kind", "enterprise"}, {"name", "Plant " + id}, {"city", "X"}}}};
  return e.dump();
}

// Read from any backend (a file path or a postgresql:// URI).
inline uint64_t LogSize(const std::string& db) {
  auto store = storage::OpenDatabase(db);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return 0;
  auto n = (*store)->log().Size();
  return n.ok() ? *n : 0;
}

inline int64_t CheckpointCount(const std::string& db) {
  auto store = storage::OpenDatabase(db);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return 0;
  int64_t n = 0;
  EXPECT_TRUE((*store)
                  ->log()
                  .ScanCheckpoints([&](uint64_t, std::string_view) {
                    ++n;
                    return Status::Ok();
                  })
                  .ok());
  return n;
}

// A raw HTTP/1.1 request (for paths a client library would normalise).
inline std::string RawRequest(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  (void)!write(fd, request.data(), request.size());
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

struct Users {
  std::map<std::string, std::string> token;  // by user name
};

// One demo registry, users of every role, and a running server. The
// registry is the file d.db, or the PostgreSQL database at `locator` (its
// keys in the temporary directory, d.keys linked to its party keys).
class ApiServer {
 public:
  explicit ApiServer(std::function<void(api::ServerOptions&)> tweak = nullptr,
                     const std::string& locator = "")
      : ApiServer(std::move(tweak), [&locator](const TempDir& t, const std::string& stem) {
          return locator.empty() ? t / (stem + ".db") : locator;
        }) {}
  // The registry at fresh(the server's temporary directory, "d"), as a
  // storage::conformance::BackendCase makes one.
  ApiServer(std::function<void(api::ServerOptions&)> tweak,
            const std::function<std::string(const TempDir&, const std::string&)>& fresh) {
    db = fresh(tmp, "d");
    CommandResult r = Accord({"demo", "--db", db, "--key-dir", dir.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (db.find("://") != std::string::npos) {
      std::string name = db.substr(db.rfind('/') + 1);
      fs::create_directory_symlink(dir / (name + ".keys"), dir / "d.keys");
    }
    auto store = api::ApiStore::Open(db);
    EXPECT_TRUE(store.ok());
    auto add = [&](const std::string& name, const std::string& party, api::Role role) {
      auto t = (*store)->AddUser(name, party, role, 1700000000);
      EXPECT_TRUE(t.ok()) << t.status().ToString();
      users.token[name] = *t;
    };
    add("ru-officer", "RU", api::Role::kOfficer);
    add("uz-officer", "UZ", api::Role::kOfficer);
    add("kz-officer", "KZ", api::Role::kOfficer);
    add("ru-inspector", "RU", api::Role::kInspector);
    add("auditor", "UZ", api::Role::kAuditor);
    add("auditor-none", "UZ", api::Role::kAuditor);
    add("observer", "XX", api::Role::kObserver);
    add("admin", "RU", api::Role::kAdmin);
    add("revoked", "RU", api::Role::kOfficer);
    EXPECT_TRUE((*store)->AssignAgreement("auditor", "RU-UZ-2016-MTC").ok());
    EXPECT_TRUE((*store)->RevokeUser("revoked", 1700000001).ok());
    fs::create_directories(dir / "static");
    WriteFile(dir / "static/index.html", "<html>accord</html>");
    WriteFile(dir / "secret.txt", "SECRET");

    api::ServerOptions o;
    o.db = db;
    o.port = 0;
    o.party_keys_dir = dir / "d.keys";
    o.static_dir = dir / "static";
    o.threads = 16;
    o.max_body_bytes = 64 << 10;
    o.rate_per_second = 0;
    if (tweak) tweak(o);
    auto s = api::Server::Create(o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    server = std::move(s).value();
    EXPECT_TRUE(server->Bind().ok());
    port = server->port();
    thread = std::thread([this] { EXPECT_TRUE(server->Run().ok()); });
  }
  ~ApiServer() {
    server->Stop();
    thread.join();
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    return c;
  }
  httplib::Headers Auth(const std::string& user) const {
    return {{"Authorization", "Bearer " + users.token.at(user)}};
  }
  httplib::Result Get(const std::string& user, const std::string& path) const {
    auto c = Client();
    return user.empty() ? c.Get(path) : c.Get(path, Auth(user));
  }
  httplib::Result Post(const std::string& user, const std::string& body,
                       const std::string& ctype = "application/json",
                       httplib::Headers extra = {}) const {
    auto c = Client();
    httplib::Headers h = Auth(user);
    for (auto& kv : extra) h.insert(kv);
    return c.Post("/v1/events", h, body, ctype);
  }

  TempDir tmp;
  fs::path dir{tmp.path()};
  std::string db;
  Users users;
  std::unique_ptr<api::Server> server;
  int port = 0;
  std::thread thread;
};

// The error shape every 4xx/5xx has.
inline void ExpectError(const httplib::Result& r, int status, const std::string& code = "") {
  ASSERT_TRUE(r) << "no response";
  EXPECT_EQ(r->status, status) << r->body;
  json j = json::parse(r->body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r->body;
  ASSERT_TRUE(j.contains("error")) << r->body;
  EXPECT_TRUE(j["error"]["code"].is_string()) << r->body;
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty()) << r->body;
  if (!code.empty()) {
    EXPECT_EQ(j["error"]["code"], code) << r->body;
  }
}

// One server for the whole test suite of a fixture derived from this one.
class ApiServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_ = new ApiServer(); }
  static void TearDownTestSuite() {
    delete s_;
    s_ = nullptr;
  }
  static inline ApiServer* s_ = nullptr;
};

// As ApiServerTest, once per storage backend: the suite shares one server per
// backend (INSTANTIATE_TEST_SUITE_P over storage::conformance::Backends()).
class ApiServerParamTest : public ::testing::TestWithParam<storage::conformance::BackendCase> {
 protected:
  static void TearDownTestSuite() { servers_.clear(); }
  void SetUp() override {
    ACCORD_SKIP_UNAVAILABLE_BACKEND();
    std::unique_ptr<ApiServer>& server = servers_[GetParam().name];
    if (!server) server = std::make_unique<ApiServer>(nullptr, GetParam().fresh);
    s_ = server.get();
  }
  static inline std::map<std::string, std::unique_ptr<ApiServer>> servers_;
  ApiServer* s_ = nullptr;
};

// Runs the ApiServerParamTest fixture FIXTURE on every backend.
#define ACCORD_API_ON_EVERY_BACKEND(FIXTURE)                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, FIXTURE,                                     \
                           ::testing::ValuesIn(storage::conformance::Backends()), \
                           storage::conformance::CaseName)

}  // namespace accord::testing
