#include "sipri/csv.h"

#include <cstdint>

namespace accord::sipri {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string ToUtf8(std::string_view bytes, bool* latin1) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  bool valid = IsValidUtf8(bytes);
  if (latin1 != nullptr) *latin1 = !valid;
  if (valid) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 16);
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::vector<CsvRecord> ReadCsv(std::string_view text) {
  std::vector<CsvRecord> out;
  size_t i = 0, line = 1, line_start = 0;
  const size_t n = text.size();
  auto column = [&](size_t pos) { return pos - line_start + 1; };
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool done = false;
    auto fail = [&](size_t pos, std::string why) {
      if (rec.error.empty()) {
        rec.error = std::move(why);
        rec.error_line = line;
        rec.error_column = column(pos);
      }
    };
    // Skips to the end of the current line (after a quoting error).
    auto skip_line = [&] {
      while (i < n && text[i] != '\n' && text[i] != '\r') ++i;
    };
    while (!done) {
      if (i < n && text[i] == '"') {
        // A quoted field: "" is a quote, anything else (line breaks too) is text.
        size_t open = i++;
        size_t open_line = line, open_start = line_start;
        bool closed = false;
        while (i < n) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line;
            line_start = i + 1;
          }
          field.push_back(c);
          ++i;
        }
        if (!closed) {
          rec.error = "a quoted field is not closed before the end of the input";
          rec.error_line = open_line;
          rec.error_column = open - open_start + 1;
          rec.unterminated = true;
          rec.fields.push_back(std::move(field));
          rec.last_line = line;
          out.push_back(std::move(rec));
          return out;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          fail(i, "expected a comma or the end of the line after a closing quote");
          skip_line();
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            fail(i, "a quote inside an unquoted field (quote the whole field, doubling the quote)");
            skip_line();
            break;
          }
          field.push_back(text[i++]);
        }
      }
      rec.fields.push_back(std::move(field));
      field.clear();
      if (i >= n) {
        rec.unterminated = true;
        done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // a line break: \n, \r\n or a lone \r
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        done = true;
      }
    }
    rec.last_line = line;
    out.push_back(std::move(rec));
    ++line;
    line_start = i;
  }
  return out;
}

}  // namespace accord::sipri
