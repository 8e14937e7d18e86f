#include "note/signer_file.h"

#include "util/file_io.h"

namespace accord::note {

Result<Signer> LoadSignerFile(const std::string& path) {
  auto text = ReadFileLimited(path, kMaxSignerFileSize);
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
