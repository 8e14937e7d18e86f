// log::Witness without HTTP: every answer of tlog-witness add-checkpoint, the
// cosignature it returns, the state it keeps, and the evidence of forks.
#include "log/witness.h"

#include <gtest/gtest.h>

#include "log/witness_test_util.h"
#include "note/note.h"
#include "storage/database.h"
#include "storage/witness_store.h"
#include "test_util.h"

namespace accord::log {
namespace {

using testing::AddCheckpointBody;
using testing::TestTree;

class WitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "w.db";
    ASSERT_TRUE(storage::CreateDatabase(db_).ok());
    log_key_ = std::make_unique<note::Signer>(note::Signer::Generate("example.test/log"));
    tree_ = std::make_unique<TestTree>(*log_key_);
    tree_->Grow(300);
    witness_ = Make();
  }
  std::unique_ptr<Witness> Make() {
    auto w = Witness::Create(storage::OpenWitnessStore(db_).value(), witness_key_,
                             {log_key_->Verifier()}, [this] { return now_; });
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return std::move(w).value();
  }
  WitnessAnswer Add(uint64_t old_size, uint64_t size) {
    std::vector<std::string> proof;
    if (old_size > 0 && old_size < size) proof = tree_->Proof(old_size, size);
    return witness_->AddCheckpoint(AddCheckpointBody(old_size, proof, tree_->Checkpoint(size)));
  }
  std::vector<storage::WitnessEvidence> Evidence() {
    return storage::OpenWitnessStore(db_).value()->ListEvidence().value();
  }

  accord::testing::TempDir dir_;
  std::string db_;
  int64_t now_ = 1700000000;
  note::Signer witness_key_ = note::Signer::Generate("witness.test/w1");
  std::unique_ptr<note::Signer> log_key_;
  std::unique_ptr<TestTree> tree_;
  std::unique_ptr<Witness> witness_;
};

