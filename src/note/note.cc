#include "note/note.h"

#include <cassert>
#include <cstdio>
#include <set>
#include <utility>

#include "util/encoding.h"

namespace accord::note {
namespace {

// U+2014 EM DASH followed by a space: the start of every signature line.
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";
constexpr std::string_view kPrivateKeyPrefix = "PRIVATE+KEY+";
constexpr uint64_t kMaxTimestamp = (uint64_t{1} << 63) - 1;
constexpr size_t kEd25519SigLen = kEd25519SignatureSize;
constexpr size_t kCosigLen = 8 + kEd25519SignatureSize;

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

// "line L, column C" (both 1-based, column in bytes) of byte offset `off` in `s`.
std::string Where(std::string_view s, size_t off) {
  size_t line = 1 + CountNewlines(s.substr(0, off));
  size_t last_nl = s.substr(0, off).rfind('\n');
  size_t col = last_nl == std::string_view::npos ? off + 1 : off - last_nl;
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

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

// Splits "name+<8 hex>+<base64>" and checks name, key id syntax and base64.
struct KeyParts {
  std::string name;
  uint32_t key_id = 0;
  std::string data;  // decoded base64: alg || key material
};

Result<KeyParts> SplitKey(std::string_view text, std::string_view kind) {
  std::string k(kind);
  size_t p1 = text.find('+');
  if (p1 == std::string_view::npos) {
    return Status::InvalidArgument(k + " has no '+' after the key name (expected " +
                                   "name+keyid+base64)");
  }
  KeyParts parts;
  std::string_view name = text.substr(0, p1);
  if (!IsValidKeyName(name)) {
    return Status::InvalidArgument(
        k + " has an invalid key name " + Quote(name) +
        " (expected non-empty, without spaces, '+' or control characters)");
  }
  parts.name = std::string(name);
  std::string_view rest = text.substr(p1 + 1);
  if (rest.size() < 9 || rest[8] != '+') {
    return Status::InvalidArgument(k + " for " + Quote(name) +
                                   ": expected exactly 8 hex digits of key id followed by '+'");
  }
  std::string_view hex = rest.substr(0, 8);
  auto id_bytes = HexDecode(hex);
  if (!id_bytes.ok()) {
    return Status::InvalidArgument(k + " for " + Quote(name) + ": key id " + Quote(hex) +
                                   " is not hex: " + id_bytes.status().message());
  }
  parts.key_id = ReadBigEndian32(*id_bytes);
  std::string_view b64 = rest.substr(9);
  auto data = Base64Decode(b64);
  if (!data.ok()) {
    return Status::InvalidArgument(k + " for " + Quote(name) +
                                   ": key is not valid base64: " + data.status().message());
  }
  if (data->empty()) {
    return Status::InvalidArgument(k + " for " + Quote(name) +
                                   ": key is empty (expected an algorithm byte and a key)");
  }
  parts.data = std::move(data).value();
  return parts;
}

// Checks a VerifierKey given to Verify.
Status CheckKnownKey(const VerifierKey& k) {
  if (!IsValidKeyName(k.name)) return Status::InvalidArgument("invalid key name " + Quote(k.name));
  if (k.alg != kAlgEd25519 && k.alg != kAlgCosignatureV1) {
    return Status::InvalidArgument("key " + KeyLabel(k.name, k.key_id) + " has algorithm " +
                                   std::to_string(k.alg) + " (expected 1 or 4)");
  }
  if (k.public_key.size() != kEd25519PublicKeySize) {
    return Status::InvalidArgument("key " + KeyLabel(k.name, k.key_id) + " has a " +
                                   std::to_string(k.public_key.size()) +
                                   "-byte public key (expected 32)");
  }
  uint32_t want = KeyId(k.name, k.alg, k.public_key);
  if (k.key_id != want) {
    return Status::InvalidArgument("key " + KeyLabel(k.name, k.key_id) +
                                   " has the wrong key id (computed " + Hex8(want) + ")");
  }
  return Status::Ok();
}

std::string CosignedMessage(std::string_view text, uint64_t timestamp) {
  std::string msg = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
  msg.append(text);
  return msg;
}

// Parses a decimal uint64 without sign or leading zeros (except "0").
bool ParseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

}  // namespace

uint32_t KeyId(std::string_view name, uint8_t alg, std::string_view public_key) {
  const char a = static_cast<char>(alg);
  Hash h = Sha256({name, "\n", std::string_view(&a, 1), public_key});
  return ReadBigEndian32(AsBytes(h));
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  size_t i = 0;
  while (i < name.size()) {
    size_t len = 0;
    int32_t cp = DecodeRune(name, i, &len);
    if (cp < 0 || cp == '+' || IsUnicodeSpace(cp) || IsControl(cp)) return false;
    i += len;
  }
  return true;
}

std::string VerifierKey::Encode() const {
  std::string data(1, static_cast<char>(alg));
  data += public_key;
  return name + "+" + Hex8(key_id) + "+" + Base64Encode(data);
}

Result<VerifierKey> ParseVerifierKey(std::string_view text) {
  text = TrimSpace(text);
  ASSIGN_OR_RETURN(KeyParts parts, SplitKey(text, "verifier key"));
  uint8_t alg = static_cast<uint8_t>(parts.data[0]);
  if (alg != kAlgEd25519 && alg != kAlgCosignatureV1) {
    return Status::InvalidArgument("verifier key " + Quote(parts.name) + ": algorithm byte " +
                                   std::to_string(alg) + " is not supported (expected 1 for " +
                                   "Ed25519 or 4 for cosignature/v1)");
  }
  if (parts.data.size() != 1 + kEd25519PublicKeySize) {
    return Status::InvalidArgument("verifier key " + Quote(parts.name) + ": public key is " +
                                   std::to_string(parts.data.size() - 1) + " bytes (expected 32)");
  }
  VerifierKey key;
  key.name = std::move(parts.name);
  key.alg = alg;
  key.public_key = parts.data.substr(1);
  key.key_id = KeyId(key.name, key.alg, key.public_key);
  if (key.key_id != parts.key_id) {
    return Status::InvalidArgument("verifier key " + Quote(key.name) + ": key id " +
                                   Hex8(parts.key_id) + " does not match the key (expected " +
                                   Hex8(key.key_id) + ")");
  }
  return key;
}

Signer::Signer(std::string name, std::string seed)
    : name_(std::move(name)), seed_(std::move(seed)), ed_(std::make_shared<Ed25519Signer>(seed_)) {
  key_id_ = KeyId(name_, kAlgEd25519, ed_->public_key());
}

Signer Signer::Generate(std::string name) {
  // Callers must check names from users with IsValidKeyName first.
  assert(IsValidKeyName(name));
  return Signer(std::move(name), RandomBytes(kEd25519SeedSize));
}

Result<Signer> Signer::Parse(std::string_view text) {
  text = TrimSpace(text);
  if (text.substr(0, kPrivateKeyPrefix.size()) != kPrivateKeyPrefix) {
    return Status::InvalidArgument("signer key does not start with \"PRIVATE+KEY+\"");
  }
  text.remove_prefix(kPrivateKeyPrefix.size());
  ASSIGN_OR_RETURN(KeyParts parts, SplitKey(text, "signer key"));
  uint8_t alg = static_cast<uint8_t>(parts.data[0]);
  if (alg != kAlgEd25519) {
    return Status::InvalidArgument("signer key " + Quote(parts.name) + ": algorithm byte " +
                                   std::to_string(alg) + " is not supported (expected 1 for " +
                                   "Ed25519)");
  }
  if (parts.data.size() != 1 + kEd25519SeedSize) {
    return Status::InvalidArgument("signer key " + Quote(parts.name) + ": seed is " +
                                   std::to_string(parts.data.size() - 1) + " bytes (expected 32)");
  }
  Signer signer(std::move(parts.name), parts.data.substr(1));
  if (signer.key_id() != parts.key_id) {
    return Status::InvalidArgument("signer key " + Quote(signer.name()) + ": key id " +
                                   Hex8(parts.key_id) + " does not match the key (expected " +
                                   Hex8(signer.key_id()) + ")");
  }
  return signer;
}

std::string Signer::Encode() const {
  std::string data(1, static_cast<char>(kAlgEd25519));
  data += seed_;
  return std::string(kPrivateKeyPrefix) + name_ + "+" + Hex8(key_id_) + "+" + Base64Encode(data);
}

VerifierKey Signer::Verifier() const {
  return VerifierKey{name_, key_id_, kAlgEd25519, ed_->public_key()};
}

VerifierKey Signer::CosignerVerifier() const {
  return VerifierKey{name_, KeyId(name_, kAlgCosignatureV1, ed_->public_key()), kAlgCosignatureV1,
                     ed_->public_key()};
}

std::string Signer::Sign(std::string_view message) const {
  return ed_->Sign(message);
}

std::string Signer::SignatureLine(std::string_view text) const {
  std::string raw = BigEndian32(key_id_) + ed_->Sign(text);
  return std::string(kSigPrefix) + name_ + " " + Base64Encode(raw) + "\n";
}

std::string Signer::CosignatureLine(std::string_view text, uint64_t timestamp) const {
  // The format cannot carry larger timestamps; verifiers reject them.
  assert(timestamp <= kMaxTimestamp);
  uint32_t id = KeyId(name_, kAlgCosignatureV1, ed_->public_key());
  std::string raw =
      BigEndian32(id) + BigEndian64(timestamp) + ed_->Sign(CosignedMessage(text, timestamp));
  return std::string(kSigPrefix) + name_ + " " + Base64Encode(raw) + "\n";
}

Result<Note> ParseNote(std::string_view message) {
  if (message.size() > kMaxNoteSize) {
    return Status::InvalidArgument("note is " + std::to_string(message.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(kMaxNoteSize));
  }
  if (message.empty()) return Status::InvalidArgument("note is empty");
  RETURN_IF_ERROR(CheckNoteChars(message, "note"));
  if (message.back() != '\n') {
    return Status::InvalidArgument("note does not end in a newline (data after the last line?)");
  }
  size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos) {
    return Status::InvalidArgument(
        "note has no blank line separating the text from the signature lines");
  }
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view block = message.substr(split + 2);
  size_t first_sig_line = CountNewlines(note.text) + 2;
  if (block.empty()) {
    return Status::InvalidArgument("note has no signature lines after the blank line at line " +
                                   std::to_string(first_sig_line - 1));
  }
  RETURN_IF_ERROR(ParseSignatureBlock(block, first_sig_line, &note.signatures));
  return note;
}

Result<std::string> Sign(std::string_view text, const std::vector<const Signer*>& signers) {
  RETURN_IF_ERROR(CheckText(text));
  if (signers.empty()) return Status::InvalidArgument("no signers given: a note needs a signature");
  if (signers.size() > kMaxSignatures) {
    return Status::InvalidArgument("too many signers: " + std::to_string(signers.size()) +
                                   " (at most " + std::to_string(kMaxSignatures) + ")");
  }
  std::string out(text);
  out += '\n';
  for (size_t i = 0; i < signers.size(); ++i) {
    if (signers[i] == nullptr) {
      return Status::InvalidArgument("signer " + std::to_string(i) + " is null");
    }
    out += signers[i]->SignatureLine(text);
  }
  if (out.size() > kMaxNoteSize) {
    return Status::InvalidArgument("signed note would be " + std::to_string(out.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(kMaxNoteSize));
  }
  return out;
}

Result<std::string> AddSignatureLines(std::string_view message, std::string_view lines) {
  ASSIGN_OR_RETURN(Note note, ParseNote(message));
  RETURN_IF_ERROR(CheckNoteChars(lines, "added signature lines"));
  size_t first_new_line = CountNewlines(message) + 1;
  size_t existing = note.signatures.size();
  RETURN_IF_ERROR(ParseSignatureBlock(lines, first_new_line, &note.signatures)
                      .WithContext("adding signature lines"));
  std::set<std::pair<std::string, uint32_t>> seen;
  for (size_t i = 0; i < existing; ++i) {
    seen.emplace(note.signatures[i].name, note.signatures[i].key_id);
  }
  for (size_t i = existing; i < note.signatures.size(); ++i) {
    const NoteSignature& s = note.signatures[i];
    if (!seen.emplace(s.name, s.key_id).second) {
      return Status::AlreadyExists("the note already has a signature from key " +
                                   KeyLabel(s.name, s.key_id));
    }
  }
  std::string out(message);
  out.append(lines);
  if (out.size() > kMaxNoteSize) {
    return Status::InvalidArgument("signed note would be " + std::to_string(out.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(kMaxNoteSize));
  }
  return out;
}

Result<VerifiedNote> Verify(std::string_view message, const std::vector<VerifierKey>& known) {
  for (size_t i = 0; i < known.size(); ++i) {
    RETURN_IF_ERROR(CheckKnownKey(known[i]).WithContext("known key " + std::to_string(i)));
    for (size_t j = 0; j < i; ++j) {
      const VerifierKey& a = known[i];
      const VerifierKey& b = known[j];
      if (a.name == b.name && a.key_id == b.key_id &&
          (a.alg != b.alg || a.public_key != b.public_key)) {
        return Status::InvalidArgument("known keys " + std::to_string(j) + " and " +
                                       std::to_string(i) + " are different keys with the same " +
                                       "name and key id " + KeyLabel(a.name, a.key_id));
      }
    }
  }
  ASSIGN_OR_RETURN(Note note, ParseNote(message));
  VerifiedNote result;
  size_t first_sig_line = CountNewlines(note.text) + 2;
  std::set<std::pair<std::string, uint32_t>> seen;
  for (size_t i = 0; i < note.signatures.size(); ++i) {
    const NoteSignature& sig = note.signatures[i];
    const VerifierKey* key = nullptr;
    for (const VerifierKey& k : known) {
      if (k.name == sig.name && k.key_id == sig.key_id) {
        key = &k;
        break;
      }
    }
    if (key == nullptr) continue;  // unknown keys are ignored
    std::string where = "signature line " + std::to_string(first_sig_line + i) + " from key " +
                        KeyLabel(sig.name, sig.key_id);
    if (!seen.emplace(sig.name, sig.key_id).second) {
      return Status::InvalidArgument(where + " repeats a key that already signed the note");
    }
    VerifiedSignature v;
    v.key = *key;
    if (key->alg == kAlgEd25519) {
      if (sig.signature.size() != kEd25519SigLen ||
          !Ed25519Verify(key->public_key, note.text, sig.signature)) {
        return Status::VerificationFailed(where + " does not verify");
      }
    } else {
      if (sig.signature.size() != kCosigLen) {
        return Status::VerificationFailed(
            where + " is a cosignature of " + std::to_string(sig.signature.size()) +
            " bytes after the key id (expected 72: 8-byte timestamp and 64-byte signature)");
      }
      uint64_t ts = ReadBigEndian64(sig.signature);
      if (ts > kMaxTimestamp) {
        return Status::VerificationFailed(where + " has timestamp " + std::to_string(ts) +
                                          ", above the maximum 2^63-1");
      }
      if (!Ed25519Verify(key->public_key, CosignedMessage(note.text, ts),
                         std::string_view(sig.signature).substr(8))) {
        return Status::VerificationFailed(where + " (cosignature at time " + std::to_string(ts) +
                                          ") does not verify");
      }
      v.timestamp = ts;
    }
    result.verified.push_back(std::move(v));
  }
  if (result.verified.empty()) {
    std::string known_list;
    for (size_t i = 0; i < known.size() && i < 8; ++i) {
      known_list += (i ? ", " : "") + KeyLabel(known[i].name, known[i].key_id);
    }
    if (known.size() > 8) known_list += ", ...";
    if (known.empty()) known_list = "none";
    std::string sig_list;
    for (size_t i = 0; i < note.signatures.size() && i < 8; ++i) {
      sig_list += (i ? ", " : "") + KeyLabel(note.signatures[i].name, note.signatures[i].key_id);
    }
    if (note.signatures.size() > 8) sig_list += ", ...";
    return Status::VerificationFailed("note has no signature from a known key (known: " +
                                      known_list + "; signed by: " + sig_list + ")");
  }
  result.note = std::move(note);
  return result;
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
