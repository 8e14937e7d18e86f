// Conformance: storage/entity_store.h, for every backend.
#include <gtest/gtest.h>

#include "storage/conformance/backends.h"
#include "storage/database.h"

namespace accord::storage::conformance {
namespace {

using Leaves = std::vector<std::string>;

using Op = RowCondition::Op;

RowCondition In(std::string column, std::vector<RowValue> values) {
  RowCondition c;
  c.column = std::move(column);
  c.op = Op::kIn;
  c.values = std::move(values);
  return c;
}

const RowTable kFacts = {
    "facts", {{"item", false}, {"seq", true}, {"date", false}, {"n", true}}, 2};

class EntityConformance : public ::testing::TestWithParam<BackendCase> {
 protected:
  void SetUp() override {
    ACCORD_SKIP_UNAVAILABLE_BACKEND();
    locator_ = GetParam().fresh(dir_, "entities");
    auto db = CreateDatabase(locator_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    ASSERT_TRUE(store().EnsureSchema().ok());
    ASSERT_TRUE(store().EnsureSchema().ok());  // idempotent
    ASSERT_TRUE(store().DefineTable(kFacts).ok());
  }
  EntityStore& store() { return db_->entities(); }
  // Runs `fn` in a log write transaction and commits.
  void InTxn(const std::function<void()>& fn) {
    auto txn = db_->log().BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().message();
    fn();
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  void PutFacts() {
    InTxn([&] {
      // Out of key order; one NULL date.
      for (const auto& [item, seq, date, n] :
           std::vector<std::tuple<std::string, int64_t, std::string, int64_t>>{
               {"b", 2, "2020-03-01", 5},
               {"a", 2, "2020-02-01", 3},
               {"b", 1, "", 4},
               {"a", 1, "2020-01-01", 1}}) {
        RowValue d = date.empty() ? RowValue{} : RowValue{date};
        ASSERT_TRUE(store().PutRow("facts", {item, seq, d, n}).ok());
      }
    });
  }
  std::vector<std::vector<RowValue>> Rows(const std::vector<std::string>& columns,
                                          const std::vector<RowCondition>& where) {
    std::vector<std::vector<RowValue>> out;
    auto cursor = store().OpenRows("facts", columns, where);
    EXPECT_TRUE(cursor.ok()) << cursor.status().message();
    if (!cursor.ok()) return out;
    std::vector<RowValue> row;
    while ((*cursor)->Next(row).value()) out.push_back(row);
    return out;
  }
  static std::vector<std::string> Ids(const std::vector<EntityRow>& rows) {
    std::vector<std::string> out;
    for (const EntityRow& r : rows) out.push_back(r.id);
    return out;
  }

  testing::TempDir dir_;
  std::string locator_;
  std::unique_ptr<Database> db_;
};

TEST_P(EntityConformance, PutGetReplaceAndList) {
  EXPECT_FALSE(store().Get("contract", "c1").value().has_value());
  InTxn([&] {
    ASSERT_TRUE(store().Put("contract", "c2", R"({"id":"c2"})", 4).ok());
    ASSERT_TRUE(store().Put("contract", "c1", R"({"id":"c1"})", 3).ok());
    ASSERT_TRUE(store().Put("agreement", "c1", R"({"id":"a"})", 1).ok());
    ASSERT_TRUE(store().Put("contract", "c1", R"({"id":"c1","v":2})", 5).ok());  // replaces
  });
  EXPECT_EQ(store().Get("contract", "c1").value().value(), R"({"id":"c1","v":2})");
  EXPECT_EQ(store().Get("agreement", "c1").value().value(), R"({"id":"a"})");
  std::vector<std::string> ids;
  ASSERT_TRUE(store()
                  .List("contract",
                        [&](std::string_view id, std::string_view) {
                          ids.emplace_back(id);
                          return Status::Ok();
                        })
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"c1", "c2"}));
}

TEST_P(EntityConformance, GetManyAnswersEveryIdInOrder) {
  EXPECT_TRUE(store().GetMany("contract", {}).value().empty());
  std::vector<std::string> ids;
  InTxn([&] {
    // More ids than one round trip carries on a server backend.
    for (int i = 0; i < 600; ++i) {
      std::string id = "c" + std::to_string(i);
      if (i % 3 == 0) {
        ASSERT_TRUE(store().Put("contract", id, "{\"n\":" + std::to_string(i) + "}", 1).ok());
      }
    }
    ASSERT_TRUE(store().Put("agreement", "c1", "{}", 1).ok());  // another kind, same id
  });
  for (int i = 599; i >= 0; --i) ids.push_back("c" + std::to_string(i));
  ids.push_back("c3");  // asked twice
  ids.push_back("it's \"quoted\"");
  auto docs = store().GetMany("contract", ids);
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), ids.size());
  for (size_t k = 0; k < 600; ++k) {
    const int i = 599 - static_cast<int>(k);
    if (i % 3 == 0) {
      EXPECT_EQ((*docs)[k].value_or("absent"), "{\"n\":" + std::to_string(i) + "}") << i;
    } else {
      EXPECT_FALSE((*docs)[k].has_value()) << i;
    }
  }
  EXPECT_EQ((*docs)[600].value_or("absent"), R"({"n":3})");
  EXPECT_FALSE((*docs)[601].has_value());
  // One id: the same answer as Get.
  EXPECT_FALSE(store().GetMany("agreement", {"c2"}).value()[0].has_value());
  EXPECT_EQ(store().GetMany("agreement", {"c1"}).value()[0].value_or("absent"), "{}");
}

