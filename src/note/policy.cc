#include "note/policy.h"

#include <map>
#include <set>

#include "note/checkpoint.h"
#include "note/note.h"

namespace accord::note {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// k in decimal without sign or leading zeros; 0 if not.
size_t ParseCount(std::string_view s) {
  if (s.empty() || s.size() > 6 || s[0] == '0') return 0;
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  return v;
}

}  // namespace

Result<Policy> ParsePolicy(std::string_view text) {
  Policy p;
  enum class Kind { kWitness, kGroup };
  std::map<std::string, Kind, std::less<>> names;
  bool have_quorum = false;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("policy line " + std::to_string(line_no) + ": " + why);
    };
    for (size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      if (c != '\t' && (c < 0x20 || c == 0x7f)) {
        return bad("control character 0x" + std::string(1, "0123456789abcdef"[c >> 4]) +
                   std::string(1, "0123456789abcdef"[c & 15]) + " at column " +
                   std::to_string(i + 1) + " (only tab and newline are allowed)");
      }
    }
    std::vector<std::string_view> f = Fields(line);
    if (f.empty() || f[0].starts_with('#')) continue;
    std::string_view kw = f[0];
    auto parse_key = [&](std::string_view s, uint8_t alg, const char* what) -> Result<VerifierKey> {
      auto k = ParseVerifierKey(s);
      if (!k.ok()) return bad(std::string(what) + " key: " + k.status().message());
      if (k->alg != alg) {
        return bad(std::string(what) + " key " + k->name + " has signature type 0x0" +
                   std::to_string(k->alg) + "; expected 0x0" + std::to_string(alg) +
                   (alg == kAlgCosignatureV1 ? " (an Ed25519 cosigner key, tlog-cosignature)"
                                             : " (an Ed25519 note key, tlog-checkpoint)"));
      }
      return k;
    };
    if (kw == "log") {
      if (f.size() < 2 || f.size() > 3) return bad("expected \"log <vkey> [<url>]\"");
      ASSIGN_OR_RETURN(VerifierKey k, parse_key(f[1], kAlgEd25519, "log"));
      for (const PolicyLog& l : p.logs) {
        if (l.key.public_key == k.public_key) return bad("duplicate log key (same public key)");
      }
      p.logs.push_back({std::move(k), f.size() == 3 ? std::string(f[2]) : ""});
    } else if (kw == "witness") {
      if (f.size() < 3 || f.size() > 4) return bad("expected \"witness <name> <vkey> [<url>]\"");
      std::string name(f[1]);
      if (name == "none") return bad("\"none\" is reserved and cannot name a witness");
      if (names.count(name)) return bad("the name " + name + " is already defined");
      ASSIGN_OR_RETURN(VerifierKey k, parse_key(f[2], kAlgCosignatureV1, "witness"));
      for (const PolicyWitness& w : p.witnesses) {
        if (w.key.public_key == k.public_key) {
          return bad("duplicate witness key (the same public key as witness " + w.name + ")");
        }
      }
      names.emplace(name, Kind::kWitness);
      p.witnesses.push_back(
          {std::move(name), std::move(k), f.size() == 4 ? std::string(f[3]) : ""});
    } else if (kw == "group") {
      if (f.size() < 4) return bad("expected \"group <name> all|any|<k> <name>...\"");
      std::string name(f[1]);
      if (name == "none") return bad("\"none\" is reserved and cannot name a group");
      if (names.count(name)) return bad("the name " + name + " is already defined");
      PolicyGroup g;
      g.name = name;
      std::set<std::string_view> seen;
      for (size_t i = 3; i < f.size(); ++i) {
        if (f[i] == "none") return bad("\"none\" cannot be a group member");
        if (!names.count(f[i])) {
          return bad("group member " + std::string(f[i]) +
                     " is not a witness or group defined on an earlier line");
        }
        if (!seen.insert(f[i]).second) {
          return bad("group member " + std::string(f[i]) + " is listed twice");
        }
        g.members.emplace_back(f[i]);
      }
      size_t n = g.members.size();
      if (f[2] == "all") {
        g.threshold = n;
      } else if (f[2] == "any") {
        g.threshold = 1;
      } else {
        g.threshold = ParseCount(f[2]);
        if (g.threshold == 0 || g.threshold > n) {
          return bad("group threshold \"" + std::string(f[2]) +
                     "\" must be all, any or a decimal k with 1 <= k <= " + std::to_string(n));
        }
      }
      names.emplace(name, Kind::kGroup);
      p.groups.push_back(std::move(g));
    } else if (kw == "quorum") {
      if (f.size() != 2) return bad("expected \"quorum <name>\"");
      if (have_quorum) return bad("a second quorum line (a policy has exactly one)");
      if (f[1] != "none" && !names.count(f[1])) {
        return bad("quorum " + std::string(f[1]) +
                   " is not none or a witness or group defined on an earlier line");
      }
      p.quorum = std::string(f[1]);
      have_quorum = true;
    } else {
      return bad("unknown keyword \"" + std::string(kw.substr(0, 40)) +
                 "\" (expected log, witness, group or quorum)");
    }
  }
  if (!have_quorum) {
    return Status::InvalidArgument("policy has no quorum line (use \"quorum none\" for none)");
  }
  return p;
}

