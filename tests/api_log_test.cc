// The HTTP API's log routes: checkpoint and proofs (the same as the CLI's),
// entries with their range and cap, entries withheld per caller, and the
// history of one subject.
#include "api_test_util.h"

namespace accord::testing {
namespace {

class ApiLogTest : public ApiServerParamTest {};
ACCORD_API_ON_EVERY_BACKEND(ApiLogTest);

TEST_P(ApiLogTest, CheckpointAndProofsMatchTheCli) {
  auto r = s_->Get("observer", "/v1/log/checkpoint");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_EQ(r->body, Accord({"log", "checkpoint", "--db", s_->db}).out);

  r = s_->Get("auditor", "/v1/log/proof/inclusion?index=3&size=50");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(
      json::parse(r->body),
      json::parse(Accord({"log", "prove", "--db", s_->db, "--index", "3", "--size", "50"}).out));
  r = s_->Get("auditor", "/v1/log/proof/consistency?from=7&to=60");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(
      json::parse(r->body),
      json::parse(Accord({"log", "consistency", "--db", s_->db, "--from", "7", "--to", "60"}).out));
  // The CLI verifies what the API serves.
  fs::path proof = s_->dir / "proof.json";
  WriteFile(proof, r->body);
  EXPECT_EQ(Accord({"log", "verify-proof", proof}).exit_code, 0);

  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?index=50&size=50"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?size=5"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?index=-1"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/inclusion?index=1&size=99999999"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/consistency?from=0&to=5"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/consistency?from=6&to=5"), 400);
  ExpectError(s_->Get("auditor", "/v1/log/proof/consistency?from=1&to=1e3"), 400);
}

TEST_P(ApiLogTest, LogEntriesWithRangeAndCap) {
  auto r = s_->Get("ru-officer", "/v1/log/entries?start=2&end=5");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  ASSERT_EQ(j["entries"].size(), 3u);
  EXPECT_EQ(j["entries"][0]["index"], 2);
  // Each leaf is the exact canonical text: it parses as a leaf.
  EXPECT_TRUE(domain::ParseLeaf(j["entries"][0]["leaf"].get<std::string>()).ok());
  r = s_->Get("ru-officer", "/v1/log/entries");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["start"], 0);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=5&end=2"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=0&end=100000"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=abc"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?start=1&start=2"), 400);
  ExpectError(s_->Get("ru-officer", "/v1/log/entries?bogus=1"), 400);
}

TEST_P(ApiLogTest, LogEntriesWithholdWhatTheCallerMayNotRead) {
  auto all = s_->Get("admin", "/v1/log/entries?start=0");
  ASSERT_EQ(all->status, 200) << all->body;
  json admin = json::parse(all->body)["entries"];
  // Index of an event about a contract of RU-UZ-2016-MTC, of one under
  // RU-UZ-1992 and of a consultation under RU-UZ-2005.
  auto find = [&](const std::string& subject) -> int64_t {
    for (const json& e : admin) {
      auto leaf = domain::ParseLeaf(e["leaf"].get<std::string>());
      EXPECT_TRUE(leaf.ok());
      if (leaf->event["subject"] == subject) return e["index"];
    }
    return -1;
  };
  int64_t mtc = find("contract/RU-UZ-2018-001"), old = find("contract/RU-UZ-2001-001"),
          consult = find("consultation/C-2016-01"), party = find("party/UZ");
  ASSERT_GE(mtc, 0);
  ASSERT_GE(old, 0);
  ASSERT_GE(consult, 0);
  ASSERT_GE(party, 0);
  struct Cell {
    std::string user;
    bool mtc, old, consult, party;
  };
  const Cell cells[] = {
      {"ru-officer", true, true, true, true},    {"uz-officer", true, true, true, true},
      {"kz-officer", false, false, false, true}, {"ru-inspector", true, true, true, true},
      {"auditor", true, false, false, true},     {"auditor-none", false, false, false, true},
      {"admin", true, true, true, true},
  };
  for (const Cell& c : cells) {
    SCOPED_TRACE(c.user);
    auto r = s_->Get(c.user, "/v1/log/entries?start=0");
    ASSERT_EQ(r->status, 200) << r->body;
    json entries = json::parse(r->body)["entries"];
    ASSERT_EQ(entries.size(), admin.size());
    for (auto [index, visible] : {std::pair{mtc, c.mtc}, std::pair{old, c.old},
                                  std::pair{consult, c.consult}, std::pair{party, c.party}}) {
      const json& e = entries[index];
      EXPECT_EQ(e["index"], index);
      // The leaf hash is always there and is the one proofs use.
      EXPECT_EQ(e["leaf_hash"], admin[index]["leaf_hash"]);
      EXPECT_EQ(e.contains("leaf"), visible) << index;
      EXPECT_EQ(e.value("withheld", false), !visible) << index;
    }
  }
  // The withheld entry's hash is the leaf hash of its inclusion proof.
  auto proof = s_->Get("kz-officer", "/v1/log/proof/inclusion?index=" + std::to_string(mtc));
  ASSERT_EQ(proof->status, 200);
  json kz = json::parse(s_->Get("kz-officer", "/v1/log/entries?start=0")->body);
  EXPECT_EQ(json::parse(proof->body)["leafHash"], kz["entries"][mtc]["leaf_hash"]);
  ExpectError(s_->Get("observer", "/v1/log/entries?start=0&end=1"), 403, "forbidden");
}

