// The yearly cooperation figures of a crafted scenario, decided by the real
// rules into an in-memory state, against figures worked out by hand below.
#include "registry/cooperation_report.h"

#include <gtest/gtest.h>

#include "domain/envelope.h"
#include "domain/reference.h"
#include "domain/rules.h"
#include "domain/state.h"
#include "registry/demo.h"
#include "registry/registry.h"
#include "storage/conformance/backends.h"
#include "test_util.h"

namespace accord::registry {
namespace {

using nlohmann::json;

class CooperationReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ref = domain::ReferenceData::Load();
    ASSERT_TRUE(ref.ok()) << ref.status().ToString();
    ref_ = std::move(*ref);
    ctx_.ref = &ref_;
    BuildScenario();
  }

  // Decides one event dated `date` and applies it; the test fails if refused.
  void Ev(const std::string& party, const std::string& date, const std::string& type,
          const std::string& subject, json body) {
    json e = {{"v", 1},
              {"type", type},
              {"time", date + "T00:00:00Z"},
              {"party", party},
              {"actor", "test/a"},
              {"subject", subject},
              {"body", std::move(body)}};
    auto event = domain::ParseEvent(e);
    ASSERT_TRUE(event.ok()) << e.dump() << "\n" << event.status().ToString();
    auto changes = domain::Decide(ctx_, state_, *event, next_index_++);
    ASSERT_TRUE(changes.ok()) << e.dump() << "\n" << changes.status().ToString();
    state_.Apply(*changes);
  }

  void Agreement(const std::string& id, const std::string& signed_date,
                 const std::string& ratified) {
    Ev("registry", signed_date, "agreement.registered", "agreement/" + id,
       {{"title", id},
        {"parties", {"RU", "UZ"}},
        {"signed_date", signed_date},
        {"signed_place", "Moscow"},
        {"signatories", {{{"party", "RU"}, {"name", "A"}}, {{"party", "UZ"}, {"name", "B"}}}},
        {"pricing_rule", "negotiated"}});
    for (const char* p : {"RU", "UZ"}) {
      Ev(p, ratified, "agreement.ratified", "agreement/" + id,
         {{"date", ratified}, {"instrument", "Law"}});
    }
  }

  static json Participants(int64_t ru, int64_t uz) {
    return {{{"party", "RU"}, {"headcount", ru}}, {{"party", "UZ"}, {"headcount", uz}}};
  }

  void Exercise(const std::string& id, const std::string& planned_on, const std::string& start,
                const std::string& end, const std::string& agreement) {
    json body = {{"name", id},
                 {"kind", "counter_terrorism"},
                 {"start", start},
                 {"end", end},
                 {"host", "UZ"},
                 {"location", "Forish"},
                 {"participants", Participants(10, 10)}};
    if (!agreement.empty()) body["agreement"] = agreement;
    Ev("RU", planned_on, "exercise.planned", "exercise/" + id, body);
  }

  void Conducted(const std::string& id, const std::string& start, const std::string& end,
                 int64_t ru, int64_t uz) {
    Ev("UZ", end, "exercise.conducted", "exercise/" + id,
       {{"start", start}, {"end", end}, {"participants", Participants(ru, uz)}});
  }

  void Enrol(const std::string& course, const std::string& trainee, const std::string& date) {
    Ev("UZ", date, "course.trainee_enrolled", "course/" + course,
       {{"trainee", "uz-mod/" + trainee}, {"party", "UZ"}, {"date", date}});
  }

  void Graduate(const std::string& course, const std::string& trainee, const std::string& date) {
    Ev("RU", date, "course.trainee_graduated", "course/" + course,
       {{"trainee", "uz-mod/" + trainee}, {"date", date}, {"qualification", "Diploma"}});
  }

  void Complete(const std::string& consultation, const std::string& action, const std::string& date,
                const std::string& party) {
    Ev(party, date, "consultation.action_completed", "consultation/" + consultation,
       {{"action", action}, {"date", date}});
  }

  void Visit(const std::string& id, const std::string& planned_on, const std::string& start,
             const std::string& agreement) {
    json body = {{"field", "air defence maintenance"},
                 {"host", "uz-mod"},
                 {"visiting_party", "RU"},
                 {"specialists", 3},
                 {"start", start},
                 {"end", start},
                 {"purpose", "Training"}};
    if (!agreement.empty()) body["agreement"] = agreement;
    Ev("RU", planned_on, "visit.planned", "visit/" + id, body);
  }

