#include "note/note.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "note/note_test_util.h"
#include "util/encoding.h"

namespace accord::note {
namespace {

// ---- the Go reference example
// --------------------------------------------------------------------

TEST(GoReferenceTest, VerifierKeyParsesAndVerifiesTheExampleNote) {
  auto vk = ParseVerifierKey(kGoVkey);
  ASSERT_TRUE(vk.ok()) << vk.status().ToString();
  EXPECT_EQ(vk->name, "PeterNeumann");
  EXPECT_EQ(vk->key_id, 0xc74f20a3u);
  EXPECT_EQ(vk->alg, kAlgEd25519);
  EXPECT_EQ(vk->Encode(), kGoVkey);

  auto v = Verify(kGoNote, {*vk});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->note.text, kGoText);
  ASSERT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(v->verified[0].key.name, "PeterNeumann");
  EXPECT_FALSE(v->verified[0].timestamp.has_value());
}

TEST(GoReferenceTest, SignerReproducesTheExampleNote) {
  auto signer = Signer::Parse(kGoSkey);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->name(), "PeterNeumann");
  EXPECT_EQ(signer->key_id(), 0xc74f20a3u);
  EXPECT_EQ(signer->Encode(), kGoSkey);
  EXPECT_EQ(signer->Verifier().Encode(), kGoVkey);
  auto note = Sign(kGoText, {&*signer});
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(*note, kGoNote);  // Ed25519 is deterministic
}

// ---- C2SP examples (syntax only: their keys are not published) ---------------------------------

TEST(C2spExampleTest, SignedNoteTextMayContainBlankLines) {
  std::string msg =
      "Ognuno sta solo sul cuor della terra\n"
      "trafitto da un raggio di sole:\n"
      "\n"
      "ed \xC3\xA8 subito sera.\n"
      "\n"
      "\xE2\x80\x94 quasimodo.example/salvatore "
      "NnugSzTjtVAewIS+Z/iJhUPeFDkO/"
      "5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
  auto n = ParseNote(msg);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->text,
            "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \xC3\xA8 "
            "subito sera.\n");
  ASSERT_EQ(n->signatures.size(), 1u);
  EXPECT_EQ(n->signatures[0].name, "quasimodo.example/salvatore");
  EXPECT_EQ(n->signatures[0].key_id, 0x367ba04bu);
  EXPECT_EQ(n->signatures[0].signature.size(), 64u);
}

