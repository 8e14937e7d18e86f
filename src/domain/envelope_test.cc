#include "domain/envelope.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "util/encoding.h"

namespace accord::domain {
namespace {

using nlohmann::json;

// The example event of the brief.
constexpr std::string_view kEventText =
    R"({"v":1,"type":"contract.signed","time":"2018-06-01T00:00:00Z","party":"UZ",)"
    R"("actor":"uz-mod/officer-17","subject":"contract/RU-UZ-2018-001",)"
    R"("body":{"lines":[{"item":"Mi-35M","qty":12,"price_usd_cents":1250000000}]}})";
constexpr std::string_view kEventCanonical =
    R"({"actor":"uz-mod/officer-17","body":{"lines":[{"item":"Mi-35M","price_usd_cents":)"
    R"(1250000000,"qty":12}]},"party":"UZ","subject":"contract/RU-UZ-2018-001",)"
    R"("time":"2018-06-01T00:00:00Z","type":"contract.signed","v":1})";

json ExampleEvent() {
  return ParseStrictJson(kEventText).value();
}

std::string Canon(std::string_view text) {
  auto j = ParseStrictJson(text);
  if (!j.ok()) return "PARSE ERROR: " + j.status().message();
  auto c = CanonicalJson(*j);
  if (!c.ok()) return "CANONICAL ERROR: " + c.status().message();
  return *c;
}

// ---------------------------------------------------------------------------
// Canonical JSON

struct CanonCase {
  std::string_view input;
  std::string_view expected;
};

TEST(CanonicalJsonTest, GoldenCases) {
  const CanonCase cases[] = {
      // Scalars.
      {"null", "null"},
      {"true", "true"},
      {"false", "false"},
      {"0", "0"},
      {"-0", "0"},
      {"-17", "-17"},
      {"9007199254740991", "9007199254740991"},
      {"-9007199254740991", "-9007199254740991"},
      {"1234567890123", "1234567890123"},
      {R"("")", R"("")"},
      // White space goes; key order is by bytes.
      {" { \"b\" : 1 ,\n\t\"a\" : 2 } ", R"({"a":2,"b":1})"},
      {R"({"b":1,"a":[true,null,"x\n\u0001é"]})",
       "{\"a\":[true,null,\"x\\n\\u0001\xC3\xA9\"],\"b\":1}"},
      {"[]", "[]"},
      {"{}", "{}"},
      {"[[],{},[{}]]", "[[],{},[{}]]"},
      {"[3,1,2]", "[3,1,2]"},
      // Nested objects sort at every level.
      {R"({"z":{"y":1,"x":{"b":[1,{"d":0,"c":0}],"a":null}},"a":0})",
       R"({"a":0,"z":{"x":{"a":null,"b":[1,{"c":0,"d":0}]},"y":1}})"},
      // Keys: uppercase < underscore < lowercase (ASCII), prefixes first,
      // and non-ASCII (by UTF-8 bytes) after ASCII; "é" (C3 A9) < "ж" (D0 B6)
      // < "€" (E2 82 AC) < "😀" (F0 9F 98 80).
      {R"({"b":1,"_":2,"B":3,"aa":4,"a":5,"😀":6,"€":7,"ж":8,"é":9,"":10})",
       "{\"\":10,\"B\":3,\"_\":2,\"a\":5,\"aa\":4,\"b\":1,\"\xC3\xA9\":9,\"\xD0\xB6\":8,"
       "\"\xE2\x82\xAC\":7,\"\xF0\x9F\x98\x80\":6}"},
      // Escapes: only what JSON requires, short forms where they exist.
      {R"("\b\f\n\r\t\"\\")", R"("\b\f\n\r\t\"\\")"},
      {R"("\u0000\u0007\u000b\u000E\u001f\u0020")", R"("\u0000\u0007\u000b\u000e\u001f ")"},
      // '/' and DEL are not escaped; \u escapes of printable characters are
      // resolved to raw UTF-8, surrogate pairs included.
      {R"("\/a/b\u007f")", "\"/a/b\x7F\""},
      {R"("\u00e9\u20AC\ud83d\ude00")", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\""},
      {"\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\""},
      // U+2028/U+2029 stay raw (RFC 8785 does not escape them).
      {R"("\u2028\u2029")", "\"\xE2\x80\xA8\xE2\x80\xA9\""},
      // The event of the brief.
      {kEventText, kEventCanonical},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Canon(c.input), c.expected) << "input: " << c.input;
    // Canonical output is a fixed point.
    EXPECT_EQ(Canon(c.expected), c.expected) << "input: " << c.input;
  }
}

TEST(CanonicalJsonTest, RejectsWhatIsNotCanonicalMaterial) {
  struct Case {
    json value;
    std::string_view error;
  };
  const Case cases[] = {
      {json(1.0), "(top level): expected an integer (money in minor units"},
      {json{{"a", {{"b", json::array({1, 2.5})}}}}, "a.b[1]: expected an integer"},
      {json(kMaxSafeInteger + 1), "outside the safe range"},
      {json(-kMaxSafeInteger - 1), "outside the safe range"},
      {json(uint64_t{1} << 63), "outside the safe range"},
      {json("\xFF"), "invalid UTF-8"},
      {json{{"k", "ok"}, {"x y", "\xC3"}}, "[\"x y\"]: invalid UTF-8"},
      {json{{"\xC0\x80", 1}}, "invalid UTF-8 at byte 0 of the key"},
      {json::binary({1, 2}), "not a JSON value"},
  };
  for (const auto& c : cases) {
    auto r = CanonicalJson(c.value);
    ASSERT_FALSE(r.ok()) << c.error;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.error), std::string::npos)
        << r.status().message() << " / expected: " << c.error;
  }
  EXPECT_EQ(CanonicalJson(json(kMaxSafeInteger)).value(), "9007199254740991");
  EXPECT_EQ(CanonicalJson(json(-kMaxSafeInteger)).value(), "-9007199254740991");
  EXPECT_EQ(CanonicalJson(json(uint64_t{42})).value(), "42");
}

