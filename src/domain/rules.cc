// Dispatch: the table of every family's rules, the event types it knows and
// their documentation, and Decide(), which checks an event's subject, party
// and body against its rule before calling it.
#include "domain/rules.h"

#include <map>

#include "domain/event_schema.h"
#include "domain/rule_support.h"
#include "domain/schema.h"

namespace accord::domain {
namespace internal {
namespace {

const RuleTable& Rules() {
  static const RuleTable rules = [] {
    RuleTable r;
    AddTreatyRules(r);
    AddContractRules(r);
    AddDeliveryRules(r);
    AddCooperationRules(r);
    AddHistoryRules(r);
    AddEumRules(r);
    return r;
  }();
  return rules;
}

}  // namespace
}  // namespace internal

using internal::Quote;
using internal::Rules;

std::vector<std::string> KnownEventTypes() {
  std::vector<std::string> out;
  for (const auto& [type, rule] : Rules()) out.push_back(type);
  return out;
}

namespace {

std::string TypeName(const FieldSpec& f, FieldType t) {
  switch (t) {
    case FieldType::kString:
      return "string";
    case FieldType::kText:
      return "text";
    case FieldType::kInt: {
      std::string r = "integer";
      if (f.min != 0 || f.max != INT64_MAX) {
        r += " " + std::to_string(f.min) + ".." +
             (f.max == INT64_MAX ? std::string() : std::to_string(f.max));
      }
      return r;
    }
    case FieldType::kBool:
      return "boolean";
    case FieldType::kDate:
      return "date YYYY-MM-DD";
    case FieldType::kDateTime:
      return "RFC 3339 date-time";
    case FieldType::kEnum: {
      std::string r = "one of ";
      const auto& v = f.type == FieldType::kArray ? f.item_values : f.values;
      for (size_t i = 0; i < v.size(); ++i) r += (i ? "|" : "") + v[i];
      return r;
    }
    case FieldType::kCountry:
      return "ISO 3166 alpha-2 code";
    case FieldType::kCurrency:
      return "ISO 4217 code";
    case FieldType::kObject:
      return "object";
    case FieldType::kArray:
      return "array";
  }
  return "?";
}

void Describe(const std::vector<FieldSpec>& fields, const std::string& prefix,
              std::vector<std::string>& out) {
  for (const FieldSpec& f : fields) {
    std::string path = prefix + f.name;
    std::string type = TypeName(f, f.type);
    if (f.type == FieldType::kArray) {
      type = "array of " + TypeName(f, f.item) + " (" + std::to_string(f.min) + ".." +
             std::to_string(f.max) + " items)";
    }
    out.push_back(path + ": " + type + (f.required ? "" : " (optional)"));
    if (!f.fields.empty()) {
      Describe(f.fields, path + (f.type == FieldType::kArray ? "[]." : "."), out);
    }
  }
}

}  // namespace

std::vector<EventTypeDoc> DescribeEventTypes() {
  std::vector<EventTypeDoc> out;
  for (const auto& [type, rule] : Rules()) {
    EventTypeDoc d{type, rule.subject_kind, {}};
    Describe(rule.body, "body.", d.fields);
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

const char* KindName(FieldType t) {
  switch (t) {
    case FieldType::kString:
      return "string";
    case FieldType::kText:
      return "text";
    case FieldType::kInt:
      return "integer";
    case FieldType::kBool:
      return "boolean";
    case FieldType::kDate:
      return "date";
    case FieldType::kDateTime:
      return "datetime";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kCountry:
      return "country";
    case FieldType::kCurrency:
      return "currency";
    case FieldType::kObject:
      return "object";
    case FieldType::kArray:
      return "array";
  }
  return "?";
}

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// `fields` as JSON; `currency` is the path of the nearest currency field of
// the enclosing objects (money in minor units is counted in it).
nlohmann::json FieldsJson(const std::vector<FieldSpec>& fields, const std::string& prefix,
                          std::string currency) {
  for (const FieldSpec& f : fields) {
    if (f.type == FieldType::kCurrency) currency = prefix + f.name;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const FieldSpec& f : fields) {
    nlohmann::json j = {{"name", f.name},
                        {"path", prefix + f.name},
                        {"type", KindName(f.type)},
                        {"required", f.required}};
    if (f.type == FieldType::kInt || f.type == FieldType::kArray) {
      j["min"] = f.min;
      j["max"] = f.max;
    }
    if (f.type == FieldType::kEnum) j["values"] = f.values;
    if (f.type == FieldType::kArray) {
      j["item"] = KindName(f.item);
      if (f.item == FieldType::kEnum) j["item_values"] = f.item_values;
    }
    if (f.type == FieldType::kInt && EndsWith(f.name, "_minor")) {
      j["unit"] = "money_minor";
      if (!currency.empty()) j["currency_field"] = currency;
    } else if (f.type == FieldType::kInt && EndsWith(f.name, "_milli")) {
      j["unit"] = "milli";
    } else if (f.type == FieldType::kInt && EndsWith(f.name, "_bp")) {
      j["unit"] = "basis_points";
    }
    if (!f.fields.empty()) {
      j["fields"] = FieldsJson(
          f.fields, prefix + f.name + (f.type == FieldType::kArray ? "[]." : "."), currency);
    }
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

nlohmann::json EventTypeSchemas() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [type, rule] : Rules()) {
    out.push_back({{"type", type},
                   {"subject_kind", rule.subject_kind},
                   {"fields", FieldsJson(rule.body, "body.", "")}});
  }
  return out;
}

Result<std::vector<Change>> Decide(const RuleContext& ctx, StateReader& state, const Event& event,
                                   uint64_t index) {
  auto it = Rules().find(event.type);
  if (it == Rules().end()) {
    return Status::InvalidArgument("type: unknown event type " + Quote(event.type) +
                                   " (see `accord events`)");
  }
  const internal::Rule& rule = it->second;
  if (event.subject_kind() != rule.subject_kind) {
    return Status::InvalidArgument("subject: a " + event.type + " event is about a " +
                                   rule.subject_kind + ", e.g. \"" + rule.subject_kind +
                                   "/ID\", not " + Quote(event.subject));
  }
  if (event.party != kRegistryParty && ctx.ref->FindCountry(event.party) == nullptr) {
    return Status::InvalidArgument("party: " + Quote(event.party) +
                                   " is neither an ISO 3166 alpha-2 code nor \"registry\"");
  }
  RETURN_IF_ERROR(ValidateObject(event.body(), rule.body, *ctx.ref, "body"));
  internal::Call call{ctx,
                      state,
                      event,
                      event.body(),
                      std::string(event.subject_id()),
                      FormatDate(event.time_unix),
                      index};
  return rule.decide(call);
}

}  // namespace accord::domain
