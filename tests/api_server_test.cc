// The HTTP API (src/api) end to end: an in-process server on an ephemeral
// loopback port over a copy of the demo registry; clients are cpp-httplib.
// Covers every route, every cell of the authorization matrix, bad input
// (each a 4xx with a JSON error and the log size unchanged), limits,
// idempotency and group commit. The process-level tests (SIGTERM, kill -9)
// drive the built `accord serve`.
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
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "api/server.h"
#include "api/store.h"
#include "domain/envelope.h"
#include "note/note.h"
#include "storage/sqlite_log_store.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string BodyEvent(const std::string& party, const std::string& id,
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

uint64_t LogSize(const std::string& db) {
  auto store = storage::SqliteLogStore::Open(db);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  auto n = (*store)->Size();
  return n.ok() ? *n : 0;
}

int64_t CheckpointCount(const std::string& db) {
  auto store = storage::SqliteLogStore::Open(db);
  auto q = (*store)->db().Prepare("SELECT COUNT(*) FROM log_checkpoints");
  (*q)->Reset();
  (void)(*q)->Step();
  int64_t n = (*q)->Int(0);
  (*q)->Reset();
  return n;
}

// A raw HTTP/1.1 request (for paths a client library would normalise).
std::string RawRequest(int port, const std::string& request) {
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

// One demo registry, users of every role, and a running server.
class ApiServer {
 public:
  explicit ApiServer(std::function<void(api::ServerOptions&)> tweak = nullptr) {
    db = dir / "d.db";
    CommandResult r = Accord({"demo", "--db", db});
    EXPECT_EQ(r.exit_code, 0) << r.err;
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
void ExpectError(const httplib::Result& r, int status, const std::string& code = "") {
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

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_ = new ApiServer(); }
  static void TearDownTestSuite() {
    delete s_;
    s_ = nullptr;
  }
  static ApiServer* s_;
};
ApiServer* ApiTest::s_ = nullptr;

TEST_F(ApiTest, HealthNeedsNoToken) {
  auto r = s_->Get("", "/v1/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["status"], "ok");
}

TEST_F(ApiTest, MissingBadAndRevokedTokensAre401) {
  auto r = s_->Get("", "/v1/log/checkpoint");
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
  fs::path doc_path = fs::path(__FILE__).parent_path().parent_path() / "docs/openapi.json";
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

TEST_F(ApiTest, CheckpointAndProofsMatchTheCli) {
  auto r = s_->Get("observer", "/v1/log/checkpoint");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_EQ(r->body, Accord({"log", "checkpoint", "--db", s_->db}).out);

  r = s_->Get("auditor", "/v1/log/proof/inclusion?index=3&size=50");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(
      json::parse(r->body),
      json::parse(Accord({"log", "prove", "--db", s_->db, "--index", "3", "--size", "50"}).out));
  r = s_->Get("auditor", "/v1/log/proof/consistency?from=7&to=60");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(
      json::parse(r->body),
      json::parse(Accord({"log", "consistency", "--db", s_->db, "--from", "7", "--to", "60"}).out));
  // The CLI verifies what the API serves.
  fs::path proof = s_->dir / "proof.json";
  WriteFile(proof, r->body);
  EXPECT_EQ(Accord({"log", "verify-proof", proof}).exit_code, 0);

  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?index=50&size=50"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?size=5"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?index=-1"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?index=1&size=99999999"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/consistency?from=0&to=5"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/consistency?from=6&to=5"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/consistency?from=1&to=1e3"), 400);
}

TEST_F(ApiTest, LogEntriesWithRangeAndCap) {
  auto r = s_->Get("ru-officer", "/v1/log/entries?start=2&end=5");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  ASSERT_EQ(j["entries"].size(), 3u);
  EXPECT_EQ(j["entries"][0]["index"], 2);
  // Each leaf is the exact canonical text: it parses as a leaf.
  EXPECT_TRUE(domain::ParseLeaf(j["entries"][0]["leaf"].get<std::string>()).ok());
  r = s_->Get("ru-officer", "/v1/log/entries");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["start"], 0);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=5&end=2"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=0&end=100000"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=abc"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=1&start=2"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?bogus=1"), 400);
}

TEST_F(ApiTest, ListGetFiltersAndPagination) {
  // Every collection lists for the admin.
  for (const char* c : {"parties", "bodies", "agreements", "products", "contracts", "programmes",
                        "certificates", "licences", "shipments", "items", "repairs", "cases"}) {
    auto r = s_->Get("admin", std::string("/v1/") + c);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << c << " " << r->body;
    json j = json::parse(r->body);
    EXPECT_FALSE(j["items"].empty()) << c;
    // And each item can be fetched by id.
    json first = j["items"][0];
    std::string id =
        first.contains("code") && std::string(c) == "parties" ? first["code"] : first["id"];
    auto one = s_->Get("admin", std::string("/v1/") + c + "/" + id);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->status, 200) << c << "/" << id << " " << one->body;
    EXPECT_EQ(json::parse(one->body), first);
  }
  // Pages of 7 items cover all items exactly once, in id order.
  auto all = s_->Get("admin", "/v1/items?limit=500");
  size_t total = json::parse(all->body)["items"].size();
  std::vector<std::string> seen;
  std::string cursor;
  for (int guard = 0; guard < 100; ++guard) {
    auto r = s_->Get("admin", "/v1/items?limit=7" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r->status, 200) << r->body;
    json j = json::parse(r->body);
    for (const json& it : j["items"]) seen.push_back(it["id"]);
    if (j["next_cursor"].is_null()) break;
    cursor = j["next_cursor"];
  }
  EXPECT_EQ(seen.size(), total);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), total);

  // Filters.
  auto r = s_->Get("admin", "/v1/items?contract=RU-UZ-2001-001&state=in_service&limit=500");
  json j = json::parse(r->body);
  EXPECT_FALSE(j["items"].empty());
  for (const json& it : j["items"]) {
    EXPECT_EQ(it["contract"], "RU-UZ-2001-001");
    EXPECT_EQ(it["state"], "in_service");
  }
  r = s_->Get("admin", "/v1/shipments?product=btr-80");
  EXPECT_FALSE(json::parse(r->body)["items"].empty());
  // An item id holds a slash.
  r = s_->Get("admin", "/v1/items/btr-80/BTR80-UZ-0001");
  EXPECT_EQ(r->status, 200);
  ExpectError(s_->Get("admin", "/v1/items/btr-80/NOPE"), 404, "not_found");
  ExpectError(s_->Get("admin", "/v1/widgets"), 404, "not_found");
  ExpectError(s_->Get("admin", "/v1/items?limit=0"), 400);
  ExpectError(s_->Get("admin", "/v1/items?limit=501"), 400);
  ExpectError(s_->Get("admin", "/v1/items?cursor=%25%25%25"), 400);
  ExpectError(s_->Get("admin", "/v1/items?colour=red"), 400);
}

