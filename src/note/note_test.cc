#include "note/note.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "util/encoding.h"

namespace accord::note {
namespace {

// The example from the documentation of golang.org/x/mod/sumdb/note, the
// reference implementation: an external known answer for key ids, key
// encodings and signatures.
constexpr std::string_view kGoVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kGoNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

constexpr std::string_view kDash = "\xE2\x80\x94 ";

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::string Bytes(std::string_view hex) {
  return HexDecode(hex).value();
}

Signer MakeSigner(const std::string& name, char seed_byte) {
  std::string skey_data(1, '\x01');
  skey_data += std::string(32, seed_byte);
  Ed25519KeyPair kp = Ed25519FromSeed(std::string(32, seed_byte));
  char id[9];
  std::snprintf(id, sizeof id, "%08x", KeyId(name, kAlgEd25519, kp.public_key));
  auto s = Signer::Parse("PRIVATE+KEY+" + name + "+" + id + "+" + Base64Encode(skey_data));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

// Replaces the first occurrence of `from` in `s` with `to`.
std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Decodes the base64 of a signature line (without its final newline).
std::string LineBytes(std::string_view line) {
  line.remove_suffix(1);
  return Base64Decode(line.substr(line.rfind(' ') + 1)).value();
}

std::string LineFromBytes(std::string_view name, std::string_view raw) {
  return std::string(kDash) + std::string(name) + " " + Base64Encode(raw) + "\n";
}

// ---- Ed25519 and key ids -----------------------------------------------------------------------

TEST(Ed25519Test, Rfc8032Test1) {
  std::string seed = Bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  Ed25519KeyPair kp = Ed25519FromSeed(seed);
  EXPECT_EQ(HexEncode(kp.public_key),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Ed25519Signer signer(seed);
  EXPECT_EQ(signer.public_key(), kp.public_key);
  std::string sig = signer.Sign("");
  EXPECT_EQ(
      HexEncode(sig),
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
      "1cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Ed25519Verify(kp.public_key, "", sig));
  EXPECT_FALSE(Ed25519Verify(kp.public_key, "x", sig));
}

TEST(KeyIdTest, GoReferenceKnownAnswer) {
  std::string data = Base64Decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").value();
  ASSERT_EQ(data.size(), 33u);
  ASSERT_EQ(data[0], '\x01');
  EXPECT_EQ(KeyId("PeterNeumann", kAlgEd25519, data.substr(1)), 0xc74f20a3u);
  // The algorithm byte and the name are part of the hash.
  EXPECT_NE(KeyId("PeterNeumann", kAlgCosignatureV1, data.substr(1)), 0xc74f20a3u);
  EXPECT_NE(KeyId("PeterNeumanm", kAlgEd25519, data.substr(1)), 0xc74f20a3u);
}

TEST(KeyIdTest, MatchesDefinition) {
  std::string pk(32, '\x07');
  Hash h = Sha256(std::string("name\n\x04", 6) + pk);
  uint32_t want = (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | h[3];
  EXPECT_EQ(KeyId("name", kAlgCosignatureV1, pk), want);
}

TEST(KeyNameTest, Validity) {
  EXPECT_TRUE(IsValidKeyName("example.com/log"));
  EXPECT_TRUE(IsValidKeyName("quasimodo.example/salvatore"));
  EXPECT_TRUE(IsValidKeyName("h\xC3\xA9llo"));  // é
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a\tb"));
  EXPECT_FALSE(IsValidKeyName("a\nb"));
  EXPECT_FALSE(IsValidKeyName("a\xC2\xA0z"));      // U+00A0 no-break space
  EXPECT_FALSE(IsValidKeyName("a\xE3\x80\x80z"));  // U+3000 ideographic space
  EXPECT_FALSE(IsValidKeyName("a\xE2\x80\xA8z"));  // U+2028 line separator
  EXPECT_FALSE(IsValidKeyName("a\x01z"));
  EXPECT_FALSE(IsValidKeyName("a\x7fz"));
  EXPECT_FALSE(IsValidKeyName("a\xffz"));      // invalid UTF-8
  EXPECT_FALSE(IsValidKeyName("a\xC0\xAFz"));  // overlong
}

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

// ---- keys ---------------------------------------------------------------------------------------

TEST(KeyTest, GeneratedSignerRoundTrips) {
  Signer s = Signer::Generate("example.com/log");
  EXPECT_EQ(s.name(), "example.com/log");
  auto parsed = Signer::Parse(s.Encode());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->Encode(), s.Encode());
  EXPECT_EQ(parsed->key_id(), s.key_id());
  EXPECT_EQ(parsed->SignatureLine("hello\n"), s.SignatureLine("hello\n"));

  // Surrounding whitespace, e.g. from a file, is ignored.
  EXPECT_TRUE(Signer::Parse("  " + s.Encode() + "\n").ok());

  for (const VerifierKey& vk : {s.Verifier(), s.CosignerVerifier()}) {
    auto back = ParseVerifierKey(vk.Encode() + "\r\n");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->name, vk.name);
    EXPECT_EQ(back->key_id, vk.key_id);
    EXPECT_EQ(back->alg, vk.alg);
    EXPECT_EQ(back->public_key, vk.public_key);
    EXPECT_EQ(back->Encode(), vk.Encode());
  }
  EXPECT_EQ(s.Verifier().alg, kAlgEd25519);
  EXPECT_EQ(s.CosignerVerifier().alg, kAlgCosignatureV1);
  EXPECT_EQ(s.Verifier().key_id, s.key_id());
  EXPECT_NE(s.CosignerVerifier().key_id, s.key_id());
  EXPECT_EQ(s.CosignerVerifier().public_key, s.Verifier().public_key);
}

TEST(KeyTest, AcceptsUppercaseKeyIdHex) {
  std::string upper = Replace(std::string(kGoVkey), "c74f20a3", "C74F20A3");
  auto vk = ParseVerifierKey(upper);
  ASSERT_TRUE(vk.ok()) << vk.status().ToString();
  EXPECT_EQ(vk->key_id, 0xc74f20a3u);
}

std::string VkeyWith(std::string_view name, uint8_t alg, std::string_view key) {
  std::string data(1, static_cast<char>(alg));
  data += key;
  char id[9];
  std::snprintf(id, sizeof id, "%08x", KeyId(name, alg, key));
  return std::string(name) + "+" + id + "+" + Base64Encode(data);
}

TEST(KeyTest, VerifierKeyRejections) {
  std::string pk = Ed25519FromSeed(std::string(32, 'k')).public_key;
  ASSERT_TRUE(ParseVerifierKey(VkeyWith("n", 1, pk)).ok());
  ASSERT_TRUE(ParseVerifierKey(VkeyWith("n", 4, pk)).ok());

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"wrong key id", Replace(std::string(kGoVkey), "c74f20a3", "c74f20a4")},
      {"key id of other alg", "n+" + Hex8(KeyId("n", 1, pk)) + "+" + Base64Encode("\x04" + pk)},
      {"bad base64", Replace(std::string(kGoVkey), "+ARpc", "+A!pc")},
      {"missing padding/short base64", std::string(kGoVkey).substr(0, kGoVkey.size() - 1)},
      {"alg 0x02", VkeyWith("n", 2, pk)},
      {"alg 0x00", VkeyWith("n", 0, pk)},
      {"31-byte key", VkeyWith("n", 1, pk.substr(0, 31))},
      {"33-byte key", VkeyWith("n", 1, pk + "x")},
      {"no key", "n+12345678+"},
      {"plus in name", "Peter+Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"},
      {"space in name", VkeyWith("a b", 1, pk)},
      {"empty name", VkeyWith("", 1, pk)},
      {"7 hex digits", "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"},
      {"9 hex digits", "PeterNeumann+0c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"},
      {"non-hex key id", "PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"},
      {"no plus", "PeterNeumann"},
      {"one part", "PeterNeumann+c74f20a3"},
      {"empty", ""},
      {"skey given", std::string(kGoSkey)},
  };
  for (const auto& [what, text] : bad) {
    auto r = ParseVerifierKey(text);
    EXPECT_FALSE(r.ok()) << what << ": " << text;
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty()) << what;
    }
  }
  auto r = ParseVerifierKey(Replace(std::string(kGoVkey), "c74f20a3", "c74f20a4"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("c74f20a3"), std::string::npos) << r.status().message();
}

std::string SkeyWith(std::string_view name, uint8_t alg, std::string_view seed, uint32_t id) {
  std::string data(1, static_cast<char>(alg));
  data += seed;
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", id);
  return "PRIVATE+KEY+" + std::string(name) + "+" + hex + "+" + Base64Encode(data);
}

TEST(KeyTest, SignerKeyRejections) {
  std::string seed(32, 's');
  std::string pk = Ed25519FromSeed(seed).public_key;
  uint32_t id = KeyId("n", 1, pk);
  ASSERT_TRUE(Signer::Parse(SkeyWith("n", 1, seed, id)).ok());

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"wrong key id", SkeyWith("n", 1, seed, id ^ 1)},
      {"alg 0x04", SkeyWith("n", 4, seed, KeyId("n", 4, pk))},
      {"alg 0x02", SkeyWith("n", 2, seed, id)},
      {"31-byte seed", SkeyWith("n", 1, seed.substr(0, 31), id)},
      {"33-byte seed", SkeyWith("n", 1, seed + "s", id)},
      {"bad base64", Replace(std::string(kGoSkey), "+AYEK", "+AYE*")},
      {"plus in name",
       "PRIVATE+KEY+Peter+Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"},
      {"empty name", SkeyWith("", 1, seed, KeyId("", 1, pk))},
      {"no prefix", std::string(kGoSkey).substr(12)},
      {"lowercase prefix", "private+key+" + std::string(kGoSkey).substr(12)},
      {"vkey given", std::string(kGoVkey)},
      {"short key id",
       "PRIVATE+KEY+PeterNeumann+c74f20a+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"},
      {"empty", ""},
  };
  for (const auto& [what, text] : bad) {
    EXPECT_FALSE(Signer::Parse(text).ok()) << what << ": " << text;
  }
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

