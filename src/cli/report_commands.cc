// accord report <name>: the CLI side of registry/reports.h.
#include "cli/report_commands.h"

#include <iostream>

#include "cli/io.h"
#include "registry/registry.h"

namespace accord::cli {

int RunReport(const std::string& name, const ReportOptions& o) {
  const registry::ReportSpec* spec = registry::FindReport(name);
  if (spec == nullptr) return Fail(Status::InvalidArgument("no report \"" + name + "\""));
  registry::ReportRequest req;
  req.params = o.params;
  req.format = o.format;
  req.param_prefix = "--";
  auto reg = registry::Registry::Open(o.db, /*writable=*/false);
  if (!reg.ok()) return Fail(reg.status());
  auto out = registry::RunReport(**reg, *spec, req);
  if (!out.ok()) return Fail(out.status());
  std::cout << out->body;
  return kExitOk;
}

}  // namespace accord::cli
