// End-use monitoring through the CLI on the demo registry: `eum due`,
// `report eum`, `show inspections|consents|declarations|cases`, and bad
// monitoring input refused with nothing appended.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace accord {
namespace {

using nlohmann::json;

class EumCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = *dir_ / "demo.db";
    auto r = testing::Accord({"demo", "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static testing::CommandResult Run(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(db_);
    return testing::Accord(args);
  }
  static uint64_t LogSize() {
    // The checkpoint's second line is the tree size.
    auto r = Run({"log", "checkpoint"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    size_t line = r.out.find('\n') + 1;
    return std::stoull(r.out.substr(line, r.out.find('\n', line) - line));
  }
  static testing::TempDir* dir_;
  static std::string db_;
};

testing::TempDir* EumCli::dir_ = nullptr;
std::string EumCli::db_;

TEST_F(EumCli, DueListsTheDelinquentHelicoptersPerUnit) {
  auto r = Run({"eum", "due", "--as-of", "2026-11-28", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2026-11-28");
  EXPECT_EQ(j["items_monitored"], 85);  // 73 R-73 (two expended) + 12 Mi-35M
  EXPECT_EQ(j["delinquent"], 12);
  ASSERT_EQ(j["units"].size(), 1u);
  EXPECT_EQ(j["units"][0]["unit"], "uz-aviation");
  EXPECT_EQ(j["units"][0]["delinquent"][0]["due"], "2026-11-20");
  EXPECT_EQ(j["units"][0]["delinquent"][0]["last_inventory"], "2025-11-20");
  // The day before the first R-73 batch's first inventory was due, the
  // first 35 missiles are due within a week.
  r = Run({"eum", "due", "--as-of", "2017-11-24", "--within", "7", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_EQ(j["items_monitored"], 35);
  EXPECT_EQ(j["delinquent"], 0);
  EXPECT_EQ(j["due"], 0);  // inventoried on 2017-11-21; next due 2018-11-21
  r = Run({"eum", "due", "--as-of", "2017-11-20", "--within", "11"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("35 items under enhanced monitoring, 0 delinquent, 35 due within 11 days"),
            std::string::npos)
      << r.out;
}

TEST_F(EumCli, ReportEumInEveryFormat) {
  auto r = Run({"report", "eum", "--as-of", "2018-12-01", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 1u);  // only RU-UZ-2005 had monitored items then
  const json& row = j["rows"][0];
  EXPECT_EQ(row["agreement"], "RU-UZ-2005");
  // 75 R-73: the first 35 inventoried in time; the second batch's first
  // inventory came five days late (2018-11-05, due 2018-10-31), and
  // R73-UZ-0040 was not sighted, so it is still overdue (31 days).
  EXPECT_EQ(row["inventory"]["items_monitored"], 75);
  EXPECT_EQ(row["inventory"]["items_on_time"], 35);
  EXPECT_EQ(row["inventory"]["items_delinquent"], 1);
  EXPECT_EQ(row["inventory"]["max_days_overdue"], 31);
  EXPECT_EQ(row["access"]["answered_in_time"], 1);
  EXPECT_EQ(row["access"]["answered_late"], 1);
  EXPECT_EQ(row["cases"]["open"], 2);
  r = Run({"report", "eum", "--as-of", "2018-12-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("End-use monitoring compliance as of 2018-12-01"), std::string::npos);
  EXPECT_NE(r.out.find("35/75 (46.7%)"), std::string::npos) << r.out;
  r = Run({"report", "eum", "--as-of", "2019-03-01", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Both 2018 cases were closed as resolved on 2019-02-20; the missile found.
  EXPECT_NE(
      r.out.find("2019-03-01,RU-UZ-2005,RU,UZ,75,75,35,46.7,0,0,3,2,1,0,0,66.7,0,0,0,0,0,2,0"),
      std::string::npos)
      << r.out;
}

TEST_F(EumCli, ShowMonitoringRecords) {
  auto r = Run({"show", "inspections", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).size(), 19u);
  r = Run({"show", "consents"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("UZ-2023-BTR80-TJ"), std::string::npos);
  EXPECT_NE(r.out.find("transferred"), std::string::npos);
  r = Run({"show", "declarations"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("expenditure"), std::string::npos);
  r = Run({"show", "cases", "--state", "resolved", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).size(), 3u);
}

TEST_F(EumCli, BadInputIsRefusedAndAppendsNothing) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"eum", "due", "--as-of", "2026-02-29"},
                                             {"eum", "due", "--as-of", "yesterday"},
                                             {"eum", "due", "--within", "-3"},
                                             {"report", "eum", "--as-of", "2026-13-01"},
                                             {"report", "eum", "--format", "xml"}}) {
    auto r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << " " << args[2] << ": " << r.out;
    EXPECT_FALSE(r.err.empty());
  }
  uint64_t before = LogSize();
  // An access answer by the supplier instead of the recipient; consent for
  // items the recipient no longer holds (re-transferred in 2023); a
  // declaration dated before the item's receipt.
  const std::string bad[] = {
      R"({"v":1,"type":"inspection.access_answered","time":"2026-11-20T00:00:00Z","party":"RU","actor":"ru/x","subject":"inspection/EUM-2026-MI35M","body":{"date":"2026-11-20","answer":"granted"}})",
      R"({"v":1,"type":"consent.requested","time":"2026-11-20T00:00:00Z","party":"UZ","actor":"uz/x","subject":"consent/X","body":{"date":"2026-11-20","third_party":"KZ","end_user":"E","purpose":"P","items":[{"product":"btr-80","serial":"BTR80-UZ-0001"}]}})",
      R"({"v":1,"type":"declaration.filed","time":"2026-11-20T00:00:00Z","party":"UZ","actor":"uz/x","subject":"declaration/X","body":{"kind":"loss","date":"2016-01-01","circumstances":"C","items":[{"product":"r-73","serial":"R73-UZ-0005"}],"evidence":[{"kind":"document","reference":"R"}]}})"};
  const char* why[] = {"inspection.answered_by_recipient", "consent.items_held", "dates.order"};
  const char* key[] = {"ru.skey", "uz.skey", "uz.skey"};
  for (size_t i = 0; i < 3; ++i) {
    testing::WriteFile(*dir_ / "bad.json", bad[i]);
    auto r =
        Run({"record", "--key", *dir_ / (std::string("demo.keys/") + key[i]), *dir_ / "bad.json"});
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find(why[i]), std::string::npos) << r.err;
  }
  EXPECT_EQ(LogSize(), before);
}

}  // namespace
}  // namespace accord
