// The treaty core through the real `accord` binary: init, record (plain,
// presigned, NDJSON, --continue), bad input that must append nothing, the demo
// scenario and its views, the golden digest/rebuild test, tamper evidence,
// show errors and help.
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
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Helpers

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// Every failure: exactly one line on stderr, starting "accord: ".
void ExpectOneErrorLine(const CommandResult& r) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(r);
  EXPECT_EQ(r.err.rfind("accord: ", 0), 0u) << Describe(r);
  EXPECT_TRUE(!r.err.empty() && r.err.back() == '\n') << Describe(r);
}

// Runs accord and requires exit 0; returns stdout.
std::string Ok(const std::vector<std::string>& args, const std::string& input = "") {
  CommandResult r = Accord(args, input);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    ADD_FAILURE() << "accord" << cmd << "\n" << Describe(r);
  }
  return r.out;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// What "nothing appended" compares: the log's root and the projections' digest.
struct RegistryState {
  std::string root;
  std::string digest;
  bool operator==(const RegistryState&) const = default;
};

RegistryState StateOf(const std::string& db) {
  return {Trim(Ok({"log", "root", "--db", db})), Trim(Ok({"digest", "--db", db}))};
}

// An event envelope as a JSON object.
json Event(const std::string& type, const std::string& time, const std::string& party,
           const std::string& actor, const std::string& subject, json body) {
  return {{"v", 1},         {"type", type},       {"time", time},           {"party", party},
          {"actor", actor}, {"subject", subject}, {"body", std::move(body)}};
}

// A contract draft by UZ under the demo's 2016 treaty, at the domestic price
// valid in 2020: accepted by the demo registry as it stands.
json ValidDraft(const std::string& id = "RU-UZ-2020-T1") {
  return Event("contract.drafted", "2020-02-01T00:00:00Z", "UZ", "uz-mod/procurement",
               "contract/" + id,
               {{"agreement", "RU-UZ-2016-MTC"},
                {"supplier_body", "ru-rostvertol"},
                {"recipient_body", "uz-mod"},
                {"channel", "direct"},
                {"lines",
                 {{{"line", 1},
                   {"product", "mi-35m"},
                   {"quantity", 2},
                   {"unit_price_minor", 105000000000},
                   {"currency", "RUB"}}}},
                {"delivery_schedule", {{{"line", 1}, {"year", 2021}, {"quantity", 2}}}}});
}

