// accord eum due: the inventory obligations due or delinquent as of a date.
// (`accord report eum` is in the report table, registry/reports.h.)
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

}  // namespace accord::cli
