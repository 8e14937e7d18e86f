// MirrorSync against logs served from a store in memory (no network): a
// mirror converges to the log's root and checkpoint, appends only what is
// new, and stops with a fault, committing nothing of it, on a fork, a
// smaller size, a bad signature, changed tiles or entries, or a refused
// entry; an interrupted catch-up resumes.
#include "log/mirror.h"

#include <gtest/gtest.h>

#include "merkle/hasher.h"
#include "storage/database.h"

namespace accord::log {
namespace {

constexpr char kOrigin[] = "mirror.test/log";

std::string Bundle(const std::vector<std::string>& leaves) {
  std::string out;
  for (const std::string& l : leaves) {
    out += static_cast<char>(l.size() >> 8);
    out += static_cast<char>(l.size() & 0xff);
    out += l;
  }
  return out;
}

// A log in memory, served as a TileSource, with hooks to misbehave.
class FakeNode : public TileSource {
 public:
  // `key` must outlive the node (its log signs with it).
  explicit FakeNode(const note::Signer& key) {
    db_ = storage::CreateScratchDatabase().value();
    EXPECT_TRUE(Log::Initialize(db_->log(), kOrigin, key).ok());
    log_ = Log::Open(db_->log(), &key).value();
  }
  void Append(const std::string& prefix, int n) {
    std::vector<std::string> leaves;
    for (int i = 0; i < n; ++i) leaves.push_back(prefix + "-" + std::to_string(i));
    ASSERT_TRUE(log_->Append(leaves).ok());
  }
  Log& log() { return *log_; }

  Result<std::string> Checkpoint() override {
    if (checkpoint_override) return *checkpoint_override;
    return log_->Checkpoint();
  }
  Result<std::string> HashTile(uint32_t level, uint64_t index, uint64_t width) override {
    ASSIGN_OR_RETURN(merkle::Tile t, db_->log().ReadTile({level, index}));
    if (t.width() < width) return Status::NotFound("beyond the tree");
    std::string bytes = t.hashes.substr(0, width * kHashSize);
    if (tamper_tile) tamper_tile(level, index, bytes);
    return bytes;
  }
  Result<std::string> EntryBundle(uint64_t index, uint64_t width) override {
    ++bundles;
    if (fail_bundle_at && index == *fail_bundle_at) return Status::IoError("connection reset");
    ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                     db_->log().ReadEntries(index * 256, index * 256 + width));
    if (tamper_entry) tamper_entry(index * 256, leaves);
    return Bundle(leaves);
  }

  std::optional<std::string> checkpoint_override;
  std::function<void(uint32_t, uint64_t, std::string&)> tamper_tile;
  std::function<void(uint64_t first, std::vector<std::string>&)> tamper_entry;
  std::optional<uint64_t> fail_bundle_at;
  int bundles = 0;

 private:
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Log> log_;
};

class MirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = storage::CreateScratchDatabase().value();
    ASSERT_TRUE(Log::InitializeMirror(db_->log(), key_.Verifier(), "test://node").ok());
    mirror_ = Log::Open(db_->log(), nullptr).value();
  }

  // Syncs the mirror from `node`; entries equal to `refuse` are refused.
  Result<SyncResult> Sync(TileSource& node, MirrorSync** out = nullptr) {
    sync_ = std::make_unique<MirrorSync>(
        *mirror_, node,
        [this](uint64_t first, std::span<const std::string> leaves, const std::string& cp,
               uint64_t* bad) -> Status {
          for (size_t i = 0; i < leaves.size(); ++i) {
            if (leaves[i] == refuse_) {
              *bad = first + i;
              return Status::Corruption("log entry " + std::to_string(first + i) + ": refused");
            }
          }
          return mirror_->AppendVerified(leaves, cp).status();
        });
    if (out) *out = sync_.get();
    return sync_->Sync();
  }

  uint64_t VerifiedSize() {
    auto cp = mirror_->LatestCheckpoint().value();
    if (!cp) return 0;
    return note::ParseCheckpoint(note::ParseNote(*cp).value().text).value().size;
  }

  note::Signer key_ = note::Signer::Generate(kOrigin);
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Log> mirror_;
  std::unique_ptr<MirrorSync> sync_;
  std::string refuse_ = "\x01never";
};

