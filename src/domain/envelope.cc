#include "domain/envelope.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <utility>
#include <vector>

#include "util/encoding.h"

namespace accord::domain {
namespace {

using nlohmann::json;

constexpr char kIntegerOnly[] =
    "expected an integer (money in minor units, fixed-point with the unit in the field name)";
constexpr char kDateTimeExample[] = "expected e.g. 2018-06-01T00:00:00Z";
constexpr char kAllowedEventFields[] = "v, type, time, party, actor, subject, body";
constexpr size_t kMaxTextField = 200;  // party, actor, subject
constexpr size_t kMaxMessageDetail = 240;
// CanonicalJson recurses; values built by code (not parsed) are bounded here.
constexpr int kMaxCanonicalDepth = 256;
// A leaf wraps an event one level deeper and adds key id, signature and time.
constexpr int kMaxLeafDepth = kMaxJsonDepth + 1;
constexpr size_t kMaxLeafBytes = kMaxEventBytes + 1024;

// ---------------------------------------------------------------------------
// UTF-8

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t rest = s.size() - i;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    return rest >= 2 && (b(i + 1) & 0xC0) == 0x80 ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (rest < 3) return 0;
    unsigned char c1 = b(i + 1);
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
    unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // no surrogates
    if (c1 < lo || c1 > hi) return 0;
    return (b(i + 2) & 0xC0) == 0x80 ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (rest < 4) return 0;
    unsigned char c1 = b(i + 1);
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80;  // no overlong forms
    unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    if (c1 < lo || c1 > hi) return 0;
    return (b(i + 2) & 0xC0) == 0x80 && (b(i + 3) & 0xC0) == 0x80 ? 4 : 0;
  }
  return 0;
}

// The byte offset of the first invalid UTF-8, or npos.
size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Messages

// `s` in double quotes for an error message: JSON-style escapes for controls,
// \xNN for bytes that are not UTF-8, cut after about `max` bytes.
std::string Quote(std::string_view s, size_t max = 64) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    if (i >= max) {
      out += "...";
      break;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      out += c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r";
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (size_t n = Utf8SequenceLength(s, i); n != 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    }
  }
  out += '"';
  return out;
}

// A short description of a JSON value for "got ..." in messages.
std::string Describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case json::value_t::string:
      return Quote(v.get_ref<const std::string&>());
    case json::value_t::number_integer:
      return std::to_string(v.get<int64_t>());
    case json::value_t::number_unsigned:
      return std::to_string(v.get<uint64_t>());
    case json::value_t::number_float:
      return "a floating-point number";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "a non-JSON value";
  }
}

// One step of a JSON path: an object key or an array index.
struct PathStep {
  const std::string* key = nullptr;  // null for an array index
  size_t index = 0;
};

bool IsPlainKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void AppendStep(std::string& path, const std::string* key, size_t index) {
  if (key == nullptr) {
    path += '[' + std::to_string(index) + ']';
  } else if (IsPlainKey(*key)) {
    if (!path.empty()) path += '.';
    path += *key;
  } else {
    path += '[' + Quote(*key) + ']';
  }
}

std::string PathString(const std::vector<PathStep>& steps) {
  std::string path;
  for (const auto& s : steps) AppendStep(path, s.key, s.index);
  return path.empty() ? "(top level)" : path;
}

// ---------------------------------------------------------------------------
// Strict parsing: a SAX handler for nlohmann's (iterative) parser that builds
// the value and refuses duplicate keys, non-integers, unsafe integers and
// deep nesting as soon as it sees them.

class StrictSax {
 public:
  explicit StrictSax(int max_depth) : max_depth_(max_depth) {}