TEST_F(ApiTest, SqlMetacharactersInFiltersAreJustText) {
  uint64_t before = LogSize(s_->db);
  for (const char* f : {"contract", "product", "state", "unit"}) {
    for (const char* v :
         {"'%20OR%201=1--", "x%22;%20DROP%20TABLE%20entities;--", "%25", "_", "%27%29%3B"}) {
      auto r = s_->Get("admin", std::string("/v1/items?") + f + "=" + v);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200) << f << "=" << v;
      EXPECT_TRUE(json::parse(r->body)["items"].empty()) << f << "=" << v;
    }
  }
  ExpectError(s_->Get("admin", "/v1/contracts/x'%20OR%20'1'='1"), 404);
  EXPECT_EQ(LogSize(s_->db), before);
  EXPECT_EQ(s_->Get("admin", "/v1/items")->status, 200);
}

// Every cell of the matrix in api/authz.h.
TEST_F(ApiTest, AuthorizationMatrix) {
  struct Cell {
    std::string user;
    int proofs, entries, contract_in_mtc, contract_list_nonempty, product;
  };
  // contract RU-UZ-2018-001 is under RU-UZ-2016-MTC (parties RU, UZ).
  std::vector<Cell> cells = {
      {"ru-officer", 200, 200, 200, 1, 200}, {"uz-officer", 200, 200, 200, 1, 200},
      {"kz-officer", 200, 200, 403, 0, 200}, {"ru-inspector", 200, 200, 200, 1, 200},
      {"auditor", 200, 403, 200, 1, 200},    {"auditor-none", 200, 403, 403, 0, 200},
      {"observer", 200, 403, 403, -1, 403},  {"admin", 200, 200, 200, 1, 200},
  };
  for (const Cell& c : cells) {
    SCOPED_TRACE(c.user);
    EXPECT_EQ(s_->Get(c.user, "/v1/log/checkpoint")->status, c.proofs);
    EXPECT_EQ(s_->Get(c.user, "/v1/log/proof/inclusion?index=0")->status, c.proofs);
    EXPECT_EQ(s_->Get(c.user, "/v1/log/proof/consistency?from=1")->status, c.proofs);
    auto e = s_->Get(c.user, "/v1/log/entries?start=0&end=1");
    EXPECT_EQ(e->status, c.entries);
    if (c.entries == 403) ExpectError(e, 403, "forbidden");
    EXPECT_EQ(s_->Get(c.user, "/v1/contracts/RU-UZ-2018-001")->status, c.contract_in_mtc);
    EXPECT_EQ(s_->Get(c.user, "/v1/items/mi-35m/MI35M-UZ-0002")->status, c.contract_in_mtc);
    EXPECT_EQ(s_->Get(c.user, "/v1/products/btr-80")->status, c.product);
    auto list = s_->Get(c.user, "/v1/contracts");
    if (c.contract_list_nonempty < 0) {
      ExpectError(list, 403, "forbidden");
    } else {
      ASSERT_EQ(list->status, 200);
      EXPECT_EQ(!json::parse(list->body)["items"].empty(), c.contract_list_nonempty == 1);
    }
  }
  // The assigned auditor sees only contracts of its agreement.
  for (const json& c : json::parse(s_->Get("auditor", "/v1/contracts")->body)["items"]) {
    EXPECT_EQ(c["agreement"], "RU-UZ-2016-MTC");
  }
  EXPECT_EQ(s_->Get("auditor", "/v1/contracts/RU-UZ-2001-001")->status, 403);  // RU-UZ-1992

  // Recording.
  uint64_t before = LogSize(s_->db);
  ExpectError(s_->Post("uz-officer", BodyEvent("RU", "m-1")), 403, "forbidden");
  ExpectError(s_->Post("ru-inspector", BodyEvent("RU", "m-2")), 403, "forbidden");
  ExpectError(s_->Post("auditor", BodyEvent("UZ", "m-3")), 403, "forbidden");
  ExpectError(s_->Post("observer", BodyEvent("RU", "m-4")), 403, "forbidden");
  ExpectError(s_->Post("admin", BodyEvent("RU", "m-5")), 403, "forbidden");
  // One event of a batch outside the matrix refuses the whole batch.
  ExpectError(s_->Post("ru-officer", BodyEvent("RU", "m-6") + "\n" + BodyEvent("UZ", "m-7") + "\n",
                       "application/x-ndjson"),
              403);
  EXPECT_EQ(LogSize(s_->db), before);
  // Inside the matrix: an inspector's monitoring event passes authorization
  // (the registry then judges it), an officer's own-party event is recorded.
  auto insp = s_->Post("ru-inspector", BodyEvent("RU", "m-8", "inspection.scheduled"));
  ASSERT_TRUE(insp);
  EXPECT_NE(insp->status, 403) << insp->body;
  auto ok = s_->Post("ru-officer", BodyEvent("RU", "m-9"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;
  auto uz = s_->Post("uz-officer", BodyEvent("UZ", "m-10"));
  EXPECT_EQ(uz->status, 201) << uz->body;
  EXPECT_EQ(LogSize(s_->db), before + 2);
}

TEST_F(ApiTest, RecordsOneEventAndNdjsonBatches) {
  uint64_t before = LogSize(s_->db);
  auto r = s_->Post("ru-officer", BodyEvent("RU", "rec-1"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json j = json::parse(r->body);
  ASSERT_EQ(j["recorded"].size(), 1u);
  EXPECT_EQ(j["recorded"][0]["index"], before);
  EXPECT_EQ(j["recorded"][0]["subject"], "body/rec-1");
  // Readable right after the acknowledgement.
  EXPECT_EQ(s_->Get("ru-officer", "/v1/bodies/rec-1")->status, 200);

  std::string batch = BodyEvent("RU", "rec-2") + "\n\n" + BodyEvent("RU", "rec-3") + "\r\n";
  r = s_->Post("ru-officer", batch, "application/x-ndjson");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(json::parse(r->body)["recorded"].size(), 2u);

  // A pre-signed event (the client's own key) is verified and recorded.
  auto key = note::Signer::Parse(ReadFile(s_->dir / "d.keys/ru.skey"));
  ASSERT_TRUE(key.ok());
  json e = json::parse(BodyEvent("RU", "rec-4"));
  auto msg = domain::SigningMessage(e);
  e["key"] = domain::KeyIdHex(key->key_id());
  e["sig"] = Base64Encode(key->Sign(*msg));
  r = s_->Post("ru-officer", e.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(LogSize(s_->db), before + 4);
  EXPECT_EQ(Accord({"verify", "--db", s_->db}).exit_code, 0);
}

TEST_F(ApiTest, BadInputIs4xxAndAppendsNothing) {
  uint64_t before = LogSize(s_->db);
  std::string good = BodyEvent("RU", "bad-0");
  json wrong_type = json::parse(good);
  wrong_type["v"] = "1";
  json unknown_field = json::parse(good);
  unknown_field["extra"] = 1;
  json unknown_body_field = json::parse(good);
  unknown_body_field["body"]["colour"] = "red";
  json bad_sig = json::parse(good);
  auto ru_key = note::Signer::Parse(ReadFile(s_->dir / "d.keys/ru.skey"));
  ASSERT_TRUE(ru_key.ok());
  bad_sig["key"] = domain::KeyIdHex(ru_key->key_id());
  bad_sig["sig"] = Base64Encode(std::string(64, 'x'));
  json half_signed = json::parse(good);
  half_signed["sig"] = Base64Encode(std::string(64, 'x'));
  json rule_refused = json::parse(BodyEvent("RU", "bad-1"));
  rule_refused["body"]["kind"] = "spaceship";
  std::string invalid_utf8 = good;
  invalid_utf8.replace(invalid_utf8.find("Plant"), 5, "Pl\xff\xfe");
  struct Case {
    std::string name, body, ctype;
    int status;
  };
  std::vector<Case> cases = {
      {"malformed JSON", "{\"v\":1,", "application/json", 400},
      {"empty body", "", "application/json", 400},
      {"array", "[1,2]", "application/json", 400},
      {"wrong type", wrong_type.dump(), "application/json", 400},
      {"unknown field", unknown_field.dump(), "application/json", 400},
      {"unknown body field", unknown_body_field.dump(), "application/json", 400},
      {"float", std::string(good).replace(good.find("\"v\":1"), 5, "\"v\":1.5"), "application/json",
       400},
      {"duplicate key", "{\"v\":1,\"v\":1}", "application/json", 400},
      {"invalid UTF-8", invalid_utf8, "application/json", 400},
      {"bad signature", bad_sig.dump(), "application/json", 400},
      {"half signed", half_signed.dump(), "application/json", 400},
      {"rule refused", rule_refused.dump(), "application/json", 400},
      {"batch with one bad line", good + "\n{\"v\":\n", "application/x-ndjson", 400},
      {"batch with one refused event", good + "\n" + rule_refused.dump() + "\n",
       "application/x-ndjson", 400},
      {"form body", "a=b", "application/x-www-form-urlencoded", 415},
      {"oversized", std::string(100 << 10, ' ') + good, "application/json", 413},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = s_->Post("ru-officer", c.body, c.ctype);
    ASSERT_TRUE(r);
    if (c.name == "rule refused" || c.name == "batch with one refused event") {
      EXPECT_TRUE(r->status == 400 || r->status == 422) << r->status << " " << r->body;
      ExpectError(r, r->status);
    } else {
      ExpectError(r, c.status);
    }
    EXPECT_EQ(LogSize(s_->db), before);
  }
  // A refused line is named.
  auto r = s_->Post("ru-officer", good + "\n{\"v\":\n", "application/x-ndjson");
  EXPECT_NE(r->body.find("line 2"), std::string::npos) << r->body;
  // Unknown routes and methods are JSON errors too.
  ExpectError(s_->Get("ru-officer", "/v1/nothing/here/at/all"), 404);
  ExpectError(s_->Client().Delete("/v1/events"), 404);
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

TEST_F(ApiTest, IdempotencyKeyDoesNotAppendTwice) {
  uint64_t before = LogSize(s_->db);
  std::string ev = BodyEvent("RU", "idem-1");
  auto a = s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "abc-1"}});
  ASSERT_EQ(a->status, 201) << a->body;
  auto b = s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "abc-1"}});
  ASSERT_EQ(b->status, 201) << b->body;
  EXPECT_EQ(b->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(json::parse(a->body), json::parse(b->body));
  EXPECT_EQ(LogSize(s_->db), before + 1);
  // Same key, different request.
  auto c = s_->Post("ru-officer", BodyEvent("RU", "idem-2"), "application/json",
                    {{"Idempotency-Key", "abc-1"}});
  ExpectError(c, 422);
  ExpectError(s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "bad key!"}}),
              400);
  // Concurrent retries of one key append once.
  std::string ev3 = BodyEvent("RU", "idem-3");
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = s_->Post("ru-officer", ev3, "application/json", {{"Idempotency-Key", "abc-3"}});
      if (r && r->status == 201) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 8);
  EXPECT_EQ(LogSize(s_->db), before + 2);
}

