// Crash safety: a child process appends batches in a loop and is SIGKILLed at
// random moments. After every kill the log must verify, contain every batch
// the child acknowledged, and never hold part of a batch. On every backend:
// on PostgreSQL the killed writer is a client whose server rolls back its
// open transaction and frees the writer lock.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "log/log.h"
#include "storage/conformance/backends.h"
#include "storage/database.h"
#include "test_util.h"

namespace accord {
namespace {

std::string LeafText(uint64_t round, uint64_t index) {
  return "round " + std::to_string(round) + " leaf " + std::to_string(index) +
         std::string(40 + index % 200, 'x');
}

// The child: appends forever, reporting "B first count" before a batch and
// "A first count" after it commits. Never returns.
[[noreturn]] void ChildAppendLoop(const std::string& db, const std::string& skey, uint64_t round,
                                  int report_fd) {
  auto store = storage::OpenDatabase(db);
  auto signer = note::Signer::Parse(skey);
  if (!store.ok() || !signer.ok()) _exit(10);
  auto log = log::Log::Open((*store)->log(), &*signer);
  if (!log.ok()) _exit(11);
  std::mt19937 rng(static_cast<uint32_t>(round * 7919 + 1));
  for (;;) {
    auto size = (*log)->Size();
    if (!size.ok()) _exit(12);
    uint64_t count = 1 + rng() % 64;
    std::vector<std::string> leaves;
    for (uint64_t i = 0; i < count; ++i) leaves.push_back(LeafText(round, *size + i));
    std::string begin = "B " + std::to_string(*size) + " " + std::to_string(count) + "\n";
    if (write(report_fd, begin.data(), begin.size()) < 0) _exit(13);
    auto first = (*log)->Append(leaves);
    if (!first.ok()) _exit(14);
    std::string ack = "A " + std::to_string(*first) + " " + std::to_string(count) + "\n";
    if (write(report_fd, ack.data(), ack.size()) < 0) _exit(15);
  }
}

class CrashTest : public ::testing::TestWithParam<storage::conformance::BackendCase> {
 protected:
  void SetUp() override { ACCORD_SKIP_UNAVAILABLE_BACKEND(); }
};

TEST_P(CrashTest, SigkillDuringAppendsLosesNoAcknowledgedEntry) {
  testing::TempDir dir;
  std::string db = GetParam().fresh(dir, "crash");
  ASSERT_FALSE(db.empty());
  note::Signer signer = note::Signer::Generate("crash.test/log");
  {
    auto store = storage::CreateDatabase(db);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE(log::Log::Initialize((*store)->log(), "crash.test/log", signer).ok());
  }
  std::mt19937 rng(20261128);
  // Every leaf ever acknowledged: index -> exact content.
  std::map<uint64_t, std::string> acknowledged;
  const int kRounds = 24;
  int kills_mid_batch = 0;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      ChildAppendLoop(db, signer.Encode(), round, fds[1]);
    }
    close(fds[1]);
    // Let it run for a random 5..150 ms, then kill it without warning.
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 146));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited on its own with " << WEXITSTATUS(status);

    std::string reports;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) reports.append(buf, static_cast<size_t>(n));
    close(fds[0]);

    // Parse complete report lines only.
    std::istringstream in(reports.substr(0, reports.rfind('\n') + 1));
    char kind;
    uint64_t first, count;
    std::optional<std::pair<uint64_t, uint64_t>> in_flight;
    while (in >> kind >> first >> count) {
      if (kind == 'B') {
        in_flight = {first, count};
      } else {
        for (uint64_t i = 0; i < count; ++i) acknowledged[first + i] = LeafText(round, first + i);
        in_flight.reset();
      }
    }

    auto store = storage::OpenDatabase(db);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    {
      // On a server, a client killed after sending COMMIT may still commit:
      // its transaction ends (either way) when the server has read the
      // COMMIT or seen the connection drop. Taking the writer lock waits
      // for that, so the log is final before it is checked.
      auto settle = (*store)->log().BeginWrite();
      ASSERT_TRUE(settle.ok()) << settle.status().ToString();
      (*settle)->Rollback();
    }
    auto log = log::Log::Open((*store)->log(), nullptr);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    auto report = (*log)->Verify({});
    ASSERT_TRUE(report.ok()) << "round " << round << ": " << report.status().ToString();
    uint64_t size = report->size;
    EXPECT_EQ(report->checkpoint_size, size) << "checkpoint must commit with its batch";

    // Atomic batches: the size is the end of the last acknowledged batch, or
    // the end of the batch in flight if its commit landed before the kill.
    uint64_t acked_end = acknowledged.empty() ? 0 : acknowledged.rbegin()->first + 1;
    if (in_flight) {
      ++kills_mid_batch;
      uint64_t flight_end = in_flight->first + in_flight->second;
      EXPECT_TRUE(size == in_flight->first || size == flight_end)
          << "round " << round << ": size " << size << ", batch in flight [" << in_flight->first
          << ", " << flight_end << ")";
      if (size == flight_end) {
        for (uint64_t i = in_flight->first; i < flight_end; ++i) {
          acknowledged[i] = LeafText(round, i);  // durable though never acknowledged
        }
      }
    } else {
      EXPECT_EQ(size, acked_end) << "round " << round;
    }
    ASSERT_GE(size, acked_end) << "acknowledged entries lost in round " << round;
    auto entries = (*store)->log().ReadEntries(0, size);
    ASSERT_TRUE(entries.ok());
    for (const auto& [idx, text] : acknowledged) {
      if (idx >= size) continue;
      ASSERT_EQ((*entries)[idx], text) << "entry " << idx;
    }
  }
  EXPECT_GT(acknowledged.size(), 0u);
  std::cout << "[crash] " << GetParam().name << ": " << kRounds << " kills, " << kills_mid_batch
            << " during a batch, final size " << acknowledged.size() << "\n";
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, ::testing::ValuesIn(storage::conformance::Backends()),
                         storage::conformance::CaseName);

}  // namespace
}  // namespace accord