TEST(CanonicalJsonTest, BoundsRecursionOfBuiltValues) {
  json deep = json::array();
  for (int i = 0; i < 300; ++i) deep = json::array({std::move(deep)});
  auto r = CanonicalJson(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested deeper"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Strict parsing

TEST(ParseStrictJsonTest, Accepts) {
  EXPECT_TRUE(ParseStrictJson(kEventText).ok());
  EXPECT_TRUE(ParseStrictJson(" [1, 2, 3] \n").ok());  // white space around is fine
  EXPECT_TRUE(
      ParseStrictJson(R"({"a":{"a":{"a":1}},"b":{"a":2}})").ok());  // same key, other object
  EXPECT_TRUE(ParseStrictJson(R"([{"a":1},{"a":1}])").ok());
  EXPECT_EQ(ParseStrictJson("9007199254740991")->get<int64_t>(), kMaxSafeInteger);
  EXPECT_EQ(ParseStrictJson("-9007199254740991")->get<int64_t>(), -kMaxSafeInteger);
  // Exactly kMaxJsonDepth levels.
  std::string deep = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseStrictJson(deep).ok());
  // Exactly kMaxEventBytes.
  std::string big = "\"" + std::string(kMaxEventBytes - 2, 'x') + "\"";
  EXPECT_TRUE(ParseStrictJson(big).ok());
}

TEST(ParseStrictJsonTest, Rejects) {
  struct Case {
    std::string input;
    std::string_view error;
  };
  const std::vector<Case> cases = {
      // Invalid UTF-8, wherever it is.
      {"\"\xFF\"", "invalid UTF-8 at byte 1"},
      {"{\"a\":\"\xC3\"}", "invalid UTF-8 at byte 6"},
      {"\"\xC0\xAF\"", "invalid UTF-8"},          // overlong '/'
      {"\"\xE0\x80\xAF\"", "invalid UTF-8"},      // overlong, 3 bytes
      {"\"\xED\xA0\x80\"", "invalid UTF-8"},      // encoded surrogate
      {"\"\xF4\x90\x80\x80\"", "invalid UTF-8"},  // above U+10FFFF
      {"\"\xF0\x9F\x98\"", "invalid UTF-8"},      // truncated
      {"[1] \x80", "invalid UTF-8 at byte 4"},    // outside any string
      {"\xEF\xBB\xBF{}", "byte order mark"},
      // Lone surrogates in escapes.
      {R"("\ud800")", "invalid JSON"},
      {R"("\udc00x")", "invalid JSON"},
      // Duplicate keys, with the path of the object.
      {R"({"a":1,"a":2})", "(top level): duplicate key \"a\""},
      {R"({"body":{"lines":[{},{},{"qty":1,"item":"x","qty":2}]}})",
       "body.lines[2]: duplicate key \"qty\""},
      {R"({"a":{"b c":{"x":[],"x":{}}}})", "a[\"b c\"]: duplicate key \"x\""},
      {R"({"é":1,"\u00e9":2})", "duplicate key \"é\""},  // same key after unescaping
      // Floating point, in every spelling.
      {"1.0",
       "(top level): expected an integer (money in minor units, fixed-point with the unit "
       "in the field name)"},
      {"1e3", "expected an integer"},
      {"1E3", "expected an integer"},
      {"-0.0", "expected an integer"},
      {"0.5", "expected an integer"},
      {"1e400", "expected an integer"},
      {R"({"body":{"lines":[{"qty":1},{"price":12.5}]}})",
       "body.lines[1].price: expected an integer"},
      {R"([0,1,2.0])", "[2]: expected an integer"},
      // Integers outside ±(2^53-1).
      {"9007199254740992", "(top level): integer 9007199254740992 is outside the safe range"},
      {"-9007199254740992", "integer -9007199254740992 is outside the safe range"},
      {"18446744073709551615", "outside the safe range"},
      {"-9223372036854775809", "outside the safe range"},
      {R"({"n":123456789012345678901234567890})", "n: integer 123456789012345678901234567890"},
      // Depth.
      {std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']'),
       "nested deeper than 32"},
      {R"({"a":)" + std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']') + "}",
       "nested deeper than 32"},
      // Size.
      {"\"" + std::string(kMaxEventBytes - 1, 'x') + "\"",
       "at most " + std::to_string(kMaxEventBytes)},
      // Syntax, trailing garbage and things nlohmann could be lenient about.
      {"", "invalid JSON"},
      {"   ", "invalid JSON"},
      {"{} {}", "invalid JSON"},
      {"[1]x", "invalid JSON"},
      {"{\"a\":1}garbage", "invalid JSON"},
      {"[1,]", "invalid JSON"},
      {"{\"a\":1,}", "invalid JSON"},
      {"{'a':1}", "invalid JSON"},
      {"{a:1}", "invalid JSON"},
      {"01", "invalid JSON"},
      {"+1", "invalid JSON"},
      {".5", "invalid JSON"},
      {"NaN", "invalid JSON"},
      {"Infinity", "invalid JSON"},
      {"[1] // comment", "invalid JSON"},
      {"/* c */ 1", "invalid JSON"},
      {"\"tab\there\"", "invalid JSON"},  // raw control character in a string
      {std::string("\"nul\0\"", 6), "invalid JSON"},
      {R"("\x41")", "invalid JSON"},
      {R"("\u12")", "invalid JSON"},
      {"tru", "invalid JSON"},
  };
  for (const auto& c : cases) {
    auto r = ParseStrictJson(c.input);
    ASSERT_FALSE(r.ok()) << "accepted: " << c.input.substr(0, 80);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.error), std::string::npos)
        << "input: " << c.input.substr(0, 80) << "\nmessage: " << r.status().message()
        << "\nexpected: " << c.error;
  }
}

