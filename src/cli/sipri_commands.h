// accord import sipri: SIPRI's Arms Transfers Database as history in the
// registry (`accord report tiv` aggregates its TIV volumes: registry/reports.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace accord::cli {

// The datasets an import writes to when --dataset is not given: flat rows
// (per-year deliveries) and classic records (totals only) apart, so that a
// report never counts the same transfer twice.
inline constexpr char kDefaultFlatDataset[] = "sipri";
inline constexpr char kDefaultClassicDataset[] = "sipri-classic";

struct ImportSipriOptions {
  std::string db;
  std::string dataset;  // empty: kDefaultFlatDataset / kDefaultClassicDataset by format
  bool strict = false;  // any rejected line (or unusable file) imports nothing
  std::vector<std::string> files;
  size_t batch = 1000;  // events per transaction
  std::string key_dir;  // for a URI: where a new registry's node key goes
};
int RunImportSipri(const ImportSipriOptions& o);

}  // namespace accord::cli
