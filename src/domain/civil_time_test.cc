#include "domain/civil_time.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace accord::domain {
namespace {

TEST(Rfc3339Test, Valid) {
  struct Case {
    std::string_view text;
    int64_t unix;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2016-11-29T00:00:00Z", 1480377600},
      {"2017-03-30T12:00:00+05:00", 1490857200},
      {"2017-03-30T07:00:00Z", 1490857200},
      {"2017-03-30T02:00:00-05:00", 1490857200},
      {"2017-03-30T07:00:00+00:00", 1490857200},
      {"2017-03-30T07:00:00-00:00", 1490857200},
      {"2017-03-30T12:30:00+05:30", 1490857200},
      {"2018-06-01T00:00:00Z", 1527811200},
      {"2018-06-01T00:00:00.5Z", 1527811200},          // fractions are dropped
      {"2018-06-01T00:00:00.999999999Z", 1527811200},  // not rounded
      {"2020-02-29T00:00:00Z", 1582934400},            // leap day
      {"2020-02-29T23:59:59Z", 1583020799},
      {"2000-02-29T00:00:00Z", 951782400},  // 2000 is a leap year
      {"2024-02-29T12:00:00Z", 1709208000},
      {"1969-12-31T23:59:59Z", -1},
      {"1900-03-01T00:00:00Z", -2203891200},
      {"1970-01-01T00:00:00+23:59", -86340},
      {"1970-01-01T00:00:00-23:59", 86340},
      {"9999-12-31T23:59:59Z", 253402300799},
      {"0000-01-01T00:00:00Z", -62167219200},
      // A leap second reads as 23:59:59 UTC.
      {"2016-12-31T23:59:60Z", 1483228799},
      {"2017-01-01T05:29:60+05:30", 1483228799},
  };
  for (const auto& c : cases) {
    auto r = ParseRfc3339(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().message();
    EXPECT_EQ(*r, c.unix) << c.text;
  }
}

TEST(Rfc3339Test, Invalid) {
  struct Case {
    std::string_view text;
    std::string_view reason;
  };
  const Case cases[] = {
      {"2019-02-29T00:00:00Z", "day 29 is out of range for 2019-02 (it has 28 days)"},
      {"1900-02-29T00:00:00Z", "day 29 is out of range for 1900-02"},
      {"2018-04-31T00:00:00Z", "day 31 is out of range for 2018-04"},
      {"2018-01-00T00:00:00Z", "day 00 is out of range"},
      {"2018-13-01T00:00:00Z", "month 13 is out of range"},
      {"2018-00-01T00:00:00Z", "month 00 is out of range"},
      {"2018-13-01", "month 13"},
      {"2018-06-01", "a date without a time of day"},
      {"2018-06-01T24:00:00Z", "hour 24 is out of range"},
      {"2018-06-01T23:60:00Z", "minute 60 is out of range"},
      {"2018-06-01T23:59:61Z", "second 61 is out of range"},
      {"2018-06-01T12:00:60Z", "leap second"},
      {"2018-06-01T00:00:00", "missing the time zone offset"},
      {"2018-06-01T00:00:00+24:00", "out of range (at most 23:59)"},
      {"2018-06-01T00:00:00+05:60", "out of range"},
      {"2018-06-01T00:00:00+0500", "the offset must be"},
      {"2018-06-01T00:00:00+05", "the offset must be"},
      {"2018-06-01t00:00:00Z", "expected 'T'"},  // lowercase: not accepted
      {"2018-06-01T00:00:00z", "missing the time zone offset"},
      {"2018-06-01 00:00:00Z", "expected 'T'"},
      {"2018-06-01T00:00:00.Z", "1 to 9 digits"},
      {"2018-06-01T00:00:00.1234567890Z", "1 to 9 digits"},
      {"2018-06-01T00:00:00ZZ", "unexpected text after the offset"},
      {"2018-06-01T00:00:00Z ", "unexpected text"},
      {"2018-6-01T00:00:00Z", "YYYY-MM-DD"},
      {"18-06-01T00:00:00Z", "YYYY-MM-DD"},
      {"+2018-06-01T00:00:00Z", "YYYY-MM-DD"},
      {"2018-06-01T0:00:00Z", "HH:MM:SS"},
      {"2018-06-01T00:00Z", "HH:MM:SS"},
      {"", "YYYY-MM-DD"},
      {"yesterday", "YYYY-MM-DD"},
  };
  for (const auto& c : cases) {
    auto r = ParseRfc3339(c.text);
    ASSERT_FALSE(r.ok()) << "accepted " << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    const std::string& m = r.status().message();
    EXPECT_NE(m.find("is not an RFC 3339 date-time (expected e.g. 2018-06-01T00:00:00Z)"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find(c.reason), std::string::npos) << m << " / expected: " << c.reason;
  }
}

TEST(Rfc3339Test, FormatIsTheInverse) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1480377600), "2016-11-29T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1490857200), "2017-03-30T07:00:00Z");
  EXPECT_EQ(FormatRfc3339(1583020799), "2020-02-29T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(-62167219200), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatDate(1583020799), "2020-02-29");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  // Every day of 1899-2101 (leap years and century rules) round trips.
  int64_t first = ParseDate("1899-01-01").value();
  int64_t last = ParseDate("2101-12-31").value();
  for (int64_t t = first; t <= last; t += 86400) {
    std::string s = FormatRfc3339(t + 45296);  // 12:34:56
    ASSERT_EQ(ParseRfc3339(s).value(), t + 45296) << s;
    ASSERT_EQ(ParseDate(FormatDate(t)).value(), t) << FormatDate(t);
  }
  EXPECT_EQ((last - first) / 86400 + 1,
            203 * 365 + 49);  // leap years 1904..2096 (1900, 2100 are not)
  // Values far outside the years 0000-9999 do not crash.
  EXPECT_FALSE(FormatRfc3339(INT64_MAX).empty());
  EXPECT_FALSE(FormatRfc3339(INT64_MIN).empty());
  EXPECT_FALSE(FormatDate(INT64_MIN).empty());
}

TEST(DateTest, ParseDate) {
  EXPECT_EQ(ParseDate("1970-01-01").value(), 0);
  EXPECT_EQ(ParseDate("2016-11-29").value(), 1480377600);
  EXPECT_EQ(ParseDate("2020-02-29").value(), 1582934400);
  EXPECT_EQ(ParseDate("2000-02-29").value(), 951782400);
  for (std::string_view bad : {"2019-02-29", "1900-02-29", "2018-13-01", "2018-06-31", "2018-6-1",
                               "2018-06-01T00:00:00Z", "2018-06-01 ", "20180601", ""}) {
    auto r = ParseDate(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("is not a date (expected YYYY-MM-DD"), std::string::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace accord::domain