  bool null() { return Add(json(nullptr)) != nullptr; }
  bool boolean(bool b) { return Add(json(b)) != nullptr; }
  bool number_integer(json::number_integer_t v) {
    if (v > kMaxSafeInteger || v < -kMaxSafeInteger) return UnsafeInteger(std::to_string(v));
    return Add(json(v)) != nullptr;
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v > static_cast<uint64_t>(kMaxSafeInteger)) return UnsafeInteger(std::to_string(v));
    return Add(json(v)) != nullptr;
  }
  bool number_float(json::number_float_t /*v*/, const std::string& raw) {
    // Integers too large for 64 bits reach here too, spelled as integers.
    if (raw.find_first_of(".eE") == std::string::npos) return UnsafeInteger(raw);
    return NotAnInteger(raw);
  }
  bool string(std::string& s) { return Add(json(std::move(s))) != nullptr; }
  bool binary(json::binary_t& /*b*/) { return Fail(PendingPath(), "binary values are not JSON"); }
  bool start_object(std::size_t /*n*/) { return Open(json::value_t::object); }
  bool key(std::string& k) {
    Frame& top = frames_.back();
    const auto& obj = top.container->get_ref<const json::object_t&>();
    if (obj.find(k) != obj.end()) {
      return Fail(Path(frames_.size() - 1, false), "duplicate key " + Quote(k));
    }
    top.key = std::move(k);
    return true;
  }
  bool end_object() {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*n*/) { return Open(json::value_t::array); }
  bool end_array() {
    frames_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) {
    // nlohmann reports a number too large for a double ("1e400") as an
    // error; say what the registry expects instead.
    if (ex.id == 406) {
      if (last_token.find_first_of(".eE") != std::string::npos) return NotAnInteger(last_token);
      return UnsafeInteger(last_token);
    }
    std::string what = ex.what();
    if (size_t p = what.find("] "); what.rfind("[json.exception.", 0) == 0 && p != what.npos) {
      what.erase(0, p + 2);
    }
    // "last read: '...'" can quote a whole (long) token: keep it short, and
    // cut on a character boundary so the message stays UTF-8.
    if (what.size() > kMaxMessageDetail) {
      size_t cut = kMaxMessageDetail;
      while (cut > 0 && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80) --cut;
      what.resize(cut);
      what += "...";
    }
    (void)position;  // nlohmann's message gives line and column
    error_ = "invalid JSON: " + what;
    return false;
  }

  json& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  struct Frame {
    json* container;
    std::string key;        // objects: the key of the current member
    size_t next_index = 0;  // arrays: the number of elements so far
  };

  // The path of the innermost `n` frames' current children; with `pending`,
  // the last array's step is the element about to be added.
  std::string Path(size_t n, bool pending) const {
    std::string path;
    for (size_t i = 0; i < n; ++i) {
      const Frame& f = frames_[i];
      if (f.container->is_object()) {
        AppendStep(path, &f.key, 0);
      } else {
        size_t index = (pending && i + 1 == n) ? f.next_index : f.next_index - 1;
        AppendStep(path, nullptr, index);
      }
    }
    return path.empty() ? "(top level)" : path;
  }
  std::string PendingPath() const { return Path(frames_.size(), true); }

  bool Fail(const std::string& path, const std::string& message) {
    error_ = path + ": " + message;
    return false;
  }
  bool NotAnInteger(std::string_view raw) {
    return Fail(PendingPath(),
                std::string(kIntegerOnly) + ", got " + std::string(raw.substr(0, 40)));
  }
  bool UnsafeInteger(std::string_view raw) {
    return Fail(PendingPath(), "integer " + std::string(raw.substr(0, 40)) +
                                   " is outside the safe range -(2^53-1)..2^53-1");
  }

  json* Add(json v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& top = frames_.back();
    if (top.container->is_array()) {
      auto& arr = top.container->get_ref<json::array_t&>();
      arr.push_back(std::move(v));
      ++top.next_index;
      return &arr.back();
    }
    auto& obj = top.container->get_ref<json::object_t&>();
    return &obj.emplace(top.key, std::move(v)).first->second;
  }

  bool Open(json::value_t type) {
    if (frames_.size() >= static_cast<size_t>(max_depth_)) {
      return Fail(PendingPath(),
                  "nested deeper than " + std::to_string(max_depth_) + " objects and arrays");
    }
    json* p = Add(json(type));
    frames_.push_back(Frame{p, std::string(), 0});
    return true;
  }

  int max_depth_;
  json root_;
  std::vector<Frame> frames_;
  std::string error_;
};

Result<json> ParseStrict(std::string_view text, size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return Status::InvalidArgument("JSON text is " + std::to_string(text.size()) +
                                   " bytes; at most " + std::to_string(max_bytes) + " are allowed");
  }
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return Status::InvalidArgument("invalid UTF-8 at byte " + std::to_string(bad));
  }
  // nlohmann would skip a byte order mark silently; JSON texts exchanged
  // between systems must not begin with one (RFC 8259 §8.1).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    return Status::InvalidArgument("invalid JSON: a byte order mark is not allowed");
  }
  StrictSax sax(max_depth);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("invalid JSON: ") + e.what());
  }
  if (!ok) {
    return Status::InvalidArgument(sax.error().empty() ? "invalid JSON" : sax.error());
  }
  return std::move(sax.root());
}

