// A registry on a PostgreSQL primary with a synchronous streaming standby
// (scripts/pg-cluster standby): `accord serve --read-db` answers GETs from
// the standby, an acknowledged event is readable there at once, and after
// the standby is promoted the log holds every acknowledged event and
// verifies. Needs ACCORD_TEST_PG (a sign the PostgreSQL programs are here);
// the clusters are the test's own, since it stops and promotes them.
#include "api_test_util.h"
#include "pg_test_util.h"

namespace accord::testing {
namespace {

TEST(PgStandbyTest, ServesReadsFromTheStandbyAndKeepsEveryEventAfterPromotion) {
  if (PgServerUri().empty()) GTEST_SKIP() << kNoPgServer;
  PgCluster primary;
  PgCluster standby;
  const std::string p = primary.Start();
  ASSERT_FALSE(p.empty());
  const std::string s = standby.StartStandbyOf(primary);
  ASSERT_FALSE(s.empty());

  uint64_t acknowledged = 0;
  std::string primary_root;
  {
    ApiServer server([&](api::ServerOptions& o) { o.read_db = s; }, p);
    ASSERT_GT(LogSize(s), 300u) << "the demo reached the standby";
    for (int i = 0; i < 5; ++i) {
      std::string id = "standby-" + std::to_string(i);
      auto r = server.Post("ru-officer", BodyEvent("RU", id));
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 201) << r->body;
      acknowledged = json::parse(r->body)["recorded"][0]["index"].get<uint64_t>() + 1;
      // Readable on the standby as soon as it is acknowledged.
      auto got = server.Get("ru-officer", "/v1/bodies/" + id);
      ASSERT_TRUE(got);
      EXPECT_EQ(got->status, 200) << got->body;
    }
    EXPECT_EQ(LogSize(s), acknowledged);
    CommandResult root = Accord({"log", "root", "--db", p});
    ASSERT_EQ(root.exit_code, 0) << Describe(root);
    primary_root = root.out;

    // The reads really come from the standby: with the primary down, GETs
    // are still answered, with everything acknowledged.
    ASSERT_TRUE(primary.Halt());
    auto got = server.Get("ru-officer", "/v1/bodies/standby-4");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, 200) << got->body;
    auto cp = server.Get("", "/v1/log/checkpoint");
    ASSERT_TRUE(cp);
    ASSERT_EQ(cp->status, 200) << cp->body;
    // A C2SP checkpoint: origin, size, root hash, each on a line.
    std::string size_line = cp->body.substr(cp->body.find('\n') + 1);
    size_line = size_line.substr(0, size_line.find('\n'));
    EXPECT_EQ(size_line, std::to_string(acknowledged)) << cp->body;
  }

  // Failover: the promoted standby has the whole log and it verifies.
  ASSERT_TRUE(standby.Promote());
  EXPECT_EQ(LogSize(s), acknowledged);
  CommandResult v = Accord({"verify", "--db", s});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  // The same log as the primary's when it was lost.
  CommandResult root = Accord({"log", "root", "--db", s});
  EXPECT_EQ(root.exit_code, 0) << Describe(root);
  EXPECT_EQ(root.out, primary_root);
}

TEST(PgStandbyTest, ReadDbMustBeAStandbyOfTheSameLog) {
  if (PgServerUri().empty()) GTEST_SKIP() << kNoPgServer;
  std::string other = FreshPgDatabase("standby_other");
  ASSERT_FALSE(other.empty());
  TempDir dir;
  CommandResult demo = Accord({"demo", "--db", other, "--key-dir", dir.path()});
  ASSERT_EQ(demo.exit_code, 0) << Describe(demo);
  std::string db = FreshPgDatabase("standby_mine");
  ASSERT_FALSE(db.empty());
  CommandResult init = Accord({"demo", "--db", db, "--key-dir", dir.path()});
  ASSERT_EQ(init.exit_code, 0) << Describe(init);

  api::ServerOptions o;
  o.db = db;
  o.port = 0;
  o.read_db = other;
  auto server = api::Server::Create(o);
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(Contains(server.status().message(), "must be a standby of --db"))
      << server.status().ToString();

  o.read_db = dir / "copy.db";
  server = api::Server::Create(o);
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(Contains(server.status().message(), "postgresql:// URIs"))
      << server.status().ToString();
}

}  // namespace
}  // namespace accord::testing
