// `accord import sipri` and `accord report tiv` through the real binary: the
// full import of the three SIPRI exports in shared/data/sipri (counts, known
// deals, re-import adds nothing, the projections replay exactly), TIV reports
// against sums computed here straight from the flat CSVs' "TIV delivery
// values", --strict, rejected lines, unusable files and overlapping files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "registry/registry.h"
#include "test_util.h"

namespace accord::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string Sipri(const std::string& name) {
  return SharedData() + "/sipri/" + name;
}
std::string Case(const std::string& name) {
  return (fs::path(ACCORD_SOURCE_DIR) / "tests" / "data" / "sipri" / name).string();
}

const char* kClassic = "trade-register-1950-2024.csv";
const char* kFlat1 = "trade-register-flat-1950-1989.csv";
const char* kFlat2 = "trade-register-flat-1990-2023.csv";

// ---- Independent TIV sums, straight from a flat export's columns -----------

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// "46" -> 46000, "0.36" -> 360, "" -> 0.
int64_t Thousandths(const std::string& s) {
  int64_t whole = 0, frac = 0;
  int digits = 0;
  bool after = false;
  for (char c : s) {
    if (c == '.') {
      after = true;
    } else if (!after) {
      whole = whole * 10 + (c - '0');
    } else if (digits < 3) {
      frac = frac * 10 + (c - '0');
      ++digits;
    }
  }
  while (digits++ < 3) frac *= 10;
  return whole * 1000 + frac;
}

std::string TwoDecimals(int64_t milli) {
  int64_t cents = (milli + 5) / 10;
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return std::to_string(cents / 100) + "." + frac;
}

struct FlatRow {
  std::string supplier, recipient;
  int year = 0;
  int64_t tiv_milli = 0;
};

// The flat exports have no quoted fields; read them the simplest way.
std::vector<FlatRow> ReadFlat(const std::string& path) {
  std::istringstream in(ReadFile(path));
  std::string line;
  std::vector<FlatRow> rows;
  bool header = false;
  while (std::getline(in, line)) {
    if (!header) {
      header = line.rfind("SIPRI AT Database ID,", 0) == 0;
      continue;
    }
    std::vector<std::string> f = SplitComma(line);
    if (f.size() != 17) continue;
    rows.push_back({f[1], f[2], std::stoi(f[10]), Thousandths(f[15])});
  }
  return rows;
}

// ---- The full import, done once for the suite ------------------------------

class SipriFullImport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = *dir_ / "sipri.db";
    auto t0 = std::chrono::steady_clock::now();
    first_ = new CommandResult(
        Accord({"import", "sipri", "--db", db_, Sipri(kClassic), Sipri(kFlat1), Sipri(kFlat2)}));
    import_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    flat_ = new std::vector<FlatRow>(ReadFlat(Sipri(kFlat1)));
    std::vector<FlatRow> second = ReadFlat(Sipri(kFlat2));
    flat_->insert(flat_->end(), second.begin(), second.end());
  }
  static void TearDownTestSuite() {
    delete flat_;
    delete first_;
    delete dir_;
  }

  static std::string Report(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"report", "tiv", "--db", db_};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = Accord(args);
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return r.out;
  }

  // The CSV `report tiv` should print for `by` (a subset of supplier,
  // recipient, year, in that key order) computed from the flat rows.
  template <typename Key>
  static std::string Expected(const std::string& header, Key key,
                              const std::function<bool(const FlatRow&)>& keep) {
    std::map<std::string, int64_t> sums;
    for (const FlatRow& r : *flat_) {
      if (keep(r)) sums[key(r)] += r.tiv_milli;
    }
    std::string out = header + "\n";
    for (const auto& [k, v] : sums) out += k + "," + TwoDecimals(v) + "\n";
    return out;
  }

  static std::unique_ptr<registry::Registry> Open() {
    auto r = registry::Registry::Open(db_, false);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }

  static TempDir* dir_;
  static std::string db_;
  static CommandResult* first_;
  static double import_seconds_;
  static std::vector<FlatRow>* flat_;
};
TempDir* SipriFullImport::dir_ = nullptr;
std::string SipriFullImport::db_;
CommandResult* SipriFullImport::first_ = nullptr;
double SipriFullImport::import_seconds_ = 0;
std::vector<FlatRow>* SipriFullImport::flat_ = nullptr;

