// Rules of the catalogue and of contracts: products and their published
// prices, contracts checked line by line against the agreement's pricing
// rule, their amendments, and programmes that group contracts.
#include <algorithm>
#include <optional>
#include <set>

#include "domain/rule_support.h"
#include "domain/schema.h"

namespace accord::domain::internal {
namespace {

// Prices (< 2^53) times basis-point factors (< 2^17) need more than 64 bits.
__extension__ using Wide = __int128;

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
        auto limit = static_cast<int64_t>(rhs / 10000);
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

}  // namespace

void AddContractRules(RuleTable& r) {
  {
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

}  // namespace accord::domain::internal