// Replaces the first occurrence of `from` in `s` (which must be there).
std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "\"" << from << "\" not in " << s;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Raw SQLite access to a registry file.
class Sql {
 public:
  explicit Sql(const std::string& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
  ~Sql() { sqlite3_close(db_); }
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;

  std::string Entry(int64_t idx) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(
        sqlite3_prepare_v2(db_, "SELECT data FROM log_entries WHERE idx = ?1", -1, &st, nullptr),
        SQLITE_OK)
        << sqlite3_errmsg(db_);
    sqlite3_bind_int64(st, 1, idx);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) {
      out.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                 static_cast<size_t>(sqlite3_column_bytes(st, 0)));
    } else {
      ADD_FAILURE() << "no log entry " << idx;
    }
    sqlite3_finalize(st);
    return out;
  }

  void SetEntry(int64_t idx, const std::string& data) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, "UPDATE log_entries SET data = ?1 WHERE idx = ?2", -1, &st,
                                 nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db_);
    sqlite3_bind_blob(st, 1, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, idx);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_changes(db_), 1);
  }

  void Exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
  }

  int64_t Count(const std::string& table) {
    sqlite3_stmt* st = nullptr;
    std::string sql = "SELECT count(*) FROM " + table;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A demo registry in its own directory.
struct Demo {
  TempDir dir;
  std::string db = dir / "demo.db";
  std::string ru = dir / "demo.keys/ru.skey";
  std::string uz = dir / "demo.keys/uz.skey";
  int64_t size = 0;  // events the demo recorded (52 at the time of writing)
  Demo() {
    Ok({"demo", "--db", db});
    size = Sql(db).Count("log_entries");
  }
  // The index the next recorded event gets, plus `k`.
  std::string Next(int64_t k = 0) const { return std::to_string(size + k); }
};

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
// 3. Bad input: a refused submission appends nothing

struct BadCase {
  std::string name;  // test-name suffix
  std::string description;
  std::string input;              // on standard input
  std::vector<std::string> args;  // after "record --db DB"; "@ru"/"@uz" name the demo keys
  int exit_code;
  std::string error;  // substring of stderr
};

std::string PrettyWith(const std::string& from, const std::string& to) {
  return Replace(ValidDraft().dump(2), from, to);
}

std::vector<BadCase> BadCases() {
  const std::string d = ValidDraft().dump();
  const std::vector<std::string> uz = {"--key", "@uz"};
  std::string stream;
  for (int i = 1; i <= 4; ++i) {
    std::string line = ValidDraft("RU-UZ-2020-S" + std::to_string(i)).dump();
    if (i == 3) line = Replace(line, "\"actor\":\"uz-mod/procurement\",", "");
    stream += line + "\n";
  }
  return {
      {"UnknownType", "unknown event type", Replace(d, "contract.drafted", "contract.widgeted"), uz,
       2, "type: unknown event type \"contract.widgeted\""},
      {"MissingActor", "missing field (no actor)",
       Replace(d, "\"actor\":\"uz-mod/procurement\",", ""), uz, 2, "missing field \"actor\""},
      {"MissingBodyField", "missing body field (no recipient_body)",
       Replace(d, "\"recipient_body\":\"uz-mod\",", ""), uz, 2,
       "body.recipient_body: missing required field"},
      {"ExtraTopLevelField", "extra field at top level", Replace(d, "\"v\":1", "\"v\":1,\"x\":0"),
       uz, 2, "unknown field \"x\""},
      {"ExtraBodyField", "extra field in body",
       Replace(d, "\"channel\":", "\"colour\":\"red\",\"channel\":"), uz, 2,
       "body.colour: unknown field"},
      {"ExtraLineField", "extra field in a contract line",
       Replace(d, "\"line\":1,\"product\"", "\"line\":1,\"colour\":\"red\",\"product\""), uz, 2,
       "body.lines[0].colour: unknown field"},
      {"QuantityAsString", "wrong type: quantity as a string",
       Replace(d, "\"quantity\":2,\"unit", "\"quantity\":\"2\",\"unit"), uz, 2,
       "body.lines[0].quantity: expected an integer"},
      {"BadMonth", "time not RFC 3339: month 13", Replace(d, "2020-02-01T00:00:00Z", "2018-13-01"),
       uz, 2, "time: \"2018-13-01\" is not an RFC 3339"},
      {"SpaceForT", "time not RFC 3339: space instead of T, no seconds",
       Replace(d, "2020-02-01T00:00:00Z", "2018-06-01 10:00"), uz, 2,
       "time: \"2018-06-01 10:00\" is not an RFC 3339"},
      {"BadBodyDate",
       "body date not a calendar date",
       Event("product.price_published", "2020-01-01T00:00:00Z", "RU", "ru-mod/pricing",
             "product/btr-82a",
             {{"currency", "RUB"}, {"amount_minor", 100}, {"valid_from", "2021-02-30"}})
           .dump(),
       {"--key", "@ru"},
       2,
       "body.valid_from"},
      {"UnknownParty", "a party that does not exist",
       Replace(d, "\"party\":\"UZ\"", "\"party\":\"FR\""), uz, 2, "no party \"FR\""},
      {"UnknownProduct", "a product that does not exist",
       Replace(d, "\"product\":\"mi-35m\"", "\"product\":\"mi-99\""), uz, 2,
       "body.lines[0].product: no product \"mi-99\""},
      {"UnknownBody", "a body that does not exist",
       Replace(d, "\"supplier_body\":\"ru-rostvertol\"", "\"supplier_body\":\"ru-nobody\""), uz, 2,
       "body.supplier_body"},
      {"MoneyWithFraction", "non-integer money: 12.5", Replace(d, "105000000000", "12.5"), uz, 2,
       "unit_price_minor"},
      {"MoneyWithExponent", "non-integer money: 1e3", Replace(d, "105000000000", "1e3"), uz, 2,
       "unit_price_minor"},
      {"NegativeMoney", "negative money", Replace(d, "105000000000", "-5"), uz, 2,
       "body.lines[0].unit_price_minor"},
      {"InvalidJson", "invalid JSON (truncated)", d.substr(0, d.size() - 1), uz, 2, "invalid JSON"},
      {"NotAnObject", "a JSON array instead of an object", "[" + d + "]", uz, 2, "object"},
      {"InvalidUtf8", "invalid UTF-8 bytes",
       Replace(d, "uz-mod/procurement", "uz-mod/proc\xff\xfe"), uz, 2, "invalid UTF-8"},
      {"FloatInEnvelope", "a float in the envelope (v 1.0)", Replace(d, "\"v\":1", "\"v\":1.0"), uz,
       2, "v:"},
      {"FloatInSchedule", "a float deep in the body",
       Replace(d, "\"year\":2021", "\"year\":2021.0"), uz, 2, "year"},
      {"DuplicateKey", "duplicate key at top level", Replace(d, "\"v\":1", "\"v\":1,\"v\":1"), uz,
       2, "duplicate key \"v\""},
      {"DuplicateKeyInBody", "duplicate key in the body",
       Replace(d, "\"channel\":\"direct\"", "\"channel\":\"direct\",\"channel\":\"direct\""), uz, 2,
       "duplicate key \"channel\""},
      {"Future", "event dated in the future", Replace(d, "2020-02-01", "2999-02-01"), uz, 2,
       "in the future"},
      {"OtherPartysKey",
       "signed by another party's key",
       d,
       {"--key", "@ru"},
       2,
       "signature.key_of_party"},
      {"NdjsonThirdLine", "NDJSON stream whose 3rd line is bad: nothing of it appended", stream, uz,
       2, "line 3: missing field \"actor\""},
      // A pretty-printed (multi-line) object is one event: its errors must be
      // reported as such, naming the field, not as "line 1: invalid JSON".
      {"PrettyObjectWithFloat", "pretty-printed object with non-integer money",
       PrettyWith("105000000000", "12.5"), uz, 2, "unit_price_minor"},
      {"PrettyObjectWithDuplicateKey", "pretty-printed object with a duplicate key",
       PrettyWith("\"v\": 1", "\"v\": 1,\n  \"v\": 1"), uz, 2, "duplicate key \"v\""},
      {"PrettyObjectWithInvalidUtf8", "pretty-printed object with invalid UTF-8 bytes",
       PrettyWith("uz-mod/procurement", "uz-mod/proc\xff\xfe"), uz, 2, "invalid UTF-8"},
  };
}

// Lets gtest name a table row instead of dumping its bytes.
void PrintTo(const BadCase& c, std::ostream* os) {
  *os << c.name;
}

class RegistryCliBadInput : public ::testing::TestWithParam<BadCase> {
 protected:
  static void SetUpTestSuite() { demo_ = new Demo(); }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }
  static Demo* demo_;
};
Demo* RegistryCliBadInput::demo_ = nullptr;

