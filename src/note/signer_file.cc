#include "note/signer_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace accord::note {
namespace {

// The whole of `path` ("-": standard input), refusing more than `max_bytes`.
Result<std::string> ReadAll(const std::string& path, size_t max_bytes) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::string why = std::strerror(errno);
    if (errno == ENOENT) return Status::NotFound("cannot read " + path + ": " + why);
    return Status::IoError("cannot read " + path + ": " + why);
  }
  std::string out;
  char buf[1024];
  Status status;
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = Status::IoError("cannot read " + path + ": " + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      status = Status::InvalidArgument((path == "-" ? std::string("standard input") : path) +
                                       " is larger than the limit of " + std::to_string(max_bytes) +
                                       " bytes");
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  if (fd != STDIN_FILENO) ::close(fd);
  if (!status.ok()) return status;
  return out;
}

}  // namespace

Result<Signer> LoadSignerFile(const std::string& path) {
  auto text = ReadAll(path, kMaxSignerFileSize);
  if (!text.ok()) return text.status().WithContext("signing key");
  auto signer = Signer::Parse(*text);
  if (!signer.ok()) {
    return Status::InvalidArgument("signing key " + path + " is not a signed-note private key (" +
                                   signer.status().message() +
                                   "); expected PRIVATE+KEY+<name>+<id>+<base64>");
  }
  return signer;
}

}  // namespace accord::note
