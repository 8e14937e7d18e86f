#include "log/mirror.h"

#include <algorithm>
#include <future>

#include "merkle/hasher.h"
#include "util/encoding.h"

namespace accord::log {
namespace {

using merkle::kTileHeight;
using merkle::kTileWidth;
using merkle::Tile;
using merkle::TileId;

std::string TileName(const TileId& id) {
  return std::to_string(id.level) + "/" + std::to_string(id.index);
}

// The root of 256 hashes of one level (a full tile): the node above them.
Hash FoldFull(const Tile& t) {
  std::vector<Hash> level;
  level.reserve(kTileWidth);
  for (uint64_t i = 0; i < kTileWidth; ++i) level.push_back(t.at(i));
  for (size_t n = level.size(); n > 1; n /= 2) {
    for (size_t i = 0; i < n / 2; ++i) level[i] = merkle::NodeHash(level[2 * i], level[2 * i + 1]);
  }
  return level[0];
}

std::string Hex(const Hash& h) {
  return HexEncode(AsBytes(h));
}

}  // namespace

const char* FaultKindName(MirrorFault::Kind kind) {
  switch (kind) {
    case MirrorFault::Kind::kBadCheckpoint:
      return "bad-checkpoint";
    case MirrorFault::Kind::kSmaller:
      return "smaller";
    case MirrorFault::Kind::kInconsistent:
      return "inconsistent";
    case MirrorFault::Kind::kBadTile:
      return "bad-tile";
    case MirrorFault::Kind::kChangedEntry:
      return "changed-entry";
    case MirrorFault::Kind::kRefusedEntry:
      return "refused-entry";
  }
  return "unknown";
}

uint64_t VerifiedTiles::Width(uint64_t size, const TileId& id) {
  if (id.level * kTileHeight >= 64) return 0;
  uint64_t count = size >> (id.level * kTileHeight);
  if (id.index >= count / kTileWidth + 1) return 0;
  uint64_t begin = id.index * kTileWidth;
  if (begin >= count) return 0;
  return std::min<uint64_t>(kTileWidth, count - begin);
}

Result<Tile> VerifiedTiles::Fetch(const TileId& id, uint64_t width) {
  ASSIGN_OR_RETURN(std::string bytes, source_.HashTile(id.level, id.index, width));
  ++fetched_;
  if (bytes.size() != width * kHashSize) {
    return Status::VerificationFailed("hash tile " + TileName(id) + " holds " +
                                      std::to_string(bytes.size()) + " bytes, expected " +
                                      std::to_string(width * kHashSize) + " (" +
                                      std::to_string(width) + " hashes)");
  }
  return Tile{id, std::move(bytes)};
}

Status VerifiedTiles::Init() {
  if (size_ == 0) {
    if (root_ != merkle::EmptyRoot()) {
      return Status::VerificationFailed("a checkpoint of size 0 must have the empty tree's root");
    }
    return Status::Ok();
  }
  std::vector<merkle::NodeId> nodes = merkle::RangeNodes(0, size_);
  std::map<TileId, Tile> edge;
  std::vector<Hash> hashes;
  for (const merkle::NodeId& n : nodes) {
    TileId id = merkle::TileFor(n);
    auto it = edge.find(id);
    if (it == edge.end()) {
      ASSIGN_OR_RETURN(Tile t, Fetch(id, Width(size_, id)));
      it = edge.emplace(id, std::move(t)).first;
    }
    ASSIGN_OR_RETURN(Hash h, merkle::NodeFromTile(n, it->second));
    hashes.push_back(h);
  }
  Hash root = merkle::FoldRange(hashes);
  if (root != root_) {
    return Status::VerificationFailed("the hash tiles of the tree's right edge give root " +
                                      Hex(root) + ", the checkpoint's is " + Hex(root_));
  }
  for (auto& [id, t] : edge) kept_.emplace(id, std::move(t));
  return Status::Ok();
}

Result<Tile> VerifiedTiles::Get(const TileId& id) {
  if (auto it = kept_.find(id); it != kept_.end()) return it->second;
  uint64_t width = Width(size_, id);
  if (width == 0) {
    return Status::NotFound("hash tile " + TileName(id) + " is beyond the tree of " +
                            std::to_string(size_));
  }
  // Every partial tile is on the right edge: Init() authenticated it.
  if (width != kTileWidth) {
    return Status::Internal("partial hash tile " + TileName(id) + " was not authenticated");
  }
  ASSIGN_OR_RETURN(Tile t, Fetch(id, width));
  // A full tile hashes to its entry in the tile above, which exists: the
  // node it makes is complete.
  ASSIGN_OR_RETURN(Tile parent, Get({id.level + 1, id.index / kTileWidth}));
  uint64_t at = id.index % kTileWidth;
  if (at >= parent.width() || parent.at(at) != FoldFull(t)) {
    return Status::VerificationFailed("hash tile " + TileName(id) +
                                      " does not hash to its entry in tile " + TileName(parent.id));
  }
  if (id.level > 0) kept_.emplace(id, t);
  return t;
}

Result<std::vector<std::string>> ParseEntryBundle(std::string_view bundle, uint64_t count) {
  std::vector<std::string> out;
  out.reserve(count);
  size_t at = 0;
  while (at < bundle.size()) {
    if (bundle.size() - at < 2) {
      return Status::InvalidArgument("entry " + std::to_string(out.size()) +
                                     " of the bundle is cut off in its length");
    }
    size_t len = (static_cast<uint8_t>(bundle[at]) << 8) | static_cast<uint8_t>(bundle[at + 1]);
    at += 2;
    if (bundle.size() - at < len) {
      return Status::InvalidArgument("entry " + std::to_string(out.size()) +
                                     " of the bundle is cut off (" + std::to_string(len) +
                                     " bytes announced, " + std::to_string(bundle.size() - at) +
                                     " left)");
    }
    if (out.size() == count) {
      return Status::InvalidArgument("the bundle holds more than " + std::to_string(count) +
                                     " entries");
    }
    out.emplace_back(bundle.substr(at, len));
    at += len;
  }
  if (out.size() != count) {
    return Status::InvalidArgument("the bundle holds " + std::to_string(out.size()) +
                                   " entries, expected " + std::to_string(count));
  }
  return out;
}

Status MirrorSync::Fault(MirrorFault::Kind kind, std::optional<uint64_t> index, std::string message,
                         std::string evidence) {
  fault_ = MirrorFault{kind, index, message, std::move(evidence)};
  return Status::VerificationFailed(std::move(message));
}

Result<SyncResult> MirrorSync::Sync(const std::function<void(uint64_t, uint64_t)>& progress) {
  using Kind = MirrorFault::Kind;
  fault_.reset();
  SyncResult result;

  // 1. The checkpoint, signed by the log's key, for its origin.
  ASSIGN_OR_RETURN(std::string note, source_.Checkpoint());
  const std::string got = "checkpoint received:\n" + note;
  auto verified = note::Verify(note, {log_.verifier()});
  if (!verified.ok()) {
    return Fault(Kind::kBadCheckpoint, std::nullopt,
                 "the checkpoint is not signed by the log's key " + log_.verifier().name + " (" +
                     verified.status().message() + ")",
                 got);
  }
  auto parsed = note::ParseCheckpoint(verified->note.text);
  if (!parsed.ok()) {
    return Fault(Kind::kBadCheckpoint, std::nullopt,
                 "the checkpoint is malformed: " + parsed.status().message(), got);
  }
  const note::Checkpoint cp = std::move(parsed).value();
  if (cp.origin != log_.origin()) {
    return Fault(Kind::kBadCheckpoint, std::nullopt,
                 "the checkpoint is for origin \"" + cp.origin + "\", the mirror's is \"" +
                     log_.origin() + "\"",
                 got);
  }

  // 2. Against the checkpoint last verified.
  ASSIGN_OR_RETURN(std::optional<std::string> last_note, log_.LatestCheckpoint());
  note::Checkpoint last{log_.origin(), 0, merkle::EmptyRoot(), {}};
  if (last_note) {
    ASSIGN_OR_RETURN(note::Note ln, note::ParseNote(*last_note));
    ASSIGN_OR_RETURN(last, note::ParseCheckpoint(ln.text));
  }
  const std::string both = "checkpoint last verified (size " + std::to_string(last.size) + "):\n" +
                           (last_note ? *last_note : std::string("(none: the empty tree)\n")) +
                           "\n" + got;
  ASSIGN_OR_RETURN(uint64_t held, log_.Size());
  result.old_size = last.size;
  result.size = last.size;
  result.checkpoint = last_note.value_or("");
  if (cp.size < last.size) {
    return Fault(Kind::kSmaller, cp.size,
                 "the log's checkpoint is of size " + std::to_string(cp.size) +
                     ", smaller than the size " + std::to_string(last.size) +
                     " the mirror verified (entries from index " + std::to_string(cp.size) +
                     " would have disappeared)",
                 both);
  }
  if (cp.size == last.size) {
    if (cp.root != last.root) {
      return Fault(Kind::kInconsistent, cp.size == 0 ? 0 : cp.size - 1,
                   "the log's checkpoint of size " + std::to_string(cp.size) +
                       " has another root than the one the mirror verified at that size (a fork)",
                   both);
    }
    if (!last_note && held == 0) {
      // The empty log: its checkpoint becomes the first verified one.
      uint64_t bad = ~uint64_t{0};
      RETURN_IF_ERROR(apply_(0, {}, note, &bad));
      result.checkpoint = note;
    }
    if (progress) progress(0, 0);
    return result;
  }
  if (cp.size <= held) {
    // Entries from an earlier, larger target: the new checkpoint must agree.
    ASSIGN_OR_RETURN(Hash mine, log_.Root(cp.size));
    if (mine != cp.root) {
      return Fault(Kind::kInconsistent, cp.size - 1,
                   "the log's checkpoint of size " + std::to_string(cp.size) +
                       " does not match the entries the mirror holds up to that size",
                   both);
    }
    if (cp.size < held) return result;  // verified later, with a larger one
    uint64_t bad = ~uint64_t{0};
    RETURN_IF_ERROR(apply_(cp.size, {}, note, &bad));
    result.size = cp.size;
    result.checkpoint = note;
    return result;
  }

  // 3. The hash tiles, authenticated against the new root.
  VerifiedTiles tiles(source_, cp.size, cp.root);
  auto bad_tiles = [&](const Status& s) -> Status {
    if (s.code() != StatusCode::kVerificationFailed) return s;
    return Fault(Kind::kBadTile, std::nullopt,
                 "the log serves hash tiles that do not match its checkpoint: " + s.message(), got);
  };
  if (Status s = tiles.Init(); !s.ok()) return bad_tiles(s);
  merkle::TileNodeReader reader([&tiles](const TileId& id) { return tiles.Get(id); });

  // 4. Consistency with what the mirror verified, and with what it holds.
  if (last.size > 0) {
    auto proof = merkle::ConsistencyProof(reader, last.size, cp.size);
    if (!proof.ok()) return bad_tiles(proof.status());
    std::vector<std::string> lines;
    std::string text;
    for (const Hash& h : *proof) {
      lines.emplace_back(AsBytes(h));
      text += Base64Encode(lines.back()) + "\n";
    }
    Status ok =
        merkle::VerifyConsistency(last.size, cp.size, AsBytes(last.root), AsBytes(cp.root), lines);
    if (!ok.ok()) {
      return Fault(Kind::kInconsistent, last.size,
                   "the log's checkpoint of size " + std::to_string(cp.size) +
                       " is not consistent with the checkpoint of size " +
                       std::to_string(last.size) + " the mirror verified (a fork: " + ok.message() +
                       ")",
                   both + "\nconsistency proof " + std::to_string(last.size) + " -> " +
                       std::to_string(cp.size) + " from the log's hash tiles:\n" + text);
    }
  }
  if (held > last.size) {
    auto theirs = merkle::RootAt(reader, held);
    if (!theirs.ok()) return bad_tiles(theirs.status());
    ASSIGN_OR_RETURN(Hash mine, log_.Root(held));
    if (mine != *theirs) {
      return Fault(Kind::kInconsistent, held - 1,
                   "the entries the mirror holds up to " + std::to_string(held) +
                       " (authenticated by an earlier checkpoint) are not those of the log's "
                       "checkpoint of size " +
                       std::to_string(cp.size),
                   both);
    }
  }

  // 5. Entry bundles, checked against the level-0 tiles, applied one by one.
  // The next bundle and its tile are fetched and hashed on another thread
  // while this one is applied (only that thread touches `tiles` and the
  // source meanwhile; the future is waited for before either is used here).
  struct Fetched {
    Status status;
    merkle::Tile tile;
    std::vector<std::string> entries;
    std::vector<Hash> hashes;
    bool malformed = false;  // status is the bundle's parse error
  };
  auto fetch = [&](uint64_t b) -> Fetched {
    Fetched f;
    const uint64_t width = std::min<uint64_t>(kTileWidth, cp.size - b * kTileWidth);
    auto tile = tiles.Get({0, b});
    if (!tile.ok()) return {tile.status(), {}, {}, {}, false};
    f.tile = std::move(tile).value();
    auto bundle = source_.EntryBundle(b, width);
    if (!bundle.ok()) return {bundle.status(), {}, {}, {}, false};
    auto entries = ParseEntryBundle(*bundle, width);
    if (!entries.ok()) return {entries.status(), {}, {}, {}, true};
    f.entries = std::move(entries).value();
    f.hashes.reserve(f.entries.size());
    for (const std::string& e : f.entries) f.hashes.push_back(merkle::LeafHash(e));
    return f;
  };
  const uint64_t total = cp.size - held;
  const uint64_t last_bundle = (cp.size - 1) / kTileWidth;
  uint64_t done = 0;
  if (progress) progress(0, total);
  std::future<Fetched> next = std::async(std::launch::async, fetch, held / kTileWidth);
  for (uint64_t b = held / kTileWidth; b <= last_bundle; ++b) {
    const uint64_t begin = b * kTileWidth;
    const uint64_t width = std::min<uint64_t>(kTileWidth, cp.size - begin);
    Fetched f = next.get();
    if (f.status.ok() && b < last_bundle) next = std::async(std::launch::async, fetch, b + 1);
    if (f.malformed) {
      return Fault(Kind::kChangedEntry, begin,
                   "entry bundle " + std::to_string(b) + " (entries " + std::to_string(begin) +
                       ".." + std::to_string(begin + width - 1) +
                       ") is malformed: " + f.status.message(),
                   got);
    }
    if (!f.status.ok()) return bad_tiles(f.status);
    for (uint64_t i = 0; i < width; ++i) {
      if (f.hashes[i] != f.tile.at(i)) {
        const uint64_t idx = begin + i;
        return Fault(Kind::kChangedEntry, idx,
                     "entry " + std::to_string(idx) +
                         " does not match the log's hash tiles (its leaf hash is " +
                         Hex(f.hashes[i]) + ", the tree has " + Hex(f.tile.at(i)) + ")",
                     got + "\nentry " + std::to_string(idx) + " as served (base64):\n" +
                         Base64Encode(f.entries[i]) + "\n");
      }
    }
    const uint64_t skip = std::max(held, begin) - begin;
    std::span<const std::string> fresh(f.entries.data() + skip, f.entries.size() - skip);
    uint64_t bad = ~uint64_t{0};
    Status applied = apply_(begin + skip, fresh, note, &bad);
    if (!applied.ok()) {
      if (bad == ~uint64_t{0}) return applied;
      const std::string& entry = f.entries[bad - begin];
      return Fault(
          Kind::kRefusedEntry, bad,
          "entry " + std::to_string(bad) + " is refused: " + applied.message(),
          got + "\nentry " + std::to_string(bad) + " (base64):\n" + Base64Encode(entry) + "\n");
    }
    done += fresh.size();
    result.applied += fresh.size();
    if (progress) progress(done, total);
  }
  result.size = cp.size;
  result.checkpoint = note;
  result.tiles = tiles.fetched();
  return result;
}

}  // namespace accord::log
