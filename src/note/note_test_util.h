// Test-only: the Go reference example and small helpers shared by the note
// layer's tests (keys_test.cc, note_test.cc, cosignature_test.cc,
// checkpoint_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/ed25519.h"
#include "note/note.h"
#include "util/encoding.h"

namespace accord::note {

// The example from the documentation of golang.org/x/mod/sumdb/note, the
// reference implementation: an external known answer for key ids, key
// encodings and signatures.
inline constexpr std::string_view kGoVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
inline constexpr std::string_view kGoSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
inline constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
inline constexpr std::string_view kGoNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

inline constexpr std::string_view kDash = "\xE2\x80\x94 ";

inline std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

inline std::string Bytes(std::string_view hex) {
  return HexDecode(hex).value();
}

inline Signer MakeSigner(const std::string& name, char seed_byte) {
  std::string skey_data(1, '\x01');
  skey_data += std::string(32, seed_byte);
  Ed25519KeyPair kp = Ed25519FromSeed(std::string(32, seed_byte));
  char id[9];
  std::snprintf(id, sizeof id, "%08x", KeyId(name, kAlgEd25519, kp.public_key));
  auto s = Signer::Parse("PRIVATE+KEY+" + name + "+" + id + "+" + Base64Encode(skey_data));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

// Replaces the first occurrence of `from` in `s` with `to`.
inline std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Decodes the base64 of a signature line (without its final newline).
inline std::string LineBytes(std::string_view line) {
  line.remove_suffix(1);
  return Base64Decode(line.substr(line.rfind(' ') + 1)).value();
}

inline std::string LineFromBytes(std::string_view name, std::string_view raw) {
  return std::string(kDash) + std::string(name) + " " + Base64Encode(raw) + "\n";
}

}  // namespace accord::note