TEST_P(EntityConformance, WritesCommitAndRollBackWithTheLog) {
  {
    auto txn = db_->log().BeginWrite().value();
    ASSERT_TRUE(txn->AppendEntries(0, Leaves{"leaf"}).ok());
    ASSERT_TRUE(store().Put("contract", "c1", "{}", 0).ok());
    ASSERT_TRUE(store().IndexEvent({0, "contract.drafted", "contract/c1", "RU", "t", "l"}).ok());
    ASSERT_TRUE(
        store().PutRow("facts", {std::string("a"), int64_t{1}, RowValue{}, int64_t{1}}).ok());
    txn->Rollback();
  }
  EXPECT_FALSE(store().Get("contract", "c1").value().has_value());
  EXPECT_TRUE(store().EventsAbout("contract/c1").value().empty());
  EXPECT_TRUE(Rows({"n"}, {}).empty());
  InTxn([&] { ASSERT_TRUE(store().Put("contract", "c1", "{}", 0).ok()); });
  auto other = OpenDatabase(locator_).value();
  EXPECT_EQ(other->entities().Get("contract", "c1").value().value(), "{}");
}

TEST_P(EntityConformance, EventsAboutASubjectInLogOrder) {
  InTxn([&] {
    ASSERT_TRUE(store().IndexEvent({7, "contract.signed", "contract/c1", "UZ", "t7", "l7"}).ok());
    ASSERT_TRUE(store().IndexEvent({2, "contract.drafted", "contract/c1", "RU", "t2", "l2"}).ok());
    ASSERT_TRUE(store().IndexEvent({5, "agreement.signed", "agreement/a", "RU", "t5", "l5"}).ok());
  });
  auto rows = store().EventsAbout("contract/c1").value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].idx, 2u);
  EXPECT_EQ(rows[0].type, "contract.drafted");
  EXPECT_EQ(rows[0].party, "RU");
  EXPECT_EQ(rows[0].time, "t2");
  EXPECT_EQ(rows[0].logged_at, "l2");
  EXPECT_EQ(rows[1].idx, 7u);
  EXPECT_TRUE(store().EventsAbout("contract/none").value().empty());
}

