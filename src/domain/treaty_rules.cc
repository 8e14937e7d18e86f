#include "domain/rules.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "domain/rule_support.h"
#include "domain/schema.h"
#include "note/note.h"
#include "util/encoding.h"

namespace accord::domain {
namespace internal {
namespace {

// Prices (< 2^53) times basis-point factors (< 2^17) need more than 64 bits.
__extension__ typedef __int128 Wide;

const std::vector<std::string> kBodyKinds = {
    "ministry_of_defence", "export_control_authority", "enterprise",   "military_institution",
    "intermediary_agency", "government_authority",     "military_unit"};

// ---- Parties and keys ----------------------------------------------------------

Result<std::vector<Change>> PartyRegistered(const Call& c) {
  if (!c.by_registry()) {
    return Refuse("party.registered_by_registry", "party",
                  "parties are registered by the registry");
  }
  if (c.ctx.ref->FindCountry(c.id) == nullptr) {
    return Refuse("party.iso_code", "subject",
                  Quote(c.id) + " is not an ISO 3166 alpha-2 code (e.g. party/RU)");
  }
  RETURN_IF_ERROR(c.MustBeNew("party"));
  return c.Set("party", {{"code", c.id},
                         {"name", c.body.at("name")},
                         {"registered", c.date},
                         {"keys", json::array()}});
}

Result<std::vector<Change>> PartyKeyRegistered(const Call& c) {
  ASSIGN_OR_RETURN(json party, c.Self("party"));
  RETURN_IF_ERROR(c.ActsFor(c.id, "party.key_by_owner", /*registry_ok=*/true));
  auto vkey = note::ParseVerifierKey(c.body.at("vkey").get<std::string>());
  if (!vkey.ok() || vkey->alg != note::kAlgEd25519) {
    return Status::InvalidArgument(
        "body.vkey: expected an Ed25519 signed-note verifier key "
        "<name>+<id>+<base64>" +
        (vkey.ok() ? std::string() : " (" + vkey.status().message() + ")"));
  }
  std::string key_id = KeyIdHex(vkey->key_id);
  std::string valid_from = c.body.at("valid_from");
  for (const auto& k : party["keys"]) {
    if (k["id"] == key_id)
      return Refuse("party.key_unique", "body.vkey", "key " + key_id + " is already registered");
  }
  if (c.body.contains("retires")) {
    const json& r = c.body["retires"];
    bool found = false;
    for (auto& k : party["keys"]) {
      if (k["id"] == r["key_id"]) {
        found = true;
        if (k.contains("retired_from")) {
          return Refuse("party.key_retire_once", "body.retires.key_id",
                        "key " + k["id"].get<std::string>() + " is already retired");
        }
        RETURN_IF_ERROR(
            c.NotBefore("body.retires.from", r["from"], k["valid_from"], "the key's start"));
        k["retired_from"] = r["from"];
      }
    }
    if (!found) {
      return Refuse("party.key_exists", "body.retires.key_id",
                    "party " + c.id + " has no key " + r["key_id"].get<std::string>());
    }
  }
  party["keys"].push_back(
      {{"id", key_id}, {"name", vkey->name}, {"vkey", vkey->Encode()}, {"valid_from", valid_from}});
  return c.Set("party", std::move(party));
}

Result<std::vector<Change>> PartyKeyRetired(const Call& c) {
  ASSIGN_OR_RETURN(json party, c.Self("party"));
  RETURN_IF_ERROR(c.ActsFor(c.id, "party.key_by_owner", true));
  for (auto& k : party["keys"]) {
    if (k["id"] == c.body["key_id"]) {
      if (k.contains("retired_from")) {
        return Refuse("party.key_retire_once", "body.key_id", "key is already retired");
      }
      RETURN_IF_ERROR(c.NotBefore("body.from", c.body["from"], k["valid_from"], "the key's start"));
      k["retired_from"] = c.body["from"];
      return c.Set("party", std::move(party));
    }
  }
  return Refuse("party.key_exists", "body.key_id",
                "party " + c.id + " has no key " + c.body["key_id"].get<std::string>());
}

Result<std::vector<Change>> BodyRegistered(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("body"));
  std::string party = c.body.at("party");
  RETURN_IF_ERROR(c.Need("party", party, "body.party").status());
  RETURN_IF_ERROR(c.ActsFor(party, "body.by_own_party", true));
  json doc = {{"id", c.id}, {"party", party}, {"kind", c.body["kind"]}, {"name", c.body["name"]}};
  if (c.body.contains("city")) doc["city"] = c.body["city"];
  return c.Set("body", std::move(doc));
}

// ---- Agreements ------------------------------------------------------------------

// Recomputes status and in_force_from from the recorded facts.
void DeriveAgreementStatus(json& a) {
  std::optional<std::string> in_force_from;
  bool all = true;
  std::string last;
  for (const auto& p : a["parties"]) {
    auto r = a["ratifications"].find(p.get<std::string>());
    if (r == a["ratifications"].end()) {
      all = false;
    } else {
      last = std::max(last, (*r)["date"].get<std::string>());
    }
  }
  if (all) in_force_from = last;
  if (a.contains("provisional_from")) {
    std::string p = a["provisional_from"];
    if (!in_force_from || p < *in_force_from) in_force_from = p;
  }
  if (in_force_from) {
    a["in_force_from"] = *in_force_from;
  } else {
    a.erase("in_force_from");
  }
  std::string status = in_force_from ? (all ? "in_force" : "provisionally_applied") : "signed";
  if (a.contains("suspended_from") && !a.contains("resumed_from")) status = "suspended";
  if (a.contains("terminated_on")) status = "terminated";
  a["status"] = status;
}

Result<std::vector<Change>> AgreementRegistered(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("agreement"));
  const json& parties = c.body["parties"];
  std::set<std::string> seen;
  for (size_t i = 0; i < parties.size(); ++i) {
    std::string p = parties[i];
    std::string field = "body.parties[" + std::to_string(i) + "]";
    if (!seen.insert(p).second)
      return Refuse("agreement.distinct_parties", field, Quote(p) + " twice");
    RETURN_IF_ERROR(c.Need("party", p, field).status());
  }
  if (!c.by_registry() && !seen.contains(c.e.party)) {
    return Refuse("agreement.registered_by_party", "party",
                  Quote(c.e.party) + " is not a party to this agreement");
  }
  for (size_t i = 0; i < c.body["signatories"].size(); ++i) {
    std::string p = c.body["signatories"][i]["party"];
    if (!seen.contains(p)) {
      return Refuse("agreement.signatory_party",
                    "body.signatories[" + std::to_string(i) + "].party",
                    Quote(p) + " is not a party to this agreement");
    }
  }
  json a = {{"id", c.id},
            {"title", c.body["title"]},
            {"parties", parties},
            {"signed_date", c.body["signed_date"]},
            {"signed_place", c.body["signed_place"]},
            {"signatories", c.body["signatories"]},
            {"pricing_rule", c.body["pricing_rule"]},
            {"price_tolerance_bp", c.body.value("price_tolerance_bp", 0)},
            {"access_deadline_days", c.body.value("access_deadline_days", 30)},
            {"inventory_initial_days", c.body.value("inventory_initial_days", 90)},
            {"inventory_period_days", c.body.value("inventory_period_days", 365)},
            {"case_deadline_days", c.body.value("case_deadline_days", 60)},
            {"ratifications", json::object()}};
  if (c.body.contains("provisional_application_from")) {
    std::string from = c.body["provisional_application_from"];
    RETURN_IF_ERROR(
        c.NotBefore("body.provisional_application_from", from, a["signed_date"], "the signature"));
    a["provisional_from"] = from;
  }
  DeriveAgreementStatus(a);
  return c.Set("agreement", std::move(a));
}

Result<std::vector<Change>> AgreementRatified(const Call& c) {
  ASSIGN_OR_RETURN(json a, c.Self("agreement"));
  if (!Contains(a["parties"], c.e.party)) {
    return Refuse("agreement.ratified_by_party", "party",
                  Quote(c.e.party) + " is not a party to agreement " + c.id);
  }
  if (a["ratifications"].contains(c.e.party)) {
    return Refuse("agreement.ratify_once", "party", c.e.party + " has already ratified " + c.id);
  }
  if (a.contains("terminated_on"))
    return Refuse("agreement.not_terminated", "subject", c.id + " is terminated");
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.date", date, a["signed_date"], "the signature"));
  a["ratifications"][c.e.party] = {{"date", date}, {"instrument", c.body["instrument"]}};
  DeriveAgreementStatus(a);
  return c.Set("agreement", std::move(a));
}

Result<std::vector<Change>> AgreementProvisionallyApplied(const Call& c) {
  ASSIGN_OR_RETURN(json a, c.Self("agreement"));
  if (!Contains(a["parties"], c.e.party)) {
    return Refuse("agreement.by_party", "party", Quote(c.e.party) + " is not a party to " + c.id);
  }
  if (a.contains("terminated_on"))
    return Refuse("agreement.not_terminated", "subject", c.id + " is terminated");
  if (a.contains("provisional_from")) {
    return Refuse("agreement.provisional_once", "subject",
                  c.id + " is already provisionally applied");
  }
  RETURN_IF_ERROR(c.NotBefore("body.from", c.body["from"], a["signed_date"], "the signature"));
  a["provisional_from"] = c.body["from"];
  DeriveAgreementStatus(a);
  return c.Set("agreement", std::move(a));
}

Result<std::vector<Change>> AgreementSuspended(const Call& c) {
  ASSIGN_OR_RETURN(json a, c.Self("agreement"));
  if (!Contains(a["parties"], c.e.party)) {
    return Refuse("agreement.by_party", "party", Quote(c.e.party) + " is not a party to " + c.id);
  }
  if (a["status"] != "in_force" && a["status"] != "provisionally_applied") {
    return Refuse("agreement.suspend_in_force", "subject",
                  c.id + " is " + a["status"].get<std::string>() + ", not in force");
  }
  RETURN_IF_ERROR(c.NotBefore("body.from", c.body["from"], a["in_force_from"], "entry into force"));
  if (a.contains("suspensions") && !a["suspensions"].empty()) {
    // Suspension periods do not overlap: a new one starts after the last resumption.
    RETURN_IF_ERROR(c.NotBefore("body.from", c.body["from"], a["suspensions"].back()["to"],
                                "the end of the last suspension"));
  }
  a["suspended_from"] = c.body["from"];
  a["suspension_reason"] = c.body["reason"];
  a.erase("resumed_from");
  json history = a.value("suspensions", json::array());
  history.push_back({{"from", c.body["from"]}, {"reason", c.body["reason"]}});
  a["suspensions"] = history;
  DeriveAgreementStatus(a);
  return c.Set("agreement", std::move(a));
}

Result<std::vector<Change>> AgreementResumed(const Call& c) {
  ASSIGN_OR_RETURN(json a, c.Self("agreement"));
  if (!Contains(a["parties"], c.e.party)) {
    return Refuse("agreement.by_party", "party", Quote(c.e.party) + " is not a party to " + c.id);
  }
  if (a["status"] != "suspended")
    return Refuse("agreement.resume_suspended", "subject", c.id + " is not suspended");
  RETURN_IF_ERROR(c.NotBefore("body.from", c.body["from"], a["suspended_from"], "the suspension"));
  a["suspensions"].back()["to"] = c.body["from"];
  a.erase("suspended_from");
  a.erase("suspension_reason");
  DeriveAgreementStatus(a);
  return c.Set("agreement", std::move(a));
}

Result<std::vector<Change>> AgreementTerminated(const Call& c) {
  ASSIGN_OR_RETURN(json a, c.Self("agreement"));
  if (!Contains(a["parties"], c.e.party)) {
    return Refuse("agreement.by_party", "party", Quote(c.e.party) + " is not a party to " + c.id);
  }
  if (a.contains("terminated_on"))
    return Refuse("agreement.terminate_once", "subject", c.id + " is already terminated");
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], a["signed_date"], "the signature"));
  a["terminated_on"] = c.body["date"];
  a["termination_reason"] = c.body["reason"];
  DeriveAgreementStatus(a);
  return c.Set("agreement", std::move(a));
}