TEST(ParseStrictJsonTest, DepthErrorNamesThePath) {
  std::string text = R"({"a":[)" + std::string(kMaxJsonDepth - 1, '[') +
                     std::string(kMaxJsonDepth - 1, ']') + "]}";
  auto r = ParseStrictJson(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("a[0]", 0), 0u) << r.status().message();
}

// ---------------------------------------------------------------------------
// Time stamps

TEST(Rfc3339Test, Valid) {
  struct Case {
    std::string_view text;
    int64_t unix;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2016-11-29T00:00:00Z", 1480377600},
      {"2017-03-30T12:00:00+05:00", 1490857200},
      {"2017-03-30T07:00:00Z", 1490857200},
      {"2017-03-30T02:00:00-05:00", 1490857200},
      {"2017-03-30T07:00:00+00:00", 1490857200},
      {"2017-03-30T07:00:00-00:00", 1490857200},
      {"2017-03-30T12:30:00+05:30", 1490857200},
      {"2018-06-01T00:00:00Z", 1527811200},
      {"2018-06-01T00:00:00.5Z", 1527811200},          // fractions are dropped
      {"2018-06-01T00:00:00.999999999Z", 1527811200},  // not rounded
      {"2020-02-29T00:00:00Z", 1582934400},            // leap day
      {"2020-02-29T23:59:59Z", 1583020799},
      {"2000-02-29T00:00:00Z", 951782400},  // 2000 is a leap year
      {"2024-02-29T12:00:00Z", 1709208000},
      {"1969-12-31T23:59:59Z", -1},
      {"1900-03-01T00:00:00Z", -2203891200},
      {"1970-01-01T00:00:00+23:59", -86340},
      {"1970-01-01T00:00:00-23:59", 86340},
      {"9999-12-31T23:59:59Z", 253402300799},
      {"0000-01-01T00:00:00Z", -62167219200},
      // A leap second reads as 23:59:59 UTC.
      {"2016-12-31T23:59:60Z", 1483228799},
      {"2017-01-01T05:29:60+05:30", 1483228799},
  };
  for (const auto& c : cases) {
    auto r = ParseRfc3339(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().message();
    EXPECT_EQ(*r, c.unix) << c.text;
  }
}

TEST(Rfc3339Test, Invalid) {
  struct Case {
    std::string_view text;
    std::string_view reason;
  };
  const Case cases[] = {
      {"2019-02-29T00:00:00Z", "day 29 is out of range for 2019-02 (it has 28 days)"},
      {"1900-02-29T00:00:00Z", "day 29 is out of range for 1900-02"},
      {"2018-04-31T00:00:00Z", "day 31 is out of range for 2018-04"},
      {"2018-01-00T00:00:00Z", "day 00 is out of range"},
      {"2018-13-01T00:00:00Z", "month 13 is out of range"},
      {"2018-00-01T00:00:00Z", "month 00 is out of range"},
      {"2018-13-01", "month 13"},
      {"2018-06-01", "a date without a time of day"},
      {"2018-06-01T24:00:00Z", "hour 24 is out of range"},
      {"2018-06-01T23:60:00Z", "minute 60 is out of range"},
      {"2018-06-01T23:59:61Z", "second 61 is out of range"},
      {"2018-06-01T12:00:60Z", "leap second"},
      {"2018-06-01T00:00:00", "missing the time zone offset"},
      {"2018-06-01T00:00:00+24:00", "out of range (at most 23:59)"},
      {"2018-06-01T00:00:00+05:60", "out of range"},
      {"2018-06-01T00:00:00+0500", "the offset must be"},
      {"2018-06-01T00:00:00+05", "the offset must be"},
      {"2018-06-01t00:00:00Z", "expected 'T'"},  // lowercase: not accepted
      {"2018-06-01T00:00:00z", "missing the time zone offset"},
      {"2018-06-01 00:00:00Z", "expected 'T'"},
      {"2018-06-01T00:00:00.Z", "1 to 9 digits"},
      {"2018-06-01T00:00:00.1234567890Z", "1 to 9 digits"},
      {"2018-06-01T00:00:00ZZ", "unexpected text after the offset"},
      {"2018-06-01T00:00:00Z ", "unexpected text"},
      {"2018-6-01T00:00:00Z", "YYYY-MM-DD"},
      {"18-06-01T00:00:00Z", "YYYY-MM-DD"},
      {"+2018-06-01T00:00:00Z", "YYYY-MM-DD"},
      {"2018-06-01T0:00:00Z", "HH:MM:SS"},
      {"2018-06-01T00:00Z", "HH:MM:SS"},
      {"", "YYYY-MM-DD"},
      {"yesterday", "YYYY-MM-DD"},
  };
  for (const auto& c : cases) {
    auto r = ParseRfc3339(c.text);
    ASSERT_FALSE(r.ok()) << "accepted " << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    const std::string& m = r.status().message();
    EXPECT_NE(m.find("is not an RFC 3339 date-time (expected e.g. 2018-06-01T00:00:00Z)"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find(c.reason), std::string::npos) << m << " / expected: " << c.reason;
  }
}

TEST(Rfc3339Test, FormatIsTheInverse) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1480377600), "2016-11-29T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1490857200), "2017-03-30T07:00:00Z");
  EXPECT_EQ(FormatRfc3339(1583020799), "2020-02-29T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(-62167219200), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatDate(1583020799), "2020-02-29");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  // Every day of 1899-2101 (leap years and century rules) round trips.
  int64_t first = ParseDate("1899-01-01").value();
  int64_t last = ParseDate("2101-12-31").value();
  for (int64_t t = first; t <= last; t += 86400) {
    std::string s = FormatRfc3339(t + 45296);  // 12:34:56
    ASSERT_EQ(ParseRfc3339(s).value(), t + 45296) << s;
    ASSERT_EQ(ParseDate(FormatDate(t)).value(), t) << FormatDate(t);
  }
  EXPECT_EQ((last - first) / 86400 + 1,
            203 * 365 + 49);  // leap years 1904..2096 (1900, 2100 are not)
  // Values far outside the years 0000-9999 do not crash.
  EXPECT_FALSE(FormatRfc3339(INT64_MAX).empty());
  EXPECT_FALSE(FormatRfc3339(INT64_MIN).empty());
  EXPECT_FALSE(FormatDate(INT64_MIN).empty());
}

TEST(DateTest, ParseDate) {
  EXPECT_EQ(ParseDate("1970-01-01").value(), 0);
  EXPECT_EQ(ParseDate("2016-11-29").value(), 1480377600);
  EXPECT_EQ(ParseDate("2020-02-29").value(), 1582934400);
  EXPECT_EQ(ParseDate("2000-02-29").value(), 951782400);
  for (std::string_view bad : {"2019-02-29", "1900-02-29", "2018-13-01", "2018-06-31", "2018-6-1",
                               "2018-06-01T00:00:00Z", "2018-06-01 ", "20180601", ""}) {
    auto r = ParseDate(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("is not a date (expected YYYY-MM-DD"), std::string::npos)
        << r.status().message();
  }
}

// ---------------------------------------------------------------------------
// Events

TEST(ParseEventTest, AcceptsTheExample) {
  auto e = ParseEvent(ExampleEvent());
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->version, 1);
  EXPECT_EQ(e->type, "contract.signed");
  EXPECT_EQ(e->time, "2018-06-01T00:00:00Z");
  EXPECT_EQ(e->time_unix, 1527811200);
  EXPECT_EQ(e->party, "UZ");
  EXPECT_EQ(e->actor, "uz-mod/officer-17");
  EXPECT_EQ(e->subject, "contract/RU-UZ-2018-001");
  EXPECT_EQ(e->subject_kind(), "contract");
  EXPECT_EQ(e->subject_id(), "RU-UZ-2018-001");
  EXPECT_EQ(e->body()["lines"][0]["qty"], 12);
  EXPECT_EQ(e->json, ExampleEvent());
  EXPECT_EQ(CanonicalJson(e->json).value(), kEventCanonical);
}

