// accord report att, accord report unroca, accord report register.
#include "cli/report_commands.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/io.h"
#include "domain/envelope.h"
#include "domain/reference.h"
#include "registry/registry.h"
#include "registry/transfer_reports.h"

namespace accord::cli {
namespace {

using nlohmann::json;

// The documents the transfer reports read, and every state's ISO 3166 name.
Result<registry::TransferDocs> LoadDocs(registry::Registry& reg) {
  registry::TransferDocs docs;
  const std::pair<const char*, std::vector<json>*> kinds[] = {{"product", &docs.products},
                                                              {"contract", &docs.contracts},
                                                              {"licence", &docs.licences},
                                                              {"shipment", &docs.shipments}};
  for (const auto& [kind, out] : kinds) {
    ASSIGN_OR_RETURN(*out, reg.List(kind));
  }
  for (const auto& [code, info] : reg.reference().countries()) docs.state_names[code] = info.name;
  return docs;
}

Status CheckYearParty(const ReportTransfersOptions& o, const registry::Registry& reg) {
  if (o.year < 1900 || o.year > 2200) {
    return Status::InvalidArgument("--year: " + std::to_string(o.year) +
                                   " is not a year between 1900 and 2200");
  }
  if (reg.reference().FindCountry(o.party) == nullptr) {
    return Status::InvalidArgument("--party: \"" + o.party +
                                   "\" is not an ISO 3166 alpha-2 code of a state (e.g. UZ)");
  }
  return Status::Ok();
}

Status CheckFormat(const std::string& format) {
  if (format != "csv" && format != "json" && format != "md") {
    return Status::InvalidArgument("--format: expected csv, json or md, not \"" + format + "\"");
  }
  return Status::Ok();
}

// The shared path of the yearly per-party reports: open, check, compute,
// print in the chosen format.
template <typename Compute, typename Csv, typename Json, typename Markdown>
int RunYearPartyReport(const ReportTransfersOptions& o, Compute compute, Csv csv, Json to_json,
                       Markdown markdown) {
  if (Status s = CheckFormat(o.format); !s.ok()) return Fail(s);
  auto reg = registry::Registry::Open(o.db, /*writable=*/false);
  if (!reg.ok()) return Fail(reg.status());
  if (Status s = CheckYearParty(o, **reg); !s.ok()) return Fail(s);
  auto docs = LoadDocs(**reg);
  if (!docs.ok()) return Fail(docs.status());
  auto report = compute(*docs, o.party, o.year);
  if (!report.ok()) return Fail(report.status());
  if (o.format == "csv") {
    std::cout << csv(*report);
  } else if (o.format == "json") {
    std::cout << to_json(*report).dump(1) << "\n";
  } else {
    std::cout << markdown(*report);
  }
  return kExitOk;
}

}  // namespace

int RunReportAtt(const ReportTransfersOptions& o) {
  return RunYearPartyReport(o, registry::ComputeAttReport, registry::AttCsv, registry::AttJson,
                            registry::AttMarkdown);
}

int RunReportUnroca(const ReportTransfersOptions& o) {
  return RunYearPartyReport(o, registry::ComputeUnrocaReport, registry::UnrocaCsv,
                            registry::UnrocaJson, registry::UnrocaMarkdown);
}

int RunReportRegister(const ReportRegisterOptions& o) {
  if (o.format != "sipri-csv" && o.format != "json") {
    return Fail(
        Status::InvalidArgument("--format: expected sipri-csv or json, not \"" + o.format + "\""));
  }
  auto reg = registry::Registry::Open(o.db, /*writable=*/false);
  if (!reg.ok()) return Fail(reg.status());
  auto docs = LoadDocs(**reg);
  if (!docs.ok()) return Fail(docs.status());
  auto rows = registry::ComputeRegister(*docs);
  if (!rows.ok()) return Fail(rows.status());
  if (o.format == "json") {
    std::cout << registry::RegisterJson(*rows).dump(1) << "\n";
    return kExitOk;
  }
  // "Data generated": when the registry's latest event was logged, so the
  // same registry state always gives the same file.
  int64_t generated = 0;
  auto size = (*reg)->log().Size();
  if (!size.ok()) return Fail(size.status());
  if (*size > 0) {
    auto last = (*reg)->EventAt(*size - 1);
    if (!last.ok()) return Fail(last.status());
    auto t = domain::ParseRfc3339((*last)["logged_at"].get<std::string>());
    if (!t.ok()) return Fail(t.status());
    generated = *t;
  }
  std::cout << registry::RegisterSipriCsv(*rows, generated);
  return kExitOk;
}

}  // namespace accord::cli
