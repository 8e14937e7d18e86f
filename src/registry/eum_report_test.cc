// End-use monitoring figures over a fixed timeline, every figure worked out
// by hand below from the agreement's parameters (access within 10 days,
// first inventory within 30 days of receipt, then every 60 days).
//
// 2024-01-31  S1 received at unit u1: A1..A4 (enhanced), B1 (line lifts it).
//             First inventories due 2024-01-31 + 30 = 2024-03-01 (29 Feb).
// 2024-02-10  I1 access requested (deadline 02-20); answered 02-20: in time.
// 2024-03-01  I1 completed: A1, A2 sighted, A4 wrong location (all three
//             inventoried on the due day itself: in time, next due 04-30);
//             A3 not sighted -> case I1-findings (open).
// 2024-03-10  I2 (A3) access requested, deadline 03-20.
// 2024-03-15  A2 moves to unit u2.
// 2024-03-21  I2 missed deadline recorded -> case I2-no-answer-1.
// 2024-03-25  I2 answered (late); 04-05 I2 completed: A3 sighted (late;
//             next due 06-04).
// 2024-04-10  I1-findings closed, resolved.
// 2024-04-20  I3 (units u1, u2) access requested, deadline 04-30; answered
//             05-02, late -> case I3-late-1; 05-05 I3 completed: A1, A2
//             sighted (late: due 04-30), A3 sighted (early); next due 07-04.
// 2024-05-10  I1-findings reopened; 06-01 closed as a confirmed violation.
// 2024-05-20  A4 declared destroyed: leaves monitoring.
// 2024-06-10  Case K1 opened by hand.
#include "registry/eum_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "registry/registry.h"
#include "storage/conformance/backends.h"
#include "test_util.h"

