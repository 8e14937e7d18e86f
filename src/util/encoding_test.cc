#include "util/encoding.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

TEST(Encoding, HexRoundTripAndRejections) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexDecode("0001ABff").value(), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(HexDecode("").value(), "");
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
  EXPECT_NE(HexDecode("0g").status().message().find("offset 1"), std::string::npos);
}

TEST(Encoding, Base64Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded).value(), plain);
  }
}

TEST(Encoding, Base64RejectsNonCanonicalInput) {
  EXPECT_FALSE(Base64Decode("Zg=").ok());       // length
  EXPECT_FALSE(Base64Decode("Zh==").ok());      // non-zero padding bits
  EXPECT_FALSE(Base64Decode("Zm9v!A==").ok());  // alphabet
  EXPECT_FALSE(Base64Decode("Zg==Zg==").ok());  // padding in the middle
  EXPECT_FALSE(Base64Decode("Z===").ok());
  EXPECT_FALSE(Base64Decode("Zm9v\n").ok());
}

}  // namespace
}  // namespace accord
