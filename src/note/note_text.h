// What notes, keys and checkpoints share: the checks on note text (UTF-8,
// no control characters), signature lines, big-endian bytes, and untrusted
// text quoted for error messages. Internal to src/note.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "note/note.h"
#include "util/status.h"

namespace accord::note::internal {

// U+2014 EM DASH followed by a space: the start of every signature line.
inline constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";
inline constexpr uint64_t kMaxTimestamp = (uint64_t{1} << 63) - 1;

// Decodes the UTF-8 sequence starting at s[i]. Returns the code point and sets
// *len, or returns -1 for an invalid sequence (overlong forms, surrogates and
// code points above U+10FFFF are invalid).
int32_t DecodeRune(std::string_view s, size_t i, size_t* len);
// The Unicode White_Space property (what Go's unicode.IsSpace reports).
bool IsUnicodeSpace(int32_t cp);
// Unicode general category Cc: C0 controls, DEL and C1 controls.
bool IsControl(int32_t cp);

std::string Hex8(uint32_t v);  // 8 lowercase hex digits
std::string BigEndian32(uint32_t v);
std::string BigEndian64(uint64_t v);
uint32_t ReadBigEndian32(std::string_view b);  // REQUIRES: b.size() >= 4
uint64_t ReadBigEndian64(std::string_view b);  // REQUIRES: b.size() >= 8

// Shows untrusted text in an error message: quoted, shortened, with bytes that
// are not printable ASCII escaped.
std::string Quote(std::string_view s);
std::string_view TrimSpace(std::string_view s);
size_t CountNewlines(std::string_view s);

// Valid UTF-8 and no ASCII control character other than newline; errors
// name `what` and the line and column.
Status CheckNoteChars(std::string_view s, std::string_view what);
// Checks what Sign requires of a note text.
Status CheckText(std::string_view text);

// Parses a block of signature lines whose first line is line `first_line_no`
// of the note; appends them to *out. Enforces kMaxSignatures over *out.
Status ParseSignatureBlock(std::string_view block, size_t first_line_no,
                           std::vector<NoteSignature>* out);

// "name+keyid", to name a key in messages.
std::string KeyLabel(std::string_view name, uint32_t key_id);
// What a cosignature/v1 signs: "cosignature/v1\ntime <t>\n" + text.
std::string CosignedMessage(std::string_view text, uint64_t timestamp);

// Checks a VerifierKey given to Verify (keys.cc).
Status CheckKnownKey(const VerifierKey& k);

}  // namespace accord::note::internal
