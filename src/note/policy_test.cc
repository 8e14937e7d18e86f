#include "note/policy.h"

#include <gtest/gtest.h>

#include "note/note.h"

namespace accord::note {
namespace {

constexpr std::string_view kText =
    "example.test/log\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

struct Keys {
  Signer log = Signer::Generate("example.test/log");
  Signer x1 = Signer::Generate("wx1.test"), x2 = Signer::Generate("wx2.test"),
         x3 = Signer::Generate("wx3.test"), y1 = Signer::Generate("wy1.test"),
         y2 = Signer::Generate("wy2.test");
  // The spec's example: two of X, any of Y, both groups.
  std::string Policy() const {
    return "# the spec's example\n"
           "log " +
           log.Verifier().Encode() +
           " https://log.test/\n"
           "\n"
           "witness X1 " +
           x1.CosignerVerifier().Encode() +
           "\n"
           "witness X2 " +
           x2.CosignerVerifier().Encode() +
           " https://x2.test/\n"
           "\twitness  X3\t" +
           x3.CosignerVerifier().Encode() +
           "   \n"
           "group X-witnesses 2 X1 X2 X3\n"
           "witness Y1 " +
           y1.CosignerVerifier().Encode() +
           "\n"
           "witness Y2 " +
           y2.CosignerVerifier().Encode() +
           "\n"
           "group Y-witnesses any Y1 Y2\n"
           "  # a comment\n"
           "group X-and-Y all X-witnesses Y-witnesses\n"
           "quorum X-and-Y\n";
  }
  std::string Note(const std::vector<const Signer*>& cosigners) const {
    std::string n = Sign(kText, {&log}).value();
    uint64_t t = 1700000000;
    for (const Signer* s : cosigners) n += s->CosignatureLine(kText, t++);
    return n;
  }
};

TEST(PolicyTest, ParsesTheSpecExample) {
  Keys k;
  auto p = ParsePolicy(k.Policy());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->logs.size(), 1u);
  EXPECT_EQ(p->logs[0].key.name, "example.test/log");
  EXPECT_EQ(p->logs[0].url, "https://log.test/");
  ASSERT_EQ(p->witnesses.size(), 5u);
  EXPECT_EQ(p->witnesses[2].name, "X3");
  EXPECT_EQ(p->witnesses[1].url, "https://x2.test/");
  ASSERT_EQ(p->groups.size(), 3u);
  EXPECT_EQ(p->groups[0].threshold, 2u);
  EXPECT_EQ(p->groups[1].threshold, 1u);
  EXPECT_EQ(p->groups[2].threshold, 2u);
  EXPECT_EQ(p->quorum, "X-and-Y");
  // No final newline is fine.
  EXPECT_TRUE(ParsePolicy("quorum none").ok());
}

TEST(PolicyTest, QuorumDecides) {
  Keys k;
  Policy p = ParsePolicy(k.Policy()).value();
  struct Case {
    std::vector<const Signer*> cosigners;
    bool ok;
  };
  std::vector<Case> cases = {
      {{}, false},
      {{&k.x1, &k.x2}, false},        // no Y
      {{&k.x1, &k.y1}, false},        // one X
      {{&k.x1, &k.x3, &k.y2}, true},  // two X, one Y
      {{&k.x1, &k.x2, &k.x3, &k.y1, &k.y2}, true},
  };
  for (const Case& c : cases) {
    auto v = VerifyWithPolicy(k.Note(c.cosigners), p);
    EXPECT_EQ(v.ok(), c.ok) << c.cosigners.size() << " " << v.status().ToString();
    if (v.ok()) {
      EXPECT_TRUE(v->quorum_met);
      EXPECT_EQ(v->log, "example.test/log");
      EXPECT_EQ(v->size, 42u);
      EXPECT_EQ(v->cosigners.size(), c.cosigners.size());
    } else {
      EXPECT_EQ(v.status().code(), StatusCode::kVerificationFailed);
    }
  }
  // Unknown cosigners are ignored; they do not count.
  Signer stranger = Signer::Generate("stranger.test");
  EXPECT_FALSE(VerifyWithPolicy(k.Note({&k.x1, &stranger, &k.y1}), p).ok());
  EXPECT_TRUE(VerifyWithPolicy(k.Note({&k.x1, &stranger, &k.x2, &k.y1}), p).ok());
  // A tampered cosignature by a known witness rejects the note.
  std::string n = k.Note({&k.x1, &k.x2, &k.y1});
  std::string bad = n;
  bad[bad.size() - 6] = bad[bad.size() - 6] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyWithPolicy(bad, p).ok());
  // Not signed by the policy's log.
  Signer other = Signer::Generate("example.test/log");
  std::string forged = Sign(kText, {&other}).value() + k.x1.CosignatureLine(kText, 1) +
                       k.x2.CosignatureLine(kText, 1) + k.y1.CosignatureLine(kText, 1);
  auto f = VerifyWithPolicy(forged, p);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("log"), std::string::npos);
  // quorum none: the log's signature alone.
  Policy none = ParsePolicy("log " + k.log.Verifier().Encode() + "\nquorum none\n").value();
  EXPECT_TRUE(VerifyWithPolicy(k.Note({}), none).ok());
  // A policy without logs takes the log keys from the caller.
  Policy nologs =
      ParsePolicy("witness W " + k.x1.CosignerVerifier().Encode() + "\nquorum W\n").value();
  EXPECT_FALSE(VerifyWithPolicy(k.Note({&k.x1}), nologs).ok());
  EXPECT_TRUE(VerifyWithPolicy(k.Note({&k.x1}), nologs, {k.log.Verifier()}).ok());
  // A log key whose name is not the origin does not count.
  Signer misnamed = Signer::Generate("example.test/elsewhere");
  Policy wrong = ParsePolicy("log " + misnamed.Verifier().Encode() + "\nquorum none\n").value();
  EXPECT_FALSE(VerifyWithPolicy(Sign(kText, {&misnamed}).value(), wrong).ok());
}