// ---------------------------------------------------------------------------
// Canonical JSON

void WriteString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

class CanonicalWriter {
 public:
  Status Write(const json& v) { return Value(v, 1); }
  std::string& out() { return out_; }
  int max_depth() const { return max_depth_; }

 private:
  Status Error(const std::string& message) const {
    return Status::InvalidArgument(PathString(path_) + ": " + message);
  }

  Status String(std::string_view s) {
    if (size_t bad = FindInvalidUtf8(s); bad != std::string_view::npos) {
      return Error("invalid UTF-8 at byte " + std::to_string(bad) + " of a string");
    }
    WriteString(out_, s);
    return Status::Ok();
  }

  void Integer(auto v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }

  Status Value(const json& v, int depth) {
    switch (v.type()) {
      case json::value_t::null:
        out_ += "null";
        return Status::Ok();
      case json::value_t::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        return Status::Ok();
      case json::value_t::number_integer: {
        int64_t n = v.get<int64_t>();
        if (n > kMaxSafeInteger || n < -kMaxSafeInteger) {
          return Error("integer " + std::to_string(n) +
                       " is outside the safe range -(2^53-1)..2^53-1");
        }
        Integer(n);
        return Status::Ok();
      }
      case json::value_t::number_unsigned: {
        uint64_t n = v.get<uint64_t>();
        if (n > static_cast<uint64_t>(kMaxSafeInteger)) {
          return Error("integer " + std::to_string(n) +
                       " is outside the safe range -(2^53-1)..2^53-1");
        }
        Integer(n);
        return Status::Ok();
      }
      case json::value_t::number_float:
        return Error(std::string(kIntegerOnly) + ", got a floating-point number");
      case json::value_t::string:
        return String(v.get_ref<const std::string&>());
      case json::value_t::array:
      case json::value_t::object:
        break;
      default:
        return Error("not a JSON value (binary or discarded)");
    }
    if (depth > kMaxCanonicalDepth) {
      return Error("nested deeper than " + std::to_string(kMaxCanonicalDepth) + " levels");
    }
    max_depth_ = std::max(max_depth_, depth);
    if (v.is_array()) {
      out_ += '[';
      const auto& arr = v.get_ref<const json::array_t&>();
      for (size_t i = 0; i < arr.size(); ++i) {
        if (i > 0) out_ += ',';
        path_.push_back(PathStep{nullptr, i});
        RETURN_IF_ERROR(Value(arr[i], depth + 1));
        path_.pop_back();
      }
      out_ += ']';
      return Status::Ok();
    }
    // Sort the members by the UTF-8 bytes of their keys (memcmp compares
    // unsigned bytes). std::map already iterates in this order; sorting
    // explicitly keeps the output independent of the container's comparator.
    const auto& obj = v.get_ref<const json::object_t&>();
    std::vector<const json::object_t::value_type*> members;
    members.reserve(obj.size());
    for (const auto& m : obj) members.push_back(&m);
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      const std::string& x = a->first;
      const std::string& y = b->first;
      int c = std::memcmp(x.data(), y.data(), std::min(x.size(), y.size()));
      return c != 0 ? c < 0 : x.size() < y.size();
    });
    out_ += '{';
    bool first = true;
    for (const auto* m : members) {
      if (!first) out_ += ',';
      first = false;
      path_.push_back(PathStep{&m->first, 0});
      if (size_t bad = FindInvalidUtf8(m->first); bad != std::string_view::npos) {
        return Error("invalid UTF-8 at byte " + std::to_string(bad) + " of the key");
      }
      WriteString(out_, m->first);
      out_ += ':';
      RETURN_IF_ERROR(Value(m->second, depth + 1));
      path_.pop_back();
    }
    out_ += '}';
    return Status::Ok();
  }

  std::string out_;
  std::vector<PathStep> path_;
  int max_depth_ = 0;
};

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian), after Howard Hinnant's
// days_from_civil / civil_from_days: http://howardhinnant.github.io/date_algorithms.html

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Days since 1970-01-01 of y-m-d.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;                                    // [0, 399]
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int month;
  int day;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;                                       // [0, 146096]
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

