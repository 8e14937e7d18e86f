// The reports of a registry, as one table that every adapter serves: the CLI
// makes `accord report <name>` of each entry (options --<param>, --format) and
// the API `GET /v1/reports/<name>?<param>=...&format=...`. Both call
// RunReport, so a report's output is the same bytes on either side.
//
// Adding a report is one entry in Reports() (reports.cc): its parameters, its
// formats, what it discloses (for the adapters' authorization) and the
// function that renders it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::registry {

class Registry;

// Parameters by name, as text: {"year": "2019", "party": "UZ"}.
using ReportParams = std::map<std::string, std::string>;

struct ReportParam {
  std::string name;  // an identifier: --name in the CLI, ?name= in the API
  std::string help;
  bool required = false;
  std::string default_value;  // applied when the parameter is absent (empty: none)
};

struct ReportFormat {
  std::string name;          // csv, json, md, table, sipri-csv
  std::string content_type;  // e.g. "text/csv; charset=utf-8"
  std::string extension;     // of a downloaded file
};

// What a report discloses, which the adapters' authorization maps to roles
// (api/authz.h).
enum class Disclosure {
  // Counts and volumes only: no serial numbers, prices or personal data. The
  // same for every reader.
  kAggregate,
  // Counts plus the values (prices) of one party's contracts: the full form
  // has the values, the public form withholds them.
  kPartyValues,
  // Serial numbers or personal data: no public form.
  kDetailed,
};

enum class ReportForm {
  kFull,
  kPublic,  // kPartyValues reports withhold their values; no effect on kAggregate
};

struct ReportRequest {
  ReportParams params;
  std::string format;  // empty: the report's default format
  ReportForm form = ReportForm::kFull;
  // How messages name a parameter: "--" in the CLI ("--year: ..."), "query
  // parameter " in the API.
  std::string param_prefix;
};

struct ReportOutput {
  std::string body;
  std::string content_type;
  std::string filename;  // e.g. "att-UZ-2019.csv"
};

struct ReportSpec {
  std::string name;  // "att"
  std::string help;  // one line
  std::vector<ReportParam> params;
  std::vector<ReportFormat> formats;  // in the order messages list them
  std::string default_format;
  Disclosure disclosure = Disclosure::kAggregate;
  // kPartyValues / kDetailed: the parameter naming the party whose details
  // the full form discloses.
  std::string party_param;
  // Renders the report. `params` are checked (known names, the required
  // ones present, defaults applied) and `format` is one of `formats`; the
  // function checks the values, naming a parameter as prefix + name.
  std::function<Result<std::string>(Registry& reg, const ReportParams& params,
                                    const std::string& format, ReportForm form,
                                    const std::string& prefix)>
      run;
};

// Every report, in the order `accord report --help` lists them.
const std::vector<ReportSpec>& Reports();
// nullptr if there is no report `name`.
const ReportSpec* FindReport(std::string_view name);

// Checks the request against the spec (unknown or missing parameters, the
// format), runs the report and names the file "<name>[-<party>][-<year>].<ext>".
// Bad input is InvalidArgument with a message naming the parameter.
Result<ReportOutput> RunReport(Registry& reg, const ReportSpec& spec, const ReportRequest& request);

}  // namespace accord::registry