TEST_F(ApiTest, ConcurrentWritesAreGroupCommitted) {
  uint64_t before = LogSize(s_->db);
  int64_t checkpoints_before = CheckpointCount(s_->db);
  constexpr int kClients = 16, kEach = 8;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<uint64_t> indexes;
  std::atomic<int> failures{0};
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto cli = s_->Client();
      for (int i = 0; i < kEach; ++i) {
        std::string id = "gc-" + std::to_string(c) + "-" + std::to_string(i);
        // Every fourth request of client 0 is refused: the others still commit.
        std::string ev =
            (c == 0 && i % 4 == 0) ? BodyEvent("RU", id, "body.exploded") : BodyEvent("RU", id);
        auto r = cli.Post("/v1/events", s_->Auth("ru-officer"), ev, "application/json");
        if (!r) {
          ++failures;
          continue;
        }
        if (c == 0 && i % 4 == 0) {
          if (r->status < 400 || r->status >= 500) ++failures;
          continue;
        }
        if (r->status != 201) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        indexes.insert(json::parse(r->body)["recorded"][0]["index"].get<uint64_t>());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  constexpr int kRefused = 2;
  EXPECT_EQ(indexes.size(), static_cast<size_t>(kClients * kEach - kRefused));
  EXPECT_EQ(LogSize(s_->db), before + kClients * kEach - kRefused);
  int64_t batches = CheckpointCount(s_->db) - checkpoints_before;
  std::cout << "[ group commit ] " << (kClients * kEach - kRefused) << " writes in " << batches
            << " batches\n";
  EXPECT_LT(batches, kClients * kEach - kRefused);
  EXPECT_EQ(Accord({"verify", "--db", s_->db}).exit_code, 0);
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
