// Data-driven tests of the transfer reports (ATT, UN Register, SIPRI-style
// register, TIV), duckdb style: every tests/data/reports/SCENARIO.CASE.EXT is
// an expected output beside its input. SCENARIO "demo" is the demo registry
// (recorded with the rules); any other SCENARIO reads SCENARIO.docs.json,
// entity documents crafted for cases the demo lacks. CASE is
// att-PARTY-YEAR or unroca-PARTY-YEAR (EXT csv, md or json), register
// (EXT csv: SIPRI's flat format with "Data generated" at the epoch; json) or
// tiv (csv: TIV by year, supplier, recipient). ACCORD_UPDATE_EXPECTED=1
// rewrites the expected files from the current output (review the diff).
#include "registry/transfer_reports.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "domain/reference.h"
#include "registry/demo.h"
#include "registry/registry.h"
#include "sipri/register.h"
#include "storage/conformance/backends.h"
#include "test_util.h"

namespace accord::registry {
namespace {

using nlohmann::json;
using storage::conformance::BackendCase;
namespace fs = std::filesystem;

std::string DataDir() {
  return (fs::path(ACCORD_SOURCE_DIR) / "tests" / "data" / "reports").string();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The demo registry's documents, recorded once per backend for all tests.
const TransferDocs& DemoDocs(const BackendCase& backend) {
  static std::map<std::string, TransferDocs> by_backend;
  auto [it, fresh] = by_backend.try_emplace(backend.name);
  if (!fresh) return it->second;
  it->second = [&] {
    TransferDocs d;
    static testing::TempDir dir;
    note::Signer node = note::Signer::Generate("test.accord/registry");
    note::Signer ru = note::Signer::Generate("ru.test/mod");
    note::Signer uz = note::Signer::Generate("uz.test/mod");
    std::string db = backend.fresh(dir, "demo");
    testing::WriteFile(dir / "node.skey", node.Encode() + "\n");
    EXPECT_TRUE(Registry::Create(db, "test.accord/registry", node, dir / "node.skey").ok());
    auto reg = Registry::Open(db, true);
    if (!reg.ok()) {
      ADD_FAILURE() << reg.status().message();
      return d;
    }
    EXPECT_TRUE(RecordDemo(**reg, {&node, &ru, &uz}).ok());
    d.products = *(*reg)->List("product");
    d.contracts = *(*reg)->List("contract");
    d.licences = *(*reg)->List("licence");
    d.shipments = *(*reg)->List("shipment");
    for (const auto& [code, info] : (*reg)->reference().countries()) {
      d.state_names[code] = info.name;
    }
    return d;
  }();
  return it->second;
}

// The tests that read the demo registry, once per storage backend.
class TransferReportsDemo : public ::testing::TestWithParam<BackendCase> {
 protected:
  void SetUp() override { ACCORD_SKIP_UNAVAILABLE_BACKEND(); }
  const TransferDocs& Demo() { return DemoDocs(GetParam()); }
};

INSTANTIATE_TEST_SUITE_P(Backends, TransferReportsDemo,
                         ::testing::ValuesIn(storage::conformance::Backends()),
                         storage::conformance::CaseName);

TransferDocs CraftedDocs(const std::string& scenario) {
  json j = json::parse(Slurp(DataDir() + "/" + scenario + ".docs.json"));
  TransferDocs d;
  d.products = j["products"].get<std::vector<json>>();
  d.contracts = j["contracts"].get<std::vector<json>>();
  d.licences = j["licences"].get<std::vector<json>>();
  d.shipments = j["shipments"].get<std::vector<json>>();
  d.state_names = j["state_names"].get<std::map<std::string, std::string>>();
  return d;
}

// Renders CASE.EXT of `docs`, or the error.
std::string Render(const TransferDocs& docs, const std::string& kase, const std::string& ext) {
  auto fail = [](const Status& s) { return "error: " + s.message() + "\n"; };
  if (kase == "register") {
    auto rows = ComputeRegister(docs);
    if (!rows.ok()) return fail(rows.status());
    return ext == "json" ? RegisterJson(*rows).dump(1) + "\n" : RegisterSipriCsv(*rows, 0);
  }
  if (kase == "tiv") {
    auto deliveries = CollectDeliveries(docs);
    if (!deliveries.ok()) return fail(deliveries.status());
    return TivCsv(TivByYearSupplierRecipient(*deliveries, docs.state_names));
  }
  // att-PARTY-YEAR, unroca-PARTY-YEAR
  size_t a = kase.find('-'), b = kase.rfind('-');
  std::string what = kase.substr(0, a), party = kase.substr(a + 1, b - a - 1);
  int year = std::stoi(kase.substr(b + 1));
  if (what == "att") {
    auto r = ComputeAttReport(docs, party, year);
    if (!r.ok()) return fail(r.status());
    if (ext == "csv") return AttCsv(*r);
    if (ext == "json") return AttJson(*r).dump(1) + "\n";
    return AttMarkdown(*r);
  }
  auto r = ComputeUnrocaReport(docs, party, year);
  if (!r.ok()) return fail(r.status());
  if (ext == "csv") return UnrocaCsv(*r);
  if (ext == "json") return UnrocaJson(*r).dump(1) + "\n";
  return UnrocaMarkdown(*r);
}

TEST_P(TransferReportsDemo, EveryExpectedFileMatches) {
  bool update = std::getenv("ACCORD_UPDATE_EXPECTED") != nullptr;
  size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(DataDir())) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".docs.json")) continue;
    size_t dot1 = name.find('.'), dot2 = name.rfind('.');
    ASSERT_NE(dot1, dot2) << name << ": expected SCENARIO.CASE.EXT";
    std::string scenario = name.substr(0, dot1), kase = name.substr(dot1 + 1, dot2 - dot1 - 1),
                ext = name.substr(dot2 + 1);
    std::string got = Render(scenario == "demo" ? Demo() : CraftedDocs(scenario), kase, ext);
    if (update) {
      testing::WriteFile(entry.path().string(), got);
    } else {
      EXPECT_EQ(got, Slurp(entry.path().string())) << "case " << name;
    }
    ++cases;
  }
  EXPECT_GE(cases, 10u);
}

