// Issue 15, item 4 with real processes on loopback: `accord mirror` pulls a
// sequencer's log (`accord serve`) over C2SP tlog-tiles, verifies it and
// replays it into projections of its own. A mirror converges to the
// sequencer's digest and passes `accord verify`; a second --once appends
// only what is new; `serve` on the mirror reads but refuses writes; a fork
// or a changed entry stops it with exit 3 and evidence, committing nothing;
// killed (SIGKILL) mid-catch-up it resumes; entry bundles need a token of
// role admin or node.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "pg_test_util.h"
#include "storage/database.h"
#include "test_util.h"

namespace accord::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// `n` body.registered events of party RU, NDJSON, ids prefixed by `tag`.
std::string Events(const std::string& tag, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string id = tag + "-" + std::to_string(i);
    out += json{{"v", 1},
                {"type", "body.registered"},
                {"time", "2023-01-01T00:00:00Z"},
                {"party", "RU"},
                {"actor", "test/officer"},
                {"subject", "body/" + id},
                {"body",
                 {{"party", "RU"}, {"kind", "enterprise"}, {"name", "Plant " + id}, {"city", "X"}}}}
               .dump() +
           "\n";
  }
  return out;
}

// The number of log entries an SQLite registry holds (-1 if unreadable).
int64_t LogSize(const std::string& db) {
  auto d = storage::OpenDatabase(db, storage::OpenMode::kReadOnly);
  if (!d.ok()) return -1;
  auto n = (*d)->log().Size();
  return n.ok() ? static_cast<int64_t>(*n) : -1;
}

// Evidence files beside `dir/name.db`.
std::vector<std::string> EvidenceFiles(const std::string& dir, const std::string& stem) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.starts_with(stem + ".mirror-evidence-")) out.push_back(e.path().string());
  }
  return out;
}

// `accord <args>` started in the background, stderr to a file; SIGKILLed
// and reaped on destruction.
class Background {
 public:
  Background(const std::vector<std::string>& args, const std::string& err) : err_(err) {
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) dup2(fd, 2);
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, 1);
      std::string bin = ACCORD_BINARY;
      std::vector<char*> argv = {bin.data()};
      std::vector<std::string> copy = args;
      for (std::string& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Background() {
    if (pid_ > 0) Kill();
  }
  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }
  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  // Sends `sig`, reaps the process and returns its exit code (128 + signal
  // if a signal ended it).
  int Stop(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }
  std::string Err() const { return ReadFile(err_); }

 private:
  pid_t pid_ = -1;
  std::string err_;
};

class MirrorProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Accord({"demo", "--db", tmp_ / "seq.db"}).exit_code, 0);
    node_token_ = AddUser("seq.db", "mirror-node", "node");
  }

  std::string AddUser(const std::string& db, const std::string& name, const std::string& role) {
    return Trim(
        Accord({"user", "add", name, "--party", "RU", "--role", role, "--db", tmp_ / db}).out);
  }

  CommandResult Record(const std::string& db, const std::string& ndjson) {
    return Accord({"record", "--db", tmp_ / db, "--key", tmp_ / "seq.keys/ru.skey"}, ndjson);
  }

  std::unique_ptr<ServeProcess> Serve(const std::string& db,
                                      std::vector<std::string> extra = {"--rate", "0"}) {
    std::vector<std::string> args = {"serve", "--db", tmp_ / db, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = std::make_unique<ServeProcess>(args, tmp_ / (db + ".err"));
    EXPECT_GT(p->port(), 0) << p->Err();
    return p;
  }

  std::vector<std::string> MirrorArgs(int port, const std::string& token,
                                      const std::string& db = "mirror.db") {
    std::vector<std::string> args = {"mirror",
                                     "--db",
                                     tmp_ / db,
                                     "--from",
                                     "http://127.0.0.1:" + std::to_string(port),
                                     "--log-vkey",
                                     tmp_ / "seq.node.vkey",
                                     "--once"};
    if (!token.empty()) {
      args.push_back("--token");
      args.push_back(token);
    }
    return args;
  }

  CommandResult Mirror(int port, const std::string& token = "",
                       const std::string& db = "mirror.db") {
    return Accord(MirrorArgs(port, token.empty() ? node_token_ : token, db));
  }

  std::string Digest(const std::string& db) {
    CommandResult r = Accord({"digest", "--db", tmp_ / db});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return Trim(r.out);
  }

  TempDir tmp_;
  std::string node_token_;
};

