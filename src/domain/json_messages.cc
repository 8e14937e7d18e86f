#include "domain/json_messages.h"

#include "util/utf8.h"

namespace accord::domain::json_messages {

using nlohmann::json;

std::string Describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case json::value_t::string:
      return QuoteForMessage(v.get_ref<const std::string&>());
    case json::value_t::number_integer:
      return std::to_string(v.get<int64_t>());
    case json::value_t::number_unsigned:
      return std::to_string(v.get<uint64_t>());
    case json::value_t::number_float:
      return "a floating-point number";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "a non-JSON value";
  }
}

namespace {

bool IsPlainKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void AppendStep(std::string& path, const std::string* key, size_t index) {
  if (key == nullptr) {
    path += '[' + std::to_string(index) + ']';
  } else if (IsPlainKey(*key)) {
    if (!path.empty()) path += '.';
    path += *key;
  } else {
    path += '[' + QuoteForMessage(*key) + ']';
  }
}

std::string PathString(const std::vector<PathStep>& steps) {
  std::string path;
  for (const auto& s : steps) AppendStep(path, s.key, s.index);
  return path.empty() ? "(top level)" : path;
}

}  // namespace accord::domain::json_messages
