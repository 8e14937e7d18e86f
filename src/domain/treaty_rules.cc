// Rules of the treaty itself: parties and their keys, their bodies
// (ministries, enterprises, ...), and agreements from registration through
// ratification, suspension and termination.
#include <algorithm>
#include <set>

#include "domain/rule_support.h"
#include "domain/schema.h"
#include "note/note.h"
#include "util/encoding.h"

namespace accord::domain {
namespace internal {
namespace {

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
  }
}

}  // namespace internal

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

}  // namespace accord::domain