// ---- Catalogue and prices ----------------------------------------------------------

Result<std::vector<Change>> ProductRegistered(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("product"));
  std::string supplier = c.body["supplier"];
  RETURN_IF_ERROR(c.Need("party", supplier, "body.supplier").status());
  RETURN_IF_ERROR(c.ActsFor(supplier, "product.by_supplier", true));
  bool salw = c.body["unroca_category"] == "VIII";
  if (salw != c.body.contains("salw_subcategory")) {
    return Refuse("product.salw_subcategory", "body.salw_subcategory",
                  salw ? "category VIII (small arms and light weapons) needs a sub-category"
                       : "only category VIII has a SALW sub-category");
  }
  json p = c.body;
  p["id"] = c.id;
  p["prices"] = json::array();
  return c.Set("product", std::move(p));
}

Result<std::vector<Change>> ProductPricePublished(const Call& c) {
  ASSIGN_OR_RETURN(json p, c.Self("product"));
  RETURN_IF_ERROR(c.ActsFor(p["supplier"], "price.by_supplier", false));
  std::string from = c.body["valid_from"];
  std::optional<std::string> to;
  if (c.body.contains("valid_to")) {
    to = c.body["valid_to"].get<std::string>();
    if (*to < from)
      return Refuse("dates.order", "body.valid_to", *to + " is before valid_from " + from);
  }
  std::string currency = c.body["currency"];
  for (auto& old : p["prices"]) {
    if (old["currency"] != currency) continue;
    std::string old_from = old["valid_from"];
    bool open = !old.contains("valid_to");
    if (open && old_from < from) {
      // A newer price ends an open-ended older one the day before it starts.
      old["valid_to"] = FormatDate(ParseDate(from).value() - 86400);
      continue;
    }
    std::string old_to = open ? "9999-12-31" : old["valid_to"].get<std::string>();
    std::string new_to = to.value_or("9999-12-31");
    if (from <= old_to && old_from <= new_to) {
      return Refuse("price.no_overlap", "body.valid_from",
                    "overlaps version " + std::to_string(old["version"].get<int64_t>()) + " (" +
                        old_from + " to " + (open ? "open" : old_to) + ") in " + currency);
    }
  }
  json price = {{"version", static_cast<int64_t>(p["prices"].size()) + 1},
                {"currency", currency},
                {"amount_minor", c.body["amount_minor"]},
                {"valid_from", from},
                {"published", c.date}};
  if (to) price["valid_to"] = *to;
  p["prices"].push_back(price);
  return c.Set("product", std::move(p));
}