TEST_F(SipriFullImport, ImportsEveryRecordOfTheThreeFiles) {
  ASSERT_EQ(first_->exit_code, 0) << Describe(*first_);
  // 27,949 classic records plus the two broken by a raw line break and
  // rejoined; 31,319 + 27,838 flat rows.
  EXPECT_TRUE(Contains(first_->out,
                       "3 file(s), 87108 records read (sipri 59157, "
                       "sipri-classic 27951); 87108 recorded, 0 already present, "
                       "0 rejected"))
      << first_->out;
  EXPECT_TRUE(Contains(first_->out, "created registry")) << first_->out;
  EXPECT_EQ(first_->err, "");  // not a terminal: no progress bar
  std::cout << "[ info ] full import of the three files: " << import_seconds_ << " s\n";
  auto reg = Open();
  EXPECT_EQ(reg->List("sipri_delivery").value().size(), 59157u);
  EXPECT_EQ(reg->List("sipri_deal").value().size(), 27951u);
}

TEST_F(SipriFullImport, KnownDealUzbekistanMi35M) {
  auto reg = Open();
  for (int year : {2019, 2020, 2021}) {
    SCOPED_TRACE(year);
    auto doc = reg->Get("sipri_delivery", "sipri:61480:" + std::to_string(year)).value();
    ASSERT_TRUE(doc.has_value());
    const json& d = *doc;
    EXPECT_EQ(d["designation"], "Mi-35M");
    EXPECT_EQ(d["description"], "combat helicopter");
    EXPECT_EQ(d["category"], "Aircraft");
    EXPECT_EQ(d["supplier"], (json{{"name", "Russia"}, {"code", "RU"}}));
    EXPECT_EQ(d["recipient"], (json{{"name", "Uzbekistan"}, {"code", "UZ"}}));
    EXPECT_EQ(d["order_year"], 2018);
    EXPECT_EQ(d["order_year_estimate"], true);
    EXPECT_EQ(d["number_delivered"], 4);
    EXPECT_EQ(d["number_delivered_estimate"], year == 2021);
    EXPECT_EQ(d["tiv_per_unit_milli"], 11500);
    EXPECT_EQ(d["tiv_delivery_milli"], 46000);
    EXPECT_EQ(d["status"], "new");
    EXPECT_EQ(d["source"]["file"], kFlat2);
    EXPECT_EQ(d["source"]["generated"], "2024-04-13T15:44:54Z");
    EXPECT_EQ(d["source"]["line"], 14463 + (year - 2018));
  }
  // The classic register's record of the same deal: 12 ordered in 2018.
  int found = 0;
  auto deals = reg->List("sipri_deal");
  ASSERT_TRUE(deals.ok()) << deals.status().ToString();
  for (const json& d : *deals) {
    if (d["recipient"]["name"] != "Uzbekistan" || d["designation"] != "Mi-35M") continue;
    ++found;
    EXPECT_EQ(d["supplier"]["code"], "RU");
    EXPECT_EQ(d["order_year"], 2018);
    EXPECT_EQ(d["order_year_estimate"], true);
    EXPECT_EQ(d["number_ordered"], 12);
    EXPECT_EQ(d["number_delivered"], 12);
    EXPECT_EQ(d["delivery_years"], (json{2019, 2020, 2021}));
    EXPECT_EQ(d["tiv_per_unit_milli"], 11500);
    EXPECT_EQ(d["tiv_order_milli"], 138000);
    EXPECT_EQ(d["tiv_delivered_milli"], 138000);
    EXPECT_EQ(d["source"]["line"], 26975);
    EXPECT_EQ(d["source"]["generated"], "2024-10-13T14:20:11Z");
  }
  EXPECT_EQ(found, 1);
}

