// accord keygen, accord key vkey, accord note sign|verify.
#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/io.h"
#include "note/note.h"

namespace accord::cli {

int RunKeygen(const KeygenOptions& o) {
  if (!note::IsValidKeyName(o.name)) {
    return Fail(Status::InvalidArgument("key name \"" + o.name +
                                        "\" is not valid: it must be non-empty and contain no "
                                        "spaces, '+' or control characters"));
  }
  std::string base = o.name;
  for (char& c : base) {
    if (c == '/') c = '_';  // key names are often URL-like; keep the file flat
  }
  std::string skey_path = o.out_dir + "/" + base + ".skey";
  std::string vkey_path = o.out_dir + "/" + base + ".vkey";
  for (const std::string& path : {skey_path, vkey_path}) {
    if (::access(path.c_str(), F_OK) == 0) {
      return Fail(Status::AlreadyExists(path + " already exists; not overwriting it"));
    }
  }
  note::Signer signer = note::Signer::Generate(o.name);
  if (Status s = WriteNewFile(skey_path, signer.Encode() + "\n", 0600); !s.ok()) return Fail(s);
  if (Status s = WriteNewFile(vkey_path, signer.Verifier().Encode() + "\n", 0644); !s.ok()) {
    ::unlink(skey_path.c_str());  // a private key without its public half helps no one
    return Fail(s);
  }
  std::cout << skey_path << "\n" << vkey_path << "\n";
  return kExitOk;
}

int RunKeyVkey(const KeyVkeyOptions& o) {
  auto signer = LoadSigner(o.skey);
  if (!signer.ok()) return Fail(signer.status());
  std::cout << (o.cosigner ? signer->CosignerVerifier() : signer->Verifier()).Encode() << "\n";
  return kExitOk;
}

int RunNoteSign(const NoteSignOptions& o) {
  auto signer = LoadSigner(o.key);
  if (!signer.ok()) return Fail(signer.status());
  auto text = ReadInput(o.input, note::kMaxNoteSize);
  if (!text.ok()) return Fail(text.status());
  auto signed_note = note::Sign(*text, {&*signer});
  if (!signed_note.ok()) return Fail(signed_note.status().WithContext("cannot sign the note"));
  std::cout << *signed_note;
  return kExitOk;
}

int RunNoteVerify(const NoteVerifyOptions& o) {
  std::vector<note::VerifierKey> keys;
  for (const std::string& path : o.vkeys) {
    auto k = LoadVerifier(path);
    if (!k.ok()) return Fail(k.status());
    keys.push_back(*k);
  }
  auto msg = ReadInput(o.input, note::kMaxNoteSize);
  if (!msg.ok()) return Fail(msg.status());
  auto verified = note::Verify(*msg, keys);
  if (!verified.ok()) {
    const Status& s = verified.status();
    // A note that cannot even be parsed is bad input; one that parses but
    // does not verify is a verification failure.
    if (s.code() == StatusCode::kInvalidArgument) return Fail(s.WithContext("malformed note"));
    return Fail(s.WithContext("note does not verify"));
  }
  std::cout << verified->note.text;
  for (const auto& v : verified->verified) {
    std::cerr << "verified: " << v.key.name;
    if (v.timestamp) std::cerr << " (cosignature, time " << *v.timestamp << ")";
    std::cerr << "\n";
  }
  return kExitOk;
}

}  // namespace accord::cli