  void BuildScenario() {
    for (const char* p : {"RU", "UZ"}) {
      Ev("registry", "2000-01-01", "party.registered", std::string("party/") + p, {{"name", p}});
    }
    auto body = [&](const std::string& id, const std::string& party, const std::string& kind) {
      Ev("registry", "2000-01-01", "body.registered", "body/" + id,
         {{"party", party}, {"kind", kind}, {"name", id}});
    };
    body("ru-mod", "RU", "ministry_of_defence");
    body("uz-mod", "UZ", "ministry_of_defence");
    body("ru-academy", "RU", "military_institution");
    body("ru-gs-academy", "RU", "military_institution");
    Agreement("A-2005", "2005-11-14", "2006-05-01");
    Agreement("A-2016", "2016-11-29", "2017-04-17");

    // Exercises. X1 held 2016 (250); X2 cancelled; X3 held 2017 (80); X4
    // held 2017 (300, A-2016); X5 postponed into 2018; X6 planned for 2018.
    Exercise("X1", "2016-03-01", "2016-05-10", "2016-05-12", "A-2005");
    Conducted("X1", "2016-05-10", "2016-05-12", 100, 150);
    Exercise("X2", "2016-06-01", "2016-09-01", "2016-09-03", "");
    Ev("UZ", "2016-08-01", "exercise.cancelled", "exercise/X2",
       {{"date", "2016-08-01"}, {"reason", "Budget"}});
    Exercise("X3", "2017-01-10", "2017-04-18", "2017-04-21", "A-2005");
    Conducted("X3", "2017-04-18", "2017-04-21", 50, 30);
    Exercise("X4", "2017-05-01", "2017-10-03", "2017-10-07", "A-2016");
    Conducted("X4", "2017-10-03", "2017-10-06", 120, 180);
    Exercise("X5", "2017-06-01", "2017-11-01", "2017-11-03", "A-2016");
    Ev("RU", "2017-10-01", "exercise.postponed", "exercise/X5",
       {{"start", "2018-03-01"}, {"end", "2018-03-05"}, {"reason", "Weather"}});
    Exercise("X6", "2017-06-01", "2018-08-01", "2018-08-03", "A-2016");

    // Training. C1 (ru-academy, A-2016): t1..t3 enrolled 2017, t2 withdrawn,
    // t1 and t3 graduate 2018. C2 (ru-gs-academy): t4 enrolled and graduated
    // 2018.
    Ev("RU", "2017-06-01", "course.planned", "course/C1",
       {{"institution", "ru-academy"},
        {"subject", "Combined arms"},
        {"level", "command_staff"},
        {"language", "ru"},
        {"start", "2017-09-01"},
        {"end", "2018-06-30"},
        {"seats", {{{"party", "UZ"}, {"seats", 3}}}},
        {"agreement", "A-2016"}});
    Enrol("C1", "t1", "2017-08-20");
    Enrol("C1", "t2", "2017-08-21");
    Enrol("C1", "t3", "2017-08-22");
    Ev("UZ", "2017-10-01", "course.trainee_withdrawn", "course/C1",
       {{"trainee", "uz-mod/t2"}, {"date", "2017-10-01"}});
    Graduate("C1", "t1", "2018-06-30");
    Graduate("C1", "t3", "2018-06-30");
    Ev("RU", "2017-12-01", "course.planned", "course/C2",
       {{"institution", "ru-gs-academy"},
        {"subject", "Strategy"},
        {"level", "general_staff"},
        {"language", "ru"},
        {"start", "2018-01-15"},
        {"end", "2018-12-20"},
        {"seats", {{{"party", "UZ"}, {"seats", 2}}}}});
    Enrol("C2", "t4", "2018-01-10");
    Graduate("C2", "t4", "2018-12-20");

    // Consultations. K1 (A-2005) held 2016: a1 done 2016, a2 done 2017-02.
    // K2 (A-2016) held 2017: b1 done 2018-01, b2 never, b3 done 2017-11.
    // K3 requested only.
    Ev("UZ", "2016-02-01", "consultation.requested", "consultation/K1",
       {{"topic", "T1"},
        {"requested_by", "uz-mod"},
        {"agreement", "A-2005"},
        {"date", "2016-02-01"}});
    Ev("UZ", "2016-03-15", "consultation.held", "consultation/K1",
       {{"date", "2016-03-15"},
        {"place", "Tashkent"},
        {"participants", {"uz-mod", "ru-mod"}},
        {"outcome", "Agreed"},
        {"actions",
         {{{"id", "a1"}, {"action", "x"}, {"owner", "ru-mod"}, {"due", "2016-06-01"}},
          {{"id", "a2"}, {"action", "y"}, {"owner", "uz-mod"}, {"due", "2017-03-01"}}}}});
    Complete("K1", "a1", "2016-05-20", "RU");
    Complete("K1", "a2", "2017-02-10", "UZ");
    Ev("RU", "2017-05-02", "consultation.requested", "consultation/K2",
       {{"topic", "T2"},
        {"requested_by", "ru-mod"},
        {"agreement", "A-2016"},
        {"date", "2017-05-02"}});
    Ev("RU", "2017-06-15", "consultation.held", "consultation/K2",
       {{"date", "2017-06-15"},
        {"place", "Moscow"},
        {"participants", {"uz-mod", "ru-mod"}},
        {"outcome", "Agreed"},
        {"actions",
         {{{"id", "b1"}, {"action", "x"}, {"owner", "ru-mod"}, {"due", "2017-09-01"}},
          {{"id", "b2"}, {"action", "y"}, {"owner", "uz-mod"}, {"due", "2017-12-01"}},
          {{"id", "b3"}, {"action", "z"}, {"owner", "uz-mod"}, {"due", "2018-02-01"}}}}});
    Complete("K2", "b1", "2018-01-20", "RU");
    Complete("K2", "b3", "2017-11-30", "UZ");
    Ev("UZ", "2017-11-01", "consultation.requested", "consultation/K3",
       {{"topic", "T3"},
        {"requested_by", "uz-mod"},
        {"agreement", "A-2016"},
        {"date", "2017-11-01"}});

    // Visits. V1 completed 2016; V2 (A-2016) completed 2017; V3 only planned.
    Visit("V1", "2016-06-01", "2016-09-10", "A-2005");
    Ev("RU", "2016-09-20", "visit.completed", "visit/V1",
       {{"start", "2016-09-10"}, {"end", "2016-09-20"}});
    Visit("V2", "2017-07-01", "2017-09-10", "A-2016");
    Ev("UZ", "2017-09-20", "visit.completed", "visit/V2",
       {{"start", "2017-09-10"}, {"end", "2017-09-19"}});
    Visit("V3", "2017-08-01", "2017-10-01", "");
  }

