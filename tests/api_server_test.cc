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

#include "api/authz.h"
#include "api/server.h"
#include "api/store.h"
#include "domain/envelope.h"
#include "note/note.h"
#include "storage/sqlite/log_store.h"
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
  for (const char* c :
       {"parties", "bodies", "agreements", "products", "contracts", "programmes", "certificates",
        "licences", "shipments", "items", "repairs", "cases", "courses", "exercises",
        "consultations", "visits", "inspections", "consents", "declarations"}) {
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
  // An item by its serial number; monitoring records by agreement.
  j = json::parse(s_->Get("admin", "/v1/items?serial=R73-UZ-0040")->body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["id"], "r-73/R73-UZ-0040");
  j = json::parse(s_->Get("admin", "/v1/inspections?agreement=RU-UZ-2016-MTC&limit=500")->body);
  EXPECT_EQ(j["items"].size(), 8u);
  // An item id holds a slash.
  r = s_->Get("admin", "/v1/items/btr-80/BTR80-UZ-0001");
  EXPECT_EQ(r->status, 200);
  ExpectError(s_->Get("admin", "/v1/items/btr-80/NOPE"), 404, "not_found");
  ExpectError(s_->Get("admin", "/v1/widgets"), 404, "not_found");
  ExpectError(s_->Get("admin", "/v1/items?limit=0"), 400);
  ExpectError(s_->Get("admin", "/v1/items?limit=501"), 400);
  ExpectError(s_->Get("admin", "/v1/items?cursor=%25%25%25"), 400);
  ExpectError(s_->Get("admin", "/v1/items?colour=red"), 400);
  ExpectError(s_->Get("admin", "/v1/items?contract="), 400);
  // A page whose store rows are mostly invisible to the caller still fills:
  // the assigned auditor pages through items of its agreement only.
  std::vector<std::string> audited;
  cursor.clear();
  for (int guard = 0; guard < 100; ++guard) {
    auto r2 = s_->Get("auditor", "/v1/items?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r2->status, 200) << r2->body;
    json page = json::parse(r2->body);
    if (!page["next_cursor"].is_null()) {
      EXPECT_EQ(page["items"].size(), 3u);
    }
    for (const json& it : page["items"]) audited.push_back(it["id"]);
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  EXPECT_FALSE(audited.empty());
  EXPECT_LT(audited.size(), total);
  EXPECT_TRUE(std::is_sorted(audited.begin(), audited.end()));
}

TEST_F(ApiTest, SqlMetacharactersInFiltersAreJustText) {
  uint64_t before = LogSize(s_->db);
  for (const char* f : {"contract", "product", "state", "unit", "serial", "agreement"}) {
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
      {"auditor", 200, 200, 200, 1, 200},    {"auditor-none", 200, 200, 403, 0, 200},
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

// --- Reports ---------------------------------------------------------------

// `accord report ARGS --db DB` on the server's registry.
std::string CliReport(const ApiServer& s, std::vector<std::string> args) {
  args.insert(args.begin(), "report");
  args.push_back("--db");
  args.push_back(s.db);
  CommandResult r = Accord(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST_F(ApiTest, ReportsAreTheCliOutputByteForByte) {
  struct Case {
    std::string query;              // path and query
    std::vector<std::string> args;  // the CLI's
    std::string content_type;       // prefix
    std::string filename;           // "" for JSON
  };
  const Case cases[] = {
      {"/v1/reports/tiv?dataset=accord&by=year,supplier,recipient&format=csv",
       {"tiv", "--dataset", "accord", "--by", "year,supplier,recipient", "--format", "csv"},
       "text/csv",
       "tiv.csv"},
      {"/v1/reports/tiv?dataset=accord&by=supplier,year&from=2018&to=2020",
       {"tiv", "--dataset", "accord", "--by", "supplier,year", "--from", "2018", "--to", "2020",
        "--format", "json"},
       "application/json",
       ""},
      {"/v1/reports/tiv?format=csv", {"tiv", "--format", "csv"}, "text/csv", "tiv.csv"},
      {"/v1/reports/att?year=2019&party=RU&format=csv",
       {"att", "--year", "2019", "--party", "RU", "--format", "csv"},
       "text/csv",
       "att-RU-2019.csv"},
      {"/v1/reports/att?year=2019&party=UZ",
       {"att", "--year", "2019", "--party", "UZ", "--format", "json"},
       "application/json",
       ""},
      {"/v1/reports/att?year=2019&party=UZ&format=md",
       {"att", "--year", "2019", "--party", "UZ"},
       "text/markdown",
       "att-UZ-2019.md"},
      {"/v1/reports/unroca?year=2021&party=RU&format=csv",
       {"unroca", "--year", "2021", "--party", "RU", "--format", "csv"},
       "text/csv",
       "unroca-RU-2021.csv"},
      {"/v1/reports/unroca?year=2021&party=UZ&format=json",
       {"unroca", "--year", "2021", "--party", "UZ", "--format", "json"},
       "application/json",
       ""},
      {"/v1/reports/register?format=csv", {"register"}, "text/csv", "register.csv"},
      {"/v1/reports/register", {"register", "--format", "json"}, "application/json", ""},
      {"/v1/reports/cooperation?format=csv",
       {"cooperation", "--format", "csv"},
       "text/csv",
       "cooperation.csv"},
      {"/v1/reports/cooperation?from=2016&to=2017&agreement=RU-UZ-2005",
       {"cooperation", "--from", "2016", "--to", "2017", "--agreement", "RU-UZ-2005", "--format",
        "json"},
       "application/json",
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    auto r = s_->Get("admin", c.query);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->body, CliReport(*s_, c.args));
    EXPECT_EQ(r->get_header_value("Content-Type").rfind(c.content_type, 0), 0u)
        << r->get_header_value("Content-Type");
    if (c.filename.empty()) {
      EXPECT_FALSE(r->has_header("Content-Disposition"));
    } else {
      EXPECT_EQ(r->get_header_value("Content-Disposition"),
                "attachment; filename=\"" + c.filename + "\"");
    }
  }
  // The demo's figures, not just any equal output: the files the CLI tests
  // check against, and the seed's joint activities.
  std::string data = std::string(ACCORD_SOURCE_DIR) + "/tests/data/reports/";
  EXPECT_EQ(s_->Get("admin", "/v1/reports/att?year=2019&party=RU&format=csv")->body,
            ReadFile(data + "demo.att-RU-2019.csv"));
  EXPECT_EQ(s_->Get("admin", "/v1/reports/unroca?year=2021&party=RU&format=csv")->body,
            ReadFile(data + "demo.unroca-RU-2021.csv"));
  EXPECT_EQ(s_->Get("admin", "/v1/reports/tiv?dataset=accord&by=year,supplier,recipient&format=csv")
                ->body,
            ReadFile(data + "demo.tiv.csv"));
  json coop = json::parse(s_->Get("admin", "/v1/reports/cooperation?from=2016&to=2017")->body);
  ASSERT_EQ(coop.size(), 2u);
  EXPECT_EQ(coop[0]["joint_activities"], 18);
  EXPECT_EQ(coop[1]["joint_activities"], 36);
}

// The cells of the report rows of the matrix in api/authz.h.
TEST_F(ApiTest, ReportAuthorizationMatrix) {
  const std::string aggregate[] = {"/v1/reports/tiv?dataset=accord&by=year",
                                   "/v1/reports/unroca?year=2021&party=RU", "/v1/reports/register",
                                   "/v1/reports/cooperation"};
  const std::string att_ru = "/v1/reports/att?year=2019&party=RU";
  // Who reads RU's ATT report in full (with values).
  const std::map<std::string, bool> full_att = {
      {"ru-officer", true}, {"ru-inspector", true},  {"uz-officer", false}, {"kz-officer", false},
      {"auditor", false},   {"auditor-none", false}, {"observer", false},   {"admin", true}};
  for (const auto& [user, full] : full_att) {
    SCOPED_TRACE(user);
    for (const std::string& path : aggregate) {
      auto r = s_->Get(user, path);
      ASSERT_EQ(r->status, 200) << path << " " << r->body;
      EXPECT_EQ(r->body, s_->Get("admin", path)->body) << path;
    }
    auto r = s_->Get(user, att_ru);
    ASSERT_EQ(r->status, 200) << r->body;
    json j = json::parse(r->body);
    json row = j["exports"]["rows"][0];
    EXPECT_EQ(row["actual"]["items"], 10);
    if (full) {
      EXPECT_EQ(r->body,
                CliReport(*s_, {"att", "--year", "2019", "--party", "RU", "--format", "json"}));
      EXPECT_EQ(row["actual"]["value_minor"], 27000000000);
      EXPECT_EQ(row["currency"], "RUB");
      EXPECT_FALSE(j.contains("values_withheld"));
    } else {
      EXPECT_EQ(r->get_header_value("X-Accord-Report-Form"), "public");
      EXPECT_TRUE(j["values_withheld"].get<bool>());
      EXPECT_EQ(r->body.find("value_minor"), std::string::npos) << r->body;
      EXPECT_EQ(r->body.find("RUB"), std::string::npos) << r->body;
      // The public CSV keeps the columns, with the value cells empty.
      auto csv = s_->Get(user, att_ru + "&format=csv");
      ASSERT_EQ(csv->status, 200);
      EXPECT_NE(csv->body.find(",20,,10,,,contract RU-UZ-2019-002"), std::string::npos)
          << csv->body;
      EXPECT_EQ(csv->body.find("27000000000"), std::string::npos);
      auto md = s_->Get(user, att_ru + "&format=md");
      EXPECT_NE(md->body.find("withheld in this public form"), std::string::npos);
    }
  }
  // UZ's officer reads UZ's own report in full.
  json uz = json::parse(s_->Get("uz-officer", "/v1/reports/att?year=2019&party=UZ")->body);
  EXPECT_FALSE(uz.contains("values_withheld"));
  // Without a token (and without --public-reports): 401.
  for (const std::string& path : aggregate) ExpectError(s_->Get("", path), 401, "unauthenticated");
  ExpectError(s_->Get("", att_ru), 401, "unauthenticated");
  ExpectError(s_->Client().Get(att_ru, {{"Authorization", "Bearer nope"}}), 401);
}

// Every cell of CanReadReport, including the "detailed" class no report of
// this branch has yet (end-use monitoring will).
TEST(ApiAuthz, ReportFormsPerRoleAndDisclosure) {
  using registry::Disclosure;
  using registry::ReportForm;
  registry::ReportSpec spec;
  spec.name = "x";
  spec.party_param = "party";
  registry::ReportParams ru = {{"party", "RU"}};
  auto who = [](api::Role role, std::string party, bool anonymous = false) {
    api::Principal p;
    p.user = "u";
    p.party = std::move(party);
    p.role = role;
    p.anonymous = anonymous;
    return p;
  };
  struct Cell {
    api::Principal p;
    int aggregate, values, detailed;  // 0 denied, 1 public, 2 full
  };
  const Cell cells[] = {
      {who(api::Role::kOfficer, "RU"), 2, 2, 2},   {who(api::Role::kOfficer, "UZ"), 2, 1, 0},
      {who(api::Role::kInspector, "RU"), 2, 2, 2}, {who(api::Role::kInspector, "UZ"), 2, 1, 0},
      {who(api::Role::kAuditor, "RU"), 2, 1, 0},   {who(api::Role::kObserver, "RU"), 2, 1, 0},
      {who(api::Role::kAdmin, "UZ"), 2, 2, 2},     {who(api::Role::kObserver, "", true), 2, 1, 0},
  };
  for (const Cell& c : cells) {
    SCOPED_TRACE(std::string(api::RoleName(c.p.role)) + " of " + c.p.party +
                 (c.p.anonymous ? " (anonymous)" : ""));
    int i = 0;
    for (Disclosure d : {Disclosure::kAggregate, Disclosure::kPartyValues, Disclosure::kDetailed}) {
      spec.disclosure = d;
      int want = i == 0 ? c.aggregate : i == 1 ? c.values : c.detailed;
      ++i;
      auto form = api::CanReadReport(c.p, spec, ru);
      if (want == 0) {
        EXPECT_EQ(form.status().code(), StatusCode::kPermissionDenied);
        continue;
      }
      ASSERT_TRUE(form.ok()) << form.status().ToString();
      EXPECT_EQ(*form, want == 2 ? ReportForm::kFull : ReportForm::kPublic);
    }
  }
  // An anonymous principal reads nothing but reports.
  EXPECT_EQ(api::Authorize(who(api::Role::kObserver, "", true), api::Action::kReadLogProofs).code(),
            StatusCode::kUnauthenticated);
}

TEST_F(ApiTest, ReportBadInputIsAClear4xx) {
  struct Case {
    std::string query;
    int status;
    std::string message;
  };
  const Case cases[] = {
      {"/v1/reports/eux", 404, "no report \"eux\"; the reports are tiv, att"},
      {"/v1/reports/eum?as-of=2024-02-30", 400, "as-of \"2024-02-30\": expected a date"},
      {"/v1/reports/att?year=2019&party=RU&format=xml", 400,
       "query parameter format: expected csv, json or md, not \"xml\""},
      {"/v1/reports/register?format=md", 400, "expected sipri-csv or json"},
      {"/v1/reports/att?year=19&party=RU", 400,
       "query parameter year: 19 is not a year between 1900 and 2200"},
      {"/v1/reports/att?year=abc&party=RU", 400, "query parameter year: abc is not a year"},
      {"/v1/reports/att?year=2019&party=XX", 400,
       "query parameter party: \"XX\" is not an ISO 3166 alpha-2 code"},
      {"/v1/reports/att?party=RU", 400, "query parameter year is required"},
      {"/v1/reports/unroca?year=2019&party=RU&colour=red", 400,
       "unknown query parameter \"colour\""},
      {"/v1/reports/tiv?by=year&by=supplier", 400, "given more than once"},
      {"/v1/reports/tiv?by=colour", 400,
       "query parameter by: \"colour\" is not one of recipient, supplier, year, category"},
      {"/v1/reports/tiv?from=2020&to=1e3", 400, "query parameter to: 1e3 is not a year"},
      {"/v1/reports/cooperation?from=2019&to=2017", 400,
       "query parameter from 2019 is after query parameter to 2017"},
      {"/v1/reports/cooperation?agreement=x'%20OR%20'1'%3D'1", 400,
       "query parameter agreement: no agreement \"x' OR '1'='1\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    auto r = s_->Get("admin", c.query);
    ExpectError(r, c.status);
    EXPECT_NE(json::parse(r->body)["error"]["message"].get<std::string>().find(c.message),
              std::string::npos)
        << r->body;
  }
  // SQL metacharacters in the TIV filters are values: they match nothing.
  for (const char* v : {"'%20OR%201=1--", "x%22;%20DROP%20TABLE%20tiv_deliveries;--", "%25"}) {
    auto r = s_->Get("admin", std::string("/v1/reports/tiv?dataset=accord&by=year&supplier=") + v);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->body, "[]\n");
    r = s_->Get("admin", std::string("/v1/reports/tiv?format=csv&dataset=") + v);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->body, "tiv\n");
  }
  EXPECT_EQ(s_->Get("admin", "/v1/reports/tiv?dataset=accord&format=csv")->body, "tiv\n175.75\n");
}

TEST(ApiPublicReportsTest, AggregateReportsWithoutATokenOnlyWithTheFlag) {
  ApiServer s([](api::ServerOptions& o) { o.public_reports = true; });
  auto tiv = s.Get("", "/v1/reports/tiv?dataset=accord&by=year&format=csv");
  ASSERT_EQ(tiv->status, 200) << tiv->body;
  EXPECT_EQ(tiv->body, CliReport(s, {"tiv", "--dataset", "accord", "--by", "year"}));
  for (const char* path : {"/v1/reports/unroca?year=2021&party=RU", "/v1/reports/register",
                           "/v1/reports/cooperation"}) {
    EXPECT_EQ(s.Get("", path)->status, 200) << path;
  }
  // ATT: the public form.
  auto att = s.Get("", "/v1/reports/att?year=2019&party=RU");
  ASSERT_EQ(att->status, 200) << att->body;
  EXPECT_TRUE(json::parse(att->body)["values_withheld"].get<bool>());
  // A token still counts: RU's officer gets RU's values; a bad token is 401.
  EXPECT_FALSE(json::parse(s.Get("ru-officer", "/v1/reports/att?year=2019&party=RU")->body)
                   .contains("values_withheld"));
  ExpectError(s.Client().Get("/v1/reports/tiv", {{"Authorization", "Bearer nope"}}), 401);
  // Nothing else is public.
  for (const char* path : {"/v1/contracts", "/v1/courses", "/v1/log/checkpoint",
                           "/v1/log/entries?start=0&end=1", "/v1/openapi.json"}) {
    ExpectError(s.Get("", path), 401, "unauthenticated");
  }
}

// --- Cooperation collections -------------------------------------------------

TEST_F(ApiTest, CooperationCollectionsFollowTheMatrix) {
  // The demo: courses under RU-UZ-2016-MTC (host RU, seats for UZ);
  // consultations and visits under RU-UZ-2005.
  struct Cell {
    std::string user;
    int course_status;
    bool consultations;  // lists all 22 (the auditor: those under RU-UZ-2016-MTC)
  };
  const Cell cells[] = {{"ru-officer", 200, true},  {"uz-officer", 200, true},
                        {"kz-officer", 403, false}, {"ru-inspector", 200, true},
                        {"auditor", 200, false},    {"auditor-none", 403, false},
                        {"admin", 200, true}};
  for (const Cell& c : cells) {
    SCOPED_TRACE(c.user);
    EXPECT_EQ(s_->Get(c.user, "/v1/courses/CAA-2017-CMD")->status, c.course_status);
    auto list = s_->Get(c.user, "/v1/consultations?limit=500");
    ASSERT_EQ(list->status, 200);
    json items = json::parse(list->body)["items"];
    EXPECT_EQ(items.size(), c.consultations ? 22u : c.user == "auditor" ? 9u : 0u);
    if (c.user == "auditor") {
      for (const json& i : items) EXPECT_EQ(i["agreement"], "RU-UZ-2016-MTC");
    }
    auto courses = json::parse(s_->Get(c.user, "/v1/courses")->body)["items"];
    EXPECT_EQ(courses.size(), c.course_status == 200 ? 2u : 0u);
  }
  for (const char* c : {"courses", "exercises", "consultations", "visits"}) {
    ExpectError(s_->Get("observer", std::string("/v1/") + c), 403, "forbidden");
  }
  ExpectError(s_->Get("observer", "/v1/courses/CAA-2017-CMD"), 403, "forbidden");
  // The host (RU) and the trainees' party (UZ) see the trainees.
  for (const char* user : {"ru-officer", "uz-officer", "auditor"}) {
    json course = json::parse(s_->Get(user, "/v1/courses/CAA-2017-CMD")->body);
    EXPECT_FALSE(course["trainees"].empty()) << user;
  }
  // Filters apply: visits by status.
  json held = json::parse(s_->Get("admin", "/v1/visits?state=completed&limit=500")->body);
  EXPECT_FALSE(held["items"].empty());
  for (const json& v : held["items"]) EXPECT_EQ(v["status"], "completed");
}

TEST(ApiAuthz, CourseTraineesOfOtherPartiesAreRemoved) {
  json course = {{"id", "C"},
                 {"host", "RU"},
                 {"seats", {{"UZ", 2}, {"KZ", 2}}},
                 {"trainees",
                  {{"uz-mod/trainee-1", {{"party", "UZ"}, {"status", "enrolled"}}},
                   {"kz-mod/trainee-1", {{"party", "KZ"}, {"status", "enrolled"}}}}}};
  auto who = [](api::Role role, std::string party) {
    api::Principal p;
    p.user = "u";
    p.party = std::move(party);
    p.role = role;
    return p;
  };
  auto trainees = [&](const api::Principal& p) {
    std::set<std::string> out;
    json redacted = api::RedactEntity(p, "course", course);
    for (const auto& [k, v] : redacted["trainees"].items()) out.insert(k);
    return out;
  };
  std::set<std::string> both = {"kz-mod/trainee-1", "uz-mod/trainee-1"};
  EXPECT_EQ(trainees(who(api::Role::kOfficer, "RU")), both);
  EXPECT_EQ(trainees(who(api::Role::kAdmin, "UZ")), both);
  EXPECT_EQ(trainees(who(api::Role::kAuditor, "UZ")), both);
  EXPECT_EQ(trainees(who(api::Role::kOfficer, "UZ")), std::set<std::string>{"uz-mod/trainee-1"});
  EXPECT_EQ(trainees(who(api::Role::kInspector, "KZ")), std::set<std::string>{"kz-mod/trainee-1"});
  // Other kinds pass unchanged.
  EXPECT_EQ(api::RedactEntity(who(api::Role::kOfficer, "KZ"), "exercise", course), course);
  // A KZ officer may read the course (KZ has seats), an officer of a third party may not.
  api::EntityLookup none = [](std::string_view, std::string_view) -> Result<std::optional<json>> {
    return std::optional<json>();
  };
  EXPECT_TRUE(*api::CanReadEntity(who(api::Role::kOfficer, "KZ"), "course", course, none));
  EXPECT_FALSE(*api::CanReadEntity(who(api::Role::kOfficer, "BY"), "course", course, none));
  EXPECT_FALSE(*api::CanReadEntity(who(api::Role::kObserver, "RU"), "course", course, none));
}

// --- Log entries per party ---------------------------------------------------

TEST_F(ApiTest, LogEntriesWithholdWhatTheCallerMayNotRead) {
  auto all = s_->Get("admin", "/v1/log/entries?start=0");
  ASSERT_EQ(all->status, 200) << all->body;
  json admin = json::parse(all->body)["entries"];
  // Index of an event about a contract of RU-UZ-2016-MTC, of one under
  // RU-UZ-1992 and of a consultation under RU-UZ-2005.
  auto find = [&](const std::string& subject) -> int64_t {
    for (const json& e : admin) {
      auto leaf = domain::ParseLeaf(e["leaf"].get<std::string>());
      EXPECT_TRUE(leaf.ok());
      if (leaf->event["subject"] == subject) return e["index"];
    }
    return -1;
  };
  int64_t mtc = find("contract/RU-UZ-2018-001"), old = find("contract/RU-UZ-2001-001"),
          consult = find("consultation/C-2016-01"), party = find("party/UZ");
  ASSERT_GE(mtc, 0);
  ASSERT_GE(old, 0);
  ASSERT_GE(consult, 0);
  ASSERT_GE(party, 0);
  struct Cell {
    std::string user;
    bool mtc, old, consult, party;
  };
  const Cell cells[] = {
      {"ru-officer", true, true, true, true},    {"uz-officer", true, true, true, true},
      {"kz-officer", false, false, false, true}, {"ru-inspector", true, true, true, true},
      {"auditor", true, false, false, true},     {"auditor-none", false, false, false, true},
      {"admin", true, true, true, true},
  };
  for (const Cell& c : cells) {
    SCOPED_TRACE(c.user);
    auto r = s_->Get(c.user, "/v1/log/entries?start=0");
    ASSERT_EQ(r->status, 200) << r->body;
    json entries = json::parse(r->body)["entries"];
    ASSERT_EQ(entries.size(), admin.size());
    for (auto [index, visible] : {std::pair{mtc, c.mtc}, std::pair{old, c.old},
                                  std::pair{consult, c.consult}, std::pair{party, c.party}}) {
      const json& e = entries[index];
      EXPECT_EQ(e["index"], index);
      // The leaf hash is always there and is the one proofs use.
      EXPECT_EQ(e["leaf_hash"], admin[index]["leaf_hash"]);
      EXPECT_EQ(e.contains("leaf"), visible) << index;
      EXPECT_EQ(e.value("withheld", false), !visible) << index;
    }
  }
  // The withheld entry's hash is the leaf hash of its inclusion proof.
  auto proof = s_->Get("kz-officer", "/v1/log/proof/inclusion?index=" + std::to_string(mtc));
  ASSERT_EQ(proof->status, 200);
  json kz = json::parse(s_->Get("kz-officer", "/v1/log/entries?start=0")->body);
  EXPECT_EQ(json::parse(proof->body)["leafHash"], kz["entries"][mtc]["leaf_hash"]);
  ExpectError(s_->Get("observer", "/v1/log/entries?start=0&end=1"), 403, "forbidden");
}

TEST_F(ApiTest, MonitoringCollectionsAndDueItemsFollowTheMatrix) {
  // The demo: R-73 inspections under RU-UZ-2005 (8 annual + 2017, 2018 and
  // a follow-up), Mi-35M under RU-UZ-2016-MTC (2019-2025 and one awaiting
  // access); as of 2026-11-28 the 12 Mi-35M are 8 days overdue.
  struct Cell {
    std::string user;
    size_t inspections;
    size_t delinquent;
  };
  const Cell cells[] = {{"ru-officer", 19, 12}, {"uz-officer", 19, 12}, {"ru-inspector", 19, 12},
                        {"kz-officer", 0, 0},   {"auditor", 8, 12},     {"auditor-none", 0, 0},
                        {"admin", 19, 12}};
  for (const Cell& c : cells) {
    SCOPED_TRACE(c.user);
    auto list = s_->Get(c.user, "/v1/inspections?limit=500");
    ASSERT_EQ(list->status, 200);
    EXPECT_EQ(json::parse(list->body)["items"].size(), c.inspections);
    auto due = s_->Get(c.user, "/v1/eum/due?as-of=2026-11-28&within=0");
    ASSERT_EQ(due->status, 200) << due->body;
    json j = json::parse(due->body);
    EXPECT_EQ(j["delinquent"], c.delinquent);
    EXPECT_EQ(j.contains("items_monitored"), c.user == "admin");
    if (c.delinquent) {
      EXPECT_EQ(j["units"][0]["unit"], "uz-aviation");
      EXPECT_EQ(j["units"][0]["delinquent"][0]["days_overdue"], 8);
    }
  }
  EXPECT_EQ(s_->Get("kz-officer", "/v1/inspections/EUM-2018-R73")->status, 403);
  json insp = json::parse(s_->Get("uz-officer", "/v1/inspections/EUM-2018-R73")->body);
  EXPECT_EQ(insp["case"], "EUM-2018-R73-findings");
  json consents = json::parse(s_->Get("ru-officer", "/v1/consents")->body)["items"];
  ASSERT_EQ(consents.size(), 1u);
  EXPECT_EQ(consents[0]["third_party"], "TJ");
  EXPECT_EQ(json::parse(s_->Get("uz-officer", "/v1/declarations")->body)["items"].size(), 1u);
  for (const char* path : {"/v1/inspections", "/v1/consents", "/v1/declarations", "/v1/eum/due"}) {
    ExpectError(s_->Get("observer", path), 403, "forbidden");
    ExpectError(s_->Get("", path), 401);
  }
  // The compliance report is aggregate: observers read it.
  auto report = s_->Get("observer", "/v1/reports/eum?as-of=2026-11-28&format=csv");
  ASSERT_EQ(report->status, 200);
  EXPECT_NE(report->body.find("2026-11-28,RU-UZ-2016-MTC,RU,UZ,12,12,0,0.0,12,8,"),
            std::string::npos)
      << report->body;
  EXPECT_EQ(report->body.find("R73-UZ"), std::string::npos);
  // Bad input.
  ExpectError(s_->Get("admin", "/v1/eum/due?as-of=2026-02-29"), 400);
  ExpectError(s_->Get("admin", "/v1/eum/due?within=-1"), 400);
  ExpectError(s_->Get("admin", "/v1/eum/due?within=4000"), 400);
  ExpectError(s_->Get("admin", "/v1/eum/due?serial=1"), 400);
}

TEST_F(ApiTest, InspectorsRecordMonitoringEventsOfTheirParty) {
  uint64_t before = LogSize(s_->db);
  json e = {{"v", 1},
            {"type", "inspection.scheduled"},
            {"time", "2026-11-20T00:00:00Z"},
            {"party", "RU"},
            {"actor", "ru-mod/eum"},
            {"subject", "inspection/API-1"},
            {"body",
             {{"agreement", "RU-UZ-2005"},
              {"recipient", "UZ"},
              {"kind", "routine"},
              {"scope", {{"units", {"uz-air-force"}}}},
              {"planned_date", "2026-12-20"},
              {"team_size", 2}}}};
  auto r = s_->Post("ru-inspector", e.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  // A refused one (UZ does not inspect its own items) appends nothing.
  e["subject"] = "inspection/API-2";
  e["party"] = "UZ";
  ExpectError(s_->Post("uz-officer", e.dump()), 422);
  // Inspectors record monitoring events only.
  ExpectError(s_->Post("ru-inspector", BodyEvent("RU", "insp-body")), 403, "forbidden");
  EXPECT_EQ(LogSize(s_->db), before + 1);
}

TEST_F(ApiTest, HistoryOfOneSubjectFromTheLog) {
  // The events whose subject is the 2018 R-73 inspection: scheduled, access
  // requested, answered (late), completed.
  auto r = s_->Get("uz-officer", "/v1/log/history?subject=inspection/EUM-2018-R73");
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["more"], false);
  ASSERT_EQ(j["entries"].size(), 4u);
  uint64_t last = 0;
  for (const json& e : j["entries"]) {
    ASSERT_TRUE(e.contains("leaf")) << e.dump();
    EXPECT_GT(e["index"].get<uint64_t>(), last);
    last = e["index"];
    json leaf = json::parse(e["leaf"].get<std::string>());
    EXPECT_EQ(leaf["e"]["subject"], "inspection/EUM-2018-R73");
  }
  // The same entries as /v1/log/entries gives for those indexes.
  uint64_t first = j["entries"][0]["index"];
  json one = json::parse(s_->Get("uz-officer", "/v1/log/entries?start=" + std::to_string(first) +
                                                   "&end=" + std::to_string(first + 1))
                             ->body);
  EXPECT_EQ(one["entries"][0], j["entries"][0]);
  // Paging with after.
  json rest =
      json::parse(s_->Get("uz-officer", "/v1/log/history?subject=inspection/EUM-2018-R73&after=" +
                                            std::to_string(first))
                      ->body);
  EXPECT_EQ(rest["entries"].size(), 3u);
  // KZ may read none of them: withheld, hashes only.
  json kz =
      json::parse(s_->Get("kz-officer", "/v1/log/history?subject=inspection/EUM-2018-R73")->body);
  ASSERT_EQ(kz["entries"].size(), 4u);
  for (const json& e : kz["entries"]) {
    EXPECT_TRUE(e["withheld"].get<bool>());
    EXPECT_FALSE(e.contains("leaf"));
  }
  EXPECT_TRUE(json::parse(s_->Get("admin", "/v1/log/history?subject=item/nope/X")->body)["entries"]
                  .empty());
  ExpectError(s_->Get("observer", "/v1/log/history?subject=contract/RU-UZ-2018-001"), 403);
  ExpectError(s_->Get("admin", "/v1/log/history"), 400);
  ExpectError(s_->Get("admin", "/v1/log/history?subject=nokind"), 400);
  ExpectError(s_->Get("admin", "/v1/log/history?subject=item/x&after=-1"), 400);
}

}  // namespace
}  // namespace accord::testing
