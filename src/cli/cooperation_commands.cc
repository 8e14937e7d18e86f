// accord report cooperation.
#include "cli/cooperation_commands.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/io.h"
#include "cli/table.h"
#include "registry/cooperation_report.h"
#include "registry/registry.h"

namespace accord::cli {
namespace {

using nlohmann::json;

// The columns of a year's row, in order (also the CSV and JSON field names).
const std::vector<std::string> kColumns = {
    "exercises_held",     "exercises_planned",  "participants",   "trainees_enrolled",
    "trainees_graduated", "consultations_held", "followups_open", "visits",
    "joint_activities"};

std::vector<int64_t> Values(const registry::CooperationYear& r) {
  return {r.exercises_held,     r.exercises_planned,  r.participants,   r.trainees_enrolled,
          r.trainees_graduated, r.consultations_held, r.followups_open, r.visits,
          r.joint_activities};
}

// CSV: one row per year with institution empty (all institutions), then one
// row per year and institution with only the training columns filled.
std::string Csv(const std::vector<registry::CooperationYear>& rows) {
  std::string out = "year,institution";
  for (const auto& c : kColumns) out += "," + c;
  out += "\n";
  for (const auto& r : rows) {
    out += std::to_string(r.year) + ",";
    for (int64_t v : Values(r)) out += "," + std::to_string(v);
    out += "\n";
    for (const auto& [institution, t] : r.by_institution) {
      // Institution ids are registry ids ([a-z0-9-] in practice); quote anyway.
      std::string cell = institution;
      if (cell.find_first_of(",\"\n") != std::string::npos) {
        std::string q = "\"";
        for (char ch : cell) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        cell = q + "\"";
      }
      out += std::to_string(r.year) + "," + cell + ",,,," + std::to_string(t.enrolled) + "," +
             std::to_string(t.graduated) + ",,,,\n";
    }
  }
  return out;
}

std::string Tables(const std::vector<registry::CooperationYear>& rows) {
  Table years({"year", "exercises held", "planned", "participants", "trainees enrolled",
               "graduated", "consultations held", "follow-ups open", "visits", "joint activities"});
  Table training({"year", "institution", "trainees enrolled", "graduated"});
  for (const auto& r : rows) {
    std::vector<std::string> cells = {std::to_string(r.year)};
    for (int64_t v : Values(r)) cells.push_back(std::to_string(v));
    years.Add(std::move(cells));
    for (const auto& [institution, t] : r.by_institution) {
      training.Add({std::to_string(r.year), institution, std::to_string(t.enrolled),
                    std::to_string(t.graduated)});
    }
  }
  std::string out = years.Render();
  if (!training.empty()) out += "\nTraining by institution\n" + training.Render();
  return out;
}

}  // namespace

int RunReportCooperation(const ReportCooperationOptions& o) {
  if (o.format != "table" && o.format != "csv" && o.format != "json") {
    return Fail(
        Status::InvalidArgument("--format: expected table, csv or json, not \"" + o.format + "\""));
  }
  for (const auto& [name, year] : {std::pair{"--from", o.from}, std::pair{"--to", o.to}}) {
    if (year && (*year < 1900 || *year > 2200)) {
      return Fail(Status::InvalidArgument(std::string(name) + ": " + std::to_string(*year) +
                                          " is not a year between 1900 and 2200"));
    }
  }
  if (o.from && o.to && *o.from > *o.to) {
    return Fail(Status::InvalidArgument("--from " + std::to_string(*o.from) + " is after --to " +
                                        std::to_string(*o.to)));
  }
  auto reg = registry::Registry::Open(o.db, /*writable=*/false);
  if (!reg.ok()) return Fail(reg.status());
  if (!o.agreement.empty()) {
    auto a = (*reg)->Get("agreement", o.agreement);
    if (!a.ok()) return Fail(a.status());
    if (!*a)
      return Fail(Status::InvalidArgument("--agreement: no agreement \"" + o.agreement + "\""));
  }
  registry::CooperationDocs docs;
  const std::pair<const char*, std::vector<json>*> kinds[] = {{"course", &docs.courses},
                                                              {"exercise", &docs.exercises},
                                                              {"consultation", &docs.consultations},
                                                              {"visit", &docs.visits}};
  for (const auto& [kind, out] : kinds) {
    auto list = (*reg)->List(kind);
    if (!list.ok()) return Fail(list.status());
    *out = std::move(*list);
  }
  registry::CooperationFilter filter;
  filter.from = o.from;
  filter.to = o.to;
  filter.agreement = o.agreement;
  std::vector<registry::CooperationYear> rows = registry::ComputeCooperationReport(docs, filter);
  if (o.format == "json") {
    std::cout << registry::CooperationReportJson(rows).dump(1) << "\n";
  } else if (o.format == "csv") {
    std::cout << Csv(rows);
  } else if (rows.empty()) {
    std::cout << "No cooperation activities recorded"
              << (o.agreement.empty() ? "" : " under agreement " + o.agreement) << ".\n";
  } else {
    std::cout << Tables(rows);
  }
  return kExitOk;
}

}  // namespace accord::cli
