// The treaty core through the real `accord` binary: a refused submission
// appends nothing (data-driven), and NDJSON streams (--continue, later lines
// seeing earlier ones).
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

// Issue #14, Low-medium 10: a malformed first line lost the good lines.
TEST(RegistryCliRecordStream, ContinueKeepsTheGoodLinesAfterAMalformedFirstLine) {
  Demo demo;
  std::string stream = "{bad\n" + ValidDraft("RU-UZ-2020-C1").dump() + "\n" +
                       ValidDraft("RU-UZ-2020-C2").dump() + "\n";
  CommandResult r = Accord({"record", "--db", demo.db, "--key", demo.uz, "--continue"}, stream);
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_EQ(r.out, demo.Next(0) + " contract.drafted contract/RU-UZ-2020-C1\n" + demo.Next(1) +
                       " contract.drafted contract/RU-UZ-2020-C2\n");
  EXPECT_TRUE(Contains(r.err, "accord: refused line 1: invalid JSON")) << r.err;
  EXPECT_TRUE(Contains(r.err, "recorded 2, refused 1")) << r.err;
}

// Issue #14, Medium 4: `cat e.json e.json | accord record` appended twice.
TEST(RegistryCliRecordStream, AReplayIsRefusedNamingTheIndex) {
  Demo demo;
  std::string e = ValidDraft("RU-UZ-2020-R1").dump() + "\n";
  RegistryState before = StateOf(demo.db);
  CommandResult twice = Accord({"record", "--db", demo.db, "--key", demo.uz}, e + e);
  EXPECT_EQ(twice.exit_code, 2) << Describe(twice);
  EXPECT_TRUE(Contains(twice.err, "line 2: this event repeats line 1")) << twice.err;
  EXPECT_EQ(StateOf(demo.db), before);
  std::string index = demo.Next(0);
  EXPECT_EQ(Ok({"record", "--db", demo.db, "--key", demo.uz}, e),
            index + " contract.drafted contract/RU-UZ-2020-R1\n");
  RegistryState after = StateOf(demo.db);
  CommandResult again = Accord({"record", "--db", demo.db, "--key", demo.uz}, e);
  EXPECT_EQ(again.exit_code, 2) << Describe(again);
  ExpectOneErrorLine(again);
  EXPECT_TRUE(Contains(again.err, "this event is already in the log at index " + index))
      << again.err;
  EXPECT_EQ(StateOf(demo.db), after);
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

// `init` writes the node key outside the database, so it refuses a locator
// no backend knows, a URI with a password and a server it cannot reach
// before leaving anything behind.
TEST(RegistryCliInit, ALocatorItCannotUseWritesNothing) {
  TempDir dir;
  CommandResult r = Accord({"init", "--db", "mysql://root@localhost/ru", "--key-dir", dir.path()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "mysql")) << r.err;
  EXPECT_TRUE(Contains(r.err, "file path")) << r.err;
  // Port 1 on loopback: nothing listens there.
  r = Accord({"init", "--db", "postgresql://accord@127.0.0.1:1/ru", "--key-dir", dir.path()});
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "cannot connect to postgresql://accord@127.0.0.1:1/ru")) << r.err;
  // A password in the URI is refused, and never echoed.
  r = Accord(
      {"init", "--db", "postgresql://accord:s3cret@127.0.0.1:1/ru", "--key-dir", dir.path()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "PGPASSWORD")) << r.err;
  EXPECT_FALSE(Contains(r.err + r.out, "s3cret")) << r.err;
  r = Accord({"init", "--db", "postgresql://accord@127.0.0.1:1/ru?password=s3cret", "--key-dir",
              dir.path()});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_FALSE(Contains(r.err + r.out, "s3cret")) << r.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace accord::testing::registry_cli
