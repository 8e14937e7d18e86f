#include "merkle/tile_path.h"

#include <gtest/gtest.h>

#include <random>

namespace accord::merkle {
namespace {

TEST(TilePathTest, EncodesTheSpecExamples) {
  EXPECT_EQ(EncodeTileIndex(1234067), "x001/x234/067");
  EXPECT_EQ(EncodeTileIndex(0), "000");
  EXPECT_EQ(EncodeTileIndex(999), "999");
  EXPECT_EQ(EncodeTileIndex(1000), "x001/000");
  EXPECT_EQ(TilePath({false, 0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath({false, 2, 5, 17}), "tile/2/005.p/17");
  EXPECT_EQ(TilePath({true, 0, 273, 112}), "tile/entries/273.p/112");
  EXPECT_EQ(TilePath({true, 0, 1000000, 256}), "tile/entries/x001/x000/000");
}

TEST(TilePathTest, ParsesWhatItEncodes) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    TilePathInfo t;
    t.entries = i % 3 == 0;
    t.level = t.entries ? 0 : static_cast<uint32_t>(rng() % 64);
    t.index = i < 50 ? static_cast<uint64_t>(i) : rng() >> (rng() % 64);
    t.width = i % 2 ? 256 : 1 + rng() % 255;
    std::string p = TilePath(t);
    auto back = ParseTilePath(p);
    ASSERT_TRUE(back.ok()) << p << ": " << back.status().ToString();
    EXPECT_EQ(back->entries, t.entries) << p;
    EXPECT_EQ(back->level, t.level) << p;
    EXPECT_EQ(back->index, t.index) << p;
    EXPECT_EQ(back->width, t.width) << p;
    EXPECT_TRUE(ParseTilePath("/" + p).ok()) << p;
  }
  EXPECT_EQ(ParseTilePath("tile/63/x018/x446/x744/x073/x709/x551/615")->index, UINT64_MAX);
}

TEST(TilePathTest, RefusesEveryOtherSpelling) {
  for (const char* p : {
           "tile/0/1",          // index not three digits
           "tile/0/0001",       // four digits
           "tile/0/x000/001",   // leading x000 group
           "tile/0/001/002",    // group without x
           "tile/0/x001",       // last group with x
           "tile/00/001",       // level with a leading zero
           "tile/64/001",       // level too high
           "tile/-1/001",       // negative level
           "tile/0/001.p/256",  // a full tile is not partial
           "tile/0/001.p/0",    // empty tile
           "tile/0/001.p/08",   // width with a leading zero
           "tile/0/001.p/",     // no width
           "tile/0/001.p",      // no width
           "tile/0/001/",       // trailing slash
           "tile/0/",           // no index
           "tile/entries",      // no index
           "tiles/0/001",       // not "tile"
           "tile/0/abc",        // not digits
           "tile/entries/x001/x00a/000",
           "tile/63/x018/x446/x744/x073/x709/x551/616",  // past 2^64-1
           "tile/0/x001/x002/x003/x004/x005/x006/x007/000",
       }) {
    auto r = ParseTilePath(p);
    EXPECT_FALSE(r.ok()) << p;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("tile path"), std::string::npos) << p;
    }
  }
}

}  // namespace
}  // namespace accord::merkle
