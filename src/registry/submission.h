// Events on their way into the registry: the one input path.
//
// Every way an event arrives — `accord record`, POST /v1/events, the demo
// scenario, the SIPRI import — turns text into Submissions here, so the same
// input is split the same way and the same bad line is refused with the same
// message wherever it comes from. A Submission is always parsed (envelope
// checked, "key"/"sig" split off); Registry::Record then only looks up the
// key, checks or makes the signature, and decides.
//
// Input shapes (ParseSubmissions): one JSON object, possibly pretty-printed
// over several lines; or NDJSON, one object per line, blank lines ignored.
// Text of two or more non-blank lines is NDJSON when every such line looks
// like an object ("{...}"), or its first line alone is one, or it is not one
// JSON document (syntax only) and some line looks like an object; otherwise
// it is a single (pretty-printed) object, so a bad pretty object gets its own
// error rather than "line 1: invalid JSON". So NDJSON whose first line is bad
// is still split first and each line decided (`record --continue` keeps the
// good ones). Refusals name the line ("line 3: ...",
// 1-based over all lines, blank ones included), or "event: ..." for a
// single object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/envelope.h"
#include "note/note.h"
#include "util/status.h"

namespace accord::registry {

// One event, parsed, with where it came from for messages.
struct Submission {
  size_t line = 0;  // 1-based line in the input (0: a single object)
  // The event without "key" and "sig" (domain::ParseEvent); never null in a
  // Submission made by ParseSubmission(s).
  std::shared_ptr<const domain::Event> parsed;
  // The key id and 64-byte Ed25519 signature: given by the submitter, or
  // made by SignSubmission. An empty signature means unsigned: Record signs
  // it with the signer it is given.
  uint32_t key_id = 0;
  std::string signature;
  // The signature was just made here (SignSubmission) with the key `key_id`
  // names, so verifying it again would only cost time. The key is still
  // checked against the rules (registered, of that party, valid on the date).
  bool signed_here = false;

  bool is_signed() const { return !signature.empty(); }
};

struct Refusal {
  size_t line = 0;
  Status status;
};

inline constexpr size_t kNoEventLimit = std::numeric_limits<size_t>::max();

// "line N", or "event" for line 0: the context of a refusal.
std::string LineContext(size_t line);

// The lines of `text` split on '\n' (a '\r' before it is kept; no empty
// line after a final '\n'). The plain splitter under ParseSubmissions, also
// used for raw log leaves.
std::vector<std::string_view> SplitLines(std::string_view text);

// One event object as text (strict JSON, envelope, optional "key"/"sig").
// Errors carry no line context.
Result<Submission> ParseSubmission(std::string_view text, size_t line);

// Splits and parses `text` (shapes above). More than `max_events` events is
// ResourceExhausted ("at most N events per request") before any parsing. A
// bad event refuses the whole input, naming its line; with `refused`, bad
// events are listed there instead and the good ones returned. Empty or
// blank text gives no submissions (the caller says how it names that).
Result<std::vector<Submission>> ParseSubmissions(std::string_view text, size_t max_events,
                                                 std::vector<Refusal>* refused = nullptr);

// Signs the parsed event with `signer` and fills key_id and signature (and
// signed_here): the one place an event is signed on a party's behalf, by the
// API for its users, by Record for unsigned input and by the demo loader.
void SignSubmission(const note::Signer& signer, Submission& sub);

}  // namespace accord::registry
