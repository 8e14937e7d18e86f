// Clang's thread-safety analysis (-Wthread-safety): annotations that let the
// compiler check that a member marked GUARDED_BY(mu_) is touched only with
// mu_ held, and a Mutex, MutexLock and CondVar that carry the capability
// attributes (libstdc++'s std::mutex does not, so the analysis cannot see
// through std::lock_guard). On other compilers the macros expand to nothing
// and the wrappers are plain std::mutex / std::condition_variable.
//
// Usage, as in leveldb:
//   util::Mutex mu_;
//   std::deque<Job> queue_ GUARDED_BY(mu_);
//   void Drain() REQUIRES(mu_);
//   { util::MutexLock lock(&mu_); queue_.push_back(job); }
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define ACCORD_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define ACCORD_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) ACCORD_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY ACCORD_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) ACCORD_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) ACCORD_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) ACCORD_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) ACCORD_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) ACCORD_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define EXCLUDES(...) ACCORD_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) ACCORD_THREAD_ANNOTATION(assert_capability(x))
#define NO_THREAD_SAFETY_ANALYSIS ACCORD_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace accord::util {

class CondVar;

// A std::mutex the analysis knows as a capability.
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  // Tells the analysis the caller holds the lock (no run-time check).
  void AssertHeld() ASSERT_CAPABILITY(this) {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` for its scope.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// A condition variable. Wait(mu) must be called with `mu` held and returns
// with it held (it is released while waiting); passing the mutex, as abseil
// does, lets the analysis check the caller holds it. Wait on one Mutex only.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void Wait(Mutex* mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // Like Wait, but returns false once `timeout` has passed without a signal
  // (a spurious wake-up also returns true: callers re-check their state).
  bool WaitFor(Mutex* mu, std::chrono::milliseconds timeout) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    bool signalled = cv_.wait_for(lock, timeout) == std::cv_status::no_timeout;
    lock.release();
    return signalled;
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace accord::util
