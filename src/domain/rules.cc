// Dispatch: the table of every family's rules, the event types it knows and
// their documentation, and Decide(), which checks an event's subject, party
// and body against its rule before calling it.
#include "domain/rules.h"

#include <map>

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