bool IsLeapYear(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads `n` decimal digits at text[pos]; -1 if they are not all digits.
int Digits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (!IsDigit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string Two(int v) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

// Parses "YYYY-MM-DD" at the start of `text` into days since the epoch, or
// returns a reason it is not a date.
Result<int64_t> ParseFullDate(std::string_view text) {
  int y = Digits(text, 0, 4);
  int m = Digits(text, 5, 2);
  int d = Digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0 || text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return Status::InvalidArgument("the date must be YYYY-MM-DD");
  }
  if (m < 1 || m > 12) {
    return Status::InvalidArgument("month " + Two(m) + " is out of range (01-12)");
  }
  if (d < 1 || d > DaysInMonth(y, m)) {
    char ym[16];
    std::snprintf(ym, sizeof ym, "%04d-%02d", y, m);
    return Status::InvalidArgument("day " + Two(d) + " is out of range for " + ym + " (it has " +
                                   std::to_string(DaysInMonth(y, m)) + " days)");
  }
  return DaysFromCivil(y, m, d);
}

// The body of ParseRfc3339; errors give only the reason.
Result<int64_t> ParseDateTime(std::string_view text) {
  if (text.size() == 10 && ParseFullDate(text).ok()) {
    return Status::InvalidArgument("this is a date without a time of day");
  }
  ASSIGN_OR_RETURN(int64_t days, ParseFullDate(text));
  // RFC 3339 §5.6 allows lowercase 't' and 'z' as well; the registry accepts
  // only the uppercase forms, which are what everyone writes.
  if (text.size() < 11 || text[10] != 'T') {
    return Status::InvalidArgument("expected 'T' and a time of day after the date");
  }
  int hh = Digits(text, 11, 2);
  int mm = Digits(text, 14, 2);
  int ss = Digits(text, 17, 2);
  if (hh < 0 || mm < 0 || ss < 0 || text.size() < 19 || text[13] != ':' || text[16] != ':') {
    return Status::InvalidArgument("the time of day must be HH:MM:SS");
  }
  if (hh > 23) return Status::InvalidArgument("hour " + Two(hh) + " is out of range (00-23)");
  if (mm > 59) return Status::InvalidArgument("minute " + Two(mm) + " is out of range (00-59)");
  if (ss > 60) return Status::InvalidArgument("second " + Two(ss) + " is out of range (00-60)");
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    size_t start = ++pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    // Fractions are dropped (the result is whole seconds); more than
    // nanoseconds is not a time stamp anyone means.
    if (pos == start || pos - start > 9) {
      return Status::InvalidArgument("a fraction of a second needs 1 to 9 digits after '.'");
    }
  }
  int offset_minutes = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = Digits(text, pos + 1, 2);
    int om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || text[pos + 3] != ':') {
      return Status::InvalidArgument("the offset must be Z, +hh:mm or -hh:mm");
    }
    if (oh > 23 || om > 59) {
      return Status::InvalidArgument("offset " + std::string(text.substr(pos, 6)) +
                                     " is out of range (at most 23:59)");
    }
    // "-00:00" (RFC 3339 §4.3: offset unknown) is taken as UTC.
    offset_minutes = (text[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    pos += 6;
  } else {
    return Status::InvalidArgument("missing the time zone offset (Z, +hh:mm or -hh:mm)");
  }
  if (pos != text.size()) {
    return Status::InvalidArgument("unexpected text after the offset");
  }
  int64_t utc_minutes = hh * 60 + mm - offset_minutes;
  if (ss == 60) {
    // A leap second exists only as 23:59:60 UTC. Epoch seconds (like POSIX
    // time) have no number for it, so it is taken as 23:59:59: the time
    // stamp stays on its own day and in order with those around it.
    if (((utc_minutes % 1440) + 1440) % 1440 != 23 * 60 + 59) {
      return Status::InvalidArgument("a leap second (:60) can only be 23:59:60 UTC");
    }
    ss = 59;
  }
  return days * 86400 + utc_minutes * 60 + ss;
}

// ---------------------------------------------------------------------------
// Envelope checks

std::string_view TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "a non-JSON value";
  }
}

Status FieldError(std::string_view field, const std::string& message) {
  return Status::InvalidArgument(std::string(field) + ": " + message);
}

