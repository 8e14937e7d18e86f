#include "storage/projection_digest.h"

#include <string>

namespace accord::storage {

void DigestField(Sha256Stream& h, std::string_view v) {
  std::string len = std::to_string(v.size()) + ":";
  h.Update(len);
  h.Update(v);
}

void DigestValue(Sha256Stream& h, const RowValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) {
    DigestField(h, "i" + std::to_string(*n));
  } else if (const auto* t = std::get_if<std::string>(&v)) {
    DigestField(h, "t" + *t);
  } else {
    DigestField(h, "n");
  }
}

bool IsSqlIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64 || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace accord::storage
