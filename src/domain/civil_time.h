// Civil dates and time stamps: RFC 3339 date-times and YYYY-MM-DD dates on
// the proleptic Gregorian calendar, as seconds since the Unix epoch (UTC).
// Events are dated with these; rules compare and add whole days.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace accord::domain {

// A time stamp as RFC 3339 (date-time with a 'Z' or ±hh:mm offset, optional
// fractional seconds) or a full date YYYY-MM-DD where the field is a date.
// Parses into seconds since the Unix epoch (UTC), validating the calendar
// (month lengths, leap years).
Result<int64_t> ParseRfc3339(std::string_view text);
Result<int64_t> ParseDate(std::string_view text);  // YYYY-MM-DD -> midnight UTC
// Formats seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatRfc3339(int64_t unix_seconds);
// Formats as "YYYY-MM-DD".
std::string FormatDate(int64_t unix_seconds);

}  // namespace accord::domain