TEST(C2spExampleTest, CosignedCheckpoint) {
  std::string msg =
      "example.com/behind-the-sofa\n"
      "20852163\n"
      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
      "\n"
      "\xE2\x80\x94 example.com/behind-the-sofa "
      "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
      "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
      "\xE2\x80\x94 witness.example.com/w1 "
      "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+"
      "mbIUBkBIfZ+qnA==\n";
  auto n = ParseNote(msg);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_EQ(n->signatures.size(), 2u);
  EXPECT_EQ(n->signatures[1].signature.size(), 72u);
  // The spec's example timestamp, 1679315147, is in the cosignature.
  uint64_t ts = 0;
  for (int i = 0; i < 8; ++i) ts = (ts << 8) | static_cast<uint8_t>(n->signatures[1].signature[i]);
  EXPECT_EQ(ts, 1679315147u);

  auto cp = ParseCheckpoint(n->text);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(Base64Encode(AsBytes(cp->root)), "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(cp->extensions.empty());
  EXPECT_EQ(cp->Text(), n->text);

  // No known key: rejected.
  EXPECT_FALSE(Verify(msg, {}).ok());
}

// ---- signing and verifying ----------------------------------------------------------------------

TEST(NoteTest, SignAndVerifyOneKey) {
  Signer s = MakeSigner("example.com/a", 'a');
  auto note = Sign("hello\nworld\n", {&s});
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(*note, "hello\nworld\n\n" + s.SignatureLine("hello\nworld\n"));
  auto v = Verify(*note, {s.Verifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->note.text, "hello\nworld\n");
  ASSERT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(v->verified[0].key.Encode(), s.Verifier().Encode());
}

TEST(NoteTest, SignAndVerifySeveralKeys) {
  Signer a = MakeSigner("a.example", 'a');
  Signer b = MakeSigner("b.example", 'b');
  Signer c = MakeSigner("c.example", 'c');
  auto note = Sign("text\n", {&a, &b, &c});
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  auto n = ParseNote(*note);
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(n->signatures.size(), 3u);
  EXPECT_EQ(n->signatures[1].name, "b.example");
  EXPECT_EQ(n->signatures[1].key_id, b.key_id());

  // All known: all verified, in line order (not in the order of `known`).
  auto v = Verify(*note, {c.Verifier(), a.Verifier(), b.Verifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->verified.size(), 3u);
  EXPECT_EQ(v->verified[0].key.name, "a.example");
  EXPECT_EQ(v->verified[1].key.name, "b.example");
  EXPECT_EQ(v->verified[2].key.name, "c.example");

  // Some known: the others are ignored.
  v = Verify(*note, {b.Verifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(v->verified[0].key.name, "b.example");
}

TEST(NoteTest, TextWithBlankLinesRoundTrips) {
  Signer s = MakeSigner("k", 'k');
  for (std::string text : {"a\n\nb\n", "a\n\n", "\n", "x\n\n\n", "\n\xE2\x80\x94 k AAAA\n"}) {
    auto note = Sign(text, {&s});
    ASSERT_TRUE(note.ok()) << note.status().ToString();
    auto v = Verify(*note, {s.Verifier()});
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->note.text, text);
  }
}

TEST(NoteTest, RejectsAlteredText) {
  Signer s = MakeSigner("k", 'k');
  std::string note = Sign("amount 100\n", {&s}).value();
  auto v = Verify(Replace(note, "100", "900"), {s.Verifier()});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kVerificationFailed);
  EXPECT_NE(v.status().message().find("does not verify"), std::string::npos);
}

TEST(NoteTest, RejectsWrongKey) {
  Signer s = MakeSigner("k", 'k');
  Signer other = MakeSigner("k", 'o');  // same name, different key
  std::string note = Sign("t\n", {&s}).value();
  auto v = Verify(note, {other.Verifier()});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kVerificationFailed);
  EXPECT_NE(v.status().message().find("no signature from a known key"), std::string::npos)
      << v.status().message();
}

TEST(NoteTest, RejectsOnlyUnknownKeys) {
  Signer a = MakeSigner("a", 'a');
  Signer b = MakeSigner("b", 'b');
  Signer c = MakeSigner("c", 'c');
  std::string note = Sign("t\n", {&a, &b}).value();
  EXPECT_FALSE(Verify(note, {c.Verifier()}).ok());
  EXPECT_FALSE(Verify(note, {}).ok());
}

TEST(NoteTest, IgnoresUnknownLinesSharingNameOrId) {
  Signer s = MakeSigner("k", 'k');
  std::string text = "t\n";
  std::string good = s.SignatureLine(text);
  std::string raw = LineBytes(good);
  std::string bogus_sig = raw.substr(0, 4) + std::string(64, 'z');
  // Same key id under another name, and the same name under another key id: both
  // are unknown keys and must be ignored even though their signatures are bogus.
  std::string other_name = LineFromBytes("q", bogus_sig);
  std::string other_id = LineFromBytes("k", std::string("\x00\x00\x00\x01", 4) + raw.substr(4));
  std::string msg = text + "\n" + other_name + other_id + good;
  auto v = Verify(msg, {s.Verifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(v->note.signatures.size(), 3u);
}

TEST(NoteTest, RejectsKnownKeyWithFailingSignature) {
  Signer a = MakeSigner("a", 'a');
  Signer b = MakeSigner("b", 'b');
  std::string text = "t\n";
  std::string raw = LineBytes(b.SignatureLine(text));
  raw[10] ^= 1;
  std::string msg = text + "\n" + a.SignatureLine(text) + LineFromBytes("b", raw);
  // b's line matches a known key and fails: the whole note is rejected even
  // though a's signature verifies.
  auto v = Verify(msg, {a.Verifier(), b.Verifier()});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kVerificationFailed);
  EXPECT_NE(v.status().message().find("line 4"), std::string::npos) << v.status().message();
  // Without b known, the note verifies.
  EXPECT_TRUE(Verify(msg, {a.Verifier()}).ok());

  // A known key's signature of the wrong length also fails.
  std::string short_sig = LineFromBytes("b", raw.substr(0, 40));
  EXPECT_FALSE(
      Verify(text + "\n" + a.SignatureLine(text) + short_sig, {a.Verifier(), b.Verifier()}).ok());
}

TEST(NoteTest, RejectsRepeatedKnownSignature) {
  Signer s = MakeSigner("k", 'k');
  std::string line = s.SignatureLine("t\n");
  EXPECT_FALSE(Verify("t\n\n" + line + line, {s.Verifier()}).ok());
}

TEST(NoteTest, RejectsMalformedSignatureLines) {
  Signer s = MakeSigner("k", 'k');
  std::string text = "t\n";
  std::string good = s.SignatureLine(text);
  std::string b64 = good.substr(good.rfind(' ') + 1);
  b64.pop_back();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"missing em dash", "k " + b64 + "\n"},
      {"hyphen instead of em dash", "- k " + b64 + "\n"},
      {"em dash without space", "\xE2\x80\x94k " + b64 + "\n"},
      {"missing space", std::string(kDash) + "k" + b64 + "\n"},
      {"empty signature", std::string(kDash) + "k \n"},
      {"empty name", std::string(kDash) + " " + b64 + "\n"},
      {"two spaces", std::string(kDash) + "k  " + b64 + "\n"},
      {"trailing space", std::string(kDash) + "k " + b64 + " \n"},
      {"bad base64", std::string(kDash) + "k " + b64.substr(1) + "\n"},
      {"bad base64 char", std::string(kDash) + "k " + Replace(b64, b64.substr(0, 1), "*") + "\n"},
      {"short signature", std::string(kDash) + "k " + Base64Encode("abcd") + "\n"},
      {"empty line", "\n"},
      {"plus in name", std::string(kDash) + "k+x " + b64 + "\n"},
  };
  for (const auto& [what, line] : bad) {
    std::string msg = text + "\n" + good + line;
    auto n = ParseNote(msg);
    EXPECT_FALSE(n.ok()) << what;
    auto v = Verify(msg, {s.Verifier()});
    EXPECT_FALSE(v.ok()) << what;
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << what;
    }
  }
  auto n = ParseNote(text + "\n" + good + "k " + b64 + "\n");
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("signature line 4"), std::string::npos)
      << n.status().message();
  EXPECT_NE(n.status().message().find("em dash"), std::string::npos) << n.status().message();
}

