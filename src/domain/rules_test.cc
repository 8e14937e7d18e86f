// Data-driven tests of the domain rules (tests/data/rules/*.test), in the
// style of duckdb's sqllogictest files, plus focused tests of SignerKey.
//
// A .test file is read top to bottom against one fresh MemoryState. Blank
// lines and lines starting with '#' are ignored. Commands:
//
//   accept <event>               Decide must succeed; its changes are applied.
//   refuse <substring> <event>   parsing the event (ParseStrictJson,
//                                ParseEvent) or Decide must fail with an
//                                InvalidArgument / FailedPrecondition whose
//                                message contains <substring>; nothing is
//                                applied.
//   refuse_raw <substring> <event>
//                                like refuse, but the envelope defaults below
//                                are not filled in (to test missing fields).
//   expect <kind>/<id> <json-pointer> <json-value>
//                                the state's document (kind, id) has this
//                                value at the pointer; the value `absent`
//                                (not JSON) means the pointer must not resolve.
//   expect_count <kind>/<id> <json-pointer> <n>
//                                the array or object at the pointer has n
//                                elements.
//
// <event> is one JSON object on the rest of the line. Missing envelope fields
// are filled in before ParseEvent: "v":1, "actor":"test/actor",
// "time":"2020-01-01T00:00:00Z".
//
// Each event is decided with the log index it would have: the number of
// accept lines that succeeded before it in the file (0 for the first), so
// that `expect item/P/S /history/0/index <n>` can be checked.
//
// Nothing here does I/O beyond reading the .test files and the iso-codes
// JSON of the reference data.
#include "domain/rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "domain/envelope.h"
#include "domain/reference.h"
#include "domain/state.h"
#include "note/note.h"

