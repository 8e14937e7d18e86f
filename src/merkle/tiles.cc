#include "merkle/tiles.h"

#include <array>
#include <cstring>

#include "merkle/hasher.h"

namespace accord::merkle {
namespace {

// Folds 2^k consecutive hashes of one level into the root of their subtree.
Hash FoldComplete(std::string_view hashes, uint64_t count) {
  std::array<Hash, kTileWidth> level;
  for (uint64_t i = 0; i < count; ++i) {
    std::memcpy(level[i].data(), hashes.data() + i * kHashSize, kHashSize);
  }
  for (uint64_t n = count; n > 1; n /= 2) {
    for (uint64_t i = 0; i < n / 2; ++i) level[i] = NodeHash(level[2 * i], level[2 * i + 1]);
  }
  return level[0];
}

}  // namespace

TileId TileFor(const NodeId& node) {
  uint32_t r = node.level % kTileHeight;
  return {node.level / kTileHeight, (node.index << r) / kTileWidth};
}

Result<Hash> NodeFromTile(const NodeId& node, const Tile& tile) {
  uint32_t r = node.level % kTileHeight;
  uint64_t first = (node.index << r) - tile.id.index * kTileWidth;
  uint64_t count = uint64_t{1} << r;
  if (first + count > tile.width()) {
    return Status::Corruption(
        "tile " + std::to_string(tile.id.level) + "/" + std::to_string(tile.id.index) + " has " +
        std::to_string(tile.width()) + " hashes, node needs " + std::to_string(first + count));
  }
  if (count == 1) return tile.at(first);
  return FoldComplete(std::string_view(tile.hashes).substr(first * kHashSize), count);
}

std::vector<TileId> TileBuilder::EdgeTiles(uint64_t size) {
  std::vector<TileId> ids;
  for (uint32_t level = 0;; ++level) {
    uint64_t count = size >> (kTileHeight * level);
    if (count == 0) break;
    ids.push_back({level, (count - 1) / kTileWidth});
    if (level * kTileHeight + kTileHeight >= 64) break;
  }
  return ids;
}

Result<TileBuilder> TileBuilder::Resume(uint64_t size, std::vector<Tile> edge) {
  TileBuilder b;
  b.size_ = size;
  std::vector<TileId> want = EdgeTiles(size);
  if (edge.size() != want.size()) {
    return Status::Corruption("expected " + std::to_string(want.size()) + " edge tiles for size " +
                              std::to_string(size) + ", got " + std::to_string(edge.size()));
  }
  for (size_t i = 0; i < want.size(); ++i) {
    Tile& t = edge[i];
    uint64_t count = size >> (kTileHeight * want[i].level);
    uint64_t width = count - want[i].index * kTileWidth;
    if (!(t.id == want[i]) || t.width() != width || t.hashes.size() % kHashSize != 0) {
      return Status::Corruption("edge tile " + std::to_string(want[i].level) + "/" +
                                std::to_string(want[i].index) + " should hold " +
                                std::to_string(width) + " hashes, holds " +
                                std::to_string(t.hashes.size() / kHashSize));
    }
    b.edge_[t.id.level] = std::move(t);
  }
  return b;
}

void TileBuilder::Add(const Hash& leaf_hash) {
  Push(0, leaf_hash);
  ++size_;
}

void TileBuilder::Push(uint32_t level, const Hash& h) {
  auto it = edge_.find(level);
  if (it == edge_.end()) {
    it = edge_.emplace(level, Tile{{level, 0}, {}}).first;
  } else if (it->second.width() == kTileWidth) {
    it->second = Tile{{level, it->second.id.index + 1}, {}};
  }
  Tile& tile = it->second;
  if (tile.hashes.empty()) tile.hashes.reserve(kTileWidth * kHashSize);
  tile.hashes.append(AsBytes(h));
  edge_dirty_[level] = true;
  if (tile.width() == kTileWidth) {
    Hash root = FoldComplete(tile.hashes, kTileWidth);
    completed_.push_back(tile);
    edge_dirty_[level] = false;
    Push(level + 1, root);
  }
}

Hash TileBuilder::Root() const {
  if (size_ == 0) return EmptyRoot();
  std::vector<NodeId> nodes = RangeNodes(0, size_);
  std::vector<Hash> hashes;
  hashes.reserve(nodes.size());
  for (const NodeId& n : nodes) {
    TileId id = TileFor(n);
    const Tile& tile = edge_.at(id.level);
    // Holds by construction (see the comment in the header); a failure here
    // would be a bug in this class, not bad input.
    hashes.push_back(NodeFromTile(n, tile).value());
  }
  return FoldRange(hashes);
}

std::vector<Tile> TileBuilder::TakeCompleted() {
  std::vector<Tile> out = std::move(completed_);
  completed_.clear();
  return out;
}

std::vector<Tile> TileBuilder::TakeDirty() {
  std::vector<Tile> out = TakeCompleted();
  for (auto& [level, dirty] : edge_dirty_) {
    if (dirty) out.push_back(edge_.at(level));
    dirty = false;
  }
  return out;
}

Result<const Tile*> TileNodeReader::Get(const TileId& id) {
  auto it = cache_.find(id);
  if (it != cache_.end()) return &it->second;
  ASSIGN_OR_RETURN(Tile t, fetch_(id));
  ++tiles_fetched_;
  return &cache_.emplace(id, std::move(t)).first->second;
}

Result<std::vector<Hash>> TileNodeReader::ReadNodes(std::span<const NodeId> nodes) {
  std::vector<Hash> out;
  out.reserve(nodes.size());
  for (const NodeId& n : nodes) {
    ASSIGN_OR_RETURN(const Tile* tile, Get(TileFor(n)));
    ASSIGN_OR_RETURN(Hash h, NodeFromTile(n, *tile));
    out.push_back(h);
  }
  return out;
}

}  // namespace accord::merkle
