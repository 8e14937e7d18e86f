// Data-driven tests of the SIPRI export parser (src/sipri), duckdb style:
// every tests/data/sipri/NAME.csv is parsed and rendered as text (the format,
// generation date, one JSON line per accepted record, one line per rejected
// record, or the error that refuses the whole file), and compared with
// NAME.expected beside it. ACCORD_UPDATE_EXPECTED=1 rewrites the .expected
// files from the current output (review the diff before committing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sipri/csv.h"
#include "sipri/register.h"
#include "test_util.h"

namespace accord::sipri {
namespace {

using nlohmann::json;

std::string DataDir() {
  return (std::filesystem::path(ACCORD_SOURCE_DIR) / "tests" / "data" / "sipri").string();
}

json Opt(const std::optional<int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

std::string Render(const Result<Export>& r) {
  if (!r.ok()) return "error: " + r.status().message() + "\n";
  const Export& ex = *r;
  std::string out;
  out += std::string("format: ") + FormatName(ex.format) + "\n";
  out += "generated: " + (ex.generated.empty() ? std::string("-") : ex.generated) + "\n";
  out += "latin1: " + std::string(ex.latin1 ? "yes" : "no") + "\n";
  out += "notes: " + std::to_string(ex.notes.size()) + ", header at line " +
         std::to_string(ex.header_line) + "\n";
  out += "accepted: " + std::to_string(ex.accepted()) +
         ", rejected: " + std::to_string(ex.rejected.size()) + "\n";
  for (const ClassicRecord& c : ex.classic) {
    json j = {{"line", c.line},
              {"last_line", c.last_line},
              {"recipient", c.recipient},
              {"supplier", c.supplier},
              {"order_year", c.order_year},
              {"order_year_estimate", c.order_year_estimate},
              {"number_ordered", Opt(c.number_ordered)},
              {"number_ordered_estimate", c.number_ordered_estimate},
              {"designation", c.designation},
              {"description", c.description},
              {"number_delivered", Opt(c.number_delivered)},
              {"number_delivered_estimate", c.number_delivered_estimate},
              {"delivery_years", c.delivery_years},
              {"status", DealStatusCode(c.status)},
              {"comments", c.comments},
              {"tiv_per_unit_milli", Opt(c.tiv_per_unit_milli)},
              {"tiv_order_milli", Opt(c.tiv_order_milli)},
              {"tiv_delivered_milli", Opt(c.tiv_delivered_milli)}};
    out += "record " + j.dump() + "\n";
  }
  for (const FlatRecord& f : ex.flat) {
    json j = {{"line", f.line},
              {"deal_id", f.deal_id},
              {"supplier", f.supplier},
              {"recipient", f.recipient},
              {"designation", f.designation},
              {"description", f.description},
              {"category", f.category},
              {"order_year", f.order_year},
              {"order_year_estimate", f.order_year_estimate},
              {"number_delivered", f.number_delivered},
              {"number_delivered_estimate", f.number_delivered_estimate},
              {"delivery_year", f.delivery_year},
              {"delivery_year_estimate", f.delivery_year_estimate},
              {"status", DealStatusCode(f.status)},
              {"tiv_core_milli", Opt(f.tiv_core_milli)},
              {"tiv_per_unit_milli", Opt(f.tiv_per_unit_milli)},
              {"tiv_delivery_milli", Opt(f.tiv_delivery_milli)},
              {"local_production", f.local_production}};
    out += "record " + j.dump() + "\n";
  }
  for (const Problem& p : ex.rejected) out += "rejected " + p.ToString() + "\n";
  return out;
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(DataDir())) {
    if (e.path().extension() == ".csv") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SipriParserData, EveryCaseMatchesItsExpectedOutput) {
  std::vector<std::string> cases = Cases();
  ASSERT_GE(cases.size(), 15u) << "test data missing in " << DataDir();
  bool update = std::getenv("ACCORD_UPDATE_EXPECTED") != nullptr;
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    std::string input = testing::ReadFile(DataDir() + "/" + name + ".csv");
    std::string got = Render(ParseExport(input));
    std::string expected_path = DataDir() + "/" + name + ".expected";
    if (update) {
      testing::WriteFile(expected_path, got);
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(expected_path))
        << expected_path << " is missing; run with ACCORD_UPDATE_EXPECTED=1 and review it";
    EXPECT_EQ(got, testing::ReadFile(expected_path));
  }
}

TEST(SipriCsv, QuotingAndLineBreaks) {
  auto recs = ReadCsv("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",x\n,\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b,c", "d\"e"}));
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"multi\nline", "x"}));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[1].last_line, 3u);
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(recs[2].line, 4u);
  auto bad = ReadCsv("ok,1\nx\"y,2\nok,3\n");
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_FALSE(bad[1].error.empty());
  EXPECT_EQ(bad[1].error_column, 2u);
  EXPECT_TRUE(bad[2].error.empty());
  EXPECT_EQ(bad[2].fields[1], "3");
}

TEST(SipriCsv, Latin1AndUtf8) {
  bool latin1 = false;
  EXPECT_EQ(ToUtf8("W\xe4rtsil\xe4", &latin1), "W\xc3\xa4rtsil\xc3\xa4");
  EXPECT_TRUE(latin1);
  EXPECT_EQ(ToUtf8("\xef\xbb\xbfW\xc3\xa4", &latin1), "W\xc3\xa4");
  EXPECT_FALSE(latin1);
  EXPECT_FALSE(IsValidUtf8("\xc0\x80"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  EXPECT_TRUE(IsValidUtf8("\xe2\x82\xac"));
}

TEST(SipriNumbers, MilliParsing) {
  EXPECT_EQ(ParseMilli("11.5"), 11500);
  EXPECT_EQ(ParseMilli("0.02"), 20);
  EXPECT_EQ(ParseMilli("2875"), 2875000);
  EXPECT_EQ(ParseMilli("1.234"), 1234);
  EXPECT_EQ(ParseMilli("1.2345"), std::nullopt);
  EXPECT_EQ(ParseMilli("-1"), std::nullopt);
  EXPECT_EQ(ParseMilli(".5"), std::nullopt);
  EXPECT_EQ(ParseMilli("5."), std::nullopt);
  EXPECT_EQ(ParseMilli("1e3"), std::nullopt);
  EXPECT_EQ(ParseMilli(""), std::nullopt);
  EXPECT_EQ(ParseMilli("99999999999999999"), std::nullopt);
}

}  // namespace
}  // namespace accord::sipri