// ---- cosignatures
// --------------------------------------------------------------------------------

constexpr std::string_view kCheckpointText =
    "example.com/log\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

TEST(CosignatureTest, SignAndVerify) {
  Signer log = MakeSigner("example.com/log", 'l');
  Signer witness = MakeSigner("witness.example/w1", 'w');
  std::string note = Sign(kCheckpointText, {&log}).value();
  std::string cosig = witness.CosignatureLine(kCheckpointText, 1679315147);
  auto cosigned = AddSignatureLines(note, cosig);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().ToString();
  EXPECT_EQ(*cosigned, note + cosig);

  auto v = Verify(*cosigned, {log.Verifier(), witness.CosignerVerifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->verified.size(), 2u);
  EXPECT_FALSE(v->verified[0].timestamp.has_value());
  ASSERT_TRUE(v->verified[1].timestamp.has_value());
  EXPECT_EQ(*v->verified[1].timestamp, 1679315147u);
  EXPECT_EQ(v->verified[1].key.alg, kAlgCosignatureV1);

  // The cosignature alone verifies too.
  v = Verify(*cosigned, {witness.CosignerVerifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v->verified[0].timestamp, 1679315147u);
}

TEST(CosignatureTest, SignedMessageFormat) {
  Signer w = MakeSigner("w", 'w');
  std::string raw = LineBytes(w.CosignatureLine(kCheckpointText, 1679315147));
  ASSERT_EQ(raw.size(), 4u + 8u + 64u);
  uint32_t id = w.CosignerVerifier().key_id;
  EXPECT_EQ(HexEncode(raw.substr(0, 4)),
            HexEncode(std::string{static_cast<char>(id >> 24), static_cast<char>(id >> 16),
                                  static_cast<char>(id >> 8), static_cast<char>(id)}));
  EXPECT_EQ(HexEncode(raw.substr(4, 8)), "00000000641850cb");  // 1679315147
  std::string msg = "cosignature/v1\ntime 1679315147\n" + std::string(kCheckpointText);
  EXPECT_TRUE(Ed25519Verify(w.Verifier().public_key, msg, raw.substr(12)));

  raw = LineBytes(w.CosignatureLine(kCheckpointText, 0));
  EXPECT_TRUE(Ed25519Verify(w.Verifier().public_key,
                            "cosignature/v1\ntime 0\n" + std::string(kCheckpointText),
                            raw.substr(12)));
}

TEST(CosignatureTest, RejectsTamperedTimestamp) {
  Signer log = MakeSigner("log", 'l');
  Signer w = MakeSigner("w", 'w');
  std::string note = Sign(kCheckpointText, {&log}).value();
  std::string raw = LineBytes(w.CosignatureLine(kCheckpointText, 1000));
  raw[11] ^= 1;  // timestamp 1001
  auto v = Verify(note + LineFromBytes("w", raw), {log.Verifier(), w.CosignerVerifier()});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kVerificationFailed);
}

TEST(CosignatureTest, RejectsTimestampAboveInt63) {
  Signer log = MakeSigner("log", 'l');
  std::string seed(32, 'w');
  Ed25519Signer ed(seed);
  VerifierKey wk{"w", KeyId("w", kAlgCosignatureV1, ed.public_key()), kAlgCosignatureV1,
                 ed.public_key()};
  std::string note = Sign(kCheckpointText, {&log}).value();
  for (uint64_t ts : {uint64_t{1} << 63, ~uint64_t{0}}) {
    std::string raw;
    for (int i = 3; i >= 0; --i) raw += static_cast<char>(wk.key_id >> (8 * i));
    for (int i = 7; i >= 0; --i) raw += static_cast<char>(ts >> (8 * i));
    raw +=
        ed.Sign("cosignature/v1\ntime " + std::to_string(ts) + "\n" + std::string(kCheckpointText));
    auto v = Verify(note + LineFromBytes("w", raw), {wk});
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.status().message().find("2^63"), std::string::npos) << v.status().message();
  }
  // 2^63-1 itself is allowed.
  uint64_t max = (uint64_t{1} << 63) - 1;
  Signer w = MakeSigner("w", 'w');
  auto v = Verify(note + w.CosignatureLine(kCheckpointText, max), {w.CosignerVerifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v->verified[0].timestamp, max);
}

TEST(CosignatureTest, AlgorithmsDoNotCrossVerify) {
  Signer w = MakeSigner("w", 'w');
  std::string plain = Sign(kCheckpointText, {&w}).value();
  std::string cosig_only =
      std::string(kCheckpointText) + "\n" + w.CosignatureLine(kCheckpointText, 5);
  // A 0x01 key does not verify a 0x04 line...
  EXPECT_FALSE(Verify(cosig_only, {w.Verifier()}).ok());
  // ...nor a 0x04 key a 0x01 line.
  EXPECT_FALSE(Verify(plain, {w.CosignerVerifier()}).ok());
  EXPECT_TRUE(Verify(cosig_only, {w.CosignerVerifier()}).ok());
  EXPECT_TRUE(Verify(plain, {w.Verifier()}).ok());

  // A 0x04 line forged under the 0x01 key id (a plain signature of the
  // cosigned message) is rejected by the 0x01 key.
  std::string raw = LineBytes(w.CosignatureLine(kCheckpointText, 5));
  std::string id01;
  for (int i = 3; i >= 0; --i) id01 += static_cast<char>(w.key_id() >> (8 * i));
  std::string forged =
      std::string(kCheckpointText) + "\n" + LineFromBytes("w", id01 + raw.substr(4));
  EXPECT_FALSE(Verify(forged, {w.Verifier()}).ok());
}

TEST(CosignatureTest, AddSignatureLinesRejections) {
  Signer log = MakeSigner("log", 'l');
  Signer w = MakeSigner("w", 'w');
  std::string note = Sign(kCheckpointText, {&log}).value();
  std::string cosig = w.CosignatureLine(kCheckpointText, 7);
  EXPECT_FALSE(AddSignatureLines(note, "garbage\n").ok());
  EXPECT_FALSE(AddSignatureLines(note, cosig.substr(0, cosig.size() - 1)).ok());  // no newline
  EXPECT_FALSE(AddSignatureLines(note, "\n" + cosig).ok());
  EXPECT_FALSE(AddSignatureLines("not a note\n", cosig).ok());
  auto dup = AddSignatureLines(note, log.SignatureLine(kCheckpointText));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  auto twice = AddSignatureLines(AddSignatureLines(note, cosig).value(), cosig);
  EXPECT_FALSE(twice.ok());

  // Two lines at once.
  Signer w2 = MakeSigner("w2", 'x');
  auto both = AddSignatureLines(note, cosig + w2.CosignatureLine(kCheckpointText, 8));
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  auto v = Verify(*both, {w.CosignerVerifier(), w2.CosignerVerifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verified.size(), 2u);
}

// ---- checkpoints
// ---------------------------------------------------------------------------------

TEST(CheckpointTest, RoundTrip) {
  Checkpoint cp;
  cp.origin = "example.com/log";
  cp.size = 123456789;
  for (size_t i = 0; i < cp.root.size(); ++i) cp.root[i] = static_cast<uint8_t>(i * 7);
  EXPECT_EQ(cp.Text(), "example.com/log\n123456789\n" + Base64Encode(AsBytes(cp.root)) + "\n");
  cp.extensions = {"ext one", "ext-two"};
  std::string text = cp.Text();
  auto back = ParseCheckpoint(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->origin, cp.origin);
  EXPECT_EQ(back->size, cp.size);
  EXPECT_EQ(back->root, cp.root);
  EXPECT_EQ(back->extensions, cp.extensions);
  EXPECT_EQ(back->Text(), text);

  for (uint64_t size : {uint64_t{0}, ~uint64_t{0}}) {
    Checkpoint c2 = cp;
    c2.size = size;
    auto b2 = ParseCheckpoint(c2.Text());
    ASSERT_TRUE(b2.ok()) << b2.status().ToString();
    EXPECT_EQ(b2->size, size);
  }

  // Signed, verified and parsed.
  Signer log = MakeSigner("example.com/log", 'l');
  auto v = Verify(Sign(text, {&log}).value(), {log.Verifier()});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(ParseCheckpoint(v->note.text)->size, 123456789u);
}

TEST(CheckpointTest, Rejections) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  ASSERT_TRUE(ParseCheckpoint("o\n1\n" + root + "\n").ok());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"leading zero", "o\n01\n" + root + "\n"},
      {"zero padded zero", "o\n00\n" + root + "\n"},
      {"negative", "o\n-1\n" + root + "\n"},
      {"plus sign", "o\n+1\n" + root + "\n"},
      {"non-numeric", "o\nabc\n" + root + "\n"},
      {"hex size", "o\n0x10\n" + root + "\n"},
      {"empty size", "o\n\n" + root + "\n"},
      {"space in size", "o\n 1\n" + root + "\n"},
      {"overflow", "o\n18446744073709551616\n" + root + "\n"},
      {"root 31 bytes", "o\n1\n" + Base64Encode(std::string(31, 'r')) + "\n"},
      {"root 33 bytes", "o\n1\n" + Base64Encode(std::string(33, 'r')) + "\n"},
      {"root bad base64", "o\n1\n" + root.substr(1) + "\n"},
      {"root missing", "o\n1\n"},
      {"empty root line", "o\n1\n\n"},
      {"empty origin", "\n1\n" + root + "\n"},
      {"missing final newline", "o\n1\n" + root},
      {"extension missing final newline", "o\n1\n" + root + "\next"},
      {"empty extension line", "o\n1\n" + root + "\n\n"},
      {"empty extension in the middle", "o\n1\n" + root + "\na\n\nb\n"},
      {"control character", "o\r\n1\n" + root + "\n"},
      {"empty", ""},
  };
  for (const auto& [what, text] : bad) {
    auto r = ParseCheckpoint(text);
    EXPECT_FALSE(r.ok()) << what;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << what;
    }
  }
  EXPECT_EQ(ParseCheckpoint("o\n18446744073709551615\n" + root + "\n")->size, ~uint64_t{0});
  auto r = ParseCheckpoint("o\n01\n" + root + "\n");
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace accord::note
