#include "domain/schema.h"

#include "domain/envelope.h"
#include "domain/reference.h"

namespace accord::domain {
namespace {

constexpr size_t kMaxStringBytes = 1000;
constexpr size_t kMaxTextBytes = 20000;

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

bool HasControl(const std::string& s, bool allow_newline) {
  for (unsigned char c : s) {
    if (c < 0x20 && !(allow_newline && (c == '\n' || c == '\t'))) return true;
    if (c == 0x7f) return true;
  }
  return false;
}

Status CheckValue(const nlohmann::json& v, const FieldSpec& f, FieldType type,
                  const std::vector<std::string>& enum_values, const ReferenceData& ref,
                  const std::string& path) {
  auto bad = [&](const std::string& expected) {
    return Status::InvalidArgument(path + ": expected " + expected + ", got " + v.dump());
  };
  switch (type) {
    case FieldType::kString:
    case FieldType::kText: {
      bool text = type == FieldType::kText;
      if (!v.is_string()) return bad(text ? "text" : "a string");
      const auto& s = v.get_ref<const std::string&>();
      if (s.empty()) return Status::InvalidArgument(path + ": must not be empty");
      if (s.size() > (text ? kMaxTextBytes : kMaxStringBytes)) {
        return Status::InvalidArgument(path + ": longer than " +
                                       std::to_string(text ? kMaxTextBytes : kMaxStringBytes) +
                                       " bytes");
      }
      if (HasControl(s, text))
        return Status::InvalidArgument(path + ": contains control characters");
      return Status::Ok();
    }
    case FieldType::kInt: {
      if (!v.is_number_integer()) return bad("an integer");
      int64_t n = v.get<int64_t>();
      if (n < f.min || n > f.max) {
        std::string range = f.max == INT64_MAX ? "at least " + std::to_string(f.min)
                                               : "between " + std::to_string(f.min) + " and " +
                                                     std::to_string(f.max);
        return Status::InvalidArgument(path + ": " + std::to_string(n) + " is out of range (" +
                                       range + ")");
      }
      return Status::Ok();
    }
    case FieldType::kBool:
      return v.is_boolean() ? Status::Ok() : bad("true or false");
    case FieldType::kDate: {
      if (!v.is_string()) return bad("a date YYYY-MM-DD");
      auto d = ParseDate(v.get<std::string>());
      if (!d.ok()) return Status::InvalidArgument(path + ": " + d.status().message());
      return Status::Ok();
    }
    case FieldType::kDateTime: {
      if (!v.is_string()) return bad("an RFC 3339 date-time");
      auto t = ParseRfc3339(v.get<std::string>());
      if (!t.ok()) return Status::InvalidArgument(path + ": " + t.status().message());
      return Status::Ok();
    }
    case FieldType::kEnum: {
      if (!v.is_string()) return bad("one of " + Join(enum_values));
      for (const auto& e : enum_values) {
        if (v.get_ref<const std::string&>() == e) return Status::Ok();
      }
      return bad("one of " + Join(enum_values));
    }
    case FieldType::kCountry: {
      if (!v.is_string() || ref.FindCountry(v.get<std::string>()) == nullptr) {
        return bad("an ISO 3166 alpha-2 country code such as \"RU\"");
      }
      return Status::Ok();
    }
    case FieldType::kCurrency: {
      if (!v.is_string() || !ref.IsCurrency(v.get<std::string>())) {
        return bad("an ISO 4217 currency code such as \"RUB\"");
      }
      return Status::Ok();
    }
    case FieldType::kObject:
      if (!v.is_object()) return bad("an object");
      return ValidateObject(v, f.fields, ref, path);
    case FieldType::kArray: {
      if (!v.is_array()) return bad("an array");
      auto n = static_cast<int64_t>(v.size());
      if (n < f.min || n > f.max) {
        return Status::InvalidArgument(path + ": needs between " + std::to_string(f.min) + " and " +
                                       std::to_string(f.max) + " items, has " + std::to_string(n));
      }
      for (size_t i = 0; i < v.size(); ++i) {
        std::string p = path + "[" + std::to_string(i) + "]";
        FieldSpec item = f;
        item.type = f.item;
        RETURN_IF_ERROR(CheckValue(v[i], item, f.item, f.item_values, ref, p));
      }
      return Status::Ok();
    }
  }
  return Status::Internal(path + ": unknown field type");
}

FieldSpec Make(std::string name, FieldType type, bool required) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  f.required = required;
  return f;
}

}  // namespace

