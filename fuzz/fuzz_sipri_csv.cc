// libFuzzer target for the SIPRI CSV reader and export parser: any bytes
// must be read without crashing, every record and rejection must carry a
// line inside the input, text must come out as valid UTF-8, and TIV values
// must be non-negative.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sipri/csv.h"
#include "sipri/register.h"

namespace s = accord::sipri;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string text = s::ToUtf8(input);
  if (!s::IsValidUtf8(text)) __builtin_trap();
  size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) +
                 static_cast<size_t>(std::count(text.begin(), text.end(), '\r')) + 1;
  for (const s::CsvRecord& r : s::ReadCsv(text)) {
    if (r.line < 1 || r.last_line < r.line || r.last_line > lines) __builtin_trap();
    if (r.fields.empty()) __builtin_trap();
  }
  auto ex = s::ParseExport(input);
  if (!ex.ok()) return 0;
  if (ex->header_line < 1 || ex->header_line > s::kMaxNoteLines) __builtin_trap();
  for (const s::Problem& p : ex->rejected) {
    if (p.line <= ex->header_line || p.line > lines || p.message.empty()) __builtin_trap();
  }
  auto nonneg = [](const std::optional<int64_t>& v) { return !v || *v >= 0; };
  for (const s::FlatRecord& f : ex->flat) {
    if (f.line <= ex->header_line || f.deal_id < 1) __builtin_trap();
    if (!nonneg(f.tiv_core_milli) || !nonneg(f.tiv_per_unit_milli) ||
        !nonneg(f.tiv_delivery_milli)) {
      __builtin_trap();
    }
    if (!s::IsValidUtf8(f.supplier) || !s::IsValidUtf8(f.designation)) __builtin_trap();
  }
  for (const s::ClassicRecord& c : ex->classic) {
    if (c.line <= ex->header_line || c.last_line < c.line) __builtin_trap();
    if (!nonneg(c.tiv_per_unit_milli) || !nonneg(c.tiv_delivered_milli)) __builtin_trap();
    if (!s::IsValidUtf8(c.comments)) __builtin_trap();
  }
  return 0;
}
