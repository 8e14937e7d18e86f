// The C2SP routes over real HTTP on loopback: tlog-tiles (checkpoint, hash
// tiles, entry bundles) read back into src/merkle, the public checkpoints,
// the `node` role, and the tlog-witness add-checkpoint answers.
#include "api_test_util.h"
#include "log/witness_test_util.h"
#include "merkle/hasher.h"
#include "merkle/proof.h"
#include "merkle/tile_path.h"
#include "merkle/tiles.h"
#include "storage/database.h"
#include "storage/witness_store.h"

namespace accord::testing {
namespace {

class ApiTlogTest : public ApiServerTest {
 protected:
  static note::Checkpoint CurrentCheckpoint(std::string* text = nullptr) {
    auto r = s_->Get("", "/tlog/checkpoint");
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    auto n = note::ParseNote(r->body);
    EXPECT_TRUE(n.ok()) << r->body;
    if (text) *text = r->body;
    return note::ParseCheckpoint(n->text).value();
  }
  // The width of tile (level, index) in a tree of `size` (0 if beyond it).
  static uint64_t Width(uint32_t level, uint64_t index, uint64_t size) {
    uint64_t count = size >> (8 * level);
    if (count <= index * 256) return 0;
    return std::min<uint64_t>(256, count - index * 256);
  }
  static std::string Path(bool entries, uint32_t level, uint64_t index, uint64_t width) {
    return "/tlog/" + merkle::TilePath({entries, level, index, width});
  }
  static std::vector<std::string> ParseBundle(const std::string& body) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < body.size()) {
      EXPECT_LE(i + 2, body.size());
      size_t n =
          (static_cast<unsigned char>(body[i]) << 8) | static_cast<unsigned char>(body[i + 1]);
      EXPECT_LE(i + 2 + n, body.size());
      out.push_back(body.substr(i + 2, n));
      i += 2 + n;
    }
    return out;
  }
};

TEST_F(ApiTlogTest, CheckpointIsPublicPlainTextAndNotCached) {
  std::string text;
  note::Checkpoint cp = CurrentCheckpoint(&text);
  auto r = s_->Get("", "/tlog/checkpoint");
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  // The same note as /v1/log/checkpoint (now public too) and the CLI's.
  auto v1 = s_->Get("", "/v1/log/checkpoint");
  ASSERT_EQ(v1->status, 200) << v1->body;
  EXPECT_EQ(v1->body, text);
  EXPECT_EQ(text, Accord({"log", "checkpoint", "--db", s_->db}).out);
  // Signed by the log key.
  std::string vkey = ReadFile(s_->dir / "d.node.vkey");
  EXPECT_TRUE(note::Verify(text, {note::ParseVerifierKey(vkey).value()}).ok());
  // A token is optional, but a bad one is still refused.
  EXPECT_EQ(s_->Get("observer", "/tlog/checkpoint")->status, 200);
  ExpectError(s_->Client().Get("/tlog/checkpoint", {{"Authorization", "Bearer nope"}}), 401);
  ExpectError(s_->Client().Get("/v1/log/checkpoint", {{"Authorization", "Bearer nope"}}), 401);
  ExpectError(s_->Get("", "/tlog/checkpoint?x=1"), 400);
  EXPECT_GT(cp.size, 256u) << "the demo log should span two level-0 tiles";
}

