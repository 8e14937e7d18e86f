// Aligned text tables for terminal output (util/text_table.h).
#pragma once

#include "util/text_table.h"

namespace accord::cli {

using Table = TextTable;

}  // namespace accord::cli
