// Issue #14, High 2: one disclosure decision (api/disclosure.h) on every
// read path. A three-party course (host RU, seats for UZ and KZ): an officer
// of UZ must not see KZ's trainees through any endpoint, nor KZ UZ's, for
// every field the course's redaction hides (pseudonym, party, status, dates,
// reason, qualification), while the host, the auditor of the agreement, the
// admin and a node still read every event whole and verify it.
#include "api_test_util.h"
#include "crypto/sha256.h"
#include "merkle/hasher.h"
#include "pg_test_util.h"

namespace accord::testing {
namespace {

const char* const kCourse = "course/TRI-2019";

// What UZ must never see: KZ's pseudonyms, and the dates, reason and
// qualification of KZ's trainees (none of them occurs in the demo).
const std::vector<std::string> kKzSecrets = {
    "kz-mod/trainee-9001", "kz-mod/trainee-9002", "kz-mod/trainee-9003", "2019-03-19",
    "2019-04-23",          "2019-11-28",          "KZREASON-family",     "KZQUAL-staff-officer"};
// What KZ must never see: UZ's pseudonym and its enrolment date.
const std::vector<std::string> kUzSecrets = {"uz-mod/trainee-7001", "2019-03-11"};

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

json Ev(const std::string& type, const std::string& date, const std::string& party,
        const std::string& subject, json body) {
  return {{"v", 1},
          {"type", type},
          {"time", date + "T00:00:00Z"},
          {"party", party},
          {"actor", "test/officer"},
          {"subject", subject},
          {"body", std::move(body)}};
}

std::string Signed(const fs::path& key_file, json e) {
  auto key = note::Signer::Parse(ReadFile(key_file));
  EXPECT_TRUE(key.ok()) << key_file;
  auto msg = domain::SigningMessage(e);
  EXPECT_TRUE(msg.ok());
  e["key"] = domain::KeyIdHex(key->key_id());
  e["sig"] = Base64Encode(key->Sign(*msg));
  return e.dump();
}

// Run on SQLite and, with ACCORD_TEST_PG, on PostgreSQL: one server per
// backend, shared by the suite.
class ApiDisclosureTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string locator;
    if (GetParam() == "postgres") {
      if (PgServerUri().empty()) GTEST_SKIP() << kNoPgServer;
      if (!servers_.contains(GetParam())) {
        locator = FreshPgDatabase("disclose");
        ASSERT_FALSE(locator.empty());
      }
    }
    std::unique_ptr<ApiServer>& slot = servers_[GetParam()];
    if (!slot) {
      slot = std::make_unique<ApiServer>(nullptr, locator);
      Populate(*slot);
    }
    s_ = slot.get();
  }
  static void TearDownTestSuite() { servers_.clear(); }

