// Declarative checks of event bodies: each event type lists its fields once,
// and one validator produces every "missing / unknown / wrong type" error in
// the same words, naming the JSON path ("body.lines[2].quantity: ...").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/status.h"

namespace accord::domain {

class ReferenceData;

enum class FieldType {
  kString,  // non-empty UTF-8 text without control characters
  kText,    // like kString, but may be long and contain newlines
  kInt,     // an integer within [min, max]
  kBool,
  kDate,      // YYYY-MM-DD
  kDateTime,  // RFC 3339
  kEnum,      // one of `values`
  kCountry,   // ISO 3166-1 alpha-2 (or 3166-3 former state) known to the reference data
  kCurrency,  // ISO 4217 alpha-3
  kObject,    // an object with `fields`
  kArray,     // an array of `item` (min/max bound its length)
};

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kString;
  bool required = true;
  int64_t min = 0;                       // kInt: smallest value; kArray: fewest items
  int64_t max = INT64_MAX;               // kInt: largest value; kArray: most items
  std::vector<std::string> values;       // kEnum
  std::vector<FieldSpec> fields;         // kObject, or kArray of objects
  FieldType item = FieldType::kString;   // kArray: the items' type
  std::vector<std::string> item_values;  // kArray of kEnum
};

// Field builders, so that schemas read like tables.
FieldSpec Str(std::string name, bool required = true);
FieldSpec Text(std::string name, bool required = true);
FieldSpec Int(std::string name, int64_t min, int64_t max, bool required = true);
FieldSpec Bool(std::string name, bool required = true);
FieldSpec Date(std::string name, bool required = true);
FieldSpec Enum(std::string name, std::vector<std::string> values, bool required = true);
FieldSpec Country(std::string name, bool required = true);
FieldSpec Currency(std::string name, bool required = true);
FieldSpec Object(std::string name, std::vector<FieldSpec> fields, bool required = true);
FieldSpec ArrayOf(std::string name, FieldType item, int64_t min_items, int64_t max_items,
                  bool required = true);
FieldSpec ArrayOfObjects(std::string name, std::vector<FieldSpec> fields, int64_t min_items,
                         int64_t max_items, bool required = true);

// Checks `value` (an object) against `fields`: every required field present,
// no field that is not listed, every value of its type. `path` prefixes error
// messages.
Status ValidateObject(const nlohmann::json& value, const std::vector<FieldSpec>& fields,
                      const ReferenceData& ref, const std::string& path);

}  // namespace accord::domain
