// What the end-use monitoring rule files share (eum_records.cc,
// eum_rules.cc, inspection_rules.cc, case_rules.cc): rows of the eum_*
// tables and checks on listed items, agreements and cases. Internal to
// src/domain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/rule_support.h"

namespace accord::domain::internal {

// ---- eum_records.cc ----

// eum_cases: the row of a case's latest status change.
Row CaseRow(const json& kase);
// eum_access: access round `number` (from 1) of an inspection: requested,
// deadline, answer.
Row AccessRow(const json& inspection, const json& round, int64_t number);
// Whether `id` has the form of a case the rules open themselves
// ("...-receipt", "...-late-N", ...); such ids are reserved.
bool IsAutomaticCaseId(const std::string& id);

// ---- eum_rules.cc ----

// In service or in storage (not transferred, lost, destroyed, expended).
bool Held(const json& item);
// The agreement `id`, or a refusal naming `field`.
Result<json> AgreementOf(const Call& c, const std::string& id, const std::string& field);
Status NeedPartyOf(const json& agreement, const std::string& party, const std::string& rule,
                   const std::string& field);
// "body.<list>[i]", the field of one listed item.
std::string ItemField(const std::string& list, size_t i);
// The items of `body[list]` ({product, serial} objects), each once, each
// existing; returns their documents in order.
Result<std::vector<json>> ListedItems(const Call& c, const std::string& list);
// Items the recipient holds (in service or storage), received on or before
// `date`, all of the same supplier.
Status CheckHeldBy(const Call& c, const std::vector<json>& items, const std::string& list,
                   const std::string& recipient, const std::string& date, const std::string& rule);
// The item leaves the inventory obligations (transferred, lost, destroyed,
// expended) on `date`.
Change LeaveMonitoring(const Call& c, json item, const std::string& state, const std::string& date,
                       const std::string& reason, const json& detail);
// The subject case, with the fields older cases lack filled in.
Result<json> CaseSelf(const Call& c);
// The fields of an item reference: product, serial.
std::vector<FieldSpec> ItemRefs();

// Each adds its rules; AddEumRules (eum_rules.cc) calls both.
void AddInspectionRules(RuleTable& table);  // inspection_rules.cc
void AddCaseRules(RuleTable& table);        // case_rules.cc

}  // namespace accord::domain::internal
