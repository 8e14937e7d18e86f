// How JSON values and their places appear in error messages, shared by the
// strict parser, the canonical writer and the envelope checks so that all
// three name a value and its path the same way. Internal to src/domain.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace accord::domain::json_messages {

inline constexpr char kIntegerOnly[] =
    "expected an integer (money in minor units, fixed-point with the unit in the field name)";

// A short description of a JSON value for "got ..." in messages.
std::string Describe(const nlohmann::json& v);

// One step of a JSON path: an object key or an array index.
struct PathStep {
  const std::string* key = nullptr;  // null for an array index
  size_t index = 0;
};

// Appends one step to a path: ".key" for plain keys, "[\"k y\"]" for the
// others, "[3]" for an array index (`key` null).
void AppendStep(std::string& path, const std::string* key, size_t index);

// The whole path, or "(top level)" when `steps` is empty.
std::string PathString(const std::vector<PathStep>& steps);

}  // namespace accord::domain::json_messages
