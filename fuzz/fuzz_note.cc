// libFuzzer target for the signed-note layer: note, checkpoint and key parsers
// and the verifier must reject malformed input cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "note/note.h"

namespace {

using accord::note::Signer;
using accord::note::VerifierKey;

// Fixed keys (derived from constant seeds), so that the fuzzer can reach the
// signature-checking code paths with lines whose name and key id match.
const std::vector<VerifierKey>& KnownKeys() {
  static const std::vector<VerifierKey>* keys = [] {
    // The Go sumdb/note documentation key, plus plain and cosigner keys of one
    // local signer.
    auto* v = new std::vector<VerifierKey>;
    auto go = accord::note::ParseVerifierKey(
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    if (go.ok()) v->push_back(*go);
    auto s = Signer::Parse(
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
    if (s.ok()) v->push_back(s->CosignerVerifier());
    return v;
  }();
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  auto note = accord::note::ParseNote(input);
  auto verified = accord::note::Verify(input, KnownKeys());
  // Anything Verify accepts, ParseNote accepts with the same text.
  if (verified.ok() && (!note.ok() || note->text != verified->note.text)) __builtin_trap();
  if (note.ok()) {
    // The parsed text is valid note text: re-signing it must work and verify.
    static const Signer* signer = new Signer(
        accord::note::Signer::Parse(
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
            .value());
    auto resigned = accord::note::Sign(note->text, {signer});
    if (resigned.ok()) {
      auto again = accord::note::Verify(*resigned, {signer->Verifier()});
      if (!again.ok() || again->note.text != note->text) __builtin_trap();
    }
    (void)accord::note::ParseCheckpoint(note->text);
  }

  auto cp = accord::note::ParseCheckpoint(input);
  if (cp.ok() && cp->Text() != input) __builtin_trap();  // one encoding per checkpoint

  auto vk = accord::note::ParseVerifierKey(input);
  if (vk.ok()) {
    auto back = accord::note::ParseVerifierKey(vk->Encode());
    if (!back.ok() || back->public_key != vk->public_key || back->key_id != vk->key_id) {
      __builtin_trap();
    }
  }
  auto sk = accord::note::Signer::Parse(input);
  if (sk.ok()) {
    auto back = accord::note::Signer::Parse(sk->Encode());
    if (!back.ok() || back->key_id() != sk->key_id()) __builtin_trap();
  }
  (void)accord::note::IsValidKeyName(input);
  return 0;
}