namespace accord::domain {
namespace {

using nlohmann::json;

std::string RulesDataDir() {
  return (std::filesystem::path(ACCORD_SOURCE_DIR) / "tests" / "data" / "rules").string();
}

const ReferenceData& Ref() {
  static const ReferenceData* ref = [] {
    auto r = ReferenceData::Load();
    if (!r.ok()) {
      ADD_FAILURE() << "cannot load reference data: " << r.status().message();
      return new ReferenceData();
    }
    return new ReferenceData(std::move(*r));
  }();
  return *ref;
}

const note::Signer& RegistrySigner() {
  static const note::Signer* s = new note::Signer(note::Signer::Generate("registry.test"));
  return *s;
}

RuleContext Context() {
  RuleContext ctx;
  ctx.ref = &Ref();
  ctx.registry_key_id = RegistrySigner().key_id();
  ctx.registry_public_key = RegistrySigner().Verifier().public_key;
  return ctx;
}

// Splits off the first space-separated token of `rest`.
std::string NextToken(std::string& rest) {
  size_t start = rest.find_first_not_of(' ');
  if (start == std::string::npos) {
    rest.clear();
    return "";
  }
  size_t end = rest.find(' ', start);
  std::string token =
      rest.substr(start, end == std::string::npos ? std::string::npos : end - start);
  rest = end == std::string::npos ? "" : rest.substr(end + 1);
  return token;
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

// Parses and decides one event text; on success, the changes.
Result<std::vector<Change>> RunEvent(const RuleContext& ctx, StateReader& state,
                                     const std::string& text, bool fill_defaults,
                                     uint64_t index = 0) {
  ASSIGN_OR_RETURN(json j, ParseStrictJson(text));
  if (fill_defaults && j.is_object()) {
    if (!j.contains("v")) j["v"] = 1;
    if (!j.contains("actor")) j["actor"] = "test/actor";
    if (!j.contains("time")) j["time"] = "2020-01-01T00:00:00Z";
  }
  ASSIGN_OR_RETURN(Event e, ParseEvent(std::move(j)));
  return Decide(ctx, state, e, index);
}

struct Outcome {
  bool threw = false;
  std::string exception;
  Result<std::vector<Change>> result = Status::Internal("not run");
};

Outcome RunCatching(const RuleContext& ctx, StateReader& state, const std::string& text,
                    bool fill_defaults, uint64_t index) {
  Outcome o;
  try {
    o.result = RunEvent(ctx, state, text, fill_defaults, index);
  } catch (const std::exception& ex) {
    o.threw = true;
    o.exception = ex.what();
  }
  return o;
}

struct FileStats {
  int accepts = 0;
  int refuses = 0;
  int expects = 0;
};

FileStats RunFile(const std::string& name) {
  FileStats stats;
  std::string path = RulesDataDir() + "/" + name;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return stats;
  }
  RuleContext ctx = Context();
  MemoryState state;
  // The log index the next event would have: the number of events accepted so
  // far in this file (rules record it, e.g. in items' history).
  uint64_t next_index = 0;
  std::string raw;
  int lineno = 0;
  while (std::getline(in, raw)) {
    ++lineno;
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    std::string where = name + ":" + std::to_string(lineno) + ": " + line;
    std::string rest = line;
    std::string cmd = NextToken(rest);
    if (cmd == "accept") {
      ++stats.accepts;
      Outcome o = RunCatching(ctx, state, rest, true, next_index);
      if (o.threw) {
        ADD_FAILURE() << where << "\n  threw: " << o.exception;
        continue;
      }
      if (!o.result.ok()) {
        ADD_FAILURE() << where << "\n  refused: " << StatusCodeName(o.result.status().code())
                      << ": " << o.result.status().message();
        continue;
      }
      for (const Change& c : *o.result) {
        auto canon = CanonicalJson(c.doc);
        if (!canon.ok()) {
          ADD_FAILURE() << where << "\n  change " << c.kind << "/" << c.id
                        << " is not canonical JSON material: " << canon.status().message();
        }
      }
      state.Apply(*o.result);
      ++next_index;
    } else if (cmd == "refuse" || cmd == "refuse_raw") {
      ++stats.refuses;
      std::string want = NextToken(rest);
      if (want.empty() || Trim(rest).empty()) {
        ADD_FAILURE() << where << "\n  malformed: refuse <substring> <event>";
        continue;
      }
      Outcome o = RunCatching(ctx, state, rest, cmd == "refuse", next_index);
      if (o.threw) {
        ADD_FAILURE() << where << "\n  threw instead of refusing: " << o.exception;
        continue;
      }
      if (o.result.ok()) {
        std::string docs;
        for (const Change& c : *o.result)
          docs += "\n    " + c.kind + "/" + c.id + " " + c.doc.dump();
        ADD_FAILURE() << where << "\n  accepted, expected an error containing \"" << want
                      << "\"; changes:" << docs;
        continue;
      }
      const Status& s = o.result.status();
      if (s.code() != StatusCode::kInvalidArgument && s.code() != StatusCode::kFailedPrecondition) {
        ADD_FAILURE() << where << "\n  refused with unexpected code " << StatusCodeName(s.code())
                      << ": " << s.message();
      } else if (s.message().find(want) == std::string::npos) {
        ADD_FAILURE() << where << "\n  refused, but the error does not contain \"" << want
                      << "\": " << StatusCodeName(s.code()) << ": " << s.message();
      }
    } else if (cmd == "expect" || cmd == "expect_count") {
      ++stats.expects;
      std::string entity = NextToken(rest);
      std::string pointer = NextToken(rest);
      std::string value_text = Trim(rest);
      size_t slash = entity.find('/');
      if (slash == std::string::npos || pointer.empty() || value_text.empty()) {
        ADD_FAILURE() << where << "\n  malformed: " << cmd << " <kind>/<id> <pointer> <value>";
        continue;
      }
      auto doc = state.Get(entity.substr(0, slash), entity.substr(slash + 1));
      if (!doc.ok() || !*doc) {
        ADD_FAILURE() << where << "\n  no entity " << entity;
        continue;
      }
      json::json_pointer ptr;
      try {
        ptr = json::json_pointer(pointer);
      } catch (const std::exception& ex) {
        ADD_FAILURE() << where << "\n  bad JSON pointer: " << ex.what();
        continue;
      }
      const json& d = **doc;
      bool present = d.contains(ptr);
      if (cmd == "expect" && value_text == "absent") {
        if (present) {
          ADD_FAILURE() << where << "\n  expected absent, got " << d.at(ptr).dump()
                        << "\n  document: " << d.dump();
        }
        continue;
      }
      if (!present) {
        ADD_FAILURE() << where << "\n  nothing at " << pointer << "\n  document: " << d.dump();
        continue;
      }
      const json& actual = d.at(ptr);
      if (cmd == "expect_count") {
        size_t n = 0;
        try {
          n = std::stoul(value_text);
        } catch (const std::exception&) {
          ADD_FAILURE() << where << "\n  malformed count";
          continue;
        }
        if (!(actual.is_array() || actual.is_object()) || actual.size() != n) {
          ADD_FAILURE() << where << "\n  expected " << n << " elements, got " << actual.dump();
        }
        continue;
      }
      auto want = ParseStrictJson(value_text);
      if (!want.ok()) {
        ADD_FAILURE() << where << "\n  bad expected value: " << want.status().message();
        continue;
      }
      if (actual != *want) {
        ADD_FAILURE() << where << "\n  expected " << want->dump() << ", got " << actual.dump()
                      << "\n  document: " << d.dump();
      }
    } else {
      ADD_FAILURE() << where << "\n  unknown command \"" << cmd << "\"";
    }
  }
  return stats;
}

// ---- The data files --------------------------------------------------------------

class RulesDataTest : public testing::TestWithParam<std::string> {};

TEST_P(RulesDataTest, File) {
  FileStats s = RunFile(GetParam());
  // A file that accepts or refuses nothing tests nothing.
  EXPECT_GT(s.accepts, 0) << GetParam();
  EXPECT_GT(s.refuses, 0) << GetParam();
  RecordProperty("accepts", s.accepts);
  RecordProperty("refuses", s.refuses);
  RecordProperty("expects", s.expects);
}

const std::vector<std::string> kFiles = {
    "parties_keys.test", "bodies.test",      "agreements.test",      "catalogue_prices.test",
    "contracts.test",    "programmes.test",  "envelope_errors.test", "deliveries.test",
    "repairs.test",      "cooperation.test", "monitoring.test",      "shipment_parts.test"};

INSTANTIATE_TEST_SUITE_P(Rules, RulesDataTest, testing::ValuesIn(kFiles),
                         [](const testing::TestParamInfo<std::string>& p) {
                           std::string n = p.param.substr(0, p.param.find('.'));
                           return n;
                         });

// Every .test file in the directory is listed above (a new file is not
// silently skipped).
TEST(RulesDataFilesTest, AllListed) {
  std::set<std::string> listed(kFiles.begin(), kFiles.end());
  std::set<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(RulesDataDir())) {
    if (entry.path().extension() == ".test") found.insert(entry.path().filename().string());
  }
  EXPECT_EQ(found, listed);
}

// The treaty core's event types (issue 3) and the deliveries' (issue 4). Rule
// files added later add their .test files to kFiles and their types here.
const std::vector<std::string> kCoveredTypes = {
    "party.registered", "party.key_registered", "party.key_retired", "body.registered",
    "agreement.registered", "agreement.ratified", "agreement.provisionally_applied",
    "agreement.suspended", "agreement.resumed", "agreement.terminated", "product.registered",
    "product.price_published", "contract.drafted", "contract.signed", "contract.amendment_proposed",
    "contract.amendment_signed", "contract.terminated", "programme.registered",
    "programme.contract_linked",
    // Deliveries (issue 4).
    "certificate.issued", "certificate.countersigned", "licence.issued", "shipment.dispatched",
    "shipment.custody_transferred", "shipment.received", "shipment.dispatch_part",
    "shipment.items_received", "item.relocated", "repair.ordered", "repair.dispatched",
    "repair.received", "repair.completed",
    // Cooperation beyond deliveries (issue 6).
    "course.planned", "course.trainee_enrolled", "course.trainee_withdrawn",
    "course.trainee_graduated", "exercise.planned", "exercise.postponed", "exercise.cancelled",
    "exercise.conducted", "consultation.requested", "consultation.held",
    "consultation.action_completed", "visit.planned", "visit.completed",
    // End-use monitoring (issue 5).
    "inspection.scheduled", "inspection.access_requested", "inspection.access_answered",
    "inspection.access_deadline_missed", "inspection.completed", "case.opened", "case.assigned",
    "case.note_added", "case.action_recorded", "case.closed", "case.reopened", "consent.requested",
    "consent.granted", "consent.denied", "consent.transfer_recorded", "declaration.filed",
    "declaration.verified"};

// Every one of those event types is known to Decide and appears in an accept
// line and a refuse line of some file.
TEST(RulesDataFilesTest, EveryEventTypeAcceptedAndRefused) {
  std::set<std::string> accepted, refused;
  for (const std::string& f : kFiles) {
    std::ifstream in(RulesDataDir() + "/" + f);
    std::string raw;
    while (std::getline(in, raw)) {
      std::string line = Trim(raw);
      std::string rest = line;
      std::string cmd = NextToken(rest);
      if (cmd != "accept" && cmd != "refuse") continue;
      if (cmd == "refuse") NextToken(rest);
      auto j = ParseStrictJson(rest);
      if (!j.ok() || !j->is_object() || !j->contains("type") || !(*j)["type"].is_string()) continue;
      (cmd == "accept" ? accepted : refused).insert((*j)["type"].get<std::string>());
    }
  }
  std::vector<std::string> known = KnownEventTypes();
  for (const std::string& type : kCoveredTypes) {
    EXPECT_NE(std::find(known.begin(), known.end(), type), known.end()) << type << " is unknown";
    EXPECT_TRUE(accepted.contains(type)) << type << " has no accept line";
    EXPECT_TRUE(refused.contains(type)) << type << " has no refuse line";
  }
}

// ---- SignerKey ---------------------------------------------------------------------

class RulesSignerKeyTest : public testing::Test {
 protected:
  void SetUp() override {
    ctx_ = Context();
    Must(
        R"({"type":"party.registered","party":"registry","subject":"party/RU","body":{"name":"Russian Federation"}})");
    Must(
        R"({"type":"party.registered","party":"registry","subject":"party/UZ","body":{"name":"Uzbekistan"}})");
    Must(KeyEvent("RU", ru1_, "2017-01-01", ""));
    Must(KeyEvent("UZ", uz_, "2017-01-01", ""));
    // ru2 replaces ru1 from 2019-01-01.
    Must(KeyEvent(
        "RU", ru2_, "2018-06-01",
        R"(,"retires":{"key_id":")" + KeyIdHex(ru1_.key_id()) + R"(","from":"2019-01-01"})"));
  }