bool IsLowerWord(std::string_view s) {
  // ^[a-z][a-z_]*$
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

bool IsEventType(std::string_view s) {
  // ^[a-z][a-z_]*\.[a-z][a-z_]*$
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  return IsLowerWord(s.substr(0, dot)) && IsLowerWord(s.substr(dot + 1));
}

// The string of `field`, non-empty, at most kMaxTextField bytes of UTF-8
// without control characters (C0, DEL, C1).
Result<std::string> TextField(const json& event, std::string_view field) {
  const json& v = event.find(field).value();
  if (!v.is_string()) return FieldError(field, "expected a string, got " + Describe(v));
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty()) return FieldError(field, "must not be empty");
  if (s.size() > kMaxTextField) {
    return FieldError(field, "is " + std::to_string(s.size()) + " bytes long; at most " +
                                 std::to_string(kMaxTextField) + " are allowed");
  }
  if (size_t bad = FindInvalidUtf8(s); bad != std::string_view::npos) {
    return FieldError(field, "invalid UTF-8 at byte " + std::to_string(bad));
  }
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) {
      return FieldError(field, Quote(s) + " contains a control character");
    }
  }
  return s;
}

std::pair<std::string_view, std::string_view> SplitSubject(std::string_view subject) {
  size_t slash = subject.find('/');
  if (slash == std::string_view::npos) return {subject, {}};
  return {subject.substr(0, slash), subject.substr(slash + 1)};
}

bool IsUtcDateTime(std::string_view t) {
  return ParseRfc3339(t).ok() && !t.empty() && t.back() == 'Z';
}

}  // namespace

Result<nlohmann::json> ParseStrictJson(std::string_view text) {
  return ParseStrict(text, kMaxEventBytes, kMaxJsonDepth);
}

Result<std::string> CanonicalJson(const nlohmann::json& value) {
  CanonicalWriter w;
  RETURN_IF_ERROR(w.Write(value));
  return std::move(w.out());
}

Result<int64_t> ParseRfc3339(std::string_view text) {
  auto r = ParseDateTime(text);
  if (r.ok()) return r;
  return Status::InvalidArgument(Quote(text) + " is not an RFC 3339 date-time (" +
                                 kDateTimeExample + "): " + r.status().message());
}

Result<int64_t> ParseDate(std::string_view text) {
  auto r = ParseFullDate(text);
  if (r.ok() && text.size() != 10) {
    r = Status::InvalidArgument("unexpected text after the date");
  }
  if (!r.ok()) {
    return Status::InvalidArgument(Quote(text) + " is not a date (expected YYYY-MM-DD, e.g. " +
                                   "2018-06-01): " + r.status().message());
  }
  return *r * 86400;
}

// Years outside 0000-9999 (which ParseRfc3339 never yields) come out with as
// many digits as they need, or a minus sign: not RFC 3339, but not wrong.
std::string FormatRfc3339(int64_t unix_seconds) {
  int64_t days = FloorDiv(unix_seconds, 86400);
  int64_t secs = unix_seconds % 86400;  // not unix_seconds - days * 86400: no overflow
  if (secs < 0) secs += 86400;
  Civil c = CivilFromDays(days);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(c.year),
                c.month, c.day, static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

std::string FormatDate(int64_t unix_seconds) {
  Civil c = CivilFromDays(FloorDiv(unix_seconds, 86400));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

std::string_view Event::subject_kind() const {
  return SplitSubject(subject).first;
}
std::string_view Event::subject_id() const {
  return SplitSubject(subject).second;
}

Result<Event> ParseEvent(nlohmann::json event) {
  static constexpr std::string_view kFields[] = {"v",     "type",    "time", "party",
                                                 "actor", "subject", "body"};
  if (!event.is_object()) {
    return Status::InvalidArgument("an event must be a JSON object, got " +
                                   std::string(TypeName(event)));
  }
  for (const auto& [key, value] : event.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), key) == std::end(kFields)) {
      return Status::InvalidArgument("unknown field " + Quote(key) +
                                     " (allowed: " + kAllowedEventFields + ")");
    }
  }
  for (std::string_view f : kFields) {
    if (!event.contains(f)) {
      return Status::InvalidArgument("missing field \"" + std::string(f) + "\"");
    }
  }
  Event e;
  const json& v = event["v"];
  if (!v.is_number_integer() || v.get<int64_t>() != 1) {
    return FieldError("v", "expected the integer 1 (envelope version), got " + Describe(v));
  }
  e.version = 1;

  const json& type = event["type"];
  if (!type.is_string()) return FieldError("type", "expected a string, got " + Describe(type));
  e.type = type.get<std::string>();
  if (!IsEventType(e.type)) {
    return FieldError("type", Quote(e.type) +
                                  " is not an event type noun.verb_past (lowercase letters and "
                                  "'_', e.g. \"agreement.ratified\")");
  }

  const json& time = event["time"];
  if (!time.is_string()) return FieldError("time", "expected a string, got " + Describe(time));
  e.time = time.get<std::string>();
  auto t = ParseRfc3339(e.time);
  if (!t.ok()) return t.status().WithContext("time");
  e.time_unix = *t;

  ASSIGN_OR_RETURN(e.party, TextField(event, "party"));
  ASSIGN_OR_RETURN(e.actor, TextField(event, "actor"));
  ASSIGN_OR_RETURN(e.subject, TextField(event, "subject"));
  auto [kind, id] = SplitSubject(e.subject);
  if (!IsLowerWord(kind) || id.empty()) {
    return FieldError("subject", Quote(e.subject) +
                                     " is not <kind>/<id> with a lowercase kind (e.g. "
                                     "\"contract/RU-UZ-2018-001\")");
  }

  const json& body = event["body"];
  if (!body.is_object()) {
    return FieldError("body", "expected a JSON object, got " + std::string(TypeName(body)));
  }
  // Everything inside must be canonical-JSON material (no floats, unsafe
  // integers or invalid UTF-8), or the event could not be signed.
  auto canonical = CanonicalJson(event);
  if (!canonical.ok()) return canonical.status();

  e.json = std::move(event);
  e.canonical = std::move(canonical).value();
  return e;
}