Result<PolicyVerdict> VerifyWithPolicy(std::string_view note, const Policy& policy,
                                       const std::vector<VerifierKey>& log_keys) {
  ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  ASSIGN_OR_RETURN(Checkpoint cp, ParseCheckpoint(parsed.text));
  std::vector<VerifierKey> logs;
  if (policy.logs.empty()) {
    logs = log_keys;
  } else {
    for (const PolicyLog& l : policy.logs) logs.push_back(l.key);
  }
  std::vector<VerifierKey> known;
  for (const VerifierKey& k : logs) {
    if (k.name == cp.origin) known.push_back(k);
  }
  if (known.empty()) {
    return Status::VerificationFailed("the policy has no log of origin \"" + cp.origin + "\"");
  }
  size_t log_count = known.size();
  for (const PolicyWitness& w : policy.witnesses) known.push_back(w.key);
  auto v = Verify(note, known);
  if (!v.ok()) return Status::VerificationFailed(v.status().message());
  PolicyVerdict out;
  out.origin = cp.origin;
  out.size = cp.size;
  std::set<std::string> cosigned;
  for (const VerifiedSignature& s : v->verified) {
    for (size_t i = 0; i < known.size(); ++i) {
      if (known[i].name != s.key.name || known[i].key_id != s.key.key_id) continue;
      if (i < log_count) {
        if (out.log.empty()) out.log = s.key.name;
      } else {
        const PolicyWitness& w = policy.witnesses[i - log_count];
        if (cosigned.insert(w.name).second) out.cosigners.push_back(w.name);
      }
    }
  }
  if (out.log.empty()) {
    return Status::VerificationFailed("the checkpoint of " + cp.origin +
                                      " carries no signature by the policy's log key");
  }
  std::map<std::string, bool> met;
  for (const PolicyWitness& w : policy.witnesses) met[w.name] = cosigned.count(w.name) > 0;
  for (const PolicyGroup& g : policy.groups) {
    size_t n = 0;
    for (const std::string& m : g.members) n += met[m] ? 1 : 0;
    met[g.name] = n >= g.threshold;
  }
  out.quorum_met = policy.quorum == "none" || met[policy.quorum];
  if (!out.quorum_met) {
    std::string who;
    for (const std::string& c : out.cosigners) who += (who.empty() ? "" : ", ") + c;
    return Status::VerificationFailed("the checkpoint of " + cp.origin + " at size " +
                                      std::to_string(cp.size) + " does not meet the quorum " +
                                      policy.quorum +
                                      " (cosigned by: " + (who.empty() ? "none" : who) + ")");
  }
  return out;
}

}  // namespace accord::note
