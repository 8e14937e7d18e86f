// Scratch databases on the throwaway PostgreSQL server the tests run against.
// scripts/test starts one (scripts/pg-cluster) and exports its URI as
// ACCORD_TEST_PG, e.g. postgresql://accord@127.0.0.1:24817/postgres; without
// it the PostgreSQL cases of a test report themselves as skipped ("not run"),
// never as passed.
#pragma once

#include <string>
#include <vector>

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
// `uri` with its database name replaced by `name`.
std::string WithDatabase(const std::string& uri, const std::string& name);

// A PostgreSQL cluster of the test's own (scripts/pg-cluster), for tests that
// stop, crash or promote a server and so cannot share ACCORD_TEST_PG's. The
// cluster is removed on destruction. Each call fails the test (and returns
// "" or false) if the script does.
class PgCluster {
 public:
  PgCluster();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A new cluster; its URI (database "postgres").
  std::string Start();
  // A synchronous streaming standby of `primary`; its URI.
  std::string StartStandbyOf(const PgCluster& primary);
  bool Promote();  // a standby becomes a primary
  bool Halt();     // immediate shutdown, as a crash leaves it
  bool Resume();   // starts again on the same port
  const std::string& uri() const { return uri_; }

 private:
  bool Script(const std::vector<std::string>& args, std::string* out = nullptr);
  std::string dir_;
  std::string uri_;
};

}  // namespace accord::testing
