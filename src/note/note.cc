#include "note/note.h"

#include <set>
#include <utility>

#include "note/note_text.h"
#include "util/encoding.h"

namespace accord::note {

using internal::CheckKnownKey;
using internal::CheckNoteChars;
using internal::CheckText;
using internal::CosignedMessage;
using internal::CountNewlines;
using internal::KeyLabel;
using internal::kMaxTimestamp;
using internal::ParseSignatureBlock;
using internal::ReadBigEndian64;

namespace {

constexpr size_t kEd25519SigLen = kEd25519SignatureSize;
constexpr size_t kCosigLen = 8 + kEd25519SignatureSize;

}  // namespace

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

}  // namespace accord::note
