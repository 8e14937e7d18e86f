// The treaty core through the real `accord` binary: the demo scenario and its
// views, the golden digest/rebuild test, tamper evidence and show errors.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "domain/envelope.h"
#include "note/note.h"
#include "registry_cli_fixture.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing::registry_cli {
namespace {

// ---------------------------------------------------------------------------
// 5. demo

TEST(RegistryCliDemo, RefusedOnAnExistingRegistryUnlessForced) {
  TempDir dir;
  std::string db = dir / "demo.db";
  CommandResult r = Accord({"demo", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(fs::exists(dir / "demo.keys/ru.skey"));
  EXPECT_TRUE(fs::exists(dir / "demo.keys/uz.skey"));
  struct stat st {};
  ASSERT_EQ(stat((dir / "demo.keys/ru.skey").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  RegistryState before = StateOf(db);
  std::string ru = ReadFile(dir / "demo.keys/ru.skey");
  std::string node = ReadFile(dir / "demo.node.skey");
  r = Accord({"demo", "--db", db});
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "--force")) << r.err;
  EXPECT_EQ(StateOf(db), before);
  EXPECT_EQ(ReadFile(dir / "demo.keys/ru.skey"), ru);
  EXPECT_EQ(ReadFile(dir / "demo.node.skey"), node);

  r = Accord({"demo", "--db", db, "--force"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  // A new registry with new keys; the same world.
  EXPECT_NE(ReadFile(dir / "demo.keys/ru.skey"), ru);
  EXPECT_NE(StateOf(db).root, before.root);  // new keys, new signatures
  CommandResult v = Accord({"verify", "--db", db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

TEST(RegistryCliDemo, RefusedWhenOnlyItsKeysExist) {
  TempDir dir;
  fs::create_directories(dir / "demo.keys");
  WriteFile(dir / "demo.keys/ru.skey", "mine\n");
  CommandResult r = Accord({"demo", "--db", dir / "demo.db"});
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_EQ(ReadFile(dir / "demo.keys/ru.skey"), "mine\n");
  EXPECT_FALSE(fs::exists(dir / "demo.db"));
}

class RegistryCliDemoViews : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { demo_ = new Demo(); }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }
  static std::string Show(std::vector<std::string> args) {
    args.insert(args.begin(), "show");
    args.push_back("--db");
    args.push_back(demo_->db);
    return Ok(args);
  }
  // The table row that starts with `id`.
  static std::string Row(const std::string& table, const std::string& id) {
    for (const auto& line : SplitLines(table)) {
      if (line.rfind(id + " ", 0) == 0) return line;
    }
    ADD_FAILURE() << "no row " << id << " in\n" << table;
    return "";
  }
  static Demo* demo_;
};
Demo* RegistryCliDemoViews::demo_ = nullptr;

TEST_F(RegistryCliDemoViews, VerifyPasses) {
  CommandResult v = Accord({"verify", "--db", demo_->db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.out, demo_->Next() + " events")) << v.out;
  CommandResult lv = Accord({"log", "verify", "--db", demo_->db});
  EXPECT_EQ(lv.exit_code, 0) << Describe(lv);
}

TEST_F(RegistryCliDemoViews, Agreements) {
  std::string table = Show({"agreements"});
  std::string row = Row(table, "RU-UZ-2016-MTC");
  EXPECT_TRUE(Contains(row, "in_force")) << row;
  EXPECT_TRUE(Contains(row, "2017-04-17")) << row;
  EXPECT_TRUE(Contains(row, "2016-11-29")) << row;
  EXPECT_TRUE(Contains(row, "domestic")) << row;
  Row(table, "RU-UZ-1992");
  Row(table, "RU-UZ-2005");

  json agreements = json::parse(Show({"agreements", "--json"}));
  const json* mtc = nullptr;
  for (const auto& a : agreements) {
    if (a["id"] == "RU-UZ-2016-MTC") mtc = &a;
  }
  ASSERT_NE(mtc, nullptr) << agreements.dump(2);
  EXPECT_EQ((*mtc)["status"], "in_force");
  EXPECT_EQ((*mtc)["in_force_from"], "2017-04-17");
  EXPECT_EQ((*mtc)["pricing_rule"], "domestic");
  EXPECT_EQ((*mtc)["signed_place"], "Moscow");
  EXPECT_EQ((*mtc)["parties"], json({"RU", "UZ"}));
}

TEST_F(RegistryCliDemoViews, ContractMi35) {
  json c = json::parse(Show({"contract", "RU-UZ-2018-001", "--json"}));
  EXPECT_EQ(c["id"], "RU-UZ-2018-001");
  EXPECT_EQ(c["status"], "in_force");
  EXPECT_EQ(c["channel"], "direct");
  ASSERT_GE(c["lines"].size(), 1u);
  EXPECT_EQ(c["lines"][0]["line"], 1);
  EXPECT_EQ(c["lines"][0]["product"], "mi-35m");
  EXPECT_EQ(c["lines"][0]["quantity"], 12);
  EXPECT_EQ(c["lines"][0]["price_flag"], false);
  ASSERT_TRUE(c["signatures"].is_object());
  EXPECT_TRUE(c["signatures"].contains("RU"));
  EXPECT_TRUE(c["signatures"].contains("UZ"));
  EXPECT_EQ(c["signatures"].size(), 2u);
  ASSERT_TRUE(c["fulfilment"].is_array());
  ASSERT_EQ(c["fulfilment"].size(), 1u);
  EXPECT_EQ(c["fulfilment"][0]["ordered"], 12);
  // The demo delivers all twelve (2019, 2020, 2021), as SIPRI records.
  EXPECT_EQ(c["fulfilment"][0]["delivered"], 12);
  EXPECT_EQ(c["fulfilment"][0]["outstanding"], 0);

  // The history names the log entries that made the contract: each index
  // holds an event of that type about this contract.
  ASSERT_TRUE(c["history"].is_array());
  ASSERT_EQ(c["history"].size(), 3u) << c["history"].dump(2);
  std::vector<std::string> types;
  Sql sql(demo_->db);
  for (const auto& h : c["history"]) {
    ASSERT_TRUE(h["index"].is_number_integer()) << h.dump();
    types.push_back(h["type"]);
    auto leaf = domain::ParseLeaf(sql.Entry(h["index"].get<int64_t>()));
    ASSERT_TRUE(leaf.ok()) << leaf.status().ToString();
    EXPECT_EQ(leaf->event["subject"], "contract/RU-UZ-2018-001");
    EXPECT_EQ(leaf->event["type"], h["type"]);
    EXPECT_EQ(leaf->event["party"], h["party"]);
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{"contract.drafted", "contract.signed", "contract.signed"}));

  // The text view says the same.
  std::string text = Show({"contract", "RU-UZ-2018-001"});
  EXPECT_TRUE(Contains(text, "mi-35m")) << text;
  EXPECT_TRUE(Contains(text, "in_force")) << text;
  EXPECT_TRUE(Contains(text, "history")) << text;
}

TEST_F(RegistryCliDemoViews, ContractsFlagAboveDomestic) {
  std::string table = Show({"contracts"});
  EXPECT_TRUE(Contains(Row(table, "RU-UZ-2019-002"), "above domestic")) << table;
  EXPECT_FALSE(Contains(Row(table, "RU-UZ-2018-001"), "above domestic")) << table;
  EXPECT_TRUE(Contains(Row(table, "RU-UZ-2001-001"), "ru-roe")) << table;  // the intermediary
  json contracts = json::parse(Show({"contracts", "--json"}));
  EXPECT_EQ(contracts.size(), 5u);
  for (const auto& c : contracts) {
    EXPECT_TRUE(c.contains("fulfilment")) << c["id"];
    bool flagged = c["lines"][0].value("price_flag", false);
    EXPECT_EQ(flagged, c["id"] == "RU-UZ-2019-002") << c["id"];
  }
}

TEST_F(RegistryCliDemoViews, Prices) {
  json prices = json::parse(Show({"prices", "--json"}));
  std::vector<json> mi35;
  for (const auto& p : prices) {
    if (p["product"] == "mi-35m") mi35.push_back(p);
  }
  ASSERT_EQ(mi35.size(), 2u) << prices.dump(2);
  EXPECT_EQ(mi35[0]["version"], 1);
  EXPECT_EQ(mi35[0]["valid_from"], "2017-01-01");
  EXPECT_EQ(mi35[0]["valid_to"], "2018-12-31");
  EXPECT_EQ(mi35[1]["version"], 2);
  EXPECT_EQ(mi35[1]["valid_from"], "2019-01-01");
  EXPECT_FALSE(mi35[1].contains("valid_to"));
  std::string table = Show({"prices"});
  EXPECT_TRUE(Contains(table, "2018-12-31")) << table;
  EXPECT_TRUE(Contains(table, "open")) << table;
}

TEST_F(RegistryCliDemoViews, ProgrammesPartiesBodiesProducts) {
  std::string programmes = Show({"programmes"});
  std::string row = Row(programmes, "UZ-REEQUIP-2018");
  EXPECT_TRUE(Contains(row, "mi-35m 12/12")) << row;
  json p = json::parse(Show({"programmes", "--json"}));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]["contracts"].size(), 3u);

  json parties = json::parse(Show({"parties", "--json"}));
  // RU and UZ, and TJ (host of the April 2017 exercise; it has no key).
  ASSERT_EQ(parties.size(), 3u);
  EXPECT_EQ(parties[0]["code"], "RU");
  EXPECT_EQ(parties[1]["code"], "TJ");
  EXPECT_EQ(parties[1]["keys"], json::array());
  EXPECT_EQ(parties[2]["code"], "UZ");
  // The registered keys are the demo's key files.
  auto uz = note::Signer::Parse(ReadFile(demo_->uz));
  ASSERT_TRUE(uz.ok());
  EXPECT_EQ(parties[2]["keys"][0]["vkey"], uz->Verifier().Encode());

  std::string bodies = Show({"bodies"});
  EXPECT_TRUE(Contains(Row(bodies, "ru-roe"), "intermediary_agency")) << bodies;
  std::string products = Show({"products"});
  EXPECT_TRUE(Contains(Row(products, "mi-35m"), "Mi-35M")) << products;
}

// ---------------------------------------------------------------------------
// 6. Golden: demo -> digest -> rebuild -> same digest

TEST(RegistryCliGolden, RebuildKeepsTheDigest) {
  Demo demo;
  std::string digest = Trim(Ok({"digest", "--db", demo.db}));
  ASSERT_EQ(digest.size(), 64u) << digest;
  std::string out = Ok({"rebuild", "--db", demo.db});
  EXPECT_TRUE(Contains(out, "replayed " + demo.Next() + " events")) << out;
  EXPECT_TRUE(Contains(out, "(unchanged)")) << out;
  EXPECT_EQ(Trim(Ok({"digest", "--db", demo.db})), digest);
  CommandResult v = Accord({"verify", "--db", demo.db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

TEST(RegistryCliGolden, RebuildRestoresDamagedProjections) {
  Demo demo;
  std::string digest = Trim(Ok({"digest", "--db", demo.db}));
  {
    Sql sql(demo.db);
    ASSERT_GT(sql.Count("entities"), 0);
    sql.Exec("DELETE FROM entities WHERE kind = 'contract'");
  }
  EXPECT_NE(Trim(Ok({"digest", "--db", demo.db})), digest);
  CommandResult v = Accord({"verify", "--db", demo.db});
  EXPECT_EQ(v.exit_code, 1) << Describe(v);
  ExpectOneErrorLine(v);
  EXPECT_TRUE(Contains(v.err, "projections")) << v.err;

  Ok({"rebuild", "--db", demo.db});
  EXPECT_EQ(Trim(Ok({"digest", "--db", demo.db})), digest);
  v = Accord({"verify", "--db", demo.db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

TEST(RegistryCliGolden, TwoDemosProjectTheSameWorld) {
  // Keys differ between runs (so the digests do, through the parties' keys);
  // the agreements and contracts do not.
  Demo a, b;
  EXPECT_EQ(json::parse(Ok({"show", "contracts", "--json", "--db", a.db})),
            json::parse(Ok({"show", "contracts", "--json", "--db", b.db})));
  EXPECT_EQ(json::parse(Ok({"show", "agreements", "--json", "--db", a.db})),
            json::parse(Ok({"show", "agreements", "--json", "--db", b.db})));
}

// ---------------------------------------------------------------------------
// 7. Tamper evidence

TEST(RegistryCliTamper, ChangingAByteOfAStoredEventNamesTheEntry) {
  Demo demo;
  int64_t last = demo.size - 1;
  for (int64_t idx : {int64_t{0}, int64_t{17}, int64_t{39}, last}) {
    SCOPED_TRACE("entry " + std::to_string(idx));
    std::string original;
    {
      Sql sql(demo.db);
      original = sql.Entry(idx);
      ASSERT_FALSE(original.empty());
      // A byte inside the event's body, changed so that the JSON stays valid.
      size_t at = original.find("\"body\":{");
      ASSERT_NE(at, std::string::npos) << original;
      at = original.find_first_of("abcdefghijklmnopqrstuvwxyz0123456789", at + 9);
      ASSERT_NE(at, std::string::npos);
      std::string changed = original;
      changed[at] = changed[at] == 'x' ? 'y' : 'x';
      sql.SetEntry(idx, changed);
    }
    std::string name = "log entry " + std::to_string(idx);
    CommandResult v = Accord({"verify", "--db", demo.db});
    EXPECT_NE(v.exit_code, 0) << Describe(v);
    ExpectOneErrorLine(v);
    EXPECT_TRUE(Contains(v.err, name)) << v.err;
    CommandResult lv = Accord({"log", "verify", "--db", demo.db});
    EXPECT_NE(lv.exit_code, 0) << Describe(lv);
    EXPECT_TRUE(Contains(lv.err, name)) << lv.err;
    {
      Sql sql(demo.db);
      sql.SetEntry(idx, original);
    }
    CommandResult again = Accord({"verify", "--db", demo.db});
    ASSERT_EQ(again.exit_code, 0) << "after restoring: " << Describe(again);
  }
}

// ---------------------------------------------------------------------------
// 8. show errors

TEST(RegistryCliShow, UnknownContractIsNotFound) {
  Demo demo;
  CommandResult r = Accord({"show", "contract", "NOPE", "--db", demo.db});
  EXPECT_NE(r.exit_code, 0);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "no contract \"NOPE\"")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = Accord({"show", "contract", "NOPE", "--json", "--db", demo.db});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(RegistryCliShow, ContractWithoutIdIsBadUsage) {
  Demo demo;
  CommandResult r = Accord({"show", "contract", "--db", demo.db});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  ExpectOneErrorLine(r);
}

TEST(RegistryCliShow, UnknownWhatListsTheChoices) {
  Demo demo;
  CommandResult r = Accord({"show", "widgets", "--db", demo.db});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  ExpectOneErrorLine(r);
  for (const char* choice : {"widgets", "agreements", "parties", "bodies", "products", "prices",
                             "contracts", "programmes", "contract ID"}) {
    EXPECT_TRUE(Contains(r.err, choice)) << choice << " in " << r.err;
  }
  EXPECT_TRUE(r.out.empty());
}

TEST(RegistryCliShow, BareLogIsNotARegistry) {
  TempDir dir;
  Ok({"keygen", "bare.test", "--out", dir.path()});
  std::string db = dir / "bare.db";
  Ok({"log", "init", "--db", db, "--origin", "bare.test", "--key", dir / "bare.test.skey"});
  for (const char* what : {"parties", "contracts"}) {
    CommandResult r = Accord({"show", what, "--db", db});
    EXPECT_NE(r.exit_code, 0) << Describe(r);
    ExpectOneErrorLine(r);
    EXPECT_TRUE(Contains(r.err, "not an Accord registry")) << r.err;
  }
  CommandResult r =
      Accord({"record", "--db", db, "--key", dir / "bare.test.skey"}, ValidDraft().dump());
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "not an Accord registry")) << r.err;
}

TEST(RegistryCliShow, MissingDatabaseIsOneLine) {
  TempDir dir;
  CommandResult r = Accord({"show", "parties", "--db", dir / "missing.db"});
  EXPECT_NE(r.exit_code, 0);
  ExpectOneErrorLine(r);
  EXPECT_FALSE(fs::exists(dir / "missing.db"));  // show does not create it
}

}  // namespace
}  // namespace accord::testing::registry_cli