TEST_F(SipriFullImport, TextIsUtf8AndBrokenRecordsAreRejoined) {
  auto reg = Open();
  bool wartsila = false, rejoined = false;
  std::map<std::string, std::string> codes;
  auto deals = reg->List("sipri_deal");
  ASSERT_TRUE(deals.ok()) << deals.status().ToString();
  for (const json& d : *deals) {
    if (d.value("comments", "").find("W\xc3\xa4rtsil\xc3\xa4") != std::string::npos)
      wartsila = true;
    if (d["recipient"]["name"] == "Thailand" && d["supplier"]["name"] == "Ukraine" &&
        d["source"].value("last_line", 0) == d["source"]["line"].get<int>() + 1) {
      rejoined = true;
      EXPECT_EQ(d["tiv_delivered_milli"], 3250);
    }
    for (const char* who : {"supplier", "recipient"}) {
      if (d[who].contains("code")) codes[d[who]["name"]] = d[who]["code"];
    }
  }
  EXPECT_TRUE(wartsila);
  EXPECT_TRUE(rejoined);
  // SIPRI's own spellings mapped to ISO 3166 (former states from 3166-3).
  EXPECT_EQ(codes["Soviet Union"], "SU");
  EXPECT_EQ(codes["Czechoslovakia"], "CS");
  EXPECT_EQ(codes["East Germany (GDR)"], "DD");
  EXPECT_EQ(codes["UAE"], "AE");
  EXPECT_EQ(codes["Turkiye"], "TR");
  EXPECT_EQ(codes["United States"], "US");
  EXPECT_EQ(codes["Uzbekistan"], "UZ");
  EXPECT_FALSE(codes.contains("NATO**"));
  EXPECT_FALSE(codes.contains("unknown recipient(s)"));
}

TEST_F(SipriFullImport, TivByYearMatchesTheFlatFilesTotals) {
  std::string want = Expected(
      "year,tiv", [](const FlatRow& r) { return std::to_string(r.year); },
      [](const FlatRow&) { return true; });
  EXPECT_EQ(Report({"--by", "year"}), want);
}

TEST_F(SipriFullImport, TivByRecipientAndYear) {
  for (const char* recipient : {"Uzbekistan", "India", "Saudi Arabia", "Cote d'Ivoire"}) {
    SCOPED_TRACE(recipient);
    std::string want = Expected(
        "recipient,year,tiv",
        [](const FlatRow& r) { return r.recipient + "," + std::to_string(r.year); },
        [&](const FlatRow& r) { return r.recipient == recipient; });
    EXPECT_EQ(Report({"--by", "recipient,year", "--recipient", recipient}), want);
  }
  EXPECT_EQ(Report({"--by", "year,supplier", "--recipient", "Uzbekistan", "--supplier", "Russia",
                    "--from", "2019", "--to", "2021"}),
            "year,supplier,tiv\n2019,Russia,48.60\n2020,Russia,46.00\n2021,Russia,52.40\n");
}

TEST_F(SipriFullImport, TivBySupplierAndYearWithinARange) {
  for (const char* supplier : {"Russia", "Soviet Union", "United States", "France"}) {
    SCOPED_TRACE(supplier);
    std::string want = Expected(
        "supplier,year,tiv",
        [](const FlatRow& r) { return r.supplier + "," + std::to_string(r.year); },
        [&](const FlatRow& r) {
          return r.supplier == supplier && r.year >= 1985 && r.year <= 2005;
        });
    EXPECT_EQ(
        Report({"--by", "supplier,year", "--supplier", supplier, "--from", "1985", "--to", "2005"}),
        want);
  }
  // Totals by supplier over everything.
  std::string want = Expected(
      "supplier,tiv", [](const FlatRow& r) { return r.supplier; },
      [](const FlatRow&) { return true; });
  EXPECT_EQ(Report({"--by", "supplier"}), want);
}

