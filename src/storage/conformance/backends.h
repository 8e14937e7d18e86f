// The storage backends the conformance suite runs against. The suite states
// the contract of every method of storage/database.h, log_store.h,
// entity_store.h and account_store.h once; each backend passes it unchanged.
//
// A backend case makes a fresh, empty locator per test (a new file for
// SQLite; a new, empty database for PostgreSQL, on the throwaway server named
// by ACCORD_TEST_PG) and may turn a locator into something that exists but
// is not an Accord database, for the refusals. A case whose server is not
// configured is reported as skipped (not run) by every test, never passed.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "pg_test_util.h"
#include "test_util.h"

namespace accord::storage::conformance {

struct BackendCase {
  std::string name;  // a GoogleTest parameter name
  // A locator no database is at yet, unique within `dir`.
  std::function<std::string(const testing::TempDir& dir, const std::string& stem)> fresh;
  // Makes `locator` name something that is not an Accord database.
  std::function<void(const std::string& locator)> make_foreign;
  // Why the case cannot run here, or "" when it can.
  std::string unavailable;
};

// Each suite's SetUp starts with this.
#define ACCORD_SKIP_UNAVAILABLE_BACKEND()                                        \
  do {                                                                           \
    if (!GetParam().unavailable.empty()) GTEST_SKIP() << GetParam().unavailable; \
  } while (0)

inline std::vector<BackendCase> Backends() {
  std::vector<BackendCase> out;
  out.push_back(
      {"sqlite",
       [](const testing::TempDir& dir, const std::string& stem) { return dir / (stem + ".db"); },
       [](const std::string& locator) {
         testing::WriteFile(locator, "this is not a database at all, just text\n");
       },
       ""});
  out.push_back({"postgres",
                 [](const testing::TempDir&, const std::string& stem) {
                   return testing::FreshPgDatabase(stem);
                 },
                 [](const std::string& locator) { testing::MakePgForeign(locator); },
                 testing::PgServerUri().empty() ? testing::kNoPgServer : ""});
  return out;
}

// Names the case in test output (instead of its bytes).
inline void PrintTo(const BackendCase& c, std::ostream* os) {
  *os << c.name;
}

inline std::string CaseName(const ::testing::TestParamInfo<BackendCase>& info) {
  return info.param.name;
}

}  // namespace accord::storage::conformance
