// The HTTP API's POST /v1/events: one event and NDJSON batches, bad input
// (each a 4xx with a JSON error and the log size unchanged), idempotency,
// group commit under concurrent writers, and what inspectors may record.
#include "api_test_util.h"

namespace accord::testing {
namespace {

class ApiEventTest : public ApiServerParamTest {};
ACCORD_API_ON_EVERY_BACKEND(ApiEventTest);

TEST_P(ApiEventTest, RecordsOneEventAndNdjsonBatches) {
  uint64_t before = LogSize(s_->db);
  auto r = s_->Post("ru-officer", BodyEvent("RU", "rec-1"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json j = json::parse(r->body);
  ASSERT_EQ(j["recorded"].size(), 1u);
  EXPECT_EQ(j["recorded"][0]["index"], before);
  EXPECT_EQ(j["recorded"][0]["subject"], "body/rec-1");
  // Readable right after the acknowledgement.
  EXPECT_EQ(s_->Get("ru-officer", "/v1/bodies/rec-1")->status, 200);

  std::string batch = BodyEvent("RU", "rec-2") + "\n\n" + BodyEvent("RU", "rec-3") + "\r\n";
  r = s_->Post("ru-officer", batch, "application/x-ndjson");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(json::parse(r->body)["recorded"].size(), 2u);

  // A pre-signed event (the client's own key) is verified and recorded.
  auto key = note::Signer::Parse(ReadFile(s_->dir / "d.keys/ru.skey"));
  ASSERT_TRUE(key.ok());
  json e = json::parse(BodyEvent("RU", "rec-4"));
  auto msg = domain::SigningMessage(e);
  e["key"] = domain::KeyIdHex(key->key_id());
  e["sig"] = Base64Encode(key->Sign(*msg));
  r = s_->Post("ru-officer", e.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(LogSize(s_->db), before + 4);
  EXPECT_EQ(Accord({"verify", "--db", s_->db}).exit_code, 0);
}

TEST_P(ApiEventTest, BadInputIs4xxAndAppendsNothing) {
  uint64_t before = LogSize(s_->db);
  std::string good = BodyEvent("RU", "bad-0");
  json wrong_type = json::parse(good);
  wrong_type["v"] = "1";
  json unknown_field = json::parse(good);
  unknown_field["extra"] = 1;
  json unknown_body_field = json::parse(good);
  unknown_body_field["body"]["colour"] = "red";
  json bad_sig = json::parse(good);
  auto ru_key = note::Signer::Parse(ReadFile(s_->dir / "d.keys/ru.skey"));
  ASSERT_TRUE(ru_key.ok());
  bad_sig["key"] = domain::KeyIdHex(ru_key->key_id());
  bad_sig["sig"] = Base64Encode(std::string(64, 'x'));
  json half_signed = json::parse(good);
  half_signed["sig"] = Base64Encode(std::string(64, 'x'));
  json rule_refused = json::parse(BodyEvent("RU", "bad-1"));
  rule_refused["body"]["kind"] = "spaceship";
  std::string invalid_utf8 = good;
  invalid_utf8.replace(invalid_utf8.find("Plant"), 5, "Pl\xff\xfe");
  struct Case {
    std::string name, body, ctype;
    int status;
  };
  std::vector<Case> cases = {
      {"malformed JSON", "{\"v\":1,", "application/json", 400},
      {"empty body", "", "application/json", 400},
      {"array", "[1,2]", "application/json", 400},
      {"wrong type", wrong_type.dump(), "application/json", 400},
      {"unknown field", unknown_field.dump(), "application/json", 400},
      {"unknown body field", unknown_body_field.dump(), "application/json", 400},
      {"float", std::string(good).replace(good.find("\"v\":1"), 5, "\"v\":1.5"), "application/json",
       400},
      {"duplicate key", "{\"v\":1,\"v\":1}", "application/json", 400},
      {"invalid UTF-8", invalid_utf8, "application/json", 400},
      {"bad signature", bad_sig.dump(), "application/json", 400},
      {"half signed", half_signed.dump(), "application/json", 400},
      {"rule refused", rule_refused.dump(), "application/json", 400},
      {"batch with one bad line", good + "\n{\"v\":\n", "application/x-ndjson", 400},
      {"batch with one refused event", good + "\n" + rule_refused.dump() + "\n",
       "application/x-ndjson", 400},
      {"form body", "a=b", "application/x-www-form-urlencoded", 415},
      {"oversized", std::string(100 << 10, ' ') + good, "application/json", 413},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = s_->Post("ru-officer", c.body, c.ctype);
    ASSERT_TRUE(r);
    if (c.name == "rule refused" || c.name == "batch with one refused event") {
      EXPECT_TRUE(r->status == 400 || r->status == 422) << r->status << " " << r->body;
      ExpectError(r, r->status);
    } else {
      ExpectError(r, c.status);
    }
    EXPECT_EQ(LogSize(s_->db), before);
  }
  // A refused line is named.
  auto r = s_->Post("ru-officer", good + "\n{\"v\":\n", "application/x-ndjson");
  EXPECT_NE(r->body.find("line 2"), std::string::npos) << r->body;
  // Unknown routes and methods are JSON errors too.
  ExpectError(s_->Get("ru-officer", "/v1/nothing/here/at/all"), 404);
  ExpectError(s_->Client().Delete("/v1/events"), 404);
}

// Issue #14, Medium 4: the same signed event POSTed three times appended
// three times.
TEST_P(ApiEventTest, AReplayedEventIs409NamingItsIndex) {
  auto key = note::Signer::Parse(ReadFile(s_->dir / "d.keys/ru.skey"));
  ASSERT_TRUE(key.ok());
  json e = json::parse(BodyEvent("RU", "replay-1"));
  auto msg = domain::SigningMessage(e);
  e["key"] = domain::KeyIdHex(key->key_id());
  e["sig"] = Base64Encode(key->Sign(*msg));
  auto first = s_->Post("ru-officer", e.dump());
  ASSERT_EQ(first->status, 201) << first->body;
  uint64_t index = json::parse(first->body)["recorded"][0]["index"];
  uint64_t size = LogSize(s_->db);
  for (int i = 0; i < 2; ++i) {
    auto again = s_->Post("ru-officer", e.dump());
    ExpectError(again, 409, "already_exists");
    EXPECT_NE(again->body.find("already in the log at index " + std::to_string(index)),
              std::string::npos)
        << again->body;
  }
  // Unsigned, the node signs the same content with the same key: a replay too.
  e.erase("key");
  e.erase("sig");
  ExpectError(s_->Post("ru-officer", e.dump()), 409, "already_exists");
  // Twice in one NDJSON body.
  std::string other = BodyEvent("RU", "replay-2");
  auto r = s_->Post("ru-officer", other + "\n" + other + "\n", "application/x-ndjson");
  ExpectError(r, 409, "already_exists");
  EXPECT_NE(r->body.find("line 2: this event repeats line 1"), std::string::npos) << r->body;
  EXPECT_EQ(LogSize(s_->db), size);
  // An Idempotency-Key retry still gets the first answer, not a 409.
  std::string ev = BodyEvent("RU", "replay-3");
  auto a = s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "replay-3"}});
  ASSERT_EQ(a->status, 201) << a->body;
  auto b = s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "replay-3"}});
  EXPECT_EQ(b->status, 201) << b->body;
  EXPECT_EQ(b->get_header_value("Idempotent-Replayed"), "true");
}

