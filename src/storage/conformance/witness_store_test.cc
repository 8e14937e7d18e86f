// Conformance: storage/witness_store.h, for every backend.
#include "storage/witness_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/conformance/backends.h"
#include "storage/database.h"

namespace accord::storage::conformance {
namespace {

class WitnessConformance : public ::testing::TestWithParam<BackendCase> {
 protected:
  void SetUp() override {
    ACCORD_SKIP_UNAVAILABLE_BACKEND();
    locator_ = GetParam().fresh(dir_, "witness");
    ASSERT_TRUE(CreateDatabase(locator_).ok());
    auto w = OpenWitnessStore(locator_);
    ASSERT_TRUE(w.ok()) << w.status().message();
    store_ = std::move(w).value();
  }
  static WitnessedCheckpoint At(uint64_t size, char root, const std::string& origin = "log.a") {
    return {origin, size, std::string(32, root), "note " + std::to_string(size) + "\n",
            "2026-01-01T00:00:00Z"};
  }
  testing::TempDir dir_;
  std::string locator_;
  std::unique_ptr<WitnessStore> store_;
};

TEST_P(WitnessConformance, OpensOnlyAnAccordDatabase) {
  EXPECT_EQ(OpenWitnessStore(dir_ / "none.db").status().code(), StatusCode::kNotFound);
  std::string foreign = GetParam().fresh(dir_, "foreign");
  GetParam().make_foreign(foreign);
  EXPECT_FALSE(OpenWitnessStore(foreign).ok());
  // Opening twice (tables already there) is fine.
  EXPECT_TRUE(OpenWitnessStore(locator_).ok());
}

TEST_P(WitnessConformance, AdvanceIsACompareAndSet) {
  EXPECT_FALSE(store_->Latest("log.a").value().has_value());
  // A log never cosigned counts as size 0.
  EXPECT_FALSE(store_->Advance(3, At(5, 'a')).value());
  EXPECT_FALSE(store_->Latest("log.a").value().has_value());
  ASSERT_TRUE(store_->Advance(0, At(5, 'a')).value());
  auto cur = store_->Latest("log.a").value();
  ASSERT_TRUE(cur.has_value());
  EXPECT_EQ(cur->size, 5u);
  EXPECT_EQ(cur->root, std::string(32, 'a'));
  EXPECT_EQ(cur->note, "note 5\n");
  EXPECT_EQ(cur->updated, "2026-01-01T00:00:00Z");
  // A stale expectation writes nothing.
  EXPECT_FALSE(store_->Advance(0, At(9, 'b')).value());
  EXPECT_FALSE(store_->Advance(4, At(9, 'b')).value());
  EXPECT_EQ(store_->Latest("log.a").value()->size, 5u);
  // The same size again (a re-cosigning) and forward.
  EXPECT_TRUE(store_->Advance(5, At(5, 'a')).value());
  EXPECT_TRUE(store_->Advance(5, At(9, 'b')).value());
  EXPECT_EQ(store_->Latest("log.a").value()->root, std::string(32, 'b'));
  // Never backwards.
  EXPECT_FALSE(store_->Advance(9, At(4, 'c')).ok());
  EXPECT_EQ(store_->Latest("log.a").value()->size, 9u);
  // Logs are independent; a log cosigned at size 0 still counts as 0.
  EXPECT_TRUE(store_->Advance(0, At(0, 'z', "log.b")).value());
  EXPECT_TRUE(store_->Advance(0, At(2, 'y', "log.b")).value());
  EXPECT_EQ(store_->Latest("log.b").value()->size, 2u);
  EXPECT_EQ(store_->Latest("log.a").value()->size, 9u);
  // Another store on the same database sees it.
  auto other = OpenWitnessStore(locator_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->Latest("log.a").value()->size, 9u);
}

TEST_P(WitnessConformance, ConcurrentAdvancesFromOneSizeLetOneWin) {
  constexpr int kThreads = 4;
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto s = OpenWitnessStore(locator_);
      ASSERT_TRUE(s.ok()) << s.status().message();
      for (uint64_t round = 0; round < 20; ++round) {
        auto r = (*s)->Advance(round * 10, At(round * 10 + 10, static_cast<char>('a' + t)));
        ASSERT_TRUE(r.ok()) << r.status().message();
        if (*r) ++wins;
        // Everyone waits for the round to be taken before the next.
        while ((*s)->Latest("log.a").value().value_or(At(0, 'x')).size < round * 10 + 10) {
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wins.load(), 20);
  EXPECT_EQ(store_->Latest("log.a").value()->size, 200u);
}

TEST_P(WitnessConformance, EvidenceIsKeptInOrder) {
  EXPECT_TRUE(store_->ListEvidence().value().empty());
  WitnessEvidence e{0,
                    "log.a",
                    7,
                    "fork",
                    "same size, another root",
                    "cosigned\n",
                    "old 7\n\n",
                    "2026-01-02T00:00:00Z"};
  ASSERT_TRUE(store_->AddEvidence(e).ok());
  e.kind = "inconsistent";
  e.size = 9;
  ASSERT_TRUE(store_->AddEvidence(e).ok());
  auto all = store_->ListEvidence().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_LT(all[0].id, all[1].id);
  EXPECT_EQ(all[0].kind, "fork");
  EXPECT_EQ(all[0].size, 7u);
  EXPECT_EQ(all[0].origin, "log.a");
  EXPECT_EQ(all[0].reason, "same size, another root");
  EXPECT_EQ(all[0].cosigned, "cosigned\n");
  EXPECT_EQ(all[0].submitted, "old 7\n\n");
  EXPECT_EQ(all[0].received, "2026-01-02T00:00:00Z");
  EXPECT_EQ(all[1].kind, "inconsistent");
  EXPECT_EQ(all[1].size, 9u);
}

INSTANTIATE_TEST_SUITE_P(Storage, WitnessConformance, ::testing::ValuesIn(Backends()), CaseName);

}  // namespace
}  // namespace accord::storage::conformance