namespace accord::registry {
namespace {

using nlohmann::json;
using storage::conformance::BackendCase;

// The timeline recorded on each storage backend.
class EumTimelineTest : public ::testing::TestWithParam<BackendCase> {
 protected:
  void SetUp() override {
    ACCORD_SKIP_UNAVAILABLE_BACKEND();
    db_ = GetParam().fresh(dir_, "eum");
    testing::WriteFile(dir_ / "node.skey", node_.Encode() + "\n");
    ASSERT_TRUE(Registry::Create(db_, "test.accord/registry", node_, dir_ / "node.skey").ok());
    reg_ = Registry::Open(db_, true).value();
    Rec("registry", "2024-01-01", "party.registered", "party/RU", {{"name", "Russia"}});
    Rec("registry", "2024-01-01", "party.registered", "party/UZ", {{"name", "Uzbekistan"}});
    for (auto [party, key] : {std::pair{"RU", &ru_}, std::pair{"UZ", &uz_}}) {
      Rec("registry", "2024-01-01", "party.key_registered", std::string("party/") + party,
          {{"vkey", key->Verifier().Encode()}, {"valid_from", "2000-01-01"}});
    }
    for (auto [id, party, kind] : {std::tuple{"ru-plant", "RU", "enterprise"},
                                   {"ru-eca", "RU", "export_control_authority"},
                                   {"uz-mod", "UZ", "ministry_of_defence"},
                                   {"u1", "UZ", "military_unit"},
                                   {"u2", "UZ", "military_unit"}}) {
      Rec("registry", "2024-01-01", "body.registered", std::string("body/") + id,
          {{"party", party}, {"kind", kind}, {"name", id}});
    }
    Rec("registry", "2024-01-01", "agreement.registered", "agreement/AG",
        {{"title", "Cooperation"},
         {"parties", {"RU", "UZ"}},
         {"signed_date", "2023-01-10"},
         {"signed_place", "Moscow"},
         {"signatories", {{{"party", "RU"}, {"name", "A"}}, {{"party", "UZ"}, {"name", "B"}}}},
         {"pricing_rule", "negotiated"},
         {"access_deadline_days", 10},
         {"inventory_initial_days", 30},
         {"inventory_period_days", 60},
         {"case_deadline_days", 20}});
    Rec("RU", "2024-01-01", "agreement.ratified", "agreement/AG",
        {{"date", "2023-02-01"}, {"instrument", "Law"}});
    Rec("UZ", "2024-01-01", "agreement.ratified", "agreement/AG",
        {{"date", "2023-02-01"}, {"instrument", "Law"}});
    Rec("registry", "2024-01-01", "product.registered", "product/p",
        {{"supplier", "RU"},
         {"designation", "P"},
         {"description", "Item"},
         {"unroca_category", "VII"},
         {"sipri_category", "missiles"},
         {"enhanced_monitoring", true}});
    Rec("RU", "2024-01-02", "contract.drafted", "contract/C",
        {{"agreement", "AG"},
         {"supplier_body", "ru-plant"},
         {"recipient_body", "uz-mod"},
         {"channel", "direct"},
         {"lines",
          {{{"line", 1},
            {"product", "p"},
            {"quantity", 4},
            {"unit_price_minor", 100},
            {"currency", "RUB"}},
           {{"line", 2},
            {"product", "p"},
            {"quantity", 1},
            {"unit_price_minor", 100},
            {"currency", "RUB"},
            {"enhanced_monitoring", false}}}}});
    Rec("RU", "2024-01-02", "contract.signed", "contract/C", {{"date", "2024-01-03"}});
    Rec("UZ", "2024-01-02", "contract.signed", "contract/C", {{"date", "2024-01-03"}});
    Rec("UZ", "2024-01-04", "certificate.issued", "certificate/E",
        {{"contract", "C"},
         {"end_user", "uz-mod"},
         {"end_use", "Air defence"},
         {"final_destination", "UZ"},
         {"no_reexport_without_consent", true},
         {"no_wmd_use", true},
         {"signatory", {{"name", "N"}, {"office", "O"}}},
         {"date", "2024-01-04"}});
    Rec("RU", "2024-01-05", "licence.issued", "licence/L",
        {{"kind", "export"},
         {"contract", "C"},
         {"issuing_body", "ru-eca"},
         {"lines", {{{"product", "p"}, {"quantity", 5}}}},
         {"valid_from", "2024-01-05"},
         {"valid_to", "2024-12-31"}});
    Rec("RU", "2024-01-20", "shipment.dispatched", "shipment/S1",
        {{"contract", "C"},
         {"licence", "L"},
         {"date", "2024-01-20"},
         {"carrier", "K"},
         {"mode", "air"},
         {"place", "X"},
         {"route", {"RU", "UZ"}},
         {"lines",
          {{{"line", 1}, {"serials", {"A1", "A2", "A3", "A4"}}},
           {{"line", 2}, {"serials", {"B1"}}}}}});
    Rec("UZ", "2024-01-31", "shipment.received", "shipment/S1",
        {{"date", "2024-01-31"},
         {"unit", "u1"},
         {"location", "Base 1"},
         {"seals_intact", true},
         {"items", Items({"A1", "A2", "A3", "A4", "B1"})}});

    Inspection("I1", {{"units", {"u1"}}}, "2024-02-10", "2024-03-01");
    Rec("UZ", "2024-02-20", "inspection.access_answered", "inspection/I1",
        {{"date", "2024-02-20"}, {"answer", "granted"}});
    Rec("RU", "2024-03-01", "inspection.completed", "inspection/I1",
        {{"date", "2024-03-01"},
         {"findings",
          {Finding("A1", "sighted"),
           Finding("A2", "sighted"),
           Finding("A3", "not_sighted"),
           {{"product", "p"}, {"serial", "A4"}, {"result", "wrong_location"}, {"location", "Shed"}},
           Finding("B1", "sighted")}}});
    Inspection("I2", {{"items", Items({"A3"})}}, "2024-03-10", "2024-04-05");
    Rec("UZ", "2024-03-15", "item.relocated", "item/p/A2",
        {{"unit", "u2"}, {"location", "Base 2"}, {"date", "2024-03-15"}});
    Rec("RU", "2024-03-21", "inspection.access_deadline_missed", "inspection/I2",
        {{"date", "2024-03-21"}});
    Rec("UZ", "2024-03-25", "inspection.access_answered", "inspection/I2",
        {{"date", "2024-03-25"}, {"answer", "granted"}});
    Rec("RU", "2024-04-05", "inspection.completed", "inspection/I2",
        {{"date", "2024-04-05"}, {"findings", {Finding("A3", "sighted")}}});
    Rec("RU", "2024-04-10", "case.closed", "case/I1-findings",
        {{"date", "2024-04-10"}, {"outcome", "resolved"}, {"summary", "A3 found"}});
    Inspection("I3", {{"units", {"u1", "u2"}}}, "2024-04-20", "2024-05-05");
    Rec("UZ", "2024-05-02", "inspection.access_answered", "inspection/I3",
        {{"date", "2024-05-02"}, {"answer", "granted"}});
    Rec("RU", "2024-05-05", "inspection.completed", "inspection/I3",
        {{"date", "2024-05-05"},
         {"findings",
          {Finding("A1", "sighted"), Finding("A2", "sighted"), Finding("A3", "sighted")}}});
    Rec("RU", "2024-05-10", "case.reopened", "case/I1-findings",
        {{"date", "2024-05-10"}, {"reason", "Key register incomplete again"}});
    Rec("UZ", "2024-05-20", "declaration.filed", "declaration/D1",
        {{"kind", "destruction"},
         {"date", "2024-05-20"},
         {"circumstances", "Destroyed in a fire"},
         {"items", Items({"A4"})},
         {"evidence", {{{"kind", "document"}, {"reference", "Act 1"}}}}});
    Rec("RU", "2024-06-01", "case.closed", "case/I1-findings",
        {{"date", "2024-06-01"}, {"outcome", "confirmed_violation"}, {"summary", "Twice"}});
    Rec("RU", "2024-06-10", "case.opened", "case/K1",
        {{"agreement", "AG"},
         {"supplier", "RU"},
         {"recipient", "UZ"},
         {"severity", "low"},
         {"summary", "Report"},
         {"assigned", "UZ"},
         {"deadline", "2024-07-10"},
         {"date", "2024-06-10"}});
  }

