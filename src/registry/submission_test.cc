#include "registry/submission.h"

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "util/encoding.h"

namespace accord::registry {
namespace {

using nlohmann::json;

json Event(const std::string& id) {
  return {{"v", 1},
          {"type", "body.registered"},
          {"time", "2017-06-01T00:00:00Z"},
          {"party", "RU"},
          {"actor", "ru-mod/registrar"},
          {"subject", "body/" + id},
          {"body", {{"party", "RU"}, {"kind", "enterprise"}, {"name", id}, {"city", "X"}}}};
}

std::string Message(const Result<std::vector<Submission>>& r) {
  return r.ok() ? std::string("(accepted)") : r.status().message();
}

TEST(SplitLines, EveryNewlineEndsALineAndTheLastNeedsNone) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(SplitLines(""), V{});
  EXPECT_EQ(SplitLines("a"), V{"a"});
  EXPECT_EQ(SplitLines("a\n"), V{"a"});
  EXPECT_EQ(SplitLines("a\n\nb\r\n"), (V{"a", "", "b\r"}));
  EXPECT_EQ(SplitLines("\n"), V{""});
}

TEST(ParseSubmissions, NdjsonOneEventPerLineNumberedOverAllLines) {
  std::string text =
      Event("a").dump() + "\n\n  \r\n" + Event("b").dump() + "\r\n" + Event("c").dump();
  auto subs = ParseSubmissions(text, kNoEventLimit);
  ASSERT_TRUE(subs.ok()) << subs.status().ToString();
  ASSERT_EQ(subs->size(), 3u);
  EXPECT_EQ((*subs)[0].line, 1u);
  EXPECT_EQ((*subs)[1].line, 4u);
  EXPECT_EQ((*subs)[2].line, 5u);
  EXPECT_EQ((*subs)[2].parsed->subject, "body/c");
  EXPECT_FALSE((*subs)[0].is_signed());
}

TEST(ParseSubmissions, OneObjectOnOneLineOrPrettyPrinted) {
  for (const std::string& text :
       {Event("a").dump(), Event("a").dump(2), "\n" + Event("a").dump()}) {
    auto subs = ParseSubmissions(text, kNoEventLimit);
    ASSERT_TRUE(subs.ok()) << subs.status().ToString();
    ASSERT_EQ(subs->size(), 1u);
    EXPECT_EQ((*subs)[0].line, 0u);
    EXPECT_EQ((*subs)[0].parsed->subject, "body/a");
  }
  EXPECT_TRUE(ParseSubmissions("", kNoEventLimit)->empty());
  EXPECT_TRUE(ParseSubmissions(" \n\t\n", kNoEventLimit)->empty());
}

TEST(ParseSubmissions, RefusalsNameTheLine) {
  json no_actor = Event("b");
  no_actor.erase("actor");
  std::string stream = Event("a").dump() + "\n" + Event("b").dump() + "\n" + no_actor.dump() + "\n";
  EXPECT_EQ(
      Message(ParseSubmissions(stream, kNoEventLimit)).rfind("line 3: missing field \"actor\"", 0),
      0u);
  // A line cut short is still named, though it does not look like an object.
  EXPECT_EQ(Message(ParseSubmissions(Event("a").dump() + "\n{\"v\":\n", kNoEventLimit))
                .rfind("line 2: ", 0),
            0u);
  // A pretty-printed object is one event: its own error, no line.
  std::string pretty = Event("a").dump(2);
  pretty.replace(pretty.find("\"v\": 1"), 6, "\"v\": 1,\n  \"v\": 1");
  EXPECT_EQ(Message(ParseSubmissions(pretty, kNoEventLimit))
                .rfind("event: (top level): duplicate key \"v\"", 0),
            0u);
  EXPECT_EQ(Message(ParseSubmissions("[" + Event("a").dump() + "]", kNoEventLimit)),
            "event: the input must be one event (a JSON object) or NDJSON, one event per line");
  EXPECT_EQ(Message(ParseSubmissions("{\"v\":1", kNoEventLimit)).rfind("event: ", 0), 0u);
}

TEST(ParseSubmissions, KeepGoingListsTheRefusedAndKeepsTheRest) {
  std::string stream = Event("a").dump() + "\n{\"v\":1,\"v\":1}\n" + Event("c").dump() + "\n";
  std::vector<Refusal> refused;
  auto subs = ParseSubmissions(stream, kNoEventLimit, &refused);
  ASSERT_TRUE(subs.ok());
  ASSERT_EQ(subs->size(), 2u);
  EXPECT_EQ((*subs)[1].line, 3u);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].line, 2u);
  EXPECT_EQ(refused[0].status.message().rfind("line 2: (top level): duplicate key \"v\"", 0), 0u);
}

