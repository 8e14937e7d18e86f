// accord log init|append|root|prove|consistency|verify-proof|checkpoint|verify|cosign.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/io.h"
#include "log/log.h"
#include "merkle/hasher.h"
#include "note/policy.h"
#include "registry/proof_json.h"
#include "registry/submission.h"
#include "storage/database.h"
#include "util/encoding.h"

namespace accord::cli {
namespace {

using nlohmann::json;

// log_meta key naming the signing key file given at `log init`.
constexpr char kMetaKeyFile[] = "signer_key_file";
// Largest input `log append` reads in one go.
constexpr size_t kMaxAppendInput = size_t{1} << 30;

struct OpenedLog {
  std::unique_ptr<storage::Database> db;
  storage::LogStore* store = nullptr;  // db->log()
  std::unique_ptr<note::Signer> signer;
  std::unique_ptr<log::Log> log;
};

// With `read_only` the database is opened storage::OpenMode::kReadOnly.
Result<OpenedLog> OpenLog(const std::string& db, bool need_signer, const std::string& key = "",
                          bool read_only = false) {
  OpenedLog o;
  auto opened = storage::OpenDatabase(
      db, read_only ? storage::OpenMode::kReadOnly : storage::OpenMode::kReadWrite);
  if (!opened.ok()) return opened.status();
  o.db = std::move(opened).value();
  o.store = &o.db->log();
  if (need_signer) {
    std::string key_path = key;
    if (key_path.empty()) {
      ASSIGN_OR_RETURN(std::optional<std::string> recorded, o.store->GetMeta(kMetaKeyFile));
      if (!recorded) {
        return Status::FailedPrecondition("no signing key recorded for " + db +
                                          "; give one with --key");
      }
      key_path = *recorded;
    }
    ASSIGN_OR_RETURN(note::Signer s, LoadSigner(key_path));
    o.signer = std::make_unique<note::Signer>(std::move(s));
  }
  auto log = log::Log::Open(*o.store, o.signer.get());
  if (!log.ok()) return log.status().WithContext(db);
  o.log = std::move(log).value();
  return o;
}

Result<uint64_t> CurrentSize(log::Log& log) {
  return log.Size();
}

// Reads a JSON field that must be an unsigned integer.
Result<uint64_t> JsonUint(const json& j, const char* name) {
  if (!j.contains(name))
    return Status::InvalidArgument(std::string("missing field \"") + name + "\"");
  const json& v = j.at(name);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
    return Status::InvalidArgument(std::string("field \"") + name +
                                   "\" must be a non-negative integer");
  }
  return v.get<uint64_t>();
}

Result<std::string> JsonHash(const json& j, const char* name) {
  if (!j.contains(name) || !j.at(name).is_string()) {
    return Status::InvalidArgument(std::string("field \"") + name + "\" must be a base64 string");
  }
  auto raw = Base64Decode(j.at(name).get<std::string>());
  if (!raw.ok()) return raw.status().WithContext(std::string("field \"") + name + "\"");
  return raw;
}

Result<std::vector<std::string>> JsonProof(const json& j) {
  // Go's encoding/json writes an empty proof as null.
  if (j.contains("proof") && j.at("proof").is_null()) return std::vector<std::string>();
  if (!j.contains("proof") || !j.at("proof").is_array()) {
    return Status::InvalidArgument("field \"proof\" must be an array of base64 strings");
  }
  std::vector<std::string> out;
  size_t i = 0;
  for (const json& e : j.at("proof")) {
    if (!e.is_string()) {
      return Status::InvalidArgument("proof[" + std::to_string(i) + "] must be a base64 string");
    }
    auto raw = Base64Decode(e.get<std::string>());
    if (!raw.ok()) return raw.status().WithContext("proof[" + std::to_string(i) + "]");
    out.push_back(*raw);
    ++i;
  }
  return out;
}

}  // namespace

int RunLogInit(const LogInitOptions& o) {
  auto signer = LoadSigner(o.key);
  if (!signer.ok()) return Fail(signer.status());
  auto store = storage::CreateDatabase(o.db);
  if (!store.ok()) return Fail(store.status());
  if (Status s = log::Log::Initialize((*store)->log(), o.origin, *signer); !s.ok()) {
    store->reset();
    std::filesystem::remove(o.db);  // nothing half-made stays behind
    return Fail(s);
  }
  std::error_code ec;
  std::string abs_key = std::filesystem::absolute(o.key, ec).string();
  auto txn = (*store)->log().BeginWrite();
  if (!txn.ok()) return Fail(txn.status());
  if (Status s = (*txn)->PutMeta(kMetaKeyFile, abs_key); !s.ok()) return Fail(s);
  if (Status s = (*txn)->Commit(); !s.ok()) return Fail(s);
  std::cerr << "created log " << o.db << " with origin " << o.origin << ", signed by "
            << signer->name() << "\n";
  return kExitOk;
}