TEST_F(MirrorTest, ConvergesToTheLogAndThenAppendsOnlyNewEntries) {
  FakeNode node(key_);
  node.Append("a", 1000);
  auto r = Sync(node);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->old_size, 0u);
  EXPECT_EQ(r->size, 1000u);
  EXPECT_EQ(r->applied, 1000u);
  EXPECT_EQ(mirror_->Root(1000).value(), node.log().Root(1000).value());
  EXPECT_EQ(mirror_->Checkpoint().value(), node.log().Checkpoint().value());
  auto v = mirror_->Verify({});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->checkpoint_size, 1000u);

  node.Append("b", 300);
  node.bundles = 0;
  r = Sync(node);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->old_size, 1000u);
  EXPECT_EQ(r->applied, 300u);
  EXPECT_EQ(node.bundles, 3);  // bundles 3 (from 1000 on), 4 and 5 (1280..1299)
  EXPECT_EQ(mirror_->Root(1300).value(), node.log().Root(1300).value());
  EXPECT_TRUE(mirror_->Verify({}).ok());

  // Nothing new: nothing fetched.
  node.bundles = 0;
  r = Sync(node);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->applied, 0u);
  EXPECT_EQ(node.bundles, 0);
}

// Tree sizes around tile boundaries, including a full level-1 tile whose
// authentication goes through level 2.
TEST_F(MirrorTest, SizesAtTileBoundaries) {
  FakeNode node(key_);
  uint64_t total = 0;
  for (uint64_t size : {1u, 255u, 256u, 257u, 512u, 65536u, 65537u}) {
    node.Append("s" + std::to_string(size), static_cast<int>(size - total));
    total = size;
    auto r = Sync(node);
    ASSERT_TRUE(r.ok()) << size << ": " << r.status().ToString();
    EXPECT_EQ(r->size, size);
    EXPECT_EQ(mirror_->Root(size).value(), node.log().Root(size).value()) << size;
  }
  EXPECT_TRUE(mirror_->Verify({}).ok());
}

TEST_F(MirrorTest, EmptyLogGivesAVerifiedEmptyCheckpoint) {
  FakeNode node(key_);
  // No checkpoint yet: a clear message, not a verdict of corruption.
  auto before = mirror_->Checkpoint();
  ASSERT_FALSE(before.ok());
  EXPECT_NE(before.status().message().find("no checkpoint yet"), std::string::npos);
  auto r = Sync(node);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(mirror_->Checkpoint().value(), node.log().Checkpoint().value());
}

// Same key and origin, same first 100 entries, then different ones.
TEST_F(MirrorTest, AForkStopsTheMirrorWithBothCheckpoints) {
  FakeNode a(key_), b(key_);
  a.Append("common", 100);
  b.Append("common", 100);
  a.Append("a", 50);
  b.Append("b", 100);
  ASSERT_TRUE(Sync(a).ok());
  std::string verified = mirror_->Checkpoint().value();
  MirrorSync* sync = nullptr;
  auto r = Sync(b, &sync);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kVerificationFailed);
  ASSERT_TRUE(sync->fault());
  EXPECT_EQ(sync->fault()->kind, MirrorFault::Kind::kInconsistent);
  EXPECT_NE(sync->fault()->message.find("not consistent"), std::string::npos)
      << sync->fault()->message;
  EXPECT_NE(sync->fault()->evidence.find(verified), std::string::npos);
  EXPECT_NE(sync->fault()->evidence.find(b.log().Checkpoint().value()), std::string::npos);
  EXPECT_NE(sync->fault()->evidence.find("consistency proof 150 -> 200"), std::string::npos);
  // Nothing of it: the mirror is as it was.
  EXPECT_EQ(mirror_->Size().value(), 150u);
  EXPECT_EQ(mirror_->Checkpoint().value(), verified);

  // The same size with another root: a fork too.
  FakeNode c(key_);
  c.Append("other", 150);
  r = Sync(c, &sync);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(sync->fault()->kind, MirrorFault::Kind::kInconsistent);
}