FieldSpec Str(std::string name, bool required) {
  return Make(std::move(name), FieldType::kString, required);
}
FieldSpec Text(std::string name, bool required) {
  return Make(std::move(name), FieldType::kText, required);
}
FieldSpec Int(std::string name, int64_t min, int64_t max, bool required) {
  FieldSpec f = Make(std::move(name), FieldType::kInt, required);
  f.min = min;
  f.max = max;
  return f;
}
FieldSpec Bool(std::string name, bool required) {
  return Make(std::move(name), FieldType::kBool, required);
}
FieldSpec Date(std::string name, bool required) {
  return Make(std::move(name), FieldType::kDate, required);
}
FieldSpec Enum(std::string name, std::vector<std::string> values, bool required) {
  FieldSpec f = Make(std::move(name), FieldType::kEnum, required);
  f.values = std::move(values);
  return f;
}
FieldSpec Country(std::string name, bool required) {
  return Make(std::move(name), FieldType::kCountry, required);
}
FieldSpec Currency(std::string name, bool required) {
  return Make(std::move(name), FieldType::kCurrency, required);
}
FieldSpec Object(std::string name, std::vector<FieldSpec> fields, bool required) {
  FieldSpec f = Make(std::move(name), FieldType::kObject, required);
  f.fields = std::move(fields);
  return f;
}
FieldSpec ArrayOf(std::string name, FieldType item, int64_t min_items, int64_t max_items,
                  bool required) {
  FieldSpec f = Make(std::move(name), FieldType::kArray, required);
  f.item = item;
  f.min = min_items;
  f.max = max_items;
  return f;
}
FieldSpec ArrayOfObjects(std::string name, std::vector<FieldSpec> fields, int64_t min_items,
                         int64_t max_items, bool required) {
  FieldSpec f = ArrayOf(std::move(name), FieldType::kObject, min_items, max_items, required);
  f.fields = std::move(fields);
  return f;
}

Status ValidateObject(const nlohmann::json& value, const std::vector<FieldSpec>& fields,
                      const ReferenceData& ref, const std::string& path) {
  if (!value.is_object()) {
    return Status::InvalidArgument(path + ": expected an object, got " + value.dump());
  }
  for (const auto& [key, v] : value.items()) {
    bool known = false;
    for (const FieldSpec& f : fields) known = known || f.name == key;
    if (!known) {
      std::vector<std::string> names;
      names.reserve(fields.size());
      for (const FieldSpec& f : fields) names.push_back(f.name);
      return Status::InvalidArgument(path + "." + key + ": unknown field (allowed: " + Join(names) +
                                     ")");
    }
  }
  for (const FieldSpec& f : fields) {
    std::string p = path + "." + f.name;
    auto it = value.find(f.name);
    if (it == value.end()) {
      if (f.required) return Status::InvalidArgument(p + ": missing required field");
      continue;
    }
    // The rules read a present field as given: null is no value of any type.
    if (it->is_null()) {
      return Status::InvalidArgument(p + (f.required ? ": missing required field (null)"
                                                     : ": null is not a value; omit the field"));
    }
    RETURN_IF_ERROR(CheckValue(*it, f, f.type, f.values, ref, p));
  }
  return Status::Ok();
}

}  // namespace accord::domain