  static json Items(const std::vector<std::string>& serials) {
    json out = json::array();
    for (const auto& s : serials) out.push_back({{"product", "p"}, {"serial", s}});
    return out;
  }
  static json Finding(const std::string& serial, const std::string& result) {
    return {{"product", "p"}, {"serial", serial}, {"result", result}};
  }
  void Inspection(const std::string& id, json scope, const std::string& requested,
                  const std::string& visit) {
    Rec("RU", requested, "inspection.scheduled", "inspection/" + id,
        {{"agreement", "AG"},
         {"recipient", "UZ"},
         {"kind", "routine"},
         {"scope", std::move(scope)},
         {"planned_date", visit},
         {"team_size", 2}});
    Rec("RU", requested, "inspection.access_requested", "inspection/" + id,
        {{"date", requested}, {"visit_date", visit}});
  }

  // Records one event by `party`, dated `date`, signed with that party's key.
  void Rec(const std::string& party, const std::string& date, const std::string& type,
           const std::string& subject, json body) {
    json e = {{"v", 1},
              {"type", type},
              {"time", date + "T00:00:00Z"},
              {"party", party},
              {"actor", "t/actor"},
              {"subject", subject},
              {"body", std::move(body)}};
    const note::Signer* signer = party == "RU" ? &ru_ : party == "UZ" ? &uz_ : &node_;
    auto sub = ParseSubmission(e.dump(), 0);
    ASSERT_TRUE(sub.ok()) << type << " " << subject << ": " << sub.status().ToString();
    auto r = reg_->Record({*sub}, signer, false);
    ASSERT_TRUE(r.ok()) << type << " " << subject << ": " << r.status().ToString();
  }

  EumComplianceRow Row(const std::string& as_of) {
    auto report = ComputeEumCompliance(reg_->projections(), as_of);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->rows.size(), 1u) << as_of;
    if (!report.ok() || report->rows.empty()) return {};
    EXPECT_EQ(report->rows[0].agreement, "AG");
    EXPECT_EQ(report->rows[0].supplier, "RU");
    EXPECT_EQ(report->rows[0].recipient, "UZ");
    return report->rows[0];
  }

  testing::TempDir dir_;
  std::string db_;
  note::Signer node_ = note::Signer::Generate("test.accord/registry");
  note::Signer ru_ = note::Signer::Generate("ru.test/mod");
  note::Signer uz_ = note::Signer::Generate("uz.test/mod");
  std::unique_ptr<Registry> reg_;
};

INSTANTIATE_TEST_SUITE_P(Backends, EumTimelineTest,
                         ::testing::ValuesIn(storage::conformance::Backends()),
                         storage::conformance::CaseName);

TEST_P(EumTimelineTest, BeforeAnythingIsReceivedNothingIsMonitored) {
  auto report = ComputeEumCompliance(reg_->projections(), "2024-01-30");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->rows.empty());
  auto due = ComputeEumDue(reg_->projections(), "2024-01-30", 365);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->items_monitored, 0);
}

