#include "log/witness.h"

#include <ctime>

#include "merkle/hasher.h"
#include "merkle/proof.h"
#include "note/checkpoint.h"
#include "util/encoding.h"

namespace accord::log {
namespace {

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";

WitnessAnswer Refuse(int status, std::string message) {
  WitnessAnswer a;
  a.status = status;
  a.content_type = std::string(kTextPlain);
  a.body = message + "\n";
  a.message = std::move(message);
  return a;
}

WitnessAnswer Conflict(uint64_t size, std::string message) {
  WitnessAnswer a;
  a.status = 409;
  a.content_type = std::string(kTlogSizeContentType);
  a.body = std::to_string(size) + "\n";
  a.message = std::move(message);
  return a;
}

struct Request {
  uint64_t old_size = 0;
  std::vector<std::string> proof;
  std::string_view checkpoint;  // the signed note
};

// Splits the body: "old N\n", proof lines, "\n", the checkpoint note.
Result<Request> ParseRequest(std::string_view body) {
  Request r;
  size_t line_no = 0;
  auto next_line = [&](std::string_view* line) -> bool {
    size_t nl = body.find('\n');
    if (nl == std::string_view::npos) return false;
    *line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    ++line_no;
    return true;
  };
  std::string_view line;
  if (!next_line(&line) || !line.starts_with("old ") ||
      !note::ParseDecimal(line.substr(4), &r.old_size)) {
    return Status::InvalidArgument(
        "line 1 must be \"old <size>\" (decimal, no leading zeros) ending in a newline");
  }
  while (true) {
    if (!next_line(&line)) {
      return Status::InvalidArgument("no blank line after the old size and proof lines");
    }
    if (line.empty()) break;
    if (r.proof.size() == kMaxWitnessProofLines) {
      return Status::InvalidArgument("more than " + std::to_string(kMaxWitnessProofLines) +
                                     " consistency proof lines");
    }
    auto h = Base64Decode(line);
    if (!h.ok() || h->size() != kHashSize) {
      return Status::InvalidArgument("line " + std::to_string(line_no) +
                                     " is not the base64 of a 32-byte hash");
    }
    r.proof.push_back(std::move(h).value());
  }
  r.checkpoint = body;
  return r;
}

}  // namespace

std::string FormatUtc(int64_t seconds) {
  auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::unique_ptr<Witness>> Witness::Create(std::unique_ptr<storage::WitnessStore> store,
                                                 note::Signer key,
                                                 std::vector<note::VerifierKey> logs,
                                                 std::function<int64_t()> clock) {
  if (store == nullptr) return Status::InvalidArgument("witness: no store");
  if (logs.empty()) return Status::InvalidArgument("witness: no trusted log key (--witness-log)");
  for (const note::VerifierKey& k : logs) {
    if (k.alg != note::kAlgEd25519) {
      return Status::InvalidArgument("witness: log key " + k.name +
                                     " is not an Ed25519 note key (type 0x01)");
    }
    if (k.public_key == key.Verifier().public_key) {
      return Status::InvalidArgument("witness: the witness key " + key.name() +
                                     " is the same key as the log key " + k.name +
                                     "; a witness needs a key of its own");
    }
  }
  return std::unique_ptr<Witness>(
      new Witness(std::move(store), std::move(key), std::move(logs), std::move(clock)));
}

int64_t Witness::Now() const {
  return clock_ ? clock_() : static_cast<int64_t>(std::time(nullptr));
}

WitnessAnswer Witness::AddCheckpoint(std::string_view body) {
  util::MutexLock lock(&mu_);
  return Check(body);
}

WitnessAnswer Witness::Check(std::string_view body) {
  auto req = ParseRequest(body);
  if (!req.ok()) return Refuse(400, "add-checkpoint: " + req.status().message());
  auto parsed = note::ParseNote(req->checkpoint);
  if (!parsed.ok()) {
    return Refuse(
        400, "add-checkpoint: the checkpoint is not a signed note: " + parsed.status().message());
  }
  auto cp = note::ParseCheckpoint(parsed->text);
  if (!cp.ok()) return Refuse(400, "add-checkpoint: " + cp.status().message());

  std::vector<note::VerifierKey> keys;
  for (const note::VerifierKey& k : logs_) {
    if (k.name == cp->origin) keys.push_back(k);
  }
  if (keys.empty()) return Refuse(404, "add-checkpoint: unknown log origin \"" + cp->origin + "\"");
  auto verified = note::Verify(req->checkpoint, keys);
  if (!verified.ok()) {
    return Refuse(403, "add-checkpoint: the checkpoint is not signed by a trusted key of " +
                           cp->origin + ": " + verified.status().message());
  }
  uint64_t old_size = req->old_size, size = cp->size;
  if (old_size > size) {
    return Refuse(400, "add-checkpoint: old size " + std::to_string(old_size) +
                           " is larger than the checkpoint's size " + std::to_string(size));
  }
  auto latest = store_->Latest(cp->origin);
  if (!latest.ok()) return Refuse(500, "witness storage: " + latest.status().message());
  uint64_t cosigned = *latest ? (*latest)->size : 0;
  if (old_size != cosigned) {
    return Conflict(cosigned, "add-checkpoint: old size " + std::to_string(old_size) +
                                  " is not the size last cosigned for " + cp->origin + " (" +
                                  std::to_string(cosigned) + ")");
  }
  std::string root(AsBytes(cp->root));
  if (size == 0 && cp->root != merkle::EmptyRoot()) {
    return Refuse(422, "add-checkpoint: a checkpoint of size 0 must have the empty tree's root");
  }
  auto evidence = [&](std::string kind, std::string reason) -> Status {
    storage::WitnessEvidence e;
    e.origin = cp->origin;
    e.size = size;
    e.kind = std::move(kind);
    e.reason = std::move(reason);
    e.cosigned = *latest ? (*latest)->note : "";
    e.submitted = std::string(body);
    e.received = FormatUtc(Now());
    return store_->AddEvidence(e);
  };
  if (old_size == 0 || old_size == size) {
    if (!req->proof.empty()) {
      return Refuse(422,
                    "add-checkpoint: the consistency proof must be empty when the old size "
                    "is " +
                        std::string(old_size == 0 ? "0" : "the checkpoint's size"));
    }
    if (old_size != 0 && (*latest)->root != root) {
      std::string why = "same size " + std::to_string(size) +
                        " as the checkpoint cosigned before, with another root hash: the log "
                        "has forked";
      Status s = evidence("fork", why);
      if (!s.ok()) return Refuse(500, "witness storage: " + s.message());
      return Conflict(cosigned, "add-checkpoint: " + why);
    }
  } else {
    Status s = merkle::VerifyConsistency(old_size, size, (*latest)->root, root, req->proof);
    if (!s.ok()) {
      std::string why = "the consistency proof from size " + std::to_string(old_size) + " to " +
                        std::to_string(size) + " does not verify: " + s.message();
      Status e = evidence("inconsistent", why);
      if (!e.ok()) return Refuse(500, "witness storage: " + e.message());
      return Refuse(422, "add-checkpoint: " + why);
    }
  }

  int64_t now = Now();
  uint64_t ts = now > 0 ? static_cast<uint64_t>(now) : 1;  // never 0
  std::string line = key_.CosignatureLine(parsed->text, ts);
  auto with_ours = note::AddSignatureLines(req->checkpoint, line);
  storage::WitnessedCheckpoint next{cp->origin, size, root,
                                    with_ours.ok() ? *with_ours : std::string(req->checkpoint),
                                    FormatUtc(now)};
  auto advanced = store_->Advance(old_size, next);
  if (!advanced.ok()) return Refuse(500, "witness storage: " + advanced.status().message());
  if (!*advanced) {
    auto again = store_->Latest(cp->origin);
    uint64_t now_size = again.ok() && *again ? (*again)->size : 0;
    return Conflict(now_size, "add-checkpoint: another request advanced " + cp->origin +
                                  " to size " + std::to_string(now_size) + " first");
  }
  WitnessAnswer ok;
  ok.status = 200;
  ok.content_type = std::string(kTextPlain);
  ok.body = line;
  ok.message = "cosigned " + cp->origin + " at size " + std::to_string(size);
  return ok;
}

}  // namespace accord::log
