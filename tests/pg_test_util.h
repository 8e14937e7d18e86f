// Scratch databases on the throwaway PostgreSQL server the tests run against.
// scripts/test starts one (scripts/pg-cluster) and exports its URI as
// ACCORD_TEST_PG, e.g. postgresql://accord@127.0.0.1:24817/postgres; without
// it the PostgreSQL cases of a test report themselves as skipped ("not run"),
// never as passed.
#pragma once

#include <string>

namespace accord::testing {

// ACCORD_TEST_PG, or "" when unset.
std::string PgServerUri();
// The message a test skipped for want of a server gives.
inline constexpr const char* kNoPgServer =
    "PostgreSQL case NOT RUN: ACCORD_TEST_PG is not set (scripts/test starts a throwaway "
    "server and sets it; see scripts/pg-cluster)";
// Creates a new, empty database with a unique name on the server (so tests
// may run in parallel) and returns its URI; "" with a test failure if the
// server refuses.
std::string FreshPgDatabase(const std::string& stem);
// Puts a table of no concern to Accord into the database at `uri`.
void MakePgForeign(const std::string& uri);

}  // namespace accord::testing