TEST(NoteTest, RejectsTrailingGarbage) {
  Signer s = MakeSigner("k", 'k');
  std::string note = Sign("t\n", {&s}).value();
  EXPECT_TRUE(ParseNote(note).ok());
  EXPECT_FALSE(ParseNote(note + "garbage").ok());
  EXPECT_FALSE(ParseNote(note + "garbage\n").ok());
  EXPECT_FALSE(ParseNote(note + "\n").ok());
  note.pop_back();
  EXPECT_FALSE(ParseNote(note).ok());  // last line without newline
}

TEST(NoteTest, TooManySignatures) {
  Signer s = MakeSigner("k", 'k');
  std::string text = "t\n";
  std::string good = s.SignatureLine(text);
  std::string unknown = LineFromBytes("unknown", std::string(68, 'u'));
  std::string msg = text + "\n" + good;
  for (size_t i = 1; i < kMaxSignatures; ++i) msg += unknown;
  auto ok = Verify(msg, {s.Verifier()});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->note.signatures.size(), kMaxSignatures);
  msg += unknown;
  auto v = Verify(msg, {s.Verifier()});
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("too many signatures"), std::string::npos)
      << v.status().message();
  EXPECT_FALSE(ParseNote(msg).ok());

  // The spec requires accepting at least 16.
  static_assert(kMaxSignatures >= 16);
}

