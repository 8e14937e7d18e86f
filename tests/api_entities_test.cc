// The HTTP API's entity collections (one pair of routes per row of
// domain/entity_kinds.h): lists, gets, filters and pagination, and every cell
// of the authorization matrix for entities, cooperation activities and
// end-use monitoring.
#include "api_test_util.h"

namespace accord::testing {
namespace {

class ApiEntityTest : public ApiServerParamTest {};
ACCORD_API_ON_EVERY_BACKEND(ApiEntityTest);

TEST_P(ApiEntityTest, ListGetFiltersAndPagination) {
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

TEST_P(ApiEntityTest, SqlMetacharactersInFiltersAreJustText) {
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
TEST_P(ApiEntityTest, AuthorizationMatrix) {
  struct Cell {
    std::string user;
    int proofs, entries, contract_in_mtc, contract_list_nonempty, product;
  };
  // contract RU-UZ-2018-001 is under RU-UZ-2016-MTC (parties RU, UZ).
  std::vector<Cell> cells = {
      {"ru-officer", 200, 200, 200, 1, 200}, {"uz-officer", 200, 200, 200, 1, 200},
      {"kz-officer", 200, 200, 404, 0, 200}, {"ru-inspector", 200, 200, 200, 1, 200},
      {"auditor", 200, 200, 200, 1, 200},    {"auditor-none", 200, 200, 404, 0, 200},
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
  EXPECT_EQ(s_->Get("auditor", "/v1/contracts/RU-UZ-2001-001")->status, 404);  // RU-UZ-1992
  // Issue #14: no existence oracle. An entity the caller may not read is
  // answered exactly as one that does not exist.
  auto hidden = s_->Get("kz-officer", "/v1/contracts/RU-UZ-2018-001");
  auto missing = s_->Get("kz-officer", "/v1/contracts/RU-UZ-2018-999");
  ExpectError(hidden, 404, "not_found");
  ExpectError(missing, 404, "not_found");
  std::string expected = missing->body;
  expected.replace(expected.find("2018-999"), 8, "2018-001");
  EXPECT_EQ(hidden->body, expected);

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

// --- Cooperation collections -------------------------------------------------

TEST_P(ApiEntityTest, CooperationCollectionsFollowTheMatrix) {
  // The demo: courses under RU-UZ-2016-MTC (host RU, seats for UZ);
  // consultations and visits under RU-UZ-2005.
  struct Cell {
    std::string user;
    int course_status;
    bool consultations;  // lists all 22 (the auditor: those under RU-UZ-2016-MTC)
  };
  const Cell cells[] = {{"ru-officer", 200, true},  {"uz-officer", 200, true},
                        {"kz-officer", 404, false}, {"ru-inspector", 200, true},
                        {"auditor", 200, false},    {"auditor-none", 404, false},
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

TEST_P(ApiEntityTest, MonitoringCollectionsAndDueItemsFollowTheMatrix) {
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
  EXPECT_EQ(s_->Get("kz-officer", "/v1/inspections/EUM-2018-R73")->status, 404);
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

}  // namespace
}  // namespace accord::testing