// The domestic price of `product` valid on `date` in `currency`, if any.
std::optional<int64_t> DomesticPrice(const json& product, const std::string& currency,
                                     const std::string& date) {
  for (const auto& pr : product["prices"]) {
    if (pr["currency"] != currency) continue;
    if (pr["valid_from"].get<std::string>() > date) continue;
    if (pr.contains("valid_to") && pr["valid_to"].get<std::string>() < date) continue;
    return pr["amount_minor"].get<int64_t>();
  }
  return std::nullopt;
}

// ---- Contracts -----------------------------------------------------------------------

std::vector<FieldSpec> LineFields(bool amendment) {
  return {Int("line", 1, 100000), Str("product", !amendment), Int("quantity", 1, 10'000'000),
          Int("unit_price_minor", 0, kMaxSafeInteger, !amendment), Currency("currency", !amendment),
          Enum("status", {"new", "second_hand", "second_hand_modernized"}, false),
          Text("justification", false),
          // Overrides the product's catalogue flag for the items of this line.
          Bool("enhanced_monitoring", false)};
}

// Checks one contract line against the catalogue and the pricing rule, and
// returns it as stored (with the domestic price and the flag).
Result<json> CheckLine(const Call& c, const json& agreement, const std::string& supplier,
                       const json& line, const std::string& field, const std::string& on_date) {
  ASSIGN_OR_RETURN(json product, c.Need("product", line["product"], field + ".product"));
  if (product["supplier"] != supplier) {
    return Refuse("contract.product_of_supplier", field + ".product",
                  "product " + line["product"].get<std::string>() + " is supplied by " +
                      product["supplier"].get<std::string>() + ", not by " + supplier);
  }
  json out = line;
  if (!out.contains("status")) out["status"] = "new";
  std::optional<int64_t> domestic = DomesticPrice(product, line["currency"], on_date);
  if (domestic) out["domestic_price_minor"] = *domestic;
  bool over = false;
  std::string why;
  if (agreement["pricing_rule"] == "domestic") {
    int64_t price = line["unit_price_minor"];
    int64_t tol = agreement["price_tolerance_bp"];
    if (!domestic) {
      over = true;
      why = "no domestic price of " + line["product"].get<std::string>() + " in " +
            line["currency"].get<std::string>() + " is valid on " + on_date;
    } else {
      // price > domestic * (1 + tol/10000), in exact integer arithmetic.
      Wide lhs = static_cast<Wide>(price) * 10000;
      Wide rhs = static_cast<Wide>(*domestic) * (10000 + tol);
      if (lhs > rhs) {
        over = true;
        int64_t limit = static_cast<int64_t>(rhs / 10000);
        why = std::to_string(price) + " is above the domestic price " + std::to_string(*domestic) +
              " plus the agreement's tolerance of " + std::to_string(tol) + " bp (limit " +
              std::to_string(limit) + ")";
      }
    }
    if (over && !line.contains("justification")) {
      return Refuse("contract.domestic_price", field + ".unit_price_minor",
                    why + "; record a justification to accept it");
    }
  }
  out["price_flag"] = over;
  if (over) out["price_flag_reason"] = why;
  return out;
}

