#include "note/signer_file.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace accord::note {
namespace {

TEST(SignerFile, LoadsTheKeyIgnoringSurroundingWhitespace) {
  testing::TempDir dir;
  Signer key = Signer::Generate("test.example/key");
  testing::WriteFile(dir / "k.skey", "\n" + key.Encode() + "\n");
  auto loaded = LoadSignerFile(dir / "k.skey");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->Encode(), key.Encode());
}

TEST(SignerFile, ErrorsNameTheFile) {
  testing::TempDir dir;
  auto missing = LoadSignerFile(dir / "none.skey");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message().rfind("signing key: cannot read " + (dir / "none.skey"), 0),
            0u)
      << missing.status().message();

  testing::WriteFile(dir / "bad.skey", "not a key\n");
  auto bad = LoadSignerFile(dir / "bad.skey");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind(
                "signing key " + (dir / "bad.skey") + " is not a signed-note private key (", 0),
            0u)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("expected PRIVATE+KEY+<name>+<id>+<base64>"),
            std::string::npos);

  // A verifier key given where a signing key belongs.
  Signer key = Signer::Generate("test.example/key");
  testing::WriteFile(dir / "k.vkey", key.Verifier().Encode() + "\n");
  EXPECT_EQ(LoadSignerFile(dir / "k.vkey").status().code(), StatusCode::kInvalidArgument);

  testing::WriteFile(dir / "big.skey", std::string(kMaxSignerFileSize + 1, 'x'));
  auto big = LoadSignerFile(dir / "big.skey");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("larger than the limit of 4096 bytes"), std::string::npos)
      << big.status().message();
}

}  // namespace
}  // namespace accord::note
