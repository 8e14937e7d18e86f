#include "note/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "note/note_test_util.h"
#include "util/encoding.h"

namespace accord::note {
namespace {

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
