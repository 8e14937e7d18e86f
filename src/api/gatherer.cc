// api::Gatherer (api/gatherer.h): the workers that ask witnesses for
// cosignatures, and the protocol's pieces they use. The HTTP client
// (cpp-httplib) is used here only.
#include "api/gatherer.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "log/log.h"
#include "note/note.h"
#include "storage/database.h"
#include "util/encoding.h"

namespace accord::api {

namespace {

constexpr std::string_view kMetaPrefix = "witness_cosigned:";
constexpr std::string_view kTlogSize = "text/x.tlog.size";

// The first line of `s`, at most `max` bytes, for messages.
std::string FirstLine(std::string_view s, size_t max = 200) {
  s = s.substr(0, s.find('\n'));
  if (s.size() > max) return std::string(s.substr(0, max)) + "...";
  return std::string(s);
}

}  // namespace

// --- The protocol's pieces ---------------------------------------------------

Result<WitnessUrl> ParseWitnessUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(
        "witness URL \"" + FirstLine(url) + "\": " + why +
        "; expected http://HOST[:PORT][/PREFIX] or https://..., the witness's submission "
        "prefix (requests go to <prefix>/add-checkpoint)");
  };
  WitnessUrl u;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
    u.port = 80;
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
    u.tls = true;
    u.port = 443;
  } else {
    return bad("the scheme must be http or https");
  }
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return bad("spaces and control characters are not allowed");
    }
  }
  if (rest.find_first_of("?#") != std::string_view::npos) return bad("no query or fragment");
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return bad("no user name or password");
  std::string_view port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 address needs its closing ]");
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("only :PORT may follow ]");
      has_port = true;
      port = after.substr(1);
    }
  } else {
    size_t colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      has_port = true;
      port = authority.substr(colon + 1);
    }
  }
  if (u.host.empty()) return bad("no host");
  if (has_port) {
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos) {
      return bad("the port must be a number 1-65535");
    }
    int p = std::stoi(std::string(port));
    if (p < 1 || p > 65535) return bad("the port must be a number 1-65535");
    u.port = p;
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  u.path = std::string(path) + "/add-checkpoint";
  return u;
}

std::string AddCheckpointBody(uint64_t old_size, const std::vector<Hash>& proof,
                              std::string_view checkpoint) {
  std::string body = "old " + std::to_string(old_size) + "\n";
  for (const Hash& h : proof) body += Base64Encode(AsBytes(h)) + "\n";
  body += "\n";
  body.append(checkpoint);
  return body;
}

Result<uint64_t> ParseTlogSize(std::string_view body) {
  std::string_view digits = body;
  if (digits.ends_with('\n')) digits.remove_suffix(1);
  uint64_t size = 0;
  if (!note::ParseDecimal(digits, &size)) {
    return Status::InvalidArgument(
        "a text/x.tlog.size body must be a decimal size and a newline, "
        "not \"" +
        FirstLine(body, 40) + "\"");
  }
  return size;
}

Result<std::string> CosignatureFromAnswer(std::string_view checkpoint, std::string_view body,
                                          const note::VerifierKey& witness) {
  ASSIGN_OR_RETURN(note::Note cp, note::ParseNote(checkpoint));
  if (!body.ends_with('\n')) {
    return Status::InvalidArgument("the answer is not note signature lines (\"" + FirstLine(body) +
                                   "\"): it does not end in a newline");
  }
  std::string combined = cp.text + "\n" + std::string(body);
  auto lines = note::ParseNote(combined);
  if (!lines.ok()) {
    return Status::InvalidArgument("the answer is not note signature lines: " +
                                   lines.status().message());
  }
  auto verified = note::Verify(combined, {witness});
  if (!verified.ok()) {
    return Status::VerificationFailed("no valid cosignature by " + witness.name +
                                      " in the answer: " + verified.status().message());
  }
  for (const note::VerifiedSignature& v : verified->verified) {
    if (v.timestamp && *v.timestamp == 0) {
      return Status::VerificationFailed("the cosignature by " + witness.name +
                                        " has timestamp 0 (tlog-witness forbids it)");
    }
  }
  // The answer's lines in order, one per parsed signature.
  std::string_view rest = body;
  for (const note::NoteSignature& s : lines->signatures) {
    size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol + 1);
    rest.remove_prefix(eol + 1);
    if (s.name == witness.name && s.key_id == witness.key_id) return std::string(line);
  }
  return Status::Internal("a verified cosignature line was not found again");
}

