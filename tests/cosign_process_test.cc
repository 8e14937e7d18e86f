// Issue 15, item 3 with real processes on loopback: a sequencer (`accord
// serve --policy`) and two witness nodes (`accord serve --witness-key
// --witness-log`), each its own `accord` process with its own database.
// Every checkpoint the sequencer serves ends up with both cosignatures and
// passes `accord checkpoint verify --policy`; a witness the sequencer
// remembers at a stale size answers 409 and the retry succeeds; a witness
// that hangs or is down never holds up a write, and the quorum fails until
// it is back and cosigns a later checkpoint.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "note/note.h"
#include "test_util.h"

namespace accord::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Event(const std::string& id) {
  return json{
      {"v", 1},
      {"type", "body.registered"},
      {"time", "2023-01-01T00:00:00Z"},
      {"party", "RU"},
      {"actor", "test/officer"},
      {"subject", "body/" + id},
      {"body", {{"party", "RU"}, {"kind", "enterprise"}, {"name", "Plant " + id}, {"city", "X"}}}}
      .dump();
}

class CosignProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Accord({"demo", "--db", tmp_ / "seq.db"}).exit_code, 0);
    token_ = Trim(
        Accord({"user", "add", "o", "--party", "RU", "--role", "officer", "--db", tmp_ / "seq.db"})
            .out);
    for (int i : {1, 2}) {
      std::string w = "w" + std::to_string(i);
      ASSERT_EQ(Accord({"init", "--db", tmp_ / (w + ".db")}).exit_code, 0);
      ASSERT_EQ(Accord({"keygen", w, "--out", tmp_.path()}).exit_code, 0);
      std::string vkey = Trim(Accord({"key", "vkey", "--cosigner", tmp_ / (w + ".skey")}).out);
      vkeys_.push_back(vkey);
      keys_.push_back(note::ParseVerifierKey(vkey).value());
    }
  }

  // Witness i (1 or 2) on `port` (0: any free one).
  std::unique_ptr<ServeProcess> StartWitness(int i, int port = 0) {
    std::string w = "w" + std::to_string(i);
    auto p = std::make_unique<ServeProcess>(
        std::vector<std::string>{"serve", "--db", tmp_ / (w + ".db"), "--listen",
                                 "127.0.0.1:" + std::to_string(port), "--witness-key",
                                 tmp_ / (w + ".skey"), "--witness-log", tmp_ / "seq.node.vkey"},
        tmp_ / (w + ".err"));
    EXPECT_GT(p->port(), 0) << p->Err();
    return p;
  }

  // The policy: both witnesses, at these ports, both required.
  void WritePolicy(int port1, int port2) {
    std::string policy = "log " + Trim(ReadFile(tmp_ / "seq.node.vkey")) + "\n";
    policy += "witness W1 " + vkeys_[0] + " http://127.0.0.1:" + std::to_string(port1) + "/tlog\n";
    policy += "witness W2 " + vkeys_[1] + " http://127.0.0.1:" + std::to_string(port2) + "/tlog\n";
    policy += "group both all W1 W2\nquorum both\n";
    WriteFile(tmp_ / "policy", policy);
  }

  std::unique_ptr<ServeProcess> StartSequencer() {
    auto p = std::make_unique<ServeProcess>(
        std::vector<std::string>{"serve", "--db", tmp_ / "seq.db", "--listen", "127.0.0.1:0",
                                 "--party-keys", tmp_ / "seq.keys", "--rate", "0", "--policy",
                                 tmp_ / "policy", "--cosign-timeout", "2"},
        tmp_ / "seq.err");
    EXPECT_GT(p->port(), 0) << p->Err();
    return p;
  }

  // Records one event through the sequencer's API; returns the size of the
  // checkpoint its batch ended at, 0 on failure. `took` gets how long the
  // write took.
  uint64_t Record(int port, const std::string& id, std::chrono::milliseconds* took = nullptr) {
    httplib::Client cli("127.0.0.1", port);
    cli.set_read_timeout(10, 0);
    auto start = std::chrono::steady_clock::now();
    auto r = cli.Post("/v1/events", {{"Authorization", "Bearer " + token_}}, Event(id),
                      "application/json");
    if (took) {
      *took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    }
    EXPECT_TRUE(r);
    if (!r) return 0;
    EXPECT_EQ(r->status, 201) << r->body;
    if (r->status != 201) return 0;
    return json::parse(r->body)["recorded"][0]["index"].get<uint64_t>() + 1;
  }

  // GET `path` from the sequencer ("" on failure).
  static std::string Get(int port, const std::string& path) {
    httplib::Client cli("127.0.0.1", port);
    auto r = cli.Get(path);
    return r && r->status == 200 ? r->body : "";
  }

  // How many of the two witnesses' cosignatures `note` carries (verified).
  size_t Cosigners(const std::string& note) {
    size_t n = 0;
    for (const note::VerifierKey& k : keys_) {
      auto v = note::Verify(note, {k});
      if (v.ok()) ++n;
    }
    return n;
  }

  // Waits (5 s at most) until the stored checkpoint of `size` carries
  // `want` cosignatures; returns it.
  std::string WaitCosigned(int port, uint64_t size, size_t want) {
    std::string path = "/v1/log/checkpoints/" + std::to_string(size);
    std::string note;
    for (int i = 0; i < 250; ++i) {
      note = Get(port, path);
      if (!note.empty() && Cosigners(note) >= want) return note;
      std::this_thread::sleep_for(20ms);
    }
    return note;
  }

  CommandResult VerifyPolicy(const std::string& note) {
    return Accord({"checkpoint", "verify", "--policy", tmp_ / "policy", "-"}, note);
  }

  TempDir tmp_;
  std::string token_;
  std::vector<std::string> vkeys_;
  std::vector<note::VerifierKey> keys_;
};