// Issue #14, Low-medium 10: a bad first line made the whole input "one
// event", refused as "event: ..." with the good lines lost.
TEST(ParseSubmissions, ABadFirstLineIsStillOneLineOfNdjson) {
  for (const std::string bad : {"{bad", "{\"v\":1,", "not json at all"}) {
    SCOPED_TRACE(bad);
    std::string stream = bad + "\n" + Event("b").dump() + "\n" + Event("c").dump() + "\n";
    std::vector<Refusal> refused;
    auto subs = ParseSubmissions(stream, kNoEventLimit, &refused);
    ASSERT_TRUE(subs.ok()) << subs.status().ToString();
    ASSERT_EQ(subs->size(), 2u);
    EXPECT_EQ((*subs)[0].line, 2u);
    EXPECT_EQ((*subs)[1].line, 3u);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0].line, 1u);
    EXPECT_EQ(refused[0].status.message().rfind("line 1: ", 0), 0u) << refused[0].status.message();
    // Without keep-going, the refusal names line 1, not "event".
    EXPECT_EQ(Message(ParseSubmissions(stream, kNoEventLimit)).rfind("line 1: ", 0), 0u);
  }
  // valid, valid, bad, valid: three kept, line 3 refused.
  std::string stream =
      Event("a").dump() + "\n" + Event("b").dump() + "\n{bad\n" + Event("d").dump() + "\n";
  std::vector<Refusal> refused;
  auto subs = ParseSubmissions(stream, kNoEventLimit, &refused);
  ASSERT_TRUE(subs.ok());
  EXPECT_EQ(subs->size(), 3u);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].line, 3u);
}

TEST(ParseSubmissions, MoreEventsThanTheLimitAreRefusedBeforeParsing) {
  std::string stream = Event("a").dump() + "\nnot json\n" + Event("c").dump() + "\n";
  auto subs = ParseSubmissions(stream, 2);
  ASSERT_FALSE(subs.ok());
  EXPECT_EQ(subs.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(subs.status().message(), "at most 2 events per request");
  EXPECT_EQ(ParseSubmissions(Event("a").dump() + "\n" + Event("b").dump(), 2)->size(), 2u);
}

TEST(ParseSubmissions, SignedEventsCarryKeyAndSignature) {
  note::Signer key = note::Signer::Generate("ru.example/mod");
  auto unsigned_sub = ParseSubmission(Event("a").dump(), 7);
  ASSERT_TRUE(unsigned_sub.ok());
  Submission sub = *unsigned_sub;
  SignSubmission(key, sub);
  EXPECT_TRUE(sub.is_signed());
  EXPECT_TRUE(sub.signed_here);
  EXPECT_EQ(sub.key_id, key.key_id());
  EXPECT_TRUE(
      Ed25519Verify(key.Verifier().public_key, domain::SigningMessage(*sub.parsed), sub.signature));

  json presigned = Event("a");
  presigned["key"] = domain::KeyIdHex(sub.key_id);
  presigned["sig"] = Base64Encode(sub.signature);
  auto subs = ParseSubmissions(presigned.dump(), kNoEventLimit);
  ASSERT_TRUE(subs.ok()) << subs.status().ToString();
  EXPECT_EQ((*subs)[0].key_id, key.key_id());
  EXPECT_EQ((*subs)[0].signature, sub.signature);
  EXPECT_FALSE((*subs)[0].signed_here);
  EXPECT_EQ((*subs)[0].parsed->canonical, sub.parsed->canonical);

  json half = Event("a");
  half["key"] = domain::KeyIdHex(sub.key_id);
  EXPECT_FALSE(ParseSubmissions(half.dump(), kNoEventLimit).ok());
}

}  // namespace
}  // namespace accord::registry
