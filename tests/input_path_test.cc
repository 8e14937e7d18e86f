// One input path: the same bad input through `accord record` and through
// POST /v1/events is refused with the same message (registry::
// ParseSubmissions splits and parses both; Registry::Record decides both).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "api/server.h"
#include "api/store.h"
#include "test_util.h"

namespace accord::testing {
namespace {

using nlohmann::json;

json BodyEvent(const std::string& id) {
  return {
      {"v", 1},
      {"type", "body.registered"},
      {"time", "2023-01-01T00:00:00Z"},
      {"party", "RU"},
      {"actor", "ru-mod/registrar"},
      {"subject", "body/" + id},
      {"body", {{"party", "RU"}, {"kind", "enterprise"}, {"name", "Plant " + id}, {"city", "X"}}}};
}

class InputPathTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = *dir_ / "d.db";
    CommandResult r = Accord({"demo", "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto store = api::ApiStore::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto token = (*store)->AddUser("ru-officer", "RU", api::Role::kOfficer, 1700000000);
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    token_ = *token;
    api::ServerOptions o;
    o.db = db_;
    o.port = 0;
    o.party_keys_dir = *dir_ / "d.keys";
    o.rate_per_second = 0;
    auto s = api::Server::Create(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = s->release();
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = new std::thread([] { EXPECT_TRUE(server_->Run().ok()); });
  }
  static void TearDownTestSuite() {
    if (thread_ != nullptr) {
      server_->Stop();
      thread_->join();
      delete thread_;
    }
    delete server_;
    delete dir_;
  }

  // The message `accord record --key ru.skey` refuses `input` with.
  static std::string CliRefusal(const std::string& input) {
    CommandResult r = Accord({"record", "--db", db_, "--key", *dir_ / "d.keys/ru.skey"}, input);
    EXPECT_EQ(r.exit_code, 2) << Describe(r);
    const std::string prefix = "accord: ", suffix = "; nothing recorded\n";
    EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << r.err;
    EXPECT_TRUE(r.err.ends_with(suffix)) << r.err;
    if (r.err.size() < prefix.size() + suffix.size()) return r.err;
    return r.err.substr(prefix.size(), r.err.size() - prefix.size() - suffix.size());
  }

  // The message POST /v1/events (as an RU officer) refuses `input` with.
  static std::string ApiRefusal(const std::string& input) {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    auto r = c.Post("/v1/events", {{"Authorization", "Bearer " + token_}}, input,
                    "application/x-ndjson");
    if (!r) {
      ADD_FAILURE() << "no response";
      return "";
    }
    EXPECT_GE(r->status, 400) << r->body;
    return json::parse(r->body)["error"]["message"].get<std::string>();
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string db_;
  static inline std::string token_;
  static inline api::Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
};

TEST_F(InputPathTest, TheSameBadLineGetsTheSameRefusalFromCliAndApi) {
  const std::string good = BodyEvent("input-path-1").dump();
  json no_actor = BodyEvent("input-path-2");
  no_actor.erase("actor");
  json float_in_body = BodyEvent("input-path-2");
  float_in_body["body"]["seats"] = 1.5;
  struct Case {
    const char* name;
    std::string input;
    std::string starts;  // the message starts with this
  };
  const Case cases[] = {
      {"an envelope field missing", good + "\n" + no_actor.dump() + "\n",
       "line 2: missing field \"actor\""},
      {"a line cut short", good + "\n\n{\"v\":\n", "line 3: "},
      {"not strict JSON", good + "\n" + float_in_body.dump() + "\n", "line 2: "},
      {"refused by the rules (a body that exists)", good + "\n" + BodyEvent("ru-mod").dump(),
       "line 2: "},
      {"a single object", no_actor.dump(), "event: missing field \"actor\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string cli = CliRefusal(c.input);
    std::string api = ApiRefusal(c.input);
    EXPECT_EQ(cli.rfind(c.starts, 0), 0u) << cli;
    EXPECT_EQ(cli, api);
  }
}

}  // namespace
}  // namespace accord::testing
