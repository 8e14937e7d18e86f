// The delivery views of `accord show`, called from registry_commands.cc.
#pragma once

#include <string>

#include "cli/commands.h"
#include "registry/registry.h"

namespace accord::cli {

bool IsDeliveryList(const std::string& what);
int ShowDeliveryList(registry::Registry& r, const ShowOptions& o);
int ShowDvc(registry::Registry& r, const ShowOptions& o);

}  // namespace accord::cli
