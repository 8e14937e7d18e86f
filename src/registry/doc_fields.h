// Reading fields of entity documents without throwing on an odd one: the
// reports and adapters read documents the rules wrote, and a report or a
// table never fails because a field is missing or of another type.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace accord::registry {

// doc[key] if it is a string, else "".
inline std::string DocText(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// doc[key] if it is an integer.
inline std::optional<int64_t> DocInt(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

// doc[key] for a table cell: a string as is, any other value as JSON text,
// "" if absent or null.
inline std::string DocCell(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace accord::registry