Result<std::vector<Change>> ContractDrafted(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("contract"));
  ASSIGN_OR_RETURN(json agreement, c.Need("agreement", c.body["agreement"], "body.agreement"));
  if (agreement.contains("terminated_on")) {
    return Refuse("contract.agreement_active", "body.agreement",
                  agreement["id"].get<std::string>() + " is terminated");
  }
  ASSIGN_OR_RETURN(json sb, c.Need("body", c.body["supplier_body"], "body.supplier_body"));
  ASSIGN_OR_RETURN(json rb, c.Need("body", c.body["recipient_body"], "body.recipient_body"));
  std::string supplier = sb["party"], recipient = rb["party"];
  if (supplier == recipient) {
    return Refuse("contract.two_parties", "body.recipient_body",
                  "supplier and recipient bodies both belong to " + supplier);
  }
  for (const auto& [p, f] :
       {std::pair{supplier, "body.supplier_body"}, {recipient, "body.recipient_body"}}) {
    if (!Contains(agreement["parties"], p)) {
      return Refuse("contract.parties_of_agreement", f,
                    p + " is not a party to agreement " + agreement["id"].get<std::string>());
    }
  }
  if (c.e.party != supplier && c.e.party != recipient) {
    return Refuse("contract.drafted_by_party", "party",
                  Quote(c.e.party) + " is neither the supplier nor the recipient");
  }
  json contract = {{"id", c.id},
                   {"agreement", agreement["id"]},
                   {"supplier", supplier},
                   {"recipient", recipient},
                   {"supplier_body", sb["id"]},
                   {"recipient_body", rb["id"]},
                   {"channel", c.body["channel"]},
                   {"drafted", c.date},
                   {"signatures", json::object()},
                   {"amendments", json::array()},
                   {"status", "drafted"}};
  if (c.body["channel"] == "intermediary") {
    if (!c.body.contains("intermediary_body")) {
      return Refuse("contract.intermediary_named", "body.intermediary_body",
                    "channel \"intermediary\" needs the intermediary body");
    }
    ASSIGN_OR_RETURN(json ib,
                     c.Need("body", c.body["intermediary_body"], "body.intermediary_body"));
    if (ib["kind"] != "intermediary_agency") {
      return Refuse("contract.intermediary_kind", "body.intermediary_body",
                    ib["id"].get<std::string>() + " is a " + ib["kind"].get<std::string>() +
                        ", not an intermediary_agency");
    }
    contract["intermediary_body"] = ib["id"];
  } else if (c.body.contains("intermediary_body")) {
    return Refuse("contract.intermediary_named", "body.intermediary_body",
                  "a direct contract has no intermediary");
  }
  json lines = json::array();
  std::set<int64_t> numbers;
  for (size_t i = 0; i < c.body["lines"].size(); ++i) {
    const json& line = c.body["lines"][i];
    std::string field = "body.lines[" + std::to_string(i) + "]";
    if (!numbers.insert(line["line"].get<int64_t>()).second) {
      return Refuse("contract.line_unique", field + ".line", "line number used twice");
    }
    ASSIGN_OR_RETURN(json stored, CheckLine(c, agreement, supplier, line, field, c.date));
    lines.push_back(std::move(stored));
  }
  contract["lines"] = lines;
  if (c.body.contains("delivery_schedule")) {
    for (size_t i = 0; i < c.body["delivery_schedule"].size(); ++i) {
      int64_t n = c.body["delivery_schedule"][i]["line"];
      if (!numbers.contains(n)) {
        return Refuse("contract.schedule_line",
                      "body.delivery_schedule[" + std::to_string(i) + "].line",
                      "no line " + std::to_string(n));
      }
    }
    contract["delivery_schedule"] = c.body["delivery_schedule"];
  }
  return c.Set("contract", std::move(contract));
}