TEST_P(TransferReportsDemo, DemoUzbekistan2019Imports) {
  auto r = ComputeAttReport(Demo(), "UZ", 2019);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->exports.empty());
  ASSERT_EQ(r->imports.size(), 2u);
  // Sorted by category: II (Taifun-K) before V (Mi-35M).
  EXPECT_EQ(r->imports[0].category, "II");
  EXPECT_EQ(r->imports[0].product, "taifun-k-53949");
  EXPECT_EQ(r->imports[0].actual_items, 10);
  EXPECT_EQ(r->imports[1].category, "V");
  EXPECT_EQ(r->imports[1].product, "mi-35m");
  EXPECT_EQ(r->imports[1].partner, "RU");
  EXPECT_EQ(r->imports[1].actual_items, 4);
  EXPECT_EQ(r->imports[1].actual_value_minor, 4 * int64_t{100'000'000'000});
  // UZ's only import permit (Mi-35M) was issued in 2018; RU's export
  // licences and the transit permits are not UZ's import authorizations.
  EXPECT_EQ(r->imports[0].authorized_items, 0);
  EXPECT_EQ(r->imports[1].authorized_items, 0);
  auto r2018 = ComputeAttReport(Demo(), "UZ", 2018);
  ASSERT_TRUE(r2018.ok());
  ASSERT_EQ(r2018->imports.size(), 2u);  // Mi-35M (V) permitted; R-73 (VII) received
  EXPECT_EQ(r2018->imports[0].product, "mi-35m");
  EXPECT_EQ(r2018->imports[0].authorized_items, 12);
  EXPECT_EQ(r2018->imports[0].actual_items, 0);
  EXPECT_EQ(r2018->imports[1].product, "r-73");
  EXPECT_EQ(r2018->imports[1].authorized_items, 0);
  EXPECT_EQ(r2018->imports[1].actual_items, 40);
}

// The public form: the same items, no values or currencies anywhere, and
// rows that differed only by currency added together.
TEST_P(TransferReportsDemo, AttPublicFormWithholdsValues) {
  auto r = ComputeAttReport(Demo(), "RU", 2019);
  ASSERT_TRUE(r.ok());
  AttReport pub = WithholdValues(*r);
  EXPECT_TRUE(pub.values_withheld);
  ASSERT_EQ(pub.exports.size(), r->exports.size());
  for (size_t i = 0; i < pub.exports.size(); ++i) {
    EXPECT_EQ(pub.exports[i].actual_items, r->exports[i].actual_items);
    EXPECT_EQ(pub.exports[i].authorized_items, r->exports[i].authorized_items);
    EXPECT_EQ(pub.exports[i].actual_value_minor, 0);
    EXPECT_TRUE(pub.exports[i].currency.empty());
  }
  std::string csv = AttCsv(pub), js = AttJson(pub).dump(), md = AttMarkdown(pub);
  for (const std::string& out : {csv, js, md}) {
    EXPECT_EQ(out.find("RUB"), std::string::npos) << out;
    EXPECT_EQ(out.find("27000000000"), std::string::npos) << out;
  }
  EXPECT_NE(csv.find(",20,,10,,,contract RU-UZ-2019-002"), std::string::npos) << csv;
  EXPECT_TRUE(AttJson(pub)["values_withheld"].get<bool>());
  EXPECT_FALSE(AttJson(*r).contains("values_withheld"));
  EXPECT_NE(md.find("withheld in this public form"), std::string::npos);

  AttReport two;
  two.exports = {AttRow{"II", "", "UZ", "Uzbekistan", "p", "P", "RUB", 1, 100, 2, 200, "a"},
                 AttRow{"II", "", "UZ", "Uzbekistan", "p", "P", "USD", 3, 300, 4, 400, "b"}};
  AttReport merged = WithholdValues(two);
  ASSERT_EQ(merged.exports.size(), 1u);
  EXPECT_EQ(merged.exports[0].authorized_items, 4);
  EXPECT_EQ(merged.exports[0].actual_items, 6);
  EXPECT_EQ(merged.exports[0].comments, "a; b");
}

TEST_P(TransferReportsDemo, NilReportWhenNothingHappened) {
  auto r = ComputeAttReport(Demo(), "UZ", 2016);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->nil());
  EXPECT_NE(AttMarkdown(*r).find("Nil report"), std::string::npos);
  auto u = ComputeUnrocaReport(Demo(), "KZ", 2019);  // a transit state exports nothing
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->nil());
  EXPECT_TRUE(UnrocaJson(*u)["nil_report"].get<bool>());
}

