#include "note/keys.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "note/note_test_util.h"
#include "util/encoding.h"

namespace accord::note {
namespace {

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

}  // namespace
}  // namespace accord::note
