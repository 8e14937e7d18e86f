// The treaty core through the real `accord` binary: init, record (plain and
// presigned) and help. Bad input: registry_cli_bad_input_test.cc; the demo,
// golden digest, tamper evidence and show errors: registry_cli_demo_test.cc.
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
// 1. init

TEST(RegistryCliInit, CreatesRegistryAndNodeKeys) {
  TempDir dir;
  std::string db = dir / "reg.db";
  CommandResult r = Accord({"init", "--db", db, "--origin", "example.org/registry"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_TRUE(fs::exists(db));
  std::string skey = dir / "reg.node.skey", vkey = dir / "reg.node.vkey";
  ASSERT_TRUE(fs::exists(skey));
  ASSERT_TRUE(fs::exists(vkey));
  struct stat st {};
  ASSERT_EQ(stat(skey.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << std::oct << (st.st_mode & 0777);

  // The key pair is a real pair named after the origin.
  auto signer = note::Signer::Parse(ReadFile(skey));
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->name(), "example.org/registry");
  EXPECT_EQ(Trim(ReadFile(vkey)), signer->Verifier().Encode());

  // An empty registry: digest, verify and show all work on it.
  EXPECT_EQ(Trim(Ok({"digest", "--db", db})).size(), 64u);
  CommandResult v = Accord({"verify", "--db", db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_EQ(json::parse(Ok({"show", "parties", "--json", "--db", db})), json::array());
  // The checkpoint is signed by the node key under the origin.
  EXPECT_TRUE(Contains(Ok({"log", "checkpoint", "--db", db}), "example.org/registry\n0\n"));
}

TEST(RegistryCliInit, DefaultOriginComesFromTheFileName) {
  TempDir dir;
  Ok({"init", "--db", dir / "treaty.db"});
  auto signer = note::Signer::Parse(ReadFile(dir / "treaty.node.skey"));
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(signer->name(), "accord.local/treaty");
}

TEST(RegistryCliInit, RefusesAnExistingDatabasePath) {
  TempDir dir;
  // A file that is not ours.
  std::string other = dir / "other.db";
  WriteFile(other, "not a database\n");
  CommandResult r = Accord({"init", "--db", other});
  EXPECT_NE(r.exit_code, 0);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "already exists")) << r.err;
  EXPECT_EQ(ReadFile(other), "not a database\n");
  EXPECT_FALSE(fs::exists(dir / "other.node.skey"));
  EXPECT_FALSE(fs::exists(dir / "other.node.vkey"));

  // An existing registry: neither it nor its keys change.
  std::string db = dir / "reg.db";
  Ok({"init", "--db", db});
  std::string skey = ReadFile(dir / "reg.node.skey"), vkey = ReadFile(dir / "reg.node.vkey");
  RegistryState before = StateOf(db);
  r = Accord({"init", "--db", db});
  EXPECT_NE(r.exit_code, 0);
  ExpectOneErrorLine(r);
  EXPECT_EQ(ReadFile(dir / "reg.node.skey"), skey);
  EXPECT_EQ(ReadFile(dir / "reg.node.vkey"), vkey);
  EXPECT_EQ(StateOf(db), before);
}

TEST(RegistryCliInit, RefusesExistingKeyFiles) {
  for (const char* which : {"skey", "vkey"}) {
    SCOPED_TRACE(which);
    TempDir dir;
    std::string existing = dir / (std::string("reg.node.") + which);
    WriteFile(existing, "someone else's key\n");
    CommandResult r = Accord({"init", "--db", dir / "reg.db"});
    EXPECT_NE(r.exit_code, 0);
    ExpectOneErrorLine(r);
    EXPECT_TRUE(Contains(r.err, existing)) << r.err;
    EXPECT_EQ(ReadFile(existing), "someone else's key\n");
    EXPECT_FALSE(fs::exists(dir / "reg.db"));
    // Nothing else was created beside it.
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
    EXPECT_EQ(files, 1u);
  }
}

TEST(RegistryCliInit, RefusesAnOriginWithASpace) {
  TempDir dir;
  CommandResult r = Accord({"init", "--db", dir / "reg.db", "--origin", "example.org/my registry"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "origin")) << r.err;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

// ---------------------------------------------------------------------------
// 2. record, the happy path from an empty registry

TEST(RegistryCliRecord, RegistryThenPartyEventsThroughTheCli) {
  TempDir dir;
  std::string db = dir / "reg.db";
  Ok({"init", "--db", db});
  Ok({"keygen", "ru.test", "--out", dir.path()});
  Ok({"keygen", "uz.test", "--out", dir.path()});
  std::string ru_vkey = Trim(ReadFile(dir / "ru.test.vkey"));
  std::string uz_vkey = Trim(ReadFile(dir / "uz.test.vkey"));
  auto ru_signer = note::Signer::Parse(ReadFile(dir / "ru.test.skey"));
  ASSERT_TRUE(ru_signer.ok());

  // Registry events, signed with the node key, as NDJSON from a file.
  const std::string t0 = "2016-11-01T00:00:00Z", admin = "registry/admin";
  std::string ndjson =
      Event("party.registered", t0, "registry", admin, "party/RU", {{"name", "Russian Federation"}})
          .dump() +
      "\n" +
      Event("party.registered", t0, "registry", admin, "party/UZ",
            {{"name", "Republic of Uzbekistan"}})
          .dump() +
      "\n" +
      Event("party.key_registered", t0, "registry", admin, "party/RU",
            {{"vkey", ru_vkey}, {"valid_from", "2016-01-01"}})
          .dump() +
      "\n" +
      Event("party.key_registered", t0, "registry", admin, "party/UZ",
            {{"vkey", uz_vkey}, {"valid_from", "2016-01-01"}})
          .dump() +
      "\n";
  WriteFile(dir / "registry.ndjson", ndjson);
  std::string out =
      Ok({"record", "--db", db, "--key", dir / "reg.node.skey", dir / "registry.ndjson"});
  EXPECT_EQ(out,
            "0 party.registered party/RU\n1 party.registered party/UZ\n"
            "2 party.key_registered party/RU\n3 party.key_registered party/UZ\n");

  // One pretty-printed object in a file, signed with RU's key.
  json ru_mod =
      Event("body.registered", "2016-11-02T00:00:00Z", "RU", "ru-mod/registrar", "body/ru-mod",
            {{"party", "RU"},
             {"kind", "ministry_of_defence"},
             {"name", "Ministry of Defence of the Russian Federation"},
             {"city", "Moscow"}});
  WriteFile(dir / "ru-mod.json", ru_mod.dump(4) + "\n");
  out = Ok({"record", "--db", db, "--key", dir / "ru.test.skey", dir / "ru-mod.json"});
  EXPECT_EQ(out, "4 body.registered body/ru-mod\n");

  // An NDJSON stream on standard input (with a blank line and CRLF endings).
  std::string stream =
      Event("body.registered", "2016-11-02T00:00:00Z", "RU", "ru-mod/registrar", "body/ru-plant",
            {{"party", "RU"}, {"kind", "enterprise"}, {"name", "Plant"}})
          .dump() +
      "\r\n\n" +
      Event("body.registered", "2016-11-02T00:00:00Z", "RU", "ru-mod/registrar", "body/ru-roe",
            {{"party", "RU"}, {"kind", "intermediary_agency"}, {"name", "Rosoboronexport"}})
          .dump() +
      "\n";
  out = Ok({"record", "--db", db, "--key", dir / "ru.test.skey"}, stream);
  EXPECT_EQ(out, "5 body.registered body/ru-plant\n6 body.registered body/ru-roe\n");
  // "-" names standard input too.
  out = Ok({"record", "--db", db, "--key", dir / "uz.test.skey", "-"},
           Event("body.registered", "2016-11-03T00:00:00Z", "UZ", "uz-mod/registrar", "body/uz-mod",
                 {{"party", "UZ"}, {"kind", "ministry_of_defence"}, {"name", "MoD UZ"}})
               .dump());
  EXPECT_EQ(out, "7 body.registered body/uz-mod\n");

  // The views.
  json parties = json::parse(Ok({"show", "parties", "--json", "--db", db}));
  ASSERT_EQ(parties.size(), 2u) << parties.dump(2);
  EXPECT_EQ(parties[0]["code"], "RU");
  EXPECT_EQ(parties[0]["name"], "Russian Federation");
  EXPECT_EQ(parties[0]["registered"], "2016-11-01");
  ASSERT_EQ(parties[0]["keys"].size(), 1u);
  EXPECT_EQ(parties[0]["keys"][0]["id"], domain::KeyIdHex(ru_signer->key_id()));
  EXPECT_EQ(parties[0]["keys"][0]["vkey"], ru_vkey);
  EXPECT_EQ(parties[1]["code"], "UZ");
  EXPECT_EQ(parties[1]["keys"][0]["vkey"], uz_vkey);

  std::string bodies = Ok({"show", "bodies", "--db", db});
  for (const char* id : {"ru-mod", "ru-plant", "ru-roe", "uz-mod"})
    EXPECT_TRUE(Contains(bodies, id)) << bodies;
  EXPECT_TRUE(Contains(bodies, "intermediary_agency")) << bodies;
  json bodies_json = json::parse(Ok({"show", "bodies", "--json", "--db", db}));
  EXPECT_EQ(bodies_json.size(), 4u);

  std::string table = Ok({"show", "parties", "--db", db});
  EXPECT_TRUE(Contains(table, "Republic of Uzbekistan")) << table;

  // The stored leaf carries the event as signed, with RU's key id and a
  // signature that verifies over the signing message.
  Sql sql(db);
  auto leaf = domain::ParseLeaf(sql.Entry(4));
  ASSERT_TRUE(leaf.ok()) << leaf.status().ToString();
  EXPECT_EQ(leaf->event, ru_mod);
  EXPECT_EQ(leaf->key_id, ru_signer->key_id());
  auto message = domain::SigningMessage(ru_mod);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(leaf->signature, ru_signer->Sign(*message));  // Ed25519 is deterministic

  CommandResult v = Accord({"verify", "--db", db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.out, "8 events")) << v.out;
}

TEST(RegistryCliRecord, PartyEventsNeedAKeyOrASignature) {
  Demo demo;
  RegistryState before = StateOf(demo.db);
  CommandResult r = Accord({"record", "--db", demo.db}, ValidDraft().dump());
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "--key")) << r.err;
  EXPECT_EQ(StateOf(demo.db), before);
}

TEST(RegistryCliRecord, RegistryEventsNeedTheNodeKey) {
  Demo demo;
  RegistryState before = StateOf(demo.db);
  json e = Event("party.registered", "2020-01-01T00:00:00Z", "registry", "registry/admin",
                 "party/KZ", {{"name", "Republic of Kazakhstan"}});
  CommandResult r = Accord({"record", "--db", demo.db, "--key", demo.ru}, e.dump());
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "signature.registry_key")) << r.err;
  EXPECT_EQ(StateOf(demo.db), before);
  // The node key records it.
  EXPECT_TRUE(
      Contains(Ok({"record", "--db", demo.db, "--key", demo.dir / "demo.node.skey"}, e.dump()),
               "party.registered party/KZ"));
}

