// accord report att | unroca | register through the built binary on the demo
// registry: the outputs equal the expected files of tests/data/reports (the
// same files src/registry/transfer_reports_test.cc checks the pure functions
// against), the register round-trips through `accord import sipri` into the
// same TIV figures, and bad arguments get clear errors.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "storage/conformance/backends.h"
#include "test_util.h"

namespace accord {
namespace {

using nlohmann::json;

std::string Expected(const std::string& name) {
  return testing::ReadFile(std::string(ACCORD_SOURCE_DIR) + "/tests/data/reports/" + name);
}

// One demo registry per storage backend, made by the first test that needs
// it and shared by the rest of the run.
class ReportCli : public ::testing::TestWithParam<storage::conformance::BackendCase> {
 protected:
  struct Demo {
    testing::TempDir dir;
    std::string db;
  };
  void SetUp() override {
    ACCORD_SKIP_UNAVAILABLE_BACKEND();
    auto [it, fresh] = demos_.try_emplace(GetParam().name);
    if (fresh) {
      it->second = std::make_unique<Demo>();
      it->second->db = GetParam().fresh(it->second->dir, "demo");
      auto r =
          testing::Accord({"demo", "--db", it->second->db, "--key-dir", it->second->dir.path()});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    dir_ = &it->second->dir;
    db_ = it->second->db;
  }
  static void TearDownTestSuite() { demos_.clear(); }
  testing::CommandResult Report(std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    args.push_back("--db");
    args.push_back(db_);
    return testing::Accord(args);
  }

  static inline std::map<std::string, std::unique_ptr<Demo>> demos_;
  testing::TempDir* dir_ = nullptr;
  std::string db_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ReportCli, ::testing::ValuesIn(storage::conformance::Backends()),
                         storage::conformance::CaseName);

TEST_P(ReportCli, AttAndUnrocaMatchTheExpectedFiles) {
  struct Case {
    std::vector<std::string> args;
    std::string file;
  };
  const Case cases[] = {
      {{"att", "--party", "UZ", "--year", "2019"}, "demo.att-UZ-2019.md"},
      {{"att", "--party", "UZ", "--year", "2019", "--format", "csv"}, "demo.att-UZ-2019.csv"},
      {{"att", "--party", "RU", "--year", "2019", "--format", "csv"}, "demo.att-RU-2019.csv"},
      {{"att", "--party", "RU", "--year", "2019", "--format", "json"}, "demo.att-RU-2019.json"},
      {{"att", "--party", "UZ", "--year", "2016", "--format", "md"}, "demo.att-UZ-2016.md"},
      {{"unroca", "--party", "UZ", "--year", "2021"}, "demo.unroca-UZ-2021.md"},
      {{"unroca", "--party", "RU", "--year", "2021", "--format", "csv"}, "demo.unroca-RU-2021.csv"},
  };
  for (const Case& c : cases) {
    auto r = Report(c.args);
    ASSERT_EQ(r.exit_code, 0) << c.file << ": " << r.err;
    EXPECT_EQ(r.out, Expected(c.file)) << c.file;
  }
}

TEST_P(ReportCli, NilReportIsExplicit) {
  auto r = Report({"att", "--party", "UZ", "--year", "2016", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("export,,,,,,,,,,,nil report\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("import,,,,,,,,,,,nil report\n"), std::string::npos) << r.out;
  r = Report({"unroca", "--party", "UZ", "--year", "2016", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["nil_report"].get<bool>());
}

// The register, without its "Data generated" line (the time the registry's
// last event was logged), is the expected file's.
std::string WithoutGenerated(const std::string& csv) {
  size_t at = csv.find("Data generated: ");
  if (at == std::string::npos) return csv;
  return csv.substr(0, at) + csv.substr(csv.find('\n', at) + 1);
}

TEST_P(ReportCli, RegisterRoundTripsIntoTheSameTiv) {
  auto reg = Report({"register"});
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  EXPECT_EQ(WithoutGenerated(reg.out), WithoutGenerated(Expected("demo.register.csv")));
  std::string file = *dir_ / "accord-register.csv";
  testing::WriteFile(file, reg.out);

  std::string fresh = GetParam().fresh(*dir_, "roundtrip");
  auto imp = testing::Accord({"import", "sipri", "--db", fresh, "--key-dir", dir_->path(),
                              "--dataset", "accord-roundtrip", "--strict", file});
  ASSERT_EQ(imp.exit_code, 0) << imp.out << imp.err;
  EXPECT_NE(imp.out.find("10 recorded"), std::string::npos) << imp.out;
  auto tiv = testing::Accord({"report", "tiv", "--db", fresh, "--dataset", "accord-roundtrip",
                              "--by", "year,supplier,recipient"});
  ASSERT_EQ(tiv.exit_code, 0) << tiv.err;
  // demo.tiv.csv: computed from the demo's deliveries (TivByYearSupplierRecipient).
  EXPECT_EQ(tiv.out, Expected("demo.tiv.csv"));
  EXPECT_NE(tiv.out.find("2019,Russian Federation,Uzbekistan,48.60\n"), std::string::npos);

  // A dataset the registry does not hold is refused input (exit 2), not an
  // empty report (issue #14, minor).
  auto none = testing::Accord({"report", "tiv", "--db", fresh, "--dataset", "accord-nope"});
  EXPECT_EQ(none.exit_code, 2) << none.out << none.err;
  EXPECT_NE(none.err.find("\"accord-nope\" is not a dataset of this registry"), std::string::npos)
      << none.err;
  EXPECT_TRUE(none.out.empty()) << none.out;

  // Importing it again adds nothing.
  imp = testing::Accord({"import", "sipri", "--db", fresh, "--key-dir", dir_->path(), "--dataset",
                         "accord-roundtrip", file});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_NE(imp.out.find("0 recorded, 10 already present"), std::string::npos) << imp.out;

  auto js = Report({"register", "--format", "json"});
  ASSERT_EQ(js.exit_code, 0) << js.err;
  json rows = json::parse(js.out);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[4]["designation"], "Mi-35M");
  EXPECT_EQ(rows[4]["tiv_delivery_milli"], 46000);
}

TEST_P(ReportCli, BadArgumentsAreRefusedClearly) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"att", "--party", "XX", "--year", "2019"}, "--party: \"XX\" is not an ISO 3166"},
      {{"att", "--party", "UZ", "--year", "19"}, "--year: 19 is not a year"},
      {{"unroca", "--party", "UZ", "--year", "2019", "--format", "xml"},
       "--format: expected csv, json or md"},
      {{"register", "--format", "csv"}, "--format: expected sipri-csv or json"},
  };
  for (const Case& c : cases) {
    auto r = Report(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  auto r = testing::Accord(
      {"report", "att", "--party", "UZ", "--year", "2019", "--db", *dir_ / "missing.db"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("missing.db"), std::string::npos) << r.err;
  r = testing::Accord({"report", "att", "--party", "UZ", "--db", db_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--year"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace accord