TEST_F(MirrorProcessTest, ConvergesVerifiesAndAppendsOnlyNewEvents) {
  auto seq = Serve("seq.db");
  ASSERT_GT(seq->port(), 0);
  CommandResult m = Mirror(seq->port());
  ASSERT_EQ(m.exit_code, 0) << Describe(m);
  EXPECT_TRUE(Contains(m.err, "created mirror")) << m.err;
  EXPECT_EQ(Digest("mirror.db"), Digest("seq.db"));
  CommandResult v = Accord({"verify", "--db", tmp_ / "mirror.db"});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  uint64_t first = static_cast<uint64_t>(LogSize(tmp_ / "seq.db"));
  EXPECT_TRUE(Contains(v.out, "ok: " + std::to_string(first) + " events")) << v.out;

  // More events: the second --once replays only those.
  ASSERT_EQ(Record("seq.db", Events("more", 7)).exit_code, 0);
  m = Mirror(seq->port());
  ASSERT_EQ(m.exit_code, 0) << Describe(m);
  EXPECT_TRUE(Contains(m.err, "mirror verified size " + std::to_string(first + 7) + " (was " +
                                  std::to_string(first) + "): 7 entries replayed"))
      << m.err;
  EXPECT_EQ(Digest("mirror.db"), Digest("seq.db"));
  m = Mirror(seq->port());
  ASSERT_EQ(m.exit_code, 0) << Describe(m);
  EXPECT_TRUE(Contains(m.err, "mirror up to date at size " + std::to_string(first + 7))) << m.err;

  // show and report read the mirror as they read the sequencer.
  for (std::vector<std::string> cmd :
       {std::vector<std::string>{"show", "agreements", "--json"},
        std::vector<std::string>{"report", "att", "--party", "RU", "--year", "2018"}}) {
    std::vector<std::string> on_seq = cmd, on_mirror = cmd;
    on_seq.insert(on_seq.end(), {"--db", tmp_ / "seq.db"});
    on_mirror.insert(on_mirror.end(), {"--db", tmp_ / "mirror.db"});
    CommandResult a = Accord(on_seq), b = Accord(on_mirror);
    EXPECT_EQ(a.exit_code, 0) << Describe(a);
    EXPECT_EQ(b.exit_code, 0) << Describe(b);
    EXPECT_EQ(a.out, b.out);
  }

  // serve on the mirror: the same checkpoint, and writes refused.
  std::string officer = AddUser("mirror.db", "o", "officer");
  auto ms = Serve("mirror.db");
  ASSERT_GT(ms->port(), 0);
  httplib::Client seq_cli("127.0.0.1", seq->port()), mirror_cli("127.0.0.1", ms->port());
  auto a = seq_cli.Get("/tlog/checkpoint");
  auto b = mirror_cli.Get("/tlog/checkpoint");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, b->body);
  auto post = mirror_cli.Post("/v1/events", {{"Authorization", "Bearer " + officer}},
                              Events("refused", 1), "application/x-ndjson");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403) << post->body;
  EXPECT_TRUE(Contains(post->body, "read-only mirror")) << post->body;
  // `record` on it is refused as clearly.
  CommandResult rec = Record("mirror.db", Events("refused", 1));
  EXPECT_NE(rec.exit_code, 0);
  EXPECT_TRUE(Contains(rec.err, "read-only mirror")) << rec.err;
  EXPECT_EQ(Digest("mirror.db"), Digest("seq.db"));
}

