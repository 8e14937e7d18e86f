// Conformance: storage/account_store.h, for every backend.
#include <gtest/gtest.h>

#include "storage/conformance/backends.h"
#include "storage/database.h"

namespace accord::storage::conformance {
namespace {

class AccountConformance : public ::testing::TestWithParam<BackendCase> {
 protected:
  void SetUp() override {
    ACCORD_SKIP_UNAVAILABLE_BACKEND();
    locator_ = GetParam().fresh(dir_, "accounts");
    auto db = CreateDatabase(locator_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    ASSERT_TRUE(accounts().EnsureSchema().ok());
    ASSERT_TRUE(accounts().EnsureSchema().ok());  // idempotent
  }
  AccountStore& accounts() { return db_->accounts(); }
  static UserRecord User(const std::string& name, const std::string& token_id,
                         const std::string& role = "officer") {
    return {name,
            "RU",
            role,
            token_id,
            std::string("salt\0\x01", 6),
            std::string(32, '\xee'),
            "2026-01-01T00:00:00Z",
            std::nullopt};
  }

  testing::TempDir dir_;
  std::string locator_;
  std::unique_ptr<Database> db_;
};

TEST_P(AccountConformance, UsersAreFoundByNameAndTokenId) {
  ASSERT_TRUE(accounts().InsertUser(User("zoe", "00000000000000aa")).ok());
  ASSERT_TRUE(accounts().InsertUser(User("adam", "00000000000000bb", "auditor")).ok());
  auto zoe = accounts().FindUser("zoe").value();
  ASSERT_TRUE(zoe.has_value());
  EXPECT_EQ(zoe->party, "RU");
  EXPECT_EQ(zoe->role, "officer");
  EXPECT_EQ(zoe->salt, std::string("salt\0\x01", 6));  // bytes, not text
  EXPECT_EQ(zoe->token_hash, std::string(32, '\xee'));
  EXPECT_FALSE(zoe->revoked.has_value());
  EXPECT_EQ(accounts().FindUserByTokenId("00000000000000bb").value()->name, "adam");
  EXPECT_FALSE(accounts().FindUser("nobody").value().has_value());
  EXPECT_FALSE(accounts().FindUserByTokenId("ffffffffffffffff").value().has_value());
  // Names and token ids are unique; a refused insert writes nothing.
  EXPECT_EQ(accounts().InsertUser(User("zoe", "00000000000000cc")).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(accounts().InsertUser(User("eve", "00000000000000aa")).code(),
            StatusCode::kAlreadyExists);
  EXPECT_FALSE(accounts().FindUser("eve").value().has_value());
  auto users = accounts().ListUsers().value();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "adam");  // by name
  EXPECT_EQ(users[1].name, "zoe");
  // Kept across handles.
  auto other = OpenDatabase(locator_).value();
  EXPECT_EQ(other->accounts().ListUsers().value().size(), 2u);
}

TEST_P(AccountConformance, RevocationHappensOnce) {
  ASSERT_TRUE(accounts().InsertUser(User("zoe", "00000000000000aa")).ok());
  ASSERT_TRUE(accounts().RevokeUser("zoe", "2026-02-01T00:00:00Z").ok());
  EXPECT_EQ(accounts().RevokeUser("zoe", "2026-03-01T00:00:00Z").code(), StatusCode::kNotFound);
  EXPECT_EQ(accounts().FindUser("zoe").value()->revoked.value(), "2026-02-01T00:00:00Z");
  EXPECT_EQ(accounts().RevokeUser("nobody", "2026-03-01T00:00:00Z").code(), StatusCode::kNotFound);
}

TEST_P(AccountConformance, AgreementAssignments) {
  ASSERT_TRUE(accounts().InsertUser(User("adam", "00000000000000bb", "auditor")).ok());
  ASSERT_TRUE(accounts().AddAgreement("adam", "RU-UZ-2016").ok());
  ASSERT_TRUE(accounts().AddAgreement("adam", "KZ-RU-2020").ok());
  ASSERT_TRUE(accounts().AddAgreement("adam", "RU-UZ-2016").ok());  // twice: no-op
  EXPECT_EQ(accounts().Agreements("adam").value(),
            (std::vector<std::string>{"KZ-RU-2020", "RU-UZ-2016"}));
  EXPECT_EQ(accounts().AddAgreement("nobody", "RU-UZ-2016").code(), StatusCode::kNotFound);
  EXPECT_TRUE(accounts().Agreements("nobody").value().empty());
}

TEST_P(AccountConformance, IdempotencyKeepsTheFirstResponse) {
  EXPECT_FALSE(accounts().GetIdempotent("zoe", "k1").value().has_value());
  std::vector<IdempotencyRecord> first = {{"zoe", "k1", "h1", 201, "{\"a\":1}", "t1"},
                                          {"zoe", "k2", "h2", 201, "{\"b\":2}", "t1"},
                                          {"adam", "k1", "h3", 200, "{}", "t1"}};
  ASSERT_TRUE(accounts().PutIdempotent(first).ok());
  std::vector<IdempotencyRecord> again = {{"zoe", "k1", "other", 500, "late", "t2"},
                                          {"zoe", "k3", "h4", 201, "{}", "t2"}};
  ASSERT_TRUE(accounts().PutIdempotent(again).ok());
  auto k1 = accounts().GetIdempotent("zoe", "k1").value();
  ASSERT_TRUE(k1.has_value());
  EXPECT_EQ(k1->request_hash, "h1");
  EXPECT_EQ(k1->status, 201);
  EXPECT_EQ(k1->body, "{\"a\":1}");
  EXPECT_EQ(k1->created, "t1");
  EXPECT_EQ(accounts().GetIdempotent("adam", "k1").value()->request_hash, "h3");  // per user
  EXPECT_TRUE(accounts().GetIdempotent("zoe", "k3").value().has_value());
  EXPECT_TRUE(accounts().PutIdempotent({}).ok());
}

INSTANTIATE_TEST_SUITE_P(Storage, AccountConformance, ::testing::ValuesIn(Backends()), CaseName);

}  // namespace
}  // namespace accord::storage::conformance