TEST(ParseEventTest, AcceptsVariants) {
  json j = ExampleEvent();
  j["subject"] = "item/Mi-35M/SN-001";  // the id may contain '/'
  j["type"] = "inspection_report.completed_late";
  j["time"] = "2018-06-01T09:30:00.25+04:00";
  j["actor"] = "Ахмедов/инспектор 3";  // non-ASCII, spaces
  j["body"] = json::object();
  auto e = ParseEvent(j);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->subject_kind(), "item");
  EXPECT_EQ(e->subject_id(), "Mi-35M/SN-001");
  EXPECT_EQ(e->time_unix, 1527811200 + 5 * 3600 + 30 * 60);
  j["party"] = std::string(200, 'p');  // exactly at the limit
  EXPECT_TRUE(ParseEvent(j).ok());
}

TEST(ParseEventTest, Rejects) {
  struct Case {
    std::string_view field;
    json value;  // discarded: remove the field
    std::string_view error;
  };
  const json kRemove = json(json::value_t::discarded);
  const std::vector<Case> cases = {
      {"actor", kRemove, "missing field \"actor\""},
      {"body", kRemove, "missing field \"body\""},
      {"v", kRemove, "missing field \"v\""},
      {"foo", 1, "unknown field \"foo\" (allowed: v, type, time, party, actor, subject, body)"},
      {"key", "0a1b2c3d", "unknown field \"key\""},
      {"v", 2, "v: expected the integer 1"},
      {"v", "1", "v: expected the integer 1 (envelope version), got \"1\""},
      {"v", 1.0, "v: expected the integer 1"},
      {"v", true, "v: expected the integer 1"},
      {"type", "Contract.signed", "type: \"Contract.signed\" is not an event type"},
      {"type", "contract", "type: "},
      {"type", "contract.", "type: "},
      {"type", ".signed", "type: "},
      {"type", "contract.signed.again", "type: "},
      {"type", "contract._signed", "type: "},
      {"type", "contract.sign3d", "type: "},
      {"type", "contract-x.signed", "type: "},
      {"type", "", "type: "},
      {"type", 5, "type: expected a string, got 5"},
      {"time", "2018-13-01",
       "time: \"2018-13-01\" is not an RFC 3339 date-time (expected e.g. 2018-06-01T00:00:00Z)"},
      {"time", "2018-06-01", "time: \"2018-06-01\" is not an RFC 3339 date-time"},
      {"time", 1527811200, "time: expected a string, got 1527811200"},
      {"party", "", "party: must not be empty"},
      {"party", nullptr, "party: expected a string, got null"},
      {"party", std::string(201, 'p'), "party: is 201 bytes long; at most 200"},
      {"actor", "officer\n17", "actor: \"officer\\n17\" contains a control character"},
      {"actor", "officer\x7F", "actor: "},
      {"actor", "officer\xC2\x85", "actor: "},  // NEL, a C1 control
      {"actor", "\xFF", "actor: invalid UTF-8"},
      {"subject", "contract", "subject: \"contract\" is not <kind>/<id>"},
      {"subject", "contract/", "subject: "},
      {"subject", "/RU-UZ", "subject: "},
      {"subject", "Contract/RU-UZ", "subject: "},
      {"subject", "con tract/RU-UZ", "subject: "},
      {"subject", "contract\t/x", "subject: "},
      {"body", json::array(), "body: expected a JSON object, got an array"},
      {"body", "{}", "body: expected a JSON object, got a string"},
      {"body", json{{"lines", json::array({json{{"price", 1.5}}})}},
       "body.lines[0].price: expected an integer"},
      {"body", json{{"n", kMaxSafeInteger + 1}}, "body.n: integer 9007199254740992"},
  };
  for (const auto& c : cases) {
    json j = ExampleEvent();
    if (c.value.is_discarded()) {
      j.erase(std::string(c.field));
    } else {
      j[std::string(c.field)] = c.value;
    }
    auto e = ParseEvent(j);
    ASSERT_FALSE(e.ok()) << c.field << " = " << c.value.dump();
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(e.status().message().find(c.error), 0u)
        << e.status().message() << "\nexpected: " << c.error;
  }
  EXPECT_FALSE(ParseEvent(json::array()).ok());
  EXPECT_FALSE(ParseEvent(json(nullptr)).ok());
}

