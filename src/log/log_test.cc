#include "log/log.h"

#include <gtest/gtest.h>

#include "merkle/hasher.h"
#include "storage/database.h"
#include "test_util.h"

namespace accord::log {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = storage::CreateDatabase(dir_ / "log.db").value();
    store_ = &db_->log();
    ASSERT_TRUE(Log::Initialize(*store_, "log.test/accord", signer_).ok());
    log_ = Log::Open(*store_, &signer_).value();
  }

  testing::TempDir dir_;
  note::Signer signer_ = note::Signer::Generate("log.test/accord");
  std::unique_ptr<storage::Database> db_;
  storage::LogStore* store_ = nullptr;
  std::unique_ptr<Log> log_;
};

TEST_F(LogTest, EmptyLogHasSignedEmptyCheckpoint) {
  EXPECT_EQ(log_->Size().value(), 0u);
  auto cp = log_->Checkpoint().value();
  auto v = note::Verify(cp, {signer_.Verifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto parsed = note::ParseCheckpoint(v->note.text).value();
  EXPECT_EQ(parsed.size, 0u);
  EXPECT_EQ(parsed.root, merkle::EmptyRoot());
  EXPECT_TRUE(log_->Verify({}).ok());
}

// Every leaf fits a tlog-tiles entry bundle entry (u16 length).
TEST_F(LogTest, LeavesAreAtMost65535Bytes) {
  std::vector<std::string> ok = {std::string(65535, 'a')};
  EXPECT_EQ(log_->Append(ok).value(), 0u);
  std::vector<std::string> big = {"small", std::string(65536, 'b')};
  auto r = log_->Append(big);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("65535"), std::string::npos) << r.status().message();
  EXPECT_EQ(log_->Size().value(), 1u);  // nothing of the batch
}

TEST_F(LogTest, AppendProveAndVerifyAgainstCheckpoint) {
  std::vector<std::string> leaves;
  for (int i = 0; i < 1000; ++i) leaves.push_back("leaf-" + std::to_string(i));
  EXPECT_EQ(log_->Append(std::span(leaves).first(10)).value(), 0u);
  EXPECT_EQ(log_->Append(std::span(leaves).subspan(10)).value(), 10u);
  auto cp = note::ParseCheckpoint(note::ParseNote(log_->Checkpoint().value()).value().text).value();
  EXPECT_EQ(cp.size, 1000u);
  EXPECT_EQ(cp.root, log_->Root(1000).value());
  for (uint64_t idx : {0, 9, 10, 511, 999}) {
    auto proof = log_->InclusionProof(idx, 1000).value();
    std::vector<std::string> p;
    for (const Hash& h : proof) p.emplace_back(AsBytes(h));
    EXPECT_TRUE(merkle::VerifyInclusion(idx, 1000, AsBytes(merkle::LeafHash(leaves[idx])), p,
                                        AsBytes(cp.root))
                    .ok());
    EXPECT_EQ(log_->LeafHashAt(idx).value(), merkle::LeafHash(leaves[idx]));
  }
  auto cons = log_->ConsistencyProof(10, 1000).value();
  std::vector<std::string> c;
  for (const Hash& h : cons) c.emplace_back(AsBytes(h));
  EXPECT_TRUE(
      merkle::VerifyConsistency(10, 1000, AsBytes(log_->Root(10).value()), AsBytes(cp.root), c)
          .ok());
  // Each batch left a checkpoint in the history.
  EXPECT_TRUE(store_->CheckpointAt(10).value().has_value());
  EXPECT_TRUE(log_->Verify({}).ok());
}

TEST_F(LogTest, OutOfRangeRequestsAreRefused) {
  std::vector<std::string> leaves = {"a", "b"};
  ASSERT_TRUE(log_->Append(leaves).ok());
  EXPECT_EQ(log_->InclusionProof(2, 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->InclusionProof(0, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->Root(3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->ConsistencyProof(0, 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->ConsistencyProof(2, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->LeafHashAt(2).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LogTest, FailureInsideTheTransactionAppendsNothing) {
  std::vector<std::string> leaves = {"a", "b"};
  ASSERT_TRUE(log_->Append(leaves).ok());
  std::string before = log_->Checkpoint().value();
  auto r = log_->Append(leaves, [](storage::LogWriteTxn&, uint64_t first) {
    EXPECT_EQ(first, 2u);
    return Status::FailedPrecondition("projection refused");
  });
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(log_->Size().value(), 2u);
  EXPECT_EQ(log_->Checkpoint().value(), before);
  EXPECT_EQ(log_->Append(leaves).value(), 2u);  // the cached tree edge was not advanced
  EXPECT_TRUE(log_->Verify({}).ok());
}

TEST_F(LogTest, TwoWritersOnTwoConnectionsStayConsistent) {
  auto other_db = storage::OpenDatabase(dir_ / "log.db").value();
  auto other = Log::Open(other_db->log(), &signer_).value();
  for (int i = 0; i < 50; ++i) {
    std::vector<std::string> a(1 + i % 7, "from-a-" + std::to_string(i));
    std::vector<std::string> b(1 + i % 5, "from-b-" + std::to_string(i));
    ASSERT_TRUE(log_->Append(a).ok());
    ASSERT_TRUE(other->Append(b).ok());
  }
  auto report = log_->Verify({});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->size, log_->Size().value());
}

TEST_F(LogTest, OpenRefusesAForeignSigningKey) {
  note::Signer stranger = note::Signer::Generate("log.test/accord");
  EXPECT_EQ(Log::Open(*store_, &stranger).status().code(), StatusCode::kPermissionDenied);
  auto readonly = Log::Open(*store_, nullptr).value();
  std::vector<std::string> leaves = {"x"};
  EXPECT_EQ(readonly->Append(leaves).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(LogTest, CosignaturesAreVerifiedAndKept) {
  std::vector<std::string> leaves = {"a"};
  ASSERT_TRUE(log_->Append(leaves).ok());
  note::Signer party = note::Signer::Generate("uz.test/mod");
  std::string text = note::ParseNote(log_->Checkpoint().value()).value().text;
  std::string line = party.CosignatureLine(text, 1700000000);
  // Refused without the cosigner's key, accepted with it.
  EXPECT_FALSE(log_->AddCosignatures(line, {}).ok());
  note::Signer other = note::Signer::Generate("ru.test/mod");
  EXPECT_FALSE(log_->AddCosignatures(line, {other.CosignerVerifier()}).ok());
  ASSERT_TRUE(log_->AddCosignatures(line, {party.CosignerVerifier()}).ok());
  auto v = note::Verify(log_->Checkpoint().value(), {signer_.Verifier(), party.CosignerVerifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->verified.size(), 2u);
  EXPECT_EQ(v->verified[1].timestamp, 1700000000u);
  EXPECT_TRUE(log_->Verify({}).ok());
}

// Cosignatures gathered after the log moved on land on the checkpoint they
// cosign, in the history (and on the latest only while it is that one).
TEST_F(LogTest, CosignaturesAtASizeGoWithThatCheckpoint) {
  std::vector<std::string> a = {"a"}, b = {"b"};
  ASSERT_TRUE(log_->Append(a).ok());
  std::string one = note::ParseNote(store_->CheckpointAt(1).value().value()).value().text;
  ASSERT_TRUE(log_->Append(b).ok());
  std::string two = note::ParseNote(log_->Checkpoint().value()).value().text;
  note::Signer w1 = note::Signer::Generate("w1.test/w");
  note::Signer w2 = note::Signer::Generate("w2.test/w");
  std::vector<note::VerifierKey> keys = {w1.CosignerVerifier(), w2.CosignerVerifier()};

  // Size 1 is history only: the latest (size 2) is untouched.
  auto added = log_->AddCosignaturesAt(1, w1.CosignatureLine(one, 1700000001), keys);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 1u);
  auto v = note::Verify(store_->CheckpointAt(1).value().value(), keys);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(note::ParseNote(log_->Checkpoint().value()).value().signatures.size(), 1u);

  // The latest gets it in the history and as the latest; the hook runs in
  // the same transaction.
  added = log_->AddCosignaturesAt(2, w2.CosignatureLine(two, 1700000002), keys,
                                  [](storage::LogWriteTxn& txn, uint64_t size) {
                                    EXPECT_EQ(size, 2u);
                                    return txn.PutMeta("who", "w2");
                                  });
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 1u);
  EXPECT_EQ(log_->Checkpoint().value(), store_->CheckpointAt(2).value().value());
  EXPECT_EQ(note::Verify(log_->Checkpoint().value(), keys).value().verified.size(), 1u);
  EXPECT_EQ(store_->GetMeta("who").value().value(), "w2");

  // A second line by the same key is left out, not an error.
  added = log_->AddCosignaturesAt(2, w2.CosignatureLine(two, 1700000003), keys);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 0u);
  EXPECT_EQ(note::ParseNote(log_->Checkpoint().value()).value().signatures.size(), 2u);

  // A line over another checkpoint's text, or by an unknown key: refused,
  // nothing written (the hook's write rolls back too).
  auto bad = log_->AddCosignaturesAt(
      2, w1.CosignatureLine(one, 1700000004), keys,
      [](storage::LogWriteTxn& txn, uint64_t) { return txn.PutMeta("who", "bad"); });
  EXPECT_EQ(bad.status().code(), StatusCode::kVerificationFailed);
  EXPECT_EQ(store_->GetMeta("who").value().value(), "w2");
  note::Signer stranger = note::Signer::Generate("x.test/w");
  EXPECT_FALSE(log_->AddCosignaturesAt(2, stranger.CosignatureLine(two, 1), keys).ok());
  EXPECT_EQ(note::ParseNote(log_->Checkpoint().value()).value().signatures.size(), 2u);
  EXPECT_EQ(log_->AddCosignaturesAt(7, w1.CosignatureLine(two, 1), keys).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(log_->Verify({}).ok());
}

}  // namespace
}  // namespace accord::log
