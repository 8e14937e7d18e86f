// The sequencer's cosignature gathering (api/gatherer.h) in process: the
// protocol's pieces (witness URLs, request bodies, 409 sizes, answers), the
// policy checks at start, and a Gatherer against stub witnesses on loopback
// that answer what a test wants (a real witness: log/witness.h behind
// httplib; a wrong key; silence). The built binary with real witness nodes:
// cosign_process_test.cc.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "api/gatherer.h"
#include "log/log.h"
#include "log/witness.h"
#include "merkle/hasher.h"
#include "note/note.h"
#include "pg_test_util.h"
#include "storage/database.h"
#include "storage/witness_store.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing {
namespace {

using namespace std::chrono_literals;

TEST(GathererPieces, WitnessUrls) {
  auto u = api::ParseWitnessUrl("http://127.0.0.1:8081/tlog");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8081);
  EXPECT_EQ(u->path, "/tlog/add-checkpoint");
  // A trailing slash is not doubled; no prefix at all is "/add-checkpoint".
  EXPECT_EQ(api::ParseWitnessUrl("http://w.example/tlog/").value().path, "/tlog/add-checkpoint");
  u = api::ParseWitnessUrl("https://w.example");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->path, "/add-checkpoint");
  EXPECT_EQ(api::ParseWitnessUrl("http://[::1]:9/w").value().host, "::1");
  EXPECT_EQ(api::ParseWitnessUrl("http://[::1]:9/w").value().port, 9);
  for (const char* bad :
       {"ftp://w.example/", "w.example/tlog", "http://", "http://:80/", "http://w.example:0/",
        "http://w.example:99999/", "http://w.example:x/", "http://u:p@w.example/",
        "http://w.example/?a=1", "http://w .example/", "http://[::1/"}) {
    auto r = api::ParseWitnessUrl(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("http://HOST[:PORT][/PREFIX]"), std::string::npos) << bad;
  }
}

TEST(GathererPieces, RequestBodyAndConflictSize) {
  Hash a{}, b{};
  a[0] = 1;
  b[31] = 2;
  std::string cp = "o\n5\nroot\n\n— o sig\n";
  EXPECT_EQ(api::AddCheckpointBody(0, {}, cp), "old 0\n\n" + cp);
  EXPECT_EQ(api::AddCheckpointBody(3, {a, b}, cp),
            "old 3\n" + Base64Encode(AsBytes(a)) + "\n" + Base64Encode(AsBytes(b)) + "\n\n" + cp);
  EXPECT_EQ(api::ParseTlogSize("17\n").value(), 17u);
  EXPECT_EQ(api::ParseTlogSize("0\n").value(), 0u);
  for (const char* bad : {"", "\n", "017\n", "-1\n", "1 2\n", "x\n"}) {
    EXPECT_FALSE(api::ParseTlogSize(bad).ok()) << bad;
  }
}