  // The node user, KZ (its key, its ministry), and the three-party course.
  static void Populate(ApiServer& s) {
    auto store = api::ApiStore::Open(s.db);
    ASSERT_TRUE(store.ok());
    auto t = (*store)->AddUser("node", "RU", api::Role::kNode, 1700000000);
    ASSERT_TRUE(t.ok());
    s.users.token["node"] = *t;
    ASSERT_EQ(Accord({"keygen", "kz", "--out", s.dir}).exit_code, 0);
    fs::path node = s.dir / "d.node.skey", kz = s.dir / "kz.skey";
    if (s.db.starts_with("postgres")) {
      node = s.dir / (s.db.substr(s.db.rfind('/') + 1) + ".node.skey");
    }
    auto post = [&](const std::string& user, const json& event) {
      std::string body = event.is_string() ? event.get<std::string>() : event.dump();
      auto r = s.Post(user, body);
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 201) << body << "\n" << r->body;
    };
    const std::string day0 = "2019-01-10";
    post("admin", Signed(node, Ev("party.registered", day0, "registry", "party/KZ",
                                  {{"name", "Kazakhstan"}})));
    post("admin", Signed(node, Ev("party.key_registered", day0, "registry", "party/KZ",
                                  {{"vkey", Trimmed(ReadFile(s.dir / "kz.vkey"))},
                                   {"valid_from", "2019-01-01"}})));
    post("kz-officer", Signed(kz, Ev("body.registered", day0, "KZ", "body/kz-mod",
                                     {{"party", "KZ"},
                                      {"kind", "ministry_of_defence"},
                                      {"name", "Ministry of Defence of Kazakhstan"},
                                      {"city", "Astana"}})));
    post("ru-officer",
         Ev("course.planned", "2019-02-01", "RU", kCourse,
            {{"agreement", "RU-UZ-2016-MTC"},
             {"institution", "ru-combined-arms-academy"},
             {"subject", "Three-party staff course"},
             {"level", "command_staff"},
             {"language", "ru"},
             {"start", "2019-03-01"},
             {"end", "2019-12-20"},
             {"seats", {{{"party", "UZ"}, {"seats", 2}}, {{"party", "KZ"}, {"seats", 3}}}}}));
    post("uz-officer",
         Ev("course.trainee_enrolled", "2019-03-11", "UZ", kCourse,
            {{"trainee", "uz-mod/trainee-7001"}, {"party", "UZ"}, {"date", "2019-03-11"}}));
    // KZ enrols two of its trainees; the host enrols a third.
    post("kz-officer",
         Signed(kz,
                Ev("course.trainee_enrolled", "2019-03-19", "KZ", kCourse,
                   {{"trainee", "kz-mod/trainee-9001"}, {"party", "KZ"}, {"date", "2019-03-19"}})));
    post("kz-officer",
         Signed(kz,
                Ev("course.trainee_enrolled", "2019-03-19", "KZ", kCourse,
                   {{"trainee", "kz-mod/trainee-9002"}, {"party", "KZ"}, {"date", "2019-03-19"}})));
    post("ru-officer",
         Ev("course.trainee_enrolled", "2019-03-19", "RU", kCourse,
            {{"trainee", "kz-mod/trainee-9003"}, {"party", "KZ"}, {"date", "2019-03-19"}}));
    // KZ withdraws one with a reason; the host graduates one.
    post("kz-officer", Signed(kz, Ev("course.trainee_withdrawn", "2019-04-23", "KZ", kCourse,
                                     {{"trainee", "kz-mod/trainee-9002"},
                                      {"date", "2019-04-23"},
                                      {"reason", "KZREASON-family"}})));
    post("ru-officer", Ev("course.trainee_graduated", "2019-11-28", "RU", kCourse,
                          {{"trainee", "kz-mod/trainee-9001"},
                           {"date", "2019-11-28"},
                           {"qualification", "KZQUAL-staff-officer"}}));
  }
  // Every answer `user` gets from every GET route of the API (entities,
  // reports in every format, the whole log page by page, the course's
  // history, the entry bundles), as one text.
  static std::string EverythingSeenBy(const std::string& user) {
    std::string seen;
    auto get = [&](const std::string& path) {
      auto r = s_->Get(user, path);
      EXPECT_TRUE(r) << path;
      if (r) seen += path + " " + std::to_string(r->status) + "\n" + r->body + "\n";
      return r;
    };
    for (const api::RouteInfo& route : api::Routes()) {
      if (route.method != "get") continue;
      std::string path = route.path;
      if (path.ends_with("/{id}")) {
        path.replace(path.size() - 4, 4, path.starts_with("/v1/courses/") ? "TRI-2019" : "x");
      }
      get(path);
      if (path.starts_with("/v1/courses")) get(path + (path.ends_with("s") ? "?limit=500" : ""));
      if (path.starts_with("/v1/reports/")) {
        for (const char* f : {"json", "csv", "md"}) get(path + "?format=" + f);
      }
    }
    uint64_t size = LogSize(s_->db);
    for (uint64_t start = 0; start < size; start += 1000) {
      get("/v1/log/entries?start=" + std::to_string(start) +
          "&end=" + std::to_string(std::min(size, start + 1000)));
    }
    get(std::string("/v1/log/history?subject=") + kCourse);
    for (uint64_t tile = 0; tile * 256 < size; ++tile) {
      char name[16];
      std::snprintf(name, sizeof name, "%03llu", static_cast<unsigned long long>(tile));
      std::string path = "/tlog/tile/entries/" + std::string(name);
      if ((tile + 1) * 256 > size) path += ".p/" + std::to_string(size - tile * 256);
      get(path);
    }
    return seen;
  }

  // The whole entries of the course's history as `user` sees them: index ->
  // event.
  static std::map<uint64_t, json> History(const std::string& user) {
    auto r = s_->Get(user, std::string("/v1/log/history?subject=") + kCourse);
    EXPECT_EQ(r->status, 200) << r->body;
    std::map<uint64_t, json> out;
    json body = json::parse(r->body);
    for (const json& e : body["entries"]) {
      EXPECT_TRUE(e.contains("leaf")) << e.dump();
      out[e["index"]] = json::parse(e["leaf"].get<std::string>())["e"];
    }
    return out;
  }

  static inline std::map<std::string, std::unique_ptr<ApiServer>> servers_;
  static inline ApiServer* s_ = nullptr;
};