// Two registries with the same key and origin and a common prefix, then
// different entries: the mirror of one refuses the other.
TEST_F(MirrorProcessTest, AForkStopsTheMirrorWithEvidenceAndChangesNothing) {
  CommandResult copy = Accord({"migrate", "--from", tmp_ / "seq.db", "--to", tmp_ / "fork.db"});
  ASSERT_EQ(copy.exit_code, 0) << Describe(copy);
  ASSERT_EQ(Record("seq.db", Events("honest", 3)).exit_code, 0);
  ASSERT_EQ(Record("fork.db", Events("forked", 5)).exit_code, 0);
  uint64_t common = static_cast<uint64_t>(LogSize(tmp_ / "seq.db")) - 3;
  {
    auto seq = Serve("seq.db");
    ASSERT_EQ(Mirror(seq->port()).exit_code, 0);
  }
  std::string before = Digest("mirror.db");
  ASSERT_EQ(before, Digest("seq.db"));
  std::string fork_token = AddUser("fork.db", "mirror-node-2", "node");
  auto fork = Serve("fork.db");
  ASSERT_GT(fork->port(), 0);
  CommandResult m = Mirror(fork->port(), fork_token);
  EXPECT_EQ(m.exit_code, 3) << Describe(m);
  EXPECT_TRUE(
      Contains(m.err, "not consistent with the checkpoint of size " + std::to_string(common + 3)))
      << m.err;
  auto files = EvidenceFiles(tmp_.path(), "mirror");
  ASSERT_EQ(files.size(), 1u) << m.err;
  EXPECT_TRUE(Contains(m.err, files[0])) << m.err;
  std::string evidence = ReadFile(files[0]);
  EXPECT_TRUE(Contains(evidence, "kind: inconsistent")) << evidence;
  // Both checkpoints.
  httplib::Client cli("127.0.0.1", fork->port());
  auto forked_cp = cli.Get("/tlog/checkpoint");
  ASSERT_TRUE(forked_cp);
  EXPECT_TRUE(Contains(evidence, forked_cp->body)) << evidence;
  CommandResult own = Accord({"log", "checkpoint", "--db", tmp_ / "mirror.db"});
  EXPECT_TRUE(Contains(evidence, own.out)) << evidence;
  EXPECT_EQ(Digest("mirror.db"), before);
  EXPECT_EQ(Accord({"verify", "--db", tmp_ / "mirror.db"}).exit_code, 0);
}

TEST_F(MirrorProcessTest, AChangedEntryIsNamedAndNothingOfItIsCommitted) {
  // Entry 5's bytes changed behind the log's back: its bundle no longer
  // matches the hash tiles.
  std::string error;
  ASSERT_EQ(ExecSql(tmp_ / "seq.db",
                    "UPDATE log_entries SET data = CAST('tampered' AS BLOB) WHERE idx = 5", &error),
            1)
      << error;
  auto seq = Serve("seq.db");
  ASSERT_GT(seq->port(), 0);
  CommandResult m = Mirror(seq->port());
  EXPECT_EQ(m.exit_code, 3) << Describe(m);
  EXPECT_TRUE(Contains(m.err, "entry 5 does not match the log's hash tiles")) << m.err;
  auto files = EvidenceFiles(tmp_.path(), "mirror");
  ASSERT_EQ(files.size(), 1u);
  std::string evidence = ReadFile(files[0]);
  EXPECT_TRUE(Contains(evidence, "index: 5")) << evidence;
  EXPECT_TRUE(Contains(evidence, "dGFtcGVyZWQ=")) << evidence;  // "tampered"
  EXPECT_EQ(LogSize(tmp_ / "mirror.db"), 0);
}

