// The registry on PostgreSQL through the real `accord` binary: --db takes a
// postgresql:// URI everywhere a file path goes, --key-dir holds the keys,
// and `accord migrate` moves a registry between the backends with the same
// log root and digest. Needs ACCORD_TEST_PG (scripts/test sets it).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "pg_test_util.h"
#include "test_util.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

class PgRegistryCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgServerUri().empty()) GTEST_SKIP() << kNoPgServer;
  }
  static std::string Ok(const std::vector<std::string>& args) {
    CommandResult r = Accord(args);
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return r.out;
  }
  TempDir dir_;
};

TEST_F(PgRegistryCli, TheDemoOnPostgresVerifiesAndMigratesToSqliteWithTheSameDigest) {
  std::string uri = FreshPgDatabase("demo");
  ASSERT_FALSE(uri.empty());
  Ok({"demo", "--db", uri, "--key-dir", dir_.path()});
  // The keys an SQLite registry keeps beside its file are in --key-dir.
  std::string name = uri.substr(uri.rfind('/') + 1);
  EXPECT_TRUE(fs::exists(dir_ / (name + ".node.skey")));
  EXPECT_TRUE(fs::exists(dir_ / (name + ".keys/ru.skey")));
  EXPECT_TRUE(Contains(Ok({"verify", "--db", uri}), "projections match the log"));
  std::string digest = Ok({"digest", "--db", uri});
  ASSERT_EQ(digest.size(), 65u);
  EXPECT_TRUE(Contains(Ok({"rebuild", "--db", uri}), "(unchanged)"));

  // A signed event recorded through the CLI, with the demo's party key.
  CommandResult rec =
      Accord({"record", "--db", uri, "--key", dir_ / (name + ".keys/ru.skey")},
             R"({"v":1,"type":"body.registered","time":"2023-01-01T00:00:00Z","party":"RU",)"
             R"("actor":"test/officer","subject":"body/pg-cli","body":{"party":"RU",)"
             R"("kind":"enterprise","name":"Plant P","city":"X"}})");
  EXPECT_EQ(rec.exit_code, 0) << Describe(rec);
  EXPECT_TRUE(Contains(rec.out, "body.registered body/pg-cli")) << rec.out;
  digest = Ok({"digest", "--db", uri});
  EXPECT_TRUE(Contains(Ok({"verify", "--db", uri}), "projections match the log"));

  // The same log on SQLite: the same root, the same projections.
  std::string file = dir_ / "copy.db";
  std::string migrated = Ok({"migrate", "--from", uri, "--to", file});
  EXPECT_TRUE(Contains(migrated, "equal on both sides")) << migrated;
  EXPECT_EQ(Ok({"digest", "--db", file}), digest);
  EXPECT_TRUE(Contains(Ok({"verify", "--db", file}), "projections match the log"));
  for (const char* what : {"agreements", "contracts"}) {
    EXPECT_EQ(Ok({"show", what, "--db", uri}), Ok({"show", what, "--db", file})) << what;
  }
  EXPECT_EQ(Ok({"show", "contract", "RU-UZ-2018-001", "--db", uri}),
            Ok({"show", "contract", "RU-UZ-2018-001", "--db", file}));
  EXPECT_EQ(Ok({"log", "checkpoint", "--db", uri}), Ok({"log", "checkpoint", "--db", file}));
  EXPECT_EQ(Ok({"report", "eum", "--db", uri, "--as-of", "2024-01-01"}),
            Ok({"report", "eum", "--db", file, "--as-of", "2024-01-01"}));
  std::string tiv = Ok({"report", "tiv", "--db", uri, "--dataset", "accord", "--by", "year"});
  EXPECT_GT(std::count(tiv.begin(), tiv.end(), '\n'), 2) << tiv;
  EXPECT_EQ(tiv, Ok({"report", "tiv", "--db", file, "--dataset", "accord", "--by", "year"}));

  // A second demo into the same database is refused, and nothing is taken over.
  CommandResult again = Accord({"demo", "--db", uri, "--key-dir", dir_.path(), "--force"});
  EXPECT_NE(again.exit_code, 0) << Describe(again);
  EXPECT_TRUE(Contains(again.err, "already holds")) << again.err;
  EXPECT_EQ(Ok({"digest", "--db", uri}), digest);
}