TEST_F(SipriFullImport, ClassicRegisterCountsInTotalsOnly) {
  // Uzbekistan's deliveries in the classic register (no record of it is
  // broken across lines): the sum of "SIPRI TIV of delivered weapons".
  std::istringstream in(ReadFile(Sipri(kClassic)));
  std::string line;
  int64_t sum = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f = SplitComma(line);
    if (f.size() == 16 && f[0] == "Uzbekistan") sum += Thousandths(f[15]);
  }
  EXPECT_EQ(
      Report({"--dataset", "sipri-classic", "--by", "recipient", "--recipient", "Uzbekistan"}),
      "recipient,tiv\nUzbekistan," + TwoDecimals(sum) + "\n");
  // No per-year figures from it.
  EXPECT_EQ(Report({"--dataset", "sipri-classic", "--by", "year"}), "year,tiv\n");
  json j = json::parse(Report({"--by", "recipient", "--recipient", "Uzbekistan", "--from", "2019",
                               "--to", "2019", "--format", "json"}));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["recipient"], "Uzbekistan");
  EXPECT_TRUE(j[0]["tiv_milli"].is_number_integer());
}

TEST_F(SipriFullImport, ReimportAddsNothingAndTheProjectionsReplay) {
  std::string root = Accord({"log", "root", "--db", db_}).out;
  std::string digest = Accord({"digest", "--db", db_}).out;
  CommandResult again = Accord({"import", "sipri", "--db", db_, Sipri(kFlat2), Sipri(kClassic)});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_TRUE(Contains(again.out, "0 recorded, 55789 already present, 0 rejected")) << again.out;
  EXPECT_EQ(Accord({"log", "root", "--db", db_}).out, root);
  EXPECT_EQ(Accord({"digest", "--db", db_}).out, digest);
  // verify replays the whole log (every signature and rule) and compares the
  // digest, typed tiv_deliveries rows included.
  CommandResult v = Accord({"verify", "--db", db_});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

// ---- Small files ------------------------------------------------------------

TEST(SipriImport, RejectedLinesAreListedAndTheRestImported) {
  TempDir dir;
  std::string db = dir / "r.db";
  CommandResult r = Accord({"import", "sipri", "--db", db, Case("flat_bad_values.csv")});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "2 recorded, 0 already present, 8 rejected")) << r.out;
  EXPECT_TRUE(Contains(r.err,
                       "flat_bad_values.csv: line 13, column 9 (Numbers delivered): "
                       "expected a whole number from 0 to 100000000, found \"4x\""))
      << r.err;
  EXPECT_TRUE(Contains(r.err,
                       "flat_bad_values.csv: line 21, column 11 (Delivery year): deal "
                       "61480 already has a row for 2020 (line 20)"))
      << r.err;
  EXPECT_EQ(Accord({"report", "tiv", "--db", db, "--by", "year"}).out,
            "year,tiv\n2020,46.00\n2021,46.00\n");
}

TEST(SipriImport, StrictImportsNothing) {
  TempDir dir;
  std::string db = dir / "s.db";
  CommandResult r = Accord({"import", "sipri", "--strict", "--db", db, Case("flat_basic.csv"),
                            Case("flat_bad_values.csv")});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "nothing imported")) << r.err;
  EXPECT_TRUE(Contains(r.err, "line 14, column 16 (TIV delivery values)")) << r.err;
  EXPECT_FALSE(fs::exists(db));  // not even created
  // An unusable file is fatal under --strict too.
  r = Accord({"import", "sipri", "--strict", "--db", db, Case("flat_basic.csv"),
              Case("other_format.csv")});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "other_format.csv: line 1: not a SIPRI trade register export"))
      << r.err;
  EXPECT_FALSE(fs::exists(db));
  // A clean file under --strict imports.
  r = Accord({"import", "sipri", "--strict", "--db", db, Case("flat_basic.csv")});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "5 recorded")) << r.out;
}