std::string WitnessSizeMetaKey(const note::VerifierKey& witness) {
  return std::string(kMetaPrefix) + witness.Encode();
}

// --- The workers -------------------------------------------------------------

struct Gatherer::Worker {
  size_t index = 0;
  note::PolicyWitness witness;
  WitnessUrl url;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<log::Log> log;
  std::unique_ptr<httplib::ClientImpl> http;
  uint64_t known = 0;  // the size the witness last cosigned, as far as known (worker only)
  // No request before this (a 429's Retry-After; worker only).
  std::chrono::steady_clock::time_point not_before{};
  std::atomic<bool> finished{false};
  std::thread thread;
};

Gatherer::Gatherer(GathererOptions options) : options_(std::move(options)) {}

Gatherer::~Gatherer() {
  Stop();
}

void Gatherer::Tell(const std::string& line) const {
  if (options_.log) options_.log(line);
}

Result<std::unique_ptr<Gatherer>> Gatherer::Start(GathererOptions options) {
  std::unique_ptr<Gatherer> g(new Gatherer(std::move(options)));
  const GathererOptions& o = g->options_;
  ASSIGN_OR_RETURN(auto db, storage::OpenDatabase(o.db));
  ASSIGN_OR_RETURN(auto log, log::Log::Open(db->log(), nullptr));
  if (!o.policy.logs.empty()) {
    bool listed = std::any_of(o.policy.logs.begin(), o.policy.logs.end(), [&](const auto& l) {
      return l.key.public_key == log->verifier().public_key && l.key.name == log->origin();
    });
    if (!listed) {
      return Status::InvalidArgument("the policy lists no key of this log; add the line \"log " +
                                     log->verifier().Encode() + "\"");
    }
  }
  ASSIGN_OR_RETURN(std::string latest, log->Checkpoint());
  ASSIGN_OR_RETURN(note::Note latest_note, note::ParseNote(latest));
  ASSIGN_OR_RETURN(note::Checkpoint latest_cp, note::ParseCheckpoint(latest_note.text));
  std::vector<WitnessState> states;
  for (const note::PolicyWitness& pw : o.policy.witnesses) {
    if (pw.url.empty()) {
      g->Tell("cosignatures: witness " + pw.name +
              " has no URL in the policy; its cosignatures are not gathered");
      continue;
    }
    auto url = ParseWitnessUrl(pw.url);
    if (!url.ok()) return url.status().WithContext("policy witness " + pw.name);
    auto w = std::make_unique<Worker>();
    w->index = g->workers_.size();
    w->witness = pw;
    w->url = *url;
    ASSIGN_OR_RETURN(w->db, storage::OpenDatabase(o.db));
    ASSIGN_OR_RETURN(w->log, log::Log::Open(w->db->log(), nullptr));
    if (url->tls) {
      w->http = std::make_unique<httplib::SSLClient>(url->host, url->port);
    } else {
      w->http = std::make_unique<httplib::ClientImpl>(url->host, url->port);
    }
    w->http->set_keep_alive(true);
    w->http->set_tcp_nodelay(true);  // else Nagle holds the body back ~40 ms
    // Where the witness was: the size recorded with its last stored
    // cosignature, or the latest checkpoint if that carries its line.
    ASSIGN_OR_RETURN(std::optional<std::string> hint,
                     w->db->log().GetMeta(WitnessSizeMetaKey(pw.key)));
    uint64_t size = 0;
    if (hint && note::ParseDecimal(*hint, &size)) w->known = size;
    for (const note::NoteSignature& s : latest_note.signatures) {
      if (s.name == pw.key.name && s.key_id == pw.key.key_id) {
        w->known = std::max(w->known, latest_cp.size);
      }
    }
    states.push_back({pw.name, pw.url, w->known, 0, 0, ""});
    g->workers_.push_back(std::move(w));
  }
  if (g->workers_.empty()) {
    return Status::InvalidArgument(
        "the policy names no witness with a URL (\"witness NAME VKEY URL\"): there is no one to "
        "ask for cosignatures");
  }
  {
    util::MutexLock lock(&g->mu_);
    g->states_ = std::move(states);
  }
  for (auto& w : g->workers_) {
    Worker* p = w.get();
    Gatherer* self = g.get();
    w->thread = std::thread([self, p] {
      self->Run(*p);
      p->finished = true;
    });
  }
  return g;
}