Status ContractParty(const Call& c, const json& contract) {
  if (c.e.party != contract["supplier"] && c.e.party != contract["recipient"]) {
    return Refuse("contract.by_party", "party",
                  Quote(c.e.party) + " is not a party to contract " + c.id);
  }
  return Status::Ok();
}

Result<std::vector<Change>> ContractSigned(const Call& c) {
  ASSIGN_OR_RETURN(json contract, c.Self("contract"));
  RETURN_IF_ERROR(ContractParty(c, contract));
  if (contract["status"] == "terminated")
    return Refuse("contract.not_terminated", "subject", c.id + " is terminated");
  if (contract["signatures"].contains(c.e.party)) {
    return Refuse("contract.sign_once", "party", c.e.party + " has already signed " + c.id);
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.date", date, contract["drafted"], "the draft"));
  ASSIGN_OR_RETURN(json agreement,
                   c.Need("agreement", contract["agreement"], "contract.agreement"));
  if (!AgreementInForceOn(agreement, date)) {
    return Refuse("contract.agreement_in_force", "body.date",
                  "agreement " + agreement["id"].get<std::string>() + " is not in force on " +
                      date + " (status " + agreement["status"].get<std::string>() + ")");
  }
  contract["signatures"][c.e.party] = {{"date", date}, {"actor", c.e.actor}};
  if (contract["signatures"].size() == 2) {
    contract["status"] = "in_force";
    std::string a = contract["signatures"][contract["supplier"].get<std::string>()]["date"];
    std::string b = contract["signatures"][contract["recipient"].get<std::string>()]["date"];
    contract["in_force_from"] = std::max(a, b);
  }
  return c.Set("contract", std::move(contract));
}

Result<std::vector<Change>> ContractAmendmentProposed(const Call& c) {
  ASSIGN_OR_RETURN(json contract, c.Self("contract"));
  RETURN_IF_ERROR(ContractParty(c, contract));
  if (contract["status"] != "in_force") {
    return Refuse("contract.amend_in_force", "subject",
                  c.id + " is " + contract["status"].get<std::string>() +
                      "; only a contract in force is amended");
  }
  std::string amendment = c.body["amendment"];
  for (const auto& a : contract["amendments"]) {
    if (a["id"] == amendment)
      return Refuse("contract.amendment_unique", "body.amendment", amendment + " exists");
  }
  ASSIGN_OR_RETURN(json agreement,
                   c.Need("agreement", contract["agreement"], "contract.agreement"));
  json lines = json::array();
  std::set<int64_t> numbers;
  for (size_t i = 0; i < c.body["lines"].size(); ++i) {
    json line = c.body["lines"][i];
    std::string field = "body.lines[" + std::to_string(i) + "]";
    if (!numbers.insert(line["line"].get<int64_t>()).second) {
      return Refuse("contract.line_unique", field + ".line", "line number used twice");
    }
    const json* existing = nullptr;
    for (const auto& l : contract["lines"]) {
      if (l["line"] == line["line"]) existing = &l;
    }
    if (existing) {
      // A changed quantity (and optionally price) of an existing line.
      for (const char* k : {"product", "currency", "status"}) {
        if (line.contains(k) && line[k] != (*existing)[k]) {
          return Refuse("contract.amend_line", field + "." + k,
                        "an existing line keeps its " + std::string(k));
        }
        line[k] = (*existing)[k];
      }
      if (!line.contains("unit_price_minor"))
        line["unit_price_minor"] = (*existing)["unit_price_minor"];
      // An unchanged price keeps its recorded justification.
      if (!line.contains("justification") && existing->contains("justification") &&
          line["unit_price_minor"] == (*existing)["unit_price_minor"]) {
        line["justification"] = (*existing)["justification"];
      }
      // The monitoring designation carries over unless the amendment sets it.
      if (!line.contains("enhanced_monitoring") && existing->contains("enhanced_monitoring")) {
        line["enhanced_monitoring"] = (*existing)["enhanced_monitoring"];
      }
    } else {
      for (const char* k : {"product", "unit_price_minor", "currency"}) {
        if (!line.contains(k))
          return Status::InvalidArgument(field + "." + k +
                                         ": missing required field for a new line");
      }
    }
    ASSIGN_OR_RETURN(json stored,
                     CheckLine(c, agreement, contract["supplier"], line, field, c.date));
    lines.push_back(std::move(stored));
  }
  contract["amendments"].push_back({{"id", amendment},
                                    {"proposed", c.date},
                                    {"proposed_by", c.e.party},
                                    {"reason", c.body["reason"]},
                                    {"lines", lines},
                                    {"signatures", json::object()},
                                    {"status", "proposed"}});
  return c.Set("contract", std::move(contract));
}

Result<std::vector<Change>> ContractAmendmentSigned(const Call& c) {
  ASSIGN_OR_RETURN(json contract, c.Self("contract"));
  RETURN_IF_ERROR(ContractParty(c, contract));
  json* am = nullptr;
  for (auto& a : contract["amendments"]) {
    if (a["id"] == c.body["amendment"]) am = &a;
  }
  if (!am)
    return Refuse("contract.amendment_exists", "body.amendment",
                  "no amendment " + c.body["amendment"].dump());
  if ((*am)["status"] != "proposed")
    return Refuse("contract.amendment_open", "body.amendment", "amendment is already in force");
  if (contract["status"] != "in_force") {
    return Refuse("contract.amend_in_force", "subject",
                  c.id + " is " + contract["status"].get<std::string>() +
                      "; only a contract in force is amended");
  }
  if ((*am)["signatures"].contains(c.e.party)) {
    return Refuse("contract.sign_once", "party", c.e.party + " has already signed this amendment");
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.date", date, (*am)["proposed"], "the proposal"));
  (*am)["signatures"][c.e.party] = {{"date", date}, {"actor", c.e.actor}};
  if ((*am)["signatures"].size() == 2) {
    (*am)["status"] = "in_force";
    // From the later of the two signatures, whatever order they are recorded in.
    std::string latest;
    for (const auto& sig : (*am)["signatures"]) {
      latest = std::max(latest, sig["date"].get<std::string>());
    }
    (*am)["in_force_from"] = latest;
    json lines = contract["lines"];
    for (const auto& nl : (*am)["lines"]) {
      bool replaced = false;
      for (auto& l : lines) {
        if (l["line"] == nl["line"]) {
          l = nl;
          replaced = true;
        }
      }
      if (!replaced) lines.push_back(nl);
    }
    contract["lines"] = lines;
  }
  return c.Set("contract", std::move(contract));
}

Result<std::vector<Change>> ContractTerminated(const Call& c) {
  ASSIGN_OR_RETURN(json contract, c.Self("contract"));
  RETURN_IF_ERROR(ContractParty(c, contract));
  if (contract["status"] == "terminated")
    return Refuse("contract.terminate_once", "subject", c.id + " is already terminated");
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], contract["drafted"], "the draft"));
  contract["status"] = "terminated";
  contract["terminated_on"] = c.body["date"];
  contract["termination_reason"] = c.body["reason"];
  return c.Set("contract", std::move(contract));
}

