// Stored interior hashes, laid out as C2SP tlog-tiles hash tiles.
//
// A tile at tile level L and index N holds up to 256 consecutive hashes of
// tree level 8L: the nodes (8L, 256N) .. (8L, 256N + 255). A full tile has
// 256 hashes; the rightmost tile of a level may be partial. Any complete node
// (level l, index i) is computed from the one tile that holds its
// descendants at level 8*(l/8): at most 128 hashes folded.
//
// Storing hashes this way costs ~32 bytes per leaf plus 1/256 more per tile
// level, and a proof at one million leaves touches about three tiles.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "merkle/proof.h"

namespace accord::merkle {

inline constexpr uint32_t kTileHeight = 8;
inline constexpr uint64_t kTileWidth = 256;

struct TileId {
  uint32_t level = 0;
  uint64_t index = 0;
  auto operator<=>(const TileId&) const = default;
};

// A tile's hashes, concatenated (32 bytes each, 1..256 of them).
struct Tile {
  TileId id;
  std::string hashes;

  uint64_t width() const { return hashes.size() / kHashSize; }
  Hash at(uint64_t i) const {
    return HashFromBytes(std::string_view(hashes).substr(i * kHashSize, kHashSize));
  }
};

// The tile that holds the descendants of `node` at the tile's base level.
TileId TileFor(const NodeId& node);

// Computes `node` from its tile. Fails with Corruption if the tile is too
// narrow to hold the node's descendants.
Result<Hash> NodeFromTile(const NodeId& node, const Tile& tile);

// Builds tiles incrementally as leaves are appended. Holds the rightmost
// (possibly partial) tile of every level; everything to its left is final
// and never changes again.
class TileBuilder {
 public:
  // Starts from a tree of `size` leaves whose rightmost tiles are `edge`
  // (the partial or last tile of each level, as stored). For size 0, `edge`
  // is empty.
  static Result<TileBuilder> Resume(uint64_t size, std::vector<Tile> edge);

  uint64_t size() const { return size_; }
  // Adds one leaf hash.
  void Add(const Hash& leaf_hash);
  // Tiles changed since the last TakeDirty(), to be written (each replaces
  // any stored tile with the same id).
  std::vector<Tile> TakeDirty();
  // Only the tiles that became full since the last call (they never change
  // again); the partial rightmost tiles stay pending for TakeDirty().
  std::vector<Tile> TakeCompleted();
  // The rightmost tile of each level, by tile level.
  const std::map<uint32_t, Tile>& edge() const { return edge_; }
  // The root of the tree built so far, from the edge tiles alone (every node
  // of the tree's compact range lies in the rightmost tile of its level).
  Hash Root() const;

  // Which tiles a store must load for Resume() at `size`.
  static std::vector<TileId> EdgeTiles(uint64_t size);

 private:
  void Push(uint32_t level, const Hash& h);
  uint64_t size_ = 0;
  std::map<uint32_t, Tile> edge_;        // rightmost tile, by tile level
  std::map<uint32_t, bool> edge_dirty_;  // by tile level
  std::vector<Tile> completed_;          // filled since the last TakeDirty()
};

// A NodeReader over any tile source, caching the tiles it has read for the
// lifetime of the reader and counting how many it fetched.
class TileNodeReader : public NodeReader {
 public:
  // `fetch` loads a stored tile (NotFound if absent).
  using FetchFn = std::function<Result<Tile>(const TileId&)>;
  explicit TileNodeReader(FetchFn fetch) : fetch_(std::move(fetch)) {}

  Result<std::vector<Hash>> ReadNodes(std::span<const NodeId> nodes) override;
  uint64_t tiles_fetched() const { return tiles_fetched_; }

 private:
  Result<const Tile*> Get(const TileId& id);
  FetchFn fetch_;
  std::map<TileId, Tile> cache_;
  uint64_t tiles_fetched_ = 0;
};

}  // namespace accord::merkle