void Gatherer::Notify() {
  {
    util::MutexLock lock(&mu_);
    ++generation_;
  }
  cv_.SignalAll();
}

void Gatherer::Stop() {
  {
    util::MutexLock lock(&mu_);
    stopping_ = true;
  }
  cv_.SignalAll();
  for (auto& w : workers_) {
    // Cuts an exchange in flight short; repeated in case one was starting.
    while (w->thread.joinable() && !w->finished) {
      w->http->stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (w->thread.joinable()) w->thread.join();
  }
}

std::vector<WitnessState> Gatherer::Witnesses() const {
  util::MutexLock lock(&mu_);
  return states_;
}

void Gatherer::Run(Worker& w) {
  uint64_t seen = 0;
  int failures = 0;
  for (bool first = true;; first = false) {
    {
      util::MutexLock lock(&mu_);
      if (!first) {
        auto wait = options_.poll;
        for (int i = 1; i < failures && wait < options_.max_backoff; ++i) wait *= 2;
        wait = std::min(wait, options_.max_backoff);
        // A witness that asked for a pause gets it, whatever is committed.
        for (auto now = std::chrono::steady_clock::now(); !stopping_ && now < w.not_before;
             now = std::chrono::steady_clock::now()) {
          cv_.WaitFor(&mu_, std::chrono::ceil<std::chrono::milliseconds>(w.not_before - now));
        }
        while (!stopping_ && generation_ == seen) {
          if (!cv_.WaitFor(&mu_, wait)) break;
        }
      }
      if (stopping_) return;
      seen = generation_;
    }
    Status s = Exchange(w);
    std::string error = s.ok() ? "" : s.message();
    bool changed = false;
    {
      util::MutexLock lock(&mu_);
      if (stopping_) return;  // an exchange cut short by Stop() is no failure to report
      WitnessState& st = states_[w.index];
      changed = st.error != error;
      st.error = error;
      st.cosigned_size = w.known;
    }
    if (changed) {
      Tell("cosignatures: witness " + w.witness.name + " (" + w.witness.url +
           "): " + (s.ok() ? std::string("cosigning") : error));
    }
    failures = s.ok() ? 0 : failures + 1;
  }
}

Status Gatherer::Exchange(Worker& w) {
  const note::VerifierKey& key = w.witness.key;
  ASSIGN_OR_RETURN(std::string checkpoint, w.log->Checkpoint());
  ASSIGN_OR_RETURN(note::Note parsed, note::ParseNote(checkpoint));
  ASSIGN_OR_RETURN(note::Checkpoint cp, note::ParseCheckpoint(parsed.text));
  for (const note::NoteSignature& s : parsed.signatures) {
    if (s.name == key.name && s.key_id == key.key_id) {
      w.known = std::max(w.known, cp.size);
      return Status::Ok();  // cosigned already
    }
  }
  const std::string where = "POST " + w.witness.url + "/add-checkpoint";
  auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  uint64_t old = w.known;
  for (int attempt = 0;; ++attempt) {
    if (old > cp.size) {
      return Status::FailedPrecondition(
          "the witness has cosigned size " + std::to_string(old) +
          ", more than this log's latest checkpoint (size " + std::to_string(cp.size) +
          "): it has seen a larger tree under this origin (another log with this key, or "
          "entries this log has lost)");
    }
    std::vector<Hash> proof;
    if (old > 0 && old < cp.size) {
      ASSIGN_OR_RETURN(proof, w.log->ConsistencyProof(old, cp.size));
    }
    std::string body = AddCheckpointBody(old, proof, checkpoint);
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Status::IoError(where + ": no answer within " +
                             std::to_string(options_.timeout.count()) + " ms");
    }
    auto sec = static_cast<time_t>(left.count() / 1000000);
    auto usec = static_cast<time_t>(left.count() % 1000000);
    w.http->set_connection_timeout(sec, usec);
    w.http->set_read_timeout(sec, usec);
    w.http->set_write_timeout(sec, usec);
    httplib::Result res = w.http->Post(w.url.path, body, "text/plain; charset=utf-8");
    if (!res) {
      return Status::IoError(where + ": " + httplib::to_string(res.error()) + " (timeout " +
                             std::to_string(options_.timeout.count()) + " ms)");
    }
    if (res->status == 200) {
      auto line = CosignatureFromAnswer(checkpoint, res->body, key);
      if (!line.ok()) return line.status().WithContext(where + " answered 200, but");
      uint64_t n = cp.size;
      std::string meta_key = WitnessSizeMetaKey(key);
      ASSIGN_OR_RETURN(size_t added, w.log->AddCosignaturesAt(
                                         n, *line, {key}, [&](storage::LogWriteTxn& txn, uint64_t) {
                                           return txn.PutMeta(meta_key, std::to_string(n));
                                         }));
      w.known = n;
      util::MutexLock lock(&mu_);
      states_[w.index].cosignatures += added;
      return Status::Ok();
    }
    if (res->status == 429) {
      // Too many requests: wait as long as the witness asks (a whole number
      // of seconds; 1 if it does not say), up to max_backoff.
      uint64_t after = 1;
      std::string header = res->get_header_value("Retry-After");
      if (!note::ParseDecimal(header, &after) || after == 0) after = 1;
      auto pause = std::min<std::chrono::milliseconds>(
          options_.max_backoff,
          std::chrono::seconds(static_cast<int64_t>(std::min<uint64_t>(after, 3600))));
      w.not_before = std::chrono::steady_clock::now() + pause;
      return Status::ResourceExhausted(where + " answered 429 (too many requests): next try in " +
                                       std::to_string(pause.count()) + " ms");
    }
    std::string type = res->get_header_value("Content-Type");
    if (res->status == 409 && type.starts_with(kTlogSize)) {
      auto at = ParseTlogSize(res->body);
      if (!at.ok()) return at.status().WithContext(where + " answered 409");
      if (attempt > 0 || *at == old) {
        return Status::FailedPrecondition(
            where + " refused the checkpoint of size " + std::to_string(cp.size) +
            " from old size " + std::to_string(old) + " (409, its size is " + std::to_string(*at) +
            ")" +
            (*at == cp.size ? ": it holds another checkpoint of that size; the log may have forked"
                            : ""));
      }
      Tell("cosignatures: witness " + w.witness.name + " is at size " + std::to_string(*at) +
           ", not " + std::to_string(old) + " (409): retrying from " + std::to_string(*at));
      {
        util::MutexLock lock(&mu_);
        ++states_[w.index].conflicts;
      }
      w.known = *at;
      old = *at;
      continue;
    }
    return Status::FailedPrecondition(where + " answered " + std::to_string(res->status) + ": " +
                                      FirstLine(res->body));
  }
}

}  // namespace accord::api
