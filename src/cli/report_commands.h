// accord report <name>: every report of registry/reports.h, each a
// subcommand whose options are the report's parameters (--year, --party, ...)
// plus --db and --format.
#pragma once

#include <string>

#include "registry/reports.h"

namespace accord::cli {

struct ReportOptions {
  std::string db;
  std::string format;  // empty: the report's default
  registry::ReportParams params;
};
// Prints the report `name` (an entry of registry::Reports()) on stdout.
int RunReport(const std::string& name, const ReportOptions& o);

}  // namespace accord::cli