TEST(NoteTest, RejectsStructuralProblems) {
  Signer s = MakeSigner("k", 'k');
  std::string line = s.SignatureLine("t\n");
  EXPECT_FALSE(ParseNote("").ok());
  EXPECT_FALSE(ParseNote("t\n" + line).ok());         // missing blank line
  EXPECT_FALSE(ParseNote(line).ok());                 // no text, no blank line
  EXPECT_FALSE(ParseNote("t\n\n").ok());              // no signature lines
  EXPECT_FALSE(ParseNote("t\n\n\n").ok());            // empty signature block
  EXPECT_FALSE(ParseNote("t\n" + line + "\n").ok());  // blank line after signatures
  EXPECT_TRUE(ParseNote("\n\n" + line).ok());         // text "\n" is non-empty
  auto missing = ParseNote("t\n" + line);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("blank line"), std::string::npos);
}

TEST(NoteTest, SignRejectsBadText) {
  Signer s = MakeSigner("k", 'k');
  EXPECT_FALSE(Sign("", {&s}).ok());
  EXPECT_FALSE(Sign("no newline", {&s}).ok());
  EXPECT_FALSE(Sign("tab\there\n", {&s}).ok());
  EXPECT_FALSE(Sign("cr\r\n", {&s}).ok());
  EXPECT_FALSE(Sign("bad \xff utf8\n", {&s}).ok());
  EXPECT_FALSE(Sign("t\n", {}).ok());
  EXPECT_FALSE(Sign("t\n", {nullptr}).ok());
  EXPECT_FALSE(Sign(std::string(kMaxNoteSize + 1, 'a') + "\n", {&s}).ok());
  EXPECT_TRUE(Sign("DEL \x7f is not an ASCII control below U+0020\n", {&s}).ok());
}

TEST(NoteTest, RejectsControlCharactersAndInvalidUtf8) {
  Signer s = MakeSigner("k", 'k');
  const std::vector<std::string> bad_texts = {
      "a\tb\n",
      "a\rb\n",
      "nul\0x\n",
      "esc\x1b\n",
      "bad\xff\n",
      "cont\x80\n",
      "trunc\xC3\n",
      "overlong\xC0\xAF\n",
      "overlong\xE0\x80\xAF\n",
      "surrogate\xED\xA0\x80\n",
      "too big\xF4\x90\x80\x80\n",
  };
  for (std::string text : bad_texts) {
    if (text.find("nul") == 0) text = std::string("nul\0x\n", 6);
    // Sign the raw bytes bypassing Sign's checks, so that only the parser can object.
    std::string msg = text + "\n" + s.SignatureLine(text);
    auto v = Verify(msg, {s.Verifier()});
    EXPECT_FALSE(v.ok()) << HexEncode(text);
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
    }
  }
  auto n = ParseNote("ok\nsecond \x01 line\n\n" + s.SignatureLine("x\n"));
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("line 2"), std::string::npos) << n.status().message();
  EXPECT_NE(n.status().message().find("0x01"), std::string::npos) << n.status().message();
  // Non-ASCII UTF-8 is fine.
  std::string text = "na\xC3\xAFve \xF0\x9F\x98\x80 \xE2\x82\xAC\n";
  EXPECT_TRUE(Verify(Sign(text, {&s}).value(), {s.Verifier()}).ok());
}

TEST(NoteTest, RejectsOversizedNote) {
  Signer s = MakeSigner("k", 'k');
  std::string text(kMaxNoteSize, 'a');
  text.back() = '\n';
  std::string msg = text + "\n" + s.SignatureLine(text);
  auto n = ParseNote(msg);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("limit"), std::string::npos) << n.status().message();
}

TEST(NoteTest, VerifyRejectsInconsistentKnownKeys) {
  Signer s = MakeSigner("k", 'k');
  std::string note = Sign("t\n", {&s}).value();
  VerifierKey bad = s.Verifier();
  bad.key_id ^= 1;
  EXPECT_FALSE(Verify(note, {s.Verifier(), bad}).ok());
  VerifierKey short_key = s.Verifier();
  short_key.public_key.pop_back();
  EXPECT_FALSE(Verify(note, {short_key}).ok());
  // The same key twice is harmless.
  EXPECT_TRUE(Verify(note, {s.Verifier(), s.Verifier()}).ok());
}

}  // namespace
}  // namespace accord::note
