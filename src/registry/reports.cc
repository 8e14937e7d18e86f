#include "registry/reports.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>

#include "domain/envelope.h"
#include "registry/cooperation_report.h"
#include "registry/eum_report.h"
#include "registry/registry.h"
#include "registry/transfer_reports.h"
#include "util/text_table.h"
#include "util/utf8.h"

namespace accord::registry {
namespace {

using nlohmann::json;

const ReportFormat kCsv{"csv", "text/csv; charset=utf-8", "csv"};
const ReportFormat kJson{"json", "application/json", "json"};
const ReportFormat kMarkdown{"md", "text/markdown; charset=utf-8", "md"};
const ReportFormat kTable{"table", "text/plain; charset=utf-8", "txt"};
const ReportFormat kSipriCsv{"sipri-csv", "text/csv; charset=utf-8", "csv"};

std::string Get(const ReportParams& p, const std::string& name) {
  auto it = p.find(name);
  return it == p.end() ? std::string() : it->second;
}

// "a, b or c"
std::string OrList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// A calendar year between 1900 and 2200.
Result<int> ParseYear(const std::string& prefix, const std::string& name, const std::string& text) {
  bool digits = !text.empty() && text.size() <= 4 &&
                text.find_first_not_of("0123456789") == std::string::npos;
  int year = digits ? std::stoi(text) : 0;
  if (year < 1900 || year > 2200) {
    return Status::InvalidArgument(prefix + name + ": " + text +
                                   " is not a year between 1900 and 2200");
  }
  return year;
}

Result<std::optional<int>> OptionalYear(const ReportParams& p, const std::string& prefix,
                                        const std::string& name) {
  auto it = p.find(name);
  if (it == p.end()) return std::optional<int>();
  ASSIGN_OR_RETURN(int y, ParseYear(prefix, name, it->second));
  return std::optional<int>(y);
}

// The documents the transfer reports read, and every state's ISO 3166 name.
Result<TransferDocs> LoadTransferDocs(Registry& reg) {
  TransferDocs docs;
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

// ---- att, unroca --------------------------------------------------------------------

struct YearParty {
  int year = 0;
  std::string party;
};

Result<YearParty> CheckYearParty(Registry& reg, const ReportParams& p, const std::string& prefix) {
  YearParty out;
  ASSIGN_OR_RETURN(out.year, ParseYear(prefix, "year", Get(p, "year")));
  out.party = Get(p, "party");
  if (reg.reference().FindCountry(out.party) == nullptr) {
    return Status::InvalidArgument(prefix + "party: \"" + out.party +
                                   "\" is not an ISO 3166 alpha-2 code of a state (e.g. UZ)");
  }
  return out;
}

Result<std::string> RunAtt(Registry& reg, const ReportParams& p, const std::string& format,
                           ReportForm form, const std::string& prefix) {
  ASSIGN_OR_RETURN(YearParty yp, CheckYearParty(reg, p, prefix));
  ASSIGN_OR_RETURN(TransferDocs docs, LoadTransferDocs(reg));
  ASSIGN_OR_RETURN(AttReport report, ComputeAttReport(docs, yp.party, yp.year));
  if (form == ReportForm::kPublic) report = WithholdValues(std::move(report));
  if (format == "csv") return AttCsv(report);
  if (format == "json") return AttJson(report).dump(1) + "\n";
  return AttMarkdown(report);
}

Result<std::string> RunUnroca(Registry& reg, const ReportParams& p, const std::string& format,
                              ReportForm, const std::string& prefix) {
  ASSIGN_OR_RETURN(YearParty yp, CheckYearParty(reg, p, prefix));
  ASSIGN_OR_RETURN(TransferDocs docs, LoadTransferDocs(reg));
  ASSIGN_OR_RETURN(UnrocaReport report, ComputeUnrocaReport(docs, yp.party, yp.year));
  if (format == "csv") return UnrocaCsv(report);
  if (format == "json") return UnrocaJson(report).dump(1) + "\n";
  return UnrocaMarkdown(report);
}

// ---- register ---------------------------------------------------------------------

Result<std::string> RunRegister(Registry& reg, const ReportParams&, const std::string& format,
                                ReportForm, const std::string&) {
  ASSIGN_OR_RETURN(TransferDocs docs, LoadTransferDocs(reg));
  ASSIGN_OR_RETURN(std::vector<RegisterRow> rows, ComputeRegister(docs));
  if (format == "json") return RegisterJson(rows).dump(1) + "\n";
  // "Data generated": when the registry's latest event was logged, so the
  // same registry state always gives the same file.
  int64_t generated = 0;
  ASSIGN_OR_RETURN(uint64_t size, reg.log().Size());
  if (size > 0) {
    ASSIGN_OR_RETURN(json last, reg.EventAt(size - 1));
    ASSIGN_OR_RETURN(generated, domain::ParseRfc3339(last["logged_at"].get<std::string>()));
  }
  return RegisterSipriCsv(rows, generated);
}

// ---- tiv ----------------------------------------------------------------------------

// Thousandths -> millions with two decimals, rounded half away from zero.
std::string Millions2(int64_t milli) {
  bool neg = milli < 0;
  int64_t cents = ((neg ? -milli : milli) + 5) / 10;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", neg ? "-" : "",
                static_cast<long long>(cents / 100), static_cast<long long>(cents % 100));
  return buf;
}

std::string CellText(const storage::RowValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* t = std::get_if<std::string>(&v)) return *t;
  return "";
}

Result<std::string> RunTiv(Registry& reg, const ReportParams& p, const std::string& format,
                           ReportForm, const std::string& prefix) {
  static const std::set<std::string> kFields = {"recipient", "supplier", "year", "category"};
  std::vector<std::string> by;
  std::string rest = Get(p, "by");
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string f = rest.substr(0, comma);
    while (!f.empty() && f.front() == ' ') f.erase(0, 1);
    while (!f.empty() && f.back() == ' ') f.pop_back();
    if (!kFields.contains(f)) {
      return Status::InvalidArgument(prefix + "by: \"" + f +
                                     "\" is not one of recipient, supplier, year, category");
    }
    for (const std::string& g : by) {
      if (g == f) return Status::InvalidArgument(prefix + "by: \"" + f + "\" given twice");
    }
    by.push_back(f);
    if (comma == std::string::npos) break;
    rest = rest.substr(comma + 1);
  }
  ASSIGN_OR_RETURN(std::optional<int> from, OptionalYear(p, prefix, "from"));
  ASSIGN_OR_RETURN(std::optional<int> to, OptionalYear(p, prefix, "to"));
  if (from && to && *from > *to) {
    return Status::InvalidArgument(prefix + "from " + std::to_string(*from) + " is after " +
                                   prefix + "to " + std::to_string(*to));
  }
  std::string supplier = Get(p, "supplier"), recipient = Get(p, "recipient");