TEST(GathererPieces, AnswersAreVerifiedAgainstThePolicyKey) {
  note::Signer log = note::Signer::Generate("log.test/a");
  note::Signer w = note::Signer::Generate("w.test/a");
  note::Signer other = note::Signer::Generate("w.test/b");
  std::string text = note::Checkpoint{"log.test/a", 1, merkle::LeafHash("x"), {}}.Text();
  std::string cp = note::Sign(text, {&log}).value();
  std::string line = w.CosignatureLine(text, 1700000000);
  auto got = api::CosignatureFromAnswer(cp, line, w.CosignerVerifier());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, line);
  // Lines by other keys are ignored around it.
  got = api::CosignatureFromAnswer(cp, other.CosignatureLine(text, 5) + line, w.CosignerVerifier());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, line);
  // Only another key's line; a line over another text; a zero timestamp;
  // not signature lines at all.
  EXPECT_EQ(api::CosignatureFromAnswer(cp, other.CosignatureLine(text, 5), w.CosignerVerifier())
                .status()
                .code(),
            StatusCode::kVerificationFailed);
  std::string other_text = note::Checkpoint{"log.test/a", 2, merkle::LeafHash("y"), {}}.Text();
  EXPECT_EQ(api::CosignatureFromAnswer(cp, w.CosignatureLine(other_text, 7), w.CosignerVerifier())
                .status()
                .code(),
            StatusCode::kVerificationFailed);
  auto zero = api::CosignatureFromAnswer(cp, w.CosignatureLine(text, 0), w.CosignerVerifier());
  EXPECT_EQ(zero.status().code(), StatusCode::kVerificationFailed);
  EXPECT_NE(zero.status().message().find("timestamp 0"), std::string::npos);
  EXPECT_EQ(api::CosignatureFromAnswer(cp, "ok\n", w.CosignerVerifier()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(api::CosignatureFromAnswer(cp, line.substr(0, line.size() - 1), w.CosignerVerifier())
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

// A log on disk and a way to grow it.
class GathererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = Locator();
    if (db_path_.empty()) GTEST_SKIP() << kNoPgServer;
    db_ = storage::CreateDatabase(db_path_).value();
    ASSERT_TRUE(log::Log::Initialize(db_->log(), "log.test/seq", log_key_).ok());
    log_ = log::Log::Open(db_->log(), &log_key_).value();
  }
  // Where the log is: an SQLite file here.
  virtual std::string Locator() { return dir_ / "log.db"; }
  void Append(int n) {
    std::vector<std::string> leaves;
    for (int i = 0; i < n; ++i) leaves.push_back("leaf " + std::to_string(next_++));
    ASSERT_TRUE(log_->Append(leaves).ok());
  }
  uint64_t LatestSize() {
    auto n = note::ParseNote(log_->Checkpoint().value()).value();
    return note::ParseCheckpoint(n.text).value().size;
  }
  // The policy's witness keys that cosigned the stored checkpoint of `size`.
  size_t CosignedBy(uint64_t size, const std::vector<note::VerifierKey>& witnesses) {
    auto stored = db_->log().CheckpointAt(size).value();
    if (!stored) return 0;
    auto v = note::Verify(*stored, witnesses);
    return v.ok() ? v->verified.size() : 0;
  }
  note::Policy PolicyFor(const std::vector<std::pair<note::VerifierKey, std::string>>& ws) {
    note::Policy p;
    p.logs.push_back({log_key_.Verifier(), ""});
    for (size_t i = 0; i < ws.size(); ++i) {
      p.witnesses.push_back({"W" + std::to_string(i + 1), ws[i].first, ws[i].second});
    }
    p.quorum = "none";
    return p;
  }
  api::GathererOptions Options(note::Policy p) {
    api::GathererOptions o;
    o.db = db_path_;
    o.policy = std::move(p);
    o.timeout = 1500ms;
    o.poll = 100ms;
    o.max_backoff = 200ms;
    o.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(told_mu_);
      told_ += line + "\n";
    };
    return o;
  }
  std::string Told() {
    std::lock_guard<std::mutex> lock(told_mu_);
    return told_;
  }
  // Waits until `pred` or `limit` passes.
  static bool Eventually(const std::function<bool()>& pred, std::chrono::milliseconds limit = 5s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (pred()) return true;
      std::this_thread::sleep_for(20ms);
    }
    return pred();
  }

  TempDir dir_;
  std::string db_path_;
  note::Signer log_key_ = note::Signer::Generate("log.test/seq");
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<log::Log> log_;
  int next_ = 0;
  std::mutex told_mu_;
  std::string told_;
};