// ---- Programmes ------------------------------------------------------------------------

Result<std::vector<Change>> ProgrammeRegistered(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("programme"));
  ASSIGN_OR_RETURN(json agreement, c.Need("agreement", c.body["agreement"], "body.agreement"));
  if (!Contains(agreement["parties"], c.e.party)) {
    return Refuse("programme.by_party", "party",
                  Quote(c.e.party) + " is not a party to the agreement");
  }
  std::string recipient = c.body["recipient"];
  if (!Contains(agreement["parties"], recipient)) {
    return Refuse("programme.recipient_party", "body.recipient",
                  recipient + " is not a party to the agreement");
  }
  if (c.body["to"].get<std::string>() < c.body["from"].get<std::string>()) {
    return Refuse("dates.order", "body.to", "ends before it starts");
  }
  for (size_t i = 0; i < c.body["targets"].size(); ++i) {
    RETURN_IF_ERROR(c.Need("product", c.body["targets"][i]["product"],
                           "body.targets[" + std::to_string(i) + "].product")
                        .status());
  }
  json p = c.body;
  p["id"] = c.id;
  p["contracts"] = json::array();
  return c.Set("programme", std::move(p));
}

Result<std::vector<Change>> ProgrammeContractLinked(const Call& c) {
  ASSIGN_OR_RETURN(json p, c.Self("programme"));
  ASSIGN_OR_RETURN(json contract, c.Need("contract", c.body["contract"], "body.contract"));
  if (contract["agreement"] != p["agreement"]) {
    return Refuse("programme.same_agreement", "body.contract",
                  "contract is under " + contract["agreement"].get<std::string>() +
                      ", the programme under " + p["agreement"].get<std::string>());
  }
  if (contract["recipient"] != p["recipient"]) {
    return Refuse("programme.same_recipient", "body.contract",
                  "contract's recipient differs from the programme's");
  }
  if (c.e.party != contract["supplier"] && c.e.party != contract["recipient"]) {
    return Refuse("programme.by_party", "party",
                  Quote(c.e.party) + " is not a party to the contract");
  }
  if (Contains(p["contracts"], c.body["contract"])) {
    return Refuse("programme.link_once", "body.contract", "already linked");
  }
  p["contracts"].push_back(c.body["contract"]);
  return c.Set("programme", std::move(p));
}

