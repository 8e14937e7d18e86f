// The per-caller rate limit of the API: a token bucket per user (anonymous
// readers: per client address) holding up to `burst` requests, refilled at
// `rate` per second. A rate of 0 or less lets everything through.
// Thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>

#include "util/thread_annotations.h"

namespace accord::api {

class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // 0 if the request may proceed, else the seconds to wait.
  int Take(const std::string& user) EXCLUDES(mu_) {
    if (rate_ <= 0) return 0;
    auto now = std::chrono::steady_clock::now();
    util::MutexLock lock(&mu_);
    auto [it, fresh] = buckets_.try_emplace(user, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
      double dt = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst_, b.tokens + dt * rate_);
      b.last = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double rate_, burst_;
  util::Mutex mu_;
  std::map<std::string, Bucket> buckets_ GUARDED_BY(mu_);
};

}  // namespace accord::api