INSTANTIATE_TEST_SUITE_P(Backends, ApiDisclosureTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST_P(ApiDisclosureTest, NoPartySeesAnotherPartysTraineesThroughAnyEndpoint) {
  // The admin sees every secret: they are there to be hidden.
  std::string admin = EverythingSeenBy("admin");
  for (const auto& secrets : {kKzSecrets, kUzSecrets}) {
    for (const std::string& x : secrets) EXPECT_TRUE(Contains(admin, x)) << x;
  }
  struct Cell {
    std::string user;
    const std::vector<std::string>* hidden;
    const std::vector<std::string>* shown;
  };
  for (const Cell& c : {Cell{"uz-officer", &kKzSecrets, &kUzSecrets},
                        Cell{"kz-officer", &kUzSecrets, &kKzSecrets}}) {
    SCOPED_TRACE(c.user);
    std::string seen = EverythingSeenBy(c.user);
    for (const std::string& x : *c.hidden) EXPECT_FALSE(Contains(seen, x)) << x;
    // Its own trainees it sees, in the course and in the log.
    for (const std::string& x : *c.shown) EXPECT_TRUE(Contains(seen, x)) << x;
  }
}

TEST_P(ApiDisclosureTest, HistoryShowsEachPartyItsOwnTraineesAndTheHostAll) {
  auto types = [](const std::map<uint64_t, json>& h) {
    std::vector<std::string> out;
    for (const auto& [i, e] : h) {
      out.push_back(e["type"].get<std::string>() + " " + e["body"].value("trainee", ""));
    }
    return out;
  };
  std::vector<std::string> all = {"course.planned ",
                                  "course.trainee_enrolled uz-mod/trainee-7001",
                                  "course.trainee_enrolled kz-mod/trainee-9001",
                                  "course.trainee_enrolled kz-mod/trainee-9002",
                                  "course.trainee_enrolled kz-mod/trainee-9003",
                                  "course.trainee_withdrawn kz-mod/trainee-9002",
                                  "course.trainee_graduated kz-mod/trainee-9001"};
  for (const char* user : {"ru-officer", "auditor", "admin"}) {
    EXPECT_EQ(types(History(user)), all) << user;
  }
  EXPECT_EQ(types(History("uz-officer")), (std::vector<std::string>{all[0], all[1]}));
  EXPECT_EQ(types(History("kz-officer")),
            (std::vector<std::string>{all[0], all[2], all[3], all[4], all[5], all[6]}));
  // The course document agrees with the history.
  json uz = json::parse(s_->Get("uz-officer", "/v1/courses/TRI-2019")->body);
  EXPECT_EQ(uz["trainees"].size(), 1u);
  json kz = json::parse(s_->Get("kz-officer", "/v1/courses/TRI-2019")->body);
  EXPECT_EQ(kz["trainees"].size(), 3u);
}

TEST_P(ApiDisclosureTest, WithheldEntriesKeepTheirHashAndProofs) {
  std::map<uint64_t, json> admin = History("admin");
  auto uz = json::parse(
      s_->Get("uz-officer", "/v1/log/entries?start=" + std::to_string(admin.begin()->first))
          ->body)["entries"];
  auto full =
      json::parse(s_->Get("admin", "/v1/log/entries?start=" + std::to_string(admin.begin()->first))
                      ->body)["entries"];
  ASSERT_EQ(uz.size(), full.size());
  int withheld = 0;
  for (size_t i = 0; i < uz.size(); ++i) {
    const json& e = uz[i];
    EXPECT_EQ(e["leaf_hash"], full[i]["leaf_hash"]);
    if (!e.contains("leaf")) {
      ++withheld;
      // Only index, the flag and the hash: nothing that says why.
      EXPECT_EQ(e.size(), 3u) << e.dump();
      EXPECT_EQ(e["withheld"], true);
      // The hash is the one an inclusion proof uses.
      auto p = s_->Get("uz-officer", "/v1/log/proof/inclusion?index=" + e["index"].dump());
      ASSERT_EQ(p->status, 200);
      EXPECT_EQ(json::parse(p->body)["leafHash"], e["leaf_hash"]);
    } else {
      // A whole leaf is the exact signed text: its hash is the leaf hash.
      std::string leaf = e["leaf"];
      EXPECT_EQ(Base64Encode(AsBytes(merkle::LeafHash(leaf))), e["leaf_hash"]);
      EXPECT_EQ(leaf, full[i]["leaf"].get<std::string>());
    }
  }
  EXPECT_EQ(withheld, 5);  // KZ's three enrolments, its withdrawal, the graduation
}

TEST_P(ApiDisclosureTest, EntryBundlesAreForAdminAndNodeOnly) {
  std::string path = "/tlog/tile/entries/000";
  for (const char* user : {"ru-officer", "uz-officer", "ru-inspector", "auditor", "observer"}) {
    ExpectError(s_->Get(user, path), 403, "forbidden");
  }
  ExpectError(s_->Get("", path), 401);
  for (const char* user : {"admin", "node"}) {
    auto r = s_->Get(user, path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << user << " " << r->body.substr(0, 200);
  }
  // The node reads every entry whole through /v1/log/entries too.
  EXPECT_EQ(History("node").size(), 7u);
}

TEST_P(ApiDisclosureTest, RefusalsDoNotTellAnotherPartysTraineesApart) {
  // UZ tries to withdraw KZ's trainees (one enrolled, one withdrawn, one
  // graduated) and one that does not exist: the same answer for each, and
  // nothing appended.
  uint64_t before = LogSize(s_->db);
  std::set<std::string> answers;
  for (const char* t : {"kz-mod/trainee-9003", "kz-mod/trainee-9002", "kz-mod/trainee-9001",
                        "kz-mod/trainee-9999"}) {
    auto r = s_->Post("uz-officer", Ev("course.trainee_withdrawn", "2019-05-01", "UZ", kCourse,
                                       {{"trainee", t}, {"date", "2019-05-01"}})
                                        .dump());
    ASSERT_TRUE(r);
    std::string body = r->body;
    size_t at = body.find(t);
    ASSERT_NE(at, std::string::npos) << body;
    body.replace(at, std::string(t).size(), "<trainee>");
    answers.insert(std::to_string(r->status) + " " + body);
  }
  EXPECT_EQ(answers.size(), 1u) << ::testing::PrintToString(answers);
  EXPECT_TRUE(Contains(*answers.begin(), "is not a trainee of UZ on course TRI-2019"))
      << *answers.begin();
  EXPECT_EQ(LogSize(s_->db), before);
}

TEST(ApiDisclosure, EventFormsPerRole) {
  json course = {{"id", "C"},
                 {"host", "RU"},
                 {"seats", {{"UZ", 2}, {"KZ", 2}}},
                 {"trainees",
                  {{"uz-mod/t-1", {{"party", "UZ"}, {"status", "enrolled"}}},
                   {"kz-mod/t-1", {{"party", "KZ"}, {"status", "enrolled"}}}}}};
  api::EntityLookup lookup = [&](std::string_view kind,
                                 std::string_view id) -> Result<std::optional<json>> {
    if (kind == "course" && id == "C") return std::optional<json>(course);
    return std::optional<json>();
  };
  auto who = [](api::Role role, std::string party) {
    api::Principal p;
    p.user = "u";
    p.party = std::move(party);
    p.role = role;
    p.agreements = {"A"};
    return p;
  };
  auto form = [&](const api::Principal& p, const json& e) {
    auto f = api::DiscloseEvent(p, e, lookup);
    EXPECT_TRUE(f.ok());
    return *f;
  };
  using api::EventForm;
  json kz_grad = Ev("course.trainee_graduated", "2019-01-01", "RU", "course/C",
                    {{"trainee", "kz-mod/t-1"}, {"date", "2019-01-01"}});
  json planned = Ev("course.planned", "2019-01-01", "RU", "course/C", json::object());
  EXPECT_EQ(form(who(api::Role::kOfficer, "RU"), kz_grad), EventForm::kWhole);
  EXPECT_EQ(form(who(api::Role::kOfficer, "KZ"), kz_grad), EventForm::kWhole);
  EXPECT_EQ(form(who(api::Role::kInspector, "KZ"), kz_grad), EventForm::kWhole);
  EXPECT_EQ(form(who(api::Role::kOfficer, "UZ"), kz_grad), EventForm::kWithheld);
  EXPECT_EQ(form(who(api::Role::kInspector, "UZ"), kz_grad), EventForm::kWithheld);
  EXPECT_EQ(form(who(api::Role::kAdmin, "UZ"), kz_grad), EventForm::kWhole);
  EXPECT_EQ(form(who(api::Role::kNode, "UZ"), kz_grad), EventForm::kWhole);
  EXPECT_EQ(form(who(api::Role::kObserver, "KZ"), kz_grad), EventForm::kWithheld);
  EXPECT_EQ(form(who(api::Role::kOfficer, "UZ"), planned), EventForm::kWhole);
  EXPECT_EQ(form(who(api::Role::kOfficer, "BY"), planned), EventForm::kWithheld);
  // A trainee the course does not know (fail closed), or a course that is
  // gone, is withheld from a non-host party.
  json ghost = kz_grad;
  ghost["body"]["trainee"] = "kz-mod/t-9";
  EXPECT_EQ(form(who(api::Role::kOfficer, "KZ"), ghost), EventForm::kWithheld);
  EXPECT_EQ(form(who(api::Role::kOfficer, "RU"), ghost), EventForm::kWhole);
  // A party sees what it recorded itself.
  json own = kz_grad;
  own["party"] = "UZ";
  EXPECT_EQ(form(who(api::Role::kOfficer, "UZ"), own), EventForm::kWhole);
  // DiscloseEntity: nothing, redacted, or whole.
  EXPECT_FALSE(
      api::DiscloseEntity(who(api::Role::kOfficer, "BY"), "course", course, lookup)->has_value());
  EXPECT_EQ(
      (**api::DiscloseEntity(who(api::Role::kOfficer, "UZ"), "course", course, lookup))["trainees"]
          .size(),
      1u);
  EXPECT_EQ(**api::DiscloseEntity(who(api::Role::kOfficer, "RU"), "course", course, lookup),
            course);
}

}  // namespace
}  // namespace accord::testing
