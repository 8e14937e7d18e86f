#include "merkle/tile_path.h"

#include <vector>

namespace accord::merkle {
namespace {

// A decimal without sign or leading zeros, at most `max`.
bool ParseSmallDecimal(std::string_view s, uint64_t max, uint64_t* out) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

bool IsThreeDigits(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

uint64_t ThreeDigits(std::string_view s) {
  auto digit = [&](size_t i) { return static_cast<uint64_t>(s[i] - '0'); };
  return digit(0) * 100 + digit(1) * 10 + digit(2);
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    size_t slash = s.find('/');
    out.push_back(s.substr(0, slash));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  return out;
}

Status Bad(std::string_view path, const std::string& why) {
  std::string shown(path.substr(0, 120));
  return Status::InvalidArgument("tile path \"" + shown + "\": " + why +
                                 " (expected tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], "
                                 "N as in x001/x234/067)");
}

}  // namespace

std::string EncodeTileIndex(uint64_t index) {
  auto group = [](uint64_t v) {
    std::string g = std::to_string(v);
    return std::string(3 - g.size(), '0') + g;
  };
  std::string out = group(index % 1000);
  for (index /= 1000; index > 0; index /= 1000) out = "x" + group(index % 1000) + "/" + out;
  return out;
}

std::string TilePath(const TilePathInfo& t) {
  std::string out = t.entries ? "tile/entries/" : "tile/" + std::to_string(t.level) + "/";
  out += EncodeTileIndex(t.index);
  if (!t.full()) out += ".p/" + std::to_string(t.width);
  return out;
}

Result<TilePathInfo> ParseTilePath(std::string_view path) {
  std::string_view p = path;
  if (p.starts_with('/')) p.remove_prefix(1);
  std::vector<std::string_view> parts = Split(p);
  if (parts.size() < 3 || parts[0] != "tile") return Bad(path, "not a tile path");
  TilePathInfo t;
  if (parts[1] == "entries") {
    t.entries = true;
  } else {
    uint64_t level = 0;
    if (!ParseSmallDecimal(parts[1], 63, &level)) {
      return Bad(path, "the level must be a decimal from 0 to 63 without leading zeros");
    }
    t.level = static_cast<uint32_t>(level);
  }
  size_t end = parts.size();  // one past the last index group
  std::string_view last = parts[end - 1];
  if (end >= 4 && parts[end - 2].ends_with(".p")) {
    if (!ParseSmallDecimal(last, 255, &t.width) || t.width == 0) {
      return Bad(path,
                 "a partial tile's width must be a decimal from 1 to 255 without leading "
                 "zeros");
    }
    --end;
    parts[end - 1].remove_suffix(2);
  }
  size_t groups = end - 2;
  if (groups > 7) return Bad(path, "the index has too many groups");
  uint64_t index = 0;
  for (size_t i = 2; i < end; ++i) {
    std::string_view g = parts[i];
    bool is_last = i + 1 == end;
    if (!is_last) {
      if (!g.starts_with('x')) return Bad(path, "every index group but the last begins with x");
      g.remove_prefix(1);
    }
    if (!IsThreeDigits(g)) return Bad(path, "every index group has exactly three digits");
    uint64_t v = ThreeDigits(g);
    if (i == 2 && !is_last && v == 0) return Bad(path, "the index has a leading x000 group");
    if (index > (UINT64_MAX - v) / 1000) return Bad(path, "the index does not fit in 64 bits");
    index = index * 1000 + v;
  }
  t.index = index;
  return t;
}

}  // namespace accord::merkle