// ---------------------------------------------------------------------------
// Signatures, presigned events and leaves

constexpr std::string_view kSeed = "0123456789abcdef0123456789abcdef";  // 32 bytes

TEST(SigningTest, MessageAndRoundTrip) {
  json event = ExampleEvent();
  EXPECT_EQ(SigningMessage(event).value(), "accord-event/v1\n" + std::string(kEventCanonical));
  Ed25519Signer signer(kSeed);
  std::string sig = signer.Sign(SigningMessage(event).value());
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_TRUE(Ed25519Verify(signer.public_key(), SigningMessage(event).value(), sig));
  // The signature covers the canonical form, not the text as sent.
  json reordered =
      ParseStrictJson(
          R"({ "body" : {"lines":[{"qty":12,"price_usd_cents":1250000000,"item":"Mi-35M"}]},
        "v":1, "type":"contract.signed", "time":"2018-06-01T00:00:00Z", "party":"UZ",
        "actor":"uz-mod/officer-17", "subject":"contract/RU-UZ-2018-001" })")
          .value();
  EXPECT_TRUE(Ed25519Verify(signer.public_key(), SigningMessage(reordered).value(), sig));
  // ... and every field of it.
  json changed = event;
  changed["body"]["lines"][0]["qty"] = 13;
  EXPECT_FALSE(Ed25519Verify(signer.public_key(), SigningMessage(changed).value(), sig));
  changed = event;
  changed["party"] = "RU";
  EXPECT_FALSE(Ed25519Verify(signer.public_key(), SigningMessage(changed).value(), sig));
  EXPECT_FALSE(SigningMessage(json{{"x", 0.5}}).ok());
}

