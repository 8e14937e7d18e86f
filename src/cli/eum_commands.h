// accord eum due, accord report eum: end-use monitoring figures as of a date.
#pragma once

#include <cstdint>
#include <string>

namespace accord::cli {

struct EumDueOptions {
  std::string db;
  std::string as_of;  // empty: today (UTC)
  int64_t within_days = 30;
  bool json = false;
};
int RunEumDue(const EumDueOptions& o);

struct ReportEumOptions {
  std::string db;
  std::string as_of;  // empty: today (UTC)
  std::string format = "table";
};
int RunReportEum(const ReportEumOptions& o);

}  // namespace accord::cli
