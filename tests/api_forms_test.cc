// What the web UI's forms ask the API: POST /v1/events?dry_run=1 (the same
// checks and the same refusals as the real POST, nothing written) and
// GET /v1/event-types (every event type's body, from the rule table).
#include <set>

#include "api_test_util.h"
#include "domain/entity_kinds.h"
#include "domain/event_schema.h"
#include "domain/rules.h"

namespace accord::testing {
namespace {

class ApiFormsTest : public ApiServerParamTest {
 protected:
  httplib::Result DryRun(const std::string& user, const std::string& body,
                         const std::string& query = "?dry_run=1",
                         const std::string& ctype = "application/json") {
    auto c = s_->Client();
    httplib::Headers h;
    if (!user.empty()) h = s_->Auth(user);
    return c.Post("/v1/events" + query, h, body, ctype);
  }
  std::string ProjectionDigest() {
    auto db = storage::OpenDatabase(s_->db);
    EXPECT_TRUE(db.ok());
    auto d = (*db)->entities().Digest();
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : "";
  }
};
ACCORD_API_ON_EVERY_BACKEND(ApiFormsTest);

TEST_P(ApiFormsTest, ADryRunSaysWhatWouldChangeAndWritesNothing) {
  const uint64_t size = LogSize(s_->db);
  const std::string digest = ProjectionDigest();
  std::string e = BodyEvent("RU", "dry-1");
  auto r = DryRun("ru-officer", e);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["dry_run"], true);
  ASSERT_EQ(j["would_record"].size(), 1u);
  const json& w = j["would_record"][0];
  EXPECT_EQ(w["index"], size);
  EXPECT_EQ(w["type"], "body.registered");
  EXPECT_EQ(w["subject"], "body/dry-1");
  ASSERT_GE(w["changes"].size(), 1u);
  EXPECT_EQ(w["changes"][0]["kind"], "body");
  EXPECT_EQ(w["changes"][0]["id"], "dry-1");
  EXPECT_EQ(w["changes"][0]["doc"]["name"], "Plant dry-1");
  // Nothing written: not the log, not the projections, not the key.
  httplib::Headers key = {{"Idempotency-Key", "form-1"}};
  auto c = s_->Client();
  httplib::Headers h = s_->Auth("ru-officer");
  h.insert(key.begin(), key.end());
  ASSERT_EQ(c.Post("/v1/events?dry_run=true", h, e, "application/json")->status, 200);
  EXPECT_EQ(LogSize(s_->db), size);
  EXPECT_EQ(ProjectionDigest(), digest);
  ExpectError(s_->Get("ru-officer", "/v1/bodies/dry-1"), 404);
  // The real POST with that key records (the dry run kept no key) ...
  auto real = s_->Post("ru-officer", e, "application/json", key);
  ASSERT_EQ(real->status, 201) << real->body;
  EXPECT_FALSE(real->has_header("Idempotent-Replayed"));
  EXPECT_EQ(json::parse(real->body)["recorded"][0]["index"], size);
  // ... and a dry run of it now gives the replay refusal the POST gives.
  auto again_dry = DryRun("ru-officer", e);
  auto again = s_->Post("ru-officer", e);
  EXPECT_EQ(again_dry->status, again->status);
  EXPECT_EQ(again_dry->body, again->body);
  EXPECT_EQ(LogSize(s_->db), size + 1);
  // A batch: the second event sees the first one's changes.
  std::string batch = BodyEvent("RU", "dry-2") + "\n" + BodyEvent("RU", "dry-3") + "\n";
  r = DryRun("ru-officer", batch, "?dry_run=1", "application/x-ndjson");
  ASSERT_EQ(r->status, 200) << r->body;
  j = json::parse(r->body);
  ASSERT_EQ(j["would_record"].size(), 2u);
  EXPECT_EQ(j["would_record"][1]["index"], size + 2);
  EXPECT_EQ(LogSize(s_->db), size + 1);
}

TEST_P(ApiFormsTest, ARefusalIsTheOneTheRealPostGives) {
  const uint64_t size = LogSize(s_->db);
  const std::string digest = ProjectionDigest();
  json malformed = json::parse(BodyEvent("RU", "dry-bad"));
  malformed["body"]["kind"] = "spaceship";
  json unknown = json::parse(BodyEvent("RU", "dry-bad"));
  unknown["body"]["colour"] = "red";
  // Well-formed but against a rule: UZ does not inspect its own items.
  json ruled = {{"v", 1},
                {"type", "inspection.scheduled"},
                {"time", "2026-11-20T00:00:00Z"},
                {"party", "UZ"},
                {"actor", "uz-mod/eum"},
                {"subject", "inspection/DRY-1"},
                {"body",
                 {{"agreement", "RU-UZ-2005"},
                  {"recipient", "UZ"},
                  {"kind", "routine"},
                  {"scope", {{"units", {"uz-air-force"}}}},
                  {"planned_date", "2026-12-20"},
                  {"team_size", 2}}}};
  json future = json::parse(BodyEvent("RU", "dry-future"));
  future["time"] = "2999-01-01T00:00:00Z";
  struct Case {
    std::string name, user, body;
    int status;
    std::string must_name;  // the field or rule the message names
  };
  std::vector<Case> cases = {
      {"malformed JSON", "ru-officer", "{\"v\":1,", 400, ""},
      {"bad enum", "ru-officer", malformed.dump(), 0, "body.kind"},
      {"unknown field", "ru-officer", unknown.dump(), 400, "body.colour"},
      {"rule", "uz-officer", ruled.dump(), 422, "rule "},
      {"future", "ru-officer", future.dump(), 400, "time:"},
      {"other party", "ru-officer", BodyEvent("UZ", "dry-uz"), 403, "own party"},
      {"inspector", "ru-inspector", BodyEvent("RU", "dry-insp"), 403, "monitoring"},
      {"observer", "observer", BodyEvent("RU", "dry-obs"), 403, ""},
      {"revoked", "revoked", BodyEvent("RU", "dry-rev"), 401, ""},
      {"anonymous", "", BodyEvent("RU", "dry-anon"), 401, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto dry = DryRun(c.user, c.body);
    auto cl = s_->Client();
    auto real = c.user.empty() ? cl.Post("/v1/events", c.body, "application/json")
                               : s_->Post(c.user, c.body);
    ASSERT_TRUE(dry);
    ASSERT_TRUE(real);
    if (c.status != 0) ExpectError(dry, c.status);
    EXPECT_GE(dry->status, 400);
    EXPECT_EQ(dry->status, real->status);
    EXPECT_EQ(dry->body, real->body);
    EXPECT_NE(dry->body.find(c.must_name), std::string::npos) << dry->body;
  }
  ExpectError(DryRun("ru-officer", BodyEvent("RU", "x"), "?dry_run=maybe"), 400);
  ExpectError(DryRun("ru-officer", BodyEvent("RU", "x"), "?dry_run=1&dry_run=true"), 400);
  EXPECT_EQ(LogSize(s_->db), size);
  EXPECT_EQ(ProjectionDigest(), digest);
}

// Every field path of `fields` (nested ones too), to "required"/"optional".
void Flatten(const json& fields, std::map<std::string, bool>& out) {
  for (const json& f : fields) {
    out[f["path"].get<std::string>()] = f["required"].get<bool>();
    if (f.contains("fields")) Flatten(f["fields"], out);
  }
}

TEST_P(ApiFormsTest, EventTypesDescribeEveryTypeFromTheRuleTable) {
  auto r = s_->Get("ru-officer", "/v1/event-types");
  ASSERT_EQ(r->status, 200) << r->body;
  json types = json::parse(r->body)["event_types"];
  std::map<std::string, json> by_type;
  for (const json& t : types) by_type[t["type"].get<std::string>()] = t;
  std::vector<std::string> known = domain::KnownEventTypes();
  EXPECT_EQ(by_type.size(), known.size());
  for (const domain::EventTypeDoc& d : domain::DescribeEventTypes()) {
    SCOPED_TRACE(d.type);
    ASSERT_TRUE(by_type.contains(d.type));
    const json& t = by_type[d.type];
    EXPECT_EQ(t["subject_kind"], d.subject_kind);
    std::map<std::string, bool> paths;
    Flatten(t["fields"], paths);
    ASSERT_EQ(paths.size(), d.fields.size());
    for (const std::string& line : d.fields) {
      std::string path = line.substr(0, line.find(':'));
      ASSERT_TRUE(paths.contains(path)) << path;
      EXPECT_EQ(paths[path], line.find("(optional)") == std::string::npos) << line;
    }
  }
  // A sample, field by field: a contract draft.
  const json& contract = by_type.at("contract.drafted");
  std::map<std::string, json> f;
  for (const json& x : contract["fields"]) f[x["name"].get<std::string>()] = x;
  ASSERT_TRUE(f.contains("lines"));
  EXPECT_EQ(f["lines"]["type"], "array");
  EXPECT_EQ(f["lines"]["item"], "object");
  bool money = false;
  for (const json& x : f["lines"]["fields"]) {
    if (x["name"] == "unit_price_minor") {
      money = true;
      EXPECT_EQ(x["type"], "integer");
      EXPECT_EQ(x["unit"], "money_minor");
      EXPECT_EQ(x["currency_field"], "body.lines[].currency");
      EXPECT_EQ(x["min"], 0);
    }
  }
  EXPECT_TRUE(money);
  const json& body = by_type.at("body.registered");
  EXPECT_EQ(body["may_record"], true);
  EXPECT_EQ(body["party"], "RU");
  bool kind_enum = false;
  for (const json& x : body["fields"]) {
    if (x["name"] == "kind") {
      kind_enum = true;
      EXPECT_EQ(x["type"], "enum");
      EXPECT_TRUE(x["values"].is_array() && !x["values"].empty());
    }
  }
  EXPECT_TRUE(kind_enum);
  // What each user may record, as the POST would decide it.
  json insp = json::parse(s_->Get("ru-inspector", "/v1/event-types")->body)["event_types"];
  for (const json& t : insp) {
    EXPECT_EQ(t["may_record"], domain::IsMonitoringType(t["type"].get<std::string>())) << t["type"];
  }
  json admin = json::parse(s_->Get("admin", "/v1/event-types")->body)["event_types"];
  EXPECT_EQ(admin[0]["party"], "registry");
  json obs = json::parse(s_->Get("observer", "/v1/event-types")->body)["event_types"];
  for (const json& t : obs) EXPECT_EQ(t["may_record"], false);
  ExpectError(s_->Get("", "/v1/event-types"), 401);
  ExpectError(s_->Get("ru-officer", "/v1/event-types?x=1"), 400);
}

}  // namespace
}  // namespace accord::testing