TEST(PresignedTest, Split) {
  Ed25519Signer signer(kSeed);
  json event = ExampleEvent();
  std::string sig = signer.Sign(SigningMessage(event).value());

  auto none = SplitPresigned(event);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  json submitted = event;
  submitted["key"] = "0A1b2C3d";
  submitted["sig"] = Base64Encode(sig);
  auto split = SplitPresigned(submitted);
  ASSERT_TRUE(split.ok()) << split.status().message();
  ASSERT_TRUE(split->has_value());
  const PresignedEvent& p = **split;
  EXPECT_EQ(p.key_id, 0x0a1b2c3du);
  EXPECT_EQ(p.signature, sig);
  EXPECT_EQ(p.event, event);
  EXPECT_TRUE(Ed25519Verify(signer.public_key(), SigningMessage(p.event).value(), p.signature));

  struct Case {
    json key, sig;  // discarded: absent
    std::string_view error;
  };
  const json kAbsent = json(json::value_t::discarded);
  const std::string good_sig = Base64Encode(sig);
  const Case cases[] = {
      {"0a1b2c3d", kAbsent, "missing field \"sig\""},
      {kAbsent, good_sig, "missing field \"key\""},
      {"0a1b2c3", good_sig, "key: expected the signer's key id as 8 hex digits"},
      {"0a1b2c3d0", good_sig, "key: "},
      {"0a1b2c3g", good_sig, "key: "},
      {" a1b2c3d", good_sig, "key: "},
      {0x0a1b2c3d, good_sig, "key: "},
      {"0a1b2c3d", Base64Encode(std::string(63, 'x')),
       "sig: expected a base64 Ed25519 "
       "signature (64 bytes), got 63 bytes"},
      {"0a1b2c3d", Base64Encode(std::string(65, 'x')), "sig: "},
      {"0a1b2c3d", good_sig.substr(0, 86), "sig: "},  // padding missing
      {"0a1b2c3d", "!" + good_sig.substr(1), "sig: "},
      {"0a1b2c3d", nullptr, "sig: "},
  };
  for (const auto& c : cases) {
    json j = event;
    if (!c.key.is_discarded()) j["key"] = c.key;
    if (!c.sig.is_discarded()) j["sig"] = c.sig;
    auto r = SplitPresigned(j);
    ASSERT_FALSE(r.ok()) << j.dump();
    EXPECT_EQ(r.status().message().find(c.error), 0u) << r.status().message();
  }
  EXPECT_FALSE(SplitPresigned(json::array()).ok());
}