  static std::string KeyEvent(const std::string& party, const note::Signer& key,
                              const std::string& from, const std::string& extra) {
    return R"({"v":1,"type":"party.key_registered","party":"registry","actor":"test/actor",)"
           R"("time":"2017-01-01T00:00:00Z","subject":"party/)" +
           party + R"(","body":{"vkey":")" + key.Verifier().Encode() + R"(","valid_from":")" +
           from + "\"" + extra + "}}";
  }

  void Must(const std::string& text) {
    auto r = RunEvent(ctx_, state_, text, true);
    ASSERT_TRUE(r.ok()) << text << "\n" << r.status().message();
    state_.Apply(*r);
  }

  // An (unsigned) event of `party` dated `time`.
  Event At(const std::string& party, const std::string& time) {
    json j = {{"v", 1},
              {"type", "agreement.ratified"},
              {"time", time},
              {"party", party},
              {"actor", "test/actor"},
              {"subject", "agreement/X"},
              {"body", json::object()}};
    return ParseEvent(j).value();
  }

  RuleContext ctx_;
  MemoryState state_;
  note::Signer ru1_ = note::Signer::Generate("ru-mod");
  note::Signer ru2_ = note::Signer::Generate("ru-mod-2");
  note::Signer uz_ = note::Signer::Generate("uz-mod");
};

TEST_F(RulesSignerKeyTest, RegistryEventsNeedTheNodeKey) {
  Event e = At("registry", "2020-01-01T00:00:00Z");
  auto k = SignerKey(ctx_, state_, e, RegistrySigner().key_id());
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(*k, RegistrySigner().Verifier().public_key);

  auto wrong = SignerKey(ctx_, state_, e, ru1_.key_id());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(wrong.status().message().find("signature.registry_key"), std::string::npos)
      << wrong.status().message();
}

TEST_F(RulesSignerKeyTest, PartyKeyInItsValidity) {
  auto k = SignerKey(ctx_, state_, At("RU", "2017-01-01T00:00:00Z"), ru1_.key_id());
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(*k, ru1_.Verifier().public_key);
  // The last day before retirement.
  k = SignerKey(ctx_, state_, At("RU", "2018-12-31T23:59:59Z"), ru1_.key_id());
  ASSERT_TRUE(k.ok()) << k.status().message();
  // The new key from its own start.
  k = SignerKey(ctx_, state_, At("RU", "2018-06-01T00:00:00Z"), ru2_.key_id());
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(*k, ru2_.Verifier().public_key);
  k = SignerKey(ctx_, state_, At("UZ", "2030-01-01T00:00:00Z"), uz_.key_id());
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(*k, uz_.Verifier().public_key);
}

void ExpectRefused(const Result<std::string>& r, const std::string& want) {
  ASSERT_FALSE(r.ok()) << "expected a refusal containing " << want;
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().message();
  EXPECT_NE(r.status().message().find(want), std::string::npos) << r.status().message();
}

TEST_F(RulesSignerKeyTest, KeyBeforeValidFromRefused) {
  ExpectRefused(SignerKey(ctx_, state_, At("RU", "2016-12-31T23:59:59Z"), ru1_.key_id()),
                "signature.key_valid");
  ExpectRefused(SignerKey(ctx_, state_, At("RU", "2018-05-31T12:00:00Z"), ru2_.key_id()),
                "signature.key_valid");
}

TEST_F(RulesSignerKeyTest, KeyFromRetirementRefused) {
  ExpectRefused(SignerKey(ctx_, state_, At("RU", "2019-01-01T00:00:00Z"), ru1_.key_id()),
                "signature.key_retired");
  ExpectRefused(SignerKey(ctx_, state_, At("RU", "2025-01-01T00:00:00Z"), ru1_.key_id()),
                "signature.key_retired");
}

TEST_F(RulesSignerKeyTest, KeyRetiredByKeyRetiredEvent) {
  Must(R"({"type":"party.key_retired","party":"UZ","subject":"party/UZ","body":{"key_id":")" +
       KeyIdHex(uz_.key_id()) + R"(","from":"2021-03-01"}})");
  EXPECT_TRUE(SignerKey(ctx_, state_, At("UZ", "2021-02-28T23:00:00Z"), uz_.key_id()).ok());
  ExpectRefused(SignerKey(ctx_, state_, At("UZ", "2021-03-01T00:00:00Z"), uz_.key_id()),
                "signature.key_retired");
}

