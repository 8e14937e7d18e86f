// The HTTP API on a PostgreSQL registry: the server's several connections
// per reader thread (registry, log reads, accounts) against one database,
// writes through the sequencer's group commit, idempotency, reads right after
// the acknowledgement, and a log that verifies. Needs ACCORD_TEST_PG.
#include "api_test_util.h"
#include "pg_test_util.h"

namespace accord::testing {
namespace {

class ApiPgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (PgServerUri().empty()) return;
    std::string uri = FreshPgDatabase("api");
    if (!uri.empty()) s_ = new ApiServer(nullptr, uri);
  }
  static void TearDownTestSuite() {
    delete s_;
    s_ = nullptr;
  }
  void SetUp() override {
    if (PgServerUri().empty()) GTEST_SKIP() << kNoPgServer;
    ASSERT_NE(s_, nullptr);
  }
  static inline ApiServer* s_ = nullptr;
};

TEST_F(ApiPgTest, RecordsReadsAndPagesOnPostgres) {
  uint64_t before = LogSize(s_->db);
  ASSERT_GT(before, 300u);  // the demo
  auto r = s_->Post("ru-officer", BodyEvent("RU", "pg-1"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(json::parse(r->body)["recorded"][0]["index"], before);
  EXPECT_EQ(s_->Get("ru-officer", "/v1/bodies/pg-1")->status, 200);
  r = s_->Post("ru-officer", BodyEvent("RU", "pg-2") + "\n" + BodyEvent("RU", "pg-3") + "\n",
               "application/x-ndjson");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(LogSize(s_->db), before + 3);
  // Keyset pages over the demo's contracts, as on SQLite.
  auto page = s_->Get("admin", "/v1/contracts?limit=2");
  ASSERT_EQ(page->status, 200) << page->body;
  json j = json::parse(page->body);
  ASSERT_EQ(j["items"].size(), 2u);
  ASSERT_TRUE(j["next_cursor"].is_string());
  auto next =
      s_->Get("admin", "/v1/contracts?limit=100&cursor=" + j["next_cursor"].get<std::string>());
  ASSERT_EQ(next->status, 200) << next->body;
  EXPECT_GT(json::parse(next->body)["items"].size(), 0u);
  EXPECT_LT(j["items"][1]["id"].get<std::string>(),
            json::parse(next->body)["items"][0]["id"].get<std::string>());
  // A bad event appends nothing.
  auto bad = s_->Post("ru-officer", BodyEvent("RU", "pg-4", "body.exploded"));
  ASSERT_TRUE(bad);
  EXPECT_TRUE(bad->status >= 400 && bad->status < 500) << bad->status << " " << bad->body;
  EXPECT_EQ(LogSize(s_->db), before + 3);
}

TEST_F(ApiPgTest, IdempotencyAndGroupCommitOnPostgres) {
  uint64_t before = LogSize(s_->db);
  std::string ev = BodyEvent("RU", "pg-idem");
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "pg-k"}});
      if (r && r->status == 201) ++created;
    });
  }
  for (auto& t : threads) t.join();
  threads.clear();
  EXPECT_EQ(created, 8);
  EXPECT_EQ(LogSize(s_->db), before + 1);

  int64_t checkpoints = CheckpointCount(s_->db);
  constexpr int kClients = 16, kEach = 6;
  std::atomic<int> failures{0};
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto cli = s_->Client();
      for (int i = 0; i < kEach; ++i) {
        std::string id = "pg-gc-" + std::to_string(c) + "-" + std::to_string(i);
        auto r =
            cli.Post("/v1/events", s_->Auth("ru-officer"), BodyEvent("RU", id), "application/json");
        if (!r || r->status != 201) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(LogSize(s_->db), before + 1 + kClients * kEach);
  int64_t batches = CheckpointCount(s_->db) - checkpoints;
  std::cout << "[ group commit on PostgreSQL ] " << kClients * kEach << " writes in " << batches
            << " batches\n";
  EXPECT_LT(batches, kClients * kEach);
  CommandResult v = Accord({"verify", "--db", s_->db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

}  // namespace
}  // namespace accord::testing
