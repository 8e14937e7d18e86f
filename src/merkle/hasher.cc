#include "merkle/hasher.h"

namespace accord::merkle {

Hash EmptyRoot() {
  return Sha256(std::string_view());
}

Hash LeafHash(std::string_view leaf) {
  static constexpr char kLeafPrefix = 0x00;
  return Sha256({std::string_view(&kLeafPrefix, 1), leaf});
}

Hash NodeHash(const Hash& left, const Hash& right) {
  static constexpr char kNodePrefix = 0x01;
  return Sha256({std::string_view(&kNodePrefix, 1), AsBytes(left), AsBytes(right)});
}

}  // namespace accord::merkle
