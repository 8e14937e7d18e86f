// SHA-256 through OpenSSL's libcrypto (which uses the CPU's SHA extensions).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace accord {

inline constexpr size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

inline std::string_view AsBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}
// Copies exactly 32 bytes; the caller guarantees bytes.size() == 32.
Hash HashFromBytes(std::string_view bytes);

// SHA-256 over the concatenation of `parts`.
Hash Sha256(std::string_view data);
Hash Sha256(std::initializer_list<std::string_view> parts);

// Incremental hashing for large inputs. Not copyable.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view data);
  Hash Finish();  // the stream is reset and may be reused

 private:
  void* ctx_;
};

}  // namespace accord