TEST_F(MirrorTest, ASmallerCheckpointIsAFault) {
  FakeNode node(key_);
  node.Append("a", 10);
  std::string old = node.log().Checkpoint().value();
  node.Append("b", 10);
  ASSERT_TRUE(Sync(node).ok());
  node.checkpoint_override = old;
  MirrorSync* sync = nullptr;
  auto r = Sync(node, &sync);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(sync->fault()->kind, MirrorFault::Kind::kSmaller);
  EXPECT_EQ(sync->fault()->index, 10u);
  EXPECT_NE(sync->fault()->evidence.find(old), std::string::npos);
}

TEST_F(MirrorTest, ACheckpointNotSignedByTheLogKeyIsAFault) {
  note::Signer other = note::Signer::Generate(kOrigin);  // same name, other key
  FakeNode node(other);
  node.Append("a", 10);
  MirrorSync* sync = nullptr;
  auto r = Sync(node, &sync);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(sync->fault()->kind, MirrorFault::Kind::kBadCheckpoint);
  EXPECT_EQ(mirror_->Size().value(), 0u);
}

TEST_F(MirrorTest, AChangedEntryIsNamedAndNothingOfItsBundleIsCommitted) {
  FakeNode node(key_);
  node.Append("a", 600);
  node.tamper_entry = [](uint64_t first, std::vector<std::string>& leaves) {
    if (first <= 300 && 300 < first + leaves.size()) leaves[300 - first] = "changed";
  };
  MirrorSync* sync = nullptr;
  auto r = Sync(node, &sync);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(sync->fault()->kind, MirrorFault::Kind::kChangedEntry);
  EXPECT_EQ(sync->fault()->index, 300u);
  EXPECT_NE(sync->fault()->message.find("entry 300 "), std::string::npos);
  EXPECT_NE(sync->fault()->evidence.find("Y2hhbmdlZA=="), std::string::npos);  // "changed"
  // Bundle 0 was authenticated and applied; bundle 1 not at all; the
  // verified checkpoint did not move.
  EXPECT_EQ(mirror_->Size().value(), 256u);
  EXPECT_EQ(VerifiedSize(), 0u);
  EXPECT_TRUE(mirror_->Verify({}).ok() == false);  // no checkpoint verified yet

  // Served right again, the mirror resumes from 256 and converges.
  node.tamper_entry = nullptr;
  r = Sync(node);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->applied, 344u);
  EXPECT_TRUE(mirror_->Verify({}).ok());
}

TEST_F(MirrorTest, TilesThatDoNotHashToTheRootAreAFault) {
  FakeNode node(key_);
  node.Append("a", 700);
  for (uint64_t bad_index : {0u, 2u}) {  // a full tile, the partial edge tile
    node.tamper_tile = [bad_index](uint32_t level, uint64_t index, std::string& bytes) {
      if (level == 0 && index == bad_index) bytes[5] ^= 1;
    };
    MirrorSync* sync = nullptr;
    auto r = Sync(node, &sync);
    ASSERT_FALSE(r.ok());
    ASSERT_TRUE(sync->fault());
    EXPECT_EQ(sync->fault()->kind, MirrorFault::Kind::kBadTile) << sync->fault()->message;
    EXPECT_EQ(mirror_->Size().value(), 0u);
  }
}

TEST_F(MirrorTest, ARefusedEntryIsNamedAndItsBundleNotCommitted) {
  FakeNode node(key_);
  node.Append("a", 300);
  refuse_ = "a-260";
  MirrorSync* sync = nullptr;
  auto r = Sync(node, &sync);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(sync->fault()->kind, MirrorFault::Kind::kRefusedEntry);
  EXPECT_EQ(sync->fault()->index, 260u);
  EXPECT_EQ(mirror_->Size().value(), 256u);
}