TEST(TransferReports, StatusFactors) {
  EXPECT_EQ(TivAfterStatus(11500, "new"), 11500);
  EXPECT_EQ(TivAfterStatus(250, "second_hand"), 100);
  EXPECT_EQ(TivAfterStatus(1500, "second_hand_modernized"), 990);
  EXPECT_EQ(TivAfterStatus(450, "second_hand_modernized"), 297);
  EXPECT_EQ(MilliText(11500), "11.5");
  EXPECT_EQ(MilliText(260), "0.26");
  EXPECT_EQ(MilliText(46000), "46");
  EXPECT_EQ(MilliText(1), "0.001");
}

TEST(TransferReports, DealIdsAreStableAndWithinSipriRange) {
  int64_t id = RegisterDealId("RU-UZ-2018-001", 1);
  EXPECT_EQ(id, RegisterDealId("RU-UZ-2018-001", 1));
  EXPECT_NE(id, RegisterDealId("RU-UZ-2018-001", 2));
  EXPECT_GE(id, 1);
  EXPECT_LE(id, int64_t{1} << 40);
}

// The register parses back with src/sipri's parser into the same rows, and
// the TIV of the parsed rows equals the TIV computed from the deliveries.
void CheckRoundTrip(const TransferDocs& docs) {
  auto rows = ComputeRegister(docs);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  auto ex = sipri::ParseExport(RegisterSipriCsv(*rows, 1713022494));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  EXPECT_EQ(ex->format, sipri::Format::kFlat);
  EXPECT_EQ(ex->generated, "2024-04-13T15:34:54Z");
  EXPECT_TRUE(ex->rejected.empty()) << ex->rejected[0].ToString();
  ASSERT_EQ(ex->flat.size(), rows->size());
  std::map<std::tuple<int, std::string, std::string>, int64_t> parsed;
  for (size_t i = 0; i < rows->size(); ++i) {
    const sipri::FlatRecord& f = ex->flat[i];
    const RegisterRow& r = (*rows)[i];
    EXPECT_EQ(f.deal_id, r.deal_id);
    EXPECT_EQ(f.supplier, r.supplier);
    EXPECT_EQ(f.designation, r.designation);
    EXPECT_EQ(f.category, r.category);
    EXPECT_EQ(f.number_delivered, r.number_delivered);
    EXPECT_EQ(f.delivery_year, r.delivery_year);
    EXPECT_EQ(sipri::DealStatusCode(f.status), r.status);
    EXPECT_EQ(f.tiv_per_unit_milli, r.tiv_unit_milli);
    parsed[{f.delivery_year, f.supplier, f.recipient}] += f.tiv_delivery_milli.value_or(0);
  }
  auto deliveries = CollectDeliveries(docs);
  ASSERT_TRUE(deliveries.ok());
  auto groups = TivByYearSupplierRecipient(*deliveries, docs.state_names);
  ASSERT_EQ(groups.size(), parsed.size());
  for (const TivGroup& g : groups) {
    EXPECT_EQ((parsed[{g.year, g.supplier, g.recipient}]), g.tiv_milli) << g.year;
  }
}

TEST_P(TransferReportsDemo, RegisterRoundTripsThroughTheSipriParser) {
  CheckRoundTrip(Demo());
  CheckRoundTrip(CraftedDocs("crafted"));
}

TEST(TransferReports, UnknownProductIsCorruption) {
  TransferDocs docs = CraftedDocs("crafted");
  docs.products.erase(docs.products.begin());  // t-72b
  auto r = ComputeAttReport(docs, "UZ", 2023);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("t-72b"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace accord::registry