// ---------------------------------------------------------------------------
// 4. Presigned events

// A UZ contract draft signed outside the registry with `key_file`, as the
// text a client submits.
std::string Presign(const std::string& key_file, const json& event) {
  auto signer = note::Signer::Parse(ReadFile(key_file));
  EXPECT_TRUE(signer.ok()) << signer.status().ToString();
  auto message = domain::SigningMessage(event);
  EXPECT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->rfind(domain::kEventSignaturePrefix, 0), 0u);
  json signed_event = event;
  signed_event["key"] = domain::KeyIdHex(signer->key_id());
  signed_event["sig"] = Base64Encode(signer->Sign(*message));
  return signed_event.dump(2);  // any layout: the signature is over the canonical form
}

TEST(RegistryCliPresigned, AcceptedWithoutKeyAndStoredAsSigned) {
  Demo demo;
  json event = ValidDraft("RU-UZ-2020-P1");
  std::string text = Presign(demo.uz, event);
  std::string out = Ok({"record", "--db", demo.db}, text);
  EXPECT_EQ(out, demo.Next() + " contract.drafted contract/RU-UZ-2020-P1\n");
  // Stored with the client's signature, not re-signed.
  json submitted = json::parse(text);
  Sql sql(demo.db);
  auto leaf = domain::ParseLeaf(sql.Entry(demo.size));
  ASSERT_TRUE(leaf.ok()) << leaf.status().ToString();
  EXPECT_EQ(leaf->event, event);
  EXPECT_EQ(domain::KeyIdHex(leaf->key_id), submitted["key"]);
  EXPECT_EQ(Base64Encode(leaf->signature), submitted["sig"]);
  CommandResult v = Accord({"verify", "--db", demo.db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

TEST(RegistryCliPresigned, AcceptedEvenWhenAKeyIsGiven) {
  // "Events that arrive already signed are verified, not re-signed": --key
  // (here RU's) does not apply to them.
  Demo demo;
  std::string text = Presign(demo.uz, ValidDraft("RU-UZ-2020-P2"));
  EXPECT_EQ(Ok({"record", "--db", demo.db, "--key", demo.ru}, text),
            demo.Next() + " contract.drafted contract/RU-UZ-2020-P2\n");
}

TEST(RegistryCliPresigned, AChangedBodyByteIsRefused) {
  Demo demo;
  std::string text = Presign(demo.uz, ValidDraft("RU-UZ-2020-P3"));
  // Flip one byte of the body after signing: quantity 2 -> 3.
  std::string tampered = Replace(text, "\"quantity\": 2,\n", "\"quantity\": 3,\n");
  ASSERT_NE(tampered, text);
  RegistryState before = StateOf(demo.db);
  CommandResult r = Accord({"record", "--db", demo.db}, tampered);
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "sig")) << r.err;
  EXPECT_EQ(StateOf(demo.db), before);
}

TEST(RegistryCliPresigned, SignedByAnotherPartysKeyIsRefused) {
  Demo demo;
  std::string text = Presign(demo.ru, ValidDraft("RU-UZ-2020-P4"));  // a UZ event, RU's key
  RegistryState before = StateOf(demo.db);
  CommandResult r = Accord({"record", "--db", demo.db}, text);
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "key")) << r.err;
  EXPECT_EQ(StateOf(demo.db), before);
}

