// The HTTP API (src/api) end to end, the server as a whole: health,
// authentication, the OpenAPI document, static files, limits (rate, group
// commit off, TLS) and the built `accord serve` process (SIGTERM, kill -9,
// --public-reports). The other areas: api_log_test.cc, api_entities_test.cc,
// api_events_test.cc, api_reports_test.cc; shared set-up in api_test_util.h.
#include "api_test_util.h"
#include "storage/sqlite/log_store.h"

namespace accord::testing {
namespace {

class ApiTest : public ApiServerTest {};

TEST_F(ApiTest, HealthNeedsNoToken) {
  auto r = s_->Get("", "/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["status"], "ok");
}

TEST_F(ApiTest, MeSaysWhoTheTokenIs) {
  auto r = s_->Get("ru-officer", "/v1/me");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body),
            json({{"user", "ru-officer"}, {"party", "RU"}, {"role", "officer"}}));
  r = s_->Get("observer", "/v1/me");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["role"], "observer");
  ExpectError(s_->Get("", "/v1/me"), 401, "unauthenticated");
  ExpectError(s_->Get("ru-officer", "/v1/me?user=admin"), 400);
}

TEST_F(ApiTest, MissingBadAndRevokedTokensAre401) {
  auto r = s_->Get("", "/v1/log/entries");
  ExpectError(r, 401, "unauthenticated");
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
  auto c = s_->Client();
  ExpectError(c.Get("/v1/contracts", {{"Authorization", "Bearer nope"}}), 401);
  ExpectError(c.Get("/v1/contracts", {{"Authorization", "Basic abc"}}), 401);
  // Right id, wrong secret.
  std::string t = s_->users.token["ru-officer"];
  t.back() = t.back() == 'A' ? 'B' : 'A';
  ExpectError(c.Get("/v1/contracts", {{"Authorization", "Bearer " + t}}), 401);
  auto revoked = s_->Get("revoked", "/v1/contracts");
  ExpectError(revoked, 401);
  EXPECT_NE(revoked->body.find("revoked"), std::string::npos);
}

TEST_F(ApiTest, EveryRouteIsInTheOpenApiDocument) {
  // Not __FILE__: with ccache's base directory it is relative to the build.
  fs::path doc_path = fs::path(ACCORD_SOURCE_DIR) / "docs/openapi.json";
  json doc = json::parse(ReadFile(doc_path));
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::pair<std::string, std::string>> routes, documented;
  for (const api::RouteInfo& r : api::Routes()) {
    routes.insert({r.method, r.path});
    EXPECT_TRUE(doc["paths"].contains(r.path)) << r.path;
    if (doc["paths"].contains(r.path)) {
      EXPECT_TRUE(doc["paths"][r.path].contains(r.method)) << r.method << " " << r.path;
    }
  }
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) documented.insert({method, path});
  }
  EXPECT_EQ(routes, documented);
  // Served, and the same document.
  auto r = s_->Get("observer", "/v1/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body), doc);
}

TEST_F(ApiTest, StaticFilesWithoutTraversal) {
  auto r = s_->Get("", "/index.html");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<html>accord</html>");
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                           "/static/../../secret.txt", "/%2e%2e%2fsecret.txt"}) {
    std::string resp = RawRequest(
        s_->port, std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    SCOPED_TRACE(path);
    ASSERT_FALSE(resp.empty());
    EXPECT_EQ(resp.find("SECRET"), std::string::npos) << resp;
    EXPECT_EQ(resp.rfind("HTTP/1.1 4", 0), 0u) << resp;
  }
}

TEST(ApiLimitsTest, RateLimitAnswers429WithRetryAfter) {
  ApiServer s([](api::ServerOptions& o) {
    o.rate_per_second = 0.5;
    o.rate_burst = 3;
  });
  int ok = 0;
  for (int i = 0; i < 4; ++i) {
    if (s.Get("ru-officer", "/v1/parties")->status == 200) ++ok;
  }
  EXPECT_EQ(ok, 3);
  auto last = s.Get("ru-officer", "/v1/parties");
  ExpectError(last, 429, "rate_limited");
  EXPECT_GE(std::stoi(last->get_header_value("Retry-After")), 1);
  // Another token has its own bucket.
  EXPECT_EQ(s.Get("uz-officer", "/v1/parties")->status, 200);
}

