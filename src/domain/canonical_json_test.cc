#include "domain/canonical_json.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

std::string Canon(std::string_view text) {
  auto j = ParseStrictJson(text);
  if (!j.ok()) return "PARSE ERROR: " + j.status().message();
  auto c = CanonicalJson(*j);
  if (!c.ok()) return "CANONICAL ERROR: " + c.status().message();
  return *c;
}

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

}  // namespace
}  // namespace accord::domain