// An entry that matches the tiles (the log signed it) but whose event's
// signature does not verify: the replay refuses it, and its bundle.
TEST_F(MirrorProcessTest, AnEventWithABadSignatureIsRefusedByTheReplay) {
  std::string leaf;
  {
    auto db = storage::OpenDatabase(tmp_ / "seq.db", storage::OpenMode::kReadOnly);
    ASSERT_TRUE(db.ok());
    leaf = (*db)->log().ReadEntries(5, 6).value()[0];
  }
  json j = json::parse(leaf);
  j["s"] =
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
  CommandResult app = Accord({"log", "append", "--db", tmp_ / "seq.db"}, j.dump() + "\n");
  ASSERT_EQ(app.exit_code, 0) << Describe(app);
  const int64_t bad = LogSize(tmp_ / "seq.db") - 1;
  auto seq = Serve("seq.db");
  ASSERT_GT(seq->port(), 0);
  CommandResult m = Mirror(seq->port());
  EXPECT_EQ(m.exit_code, 3) << Describe(m);
  EXPECT_TRUE(Contains(m.err, "entry " + std::to_string(bad) + " is refused")) << m.err;
  EXPECT_TRUE(Contains(m.err, "signature does not verify")) << m.err;
  auto files = EvidenceFiles(tmp_.path(), "mirror");
  ASSERT_EQ(files.size(), 1u);
  std::string evidence = ReadFile(files[0]);
  EXPECT_TRUE(Contains(evidence, "kind: refused-entry")) << evidence;
  EXPECT_TRUE(Contains(evidence, "index: " + std::to_string(bad))) << evidence;
  // The bundles before the refused one's are in; not that one.
  EXPECT_EQ(LogSize(tmp_ / "mirror.db"), bad / 256 * 256);
}