  using Op = storage::RowCondition::Op;
  const std::string dataset = Get(p, "dataset");
  std::vector<storage::RowCondition> where = {{"dataset", Op::kEq, dataset}};
  // "sipri" (the default) and "accord" always exist, if empty; any other
  // name must be one `accord import --dataset` gave deliveries: an unknown
  // one is refused rather than answered with an empty report.
  if (dataset != "sipri" && dataset != "accord") {
    bool known = false;
    RETURN_IF_ERROR(reg.projections().SumRows("tiv_deliveries", {}, "tiv_milli", where,
                                              [&](const storage::RowGroup& g) {
                                                known = known || g.rows > 0;
                                                return Status::Ok();
                                              }));
    if (!known) {
      return Status::InvalidArgument(prefix + "dataset: " + QuoteForMessage(dataset) +
                                     " is not a dataset of this registry (sipri: SIPRI imports, "
                                     "accord: its own deliveries, or a name given to accord "
                                     "import --dataset)");
    }
  }
  if (!supplier.empty()) where.push_back({"supplier", Op::kEq, supplier});
  if (!recipient.empty()) where.push_back({"recipient", Op::kEq, recipient});
  if (from) where.push_back({"year", Op::kGe, int64_t{*from}});
  if (to) where.push_back({"year", Op::kLe, int64_t{*to}});
  // Per-year and per-category figures exist only for records that have them
  // (the classic register contributes to totals only).
  for (const std::string& f : by) {
    if (f == "year" || f == "category") where.push_back({f, Op::kNotNull, {}});
  }

  std::vector<std::string> header = by;
  header.emplace_back("tiv");
  TextTable table(header);
  json rows = json::array();
  std::string csv;
  for (size_t i = 0; i < header.size(); ++i) csv += (i ? "," : "") + header[i];
  csv += "\n";
  RETURN_IF_ERROR(reg.projections().SumRows(
      "tiv_deliveries", by, "tiv_milli", where, [&](const storage::RowGroup& g) {
        if (g.rows == 0) return Status::Ok();
        std::vector<std::string> cells;
        json row = json::object();
        for (size_t i = 0; i < by.size(); ++i) {
          cells.push_back(CellText(g.keys[i]));
          if (const auto* n = std::get_if<int64_t>(&g.keys[i])) {
            row[by[i]] = *n;
          } else {
            row[by[i]] = cells.back();
          }
        }
        cells.push_back(Millions2(g.sum));
        row["tiv"] = cells.back();
        row["tiv_milli"] = g.sum;
        for (size_t i = 0; i < cells.size(); ++i) csv += (i ? "," : "") + CsvField(cells[i]);
        csv += "\n";
        rows.push_back(std::move(row));
        table.Add(std::move(cells));
        return Status::Ok();
      }));
  if (format == "csv") return csv;
  if (format == "json") return rows.dump(1) + "\n";
  return table.Render();
}

