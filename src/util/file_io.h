// Reading a whole input file with a size limit: the one reader behind the
// CLI's inputs and the signing-key files.
#pragma once

#include <cstddef>
#include <string>

#include "util/status.h"

namespace accord {

// The whole of `path` ("-": standard input). NotFound if there is no such
// file, IoError if it cannot be read, InvalidArgument (naming the file and the
// limit) as soon as it holds more than `max_bytes`; reading stops there.
Result<std::string> ReadFileLimited(const std::string& path, size_t max_bytes);

}  // namespace accord
