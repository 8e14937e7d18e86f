#include "cli/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "util/file_io.h"

namespace accord::cli {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kVerificationFailed:
    case StatusCode::kCorruption:
      return kExitVerifyFailed;
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:  // well-formed, but a rule refuses it
    case StatusCode::kPermissionDenied:    // e.g. a key that is not the log's
      return kExitBadInput;
    default:
      return kExitFailure;
  }
}

int Fail(const Status& s) {
  std::cerr << "accord: " << s.message() << "\n";
  return ExitCodeFor(s);
}

Result<std::string> ReadInput(const std::string& path, size_t max_bytes) {
  return ReadFileLimited(path, max_bytes);
}

Status WriteNewFile(const std::string& path, const std::string& content, unsigned mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists(path + " already exists; not overwriting it");
    return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
  }
  ::fchmod(fd, mode);  // the umask must not widen or narrow what we promise
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return Status::IoError("cannot write " + path + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<note::VerifierKey> LoadVerifier(const std::string& path) {
  auto text = ReadInput(path, 4096);
  if (!text.ok()) return text.status().WithContext("verifier key");
  auto key = note::ParseVerifierKey(*text);
  if (!key.ok()) {
    return Status::InvalidArgument("verifier key " + path + " is not a signed-note public key (" +
                                   key.status().message() + "); expected <name>+<id>+<base64>");
  }
  return key;
}

bool StderrIsTerminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace accord::cli
