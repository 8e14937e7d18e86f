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

// Issue #14, Low-medium 7: confusable ids were accepted beside real ones.
TEST(SafeIdTest, TheAlphabetAndWhatItKeepsOut) {
  for (const char* id : {"RU-UZ-2018-001", "btr-80/BTR80-UZ-0001", "uz-mod/trainee-0042",
                         "flat:12345:2019", "a.b_c", "RU", "registry", "x"}) {
    EXPECT_TRUE(IsSafeId(id)) << id;
  }
  for (const char* id : {"", "RU-UZ\xe2\x80\x8b-2018",  // zero-width space
                         "RU-\xd0\xa3Z-2018",           // Cyrillic U
                         "RU-\xe2\x80\xaeUZ",           // right-to-left override
                         "a/../b", "../a", ".hidden", "a/.b", "a//b", "/a", "a/", "a?b", "a#b",
                         "a%2e", "<script>", "a b", "a\\b", "a\"b", "a'b"}) {
    EXPECT_FALSE(IsSafeId(id)) << id;
  }
  EXPECT_FALSE(IsSafeId(std::string(201, 'a')));
  EXPECT_TRUE(IsSafeId(std::string(200, 'a')));
}

TEST(SafeIdTest, CheckIdsNamesTheField) {
  auto e = ParseEvent(ExampleEvent());
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(CheckIds(*e).ok());
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"subject", "contract/RU-\xd0\xa3Z-2018-001"},
           {"actor", "uz-mod/<script>"},
           {"party", "U\xe2\x80\x8bZ"}}) {
    json j = ExampleEvent();
    j[field] = value;
    auto bad = ParseEvent(j);
    ASSERT_TRUE(bad.ok()) << field;  // the envelope's shape is fine
    Status s = CheckIds(*bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(s.message().rfind(field + ": ", 0), 0u) << s.message();
    EXPECT_NE(s.message().find("not a safe id"), std::string::npos) << s.message();
  }
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

// A leaf must fit a C2SP tlog-tiles entry bundle: at most 65,535 bytes.
TEST(LeafTest, MakeLeafRefusesLeavesTooLargeForABundle) {
  json event = ExampleEvent();
  std::string sig(64, 's');
  std::string base = MakeLeaf(event, 1, sig, "2018-06-02T10:00:00Z").value();
  json sized = event;
  // A body field that brings the leaf to exactly the limit, then one more.
  size_t pad = kMaxLeafEntryBytes - base.size() - std::string(",\"pad\":\"\"").size();
  sized["body"]["pad"] = std::string(pad, 'x');
  auto at_limit = MakeLeaf(sized, 1, sig, "2018-06-02T10:00:00Z");
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().message();
  EXPECT_EQ(at_limit->size(), kMaxLeafEntryBytes);
  EXPECT_TRUE(ParseLeaf(*at_limit).ok());
  sized["body"]["pad"] = std::string(pad + 1, 'x');
  auto over = MakeLeaf(sized, 1, sig, "2018-06-02T10:00:00Z");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(over.status().message().find("65,535"), std::string::npos) << over.status().message();
  EXPECT_NE(over.status().message().find("split it into several events"), std::string::npos);
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
