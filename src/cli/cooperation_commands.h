// accord report cooperation: yearly figures of training, exercises,
// consultations and specialist visits (registry/cooperation_report.h).
#pragma once

#include <optional>
#include <string>

namespace accord::cli {

struct ReportCooperationOptions {
  std::string db;
  std::optional<int> from, to;   // calendar years, inclusive
  std::string agreement;         // empty: every agreement
  std::string format = "table";  // table | csv | json
};
int RunReportCooperation(const ReportCooperationOptions& o);

}  // namespace accord::cli