TEST(ApiLimitsTest, OneTransactionPerRequestWithoutGroupCommit) {
  ApiServer s([](api::ServerOptions& o) { o.group_commit = false; });
  int64_t before = CheckpointCount(s.db);
  std::vector<std::thread> threads;
  for (int c = 0; c < 8; ++c) {
    threads.emplace_back([&, c] {
      for (int i = 0; i < 4; ++i) {
        auto r = s.Post("ru-officer", BodyEvent("RU", "ng-" + std::to_string(c * 10 + i)));
        EXPECT_EQ(r->status, 201);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(CheckpointCount(s.db) - before, 32);
}

// Issue #14, Low-medium 8: `--listen 0.0.0.0:...` without TLS was served
// silently.
TEST(ApiLimitsTest, PlainHttpOffLoopbackIsRefusedUnlessInsecureHttp) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "localhost"}) {
    EXPECT_TRUE(api::IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.1", "::ffff:10.0.0.1",
                           "example.org", "128.0.0.1", ""}) {
    EXPECT_FALSE(api::IsLoopbackHost(host)) << host;
  }
  TempDir tmp;
  for (const char* host : {"0.0.0.0", "::"}) {
    api::ServerOptions o;
    o.db = tmp / "none.db";  // refused before the database is opened
    o.host = host;
    auto s = api::Server::Create(o);
    ASSERT_FALSE(s.ok()) << host;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.status().message().find("--insecure-http"), std::string::npos)
        << s.status().message();
    EXPECT_NE(s.status().message().find("unencrypted"), std::string::npos);
    // With the flag, it gets past the check (to the missing database).
    o.insecure_http = true;
    s = api::Server::Create(o);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().message().find("--insecure-http"), std::string::npos)
        << s.status().message();
  }
  CommandResult r = Accord({"serve", "--db", tmp / "none.db", "--listen", "0.0.0.0:0"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "refusing plain HTTP on 0.0.0.0")) << r.err;
  r = Accord({"serve", "--db", tmp / "none.db", "--listen", "[::]:0"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
}

// Issue #14, minor: users for parties and agreements the registry does not
// know were accepted.
TEST(ApiUserCommands, UnknownPartyOrAgreementIsRefused) {
  TempDir tmp;
  std::string db = tmp / "d.db";
  ASSERT_EQ(Accord({"demo", "--db", db}).exit_code, 0);
  CommandResult r = Accord({"user", "add", "x", "--party", "XX", "--role", "officer", "--db", db});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "--party: the registry has no party \"XX\"")) << r.err;
  EXPECT_TRUE(Contains(r.err, "`accord show parties --db")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = Accord({"user", "add", "a", "--party", "UZ", "--role", "auditor", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  r = Accord({"user", "assign", "a", "--agreement", "NOPE", "--db", db});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no agreement \"NOPE\"")) << r.err;
  r = Accord({"user", "assign", "a", "--agreement", "RU-UZ-2016-MTC", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  r = Accord({"user", "list", "--db", db});
  EXPECT_FALSE(Contains(r.out, "XX")) << r.out;
}

TEST(ApiLimitsTest, ServesHttpsWithTlsCertAndKey) {
  TempDir tmp;
  CommandResult gen = accord::testing::Run(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout",
       tmp / "key.pem", "-out", tmp / "cert.pem", "-days", "1", "-subj", "/CN=127.0.0.1"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ApiServer s([&](api::ServerOptions& o) {
    o.tls_cert = tmp / "cert.pem";
    o.tls_key = tmp / "key.pem";
  });
  httplib::SSLClient cli("127.0.0.1", s.port);
  cli.enable_server_certificate_verification(false);
  auto r = cli.Get("/v1/contracts", s.Auth("admin"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // Plain HTTP on the TLS port gets no response.
  EXPECT_FALSE(s.Client().Get("/v1/health"));
  // Half a TLS configuration is refused.
  api::ServerOptions half;
  half.db = s.db;
  half.tls_cert = tmp / "cert.pem";
  EXPECT_FALSE(api::Server::Create(half).ok());
}

// --- The built binary ------------------------------------------------------

struct Child {
  pid_t pid = -1;
  int port = 0;
};

// Starts `accord serve` on a free port; waits for "serving".
Child StartServe(const std::vector<std::string>& args, const std::string& err_file) {
  Child c;
  c.pid = fork();
  if (c.pid == 0) {
    FILE* f = freopen(err_file.c_str(), "w", stderr);
    (void)f;
    std::vector<char*> argv;
    std::string bin = ACCORD_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  for (int i = 0; i < 500 && c.port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string err = ReadFile(err_file);
    auto at = err.find("serving http://127.0.0.1:");
    if (at != std::string::npos) {
      c.port = std::stoi(err.substr(at + std::string("serving http://127.0.0.1:").size()));
    }
  }
  return c;
}

TEST(ApiProcessTest, SigtermShutsDownCleanly) {
  TempDir tmp;
  std::string db = tmp / "d.db";
  ASSERT_EQ(Accord({"demo", "--db", db}).exit_code, 0);
  std::string token =
      Accord({"user", "add", "o", "--party", "RU", "--role", "officer", "--db", db}).out;
  token.pop_back();
  Child c =
      StartServe({"serve", "--db", db, "--listen", "127.0.0.1:0", "--party-keys", tmp / "d.keys"},
                 tmp / "err");
  ASSERT_GT(c.port, 0) << ReadFile(tmp / "err");
  httplib::Client cli("127.0.0.1", c.port);
  auto r = cli.Post("/v1/events", {{"Authorization", "Bearer " + token}}, BodyEvent("RU", "t-1"),
                    "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  kill(c.pid, SIGTERM);
  int status = 0;
  waitpid(c.pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status)) << ReadFile(tmp / "err");
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadFile(tmp / "err");
  EXPECT_NE(ReadFile(tmp / "err").find("stopped"), std::string::npos);
}

TEST(ApiProcessTest, PublicReportsFlag) {
  TempDir tmp;
  std::string db = tmp / "d.db";
  ASSERT_EQ(Accord({"demo", "--db", db}).exit_code, 0);
  for (bool flag : {false, true}) {
    SCOPED_TRACE(flag ? "--public-reports" : "no flag");
    std::vector<std::string> args = {"serve", "--db", db, "--listen", "127.0.0.1:0"};
    if (flag) args.push_back("--public-reports");
    Child c = StartServe(args, tmp / "err");
    ASSERT_GT(c.port, 0) << ReadFile(tmp / "err");
    httplib::Client cli("127.0.0.1", c.port);
    auto r = cli.Get("/v1/reports/cooperation?format=csv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, flag ? 200 : 401) << r->body;
    if (flag) {
      EXPECT_EQ(r->body, Accord({"report", "cooperation", "--db", db, "--format", "csv"}).out);
    }
    EXPECT_EQ(cli.Get("/v1/contracts")->status, 401);
    kill(c.pid, SIGTERM);
    int status = 0;
    waitpid(c.pid, &status, 0);
  }
}

TEST(ApiProcessTest, KillDashNineLosesNoAcknowledgedEvent) {
  TempDir tmp;
  std::string db = tmp / "d.db";
  ASSERT_EQ(Accord({"demo", "--db", db}).exit_code, 0);
  std::string token =
      Accord({"user", "add", "o", "--party", "RU", "--role", "officer", "--db", db}).out;
  token.pop_back();
  for (int round = 0; round < 3; ++round) {
    Child c = StartServe({"serve", "--db", db, "--listen", "127.0.0.1:0", "--party-keys",
                          tmp / "d.keys", "--rate", "0"},
                         tmp / "err");
    ASSERT_GT(c.port, 0) << ReadFile(tmp / "err");
    std::mutex mu;
    std::vector<std::string> acknowledged;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 8; ++w) {
      writers.emplace_back([&, w] {
        httplib::Client cli("127.0.0.1", c.port);
        cli.set_read_timeout(5, 0);
        for (int i = 0; !stop; ++i) {
          std::string id =
              "k9-" + std::to_string(round) + "-" + std::to_string(w) + "-" + std::to_string(i);
          auto r = cli.Post("/v1/events", {{"Authorization", "Bearer " + token}},
                            BodyEvent("RU", id), "application/json");
          if (!r) break;
          if (r->status == 201) {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged.push_back(id);
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(400 + 150 * round));
    kill(c.pid, SIGKILL);
    int status = 0;
    waitpid(c.pid, &status, 0);
    stop = true;
    for (auto& t : writers) t.join();
    ASSERT_FALSE(acknowledged.empty());
    // Every acknowledged event is there, and the registry verifies.
    auto store = storage::SqliteLogStore::Open(db);
    ASSERT_TRUE(store.ok());
    for (const std::string& id : acknowledged) {
      auto q = (*store)->db().Prepare("SELECT 1 FROM entities WHERE kind = 'body' AND id = ?1");
      (*q)->Reset().BindText(1, id);
      auto row = (*q)->Step();
      EXPECT_TRUE(row.ok() && *row) << id << " was acknowledged but is missing";
      (*q)->Reset();
    }
    store->reset();
    CommandResult v = Accord({"verify", "--db", db});
    EXPECT_EQ(v.exit_code, 0) << v.err;
  }
}

}  // namespace
}  // namespace accord::testing