TEST_F(MirrorTest, AnInterruptedCatchUpResumesWhereItWas) {
  FakeNode node(key_);
  node.Append("a", 1000);
  node.fail_bundle_at = 2;
  auto r = Sync(node);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);  // not a fault
  EXPECT_EQ(mirror_->Size().value(), 512u);
  // The checkpoint it was heading for is kept.
  EXPECT_EQ(db_->log().GetMeta(kMetaMirrorTarget).value(), node.log().Checkpoint().value());

  // The log grew meanwhile; the entries held must still be its own.
  node.fail_bundle_at.reset();
  node.Append("b", 100);
  node.bundles = 0;
  r = Sync(node);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->applied, 588u);
  EXPECT_EQ(node.bundles, 3);
  EXPECT_EQ(db_->log().GetMeta(kMetaMirrorTarget).value(), "");
  EXPECT_TRUE(mirror_->Verify({}).ok());
}

// Log::AppendVerified (log_mirror.cc) on its own: the checkpoint must be the
// log key's, the leaves must fit it, and the last append must give its root.
TEST_F(MirrorTest, AppendVerifiedChecksTheCheckpoint) {
  FakeNode node(key_);
  node.Append("a", 10);
  std::string cp = node.log().Checkpoint().value();
  std::vector<std::string> right;
  for (int i = 0; i < 10; ++i) right.push_back("a-" + std::to_string(i));
  // Leaves that are not the log's: refused at the last one, nothing written.
  std::vector<std::string> ten = right;
  ten[9] = "changed";
  auto r = mirror_->AppendVerified(ten, cp);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kVerificationFailed);
  EXPECT_EQ(mirror_->Size().value(), 0u);
  // More leaves than the checkpoint holds.
  right.push_back("a-10");
  EXPECT_EQ(mirror_->AppendVerified(right, cp).status().code(), StatusCode::kInvalidArgument);
  right.pop_back();
  // Another key's checkpoint.
  const note::Signer other_key =
      note::Signer::Generate(kOrigin);  // outlives `other`, which keeps it
  FakeNode other(other_key);
  other.Append("a", 10);
  EXPECT_FALSE(mirror_->AppendVerified(right, other.log().Checkpoint().value()).ok());
  // The right leaves in two steps: a target first, then the checkpoint.
  ASSERT_TRUE(mirror_->AppendVerified(std::span(right).first(4), cp).ok());
  EXPECT_EQ(db_->log().GetMeta(kMetaMirrorTarget).value(), cp);
  EXPECT_FALSE(mirror_->LatestCheckpoint().value().has_value());
  ASSERT_TRUE(mirror_->AppendVerified(std::span(right).subspan(4), cp).ok());
  EXPECT_EQ(mirror_->LatestCheckpoint().value(), cp);
  EXPECT_TRUE(mirror_->Verify({}).ok());
}

TEST(EntryBundleTest, ParsesExactlyTheAnnouncedEntries) {
  std::string b = Bundle({"one", "", std::string(300, 'x')});
  auto ok = ParseEntryBundle(b, 3);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0], "one");
  EXPECT_EQ((*ok)[1], "");
  EXPECT_EQ((*ok)[2].size(), 300u);
  EXPECT_FALSE(ParseEntryBundle(b, 2).ok());
  EXPECT_FALSE(ParseEntryBundle(b, 4).ok());
  EXPECT_FALSE(ParseEntryBundle(b.substr(0, b.size() - 1), 3).ok());
  EXPECT_FALSE(ParseEntryBundle(b + std::string(1, '\0'), 3).ok());
}

TEST(VerifiedTilesTest, WidthOfTiles) {
  EXPECT_EQ(VerifiedTiles::Width(1000, {0, 0}), 256u);
  EXPECT_EQ(VerifiedTiles::Width(1000, {0, 3}), 232u);
  EXPECT_EQ(VerifiedTiles::Width(1000, {0, 4}), 0u);
  EXPECT_EQ(VerifiedTiles::Width(1000, {1, 0}), 3u);
  EXPECT_EQ(VerifiedTiles::Width(1000, {2, 0}), 0u);
  EXPECT_EQ(VerifiedTiles::Width(65536, {1, 0}), 256u);
  EXPECT_EQ(VerifiedTiles::Width(65536, {2, 0}), 1u);
}

}  // namespace
}  // namespace accord::log