TEST_F(WitnessTest, CosignsAConsistentSequence) {
  WitnessAnswer a = Add(0, 10);
  ASSERT_EQ(a.status, 200) << a.message;
  EXPECT_EQ(a.content_type, "text/plain; charset=utf-8");
  // One cosignature/v1 line by the witness key, at the clock's time.
  std::string cp = tree_->Checkpoint(10);
  auto v = note::Verify(cp + a.body, {witness_->verifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString() << "\n" << a.body;
  ASSERT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(*v->verified[0].timestamp, 1700000000u);
  EXPECT_TRUE(a.body.starts_with("\xE2\x80\x94 witness.test/w1 "));
  EXPECT_EQ(std::count(a.body.begin(), a.body.end(), '\n'), 1);

  now_ += 5;
  EXPECT_EQ(Add(10, 256).status, 200);
  EXPECT_EQ(Add(256, 257).status, 200);
  EXPECT_EQ(Add(257, 300).status, 200);
  // The same checkpoint again (old = size, same root): cosigned again.
  EXPECT_EQ(Add(300, 300).status, 200);
  auto latest = storage::OpenWitnessStore(db_).value()->Latest("example.test/log").value();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->size, 300u);
  // The stored note carries the log's signature and the witness's.
  EXPECT_TRUE(note::Verify(latest->note, {witness_->verifier()}).ok());
  EXPECT_TRUE(note::Verify(latest->note, {log_key_->Verifier()}).ok());
  // A new Witness over the same database remembers.
  witness_ = Make();
  EXPECT_EQ(Add(0, 300).status, 409);
  EXPECT_TRUE(Evidence().empty());
}

TEST_F(WitnessTest, EmptyTreeThenGrowth) {
  tree_ = std::make_unique<TestTree>(*log_key_);
  EXPECT_EQ(Add(0, 0).status, 200);
  tree_->Grow(3);
  EXPECT_EQ(Add(0, 3).status, 200);
  EXPECT_EQ(Add(3, 3).status, 200);
  EXPECT_EQ(Add(0, 3).status, 409);
}

TEST_F(WitnessTest, EmptyRootRequiredAtSizeZero) {
  note::Checkpoint bad{"example.test/log", 0, merkle::LeafHash("x"), {}};
  std::string note = note::Sign(bad.Text(), {log_key_.get()}).value();
  WitnessAnswer a = witness_->AddCheckpoint(AddCheckpointBody(0, {}, note));
  EXPECT_EQ(a.status, 422) << a.message;
  EXPECT_NE(a.message.find("empty tree"), std::string::npos) << a.message;
}

TEST_F(WitnessTest, StaleOldSizeIs409WithTheSize) {
  ASSERT_EQ(Add(0, 10).status, 200);
  for (uint64_t old_size : {0u, 5u, 11u}) {
    WitnessAnswer a = Add(old_size, 20);
    EXPECT_EQ(a.status, 409) << old_size;
    EXPECT_EQ(a.content_type, "text/x.tlog.size");
    EXPECT_EQ(a.body, "10\n");
  }
  // Retrying with the returned size succeeds.
  EXPECT_EQ(Add(10, 20).status, 200);
}

TEST_F(WitnessTest, OldLargerThanSizeIs400) {
  ASSERT_EQ(Add(0, 10).status, 200);
  WitnessAnswer a = witness_->AddCheckpoint(AddCheckpointBody(20, {}, tree_->Checkpoint(10)));
  EXPECT_EQ(a.status, 400) << a.message;
  EXPECT_NE(a.message.find("larger"), std::string::npos) << a.message;
}

TEST_F(WitnessTest, UnknownOriginIs404AndBadSignatureIs403) {
  TestTree other(note::Signer::Generate("example.test/unknown"));
  other.Grow(5);
  EXPECT_EQ(witness_->AddCheckpoint(AddCheckpointBody(0, {}, other.Checkpoint(5))).status, 404);
  // The right origin, signed by another key: no trusted signature.
  TestTree impostor(note::Signer::Generate("example.test/log"));
  impostor.Grow(5);
  WitnessAnswer a = witness_->AddCheckpoint(AddCheckpointBody(0, {}, impostor.Checkpoint(5)));
  EXPECT_EQ(a.status, 403) << a.message;
  // The trusted key's line, tampered: the note is malformed, 403.
  std::string cp = tree_->Checkpoint(5);
  std::string tampered = cp;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(witness_->AddCheckpoint(AddCheckpointBody(0, {}, tampered)).status, 403);
  // The text changed under a valid signature line: 403.
  std::string other_size = cp;
  other_size.replace(other_size.find("\n5\n"), 3, "\n6\n");
  EXPECT_EQ(witness_->AddCheckpoint(AddCheckpointBody(0, {}, other_size)).status, 403);
  EXPECT_TRUE(Evidence().empty());
}

TEST_F(WitnessTest, MalformedBodiesAre400) {
  std::string cp = tree_->Checkpoint(10);
  std::string h = Base64Encode(std::string(32, 'h'));
  for (const std::string& body : std::vector<std::string>{
           "",
           "old 1\n",
           "old\n\n" + cp,
           "old 01\n\n" + cp,
           "old -1\n\n" + cp,
           "old 1 \n\n" + cp,
           "new 1\n\n" + cp,
           "old 0\n" + cp,                 // no blank line before the checkpoint
           "old 0\nnot base64!\n\n" + cp,  // a bad proof line
           "old 0\n" + Base64Encode("short") + "\n\n" + cp,
           "old 0\n\nexample.test/log\n10\n",  // not a signed note
           "old 0\n\n" + cp.substr(0, cp.size() - 1),
           "old 0\n\nexample.test/log\nten\nAAAA\n\n" + cp.substr(cp.find("\xE2\x80\x94")),
       }) {
    WitnessAnswer a = witness_->AddCheckpoint(body);
    EXPECT_EQ(a.status, 400) << body << "\n" << a.message;
    EXPECT_FALSE(a.message.empty());
  }
  // 63 proof lines are allowed (then the proof is wrong: 422), 64 are not.
  ASSERT_EQ(Add(0, 5).status, 200);
  std::string lines;
  for (int i = 0; i < 63; ++i) lines += h + "\n";
  EXPECT_EQ(witness_->AddCheckpoint("old 5\n" + lines + "\n" + cp).status, 422);
  EXPECT_EQ(witness_->AddCheckpoint("old 5\n" + lines + h + "\n\n" + cp).status, 400);
}

TEST_F(WitnessTest, BadProofsAre422AndKeptAsEvidence) {
  ASSERT_EQ(Add(0, 10).status, 200);
  std::vector<std::string> proof = tree_->Proof(10, 20);
  proof[0][0] ^= 1;
  WitnessAnswer a = witness_->AddCheckpoint(AddCheckpointBody(10, proof, tree_->Checkpoint(20)));
  EXPECT_EQ(a.status, 422) << a.message;
  // A proof for another pair of sizes.
  a = witness_->AddCheckpoint(AddCheckpointBody(10, tree_->Proof(11, 20), tree_->Checkpoint(20)));
  EXPECT_EQ(a.status, 422);
  // A proof when old = size is not allowed.
  a = witness_->AddCheckpoint(AddCheckpointBody(10, tree_->Proof(9, 10), tree_->Checkpoint(10)));
  EXPECT_EQ(a.status, 422);
  witness_ = Make();
  auto ev = Evidence();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind, "inconsistent");
  EXPECT_EQ(ev[0].size, 20u);
  EXPECT_TRUE(ev[0].submitted.starts_with("old 10\n"));
  // The state did not move.
  EXPECT_EQ(Add(10, 20).status, 200);
}