TEST(SipriImport, UnusableFilesAreReportedAndTheOthersImported) {
  TempDir dir;
  std::string db = dir / "u.db";
  CommandResult r = Accord({"import", "sipri", "--db", db, Case("empty.csv"),
                            Case("flat_missing_columns.csv"), Case("flat_basic.csv")});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "empty.csv: line 1: the file is empty")) << r.err;
  EXPECT_TRUE(Contains(r.err,
                       "flat_missing_columns.csv: line 12: header of a flat export: "
                       "missing column \"TIV delivery values\""))
      << r.err;
  EXPECT_TRUE(Contains(r.out, "5 recorded, 0 already present, 0 rejected, 2 unusable")) << r.out;
}

TEST(SipriImport, RowsUniqueByDealAndYearAcrossFiles) {
  TempDir dir;
  std::string db = dir / "o.db";
  // flat_utf8_bom_crlf.csv repeats deal 61480's 2019 row of flat_basic.csv.
  CommandResult r = Accord(
      {"import", "sipri", "--db", db, Case("flat_basic.csv"), Case("flat_utf8_bom_crlf.csv")});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "7 recorded, 1 already present")) << r.out;
  EXPECT_EQ(
      Accord({"report", "tiv", "--db", db, "--by", "recipient,year", "--recipient", "Uzbekistan"})
          .out,
      "recipient,year,tiv\nUzbekistan,2019,46.00\nUzbekistan,2021,46.00\n");
  // Non-ASCII names survive as UTF-8, in every output format.
  EXPECT_TRUE(
      Contains(Accord({"report", "tiv", "--db", db, "--by", "recipient", "--format", "table"}).out,
               "T\xc3\xbcrkiye"));
}

TEST(SipriImport, ReportArgumentsAreChecked) {
  TempDir dir;
  std::string db = dir / "a.db";
  ASSERT_EQ(Accord({"import", "sipri", "--db", db, Case("flat_basic.csv")}).exit_code, 0);
  CommandResult r = Accord({"report", "tiv", "--db", db, "--by", "recipient,colour"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Contains(r.err, "\"colour\" is not one of recipient, supplier, year, category"));
  r = Accord({"report", "tiv", "--db", db, "--format", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Accord({"report", "tiv", "--db", db}).out, "tiv\n98.55\n");
  EXPECT_EQ(
      Accord({"report", "tiv", "--db", db, "--by", "category", "--from", "1995", "--to", "2011"})
          .out,
      // BMP-2: 2 delivered in 2002, no TIV delivery value: a group with 0.00.
      "category,tiv\nArmoured vehicles,0.00\nArtillery,6.55\n");
  r = Accord({"import", "sipri", "--db", db, "--dataset", "Bad Name", Case("flat_basic.csv")});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(SipriImport, TamperedTivRowIsDetected) {
  TempDir dir;
  std::string db = dir / "t.db";
  ASSERT_EQ(Accord({"import", "sipri", "--db", db, Case("flat_basic.csv")}).exit_code, 0);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "UPDATE tiv_deliveries SET tiv_milli = tiv_milli + 1", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(h);
  CommandResult v = Accord({"verify", "--db", db});
  EXPECT_NE(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.err, "projections differ")) << v.err;
  ASSERT_EQ(Accord({"rebuild", "--db", db}).exit_code, 0);
  EXPECT_EQ(Accord({"verify", "--db", db}).exit_code, 0);
  EXPECT_EQ(Accord({"report", "tiv", "--db", db}).out, "tiv\n98.55\n");
}

}  // namespace
}  // namespace accord::testing