TEST_F(ApiTlogTest, TilesFetchedOverHttpRecomputeTheCheckpoint) {
  // A few more checkpoints after the demo's one batch.
  for (int i = 0; i < 3; ++i) {
    auto p = s_->Post("ru-officer", BodyEvent("RU", "tlog-" + std::to_string(i)));
    ASSERT_EQ(p->status, 201) << p->body;
  }
  note::Checkpoint cp = CurrentCheckpoint();
  uint64_t size = cp.size;
  uint64_t fetched = 0;
  merkle::TileNodeReader reader([&](const merkle::TileId& id) -> Result<merkle::Tile> {
    uint64_t w = Width(id.level, id.index, size);
    EXPECT_GT(w, 0u);
    auto r = s_->Get("", Path(false, id.level, id.index, w));  // no token
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/octet-stream");
    EXPECT_EQ(r->body.size(), w * 32);
    std::string cache = r->get_header_value("Cache-Control");
    if (w == 256) {
      EXPECT_NE(cache.find("immutable"), std::string::npos) << cache;
    } else {
      EXPECT_EQ(cache.find("immutable"), std::string::npos) << cache;
    }
    ++fetched;
    return merkle::Tile{id, r->body};
  });
  auto root = merkle::RootAt(reader, size);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, cp.root);
  EXPECT_GE(fetched, 2u);
  // Every prefix root the tiles give matches the checkpoint stored for it
  // (the demo commits in batches: one checkpoint per batch).
  std::vector<uint64_t> sizes;
  {
    auto store = storage::OpenDatabase(s_->db);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)
                    ->log()
                    .ScanCheckpoints([&](uint64_t n, std::string_view) {
                      sizes.push_back(n);
                      return Status::Ok();
                    })
                    .ok());
  }
  ASSERT_GE(sizes.size(), 5u);
  for (uint64_t n : sizes) {
    if (n > size) continue;
    auto stored = s_->Get("", "/v1/log/checkpoints/" + std::to_string(n));
    ASSERT_EQ(stored->status, 200) << n << stored->body;
    auto c = note::ParseCheckpoint(note::ParseNote(stored->body)->text).value();
    EXPECT_EQ(c.size, n);
    EXPECT_EQ(merkle::RootAt(reader, n).value(), c.root) << n;
  }
  // Entry bundles (admin): each leaf hashes to its level-0 tile entry, and
  // all of them rebuild the root.
  merkle::TileBuilder rebuilt;
  for (uint64_t index = 0; index * 256 < size; ++index) {
    uint64_t w = Width(0, index, size);
    auto r = s_->Get("admin", Path(true, 0, index, w));
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/octet-stream");
    std::vector<std::string> leaves = ParseBundle(r->body);
    ASSERT_EQ(leaves.size(), w);
    auto tile = s_->Get("", Path(false, 0, index, w));
    for (uint64_t i = 0; i < w; ++i) {
      Hash h = merkle::LeafHash(leaves[i]);
      EXPECT_EQ(std::string(AsBytes(h)), tile->body.substr(i * 32, 32)) << index << "/" << i;
      EXPECT_TRUE(domain::ParseLeaf(leaves[i]).ok());
      rebuilt.Add(h);
    }
  }
  EXPECT_EQ(rebuilt.Root(), cp.root);
}

TEST_F(ApiTlogTest, PartialWidthsAndTilesBeyondTheTree) {
  uint64_t size = CurrentCheckpoint().size;
  uint64_t w1 = Width(0, 1, size);
  ASSERT_GT(w1, 1u);
  auto wide = s_->Get("", Path(false, 0, 1, w1));
  ASSERT_EQ(wide->status, 200);
  // A narrower partial tile is the prefix of a wider one (an older tree's).
  auto narrow = s_->Get("", Path(false, 0, 1, 1));
  ASSERT_EQ(narrow->status, 200);
  EXPECT_EQ(narrow->body, wide->body.substr(0, 32));
  // A partial of a full tile is its prefix as well.
  auto full = s_->Get("", "/tlog/tile/0/000");
  ASSERT_EQ(full->status, 200);
  EXPECT_EQ(full->body.size(), 8192u);
  EXPECT_EQ(s_->Get("", "/tlog/tile/0/000.p/200")->body, full->body.substr(0, 200 * 32));
  // Level 1 holds the hash of the full level-0 tile 0.
  auto l1 = s_->Get("", "/tlog/tile/1/000.p/1");
  ASSERT_EQ(l1->status, 200);
  merkle::TileBuilder first256;
  for (size_t i = 0; i < 256; ++i) {
    first256.Add(HashFromBytes(std::string_view(full->body).substr(i * 32, 32)));
  }
  EXPECT_EQ(l1->body, std::string(AsBytes(first256.Root())));

  std::vector<std::string> beyond = {Path(false, 0, 1, 256),     Path(false, 0, 1, w1 + 1),
                                     Path(false, 0, 2, 1),       Path(false, 1, 0, 256),
                                     Path(false, 1, 0, 2),       Path(false, 2, 0, 1),
                                     Path(false, 63, 999999, 1), Path(true, 0, 1, 256),
                                     Path(true, 0, 1, w1 + 1),   Path(true, 0, 5, 1)};
  for (const std::string& p : beyond) {
    ExpectError(s_->Get("admin", p), 404, "not_found");
  }
  for (const char* p : {"/tlog/tile/0/1", "/tlog/tile/0/x000/001", "/tlog/tile/0/000.p/256",
                        "/tlog/tile/64/000", "/tlog/tile/entries/000.p/0", "/tlog/tile/x"}) {
    ExpectError(s_->Get("admin", p), 400);
  }
}