// ---- cooperation --------------------------------------------------------------------

// The columns of a year's row, in order (also the CSV and JSON field names).
const std::vector<std::string> kCooperationColumns = {
    "exercises_held",     "exercises_planned",  "participants",   "trainees_enrolled",
    "trainees_graduated", "consultations_held", "followups_open", "visits",
    "joint_activities"};

std::vector<int64_t> Values(const CooperationYear& r) {
  return {r.exercises_held,     r.exercises_planned,  r.participants,   r.trainees_enrolled,
          r.trainees_graduated, r.consultations_held, r.followups_open, r.visits,
          r.joint_activities};
}

// CSV: one row per year with institution empty (all institutions), then one
// row per year and institution with only the training columns filled.
std::string CooperationCsv(const std::vector<CooperationYear>& rows) {
  std::string out = "year,institution";
  for (const auto& c : kCooperationColumns) out += "," + c;
  out += "\n";
  for (const auto& r : rows) {
    out += std::to_string(r.year) + ",";
    for (int64_t v : Values(r)) out += "," + std::to_string(v);
    out += "\n";
    for (const auto& [institution, t] : r.by_institution) {
      out += std::to_string(r.year) + "," + CsvField(institution) + ",,,," +
             std::to_string(t.enrolled) + "," + std::to_string(t.graduated) + ",,,,\n";
    }
  }
  return out;
}

std::string CooperationTables(const std::vector<CooperationYear>& rows,
                              const std::string& agreement) {
  if (rows.empty()) {
    return "No cooperation activities recorded" +
           (agreement.empty() ? "" : " under agreement " + agreement) + ".\n";
  }
  TextTable years({"year", "exercises held", "planned", "participants", "trainees enrolled",
                   "graduated", "consultations held", "follow-ups open", "visits",
                   "joint activities"});
  TextTable training({"year", "institution", "trainees enrolled", "graduated"});
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

Result<std::string> RunCooperation(Registry& reg, const ReportParams& p, const std::string& format,
                                   ReportForm, const std::string& prefix) {
  CooperationFilter filter;
  ASSIGN_OR_RETURN(filter.from, OptionalYear(p, prefix, "from"));
  ASSIGN_OR_RETURN(filter.to, OptionalYear(p, prefix, "to"));
  if (filter.from && filter.to && *filter.from > *filter.to) {
    return Status::InvalidArgument(prefix + "from " + std::to_string(*filter.from) + " is after " +
                                   prefix + "to " + std::to_string(*filter.to));
  }
  filter.agreement = Get(p, "agreement");
  if (!filter.agreement.empty()) {
    ASSIGN_OR_RETURN(std::optional<json> a, reg.Get("agreement", filter.agreement));
    if (!a) {
      return Status::InvalidArgument(prefix + "agreement: no agreement \"" + filter.agreement +
                                     "\"");
    }
  }
  CooperationDocs docs;
  const std::pair<const char*, std::vector<json>*> kinds[] = {{"course", &docs.courses},
                                                              {"exercise", &docs.exercises},
                                                              {"consultation", &docs.consultations},
                                                              {"visit", &docs.visits}};
  for (const auto& [kind, out] : kinds) {
    ASSIGN_OR_RETURN(*out, reg.List(kind));
  }
  std::vector<CooperationYear> rows = ComputeCooperationReport(docs, filter);
  if (format == "json") return CooperationReportJson(rows).dump(1) + "\n";
  if (format == "csv") return CooperationCsv(rows);
  return CooperationTables(rows, filter.agreement);
}

Result<std::string> RunEum(Registry& reg, const ReportParams& p, const std::string& format,
                           ReportForm, const std::string& prefix) {
  std::string given = Get(p, "as-of");
  std::string as_of = domain::FormatDate(static_cast<int64_t>(std::time(nullptr)));
  if (!given.empty()) {
    auto parsed = ParseAsOfDate(given);
    if (!parsed.ok()) return Status::InvalidArgument(prefix + parsed.status().message());
    as_of = *parsed;
  }
  ASSIGN_OR_RETURN(EumCompliance report, ComputeEumCompliance(reg.projections(), as_of));
  if (format == "json") return EumComplianceJson(report);
  if (format == "csv") return EumComplianceCsv(report);
  return EumComplianceTable(report);
}

ReportParam Optional(std::string name, std::string help, std::string default_value = "") {
  return {std::move(name), std::move(help), false, std::move(default_value)};
}
ReportParam Required(std::string name, std::string help) {
  return {std::move(name), std::move(help), true, ""};
}

}  // namespace

