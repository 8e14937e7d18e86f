#include "domain/civil_time.h"

#include <cstdio>

#include "util/utf8.h"

namespace accord::domain {
namespace {

constexpr char kDateTimeExample[] = "expected e.g. 2018-06-01T00:00:00Z";

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

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  auto r = ParseDateTime(text);
  if (r.ok()) return r;
  return Status::InvalidArgument(QuoteForMessage(text) + " is not an RFC 3339 date-time (" +
                                 kDateTimeExample + "): " + r.status().message());
}

Result<int64_t> ParseDate(std::string_view text) {
  auto r = ParseFullDate(text);
  if (r.ok() && text.size() != 10) {
    r = Status::InvalidArgument("unexpected text after the date");
  }
  if (!r.ok()) {
    return Status::InvalidArgument(QuoteForMessage(text) +
                                   " is not a date (expected YYYY-MM-DD, e.g. " +
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

}  // namespace accord::domain
