#include "registry/registry.h"

#include <gtest/gtest.h>

#include <map>

#include "domain/envelope.h"
#include "registry/demo.h"
#include "registry/dry_run.h"
#include "storage/conformance/backends.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::registry {
namespace {

using nlohmann::json;
using storage::conformance::BackendCase;

// A registry at Locator(): a SQLite file unless a subclass says otherwise.
class RegistryFixture : public ::testing::Test {
 protected:
  virtual std::string Locator() { return dir_ / "reg.db"; }
  void SetUp() override {
    db_ = Locator();
    testing::WriteFile(dir_ / "node.skey", node_.Encode() + "\n");
    ASSERT_TRUE(Registry::Create(db_, "test.accord/registry", node_, dir_ / "node.skey").ok());
    Options opt;
    opt.clock = [] { return int64_t{1800000000}; };  // 2027-01-15
    reg_ = Registry::Open(db_, true, opt).value();
  }

  // Records events given as JSON objects (the envelope defaults filled in).
  Result<RecordResult> Rec(std::vector<json> events, const note::Signer* signer,
                           bool keep_going = false) {
    std::vector<Submission> items;
    size_t line = 0;
    for (json& e : events) {
      if (!e.contains("v")) e["v"] = 1;
      if (!e.contains("actor")) e["actor"] = "test/actor";
      if (!e.contains("time")) e["time"] = "2017-06-01T00:00:00Z";
      auto sub = ParseSubmission(e.dump(), ++line);
      if (!sub.ok()) return sub.status().WithContext(LineContext(line));
      items.push_back(std::move(sub).value());
    }
    return reg_->Record(items, signer, keep_going);
  }
  // The same events, dry-run (at the fixture's clock).
  Result<DryRunResult> Dry(std::vector<json> events, const note::Signer* signer) {
    std::vector<Submission> items;
    size_t line = 0;
    for (json& e : events) {
      if (!e.contains("v")) e["v"] = 1;
      if (!e.contains("actor")) e["actor"] = "test/actor";
      if (!e.contains("time")) e["time"] = "2017-06-01T00:00:00Z";
      auto sub = ParseSubmission(e.dump(), ++line);
      if (!sub.ok()) return sub.status().WithContext(LineContext(line));
      items.push_back(std::move(sub).value());
    }
    return DryRun(*reg_, items, signer, 1800000000);
  }