// The event's date is the signer's to choose; the day the registry logs it
// is not. A retired key cannot sign a backdated event logged after its
// retirement.
TEST_F(RulesSignerKeyTest, RetiredKeyCannotSignBackdatedEventsLoggedAfterRetirement) {
  Must(R"({"type":"party.key_retired","party":"UZ","subject":"party/UZ","body":{"key_id":")" +
       KeyIdHex(uz_.key_id()) + R"(","from":"2026-12-02"}})");
  Event backdated = At("UZ", "2026-12-01T10:00:00Z");
  // Logged the day before the retirement: in force.
  EXPECT_TRUE(SignerKey(ctx_, state_, backdated, uz_.key_id(), "2026-12-01").ok());
  // Logged on or after it: refused, naming both dates.
  auto r = SignerKey(ctx_, state_, backdated, uz_.key_id(), "2026-12-02");
  ExpectRefused(r, "signature.key_retired");
  EXPECT_NE(r.status().message().find("logs this event on 2026-12-02"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("2026-12-01"), std::string::npos);
  ExpectRefused(SignerKey(ctx_, state_, backdated, uz_.key_id(), "2027-06-01"),
                "signature.key_retired");
}

TEST_F(RulesSignerKeyTest, KeyOfAnotherPartyRefused) {
  ExpectRefused(SignerKey(ctx_, state_, At("RU", "2020-01-01T00:00:00Z"), uz_.key_id()),
                "signature.key_of_party");
  ExpectRefused(SignerKey(ctx_, state_, At("UZ", "2020-01-01T00:00:00Z"), ru2_.key_id()),
                "signature.key_of_party");
  // The node's key signs registry events only.
  ExpectRefused(
      SignerKey(ctx_, state_, At("UZ", "2020-01-01T00:00:00Z"), RegistrySigner().key_id()),
      "signature.key_of_party");
  // A key nobody registered.
  note::Signer stranger = note::Signer::Generate("stranger");
  ExpectRefused(SignerKey(ctx_, state_, At("UZ", "2020-01-01T00:00:00Z"), stranger.key_id()),
                "signature.key_of_party");
}

TEST_F(RulesSignerKeyTest, UnknownPartyRefused) {
  ExpectRefused(SignerKey(ctx_, state_, At("KZ", "2020-01-01T00:00:00Z"), ru1_.key_id()),
                "party.exists");
}

}  // namespace
}  // namespace accord::domain