TEST_P(EumTimelineTest, LeapDayTheDayBeforeTheFirstDueDate) {
  EumComplianceRow r = Row("2024-02-29");
  EXPECT_EQ(r.items_monitored, 4);  // B1's line lifted the designation
  EXPECT_EQ(r.items_assessed, 0);
  EXPECT_EQ(r.items_delinquent, 0);
  EXPECT_EQ(r.access_requests, 1);
  EXPECT_EQ(r.access_in_time, 1);  // answered on the deadline day itself
  EXPECT_EQ(r.cases_open, 0);
  auto due = ComputeEumDue(reg_->projections(), "2024-02-29", 1);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->due.size(), 4u);
  EXPECT_EQ(due->due[0].item, "p/A1");
  EXPECT_EQ(due->due[0].due, "2024-03-01");
  EXPECT_EQ(due->due[0].days, 1);
  EXPECT_EQ(due->due[0].unit, "u1");
  EXPECT_TRUE(due->delinquent.empty());
  auto none = ComputeEumDue(reg_->projections(), "2024-02-29", 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->due.empty());
}

TEST_P(EumTimelineTest, TheDueDayItselfIsInTime) {
  EumComplianceRow r = Row("2024-03-01");
  EXPECT_EQ(r.items_assessed, 4);  // three inventoried on the day, A3 due that day
  EXPECT_EQ(r.items_on_time, 4);
  EXPECT_EQ(r.items_delinquent, 0);
  EXPECT_EQ(r.cases_open, 1);
  EXPECT_EQ(r.cases_open_by_age[0], 1);
}

TEST_P(EumTimelineTest, TheDayAfterTheItemNotSightedIsDelinquent) {
  EumComplianceRow r = Row("2024-03-02");
  EXPECT_EQ(r.items_on_time, 3);
  EXPECT_EQ(r.items_delinquent, 1);
  EXPECT_EQ(r.max_days_overdue, 1);
  auto due = ComputeEumDue(reg_->projections(), "2024-03-02", 0);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->delinquent.size(), 1u);
  EXPECT_EQ(due->delinquent[0].item, "p/A3");
  EXPECT_EQ(due->delinquent[0].due, "2024-03-01");
  EXPECT_EQ(due->delinquent[0].days, 1);
  EXPECT_EQ(due->delinquent[0].last_inventory, "");
}

TEST_P(EumTimelineTest, AnUnansweredRequestAfterItsDeadline) {
  EumComplianceRow r = Row("2024-03-21");
  EXPECT_EQ(r.access_requests, 2);
  EXPECT_EQ(r.access_in_time, 1);
  EXPECT_EQ(r.access_unanswered, 1);  // I2: deadline 03-20, no answer by 03-21
  EXPECT_EQ(r.access_pending, 0);
  EXPECT_EQ(r.items_delinquent, 1);
  EXPECT_EQ(r.max_days_overdue, 20);
  EXPECT_EQ(r.cases_open, 2);
  EXPECT_EQ(r.cases_open_by_age[0], 2);
  // The request is pending while its deadline runs.
  EumComplianceRow before = Row("2024-03-20");
  EXPECT_EQ(before.access_pending, 1);
  EXPECT_EQ(before.access_unanswered, 0);
}

TEST_P(EumTimelineTest, EndOfMay) {
  EumComplianceRow r = Row("2024-05-31");
  EXPECT_EQ(r.items_monitored, 3);  // A4 destroyed on 05-20
  EXPECT_EQ(r.items_assessed, 3);
  EXPECT_EQ(r.items_on_time, 0);  // A1, A2 late on 05-05; A3 late on 04-05
  EXPECT_EQ(r.items_delinquent, 0);
  EXPECT_EQ(r.access_requests, 3);
  EXPECT_EQ(r.access_in_time, 1);
  EXPECT_EQ(r.access_late, 2);
  EXPECT_EQ(r.access_unanswered, 0);
  // I1-findings reopened (opened 03-01: 91 days), I2-no-answer-1 (03-21:
  // 71 days), I3-late-1 (05-02: 29 days).
  EXPECT_EQ(r.cases_open, 3);
  EXPECT_EQ(r.cases_open_by_age, (std::array<int64_t, 4>{1, 1, 1, 0}));
  EXPECT_EQ(r.cases_resolved, 0);
  EXPECT_EQ(r.violations_confirmed, 0);
  // Before the reopening, I1-findings counted as resolved.
  EXPECT_EQ(Row("2024-05-09").cases_resolved, 1);
}