TEST_F(WitnessTest, ProofWithOldZeroIs422) {
  WitnessAnswer a =
      witness_->AddCheckpoint(AddCheckpointBody(0, tree_->Proof(5, 10), tree_->Checkpoint(10)));
  EXPECT_EQ(a.status, 422) << a.message;
}

TEST_F(WitnessTest, AForkIsRefusedAndKeptAsEvidence) {
  ASSERT_EQ(Add(0, 10).status, 200);
  // The same origin and key, other leaves.
  TestTree fork(*log_key_, "forked ");
  fork.Grow(10);
  std::string forked = fork.Checkpoint(10);
  WitnessAnswer a = witness_->AddCheckpoint(AddCheckpointBody(10, {}, forked));
  EXPECT_EQ(a.status, 409) << a.message;  // tlog-witness v1.0.0
  EXPECT_EQ(a.body, "10\n");
  EXPECT_EQ(a.content_type, "text/x.tlog.size");
  auto ev = Evidence();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, "fork");
  EXPECT_EQ(ev[0].origin, "example.test/log");
  EXPECT_EQ(ev[0].size, 10u);
  EXPECT_NE(ev[0].submitted.find(forked), std::string::npos);
  // Both checkpoints are there: the cosigned one and the refused one.
  EXPECT_NE(ev[0].cosigned.find(tree_->Checkpoint(10).substr(0, 40)), std::string::npos);
  EXPECT_TRUE(note::Verify(ev[0].cosigned, {witness_->verifier()}).ok());
  // A forked larger checkpoint cannot be proven consistent: 422, evidence.
  fork.Grow(10);
  a = witness_->AddCheckpoint(AddCheckpointBody(10, fork.Proof(10, 20), fork.Checkpoint(20)));
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(Evidence().size(), 2u);
  // The honest log goes on.
  EXPECT_EQ(Add(10, 20).status, 200);
}

TEST_F(WitnessTest, CreateRefusesBadConfigurations) {
  auto store = [&] { return storage::OpenWitnessStore(db_).value(); };
  EXPECT_FALSE(Witness::Create(store(), witness_key_, {}, nullptr).ok());
  // The witness key may not be a log's key.
  auto same = Witness::Create(store(), *log_key_, {log_key_->Verifier()}, nullptr);
  ASSERT_FALSE(same.ok());
  EXPECT_NE(same.status().message().find("key of its own"), std::string::npos);
  // Log keys are note keys (0x01), not cosigner keys.
  EXPECT_FALSE(
      Witness::Create(store(), witness_key_, {log_key_->CosignerVerifier()}, nullptr).ok());
}

TEST(FormatUtcTest, Rfc3339) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1700000000), "2023-11-14T22:13:20Z");
}

}  // namespace
}  // namespace accord::log