TEST_F(ApiTlogTest, EntryBundlesNeedAdminOrNode) {
  ExpectError(s_->Get("", "/tlog/tile/entries/000"), 401, "unauthenticated");
  for (const char* user : {"ru-officer", "ru-inspector", "auditor", "observer"}) {
    ExpectError(s_->Get(user, "/tlog/tile/entries/000"), 403, "forbidden");
  }
  EXPECT_EQ(s_->Get("admin", "/tlog/tile/entries/000")->status, 200);
  // A node user, added with the CLI.
  CommandResult add =
      Accord({"user", "add", "peer", "--party", "UZ", "--role", "node", "--db", s_->db});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  std::string token = add.out.substr(0, add.out.find('\n'));
  httplib::Headers h = {{"Authorization", "Bearer " + token}};
  auto c = s_->Client();
  auto r = c.Get("/tlog/tile/entries/000", h);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "private, max-age=31536000, immutable");
  EXPECT_EQ(ParseBundle(r->body).size(), 256u);
  // A node reads the log's entries, and nothing of the projections.
  EXPECT_EQ(c.Get("/v1/log/entries?start=0&end=3", h)->status, 200);
  EXPECT_FALSE(json::parse(c.Get("/v1/log/entries?start=0&end=3", h)->body)["entries"][0].contains(
      "withheld"));
  ExpectError(c.Get("/v1/contracts", h), 403);
  ExpectError(c.Post("/v1/events", h, BodyEvent("UZ", "node-1"), "application/json"), 403);
  EXPECT_EQ(
      Accord({"user", "add", "x", "--party", "UZ", "--role", "nodes", "--db", s_->db}).exit_code,
      2);
}

TEST_F(ApiTlogTest, StoredCheckpointsBySize) {
  note::Checkpoint cp = CurrentCheckpoint();
  auto r = s_->Get("", "/v1/log/checkpoints/" + std::to_string(cp.size));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r->body, s_->Get("", "/v1/log/checkpoint")->body);
  r = s_->Get("", "/v1/log/checkpoints/0");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(note::ParseCheckpoint(note::ParseNote(r->body)->text)->root, merkle::EmptyRoot());
  ExpectError(s_->Get("", "/v1/log/checkpoints/" + std::to_string(cp.size + 1)), 404);
  ExpectError(s_->Get("", "/v1/log/checkpoints/01"), 400);
  ExpectError(s_->Get("", "/v1/log/checkpoints/-1"), 400);
  ExpectError(s_->Get("", "/v1/log/checkpoints/abc"), 400);
}

TEST_F(ApiTlogTest, AddCheckpointWithoutAWitnessIs404) {
  auto r = s_->Client().Post("/tlog/add-checkpoint", "old 0\n\n", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("not a witness"), std::string::npos);
}

