#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "note/note.h"
#include "note/note_test_util.h"
#include "util/encoding.h"

namespace accord::note {
namespace {

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

}  // namespace
}  // namespace accord::note