TEST_P(RegistryCliBadInput, RefusedAndNothingAppended) {
  const BadCase& c = GetParam();
  SCOPED_TRACE(c.description);
  const std::string& db = demo_->db;
  std::vector<std::string> args = {"record", "--db", db};
  for (const std::string& a : c.args) {
    args.push_back(a == "@ru" ? demo_->ru : a == "@uz" ? demo_->uz : a);
  }
  RegistryState before = StateOf(db);
  CommandResult r = Accord(args, c.input);
  EXPECT_EQ(r.exit_code, c.exit_code) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, c.error)) << "expected \"" << c.error << "\" in\n" << r.err;
  EXPECT_TRUE(Contains(r.err, "nothing recorded")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(StateOf(db), before);
}

INSTANTIATE_TEST_SUITE_P(RegistryCli, RegistryCliBadInput, ::testing::ValuesIn(BadCases()),
                         [](const ::testing::TestParamInfo<BadCase>& row) {
                           return row.param.name;
                         });

// The control for the table: the unaltered event is accepted, so each row
// was refused for its own defect.
TEST(RegistryCliRecordStream, UnalteredDraftIsAccepted) {
  Demo demo;
  std::string out = Ok({"record", "--db", demo.db, "--key", demo.uz}, ValidDraft().dump());
  EXPECT_GE(demo.size, 52);
  EXPECT_EQ(out, demo.Next() + " contract.drafted contract/RU-UZ-2020-T1\n");
  json c = json::parse(Ok({"show", "contract", "RU-UZ-2020-T1", "--json", "--db", demo.db}));
  EXPECT_EQ(c["status"], "drafted");
  EXPECT_EQ(c["lines"][0]["quantity"], 2);
}