  CooperationDocs Docs() const {
    CooperationDocs d;
    for (const auto& [key, doc] : state_.docs()) {
      if (key.first == "course") d.courses.push_back(doc);
      if (key.first == "exercise") d.exercises.push_back(doc);
      if (key.first == "consultation") d.consultations.push_back(doc);
      if (key.first == "visit") d.visits.push_back(doc);
    }
    return d;
  }

  static CooperationYear Year(int year, int64_t held, int64_t planned, int64_t participants,
                              int64_t enrolled, int64_t graduated,
                              std::map<std::string, TrainingFigures> by_institution,
                              int64_t consultations, int64_t open, int64_t visits) {
    CooperationYear y;
    y.year = year;
    y.exercises_held = held;
    y.exercises_planned = planned;
    y.participants = participants;
    y.trainees_enrolled = enrolled;
    y.trainees_graduated = graduated;
    y.by_institution = std::move(by_institution);
    y.consultations_held = consultations;
    y.followups_open = open;
    y.visits = visits;
    y.joint_activities = held + consultations + visits;
    return y;
  }

  domain::ReferenceData ref_;
  domain::RuleContext ctx_;
  domain::MemoryState state_;
  uint64_t next_index_ = 0;
};

// By hand:
//  2016: held X1 (100+150 = 250); K1 held; open at 2016-12-31: a2 (a1 done
//        in May); V1. Joint activities 1 + 1 + 1 = 3.
//  2017: held X3 (50+30) and X4 (120+180): 380; enrolled t1, t2, t3 at
//        ru-academy (t2's withdrawal does not undo the enrolment); K2 held;
//        open at 2017-12-31: b1 (done 2018-01-20) and b2 (a2 done in February,
//        b3 in November); V2. Joint activities 2 + 1 + 1 = 4.
//  2018: planned X5 (postponed from 2017) and X6; enrolled t4 at
//        ru-gs-academy; graduated t1, t3 (ru-academy) and t4 (ru-gs-academy);
//        open at 2018-12-31: b2. No joint activities.
//  Never counted: X2 (cancelled), K3 (not held), V3 (not completed).
TEST_F(CooperationReportTest, AllYears) {
  std::vector<CooperationYear> want = {
      Year(2016, 1, 0, 250, 0, 0, {}, 1, 1, 1),
      Year(2017, 2, 0, 380, 3, 0, {{"ru-academy", {3, 0}}}, 1, 2, 1),
      Year(2018, 0, 2, 0, 1, 3, {{"ru-academy", {0, 2}}, {"ru-gs-academy", {1, 1}}}, 0, 1, 0)};
  EXPECT_EQ(ComputeCooperationReport(Docs()), want);
  EXPECT_EQ(want[0].joint_activities, 3);
  EXPECT_EQ(want[1].joint_activities, 4);
}