TEST(KeyIdTest, HexRoundTrip) {
  EXPECT_EQ(KeyIdHex(0x0a1b2c3d), "0a1b2c3d");
  EXPECT_EQ(KeyIdHex(0), "00000000");
  EXPECT_EQ(KeyIdHex(0xffffffff), "ffffffff");
  EXPECT_EQ(ParseKeyIdHex("0a1b2c3d").value(), 0x0a1b2c3du);
  EXPECT_EQ(ParseKeyIdHex("FFFFFFFF").value(), 0xffffffffu);
  for (std::string_view bad : {"", "0a1b2c3", "0a1b2c3d0", "0x1b2c3d", "0a1b2c3-", "+a1b2c3d"}) {
    EXPECT_FALSE(ParseKeyIdHex(bad).ok()) << bad;
  }
}

TEST(LeafTest, RoundTrip) {
  Ed25519Signer signer(kSeed);
  json event = ExampleEvent();
  std::string sig = signer.Sign(SigningMessage(event).value());
  auto leaf = MakeLeaf(event, 0x0a1b2c3d, sig, "2018-06-02T10:00:00Z");
  ASSERT_TRUE(leaf.ok()) << leaf.status().message();
  EXPECT_EQ(*leaf, "{\"e\":" + std::string(kEventCanonical) + ",\"k\":\"0a1b2c3d\",\"s\":\"" +
                       Base64Encode(sig) + "\",\"t\":\"2018-06-02T10:00:00Z\"}");
  // The same as the canonical JSON of the leaf object.
  json obj = {
      {"t", "2018-06-02T10:00:00Z"}, {"s", Base64Encode(sig)}, {"k", "0a1b2c3d"}, {"e", event}};
  EXPECT_EQ(*leaf, CanonicalJson(obj).value());

  auto parsed = ParseLeaf(*leaf);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->event, event);
  EXPECT_EQ(parsed->key_id, 0x0a1b2c3du);
  EXPECT_EQ(parsed->signature, sig);
  EXPECT_EQ(parsed->logged_at, "2018-06-02T10:00:00Z");
  EXPECT_TRUE(
      Ed25519Verify(signer.public_key(), SigningMessage(parsed->event).value(), parsed->signature));

  // An event at the depth limit still makes a leaf that parses.
  json deep = json::object();
  for (int i = 0; i < kMaxJsonDepth - 2; ++i) deep = json{{"d", std::move(deep)}};
  json deep_event = event;
  deep_event["body"] = deep;
  ASSERT_TRUE(ParseStrictJson(CanonicalJson(deep_event).value()).ok());
  auto deep_leaf = MakeLeaf(deep_event, 1, sig, "2018-06-02T10:00:00.5Z");
  ASSERT_TRUE(deep_leaf.ok()) << deep_leaf.status().message();
  EXPECT_TRUE(ParseLeaf(*deep_leaf).ok()) << ParseLeaf(*deep_leaf).status().message();
  deep_event["body"] = json{{"d", deep}};
  EXPECT_FALSE(MakeLeaf(deep_event, 1, sig, "2018-06-02T10:00:00Z").ok());
}