TEST(RegistryCliPresigned, KeyWithoutSigIsRefused) {
  Demo demo;
  json e = json::parse(Presign(demo.uz, ValidDraft("RU-UZ-2020-P5")));
  e.erase("sig");
  RegistryState before = StateOf(demo.db);
  CommandResult r = Accord({"record", "--db", demo.db, "--key", demo.uz}, e.dump());
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "sig")) << r.err;
  EXPECT_EQ(StateOf(demo.db), before);
}

// ---------------------------------------------------------------------------
// 9. help

TEST(RegistryCliHelp, EveryCommandHasHelp) {
  for (const char* cmd : {"init", "record", "show", "demo", "rebuild", "digest", "verify"}) {
    SCOPED_TRACE(cmd);
    CommandResult r = Accord({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    EXPECT_TRUE(Contains(r.out, "--db")) << r.out;
    EXPECT_TRUE(Contains(r.out, std::string("accord ") + cmd)) << r.out;
  }
  EXPECT_TRUE(Contains(Accord({"record", "--help"}).out, "--continue"));
  EXPECT_TRUE(Contains(Accord({"demo", "--help"}).out, "--force"));
  EXPECT_TRUE(Contains(Accord({"show", "--help"}).out, "--json"));
}

}  // namespace
}  // namespace accord::testing::registry_cli