TEST_P(EntityConformance, KeysetPagesWithDocumentFilters) {
  auto id = [](int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "e%04d", i);
    return std::string(buf);
  };
  InTxn([&] {
    for (int i = 0; i < 40; ++i) {
      std::string doc = "{\"contract\":\"c" + std::to_string(i % 3) +
                        "\",\"lines\":[{\"product\":\"p" + std::to_string(i % 5) +
                        "\"},{\"product\":\"q\"}]}";
      ASSERT_TRUE(store().Put("thing", id(i), doc, static_cast<uint64_t>(i)).ok());
    }
    ASSERT_TRUE(store().Put("other", "a", R"({"contract":"c0"})", 0).ok());
  });
  EXPECT_EQ(Ids(store().ListPage("thing", std::nullopt, {}, 3).value()),
            (std::vector<std::string>{id(0), id(1), id(2)}));
  EXPECT_EQ(Ids(store().ListPage("thing", id(37), {}, 10).value()),
            (std::vector<std::string>{id(38), id(39)}));
  EXPECT_TRUE(store().ListPage("thing", id(39), {}, 10).value().empty());
  auto c1 = store().ListPage("thing", std::nullopt, {{{"$.contract"}, "c1"}}, 100).value();
  EXPECT_EQ(c1.size(), 13u);  // 1, 4, ..., 37
  // Any line's product and the contract, after a cursor: i % 5 == 2 and i % 3 == 1.
  DocFilter p2{{"$.product", "$.lines[*].product"}, "p2"};
  EXPECT_EQ(Ids(store().ListPage("thing", id(7), {p2, {{"$.contract"}, "c1"}}, 100).value()),
            (std::vector<std::string>{id(22), id(37)}));
  EXPECT_EQ(
      store().ListPage("thing", std::nullopt, {{{"$.lines[*].product"}, "q"}}, 100).value().size(),
      40u);
  // Values are values, never SQL.
  for (const char* v : {"' OR 1=1 --", "%", "_", "\"); DROP TABLE entities; --"}) {
    EXPECT_TRUE(store().ListPage("thing", std::nullopt, {{{"$.contract"}, v}}, 100)->empty()) << v;
    EXPECT_TRUE(store().ListPage("thing", std::string(v), {}, 100).ok()) << v;
  }
  // A path must be a JSON path.
  EXPECT_EQ(store().ListPage("thing", std::nullopt, {{{"contract"}, "c1"}}, 1).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(EntityConformance, TypedRowsAsOfCursorsAndSums) {
  PutFacts();
  auto all = Rows({"item", "seq", "date"}, {});
  ASSERT_EQ(all.size(), 4u);  // primary-key order
  EXPECT_EQ(std::get<std::string>(all[0][0]), "a");
  EXPECT_EQ(std::get<int64_t>(all[0][1]), 1);
  EXPECT_EQ(std::get<std::string>(all[1][2]), "2020-02-01");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(all[2][2]));
  // As of a date: the facts dated on or before it.
  auto as_of = Rows({"n"}, {{"date", Op::kLe, std::string("2020-02-15")}});
  ASSERT_EQ(as_of.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(as_of[0][0]), 1);
  EXPECT_EQ(std::get<int64_t>(as_of[1][0]), 3);
  auto dated_b = Rows({"n"}, {{"date", Op::kNotNull, {}}, {"item", Op::kEq, std::string("b")}});
  ASSERT_EQ(dated_b.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(dated_b[0][0]), 5);
  EXPECT_EQ(Rows({"n"}, {{"seq", Op::kGe, int64_t{2}}}).size(), 2u);
  // IN a list: any length (padded by the backend), repeats, none.
  auto in_list = Rows({"n"}, {In("item", {std::string("b"), std::string("zz")})});
  ASSERT_EQ(in_list.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(in_list[0][0]), 4);
  EXPECT_EQ(std::get<int64_t>(in_list[1][0]), 5);
  EXPECT_EQ(Rows({"n"}, {In("seq", {int64_t{1}, int64_t{2}, int64_t{1}}),
                         {"item", Op::kEq, std::string("a")}})
                .size(),
            2u);
  EXPECT_TRUE(Rows({"n"}, {In("item", {})}).empty());
  std::vector<RowValue> many;
  for (int i = 0; i < 301; ++i) many.push_back(i == 150 ? "a" : "x" + std::to_string(i));
  EXPECT_EQ(Rows({"n"}, {In("item", many)}).size(), 2u);
  // Two cursors at once, e.g. to merge tables ordered by the same key.
  auto first = store().OpenRows("facts", {"item"}, {}).value();
  auto second = store().OpenRows("facts", {"seq"}, {}).value();
  std::vector<RowValue> a, b;
  int steps = 0;
  while (first->Next(a).value() && second->Next(b).value()) ++steps;
  EXPECT_EQ(steps, 4);
  // Replacing by primary key.
  InTxn([&] {
    ASSERT_TRUE(
        store().PutRow("facts", {std::string("a"), int64_t{1}, RowValue{}, int64_t{10}}).ok());
  });
  std::vector<RowGroup> groups;
  ASSERT_TRUE(store()
                  .SumRows("facts", {"item"}, "n", {},
                           [&](const RowGroup& g) {
                             groups.push_back(g);
                             return Status::Ok();
                           })
                  .ok());
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(std::get<std::string>(groups[0].keys[0]), "a");
  EXPECT_EQ(groups[0].sum, 13);
  EXPECT_EQ(groups[0].rows, 2);
  EXPECT_EQ(groups[1].sum, 9);
  // Unknown names are refused, never spliced into a query.
  EXPECT_EQ(store().OpenRows("nope", {"item"}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store().OpenRows("facts", {"item; DROP TABLE facts"}, {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().OpenRows("facts", {"item"}, {{"zzz", Op::kEq, int64_t{1}}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().PutRow("nope", {int64_t{1}}).code(), StatusCode::kInvalidArgument);
}

TEST_P(EntityConformance, ClearAndDigest) {
  std::string empty = store().Digest().value();
  EXPECT_EQ(empty.size(), 64u);
  PutFacts();
  InTxn([&] {
    ASSERT_TRUE(store().Put("contract", "c1", "{}", 1).ok());
    ASSERT_TRUE(store().IndexEvent({1, "contract.drafted", "contract/c1", "RU", "t", "l"}).ok());
  });
  std::string full = store().Digest().value();
  EXPECT_NE(full, empty);
  // The same content written in another order into another database digests
  // alike: the digest is of content, not of history or backend.
  auto twin = CreateDatabase(GetParam().fresh(dir_, "twin")).value();
  EntityStore& t = twin->entities();
  ASSERT_TRUE(t.EnsureSchema().ok());
  ASSERT_TRUE(t.DefineTable(kFacts).ok());
  {
    auto txn = twin->log().BeginWrite().value();
    ASSERT_TRUE(t.IndexEvent({1, "contract.drafted", "contract/c1", "RU", "t", "l"}).ok());
    ASSERT_TRUE(t.Put("contract", "c1", "{}", 1).ok());
    for (const auto& row : std::vector<std::vector<RowValue>>{
             {std::string("a"), int64_t{1}, std::string("2020-01-01"), int64_t{1}},
             {std::string("b"), int64_t{1}, RowValue{}, int64_t{4}},
             {std::string("a"), int64_t{2}, std::string("2020-02-01"), int64_t{3}},
             {std::string("b"), int64_t{2}, std::string("2020-03-01"), int64_t{5}}}) {
      ASSERT_TRUE(t.PutRow("facts", row).ok());
    }
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(t.Digest().value(), full);
  // A NULL is not an empty string.
  {
    auto txn = twin->log().BeginWrite().value();
    ASSERT_TRUE(
        t.PutRow("facts", {std::string("b"), int64_t{1}, std::string(""), int64_t{4}}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_NE(t.Digest().value(), full);
  InTxn([&] { ASSERT_TRUE(store().Clear().ok()); });
  EXPECT_FALSE(store().Get("contract", "c1").value().has_value());
  EXPECT_TRUE(Rows({"n"}, {}).empty());
  EXPECT_EQ(store().Digest().value(), empty);
}

INSTANTIATE_TEST_SUITE_P(Storage, EntityConformance, ::testing::ValuesIn(Backends()), CaseName);

}  // namespace
}  // namespace accord::storage::conformance