TEST_F(PgRegistryCli, AnSqliteRegistryMigratesToPostgresWithItsUsers) {
  std::string file = dir_ / "demo.db";
  Ok({"demo", "--db", file});
  std::string token =
      Ok({"user", "add", "alice", "--party", "RU", "--role", "auditor", "--db", file});
  Ok({"user", "assign", "alice", "--agreement", "RU-UZ-2016-MTC", "--db", file});
  std::string uri = FreshPgDatabase("migrated");
  ASSERT_FALSE(uri.empty());
  EXPECT_TRUE(Contains(Ok({"migrate", "--from", file, "--to", uri}), "1 API users"));
  EXPECT_EQ(Ok({"digest", "--db", uri}), Ok({"digest", "--db", file}));
  EXPECT_TRUE(Contains(Ok({"verify", "--db", uri}), "projections match the log"));
  EXPECT_EQ(Ok({"user", "list", "--db", uri}), Ok({"user", "list", "--db", file}));
  // The destination must be empty: a second run changes nothing.
  CommandResult r = Accord({"migrate", "--from", file, "--to", uri});
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "empty destination")) << r.err;
}

TEST_F(PgRegistryCli, InitNamesTheDatabaseAndRefusesOneThatIsNotEmpty) {
  std::string uri = FreshPgDatabase("init");
  ASSERT_FALSE(uri.empty());
  std::string out = Ok({"init", "--db", uri, "--key-dir", dir_.path()});
  std::string name = uri.substr(uri.rfind('/') + 1);
  EXPECT_TRUE(Contains(out, "origin accord.local/" + name)) << out;
  EXPECT_TRUE(fs::exists(dir_ / (name + ".node.vkey")));
  TempDir other;
  CommandResult r = Accord({"init", "--db", uri, "--key-dir", other.path()});
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "already holds a log")) << r.err;
  EXPECT_TRUE(fs::is_empty(other.path()));
  // A database that does not exist is named, with what to do.
  std::string missing = uri + "_nonexistent";
  r = Accord({"digest", "--db", missing});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.err, "does not exist")) << r.err;
}

// Issue #14, Medium 6, on PostgreSQL: verify runs in a read-only session
// and checks every stored checkpoint, as on SQLite. The damaged checkpoint
// histories are made on an SQLite copy and migrated.
TEST_F(PgRegistryCli, VerifyChecksTheStoredCheckpointsReadOnly) {
  std::string file = dir_ / "r.db";
  Ok({"demo", "--db", file, "--key-dir", dir_.path()});
  std::string edited = dir_ / "edited.db";
  fs::copy_file(file, edited);
  std::string error;
  ASSERT_EQ(ExecSql(edited,
                    "UPDATE log_checkpoints SET note = 'X' || substr(note, 2) "
                    "WHERE size = (SELECT max(size) FROM log_checkpoints)",
                    &error),
            1)
      << error;
  std::string uri = FreshPgDatabase("verifyro");
  ASSERT_FALSE(uri.empty());
  CommandResult m = Accord({"migrate", "--from", edited, "--to", uri});
  ASSERT_EQ(m.exit_code, 0) << Describe(m);
  std::string digest = Ok({"digest", "--db", uri});
  CommandResult v = Accord({"verify", "--db", uri});
  EXPECT_NE(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.err, "stored checkpoint of size")) << v.err;
  EXPECT_EQ(Ok({"digest", "--db", uri}), digest);
  // The untouched demo migrated verifies, history counted.
  std::string good = FreshPgDatabase("verifyok");
  ASSERT_FALSE(good.empty());
  Ok({"migrate", "--from", file, "--to", good});
  EXPECT_TRUE(Contains(Ok({"verify", "--db", good}), "stored checkpoints checked"));
}

}  // namespace
}  // namespace accord::testing