// Only what names A-2016: X4, X5, X6, C1, K2, V2.
TEST_F(CooperationReportTest, OneAgreement) {
  CooperationFilter f;
  f.agreement = "A-2016";
  std::vector<CooperationYear> want = {
      Year(2017, 1, 0, 300, 3, 0, {{"ru-academy", {3, 0}}}, 1, 2, 1),
      Year(2018, 0, 2, 0, 0, 2, {{"ru-academy", {0, 2}}}, 0, 1, 0)};
  EXPECT_EQ(ComputeCooperationReport(Docs(), f), want);
  f.agreement = "A-1999";
  EXPECT_TRUE(ComputeCooperationReport(Docs(), f).empty());
}

TEST_F(CooperationReportTest, YearRange) {
  CooperationFilter f;
  f.from = 2017;
  f.to = 2017;
  std::vector<CooperationYear> want = {
      Year(2017, 2, 0, 380, 3, 0, {{"ru-academy", {3, 0}}}, 1, 2, 1)};
  EXPECT_EQ(ComputeCooperationReport(Docs(), f), want);
  // Both bounds: every year of the range, empty ones as zeros.
  f.from = 2015;
  f.to = 2016;
  want = {Year(2015, 0, 0, 0, 0, 0, {}, 0, 0, 0), Year(2016, 1, 0, 250, 0, 0, {}, 1, 1, 1)};
  EXPECT_EQ(ComputeCooperationReport(Docs(), f), want);
  // One bound: up to the last year with activity.
  f.from = 2018;
  f.to.reset();
  ASSERT_EQ(ComputeCooperationReport(Docs(), f).size(), 1u);
  EXPECT_EQ(ComputeCooperationReport(Docs(), f)[0].trainees_graduated, 3);
}

TEST_F(CooperationReportTest, EmptyAndOddDocuments) {
  EXPECT_TRUE(ComputeCooperationReport({}).empty());
  CooperationDocs odd;
  odd.exercises = {json::object(), {{"status", "conducted"}}, {{"status", 7}}};
  odd.courses = {{{"trainees", {{"x", {{"enrolled", "20"}}}}}}};
  EXPECT_TRUE(ComputeCooperationReport(odd).empty());
}

TEST_F(CooperationReportTest, Json) {
  json j = CooperationReportJson(ComputeCooperationReport(Docs()));
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[1]["year"], 2017);
  EXPECT_EQ(j[1]["participants"], 380);
  EXPECT_EQ(j[1]["joint_activities"], 4);
  EXPECT_EQ(j[2]["training"],
            json::parse(R"([{"institution":"ru-academy","enrolled":0,"graduated":2},
      {"institution":"ru-gs-academy","enrolled":1,"graduated":1}])"));
}

// The demo records the seed's figures: 18 joint activities in 2016, 36 in
// 2017 (src/registry/demo.cc, AddCooperation, says how they are made up).
class CooperationReportDemoTest
    : public ::testing::TestWithParam<storage::conformance::BackendCase> {
 protected:
  void SetUp() override { ACCORD_SKIP_UNAVAILABLE_BACKEND(); }
};

INSTANTIATE_TEST_SUITE_P(Backends, CooperationReportDemoTest,
                         ::testing::ValuesIn(storage::conformance::Backends()),
                         storage::conformance::CaseName);

TEST_P(CooperationReportDemoTest, SeedFigures) {
  testing::TempDir dir;
  std::string db = GetParam().fresh(dir, "demo");
  note::Signer node = note::Signer::Generate("demo.test/registry");
  note::Signer ru = note::Signer::Generate("demo.test/ru");
  note::Signer uz = note::Signer::Generate("demo.test/uz");
  testing::WriteFile(dir / "node.skey", node.Encode() + "\n");
  ASSERT_TRUE(Registry::Create(db, "demo.test/registry", node, dir / "node.skey").ok());
  auto reg = Registry::Open(db, /*writable=*/true);
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  auto n = RecordDemo(**reg, DemoKeys{&node, &ru, &uz});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  CooperationDocs docs;
  docs.courses = (*reg)->List("course").value();
  docs.exercises = (*reg)->List("exercise").value();
  docs.consultations = (*reg)->List("consultation").value();
  docs.visits = (*reg)->List("visit").value();
  CooperationFilter f;
  f.from = 2016;
  f.to = 2017;
  std::vector<CooperationYear> rows = ComputeCooperationReport(docs, f);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].joint_activities, 18);
  EXPECT_EQ(rows[1].joint_activities, 36);
  EXPECT_EQ(rows[1].exercises_held, 2);  // Tajikistan in April, Forish in October
  EXPECT_EQ(rows[0].exercises_held, 0);
  EXPECT_GT(rows[1].trainees_enrolled, 0);
  EXPECT_GT(rows[1].followups_open, 0);
}

}  // namespace
}  // namespace accord::registry