  // The registry's parties RU and UZ with their keys.
  void SetUpParties() {
    auto r = Rec({{{"type", "party.registered"},
                   {"party", "registry"},
                   {"subject", "party/RU"},
                   {"body", {{"name", "Russian Federation"}}}},
                  {{"type", "party.registered"},
                   {"party", "registry"},
                   {"subject", "party/UZ"},
                   {"body", {{"name", "Uzbekistan"}}}},
                  {{"type", "party.key_registered"},
                   {"party", "registry"},
                   {"subject", "party/RU"},
                   {"body", {{"vkey", ru_.Verifier().Encode()}, {"valid_from", "2000-01-01"}}}},
                  {{"type", "party.key_registered"},
                   {"party", "registry"},
                   {"subject", "party/UZ"},
                   {"body", {{"vkey", uz_.Verifier().Encode()}, {"valid_from", "2000-01-01"}}}}},
                 &node_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  json Body(const std::string& id, const std::string& party) {
    return {{"type", "body.registered"},
            {"party", party},
            {"subject", "body/" + id},
            {"body", {{"party", party}, {"kind", "ministry_of_defence"}, {"name", id}}}};
  }

  uint64_t Size() { return reg_->log().Size().value(); }

  testing::TempDir dir_;
  std::string db_;
  note::Signer node_ = note::Signer::Generate("test.accord/registry");
  note::Signer ru_ = note::Signer::Generate("ru.test/mod");
  note::Signer uz_ = note::Signer::Generate("uz.test/mod");
  std::unique_ptr<Registry> reg_;
};

// The registry's behaviour, on every storage backend.
class RegistryTest : public RegistryFixture, public ::testing::WithParamInterface<BackendCase> {
 protected:
  std::string Locator() override { return GetParam().fresh(dir_, "reg"); }
  void SetUp() override {
    ACCORD_SKIP_UNAVAILABLE_BACKEND();
    RegistryFixture::SetUp();
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, RegistryTest,
                         ::testing::ValuesIn(storage::conformance::Backends()),
                         storage::conformance::CaseName);

// Tampering done behind the registry's back with SQL on the SQLite file.
class RegistrySqliteTest : public RegistryFixture {};

TEST_P(RegistryTest, RecordsSignedEventsAndProjectsThem) {
  SetUpParties();
  EXPECT_EQ(Size(), 4u);
  auto ru = reg_->Get("party", "RU").value();
  ASSERT_TRUE(ru.has_value());
  EXPECT_EQ((*ru)["keys"][0]["id"], domain::KeyIdHex(ru_.key_id()));
  auto r = Rec({Body("ru-mod", "RU")}, &ru_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->recorded.size(), 1u);
  EXPECT_EQ(r->recorded[0].index, 4u);
  // The leaf is the canonical {"e","k","s","t"} and its signature verifies.
  auto ev = reg_->EventAt(4).value();
  EXPECT_EQ(ev["key"], domain::KeyIdHex(ru_.key_id()));
  EXPECT_EQ(ev["logged_at"], "2027-01-15T08:00:00Z");
  EXPECT_EQ(reg_->History("body/ru-mod").value().size(), 1u);
  EXPECT_TRUE(reg_->log().Verify({}).ok());
}

TEST_P(RegistryTest, AReplayedEventAppendsNothingAndNamesItsIndex) {
  SetUpParties();
  ASSERT_TRUE(Rec({Body("ru-mod", "RU")}, &ru_).ok());
  uint64_t size = Size();
  // The same content again, unsigned (signed again by the same key: the
  // same bytes) or pre-signed: refused, naming index 4.
  for (int round = 0; round < 2; ++round) {
    auto r = Rec({Body("ru-mod", "RU")}, &ru_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists) << r.status().ToString();
    EXPECT_NE(r.status().message().find("already in the log at index 4"), std::string::npos)
        << r.status().message();
    EXPECT_EQ(Size(), size);
  }
  // Twice in one input: the second names the first's line; with
  // keep_going the first is recorded and the second refused.
  json other = Body("ru-mod-2", "RU");
  auto r = Rec({other, other}, &ru_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2: this event repeats line 1"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(Size(), size);
  r = Rec({other, other}, &ru_, /*keep_going=*/true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded.size(), 1u);
  ASSERT_EQ(r->refused.size(), 1u);
  EXPECT_EQ(r->refused[0].line, 2u);
  EXPECT_EQ(Size(), size + 1);
  // The index is a projection: rebuilt from the log, and checked.
  EXPECT_TRUE(reg_->CheckProjections().ok());
  std::string digest = reg_->Digest().value();
  ASSERT_TRUE(reg_->Rebuild().ok());
  EXPECT_EQ(reg_->Digest().value(), digest);
  r = Rec({Body("ru-mod", "RU")}, &ru_);
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  // A different event (another time) is not a replay.
  json later = Body("ru-mod-3", "RU");
  ASSERT_TRUE(Rec({later}, &ru_).ok());
}

// Record reads what it checks ahead, a window of events at a time (one
// query per table on a server backend); the answers must be those of
// reading one event at a time, in every window of a long input.
TEST_P(RegistryTest, ReplaysAndExistingSubjectsAreFoundInEveryReadAheadWindow) {
  SetUpParties();
  const uint64_t base = Size();
  std::vector<json> first;
  for (int i = 0; i < 600; ++i) first.push_back(Body("b" + std::to_string(i), "RU"));
  auto r = Rec(first, &ru_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->recorded.size(), 600u);
  std::vector<json> second;
  for (int i = 0; i < 700; ++i) second.push_back(Body("n" + std::to_string(i), "RU"));
  second[10] = first[3];  // replays, in the first, second and third window
  second[300] = first[299];
  second[650] = first[598];
  second[500] = second[20];  // a repeat within the input
  json existing = Body("b7", "RU");
  existing["time"] = "2017-06-02T00:00:00Z";  // not a replay: a new event about b7
  second[400] = existing;
  r = Rec(second, &ru_, /*keep_going=*/true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded.size(), 695u);
  std::map<size_t, std::string> refused;
  for (const auto& f : r->refused) refused[f.line] = f.status.ToString();
  ASSERT_EQ(refused.size(), 5u);
  EXPECT_NE(refused[11].find("already in the log at index " + std::to_string(base + 3)),
            std::string::npos)
      << refused[11];
  EXPECT_NE(refused[301].find("at index " + std::to_string(base + 299)), std::string::npos);
  EXPECT_NE(refused[651].find("at index " + std::to_string(base + 598)), std::string::npos);
  EXPECT_NE(refused[501].find("repeats line 21"), std::string::npos) << refused[501];
  EXPECT_NE(refused[401].find("b7"), std::string::npos) << refused[401];
  EXPECT_EQ(Size(), base + 600 + 695);
  EXPECT_TRUE(reg_->CheckProjections().ok());
}

TEST_P(RegistryTest, AStreamIsAllOrNothingUnlessKeepGoing) {
  SetUpParties();
  uint64_t before = Size();
  std::string cp = reg_->log().Checkpoint().value();
  json bad = Body("ru-x", "RU");
  bad["body"]["kind"] = "navy";  // not a body kind
  auto r = Rec({Body("ru-mod", "RU"), bad, Body("ru-fsvts", "RU")}, &ru_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("body.kind"), std::string::npos) << r.status().message();
  EXPECT_EQ(Size(), before);
  EXPECT_EQ(reg_->log().Checkpoint().value(), cp);
  EXPECT_FALSE(reg_->Get("body", "ru-mod").value().has_value());

  auto kept = Rec({Body("ru-mod", "RU"), bad, Body("ru-fsvts", "RU")}, &ru_, /*keep_going=*/true);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->recorded.size(), 2u);
  ASSERT_EQ(kept->refused.size(), 1u);
  EXPECT_EQ(kept->refused[0].line, 2u);
  EXPECT_EQ(Size(), before + 2);
}

TEST_P(RegistryTest, ADryRunPredictsRecordAndWritesNothing) {
  SetUpParties();
  const uint64_t before = Size();
  const std::string cp = reg_->log().Checkpoint().value();
  const std::string digest = reg_->Digest().value();
  json bad = Body("ru-x", "RU");
  bad["body"]["kind"] = "navy";
  json again = Body("ru-mod", "RU");
  again["time"] = "2017-06-02T00:00:00Z";
  // Each refusal is Record's, word for word.
  for (const std::vector<json>& events :
       std::vector<std::vector<json>>{{Body("ru-mod", "RU"), bad}, {Body("ru-mod", "RU"), again}}) {
    auto dry = Dry(events, &ru_);
    auto real = Rec(events, &ru_);
    ASSERT_FALSE(dry.ok());
    ASSERT_FALSE(real.ok());
    EXPECT_EQ(dry.status().ToString(), real.status().ToString());
  }
  auto ok = Dry({Body("ru-mod", "RU"), Body("ru-fsvts", "RU")}, &ru_);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->events.size(), 2u);
  EXPECT_EQ(ok->events[1].event.index, before + 1);
  EXPECT_EQ(ok->events[0].event.subject, "body/ru-mod");
  ASSERT_EQ(ok->events[0].changes.size(), 1u);
  EXPECT_EQ(ok->events[0].changes[0].doc["name"], "ru-mod");
  EXPECT_EQ(Size(), before);
  EXPECT_EQ(reg_->log().Checkpoint().value(), cp);
  EXPECT_EQ(reg_->Digest().value(), digest);
  EXPECT_FALSE(reg_->Get("body", "ru-mod").value().has_value());
  // What it predicted is what Record then does; after it, a dry run of the
  // same event is the replay refusal.
  auto rec = Rec({Body("ru-mod", "RU"), Body("ru-fsvts", "RU")}, &ru_);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->recorded[1].index, ok->events[1].event.index);
  EXPECT_EQ(reg_->Get("body", "ru-mod").value().value(), ok->events[0].changes[0].doc);
  auto replay = Dry({Body("ru-mod", "RU")}, &ru_);
  EXPECT_EQ(replay.status().code(), StatusCode::kAlreadyExists);
}

TEST_P(RegistryTest, LaterEventsOfAStreamSeeEarlierOnes) {
  SetUpParties();
  // Registering a body twice in one stream: the second sees the first.
  json again = Body("ru-mod", "RU");
  again["time"] = "2017-06-02T00:00:00Z";  // not a replay: other signed content
  auto r = Rec({Body("ru-mod", "RU"), again}, &ru_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("body.unique"), std::string::npos) << r.status().message();
}

TEST_P(RegistryTest, SignatureRules) {
  SetUpParties();
  // A party's key may not sign for another party.
  auto r = Rec({Body("uz-mod", "UZ")}, &ru_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("signature.key_of_party"), std::string::npos)
      << r.status().message();
  // An unknown key.
  note::Signer stranger = note::Signer::Generate("x.test/k");
  EXPECT_FALSE(Rec({Body("ru-mod", "RU")}, &stranger).ok());
  // A registry event needs the node's key.
  r = Rec({{{"type", "party.registered"},
            {"party", "registry"},
            {"subject", "party/KZ"},
            {"body", {{"name", "Kazakhstan"}}}}},
          &ru_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("signature.registry_key"), std::string::npos);
  // No key at all.
  EXPECT_FALSE(Rec({Body("ru-mod", "RU")}, nullptr).ok());
  EXPECT_EQ(Size(), 4u);
}

TEST_P(RegistryTest, PresignedEventsAreVerifiedNotResigned) {
  SetUpParties();
  json e = Body("ru-mod", "RU");
  e["v"] = 1;
  e["actor"] = "ru/officer";
  e["time"] = "2017-06-01T00:00:00Z";
  std::string message = domain::SigningMessage(e).value();
  json signed_e = e;
  signed_e["key"] = domain::KeyIdHex(ru_.key_id());
  signed_e["sig"] = Base64Encode(ru_.Sign(message));
  // A bad signature is refused.
  json forged = signed_e;
  forged["body"]["name"] = "changed after signing";
  auto r = reg_->Record({ParseSubmission(forged.dump(), 1).value()}, nullptr, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kVerificationFailed);
  // The genuine one is accepted without any signer, and its signature kept.
  r = reg_->Record({ParseSubmission(signed_e.dump(), 1).value()}, nullptr, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto stored = reg_->EventAt(r->recorded[0].index).value();
  EXPECT_EQ(stored["event"], e);
}

TEST_P(RegistryTest, RetiredKeysStopSigningFromTheirDate) {
  SetUpParties();
  note::Signer ru2 = note::Signer::Generate("ru.test/mod-2");
  auto r =
      Rec({{{"type", "party.key_registered"},
            {"party", "RU"},
            {"subject", "party/RU"},
            {"time", "2018-01-01T00:00:00Z"},
            {"body",
             {{"vkey", ru2.Verifier().Encode()},
              {"valid_from", "2018-01-01"},
              {"retires", {{"key_id", domain::KeyIdHex(ru_.key_id())}, {"from", "2018-01-01"}}}}}}},
          &ru_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  json late = Body("ru-mod", "RU");
  late["time"] = "2018-02-01T00:00:00Z";
  auto refused = Rec({late}, &ru_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("signature.key_retired"), std::string::npos);
  EXPECT_TRUE(Rec({late}, &ru2).ok());
  // An event dated before the retirement but logged after it is refused
  // too: its date is the signer's to choose, the day it is logged is not.
  json early = Body("ru-fsvts", "RU");
  early["time"] = "2017-12-31T00:00:00Z";
  auto backdated = Rec({early}, &ru_);
  ASSERT_FALSE(backdated.ok());
  EXPECT_NE(backdated.status().message().find("logs this event on 2027-01-15"), std::string::npos)
      << backdated.status().message();
  // A retirement from a later day leaves the key signing until that day.
  ASSERT_TRUE(
      Rec({{{"type", "party.key_retired"},
            {"party", "UZ"},
            {"subject", "party/UZ"},
            {"time", "2027-01-10T00:00:00Z"},
            {"body", {{"key_id", domain::KeyIdHex(uz_.key_id())}, {"from", "2027-02-01"}}}}},
          &uz_)
          .ok());
  EXPECT_TRUE(Rec({Body("uz-mod", "UZ")}, &uz_).ok());
  // A replay judges each event by its own leaf's logged-at, as when logged.
  EXPECT_TRUE(reg_->CheckProjections().ok());
}

TEST_P(RegistryTest, EventsFromTheFutureAreRefused) {
  SetUpParties();
  json e = Body("ru-mod", "RU");
  e["time"] = "2030-01-01T00:00:00Z";
  auto r = Rec({e}, &ru_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("future"), std::string::npos);
}

TEST_P(RegistryTest, GoldenDemoDigestSurvivesRebuild) {
  auto n = RecordDemo(*reg_, {&node_, &ru_, &uz_});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_GT(*n, 40u);
  std::string digest = reg_->Digest().value();
  EXPECT_TRUE(reg_->CheckProjections().ok());
  EXPECT_EQ(reg_->Rebuild().value(), *n);
  EXPECT_EQ(reg_->Digest().value(), digest);
  // The demo's facts.
  auto mtc = reg_->Get("agreement", "RU-UZ-2016-MTC").value().value();
  EXPECT_EQ(mtc["status"], "in_force");
  EXPECT_EQ(mtc["in_force_from"], "2017-04-17");
  EXPECT_EQ(mtc["ratifications"]["UZ"]["date"], "2017-03-30");
  auto mi35 = reg_->Get("contract", "RU-UZ-2018-001").value().value();
  EXPECT_EQ(mi35["lines"][0]["quantity"], 12);
  EXPECT_EQ(mi35["status"], "in_force");
  EXPECT_EQ(mi35["channel"], "direct");
  auto btr80 = reg_->Get("contract", "RU-UZ-2001-001").value().value();
  EXPECT_EQ(btr80["intermediary_body"], "ru-roe");
  auto taifun = reg_->Get("contract", "RU-UZ-2019-002").value().value();
  EXPECT_TRUE(taifun["lines"][0]["price_flag"].get<bool>());
}

TEST_F(RegistrySqliteTest, ProjectionsThatDisagreeWithTheLogAreCaught) {
  ASSERT_TRUE(RecordDemo(*reg_, {&node_, &ru_, &uz_}).ok());
  std::string digest = reg_->Digest().value();
  reg_.reset();
  std::string error;
  ASSERT_EQ(testing::ExecSql(db_,
                             "UPDATE entities SET doc = replace(doc, '\"in_force\"', "
                             "'\"terminated\"') WHERE kind = 'contract' AND id = 'RU-UZ-2018-001'",
                             &error),
            1)
      << error;
  reg_ = Registry::Open(db_, true).value();
  EXPECT_NE(reg_->Digest().value(), digest);
  Status s = reg_->CheckProjections();
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_EQ(reg_->Rebuild().value(), reg_->log().Size().value());
  EXPECT_EQ(reg_->Digest().value(), digest);
}

TEST_F(RegistrySqliteTest, AChangedStoredEventFailsVerification) {
  ASSERT_TRUE(RecordDemo(*reg_, {&node_, &ru_, &uz_}).ok());
  reg_.reset();
  // Change the Mi-35M quantity inside the stored event (same length).
  std::string error;
  EXPECT_GT(testing::ExecSql(db_,
                             "UPDATE log_entries SET data = CAST(replace(CAST(data AS TEXT), "
                             "'\"quantity\":12', '\"quantity\":13') AS BLOB) "
                             "WHERE CAST(data AS TEXT) LIKE '%RU-UZ-2018-001%contract.drafted%' OR "
                             "CAST(data AS TEXT) LIKE '%contract.drafted%RU-UZ-2018-001%'",
                             &error),
            0)
      << error;
  reg_ = Registry::Open(db_, true).value();
  auto report = reg_->log().Verify({});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("log entry"), std::string::npos);
}

}  // namespace
}  // namespace accord::registry