TEST_P(ApiEventTest, IdempotencyKeyDoesNotAppendTwice) {
  uint64_t before = LogSize(s_->db);
  std::string ev = BodyEvent("RU", "idem-1");
  auto a = s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "abc-1"}});
  ASSERT_EQ(a->status, 201) << a->body;
  auto b = s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "abc-1"}});
  ASSERT_EQ(b->status, 201) << b->body;
  EXPECT_EQ(b->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(json::parse(a->body), json::parse(b->body));
  EXPECT_EQ(LogSize(s_->db), before + 1);
  // Same key, different request.
  auto c = s_->Post("ru-officer", BodyEvent("RU", "idem-2"), "application/json",
                    {{"Idempotency-Key", "abc-1"}});
  ExpectError(c, 422);
  ExpectError(s_->Post("ru-officer", ev, "application/json", {{"Idempotency-Key", "bad key!"}}),
              400);
  // Concurrent retries of one key append once.
  std::string ev3 = BodyEvent("RU", "idem-3");
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = s_->Post("ru-officer", ev3, "application/json", {{"Idempotency-Key", "abc-3"}});
      if (r && r->status == 201) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 8);
  EXPECT_EQ(LogSize(s_->db), before + 2);
}

TEST_P(ApiEventTest, ConcurrentWritesAreGroupCommitted) {
  uint64_t before = LogSize(s_->db);
  int64_t checkpoints_before = CheckpointCount(s_->db);
  constexpr int kClients = 16, kEach = 8;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<uint64_t> indexes;
  std::atomic<int> failures{0};
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto cli = s_->Client();
      for (int i = 0; i < kEach; ++i) {
        std::string id = "gc-" + std::to_string(c) + "-" + std::to_string(i);
        // Every fourth request of client 0 is refused: the others still commit.
        std::string ev =
            (c == 0 && i % 4 == 0) ? BodyEvent("RU", id, "body.exploded") : BodyEvent("RU", id);
        auto r = cli.Post("/v1/events", s_->Auth("ru-officer"), ev, "application/json");
        if (!r) {
          ++failures;
          continue;
        }
        if (c == 0 && i % 4 == 0) {
          if (r->status < 400 || r->status >= 500) ++failures;
          continue;
        }
        if (r->status != 201) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        indexes.insert(json::parse(r->body)["recorded"][0]["index"].get<uint64_t>());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  constexpr int kRefused = 2;
  EXPECT_EQ(indexes.size(), static_cast<size_t>(kClients * kEach - kRefused));
  EXPECT_EQ(LogSize(s_->db), before + kClients * kEach - kRefused);
  int64_t batches = CheckpointCount(s_->db) - checkpoints_before;
  std::cout << "[ group commit ] " << (kClients * kEach - kRefused) << " writes in " << batches
            << " batches\n";
  EXPECT_LT(batches, kClients * kEach - kRefused);
  EXPECT_EQ(Accord({"verify", "--db", s_->db}).exit_code, 0);
}

TEST_P(ApiEventTest, InspectorsRecordMonitoringEventsOfTheirParty) {
  uint64_t before = LogSize(s_->db);
  json e = {{"v", 1},
            {"type", "inspection.scheduled"},
            {"time", "2026-11-20T00:00:00Z"},
            {"party", "RU"},
            {"actor", "ru-mod/eum"},
            {"subject", "inspection/API-1"},
            {"body",
             {{"agreement", "RU-UZ-2005"},
              {"recipient", "UZ"},
              {"kind", "routine"},
              {"scope", {{"units", {"uz-air-force"}}}},
              {"planned_date", "2026-12-20"},
              {"team_size", 2}}}};
  auto r = s_->Post("ru-inspector", e.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  // A refused one (UZ does not inspect its own items) appends nothing.
  e["subject"] = "inspection/API-2";
  e["party"] = "UZ";
  ExpectError(s_->Post("uz-officer", e.dump()), 422);
  // Inspectors record monitoring events only.
  ExpectError(s_->Post("ru-inspector", BodyEvent("RU", "insp-body")), 403, "forbidden");
  EXPECT_EQ(LogSize(s_->db), before + 1);
}

}  // namespace
}  // namespace accord::testing