// ---- The table of rules ------------------------------------------------------------------

}  // namespace

void AddTreatyRules(RuleTable& r) {
  {
    r["party.registered"] = {"party", {Str("name")}, PartyRegistered};
    r["party.key_registered"] = {
        "party",
        {Str("vkey"), Date("valid_from"), Object("retires", {Str("key_id"), Date("from")}, false)},
        PartyKeyRegistered};
    r["party.key_retired"] = {"party", {Str("key_id"), Date("from")}, PartyKeyRetired};
    r["body.registered"] = {
        "body",
        {Country("party"), Enum("kind", kBodyKinds), Str("name"), Str("city", false)},
        BodyRegistered};
    r["agreement.registered"] = {
        "agreement",
        {Text("title"), ArrayOf("parties", FieldType::kCountry, 2, 20), Date("signed_date"),
         Str("signed_place"),
         ArrayOfObjects("signatories", {Country("party"), Str("name"), Str("office", false)}, 1,
                        40),
         Enum("pricing_rule", {"domestic", "negotiated"}),
         Int("price_tolerance_bp", 0, 100000, false), Int("access_deadline_days", 1, 3650, false),
         Int("inventory_initial_days", 1, 3650, false),
         Int("inventory_period_days", 1, 3650, false), Int("case_deadline_days", 1, 3650, false),
         Date("provisional_application_from", false)},
        AgreementRegistered};
    r["agreement.ratified"] = {"agreement", {Date("date"), Text("instrument")}, AgreementRatified};
    r["agreement.provisionally_applied"] = {
        "agreement", {Date("from")}, AgreementProvisionallyApplied};
    r["agreement.suspended"] = {"agreement", {Date("from"), Text("reason")}, AgreementSuspended};
    r["agreement.resumed"] = {"agreement", {Date("from")}, AgreementResumed};
    r["agreement.terminated"] = {"agreement", {Date("date"), Text("reason")}, AgreementTerminated};
    r["product.registered"] = {
        "product",
        {Country("supplier"), Str("designation"), Text("description"),
         Enum("unroca_category", ReferenceData::UnRegisterCategories()),
         Enum("salw_subcategory", ReferenceData::SalwSubcategories(), false),
         Enum("sipri_category", ReferenceData::SipriCategories()), Bool("enhanced_monitoring"),
         Int("tiv_per_unit_milli", 0, kMaxSafeInteger, false)},
        ProductRegistered};
    r["product.price_published"] = {"product",
                                    {Currency("currency"), Int("amount_minor", 1, kMaxSafeInteger),
                                     Date("valid_from"), Date("valid_to", false)},
                                    ProductPricePublished};
    r["contract.drafted"] = {
        "contract",
        {Str("agreement"), Str("supplier_body"), Str("recipient_body"),
         Enum("channel", {"direct", "intermediary"}), Str("intermediary_body", false),
         ArrayOfObjects("lines", LineFields(false), 1, 1000),
         ArrayOfObjects(
             "delivery_schedule",
             {Int("line", 1, 100000), Int("year", 1900, 2200), Int("quantity", 1, 10'000'000)}, 0,
             10000, false)},
        ContractDrafted};
    r["contract.signed"] = {"contract", {Date("date")}, ContractSigned};
    r["contract.amendment_proposed"] = {
        "contract",
        {Str("amendment"), Text("reason"), ArrayOfObjects("lines", LineFields(true), 1, 1000)},
        ContractAmendmentProposed};
    r["contract.amendment_signed"] = {
        "contract", {Str("amendment"), Date("date")}, ContractAmendmentSigned};
    r["contract.terminated"] = {"contract", {Date("date"), Text("reason")}, ContractTerminated};
    r["programme.registered"] = {
        "programme",
        {Text("title"), Str("agreement"), Country("recipient"), Date("from"), Date("to"),
         ArrayOfObjects("targets", {Str("product"), Int("quantity", 1, 10'000'000)}, 1, 1000)},
        ProgrammeRegistered};
    r["programme.contract_linked"] = {"programme", {Str("contract")}, ProgrammeContractLinked};
  }
}

