#include "merkle/tiles.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "merkle/hasher.h"

namespace accord::merkle {
namespace {

// An in-memory tile store fed by a TileBuilder.
struct MemTiles {
  std::map<TileId, Tile> tiles;
  void Put(std::vector<Tile> ts) {
    for (Tile& t : ts) tiles[t.id] = std::move(t);
  }
  TileNodeReader Reader() {
    return TileNodeReader([this](const TileId& id) -> Result<Tile> {
      auto it = tiles.find(id);
      if (it == tiles.end()) return Status::NotFound("no tile");
      return it->second;
    });
  }
};

Hash Leaf(uint64_t i) {
  return LeafHash("leaf " + std::to_string(i));
}

Hash Reference(uint64_t begin, uint64_t end) {
  uint64_t n = end - begin;
  if (n == 1) return Leaf(begin);
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return NodeHash(Reference(begin, begin + k), Reference(begin + k, end));
}

TEST(Tiles, TileForMapsNodesToTheirTile) {
  EXPECT_EQ(TileFor({0, 0}), (TileId{0, 0}));
  EXPECT_EQ(TileFor({0, 255}), (TileId{0, 0}));
  EXPECT_EQ(TileFor({0, 256}), (TileId{0, 1}));
  EXPECT_EQ(TileFor({7, 1}), (TileId{0, 0}));  // leaves 128..255
  EXPECT_EQ(TileFor({7, 2}), (TileId{0, 1}));
  EXPECT_EQ(TileFor({8, 0}), (TileId{1, 0}));
  EXPECT_EQ(TileFor({9, 128}), (TileId{1, 1}));
}

TEST(Tiles, BuilderInBatchesServesEveryPrefixRoot) {
  MemTiles mem;
  TileBuilder b;
  std::mt19937 rng(1);
  uint64_t n = 0;
  while (n < 70000) {
    uint64_t batch = 1 + rng() % (n < 1000 ? 7 : 3000);
    for (uint64_t i = 0; i < batch; ++i) b.Add(Leaf(n++));
    mem.Put(b.TakeDirty());
    auto reader = mem.Reader();
    ASSERT_EQ(RootAt(reader, n).value(), Reference(0, n)) << n;
    ASSERT_EQ(b.Root(), Reference(0, n)) << n;
  }
  // Older prefixes stay provable from the final tiles.
  auto reader = mem.Reader();
  for (uint64_t size : {1, 255, 256, 257, 65535, 65536, 65537}) {
    ASSERT_EQ(RootAt(reader, size).value(), Reference(0, size)) << size;
  }
}

TEST(Tiles, ResumeContinuesExactlyWhereTheStoreLeftOff) {
  MemTiles mem;
  TileBuilder b;
  for (uint64_t i = 0; i < 66000; ++i) b.Add(Leaf(i));
  mem.Put(b.TakeDirty());
  for (uint64_t cut : {0, 1, 255, 256, 300, 65536, 66000}) {
    MemTiles part;
    TileBuilder pb;
    for (uint64_t i = 0; i < cut; ++i) pb.Add(Leaf(i));
    part.Put(pb.TakeDirty());
    std::vector<Tile> edge;
    for (const TileId& id : TileBuilder::EdgeTiles(cut)) edge.push_back(part.tiles.at(id));
    auto resumed = TileBuilder::Resume(cut, edge);
    ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
    for (uint64_t i = cut; i < 66000; ++i) resumed->Add(Leaf(i));
    part.Put(resumed->TakeDirty());
    ASSERT_EQ(part.tiles.size(), mem.tiles.size()) << cut;
    for (const auto& [id, t] : mem.tiles) ASSERT_EQ(part.tiles.at(id).hashes, t.hashes) << cut;
  }
}

TEST(Tiles, ResumeRejectsTilesOfTheWrongWidth) {
  TileBuilder b;
  for (uint64_t i = 0; i < 10; ++i) b.Add(Leaf(i));
  auto tiles = b.TakeDirty();
  ASSERT_EQ(tiles.size(), 1u);
  EXPECT_FALSE(TileBuilder::Resume(11, tiles).ok());
  EXPECT_FALSE(TileBuilder::Resume(10, {}).ok());
  EXPECT_TRUE(TileBuilder::Resume(10, tiles).ok());
}

TEST(Tiles, ProofAtOneMillionReadsAFewTiles) {
  MemTiles mem;
  TileBuilder b;
  const uint64_t n = 1'000'000;
  for (uint64_t i = 0; i < n; ++i) b.Add(LeafHash(std::to_string(i)));
  mem.Put(b.TakeDirty());
  std::mt19937 rng(3);
  for (int t = 0; t < 50; ++t) {
    auto reader = mem.Reader();
    uint64_t idx = rng() % n;
    auto proof = InclusionProof(reader, idx, n);
    ASSERT_TRUE(proof.ok());
    EXPECT_GE(proof->size(), 19u);  // ceil(log2(1e6)) = 20 levels
    EXPECT_LE(proof->size(), 20u);
    EXPECT_LE(reader.tiles_fetched(), 8u);
  }
}

}  // namespace
}  // namespace accord::merkle