TEST(PolicyTest, RefusesMalformedPolicies) {
  Keys k;
  std::string lv = k.log.Verifier().Encode(), wv = k.x1.CosignerVerifier().Encode(),
              wv2 = k.x2.CosignerVerifier().Encode();
  struct Case {
    std::string text, message;
  };
  std::vector<Case> cases = {
      {"", "no quorum"},
      {"log " + lv + "\n", "no quorum"},
      {"quorum none\nquorum none\n", "second quorum"},
      {"quorum W\n", "earlier line"},
      {"quorum W\nwitness W " + wv + "\n", "earlier line"},
      {"witness W " + wv + "\nwitness W " + wv2 + "\nquorum W\n", "already defined"},
      {"witness W " + wv + "\nwitness V " + k.x1.CosignerVerifier().Encode() + "\nquorum W\n",
       "duplicate witness"},
      {"log " + lv + "\nlog " + lv + "\nquorum none\n", "duplicate log"},
      {"witness none " + wv + "\nquorum none\n", "reserved"},
      {"witness W " + lv + "\nquorum W\n", "0x04"},  // a note key as a witness
      {"log " + k.log.CosignerVerifier().Encode() + "\nquorum none\n", "0x01"},
      {"witness W " + wv + "\ngroup G 2 W\nquorum G\n", "threshold"},
      {"witness W " + wv + "\ngroup G 0 W\nquorum G\n", "threshold"},
      {"witness W " + wv + "\ngroup G 01 W\nquorum G\n", "threshold"},
      {"witness W " + wv + "\ngroup G any W W\nquorum G\n", "twice"},
      {"witness W " + wv + "\ngroup G any none\nquorum G\n", "none"},
      {"witness W " + wv + "\ngroup G any\nquorum G\n", "expected"},
      {"witness W " + wv + "\ngroup G any V\nquorum G\n", "earlier line"},
      {"witness W " + wv + "\ngroup W any W\nquorum W\n", "already defined"},
      {"witness W notakey\nquorum W\n", "witness key"},
      {"log " + lv + " url extra\nquorum none\n", "expected"},
      {"quorum none extra\n", "expected"},
      {"logs " + lv + "\nquorum none\n", "unknown keyword"},
      {"quorum none\r\n", "control character"},
      {"# fine\nquorum\x01none\n", "control character"},
  };
  for (const Case& c : cases) {
    auto p = ParsePolicy(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_NE(p.status().message().find(c.message), std::string::npos) << c.text << "\n"
                                                                       << p.status().message();
  }
  auto p = ParsePolicy("quorum none\nbogus\n");
  EXPECT_NE(p.status().message().find("policy line 2"), std::string::npos);
  // High-bit bytes are opaque name characters.
  EXPECT_TRUE(ParsePolicy("witness \xE2\x84\xAA " + wv + "\nquorum \xE2\x84\xAA\n").ok());
}

}  // namespace
}  // namespace accord::note
