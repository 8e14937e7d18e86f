// The deliveries through the CLI on the demo registry: lists and filters,
// the delivery verification certificate, and `trace` checked against the log.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "domain/envelope.h"
#include "merkle/hasher.h"
#include "merkle/proof.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord {
namespace {

using nlohmann::json;

class DeliveryCli : public ::testing::Test {
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
  static json Json(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(db_);
    args.push_back("--json");
    auto r = testing::Accord(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
  static testing::TempDir* dir_;
  static std::string db_;
};

testing::TempDir* DeliveryCli::dir_ = nullptr;
std::string DeliveryCli::db_;

TEST_F(DeliveryCli, ItemsFollowSipriDeliveryYears) {
  json mi35 = Json({"show", "items", "--product", "mi-35m"});
  ASSERT_EQ(mi35.size(), 12u);
  std::map<std::string, int> per_year;
  for (const auto& i : mi35) per_year[i["received"].get<std::string>().substr(0, 4)]++;
  EXPECT_EQ(per_year, (std::map<std::string, int>{{"2019", 4}, {"2020", 4}, {"2021", 4}}));
  EXPECT_EQ(Json({"show", "items", "--product", "r-73"}).size(), 75u);
  // Two of the 50 BTR-80 were re-transferred with the supplier's consent (2023).
  EXPECT_EQ(Json({"show", "items", "--product", "btr-80", "--state", "in_service"}).size(), 48u);
  EXPECT_EQ(Json({"show", "items", "--product", "btr-80", "--state", "retransferred"}).size(), 2u);
  EXPECT_EQ(Json({"show", "items", "--unit", "uz-ground-south"}).size(), 1u);
  EXPECT_TRUE(Json({"show", "items", "--product", "nothing"}).empty());
}

TEST_F(DeliveryCli, LicencesAreDrawnDownExactly) {
  json lic = Json({"show", "licences", "--contract", "RU-UZ-2018-001"});
  bool found = false;
  for (const auto& l : lic) {
    if (l["id"] == "RU-EXP-2018-031") {
      found = true;
      EXPECT_EQ(l["drawn"]["mi-35m"], 12);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(DeliveryCli, DiscrepancyOpensACaseAndNoCertificate) {
  json cases = Json({"show", "cases", "--contract", "RU-UZ-2019-002"});
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0]["source"], "shipment/SH-2021-TAIFUN");
  EXPECT_EQ(cases[0]["differences"][0]["kind"], "damaged");
  auto r = testing::Accord({"show", "dvc", "SH-2021-TAIFUN", "--db", db_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("received_with_discrepancies"), std::string::npos) << r.err;
}

TEST_F(DeliveryCli, DeliveryVerificationCertificateNamesItsLogEntries) {
  json dvc = Json({"show", "dvc", "SH-2019-MI35M"});
  ASSERT_EQ(dvc["log_indexes"].size(), 3u);  // dispatched, custody at Tashkent, received
  std::vector<std::string> want = {"shipment.dispatched", "shipment.custody_transferred",
                                   "shipment.received"};
  for (size_t i = 0; i < 3; ++i) {
    uint64_t idx = dvc["log_indexes"][i];
    // The entry at that index is that event about this shipment.
    auto proof = testing::Accord({"log", "prove", "--db", db_, "--index", std::to_string(idx)});
    ASSERT_EQ(proof.exit_code, 0) << proof.err;
    testing::WriteFile(*dir_ / "p.json", proof.out);
    EXPECT_EQ(testing::Accord({"log", "verify-proof", *dir_ / "p.json"}).exit_code, 0);
  }
}

TEST_F(DeliveryCli, TraceIsTheItemsChainOfCustodyProvedAgainstTheLog) {
  json t = Json({"trace", "mi-35m", "MI35M-UZ-0002"});
  EXPECT_EQ(t["state"], "in_service");
  std::vector<std::string> events;
  for (const auto& s : t["steps"]) events.push_back(s["event"]);
  // In log order: delivery and the repair round trip (recorded with the
  // deliveries), then the yearly inventories 2019-2025 (recorded after them).
  std::vector<std::string> want = {
      "shipment.dispatched", "shipment.custody_transferred", "shipment.received",
      "repair.ordered",      "repair.dispatched",            "repair.received",
      "repair.completed",    "repair.dispatched",            "repair.received"};
  want.insert(want.end(), 7, "inspection.completed");
  EXPECT_EQ(events, want);
  uint64_t size = t["treeSize"];
  std::string root = Base64Decode(t["root"].get<std::string>()).value();
  for (const auto& s : t["steps"]) {
    uint64_t idx = s["index"];
    // The leaf hash is the hash of the stored entry, which holds this event.
    auto entry = testing::Accord({"log", "prove", "--db", db_, "--index", std::to_string(idx)});
    ASSERT_EQ(entry.exit_code, 0);
    json p = json::parse(entry.out);
    EXPECT_EQ(p["leafHash"], s["leafHash"]);
    std::vector<std::string> proof;
    for (const auto& h : s["proof"]) proof.push_back(Base64Decode(h.get<std::string>()).value());
    EXPECT_TRUE(merkle::VerifyInclusion(
                    idx, size, Base64Decode(s["leafHash"].get<std::string>()).value(), proof, root)
                    .ok())
        << "step at " << idx;
    EXPECT_TRUE(s["proof_verifies"].get<bool>());
  }
  // The checkpoint it names is signed for the same size and root.
  std::string cp = t["checkpoint"];
  EXPECT_NE(cp.find("\n" + std::to_string(size) + "\n" + t["root"].get<std::string>() + "\n"),
            std::string::npos)
      << cp;
}

TEST_F(DeliveryCli, TraceOfAnUnknownSerialIsOneClearLine) {
  auto r = testing::Accord({"trace", "mi-35m", "NOPE-1", "--db", db_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("no item NOPE-1"), std::string::npos) << r.err;
}

TEST_F(DeliveryCli, AccordsOwnDeliveriesCountInTivWithSipriFactors) {
  // TIV per unit x items received per year (status new: factor 1): BTR-80 0.35,
  // R-73 0.15, Mi-35M 11.5, Taifun-K 0.26, BTR-82A 0.95, as SIPRI values them.
  auto r = testing::Accord(
      {"report", "tiv", "--db", db_, "--dataset", "accord", "--by", "year", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "year,tiv\n"
            "2001,8.05\n"    // 23 BTR-80
            "2002,9.45\n"    // 27 BTR-80
            "2017,5.25\n"    // 35 R-73
            "2018,6.00\n"    // 40 R-73
            "2019,48.60\n"   // 4 Mi-35M + 10 Taifun-K
            "2020,46.00\n"   // 4 Mi-35M
            "2021,52.40\n")  // 4 Mi-35M + 10 Taifun-K + 4 BTR-82A
      << r.out;
  auto by = testing::Accord({"report", "tiv", "--db", db_, "--dataset", "accord", "--by",
                             "supplier,recipient", "--format", "csv"});
  ASSERT_EQ(by.exit_code, 0) << by.err;
  EXPECT_NE(by.out.find("Russian Federation,Uzbekistan,175.75"), std::string::npos) << by.out;
}

TEST_F(DeliveryCli, ContractFulfilmentCountsDeliveries) {
  json c = Json({"show", "contract", "RU-UZ-2019-002"});
  EXPECT_EQ(c["fulfilment"][0]["delivered"], 20);
  EXPECT_EQ(c["fulfilment"][0]["outstanding"], 0);
  json repairs = Json({"show", "repairs"});
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0]["status"], "returned");
}

}  // namespace
}  // namespace accord
