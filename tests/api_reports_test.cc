// The HTTP API's reports: byte for byte the CLI's output, the forms each
// role may read (every cell of CanReadReport), bad input, and anonymous
// readers with --public-reports.
#include "api_test_util.h"

namespace accord::testing {
namespace {

class ApiReportTest : public ApiServerParamTest {};
ACCORD_API_ON_EVERY_BACKEND(ApiReportTest);

// `accord report ARGS --db DB` on the server's registry.
std::string CliReport(const ApiServer& s, std::vector<std::string> args) {
  args.insert(args.begin(), "report");
  args.push_back("--db");
  args.push_back(s.db);
  CommandResult r = Accord(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST_P(ApiReportTest, ReportsAreTheCliOutputByteForByte) {
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
TEST_P(ApiReportTest, ReportAuthorizationMatrix) {
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

TEST_P(ApiReportTest, ReportBadInputIsAClear4xx) {
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
      {"/v1/reports/tiv?from=2019&to=2017", 400,  // issue #14: was [] with 200
       "query parameter from 2019 is after query parameter to 2017"},
      {"/v1/reports/cooperation?from=2019&to=2017", 400,
       "query parameter from 2019 is after query parameter to 2017"},
      {"/v1/reports/cooperation?agreement=x'%20OR%20'1'%3D'1", 400,
       "query parameter agreement: no agreement \"x' OR '1'='1\""},
      // Issue #14, minor: an unknown dataset, and invalid UTF-8 in a filter.
      {"/v1/reports/tiv?dataset=nope", 400,
       "query parameter dataset: \"nope\" is not a dataset of this registry"},
      {"/v1/reports/tiv?supplier=%FF", 400,
       "query parameter supplier is not valid UTF-8 (byte 0 of \"\\xff\")"},
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
    // ...and as a dataset name they name none (issue #14: was 200 "tiv\n").
    r = s_->Get("admin", std::string("/v1/reports/tiv?format=csv&dataset=") + v);
    ExpectError(r, 400, "invalid_argument");
    EXPECT_NE(r->body.find("is not a dataset of this registry"), std::string::npos) << r->body;
  }
  // The two datasets every registry has answer even when empty.
  for (const char* d : {"sipri", "accord"}) {
    auto r = s_->Get("admin", std::string("/v1/reports/tiv?format=csv&dataset=") + d);
    EXPECT_EQ(r->status, 200) << d << " " << r->body;
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
  // Nothing else is public (but the checkpoints and hash tiles, always:
  // api_tlog_test.cc).
  for (const char* path : {"/v1/contracts", "/v1/courses", "/v1/log/proof/inclusion?index=0",
                           "/v1/log/entries?start=0&end=1", "/v1/openapi.json"}) {
    ExpectError(s.Get("", path), 401, "unauthenticated");
  }
}

}  // namespace
}  // namespace accord::testing
