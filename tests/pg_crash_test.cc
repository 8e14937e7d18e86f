// The PostgreSQL server crashing under load: writers POST batches to
// `accord serve` while the server is shut down immediately (no checkpoint,
// as a crash leaves it). After it restarts, every acknowledged event is in
// the log, no batch is there in part, and `accord verify` passes. Needs
// ACCORD_TEST_PG (a sign the PostgreSQL programs are here); the cluster is
// the test's own, since the test crashes it.
#include <array>
#include <chrono>

#include "api_test_util.h"
#include "pg_test_util.h"

namespace accord::testing {
namespace {

constexpr int kWriters = 4;
constexpr int kEventsPerBatch = 3;

std::string BatchId(int writer, int batch, int event) {
  return "crash-" + std::to_string(writer) + "-" + std::to_string(batch) + "-" +
         std::to_string(event);
}

TEST(PgCrashTest, ImmediateShutdownUnderLoadLosesNoAcknowledgedEventAndNoBatchIsHalfWritten) {
  if (PgServerUri().empty()) GTEST_SKIP() << kNoPgServer;
  PgCluster cluster;
  const std::string db = cluster.Start();
  ASSERT_FALSE(db.empty());

  std::array<std::atomic<int>, kWriters> batches{};      // attempted, per writer
  std::vector<std::vector<int>> acknowledged(kWriters);  // batch numbers answered 201
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  {
    ApiServer server(nullptr, db);
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        auto client = server.Client();
        client.set_read_timeout(5, 0);
        client.set_connection_timeout(2, 0);
        while (!stop.load()) {
          int b = batches[w]++;
          std::string body;
          for (int e = 0; e < kEventsPerBatch; ++e)
            body += BodyEvent("RU", BatchId(w, b, e)) + "\n";
          auto r =
              client.Post("/v1/events", server.Auth("ru-officer"), body, "application/x-ndjson");
          if (r && r->status == 201) {
            acknowledged[w].push_back(b);
          } else {
            failures.fetch_add(1);
          }
        }
      });
    }
    // Let the writers commit for a while, crash the server, keep them
    // writing against it for a moment, then stop them.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      size_t n = 0;
      for (int w = 0; w < kWriters; ++w) n += static_cast<size_t>(batches[w].load());
      if (n >= 60) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(cluster.Halt());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    for (auto& t : writers) t.join();
    ASSERT_TRUE(cluster.Resume());
  }

  size_t acked = 0;
  for (const auto& a : acknowledged) acked += a.size();
  EXPECT_GT(acked, 0u) << "no batch was acknowledged before the crash";
  EXPECT_GT(failures.load(), 0) << "the crash was not seen by any writer";

  CommandResult v = Accord({"verify", "--db", db});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);

  auto store = storage::OpenDatabase(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  storage::EntityStore& entities = (*store)->entities();
  for (int w = 0; w < kWriters; ++w) {
    std::set<int> acked_batches(acknowledged[w].begin(), acknowledged[w].end());
    for (int b = 0; b < batches[w].load(); ++b) {
      int present = 0;
      for (int e = 0; e < kEventsPerBatch; ++e) {
        auto got = entities.Get("body", BatchId(w, b, e));
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        if (got->has_value()) ++present;
      }
      EXPECT_TRUE(present == 0 || present == kEventsPerBatch)
          << "batch " << w << "-" << b << " is in the log in part: " << present << " of "
          << kEventsPerBatch;
      if (acked_batches.count(b) > 0) {
        EXPECT_EQ(present, kEventsPerBatch) << "acknowledged batch " << w << "-" << b << " lost";
      }
    }
  }
  std::cout << "[pg-crash] " << acked << " batches acknowledged, " << failures.load()
            << " refused or unanswered around the crash\n";
}

}  // namespace
}  // namespace accord::testing