TEST(RegistryCliRecordStream, BadThirdLineAppendsNothingOfTheStream) {
  Demo demo;
  std::string stream;
  for (int i = 1; i <= 4; ++i) {
    std::string line = ValidDraft("RU-UZ-2020-S" + std::to_string(i)).dump();
    if (i == 3) line = Replace(line, "\"product\":\"mi-35m\"", "\"product\":\"mi-99\"");
    stream += line + "\n";
  }
  RegistryState before = StateOf(demo.db);
  CommandResult r = Accord({"record", "--db", demo.db, "--key", demo.uz}, stream);
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_TRUE(Contains(r.err, "line 3")) << r.err;
  EXPECT_TRUE(Contains(r.err, "mi-99")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(StateOf(demo.db), before);
  CommandResult s = Accord({"show", "contract", "RU-UZ-2020-S1", "--db", demo.db});
  EXPECT_NE(s.exit_code, 0);
}

TEST(RegistryCliRecordStream, ContinueAppendsTheValidLinesAndListsTheRefused) {
  Demo demo;
  std::string stream;
  for (int i = 1; i <= 4; ++i) {
    std::string line = ValidDraft("RU-UZ-2020-S" + std::to_string(i)).dump();
    if (i == 3) line = Replace(line, "\"product\":\"mi-35m\"", "\"product\":\"mi-99\"");
    stream += line + "\n";
  }
  CommandResult r = Accord({"record", "--db", demo.db, "--key", demo.uz, "--continue"}, stream);
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_EQ(r.out, demo.Next(0) + " contract.drafted contract/RU-UZ-2020-S1\n" + demo.Next(1) +
                       " contract.drafted contract/RU-UZ-2020-S2\n" + demo.Next(2) +
                       " contract.drafted contract/RU-UZ-2020-S4\n");
  std::vector<std::string> err = SplitLines(r.err);
  ASSERT_GE(err.size(), 1u) << r.err;
  EXPECT_EQ(err[0].rfind("accord: refused line 3: ", 0), 0u) << r.err;
  EXPECT_TRUE(Contains(err[0], "mi-99")) << r.err;
  EXPECT_EQ(std::count_if(err.begin(), err.end(),
                          [](const std::string& l) { return Contains(l, "refused line"); }),
            1)
      << r.err;
  for (const char* id : {"RU-UZ-2020-S1", "RU-UZ-2020-S2", "RU-UZ-2020-S4"}) {
    CommandResult s = Accord({"show", "contract", id, "--db", demo.db});
    EXPECT_EQ(s.exit_code, 0) << id << Describe(s);
  }
  CommandResult s3 = Accord({"show", "contract", "RU-UZ-2020-S3", "--db", demo.db});
  EXPECT_NE(s3.exit_code, 0);
  CommandResult v = Accord({"verify", "--db", demo.db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.out, demo.Next(3) + " events")) << v.out;
}

TEST(RegistryCliRecordStream, LaterLinesSeeEarlierOnes) {
  // A stream is decided in order: line 2 signs the contract line 1 drafts.
  Demo demo;
  std::string stream = ValidDraft("RU-UZ-2020-T2").dump() + "\n" +
                       Event("contract.signed", "2020-02-05T00:00:00Z", "UZ", "uz-mod/procurement",
                             "contract/RU-UZ-2020-T2", {{"date", "2020-02-05"}})
                           .dump() +
                       "\n";
  EXPECT_EQ(Ok({"record", "--db", demo.db, "--key", demo.uz}, stream),
            demo.Next(0) + " contract.drafted contract/RU-UZ-2020-T2\n" + demo.Next(1) +
                " contract.signed contract/RU-UZ-2020-T2\n");
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
}  // namespace accord::testing
