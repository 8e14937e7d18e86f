#include "cli/eum_commands.h"

#include <ctime>
#include <iostream>

#include "cli/io.h"
#include "domain/envelope.h"
#include "registry/eum_report.h"
#include "registry/registry.h"

namespace accord::cli {
namespace {

Result<std::string> AsOf(const std::string& given) {
  if (given.empty()) return domain::FormatDate(static_cast<int64_t>(std::time(nullptr)));
  return registry::ParseAsOfDate(given);
}

}  // namespace

int RunEumDue(const EumDueOptions& o) {
  auto as_of = AsOf(o.as_of);
  if (!as_of.ok()) return Fail(as_of.status());
  auto reg = registry::Registry::Open(o.db, /*writable=*/false);
  if (!reg.ok()) return Fail(reg.status());
  auto due = registry::ComputeEumDue((*reg)->projections(), *as_of, o.within_days);
  if (!due.ok()) return Fail(due.status());
  std::cout << (o.json ? registry::EumDueJson(*due) : registry::EumDueTable(*due));
  return kExitOk;
}

}  // namespace accord::cli