const std::vector<ReportSpec>& Reports() {
  static const std::vector<ReportSpec> kReports = {
      {"tiv",
       "SIPRI trend-indicator value volumes (millions, two decimals) per group of deliveries",
       {Optional("dataset", "Dataset (accord: the registry's own deliveries)", "sipri"),
        Optional("by", "Comma list of recipient, supplier, year, category (none: one total)"),
        Optional("supplier", "Only this supplier (as SIPRI spells it)"),
        Optional("recipient", "Only this recipient (as SIPRI spells it)"),
        Optional("from", "First delivery year"), Optional("to", "Last delivery year")},
       {kCsv, kJson, kTable},
       "csv",
       Disclosure::kAggregate,
       "",
       RunTiv},
      {"att",
       "Arms Trade Treaty annual report (Art. 13(3)) of a party: exports and imports, "
       "authorized and actual, by UN Register category and partner state",
       {Required("year", "Calendar year reported"),
        Required("party", "Reporting state (ISO 3166 alpha-2, e.g. UZ)")},
       {kCsv, kJson, kMarkdown},
       "md",
       Disclosure::kPartyValues,
       "party",
       RunAtt},
      {"unroca",
       "UN Register of Conventional Arms standardized form of a party: actual exports and "
       "imports by category, partner, origin and intermediate locations",
       {Required("year", "Calendar year reported"),
        Required("party", "Reporting state (ISO 3166 alpha-2, e.g. UZ)")},
       {kCsv, kJson, kMarkdown},
       "md",
       Disclosure::kAggregate,
       "",
       RunUnroca},
      {"register",
       "Accord's own deliveries as a SIPRI-style trade register (SIPRI's flat export format, "
       "readable by `accord import sipri`)",
       {},
       {kSipriCsv, kJson},
       "sipri-csv",
       Disclosure::kAggregate,
       "",
       RunRegister},
      {"cooperation",
       "Per year: exercises held and planned, participants, trainees enrolled and graduated by "
       "institution, consultations held, open follow-up actions, specialist visits, joint "
       "activities",
       {Optional("from", "First year"), Optional("to", "Last year"),
        Optional("agreement", "Only activities under this agreement")},
       {kTable, kCsv, kJson},
       "table",
       Disclosure::kAggregate,
       "",
       RunCooperation},
      {"eum",
       "End-use monitoring compliance per agreement and recipient as of a date: items "
       "inventoried on time, delinquent items, access requests answered in time, open cases by "
       "age, confirmed violations (figures only: no serial numbers)",
       {Optional("as-of",
                 "YYYY-MM-DD or an RFC 3339 date-time (its UTC date); default: today (UTC)")},
       {kTable, kCsv, kJson},
       "table",
       Disclosure::kAggregate,
       "",
       RunEum},
  };
  return kReports;
}

const ReportSpec* FindReport(std::string_view name) {
  for (const ReportSpec& s : Reports()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<ReportOutput> RunReport(Registry& reg, const ReportSpec& spec, const ReportRequest& req) {
  const std::string& prefix = req.param_prefix;
  std::string format = req.format.empty() ? spec.default_format : req.format;
  const ReportFormat* fmt = nullptr;
  std::vector<std::string> names;
  for (const ReportFormat& f : spec.formats) {
    names.push_back(f.name);
    if (f.name == format) fmt = &f;
  }
  if (fmt == nullptr) {
    return Status::InvalidArgument(prefix + "format: expected " + OrList(names) + ", not \"" +
                                   format + "\"");
  }
  ReportParams params;
  for (const auto& [name, value] : req.params) {
    bool known = false;
    for (const ReportParam& p : spec.params) known = known || p.name == name;
    if (!known) {
      std::vector<std::string> expected;
      for (const ReportParam& p : spec.params) expected.push_back(p.name);
      return Status::InvalidArgument("report " + spec.name + " has no parameter \"" + name + "\"" +
                                     (expected.empty() ? std::string(" (it takes none)")
                                                       : " (expected " + OrList(expected) + ")"));
    }
  }
  for (const ReportParam& p : spec.params) {
    auto it = req.params.find(p.name);
    if (it != req.params.end()) {
      params[p.name] = it->second;
    } else if (p.required) {
      return Status::InvalidArgument(prefix + p.name + " is required (" + p.help + ")");
    } else if (!p.default_value.empty()) {
      params[p.name] = p.default_value;
    }
  }
  ReportOutput out;
  ASSIGN_OR_RETURN(out.body, spec.run(reg, params, format, req.form, prefix));
  out.content_type = fmt->content_type;
  out.filename = spec.name;
  for (const char* part : {"party", "year"}) {
    auto it = params.find(part);
    if (it != params.end()) out.filename += "-" + it->second;
  }
  out.filename += "." + fmt->extension;
  return out;
}

}  // namespace accord::registry