// A node that witnesses a log of its own choosing (not its own log).
class ApiWitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_key_ = std::make_unique<note::Signer>(note::Signer::Generate("example.test/seq"));
    tree_ = std::make_unique<log::testing::TestTree>(*log_key_);
    tree_->Grow(40);
    fs::path d = tmp_.path();
    WriteFile(d / "w.skey", witness_key_.Encode() + "\n");
    WriteFile(d / "seq.vkey", log_key_->Verifier().Encode() + "\n");
    server_ = std::make_unique<ApiServer>([d](api::ServerOptions& o) {
      o.witness_key_file = d / "w.skey";
      o.witness_log_files = {d / "seq.vkey"};
    });
  }
  httplib::Result Add(const std::string& body) {
    return server_->Client().Post("/tlog/add-checkpoint", body, "text/plain");
  }
  httplib::Result Add(uint64_t old_size, uint64_t size) {
    std::vector<std::string> proof;
    if (old_size > 0 && old_size < size) proof = tree_->Proof(old_size, size);
    return Add(log::testing::AddCheckpointBody(old_size, proof, tree_->Checkpoint(size)));
  }
  TempDir tmp_;
  note::Signer witness_key_ = note::Signer::Generate("witness.test/ru");
  std::unique_ptr<note::Signer> log_key_;
  std::unique_ptr<log::testing::TestTree> tree_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(ApiWitnessTest, EveryAnswerOverHttp) {
  // 200: a cosignature/v1 line by the witness key.
  auto r = Add(0, 10);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  auto v = note::Verify(tree_->Checkpoint(10) + r->body, {witness_key_.CosignerVerifier()});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_GT(*v->verified[0].timestamp, 0u);
  // 409 with the size, as text/x.tlog.size; then the retry succeeds.
  r = Add(0, 20);
  ASSERT_EQ(r->status, 409);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/x.tlog.size");
  EXPECT_EQ(r->body, "10\n");
  EXPECT_EQ(Add(10, 20)->status, 200);
  // 400: old > size; malformed.
  EXPECT_EQ(Add(log::testing::AddCheckpointBody(30, {}, tree_->Checkpoint(20)))->status, 400);
  EXPECT_EQ(Add("old 1\n")->status, 400);
  // 404: unknown origin.
  log::testing::TestTree other(note::Signer::Generate("example.test/other"));
  other.Grow(3);
  EXPECT_EQ(Add(log::testing::AddCheckpointBody(0, {}, other.Checkpoint(3)))->status, 404);
  // 403: the right origin, not the trusted key.
  log::testing::TestTree impostor(note::Signer::Generate("example.test/seq"));
  impostor.Grow(30);
  EXPECT_EQ(Add(log::testing::AddCheckpointBody(20, {}, impostor.Checkpoint(30)))->status, 403);
  // 422: a bad proof.
  std::vector<std::string> proof = tree_->Proof(20, 30);
  proof.back()[5] ^= 1;
  EXPECT_EQ(Add(log::testing::AddCheckpointBody(20, proof, tree_->Checkpoint(30)))->status, 422);
  // A fork at the cosigned size: refused (409, v1.0.0) and kept.
  log::testing::TestTree fork(*log_key_, "fork ");
  fork.Grow(20);
  r = Add(log::testing::AddCheckpointBody(20, {}, fork.Checkpoint(20)));
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(r->body, "20\n");
  EXPECT_EQ(Add(20, 40)->status, 200);

  // The evidence, through the CLI.
  CommandResult ev = Accord({"witness", "evidence", "--db", server_->db, "--json"});
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  json list = json::parse(ev.out);
  ASSERT_EQ(list.size(), 2u) << ev.out;
  EXPECT_EQ(list[0]["kind"], "inconsistent");
  EXPECT_EQ(list[1]["kind"], "fork");
  EXPECT_EQ(list[1]["size"], 20);
  EXPECT_EQ(list[1]["origin"], "example.test/seq");
  EXPECT_NE(list[1]["request"].get<std::string>().find(fork.Checkpoint(20)), std::string::npos);
  EXPECT_NE(list[1]["cosigned_checkpoint"].get<std::string>().find("\n20\n"), std::string::npos);
  CommandResult table = Accord({"witness", "evidence", "--db", server_->db});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("fork"), std::string::npos);
}

TEST_F(ApiWitnessTest, ConcurrentRequestsFromOneSizeCosignOnce) {
  ASSERT_EQ(Add(0, 10)->status, 200);
  std::string body20 =
      log::testing::AddCheckpointBody(10, tree_->Proof(10, 20), tree_->Checkpoint(20));
  std::string body30 =
      log::testing::AddCheckpointBody(10, tree_->Proof(10, 30), tree_->Checkpoint(30));
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = Add(i % 2 ? body20 : body30);
      if (r && r->status == 200) ++ok;
      if (r && r->status == 409) ++conflict;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 7);
}

TEST(ApiWitnessConfigTest, RefusesItsOwnLogKeyAndHalfConfigurations) {
  TempDir tmp;
  fs::path d = tmp.path();
  note::Signer w = note::Signer::Generate("witness.test/x");
  WriteFile(d / "w.skey", w.Encode() + "\n");
  WriteFile(d / "log.vkey", note::Signer::Generate("example.test/l").Verifier().Encode());
  WriteFile(d / "bad.vkey", "not a key\n");
  CommandResult r = Accord({"demo", "--db", d / "r.db"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto create = [&](std::function<void(api::ServerOptions&)> f) {
    api::ServerOptions o;
    o.db = d / "r.db";
    o.port = 0;
    f(o);
    return api::Server::Create(o);
  };
  auto s = create([&](api::ServerOptions& o) { o.witness_key_file = d / "w.skey"; });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("--witness-log"), std::string::npos);
  s = create([&](api::ServerOptions& o) { o.witness_log_files = {d / "log.vkey"}; });
  ASSERT_FALSE(s.ok());
  s = create([&](api::ServerOptions& o) {
    o.witness_key_file = d / "w.skey";
    o.witness_log_files = {d / "bad.vkey"};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("bad.vkey"), std::string::npos);
  // The node's own log key cannot be its witness key.
  s = create([&](api::ServerOptions& o) {
    o.witness_key_file = d / "r.node.skey";
    o.witness_log_files = {d / "log.vkey"};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("log key"), std::string::npos) << s.status().message();
  s = create([&](api::ServerOptions& o) {
    o.witness_key_file = d / "w.skey";
    o.witness_log_files = {d / "log.vkey"};
  });
  EXPECT_TRUE(s.ok()) << s.status().ToString();
}

}  // namespace
}  // namespace accord::testing