TEST(LeafTest, MakeLeafRejects) {
  json event = ExampleEvent();
  std::string sig(64, 's');
  EXPECT_FALSE(MakeLeaf(json::array(), 1, sig, "2018-06-02T10:00:00Z").ok());
  EXPECT_FALSE(MakeLeaf(event, 1, sig.substr(1), "2018-06-02T10:00:00Z").ok());
  EXPECT_FALSE(MakeLeaf(event, 1, sig, "2018-06-02T10:00:00+01:00").ok());  // not UTC
  EXPECT_FALSE(MakeLeaf(event, 1, sig, "2018-06-02").ok());
  json bad = event;
  bad["body"]["x"] = 0.5;
  auto r = MakeLeaf(bad, 1, sig, "2018-06-02T10:00:00Z");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("body.x: expected an integer"), std::string::npos)
      << r.status().message();
}

TEST(LeafTest, ParseLeafRejects) {
  json event = ExampleEvent();
  std::string sig(64, 's');
  std::string leaf = MakeLeaf(event, 0x0a1b2c3d, sig, "2018-06-02T10:00:00Z").value();
  std::string ev(kEventCanonical);
  std::string s = Base64Encode(sig);
  struct Case {
    std::string text;
    std::string_view error;
  };
  const std::vector<Case> cases = {
      {" " + leaf, "leaf is not canonical"},
      {leaf + "\n", "leaf is not canonical"},
      {"{\"e\": " + ev + ",\"k\":\"0a1b2c3d\",\"s\":\"" + s + "\",\"t\":\"2018-06-02T10:00:00Z\"}",
       "leaf is not canonical"},
      {"{\"k\":\"0a1b2c3d\",\"e\":" + ev + ",\"s\":\"" + s + "\",\"t\":\"2018-06-02T10:00:00Z\"}",
       "leaf is not canonical"},
      {"{\"e\":" + std::string(kEventText) + ",\"k\":\"0a1b2c3d\",\"s\":\"" + s +
           "\",\"t\":\"2018-06-02T10:00:00Z\"}",
       "leaf is not canonical"},
      {"{\"e\":" + ev + ",\"k\":\"0a1b2c3d\",\"s\":\"" + s +
           "\",\"t\":\"2018\\u002d06-02T10:00:00Z\"}",
       "leaf is not canonical"},
      {"{\"e\":" + ev + ",\"k\":\"0A1B2C3D\",\"s\":\"" + s + "\",\"t\":\"2018-06-02T10:00:00Z\"}",
       "leaf: k: expected 8 lowercase hex digits"},
      {"{\"e\":" + ev + ",\"k\":\"0a1b2c3d\",\"s\":\"" + s.substr(4) +
           "\",\"t\":\"2018-06-02T10:00:00Z\"}",
       "leaf: s: "},
      {"{\"e\":" + ev + ",\"k\":\"0a1b2c3d\",\"s\":\"" + s +
           "\",\"t\":\"2018-06-02T10:00:00+00:00\"}",
       "leaf: t: "},
      {"{\"e\":" + ev + ",\"k\":\"0a1b2c3d\",\"s\":\"" + s + "\"}", "leaf: missing field \"t\""},
      {"{\"e\":" + ev + ",\"k\":\"0a1b2c3d\",\"s\":\"" + s +
           "\",\"t\":\"2018-06-02T10:00:00Z\",\"x\":1}",
       "leaf: unknown field \"x\""},
      {"{\"e\":[],\"k\":\"0a1b2c3d\",\"s\":\"" + s + "\",\"t\":\"2018-06-02T10:00:00Z\"}",
       "leaf: e: "},
      {"{\"e\":" + ev + ",\"e\":{},\"k\":\"0a1b2c3d\",\"s\":\"" + s +
           "\",\"t\":\"2018-06-02T10:00:00Z\"}",
       "leaf: (top level): duplicate key \"e\""},
      {"[]", "leaf: expected a JSON object"},
      {"", "leaf: invalid JSON"},
  };
  for (const auto& c : cases) {
    auto r = ParseLeaf(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().message().find(c.error), 0u)
        << r.status().message() << "\nexpected: " << c.error;
  }
}

}  // namespace
}  // namespace accord::domain
