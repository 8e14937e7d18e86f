#include "domain/strict_json.h"

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "domain/json_messages.h"
#include "util/utf8.h"

namespace accord::domain {
namespace {

using json_messages::AppendStep;
using json_messages::kIntegerOnly;
using nlohmann::json;

constexpr size_t kMaxMessageDetail = 240;

// Strict parsing: a SAX handler for nlohmann's (iterative) parser that builds
// the value and refuses duplicate keys, non-integers, unsafe integers and
// deep nesting as soon as it sees them.

class StrictSax {
 public:
  explicit StrictSax(int max_depth) : max_depth_(max_depth) {}

  bool null() { return Add(json(nullptr)) != nullptr; }
  bool boolean(bool b) { return Add(json(b)) != nullptr; }
  bool number_integer(json::number_integer_t v) {
    if (v > kMaxSafeInteger || v < -kMaxSafeInteger) return UnsafeInteger(std::to_string(v));
    return Add(json(v)) != nullptr;
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v > static_cast<uint64_t>(kMaxSafeInteger)) return UnsafeInteger(std::to_string(v));
    return Add(json(v)) != nullptr;
  }
  bool number_float(json::number_float_t /*v*/, const std::string& raw) {
    // Integers too large for 64 bits reach here too, spelled as integers.
    if (raw.find_first_of(".eE") == std::string::npos) return UnsafeInteger(raw);
    return NotAnInteger(raw);
  }
  bool string(std::string& s) { return Add(json(std::move(s))) != nullptr; }
  bool binary(json::binary_t& /*b*/) { return Fail(PendingPath(), "binary values are not JSON"); }
  bool start_object(std::size_t /*n*/) { return Open(json::value_t::object); }
  bool key(std::string& k) {
    Frame& top = frames_.back();
    const auto& obj = top.container->get_ref<const json::object_t&>();
    if (obj.find(k) != obj.end()) {
      return Fail(Path(frames_.size() - 1, false), "duplicate key " + QuoteForMessage(k));
    }
    top.key = std::move(k);
    return true;
  }
  bool end_object() {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*n*/) { return Open(json::value_t::array); }
  bool end_array() {
    frames_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) {
    // nlohmann reports a number too large for a double ("1e400") as an
    // error; say what the registry expects instead.
    if (ex.id == 406) {
      if (last_token.find_first_of(".eE") != std::string::npos) return NotAnInteger(last_token);
      return UnsafeInteger(last_token);
    }
    std::string what = ex.what();
    if (size_t p = what.find("] "); what.rfind("[json.exception.", 0) == 0 && p != what.npos) {
      what.erase(0, p + 2);
    }
    // "last read: '...'" can quote a whole (long) token: keep it short, and
    // cut on a character boundary so the message stays UTF-8.
    if (what.size() > kMaxMessageDetail) {
      size_t cut = kMaxMessageDetail;
      while (cut > 0 && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80) --cut;
      what.resize(cut);
      what += "...";
    }
    (void)position;  // nlohmann's message gives line and column
    error_ = "invalid JSON: " + what;
    return false;
  }

  json& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  struct Frame {
    json* container;
    std::string key;        // objects: the key of the current member
    size_t next_index = 0;  // arrays: the number of elements so far
  };

  // The path of the innermost `n` frames' current children; with `pending`,
  // the last array's step is the element about to be added.
  std::string Path(size_t n, bool pending) const {
    std::string path;
    for (size_t i = 0; i < n; ++i) {
      const Frame& f = frames_[i];
      if (f.container->is_object()) {
        AppendStep(path, &f.key, 0);
      } else {
        size_t index = (pending && i + 1 == n) ? f.next_index : f.next_index - 1;
        AppendStep(path, nullptr, index);
      }
    }
    return path.empty() ? "(top level)" : path;
  }
  std::string PendingPath() const { return Path(frames_.size(), true); }

  bool Fail(const std::string& path, const std::string& message) {
    error_ = path + ": " + message;
    return false;
  }
  bool NotAnInteger(std::string_view raw) {
    return Fail(PendingPath(),
                std::string(kIntegerOnly) + ", got " + std::string(raw.substr(0, 40)));
  }
  bool UnsafeInteger(std::string_view raw) {
    return Fail(PendingPath(), "integer " + std::string(raw.substr(0, 40)) +
                                   " is outside the safe range -(2^53-1)..2^53-1");
  }

  json* Add(json v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& top = frames_.back();
    if (top.container->is_array()) {
      auto& arr = top.container->get_ref<json::array_t&>();
      arr.push_back(std::move(v));
      ++top.next_index;
      return &arr.back();
    }
    auto& obj = top.container->get_ref<json::object_t&>();
    return &obj.emplace(top.key, std::move(v)).first->second;
  }

  bool Open(json::value_t type) {
    if (frames_.size() >= static_cast<size_t>(max_depth_)) {
      return Fail(PendingPath(),
                  "nested deeper than " + std::to_string(max_depth_) + " objects and arrays");
    }
    json* p = Add(json(type));
    frames_.push_back(Frame{p, std::string(), 0});
    return true;
  }

  int max_depth_;
  json root_;
  std::vector<Frame> frames_;
  std::string error_;
};

}  // namespace

Result<nlohmann::json> ParseStrictJson(std::string_view text, size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return Status::InvalidArgument("JSON text is " + std::to_string(text.size()) +
                                   " bytes; at most " + std::to_string(max_bytes) + " are allowed");
  }
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return Status::InvalidArgument("invalid UTF-8 at byte " + std::to_string(bad));
  }
  // nlohmann would skip a byte order mark silently; JSON texts exchanged
  // between systems must not begin with one (RFC 8259 §8.1).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    return Status::InvalidArgument("invalid JSON: a byte order mark is not allowed");
  }
  StrictSax sax(max_depth);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("invalid JSON: ") + e.what());
  }
  if (!ok) {
    return Status::InvalidArgument(sax.error().empty() ? "invalid JSON" : sax.error());
  }
  return std::move(sax.root());
}

Result<nlohmann::json> ParseStrictJson(std::string_view text) {
  return ParseStrictJson(text, kMaxEventBytes, kMaxJsonDepth);
}

}  // namespace accord::domain
