#include "util/file_io.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace accord {
namespace {

TEST(ReadFileLimited, ReadsWholeFilesAndRefusesMissingOrLargeOnes) {
  testing::TempDir dir;
  std::string big(200000, 'x');  // several reads
  testing::WriteFile(dir / "big", big);
  EXPECT_EQ(ReadFileLimited(dir / "big", big.size()).value(), big);
  testing::WriteFile(dir / "empty", "");
  EXPECT_EQ(ReadFileLimited(dir / "empty", 0).value(), "");
  auto over = ReadFileLimited(dir / "big", big.size() - 1);
  EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(over.status().message(), dir / "big" + " is larger than the limit of " +
                                         std::to_string(big.size() - 1) + " bytes");
  auto missing = ReadFileLimited(dir / "nope", 10);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("cannot read " + dir / "nope"), std::string::npos);
  EXPECT_EQ(ReadFileLimited(dir.path(), 10).status().code(), StatusCode::kIoError);  // a directory
}

}  // namespace
}  // namespace accord
