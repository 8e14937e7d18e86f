// Rules of history: arms transfers recorded before Accord, imported from
// SIPRI's Arms Transfers Database by the registry itself (signed by the
// node's key). Each record becomes an entity, and its TIV volume a row of
// the typed projection table tiv_deliveries that `accord report tiv`
// aggregates:
//
//   history.sipri_delivery_recorded  sipri_delivery/<dataset>:<deal id>:<year>
//     one row of SIPRI's flat export: one deal's deliveries in one year;
//   history.sipri_deal_recorded      sipri_deal/<dataset>:<content hash>
//     one record of the classic trade register: a whole deal, with its
//     delivery years but no per-year numbers (it counts in totals only, so
//     its tiv_deliveries row has no year).
#include "domain/rule_support.h"

namespace accord::domain {
namespace internal {
namespace {

constexpr char kTivTable[] = "tiv_deliveries";

Status CheckDataset(const Call& c, const std::string& dataset) {
  bool ok = !dataset.empty() && dataset.size() <= 64;
  for (char ch : dataset) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
          ch == '.')) {
      ok = false;
    }
  }
  if (!ok) {
    return Status::InvalidArgument(
        "body.dataset: expected a name of at most 64 characters "
        "a-z, 0-9, '-', '_' or '.', not " +
        Quote(dataset));
  }
  if (!c.by_registry()) {
    return Refuse("history.by_registry", "party",
                  "imported history is recorded by the registry with the node's key, not by " +
                      Quote(c.e.party));
  }
  return Status::Ok();
}

std::string Name(const json& state) {
  return state.at("name").get<std::string>();
}

int64_t IntOr(const json& body, const char* key, int64_t otherwise) {
  auto it = body.find(key);
  return it == body.end() ? otherwise : it->get<int64_t>();
}

Result<std::vector<Change>> SipriDeliveryRecorded(const Call& c) {
  std::string dataset = c.body["dataset"];
  RETURN_IF_ERROR(CheckDataset(c, dataset));
  int64_t deal = c.body["deal_id"], year = c.body["delivery_year"];
  std::string want = dataset + ":" + std::to_string(deal) + ":" + std::to_string(year);
  if (c.id != want) {
    return Refuse("history.sipri_subject", "subject",
                  "deal " + std::to_string(deal) + "'s deliveries in " + std::to_string(year) +
                      " of dataset " + dataset + " are " + Quote("sipri_delivery/" + want) +
                      ", not " + Quote(c.e.subject));
  }
  RETURN_IF_ERROR(c.MustBeNew("sipri_delivery"));
  json doc = c.body;
  doc["id"] = c.id;
  Row row{kTivTable,
          {dataset, c.e.subject, Name(c.body["supplier"]), Name(c.body["recipient"]), year,
           c.body["category"].get<std::string>(), c.body["number_delivered"].get<int64_t>(),
           IntOr(c.body, "tiv_delivery_milli", 0)}};
  return std::vector<Change>{{"sipri_delivery", c.id, std::move(doc), {std::move(row)}}};
}

Result<std::vector<Change>> SipriDealRecorded(const Call& c) {
  std::string dataset = c.body["dataset"];
  RETURN_IF_ERROR(CheckDataset(c, dataset));
  if (!c.id.starts_with(dataset + ":") || c.id.size() == dataset.size() + 1) {
    return Refuse("history.sipri_subject", "subject",
                  "a deal of dataset " + dataset + " is " + Quote("sipri_deal/" + dataset + ":ID") +
                      ", not " + Quote(c.e.subject));
  }
  RETURN_IF_ERROR(c.MustBeNew("sipri_deal"));
  json doc = c.body;
  doc["id"] = c.id;
  Row row{kTivTable,
          {dataset, c.e.subject, Name(c.body["supplier"]), Name(c.body["recipient"]),
           std::monostate(), std::monostate(), IntOr(c.body, "number_delivered", 0),
           IntOr(c.body, "tiv_delivered_milli", 0)}};
  return std::vector<Change>{{"sipri_deal", c.id, std::move(doc), {std::move(row)}}};
}

// Where a record came from: file name, SIPRI's generation time, line.
FieldSpec Source() {
  return Object("source",
                {Str("file"), Enum("format", {"classic", "flat"}), Str("generated", false),
                 Int("line", 1, kMaxSafeInteger), Int("last_line", 1, kMaxSafeInteger, false)});
}
// A state or group as SIPRI spells it, with its ISO 3166 code if it has one.
FieldSpec State(std::string name) {
  return Object(std::move(name), {Str("name"), Country("code", false)});
}
FieldSpec Milli(std::string name) {
  return Int(std::move(name), 0, kMaxSafeInteger, false);
}
const std::vector<std::string> kStatuses = {"new", "second_hand", "second_hand_modernized"};

}  // namespace

void AddHistoryRules(RuleTable& r) {
  r["history.sipri_delivery_recorded"] = {
      "sipri_delivery",
      {Str("dataset"), Source(), Int("deal_id", 1, kMaxSafeInteger), State("supplier"),
       State("recipient"), Str("designation"), Text("description", false),
       Enum("category",
            {"Aircraft", "Air defence systems", "Armoured vehicles", "Artillery", "Engines",
             "Missiles", "Naval weapons", "Other", "Satellites", "Sensors", "Ships"}),
       Int("order_year", 1900, 2100), Bool("order_year_estimate"), Int("delivery_year", 1900, 2100),
       Bool("delivery_year_estimate"), Int("number_delivered", 0, 100'000'000),
       Bool("number_delivered_estimate"), Enum("status", kStatuses), Milli("tiv_core_milli"),
       Milli("tiv_per_unit_milli"), Milli("tiv_delivery_milli"), Bool("local_production")},
      SipriDeliveryRecorded};
  r["history.sipri_deal_recorded"] = {
      "sipri_deal",
      {Str("dataset"), Source(), State("supplier"), State("recipient"), Str("designation"),
       Text("description", false), Int("order_year", 1900, 2100), Bool("order_year_estimate"),
       Int("number_ordered", 0, 100'000'000, false), Bool("number_ordered_estimate"),
       Int("number_delivered", 0, 100'000'000, false), Bool("number_delivered_estimate"),
       ArrayOf("delivery_years", FieldType::kInt, 0, 10000), Enum("status", kStatuses),
       Text("comments", false), Milli("tiv_per_unit_milli"), Milli("tiv_order_milli"),
       Milli("tiv_delivered_milli")},
      SipriDealRecorded};
}

}  // namespace internal

const std::vector<RowTableSpec>& RowTables() {
  static const std::vector<RowTableSpec> tables = [] {
    std::vector<RowTableSpec> t = {{internal::kTivTable,
                                    {{"dataset", false},
                                     {"subject", false},
                                     {"supplier", false},
                                     {"recipient", false},
                                     {"year", true},
                                     {"category", false},
                                     {"number", true},
                                     {"tiv_milli", true}},
                                    2}};
    for (RowTableSpec& e : internal::EumRowTables()) t.push_back(std::move(e));
    return t;
  }();
  return tables;
}

}  // namespace accord::domain