std::string SigningMessage(const Event& event) {
  return std::string(kEventSignaturePrefix) + event.canonical;
}

Result<std::string> SigningMessage(const nlohmann::json& event) {
  ASSIGN_OR_RETURN(std::string canonical, CanonicalJson(event));
  return std::string(kEventSignaturePrefix) + canonical;
}

Result<std::optional<PresignedEvent>> SplitPresigned(const nlohmann::json& object) {
  if (!object.is_object()) {
    return Status::InvalidArgument("expected a JSON object, got " + std::string(TypeName(object)));
  }
  bool has_key = object.contains("key");
  bool has_sig = object.contains("sig");
  if (!has_key && !has_sig) return std::optional<PresignedEvent>();
  if (!has_key || !has_sig) {
    return Status::InvalidArgument(std::string("missing field \"") + (has_key ? "sig" : "key") +
                                   "\" (a signed event carries both \"key\" and \"sig\")");
  }
  PresignedEvent p;
  const json& key = object["key"];
  auto key_id = key.is_string() ? ParseKeyIdHex(key.get_ref<const std::string&>())
                                : Result<uint32_t>(Status::InvalidArgument("not a string"));
  if (!key_id.ok()) {
    return FieldError("key",
                      "expected the signer's key id as 8 hex digits (e.g. \"0a1b2c3d\"), "
                      "got " +
                          Describe(key));
  }
  p.key_id = *key_id;
  const json& sig = object["sig"];
  auto signature = sig.is_string() ? Base64Decode(sig.get_ref<const std::string&>())
                                   : Result<std::string>(Status::InvalidArgument("not a string"));
  if (!signature.ok() || signature->size() != 64) {
    return FieldError(
        "sig", "expected a base64 Ed25519 signature (64 bytes), got " +
                   (signature.ok() ? std::to_string(signature->size()) + " bytes" : Describe(sig)));
  }
  p.signature = std::move(signature).value();
  p.event = object;
  p.event.erase("key");
  p.event.erase("sig");
  return std::optional<PresignedEvent>(std::move(p));
}

namespace {

// The leaf around an event already in canonical form.
Result<std::string> LeafAround(std::string_view canonical_event, uint32_t key_id,
                               std::string_view signature, std::string_view logged_at) {
  if (signature.size() != 64) {
    return Status::InvalidArgument("leaf: the signature must be 64 bytes, got " +
                                   std::to_string(signature.size()));
  }
  if (!IsUtcDateTime(logged_at)) {
    return Status::InvalidArgument("leaf: logged-at time " + Quote(logged_at) +
                                   " is not an RFC 3339 date-time in UTC (ending in Z)");
  }
  // Members in key order: e < k < s < t.
  std::string leaf;
  leaf.reserve(canonical_event.size() + 160);
  leaf += "{\"e\":";
  leaf += canonical_event;
  leaf += ",\"k\":\"" + KeyIdHex(key_id) + "\",\"s\":\"" + Base64Encode(signature) + "\",\"t\":";
  WriteString(leaf, logged_at);
  leaf += '}';
  if (leaf.size() > kMaxLeafBytes) {
    return Status::InvalidArgument("leaf: " + std::to_string(leaf.size()) +
                                   " bytes is too large (at most " + std::to_string(kMaxLeafBytes) +
                                   ")");
  }
  return leaf;
}

}  // namespace