int RunLogAppend(const LogAppendOptions& o) {
  auto opened = OpenLog(o.db, /*need_signer=*/true, o.key);
  if (!opened.ok()) return Fail(opened.status());
  auto input = ReadInput(o.input, kMaxAppendInput);
  if (!input.ok()) return Fail(input.status());
  std::vector<std::string> leaves;
  size_t line_no = 0;
  // Each '\n' ends a line; a final line without '\n' counts too; every line
  // is a leaf, blank ones included (the splitter under ParseSubmissions).
  for (std::string_view line : registry::SplitLines(*input)) {
    ++line_no;
    if (o.hex) {
      auto bytes = HexDecode(line);
      if (!bytes.ok()) {
        return Fail(Status::InvalidArgument("line " + std::to_string(line_no) + ": " +
                                            bytes.status().message() +
                                            "; expected the hex of one leaf per line"));
      }
      leaves.push_back(std::move(bytes).value());
    } else {
      leaves.emplace_back(line);
    }
  }
  if (leaves.empty()) {
    std::cerr << "accord: no input lines; nothing appended\n";
    return kExitOk;
  }
  auto first = opened->log->Append(leaves);
  if (!first.ok()) return Fail(first.status());
  std::string out;
  for (uint64_t i = 0; i < leaves.size(); ++i) out += std::to_string(*first + i) + "\n";
  std::cout << out;
  return kExitOk;
}

int RunLogRoot(const LogRootOptions& o) {
  auto opened = OpenLog(o.db, false);
  if (!opened.ok()) return Fail(opened.status());
  auto n = CurrentSize(*opened->log);
  if (!n.ok()) return Fail(n.status());
  auto root = opened->log->Root(o.size.value_or(*n));
  if (!root.ok()) return Fail(root.status());
  std::cout << HexEncode(AsBytes(*root)) << "\n";
  return kExitOk;
}

int RunLogProve(const LogProveOptions& o) {
  auto opened = OpenLog(o.db, false);
  if (!opened.ok()) return Fail(opened.status());
  auto n = CurrentSize(*opened->log);
  if (!n.ok()) return Fail(n.status());
  auto j = registry::InclusionProofJson(*opened->log, o.index, o.size.value_or(*n));
  if (!j.ok()) return Fail(j.status());
  std::cout << j->dump(2) << "\n";
  return kExitOk;
}

int RunLogConsistency(const LogConsistencyOptions& o) {
  auto opened = OpenLog(o.db, false);
  if (!opened.ok()) return Fail(opened.status());
  auto n = CurrentSize(*opened->log);
  if (!n.ok()) return Fail(n.status());
  auto j = registry::ConsistencyProofJson(*opened->log, o.from, o.to.value_or(*n));
  if (!j.ok()) return Fail(j.status());
  std::cout << j->dump(2) << "\n";
  return kExitOk;
}

int RunVerifyProof(const VerifyProofOptions& o) {
  auto text = ReadInput(o.file, 1 << 20);
  if (!text.ok()) {
    const Status& s = text.status();
    return Fail(Status::InvalidArgument(s.message()));  // unreadable proof file: malformed
  }
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(Status::InvalidArgument(o.file + " is not a JSON object"));
  }
  auto malformed = [&](const Status& s) {
    return Fail(Status::InvalidArgument(o.file + ": " + s.message()));
  };
  Status verdict;
  if (j.contains("leafIdx")) {
    auto idx = JsonUint(j, "leafIdx");
    auto size = JsonUint(j, "treeSize");
    auto root = JsonHash(j, "root");
    auto leaf = JsonHash(j, "leafHash");
    auto proof = JsonProof(j);
    for (const Status* s :
         {&idx.status(), &size.status(), &root.status(), &leaf.status(), &proof.status()}) {
      if (!s->ok()) return malformed(*s);
    }
    verdict = merkle::VerifyInclusion(*idx, *size, *leaf, *proof, *root);
  } else if (j.contains("size1")) {
    auto size1 = JsonUint(j, "size1");
    auto size2 = JsonUint(j, "size2");
    auto root1 = JsonHash(j, "root1");
    auto root2 = JsonHash(j, "root2");
    auto proof = JsonProof(j);
    for (const Status* s :
         {&size1.status(), &size2.status(), &root1.status(), &root2.status(), &proof.status()}) {
      if (!s->ok()) return malformed(*s);
    }
    verdict = merkle::VerifyConsistency(*size1, *size2, *root1, *root2, *proof);
  } else {
    return Fail(Status::InvalidArgument(
        o.file +
        " is neither an inclusion proof (leafIdx, treeSize, root, leafHash, proof) nor a "
        "consistency proof (size1, size2, root1, root2, proof)"));
  }
  if (!verdict.ok()) {
    std::cerr << "accord: proof does not verify: " << verdict.message() << "\n";
    return kExitVerifyFailed;
  }
  std::cerr << "proof verifies\n";
  return kExitOk;
}