// A stub witness on a loopback port: `answer` decides each response.
struct StubWitness {
  explicit StubWitness(std::function<void(const std::string&, httplib::Response&)> answer) {
    server.Post("/w/add-checkpoint",
                [this, answer](const httplib::Request& req, httplib::Response& res) {
                  {
                    std::lock_guard<std::mutex> lock(mu);
                    bodies.push_back(req.body);
                  }
                  answer(req.body, res);
                });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~StubWitness() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/w"; }
  std::vector<std::string> Bodies() {
    std::lock_guard<std::mutex> lock(mu);
    return bodies;
  }
  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::mutex mu;
  std::vector<std::string> bodies;
};

// A real tlog-witness (log/witness.h) behind the stub.
struct RealWitness {
  RealWitness(const std::string& db, const note::Signer& key, const note::VerifierKey& log_key) {
    EXPECT_TRUE(storage::CreateDatabase(db).ok());
    auto store = storage::OpenWitnessStore(db);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    witness = log::Witness::Create(std::move(store).value(), key, {log_key}).value();
    stub = std::make_unique<StubWitness>([this](const std::string& body, httplib::Response& res) {
      log::WitnessAnswer a = witness->AddCheckpoint(body);
      res.status = a.status;
      res.set_content(a.body, a.content_type);
    });
  }
  std::unique_ptr<log::Witness> witness;
  std::unique_ptr<StubWitness> stub;
};

TEST_F(GathererTest, StartChecksThePolicy) {
  note::Signer w = note::Signer::Generate("w.test/a");
  // No URL: nobody to ask.
  auto g = api::Gatherer::Start(Options(PolicyFor({{w.CosignerVerifier(), ""}})));
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(g.status().message().find("no witness with a URL"), std::string::npos);
  // A bad URL names the witness.
  g = api::Gatherer::Start(Options(PolicyFor({{w.CosignerVerifier(), "ftp://x/"}})));
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(g.status().message().find("policy witness W1"), std::string::npos);
  // A policy for another log.
  note::Policy p = PolicyFor({{w.CosignerVerifier(), "http://127.0.0.1:1/"}});
  p.logs = {{note::Signer::Generate("log.test/other").Verifier(), ""}};
  g = api::Gatherer::Start(Options(p));
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(g.status().message().find("log " + log_key_.Verifier().Encode()), std::string::npos);
  // A policy without logs is taken for this log.
  p.logs.clear();
  g = api::Gatherer::Start(Options(p));
  EXPECT_TRUE(g.ok()) << g.status().ToString();
}

TEST_F(GathererTest, RealWitnessesCosignTheLatestCheckpoint) {
  note::Signer k1 = note::Signer::Generate("w1.test/w"), k2 = note::Signer::Generate("w2.test/w");
  RealWitness w1(dir_ / "w1.db", k1, log_key_.Verifier());
  RealWitness w2(dir_ / "w2.db", k2, log_key_.Verifier());
  note::Signer k3 = note::Signer::Generate("w3.test/w");
  std::vector<note::VerifierKey> keys = {k1.CosignerVerifier(), k2.CosignerVerifier()};
  auto g = api::Gatherer::Start(Options(PolicyFor(
      {{keys[0], w1.stub->url()}, {keys[1], w2.stub->url()}, {k3.CosignerVerifier(), ""}})));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_NE(Told().find("witness W3 has no URL"), std::string::npos) << Told();
  // The checkpoint of the empty log first, then each new one.
  EXPECT_TRUE(Eventually([&] { return CosignedBy(0, keys) == 2; }));
  for (int round = 1; round <= 3; ++round) {
    Append(round);
    (*g)->Notify();
    uint64_t n = LatestSize();
    EXPECT_TRUE(Eventually([&] { return CosignedBy(n, keys) == 2; })) << "size " << n;
    // The latest checkpoint is the cosigned one.
    EXPECT_EQ(log_->Checkpoint().value(), db_->log().CheckpointAt(n).value().value());
  }
  // Each request from the size the witness last cosigned, with a proof.
  std::vector<std::string> bodies = w1.stub->Bodies();
  ASSERT_EQ(bodies.size(), 4u);
  EXPECT_TRUE(bodies[0].starts_with("old 0\n\nlog.test/seq\n0\n"));
  EXPECT_TRUE(bodies[1].starts_with("old 0\n\nlog.test/seq\n1\n"));
  EXPECT_TRUE(bodies[2].starts_with("old 1\n")) << bodies[2];
  EXPECT_TRUE(bodies[3].starts_with("old 3\n")) << bodies[3];
  EXPECT_EQ(db_->log().GetMeta(api::WitnessSizeMetaKey(keys[0])).value().value(), "6");
  for (const api::WitnessState& s : (*g)->Witnesses()) {
    EXPECT_EQ(s.cosigned_size, 6u);
    EXPECT_EQ(s.cosignatures, 4u);
    EXPECT_EQ(s.error, "");
  }
  // Polling picks up an append nobody announced (another process).
  Append(1);
  EXPECT_TRUE(Eventually([&] { return CosignedBy(7, keys) == 2; }));

  // A restarted gatherer does not ask again for what is cosigned, and goes
  // on from the recorded sizes.
  (*g)->Stop();
  auto again = api::Gatherer::Start(
      Options(PolicyFor({{keys[0], w1.stub->url()}, {keys[1], w2.stub->url()}})));
  ASSERT_TRUE(again.ok());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(w1.stub->Bodies().size(), 5u);
  Append(2);
  (*again)->Notify();
  EXPECT_TRUE(Eventually([&] { return CosignedBy(9, keys) == 2; }));
  EXPECT_TRUE(w1.stub->Bodies().back().starts_with("old 7\n"));
  EXPECT_TRUE(log_->Verify({}).ok());
}

// The log on PostgreSQL: each worker's connection reads the latest
// checkpoint and stores the cosignatures there.
class GathererPgTest : public GathererTest {
 protected:
  std::string Locator() override { return PgServerUri().empty() ? "" : FreshPgDatabase("cosign"); }
};

TEST_F(GathererPgTest, WitnessesCosignALogOnPostgres) {
  note::Signer k1 = note::Signer::Generate("w1.test/w"), k2 = note::Signer::Generate("w2.test/w");
  RealWitness w1(dir_ / "w1.db", k1, log_key_.Verifier());
  RealWitness w2(dir_ / "w2.db", k2, log_key_.Verifier());
  std::vector<note::VerifierKey> keys = {k1.CosignerVerifier(), k2.CosignerVerifier()};
  auto g = api::Gatherer::Start(
      Options(PolicyFor({{keys[0], w1.stub->url()}, {keys[1], w2.stub->url()}})));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  for (int round = 1; round <= 3; ++round) {
    Append(round);
    (*g)->Notify();
    uint64_t n = LatestSize();
    EXPECT_TRUE(Eventually([&] { return CosignedBy(n, keys) == 2; })) << "size " << n;
  }
  EXPECT_EQ(db_->log().GetMeta(api::WitnessSizeMetaKey(keys[1])).value().value(), "6");
  EXPECT_TRUE(log_->Verify({}).ok());
}

// The witness is ahead of what the log remembers (it cosigned through
// another client): 409 with its size, then one retry from that size.
TEST_F(GathererTest, ConflictRetriesFromTheWitnessSize) {
  note::Signer k1 = note::Signer::Generate("w1.test/w");
  RealWitness w1(dir_ / "w1.db", k1, log_key_.Verifier());
  Append(3);
  // Someone else has the witness cosign size 3.
  ASSERT_EQ(
      w1.witness->AddCheckpoint(api::AddCheckpointBody(0, {}, log_->Checkpoint().value())).status,
      200);
  Append(2);
  std::vector<note::VerifierKey> keys = {k1.CosignerVerifier()};
  auto g = api::Gatherer::Start(Options(PolicyFor({{keys[0], w1.stub->url()}})));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_TRUE(Eventually([&] { return CosignedBy(5, keys) == 1; })) << Told();
  std::vector<std::string> bodies = w1.stub->Bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_TRUE(bodies[0].starts_with("old 0\n\n"));
  EXPECT_TRUE(bodies[1].starts_with("old 3\n"));  // with the proof 3 -> 5
  EXPECT_NE(bodies[1].find("\n\nlog.test/seq\n5\n"), std::string::npos);
  EXPECT_NE(Told().find("witness W1 is at size 3, not 0 (409): retrying from 3"), std::string::npos)
      << Told();
  EXPECT_EQ((*g)->Witnesses()[0].conflicts, 1u);
}

// A witness that keeps answering 409 gets one retry per checkpoint; a 409
// without text/x.tlog.size is not retried; answers by the wrong key are not
// stored.
TEST_F(GathererTest, BadAnswersAreRefused) {
  note::Signer k1 = note::Signer::Generate("w1.test/w"), wrong = note::Signer::Generate("x.test/w");
  std::atomic<int> mode{0};
  StubWitness stub([&](const std::string& body, httplib::Response& res) {
    std::string cp = body.substr(body.find("\n\n") + 2);
    std::string text = note::ParseNote(cp).value().text;
    switch (mode.load()) {
      case 0:  // always 409
        res.status = 409;
        res.set_content("12\n", "text/x.tlog.size");
        break;
      case 1:  // 409 without the size's type
        res.status = 409;
        res.set_content("12\n", "text/plain");
        break;
      default:  // a cosignature by another key
        res.set_content(wrong.CosignatureLine(text, 5), "text/plain; charset=utf-8");
    }
  });
  Append(20);
  std::vector<note::VerifierKey> keys = {k1.CosignerVerifier()};
  auto g = api::Gatherer::Start(Options(PolicyFor({{keys[0], stub.url()}})));
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(
      Eventually([&] { return (*g)->Witnesses()[0].error.find("409") != std::string::npos; }));
  std::vector<std::string> bodies = stub.Bodies();
  ASSERT_GE(bodies.size(), 2u);
  EXPECT_TRUE(bodies[0].starts_with("old 0\n"));
  EXPECT_TRUE(bodies[1].starts_with("old 12\n"));
  mode = 1;
  EXPECT_TRUE(Eventually([&] {
    return (*g)->Witnesses()[0].error.find("answered 409: 12") != std::string::npos;
  })) << (*g)->Witnesses()[0].error;
  mode = 2;
  EXPECT_TRUE(Eventually([&] {
    return (*g)->Witnesses()[0].error.find("no valid cosignature by w1.test/w") !=
           std::string::npos;
  })) << (*g)->Witnesses()[0].error;
  EXPECT_EQ(note::ParseNote(log_->Checkpoint().value()).value().signatures.size(), 1u);
  EXPECT_EQ((*g)->Witnesses()[0].cosignatures, 0u);
}

// A witness that answers 429 is left alone for its Retry-After, however
// many checkpoints are committed meanwhile.
TEST_F(GathererTest, TooManyRequestsPausesTheWitness) {
  note::Signer k1 = note::Signer::Generate("w1.test/w");
  StubWitness busy([&](const std::string&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "1");
    res.set_content("slow down\n", "text/plain");
  });
  api::GathererOptions o = Options(PolicyFor({{k1.CosignerVerifier(), busy.url()}}));
  o.max_backoff = 5s;
  auto g = api::Gatherer::Start(std::move(o));
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(Eventually([&] { return busy.Bodies().size() == 1; }, 2s));
  for (int i = 0; i < 5; ++i) {
    Append(1);
    (*g)->Notify();
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(busy.Bodies().size(), 1u);  // 0.5 s after the first answer
  EXPECT_NE(
      (*g)->Witnesses()[0].error.find("answered 429 (too many requests): next try in 1000 ms"),
      std::string::npos)
      << (*g)->Witnesses()[0].error;
  // After the pause, the latest checkpoint is asked for.
  EXPECT_TRUE(Eventually([&] { return busy.Bodies().size() == 2; }, 2s));
  EXPECT_NE(busy.Bodies().back().find("\nlog.test/seq\n5\n"), std::string::npos);
}

// A witness that never answers costs its worker the timeout, no more, and
// does not hold up the other witness; Stop() cuts the wait short.
TEST_F(GathererTest, ASilentWitnessTimesOutAlone) {
  note::Signer k1 = note::Signer::Generate("w1.test/w"), k2 = note::Signer::Generate("w2.test/w");
  RealWitness w1(dir_ / "w1.db", k1, log_key_.Verifier());
  std::atomic<bool> release{false};
  StubWitness silent([&](const std::string&, httplib::Response& res) {
    for (int i = 0; i < 1000 && !release; ++i) std::this_thread::sleep_for(10ms);
    res.status = 500;
  });
  std::vector<note::VerifierKey> keys = {k1.CosignerVerifier(), k2.CosignerVerifier()};
  api::GathererOptions o = Options(PolicyFor({{keys[0], w1.stub->url()}, {keys[1], silent.url()}}));
  o.timeout = 2500ms;
  auto g = api::Gatherer::Start(std::move(o));
  ASSERT_TRUE(g.ok());
  auto started = std::chrono::steady_clock::now();
  // W1 cosigns while W2's worker is still waiting.
  EXPECT_TRUE(Eventually([&] { return CosignedBy(0, keys) == 1; }, 1500ms));
  EXPECT_EQ((*g)->Witnesses()[1].error, "");
  Append(1);
  (*g)->Notify();
  EXPECT_TRUE(Eventually([&] { return CosignedBy(1, keys) == 1; }, 1500ms));
  // W2's exchange gives up after the timeout.
  EXPECT_TRUE(Eventually(
      [&] { return (*g)->Witnesses()[1].error.find("2500 ms") != std::string::npos; }, 5s))
      << (*g)->Witnesses()[1].error;
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 2000ms);
  EXPECT_LT(waited, 4500ms);
  // Stop() does not wait for a witness that does not answer.
  auto stopping = std::chrono::steady_clock::now();
  (*g)->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 1000ms);
  release = true;
}

}  // namespace
}  // namespace accord::testing
