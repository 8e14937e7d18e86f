// The storage backends the conformance suite runs against. The suite states
// the contract of every method of storage/database.h, log_store.h,
// entity_store.h and account_store.h once; each backend passes it unchanged.
//
// A backend case makes a fresh, empty locator per test (a new file for
// SQLite; a new database for a server backend) and may turn a locator into
// something that exists but is not an Accord database, for the refusals.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "test_util.h"

namespace accord::storage::conformance {

struct BackendCase {
  std::string name;  // a GoogleTest parameter name
  // A locator no database is at yet, unique within `dir`.
  std::function<std::string(const testing::TempDir& dir, const std::string& stem)> fresh;
  // Makes `locator` name something that is not an Accord database.
  std::function<void(const std::string& locator)> make_foreign;
};

inline std::vector<BackendCase> Backends() {
  std::vector<BackendCase> out;
  out.push_back(
      {"sqlite",
       [](const testing::TempDir& dir, const std::string& stem) { return dir / (stem + ".db"); },
       [](const std::string& locator) {
         testing::WriteFile(locator, "this is not a database at all, just text\n");
       }});
  return out;
}

inline std::string CaseName(const ::testing::TestParamInfo<BackendCase>& info) {
  return info.param.name;
}

}  // namespace accord::storage::conformance
