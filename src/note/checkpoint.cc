#include "note/checkpoint.h"

#include "note/note.h"
#include "note/note_text.h"
#include "util/encoding.h"

namespace accord::note {

using internal::CheckNoteChars;
using internal::Quote;

bool ParseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    auto d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

std::string Checkpoint::Text() const {
  std::string out =
      origin + "\n" + std::to_string(size) + "\n" + Base64Encode(AsBytes(root)) + "\n";
  for (const std::string& e : extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.size() > kMaxNoteSize) {
    return Status::InvalidArgument("checkpoint is " + std::to_string(text.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(kMaxNoteSize));
  }
  RETURN_IF_ERROR(CheckNoteChars(text, "checkpoint"));
  if (text.empty() || text.back() != '\n') {
    return Status::InvalidArgument("checkpoint does not end in a newline");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) {
    return Status::InvalidArgument("checkpoint has " + std::to_string(lines.size()) +
                                   " lines (expected at least 3: origin, size, root hash)");
  }
  Checkpoint cp;
  if (lines[0].empty()) return Status::InvalidArgument("checkpoint origin (line 1) is empty");
  cp.origin = std::string(lines[0]);
  if (!ParseDecimal(lines[1], &cp.size)) {
    return Status::InvalidArgument("checkpoint tree size (line 2) " + Quote(lines[1]) +
                                   " is not a decimal number without sign or leading zeros that "
                                   "fits in 64 bits");
  }
  auto root = Base64Decode(lines[2]);
  if (!root.ok()) {
    return Status::InvalidArgument("checkpoint root hash (line 3) is not valid base64: " +
                                   root.status().message());
  }
  if (root->size() != kHashSize) {
    return Status::InvalidArgument("checkpoint root hash (line 3) is " +
                                   std::to_string(root->size()) + " bytes (expected 32)");
  }
  cp.root = HashFromBytes(*root);
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return Status::InvalidArgument("checkpoint extension line " + std::to_string(i + 1) +
                                     " is empty (extension lines must be non-empty)");
    }
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

}  // namespace accord::note