TEST_F(CosignProcessTest, EveryCheckpointCarriesBothCosignatures) {
  auto w1 = StartWitness(1), w2 = StartWitness(2);
  WritePolicy(w1->port(), w2->port());
  auto seq = StartSequencer();
  ASSERT_GT(seq->port(), 0);
  // The checkpoint the sequencer starts with is cosigned first.
  std::string first = Get(seq->port(), "/tlog/checkpoint");
  uint64_t first_size = note::ParseCheckpoint(note::ParseNote(first).value().text).value().size;
  EXPECT_EQ(Cosigners(WaitCosigned(seq->port(), first_size, 2)), 2u);

  for (int i = 0; i < 3; ++i) {
    uint64_t size = Record(seq->port(), "cosigned-" + std::to_string(i));
    ASSERT_GT(size, first_size);
    std::string note = WaitCosigned(seq->port(), size, 2);
    ASSERT_EQ(Cosigners(note), 2u) << note << seq->Err();
    CommandResult v = VerifyPolicy(note);
    EXPECT_EQ(v.exit_code, 0) << Describe(v);
    // In the order they arrived.
    EXPECT_TRUE(Contains(v.err, "cosigned by W1, W2; quorum both met") ||
                Contains(v.err, "cosigned by W2, W1; quorum both met"))
        << v.err;
    // The latest checkpoint, on both routes, is that cosigned note.
    EXPECT_EQ(Get(seq->port(), "/tlog/checkpoint"), note);
    EXPECT_EQ(Get(seq->port(), "/v1/log/checkpoint"), note);
  }
  // The whole log, then the quorum on its latest checkpoint.
  CommandResult lv =
      Accord({"log", "verify", "--db", tmp_ / "seq.db", "--policy", tmp_ / "policy"});
  EXPECT_EQ(lv.exit_code, 0) << Describe(lv);
  EXPECT_EQ(seq->Signal(SIGTERM), 0) << seq->Err();
  EXPECT_EQ(seq->Err().find("cosignatures: witness"), std::string::npos) << seq->Err();
}

// The sequencer remembers W1 at a size W1 has moved past (another client
// had it cosign a later checkpoint): W1 answers 409 with its size, and the
// sequencer retries once, from that size, with a proof from it.
TEST_F(CosignProcessTest, StaleWitnessSizeIsRetriedAfter409) {
  auto w1 = StartWitness(1), w2 = StartWitness(2);
  WritePolicy(w1->port(), w2->port());
  uint64_t n1 = 0;
  {
    auto seq = StartSequencer();
    n1 = Record(seq->port(), "before");
    ASSERT_EQ(Cosigners(WaitCosigned(seq->port(), n1, 2)), 2u) << seq->Err();
    EXPECT_EQ(seq->Signal(SIGTERM), 0);
  }
  // While the sequencer is down: one more event, and W1 cosigns that
  // checkpoint at another client's request.
  std::string db = tmp_ / "seq.db";
  ASSERT_EQ(
      Accord({"record", "--db", db, "--key", tmp_ / "seq.keys/ru.skey"}, Event("aside") + "\n")
          .exit_code,
      0);
  std::string n2_note = Accord({"log", "checkpoint", "--db", db}).out;
  uint64_t n2 = note::ParseCheckpoint(note::ParseNote(n2_note).value().text).value().size;
  ASSERT_EQ(n2, n1 + 1);
  json proof = json::parse(Accord({"log", "consistency", "--db", db, "--from", std::to_string(n1),
                                   "--to", std::to_string(n2)})
                               .out);
  std::string body = "old " + std::to_string(n1) + "\n";
  for (const json& h : proof["proof"]) body += h.get<std::string>() + "\n";
  body += "\n" + n2_note;
  httplib::Client direct("127.0.0.1", w1->port());
  auto r = direct.Post("/tlog/add-checkpoint", body, "text/plain");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;

  // The sequencer comes back and records: W1 is at n2, not n1.
  auto seq = StartSequencer();
  uint64_t n3 = Record(seq->port(), "after");
  ASSERT_EQ(n3, n2 + 1);
  std::string note = WaitCosigned(seq->port(), n3, 2);
  ASSERT_EQ(Cosigners(note), 2u) << seq->Err();
  EXPECT_EQ(VerifyPolicy(note).exit_code, 0);
  std::string said = "witness W1 is at size " + std::to_string(n2) + ", not " + std::to_string(n1) +
                     " (409): retrying from " + std::to_string(n2);
  EXPECT_NE(seq->Err().find(said), std::string::npos) << seq->Err();
  // W2 was where the sequencer thought: no 409 for it.
  EXPECT_EQ(seq->Err().find("witness W2 is at size"), std::string::npos) << seq->Err();
}

