// The delivery views of `accord show`, called from registry_commands.cc, and
// which lists `accord show` knows: each kind whose row in
// domain/entity_kinds.h names a show view (kRegistry: registry_commands.cc's
// tables; kDelivery: delivery_commands.cc's), plus "prices" (of products).
#pragma once

#include <string>
#include <string_view>

#include "cli/commands.h"
#include "domain/entity_kinds.h"
#include "registry/registry.h"

namespace accord::cli {

// "parties|bodies|...|declarations" (with `separator`), in table order.
std::string ShowLists(std::string_view separator);
// The kind a list of registry_commands.cc shows ("prices": products), or
// nullptr if `what` is not one of them.
const domain::EntityKind* ShowListKind(const std::string& what);
bool IsDeliveryList(const std::string& what);
int ShowDeliveryList(registry::Registry& r, const ShowOptions& o);
int ShowDvc(registry::Registry& r, const ShowOptions& o);

}  // namespace accord::cli
