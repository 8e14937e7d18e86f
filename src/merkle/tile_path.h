// C2SP tlog-tiles resource paths (c2sp.org/tlog-tiles, v0.1.0): the part of
// a URL after the log's prefix that names a hash tile or an entry bundle,
//   tile/<L>/<N>[.p/<W>]        hash tile of level L, index N
//   tile/entries/<N>[.p/<W>]    entry bundle N
// <L> is 0..63 and <W> 1..255 in decimal without leading zeros; <N> is split
// into 3-digit groups, all but the last prefixed with "x" (1234067 is
// "x001/x234/067"). A path without ".p/<W>" names a full tile (256 wide).
//
// Parsing accepts exactly the encoding TilePath() produces, so that every
// resource has one name: no leading zeros, no "x000" groups in front, no
// ".p/256". Pure functions; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace accord::merkle {

struct TilePathInfo {
  bool entries = false;  // an entry bundle (then level is 0)
  uint32_t level = 0;
  uint64_t index = 0;
  uint64_t width = 256;  // 1..256; 256 means full (no ".p/<W>")

  bool full() const { return width == 256; }
};

// "x001/x234/067" for 1234067; "000" for 0.
std::string EncodeTileIndex(uint64_t index);

// The path of a tile or bundle, without a leading slash:
// "tile/0/x001/x234/067.p/8", "tile/entries/005". REQUIRES: 1 <= width <= 256,
// level <= 63.
std::string TilePath(const TilePathInfo& t);

// Parses a path as TilePath() writes it (with or without one leading "/").
// InvalidArgument naming what is wrong otherwise.
Result<TilePathInfo> ParseTilePath(std::string_view path);

}  // namespace accord::merkle