Result<std::string> MakeLeaf(const nlohmann::json& event, uint32_t key_id,
                             std::string_view signature, std::string_view logged_at) {
  if (!event.is_object()) {
    return Status::InvalidArgument("leaf: the event must be a JSON object, got " +
                                   std::string(TypeName(event)));
  }
  CanonicalWriter w;
  RETURN_IF_ERROR(w.Write(event).WithContext("leaf: event"));
  if (w.max_depth() > kMaxJsonDepth) {
    return Status::InvalidArgument("leaf: event nested deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels");
  }
  return LeafAround(w.out(), key_id, signature, logged_at);
}

Result<std::string> MakeLeaf(const Event& event, uint32_t key_id, std::string_view signature,
                             std::string_view logged_at) {
  return LeafAround(event.canonical, key_id, signature, logged_at);
}

Result<Leaf> ParseLeaf(std::string_view text) {
  auto parsed = ParseStrict(text, kMaxLeafBytes, kMaxLeafDepth);
  if (!parsed.ok()) return parsed.status().WithContext("leaf");
  json& j = *parsed;
  if (!j.is_object()) {
    return Status::InvalidArgument("leaf: expected a JSON object, got " + std::string(TypeName(j)));
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "e" && key != "k" && key != "s" && key != "t") {
      return Status::InvalidArgument("leaf: unknown field " + Quote(key) +
                                     " (allowed: e, k, s, t)");
    }
  }
  for (const char* f : {"e", "k", "s", "t"}) {
    if (!j.contains(f))
      return Status::InvalidArgument(std::string("leaf: missing field \"") + f + "\"");
  }
  Leaf leaf;
  if (!j["e"].is_object()) {
    return Status::InvalidArgument("leaf: e: expected the event object, got " +
                                   std::string(TypeName(j["e"])));
  }
  const json& k = j["k"];
  auto key_id = k.is_string() ? ParseKeyIdHex(k.get_ref<const std::string&>())
                              : Result<uint32_t>(Status::InvalidArgument("not a string"));
  if (!key_id.ok() || k.get_ref<const std::string&>() != KeyIdHex(*key_id)) {
    return Status::InvalidArgument("leaf: k: expected 8 lowercase hex digits, got " + Describe(k));
  }
  leaf.key_id = *key_id;
  const json& s = j["s"];
  auto signature = s.is_string() ? Base64Decode(s.get_ref<const std::string&>())
                                 : Result<std::string>(Status::InvalidArgument("not a string"));
  if (!signature.ok() || signature->size() != 64) {
    return Status::InvalidArgument("leaf: s: expected a base64 signature of 64 bytes, got " +
                                   Describe(s));
  }
  leaf.signature = std::move(signature).value();
  const json& t = j["t"];
  if (!t.is_string() || !IsUtcDateTime(t.get_ref<const std::string&>())) {
    return Status::InvalidArgument("leaf: t: expected an RFC 3339 date-time in UTC, got " +
                                   Describe(t));
  }
  leaf.logged_at = t.get<std::string>();
  auto canonical = CanonicalJson(j);
  if (!canonical.ok()) return canonical.status().WithContext("leaf");
  if (*canonical != text) return Status::InvalidArgument("leaf is not canonical");
  leaf.event = std::move(j["e"]);
  return leaf;
}

std::string KeyIdHex(uint32_t key_id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(key_id));
  return buf;
}

Result<uint32_t> ParseKeyIdHex(std::string_view hex) {
  bool ok = hex.size() == 8;
  uint32_t v = 0;
  for (size_t i = 0; ok && i < hex.size(); ++i) {
    char c = hex[i];
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (d < 0) ok = false;
    v = (v << 4) | static_cast<uint32_t>(d & 15);
  }
  if (!ok) {
    return Status::InvalidArgument("key id " + Quote(hex) +
                                   " is not 8 hex digits (e.g. \"0a1b2c3d\")");
  }
  return v;
}

}  // namespace accord::domain