// W2 hangs (SIGSTOP: its socket accepts, nothing answers), then is killed:
// writes stay fast, W1 goes on cosigning, and the quorum "both" fails. W2
// comes back on its port: the next checkpoint has both cosignatures again.
TEST_F(CosignProcessTest, AWitnessDownNeverBlocksWrites) {
  auto w1 = StartWitness(1), w2 = StartWitness(2);
  int port2 = w2->port();
  WritePolicy(w1->port(), port2);
  auto seq = StartSequencer();
  uint64_t n1 = Record(seq->port(), "up");
  ASSERT_EQ(Cosigners(WaitCosigned(seq->port(), n1, 2)), 2u) << seq->Err();

  w2->Signal(SIGSTOP);
  std::string hung;
  for (int i = 0; i < 3; ++i) {
    std::chrono::milliseconds took{};
    uint64_t n = Record(seq->port(), "hung-" + std::to_string(i), &took);
    ASSERT_GT(n, n1);
    EXPECT_LT(took, 2000ms) << "a write waited for a hung witness (--cosign-timeout 2)";
    hung = WaitCosigned(seq->port(), n, 1);
    EXPECT_EQ(Cosigners(hung), 1u);  // W1's
    EXPECT_TRUE(note::Verify(hung, {keys_[0]}).ok());
  }
  CommandResult v = VerifyPolicy(hung);
  EXPECT_EQ(v.exit_code, 1) << Describe(v);
  EXPECT_NE(v.err.find("quorum both"), std::string::npos) << v.err;

  w2->Signal(SIGKILL);
  std::chrono::milliseconds took{};
  uint64_t down = Record(seq->port(), "down", &took);
  EXPECT_LT(took, 2000ms);
  std::string one = WaitCosigned(seq->port(), down, 1);
  EXPECT_EQ(VerifyPolicy(one).exit_code, 1);
  EXPECT_NE(seq->Err().find("cosignatures: witness W2"), std::string::npos) << seq->Err();

  // Back on the same port, with its own records: the next checkpoint is
  // cosigned by both, and the quorum is met.
  w2 = StartWitness(2, port2);
  ASSERT_EQ(w2->port(), port2);
  uint64_t later = Record(seq->port(), "back");
  std::string both = WaitCosigned(seq->port(), later, 2);
  ASSERT_EQ(Cosigners(both), 2u) << seq->Err();
  v = VerifyPolicy(both);
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_NE(seq->Err().find("witness W2 (http://127.0.0.1:" + std::to_string(port2) +
                            "/tlog): cosigning"),
            std::string::npos)
      << seq->Err();
  EXPECT_EQ(seq->Signal(SIGTERM), 0) << seq->Err();
}

// --policy is checked before the server starts: a policy for another log, or
// one that names no witness URL, is refused with a message naming it.
TEST_F(CosignProcessTest, BadPoliciesAreRefusedAtStart) {
  WriteFile(tmp_ / "other", "log " + Trim(Accord({"key", "vkey", tmp_ / "w1.skey"}).out) +
                                "\nwitness W1 " + vkeys_[0] + " http://127.0.0.1:1/\nquorum W1\n");
  CommandResult r = Accord(
      {"serve", "--db", tmp_ / "seq.db", "--listen", "127.0.0.1:0", "--policy", tmp_ / "other"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_NE(r.err.find("--policy " + (tmp_ / "other")), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("lists no key of this log"), std::string::npos) << r.err;
  WriteFile(tmp_ / "nourl", "witness W1 " + vkeys_[0] + "\nquorum W1\n");
  r = Accord(
      {"serve", "--db", tmp_ / "seq.db", "--listen", "127.0.0.1:0", "--policy", tmp_ / "nourl"});
  EXPECT_EQ(r.exit_code, 2) << Describe(r);
  EXPECT_NE(r.err.find("no witness with a URL"), std::string::npos) << r.err;
  WriteFile(tmp_ / "bad", "witness W1 nonsense\nquorum W1\n");
  r = Accord(
      {"serve", "--db", tmp_ / "seq.db", "--listen", "127.0.0.1:0", "--policy", tmp_ / "bad"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("policy line 1"), std::string::npos) << r.err;
  r = Accord({"serve", "--db", tmp_ / "seq.db", "--listen", "127.0.0.1:0", "--policy",
              tmp_ / "nourl", "--cosign-timeout", "0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--cosign-timeout"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace accord::testing
