#include "domain/strict_json.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace accord::domain {
namespace {

using nlohmann::json;

// The example event of the brief.
constexpr std::string_view kEventText =
    R"({"v":1,"type":"contract.signed","time":"2018-06-01T00:00:00Z","party":"UZ",)"
    R"("actor":"uz-mod/officer-17","subject":"contract/RU-UZ-2018-001",)"
    R"("body":{"lines":[{"item":"Mi-35M","qty":12,"price_usd_cents":1250000000}]}})";

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
    std::string error;
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

}  // namespace
}  // namespace accord::domain
