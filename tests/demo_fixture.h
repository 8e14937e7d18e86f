// A test suite over one demo registry (`accord demo`), made once per suite
// and driven through the built `accord` binary.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace accord::testing {

class DemoRegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = *dir_ / "demo.db";
    auto r = Accord({"demo", "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  // `accord <args> --db <the demo registry>`.
  static CommandResult Run(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(db_);
    return Accord(args);
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string db_;
};

}  // namespace accord::testing