namespace {

const RuleTable& Rules() {
  static const RuleTable rules = [] {
    RuleTable r;
    AddTreatyRules(r);
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
using internal::Refuse;
using internal::Rules;
using nlohmann::json;

bool AgreementInForceOn(const nlohmann::json& a, const std::string& date) {
  if (!a.contains("in_force_from") || a["in_force_from"].get<std::string>() > date) return false;
  if (a.contains("terminated_on") && a["terminated_on"].get<std::string>() <= date) return false;
  for (const auto& s : a.value("suspensions", json::array())) {
    if (s["from"].get<std::string>() <= date &&
        (!s.contains("to") || s["to"].get<std::string>() > date)) {
      return false;
    }
  }
  return true;
}

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

Result<std::string> SignerKey(const RuleContext& ctx, StateReader& state, const Event& event,
                              uint32_t key_id) {
  std::string id = KeyIdHex(key_id);
  if (event.party == kRegistryParty) {
    if (key_id != ctx.registry_key_id) {
      return Refuse("signature.registry_key", "key",
                    "registry events must be signed by the node's key " +
                        KeyIdHex(ctx.registry_key_id) + ", not " + id);
    }
    return ctx.registry_public_key;
  }
  ASSIGN_OR_RETURN(std::optional<json> party, state.Get("party", event.party));
  if (!party) return Refuse("party.exists", "party", "no party " + Quote(event.party));
  std::string date = FormatDate(event.time_unix);
  for (const auto& k : (*party)["keys"]) {
    if (k["id"] != id) continue;
    if (k["valid_from"].get<std::string>() > date) {
      return Refuse("signature.key_valid", "key",
                    "key " + id + " of " + event.party + " is valid only from " +
                        k["valid_from"].get<std::string>() + ", the event is dated " + date);
    }
    if (k.contains("retired_from") && k["retired_from"].get<std::string>() <= date) {
      return Refuse("signature.key_retired", "key",
                    "key " + id + " of " + event.party + " was retired from " +
                        k["retired_from"].get<std::string>());
    }
    auto vkey = note::ParseVerifierKey(k["vkey"].get<std::string>());
    if (!vkey.ok()) return Status::Corruption("stored key of " + event.party + " is unreadable");
    return vkey->public_key;
  }
  return Refuse("signature.key_of_party", "key",
                "key " + id + " is not a registered key of party " + event.party);
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