int RunLogCheckpoint(const LogCheckpointOptions& o) {
  auto opened = OpenLog(o.db, false);
  if (!opened.ok()) return Fail(opened.status());
  auto cp = opened->log->Checkpoint();
  if (!cp.ok()) return Fail(cp.status());
  std::cout << *cp;
  return kExitOk;
}

int RunLogVerify(const LogVerifyOptions& o) {
  std::vector<note::VerifierKey> keys;
  for (const std::string& path : o.vkeys) {
    auto k = LoadVerifier(path);
    if (!k.ok()) return Fail(k.status());
    keys.push_back(*k);
  }
  std::optional<note::Policy> policy;
  if (!o.policy.empty()) {
    auto text = ReadInput(o.policy, 1 << 20);
    if (!text.ok()) return Fail(text.status().WithContext("--policy"));
    auto p = note::ParsePolicy(*text);
    if (!p.ok()) return Fail(p.status().WithContext(o.policy));
    policy = std::move(p).value();
  }
  auto opened = OpenLog(o.db, false, "", /*read_only=*/true);
  if (!opened.ok()) return Fail(opened.status());
  bool tty = StderrIsTerminal();
  auto progress = [tty](uint64_t done, uint64_t total) {
    if (!tty || total == 0) return;
    std::cerr << "\rverifying " << done << "/" << total << " entries (" << (done * 100 / total)
              << "%)" << std::flush;
    if (done == total) std::cerr << "\n";
  };
  auto report = opened->log->Verify(keys, progress);
  if (!report.ok()) {
    if (tty) std::cerr << "\n";
    return Fail(report.status().WithContext("log " + o.db + " does not verify"));
  }
  std::string quorum;
  if (policy) {
    auto cp = opened->log->Checkpoint();
    if (!cp.ok()) return Fail(cp.status());
    std::vector<note::VerifierKey> log_keys = keys;
    if (log_keys.empty()) log_keys.push_back(opened->log->verifier());
    auto v = note::VerifyWithPolicy(*cp, *policy, log_keys);
    if (!v.ok()) {
      return Fail(Status::VerificationFailed("log " + o.db +
                                             ": the latest checkpoint: " + v.status().message()));
    }
    quorum = "; quorum " + policy->quorum + " met (cosigned by";
    for (const std::string& c : v->cosigners) quorum += " " + c;
    quorum += ")";
  }
  std::cout << "ok: " << report->size << " entries, root " << HexEncode(AsBytes(report->root))
            << ", checkpoint at size " << report->checkpoint_size << " signed by";
  for (const auto& s : report->signers) std::cout << " " << s;
  std::cout << quorum << "\n";
  return kExitOk;
}

int RunLogCosign(const LogCosignOptions& o) {
  auto cosigner = LoadSigner(o.key);
  if (!cosigner.ok()) return Fail(cosigner.status());
  auto opened = OpenLog(o.db, false);
  if (!opened.ok()) return Fail(opened.status());
  auto cp = opened->log->Checkpoint();
  if (!cp.ok()) return Fail(cp.status());
  // A cosigner vouches only for a checkpoint the log's key really signed.
  auto verified = note::Verify(*cp, {opened->log->verifier()});
  if (!verified.ok()) return Fail(verified.status().WithContext("current checkpoint"));
  auto now = static_cast<uint64_t>(::time(nullptr));
  std::string line = cosigner->CosignatureLine(verified->note.text, now);
  if (Status s = opened->log->AddCosignatures(line, {cosigner->CosignerVerifier()}); !s.ok()) {
    return Fail(s);
  }
  auto updated = opened->log->Checkpoint();
  if (!updated.ok()) return Fail(updated.status());
  std::cout << *updated;
  return kExitOk;
}

}  // namespace accord::cli