TEST_P(EumTimelineTest, MidJune) {
  EumComplianceRow r = Row("2024-06-15");
  EXPECT_EQ(r.violations_confirmed, 1);
  EXPECT_EQ(r.cases_open, 3);  // K1 (5 days), I2 (86), I3 (44)
  EXPECT_EQ(r.cases_open_by_age, (std::array<int64_t, 4>{1, 2, 0, 0}));
}

TEST_P(EumTimelineTest, DelinquentPerUnitAsOfEarlyJuly) {
  auto due = ComputeEumDue(reg_->projections(), "2024-07-05", 30);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->items_monitored, 3);
  ASSERT_EQ(due->delinquent.size(), 3u);
  EXPECT_EQ(due->delinquent[0].item, "p/A1");
  EXPECT_EQ(due->delinquent[0].unit, "u1");
  EXPECT_EQ(due->delinquent[1].item, "p/A3");
  EXPECT_EQ(due->delinquent[1].unit, "u1");
  EXPECT_EQ(due->delinquent[2].item, "p/A2");
  EXPECT_EQ(due->delinquent[2].unit, "u2");
  EXPECT_EQ(due->delinquent[2].location, "Base 2");
  EXPECT_EQ(due->delinquent[2].due, "2024-07-04");
  EXPECT_EQ(due->delinquent[2].last_inventory, "2024-05-05");
  EXPECT_EQ(due->delinquent[2].days, 1);
  // As of before the move, A2 was with u1.
  auto march = ComputeEumDue(reg_->projections(), "2024-03-10", 60);
  ASSERT_TRUE(march.ok());
  for (const auto& i : march->due) {
    if (i.item == "p/A2") {
      EXPECT_EQ(i.unit, "u1");
    }
  }
}

TEST_P(EumTimelineTest, FormatsCarryTheFigures) {
  auto report = ComputeEumCompliance(reg_->projections(), "2024-05-31");
  ASSERT_TRUE(report.ok());
  json j = json::parse(EumComplianceJson(*report));
  EXPECT_EQ(j["as_of"], "2024-05-31");
  EXPECT_EQ(j["rows"][0]["inventory"]["items_on_time"], 0);
  EXPECT_EQ(j["rows"][0]["inventory"]["on_time_percent"], 0.0);
  EXPECT_EQ(j["rows"][0]["access"]["in_time_percent"], 33.3);
  EXPECT_EQ(j["rows"][0]["cases"]["open_by_age"]["91-365"], 1);
  std::string csv = EumComplianceCsv(*report);
  EXPECT_NE(csv.find("\n2024-05-31,AG,RU,UZ,3,3,0,0.0,0,0,3,1,2,0,0,33.3,3,1,1,1,0,0,0\n"),
            std::string::npos)
      << csv;
  auto due = ComputeEumDue(reg_->projections(), "2024-07-05", 0);
  ASSERT_TRUE(due.ok());
  json d = json::parse(EumDueJson(*due));
  EXPECT_EQ(d["delinquent"], 3);
  ASSERT_EQ(d["units"].size(), 2u);
  EXPECT_EQ(d["units"][1]["unit"], "u2");
  EXPECT_EQ(d["units"][1]["delinquent"][0]["days_overdue"], 1);
}

TEST_P(EumTimelineTest, FiguresSurviveARebuild) {
  std::string before = EumComplianceCsv(*ComputeEumCompliance(reg_->projections(), "2024-06-15"));
  ASSERT_TRUE(reg_->Rebuild().ok());
  EXPECT_EQ(EumComplianceCsv(*ComputeEumCompliance(reg_->projections(), "2024-06-15")), before);
}

TEST(EumAsOf, DatesAndTimeZones) {
  EXPECT_EQ(*ParseAsOfDate("2024-02-29"), "2024-02-29");
  // 02:00 at +05:00 on 1 March is still 29 February in UTC.
  EXPECT_EQ(*ParseAsOfDate("2024-03-01T02:00:00+05:00"), "2024-02-29");
  EXPECT_EQ(*ParseAsOfDate("2024-02-28T22:00:00-03:00"), "2024-02-29");
  EXPECT_FALSE(ParseAsOfDate("2023-02-29").ok());
  EXPECT_FALSE(ParseAsOfDate("29.02.2024").ok());
  EXPECT_FALSE(ParseAsOfDate("").ok());
  auto bad = ParseAsOfDate("tomorrow");
  EXPECT_NE(bad.status().message().find("YYYY-MM-DD"), std::string::npos);
}

}  // namespace
}  // namespace accord::registry
