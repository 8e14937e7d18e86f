#include "note/note_text.h"

#include <cstdio>
#include <utility>

#include "util/encoding.h"

namespace accord::note::internal {

// Decodes the UTF-8 sequence starting at s[i]. Returns the code point and sets
// *len, or returns -1 for an invalid sequence (overlong forms, surrogates and
// code points above U+10FFFF are invalid).
int32_t DecodeRune(std::string_view s, size_t i, size_t* len) {
  auto at = [&](size_t k) -> int { return k < s.size() ? static_cast<uint8_t>(s[k]) : -1; };
  int b0 = at(i);
  if (b0 < 0) return -1;
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  int n;
  int lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  int32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return -1;
  }
  for (int k = 1; k < n; ++k) {
    int b = at(i + k);
    int klo = k == 1 ? lo : 0x80;
    int khi = k == 1 ? hi : 0xBF;
    if (b < klo || b > khi) return -1;
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = static_cast<size_t>(n);
  return cp;
}

// The Unicode White_Space property (what Go's unicode.IsSpace reports).
bool IsUnicodeSpace(int32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

// Unicode general category Cc: C0 controls, DEL and C1 controls.
bool IsControl(int32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::string BigEndian32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
  return out;
}

std::string BigEndian64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xFF);
  return out;
}

uint32_t ReadBigEndian32(std::string_view b) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(b[i]);
  return v;
}

uint64_t ReadBigEndian64(std::string_view b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(b[i]);
  return v;
}

// Shows untrusted text in an error message: quoted, shortened, with bytes that
// are not printable ASCII escaped.
std::string Quote(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7F) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > kMax) out += "...";
  out += '"';
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

size_t CountNewlines(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

namespace {

// "line L, column C" (both 1-based, column in bytes) of byte offset `off` in `s`.
std::string Where(std::string_view s, size_t off) {
  size_t line = 1 + CountNewlines(s.substr(0, off));
  size_t last_nl = s.substr(0, off).rfind('\n');
  size_t col = last_nl == std::string_view::npos ? off + 1 : off - last_nl;
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

}  // namespace

// Valid UTF-8 and no ASCII control character other than newline.
Status CheckNoteChars(std::string_view s, std::string_view what) {
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 0;
    int32_t cp = DecodeRune(s, i, &len);
    if (cp < 0) {
      return Status::InvalidArgument(std::string(what) + " is not valid UTF-8 at " + Where(s, i));
    }
    if (cp < 0x20 && cp != '\n') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(cp));
      return Status::InvalidArgument(std::string(what) + " contains control character " + buf +
                                     " at " + Where(s, i) + " (only newline is allowed)");
    }
    i += len;
  }
  return Status::Ok();
}

// Checks what Sign requires of a note text.
Status CheckText(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("note text is empty");
  if (text.size() > kMaxNoteSize) {
    return Status::InvalidArgument("note text is " + std::to_string(text.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(kMaxNoteSize));
  }
  if (text.back() != '\n') return Status::InvalidArgument("note text does not end in a newline");
  return CheckNoteChars(text, "note text");
}

namespace {

// Parses one signature line (without its newline), which is line `line_no` of
// the note.
Result<NoteSignature> ParseSignatureLine(std::string_view line, size_t line_no) {
  std::string where = "signature line " + std::to_string(line_no) + " ";
  if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
    return Status::InvalidArgument(where + Quote(line) +
                                   " does not start with an em dash (U+2014) and a space");
  }
  line.remove_prefix(kSigPrefix.size());
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos) {
    return Status::InvalidArgument(where +
                                   "has no space between the key name and the base64 signature");
  }
  std::string_view name = line.substr(0, sp);
  std::string_view b64 = line.substr(sp + 1);
  if (!IsValidKeyName(name)) {
    return Status::InvalidArgument(
        where + "has an invalid key name " + Quote(name) +
        " (expected non-empty, without spaces, '+' or control characters)");
  }
  if (b64.empty()) return Status::InvalidArgument(where + "has an empty signature");
  auto raw = Base64Decode(b64);
  if (!raw.ok()) {
    return Status::InvalidArgument(
        where + "has a signature that is not valid base64: " + raw.status().message());
  }
  if (raw->size() < 5) {
    return Status::InvalidArgument(
        where + "has a signature of " + std::to_string(raw->size()) +
        " bytes (expected at least 5: a 4-byte key id, then the signature)");
  }
  NoteSignature sig;
  sig.name = std::string(name);
  sig.key_id = ReadBigEndian32(*raw);
  sig.signature = raw->substr(4);
  return sig;
}

}  // namespace

// Parses a block of signature lines whose first line is line `first_line_no`
// of the note; appends them to *out. Enforces kMaxSignatures over *out.
Status ParseSignatureBlock(std::string_view block, size_t first_line_no,
                           std::vector<NoteSignature>* out) {
  size_t line_no = first_line_no;
  while (!block.empty()) {
    size_t nl = block.find('\n');
    if (nl == std::string_view::npos) {
      return Status::InvalidArgument("trailing data " + Quote(block) + " on line " +
                                     std::to_string(line_no) +
                                     " after the last signature line (every signature line "
                                     "must end in a newline)");
    }
    if (out->size() >= kMaxSignatures) {
      return Status::InvalidArgument("too many signatures: more than " +
                                     std::to_string(kMaxSignatures) + " signature lines");
    }
    ASSIGN_OR_RETURN(NoteSignature sig, ParseSignatureLine(block.substr(0, nl), line_no));
    out->push_back(std::move(sig));
    block.remove_prefix(nl + 1);
    ++line_no;
  }
  return Status::Ok();
}

// "name+keyid", to name a key in messages.
std::string KeyLabel(std::string_view name, uint32_t key_id) {
  return std::string(name) + "+" + Hex8(key_id);
}

std::string CosignedMessage(std::string_view text, uint64_t timestamp) {
  std::string msg = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
  msg.append(text);
  return msg;
}

}  // namespace accord::note::internal