TEST_P(ApiLogTest, HistoryOfOneSubjectFromTheLog) {
  // The events whose subject is the 2018 R-73 inspection: scheduled, access
  // requested, answered (late), completed.
  auto r = s_->Get("uz-officer", "/v1/log/history?subject=inspection/EUM-2018-R73");
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["more"], false);
  ASSERT_EQ(j["entries"].size(), 4u);
  uint64_t last = 0;
  for (const json& e : j["entries"]) {
    ASSERT_TRUE(e.contains("leaf")) << e.dump();
    EXPECT_GT(e["index"].get<uint64_t>(), last);
    last = e["index"];
    json leaf = json::parse(e["leaf"].get<std::string>());
    EXPECT_EQ(leaf["e"]["subject"], "inspection/EUM-2018-R73");
  }
  // The same entries as /v1/log/entries gives for those indexes.
  uint64_t first = j["entries"][0]["index"];
  json one = json::parse(s_->Get("uz-officer", "/v1/log/entries?start=" + std::to_string(first) +
                                                   "&end=" + std::to_string(first + 1))
                             ->body);
  EXPECT_EQ(one["entries"][0], j["entries"][0]);
  // Paging with after.
  json rest =
      json::parse(s_->Get("uz-officer", "/v1/log/history?subject=inspection/EUM-2018-R73&after=" +
                                            std::to_string(first))
                      ->body);
  EXPECT_EQ(rest["entries"].size(), 3u);
  // KZ may read none of them: the history of a subject it may not read is
  // empty, as that of a subject that does not exist (no existence oracle).
  json kz =
      json::parse(s_->Get("kz-officer", "/v1/log/history?subject=inspection/EUM-2018-R73")->body);
  EXPECT_TRUE(kz["entries"].empty()) << kz.dump();
  EXPECT_EQ(kz["more"], false);
  EXPECT_TRUE(json::parse(s_->Get("admin", "/v1/log/history?subject=item/nope/X")->body)["entries"]
                  .empty());
  ExpectError(s_->Get("observer", "/v1/log/history?subject=contract/RU-UZ-2018-001"), 403);
  ExpectError(s_->Get("admin", "/v1/log/history"), 400);
  ExpectError(s_->Get("admin", "/v1/log/history?subject=nokind"), 400);
  ExpectError(s_->Get("admin", "/v1/log/history?subject=item/x&after=-1"), 400);
}

}  // namespace
}  // namespace accord::testing