TEST_F(MirrorProcessTest, KilledMidCatchUpItResumesAndConverges) {
  for (int part = 0; part < 4; ++part) {
    ASSERT_EQ(Record("seq.db", Events("bulk" + std::to_string(part), 1000)).exit_code, 0);
  }
  const int64_t total = LogSize(tmp_ / "seq.db");
  ASSERT_GT(total, 4000);
  {
    // A slow node (a few requests a second): the catch-up takes seconds.
    auto slow = Serve("seq.db", {"--rate", "3", "--burst", "3"});
    ASSERT_GT(slow->port(), 0);
    Background m(MirrorArgs(slow->port(), node_token_), tmp_ / "mirror1.err");
    int64_t held = 0;
    for (int i = 0; i < 1500 && m.Running(); ++i) {
      std::this_thread::sleep_for(10ms);
      held = std::filesystem::exists(tmp_ / "mirror.db") ? LogSize(tmp_ / "mirror.db") : 0;
      if (held >= 256) break;
    }
    ASSERT_TRUE(m.Running()) << m.Err();
    m.Kill();
    held = LogSize(tmp_ / "mirror.db");
    ASSERT_GE(held, 256);
    ASSERT_LT(held, total);
  }
  const int64_t held = LogSize(tmp_ / "mirror.db");
  auto seq = Serve("seq.db");
  CommandResult m = Mirror(seq->port());
  ASSERT_EQ(m.exit_code, 0) << Describe(m);
  EXPECT_TRUE(Contains(m.err, std::to_string(total - held) + " entries replayed")) << m.err;
  EXPECT_EQ(Digest("mirror.db"), Digest("seq.db"));
  CommandResult v = Accord({"verify", "--db", tmp_ / "mirror.db"});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

// --db takes a postgresql:// URI as everywhere; evidence then goes to
// --key-dir.
TEST_F(MirrorProcessTest, MirrorsIntoPostgresWithEvidenceInKeyDir) {
  if (PgServerUri().empty()) GTEST_SKIP() << kNoPgServer;
  std::string uri = FreshPgDatabase("mirror");
  ASSERT_FALSE(uri.empty());
  std::string name = uri.substr(uri.rfind('/') + 1);
  std::filesystem::create_directories(tmp_ / "evidence");
  ASSERT_EQ(Accord({"migrate", "--from", tmp_ / "seq.db", "--to", tmp_ / "fork.db"}).exit_code, 0);
  ASSERT_EQ(Record("fork.db", Events("forked", 2)).exit_code, 0);
  ASSERT_EQ(Record("seq.db", Events("honest", 1)).exit_code, 0);
  auto mirror = [&](int port, const std::string& token) {
    return Accord({"mirror", "--db", uri, "--from", "http://127.0.0.1:" + std::to_string(port),
                   "--log-vkey", tmp_ / "seq.node.vkey", "--token", token, "--once", "--key-dir",
                   tmp_ / "evidence"});
  };
  {
    auto seq = Serve("seq.db");
    CommandResult m = mirror(seq->port(), node_token_);
    ASSERT_EQ(m.exit_code, 0) << Describe(m);
  }
  std::string digest = Digest("seq.db");
  CommandResult d = Accord({"digest", "--db", uri});
  EXPECT_EQ(Trim(d.out), digest) << Describe(d);
  EXPECT_EQ(Accord({"verify", "--db", uri}).exit_code, 0);

  auto fork = Serve("fork.db");
  CommandResult m = mirror(fork->port(), AddUser("fork.db", "peer", "node"));
  EXPECT_EQ(m.exit_code, 3) << Describe(m);
  auto files = EvidenceFiles(tmp_ / "evidence", name);
  ASSERT_EQ(files.size(), 1u) << m.err;
  EXPECT_TRUE(Contains(ReadFile(files[0]), "kind: inconsistent"));
  EXPECT_EQ(Trim(Accord({"digest", "--db", uri}).out), digest);
}

// Without --once the mirror follows the log every --interval seconds, and
// SIGTERM stops it with exit 0.
TEST_F(MirrorProcessTest, WithoutOnceItFollowsTheLogUntilStopped) {
  auto seq = Serve("seq.db");
  ASSERT_GT(seq->port(), 0);
  std::vector<std::string> args = MirrorArgs(seq->port(), node_token_);
  args.erase(std::find(args.begin(), args.end(), "--once"));
  args.insert(args.end(), {"--interval", "0.2"});
  Background m(args, tmp_ / "follow.err");
  auto wait_for = [&](int64_t size) {
    for (int i = 0; i < 1000; ++i) {
      if (std::filesystem::exists(tmp_ / "mirror.db") && LogSize(tmp_ / "mirror.db") == size) {
        return true;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  };
  ASSERT_TRUE(wait_for(LogSize(tmp_ / "seq.db"))) << m.Err();
  ASSERT_EQ(Record("seq.db", Events("later", 4)).exit_code, 0);
  ASSERT_TRUE(wait_for(LogSize(tmp_ / "seq.db"))) << m.Err();
  // The last bundle's commit also makes the checkpoint the verified one.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(m.Stop(SIGTERM), 0) << m.Err();
  EXPECT_TRUE(Contains(m.Err(), "4 entries replayed")) << m.Err();
  EXPECT_EQ(Digest("mirror.db"), Digest("seq.db"));
}

TEST_F(MirrorProcessTest, EntryBundlesNeedATokenOfRoleNodeOrAdmin) {
  auto seq = Serve("seq.db");
  ASSERT_GT(seq->port(), 0);
  std::vector<std::string> no_token = MirrorArgs(seq->port(), "");
  CommandResult m = Accord(no_token);
  EXPECT_NE(m.exit_code, 0);
  EXPECT_NE(m.exit_code, 3) << "not a fault of the log";
  EXPECT_TRUE(Contains(m.err, "HTTP 401")) << m.err;
  EXPECT_TRUE(Contains(m.err, "no --token was given")) << m.err;
  EXPECT_TRUE(Contains(m.err, "role admin or node")) << m.err;

  std::string officer = AddUser("seq.db", "o", "officer");
  m = Mirror(seq->port(), officer);
  EXPECT_NE(m.exit_code, 0);
  EXPECT_TRUE(Contains(m.err, "HTTP 403")) << m.err;
  EXPECT_TRUE(Contains(m.err, "the --token given was refused")) << m.err;
  EXPECT_EQ(LogSize(tmp_ / "mirror.db"), 0);
  EXPECT_TRUE(EvidenceFiles(tmp_.path(), "mirror").empty());

  // With the node's token it goes through.
  EXPECT_EQ(Mirror(seq->port()).exit_code, 0);
}

}  // namespace
}  // namespace accord::testing
