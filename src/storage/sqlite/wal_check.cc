#include "storage/sqlite/wal_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace accord::storage {
namespace {

constexpr size_t kHeaderSize = 32;
constexpr size_t kFrameHeaderSize = 24;
constexpr uint32_t kMagicLittle = 0x377f0682, kMagicBig = 0x377f0683;
constexpr uint32_t kWalVersion = 3007000;

uint32_t Be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

uint32_t Le32(const unsigned char* p) {
  return (uint32_t{p[3]} << 24) | (uint32_t{p[2]} << 16) | (uint32_t{p[1]} << 8) | p[0];
}

// SQLite's WAL checksum, continued from (s0, s1) over `n` bytes (n % 8 == 0),
// words read big-endian or little-endian as the header's magic says.
void Checksum(bool big_endian, const unsigned char* p, size_t n, uint32_t& s0, uint32_t& s1) {
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint32_t x0 = big_endian ? Be32(p + i) : Le32(p + i);
    uint32_t x1 = big_endian ? Be32(p + i + 4) : Le32(p + i + 4);
    s0 += x0 + s1;
    s1 += x1 + s0;
  }
}

// Reads exactly `n` bytes at `offset`.
Status ReadAt(int fd, const std::string& path, uint64_t offset, unsigned char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
    done += static_cast<size_t>(r);
  }
  return Status::Ok();
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Status CheckWalFile(const std::string& db_path) {
  const std::string path = db_path + "-wal";
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(f.fd, &st) != 0) return Status::IoError("cannot stat " + path);
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size == 0) return Status::Ok();
  const std::string lost =
      ": the transactions it holds cannot be read, so the database would silently lack "
      "acknowledged events; keep the file as it is and restore from a backup or a mirror";
  auto damaged = [&](const std::string& what) {
    return Status::Corruption("write-ahead log " + path + " " + what + lost);
  };
  if (size < kHeaderSize) {
    return damaged("is " + std::to_string(size) + " bytes, shorter than its 32-byte header");
  }
  unsigned char h[kHeaderSize];
  RETURN_IF_ERROR(ReadAt(f.fd, path, 0, h, kHeaderSize));
  uint32_t magic = Be32(h);
  if (magic != kMagicLittle && magic != kMagicBig) return damaged("has a damaged header (magic)");
  const bool big = magic == kMagicBig;
  if (Be32(h + 4) != kWalVersion) return damaged("has a damaged header (version)");
  uint32_t page = Be32(h + 8);
  if (page == 1) page = 65536;
  if (page < 512 || page > 65536 || (page & (page - 1)) != 0) {
    return damaged("has a damaged header (page size " + std::to_string(page) + ")");
  }
  uint32_t s0 = 0, s1 = 0;
  Checksum(big, h, 24, s0, s1);
  if (s0 != Be32(h + 24) || s1 != Be32(h + 28)) return damaged("has a damaged header (checksum)");

  // The frames of the current generation: each carries the header's salts
  // and a checksum that continues from the previous frame's.
  const uint32_t salt1 = Be32(h + 16), salt2 = Be32(h + 20);
  const uint64_t frame_size = kFrameHeaderSize + page;
  std::vector<unsigned char> frame(frame_size);
  uint64_t bad_frame = 0;
  bool bad = false;
  for (uint64_t off = kHeaderSize, i = 0; off + frame_size <= size; off += frame_size, ++i) {
    RETURN_IF_ERROR(ReadAt(f.fd, path, off, frame.data(), frame_size));
    if (Be32(frame.data() + 8) != salt1 || Be32(frame.data() + 12) != salt2) break;
    bool commit = Be32(frame.data() + 4) != 0;
    if (bad) {
      if (commit) {
        return damaged("has a damaged frame " + std::to_string(bad_frame) +
                       " followed by committed frames (frame " + std::to_string(i) + ")");
      }
      continue;
    }
    Checksum(big, frame.data(), 8, s0, s1);
    Checksum(big, frame.data() + kFrameHeaderSize, page, s0, s1);
    if (s0 != Be32(frame.data() + 16) || s1 != Be32(frame.data() + 20)) {
      bad = true;
      bad_frame = i;
    }
  }
  return Status::Ok();
}

}  // namespace accord::storage
