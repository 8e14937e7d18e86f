// A CSV reader for SIPRI's exports: RFC 4180 records (quoted fields with ""
// escapes and line breaks inside quotes, CRLF or LF line ends) over text that
// ToUtf8 has already decoded. Pure: no I/O, depends on util only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace accord::sipri {

// Text as UTF-8. A UTF-8 byte order mark is dropped; input that is valid
// UTF-8 is kept as it is (ASCII is); anything else is read as Latin-1
// (ISO 8859-1, SIPRI's export encoding), each byte one code point. Sets
// *latin1 (if given) to whether the Latin-1 reading was used.
std::string ToUtf8(std::string_view bytes, bool* latin1 = nullptr);

// True if `text` is well-formed UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// One record as read: its fields, where it starts and ends.
struct CsvRecord {
  size_t line = 0;       // 1-based line of its first character
  size_t last_line = 0;  // its last line (> line if a quoted field spans lines)
  std::vector<std::string> fields;
  // The input ended inside this record, without a line break after it.
  bool unterminated = false;
  // Malformed quoting: what was wrong and at which 1-based character column
  // of which line; empty if the record is well-formed.
  std::string error;
  size_t error_line = 0;
  size_t error_column = 0;

  // A line with nothing on it (one empty field, no quotes).
  bool blank() const { return fields.size() == 1 && fields[0].empty() && error.empty(); }
};

// Splits UTF-8 `text` into records. Every line break outside quotes ends a
// record, so a record with a quoting error ends at its line's end and the
// reader carries on with the next line. A quote may only open a field (a
// quote inside an unquoted field, or text after a closing quote, is an error);
// a quoted field still open at the end of the input is an error.
std::vector<CsvRecord> ReadCsv(std::string_view text);

}  // namespace accord::sipri
