#include "domain/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

#include "domain/json_messages.h"
#include "util/utf8.h"

namespace accord::domain {
namespace {

using json_messages::kIntegerOnly;
using json_messages::PathStep;
using json_messages::PathString;
using nlohmann::json;

// CanonicalJson recurses; values built by code (not parsed) are bounded here.
constexpr int kMaxCanonicalDepth = 256;

class CanonicalWriter {
 public:
  Status Write(const json& v) { return Value(v, 1); }
  std::string& out() { return out_; }
  int max_depth() const { return max_depth_; }

 private:
  Status Error(const std::string& message) const {
    return Status::InvalidArgument(PathString(path_) + ": " + message);
  }

  Status String(std::string_view s) {
    if (size_t bad = FindInvalidUtf8(s); bad != std::string_view::npos) {
      return Error("invalid UTF-8 at byte " + std::to_string(bad) + " of a string");
    }
    AppendJsonString(out_, s);
    return Status::Ok();
  }

  void Integer(auto v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }

  Status Value(const json& v, int depth) {
    switch (v.type()) {
      case json::value_t::null:
        out_ += "null";
        return Status::Ok();
      case json::value_t::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        return Status::Ok();
      case json::value_t::number_integer: {
        int64_t n = v.get<int64_t>();
        if (n > kMaxSafeInteger || n < -kMaxSafeInteger) {
          return Error("integer " + std::to_string(n) +
                       " is outside the safe range -(2^53-1)..2^53-1");
        }
        Integer(n);
        return Status::Ok();
      }
      case json::value_t::number_unsigned: {
        uint64_t n = v.get<uint64_t>();
        if (n > static_cast<uint64_t>(kMaxSafeInteger)) {
          return Error("integer " + std::to_string(n) +
                       " is outside the safe range -(2^53-1)..2^53-1");
        }
        Integer(n);
        return Status::Ok();
      }
      case json::value_t::number_float:
        return Error(std::string(kIntegerOnly) + ", got a floating-point number");
      case json::value_t::string:
        return String(v.get_ref<const std::string&>());
      case json::value_t::array:
      case json::value_t::object:
        break;
      default:
        return Error("not a JSON value (binary or discarded)");
    }
    if (depth > kMaxCanonicalDepth) {
      return Error("nested deeper than " + std::to_string(kMaxCanonicalDepth) + " levels");
    }
    max_depth_ = std::max(max_depth_, depth);
    if (v.is_array()) {
      out_ += '[';
      const auto& arr = v.get_ref<const json::array_t&>();
      for (size_t i = 0; i < arr.size(); ++i) {
        if (i > 0) out_ += ',';
        path_.push_back(PathStep{nullptr, i});
        RETURN_IF_ERROR(Value(arr[i], depth + 1));
        path_.pop_back();
      }
      out_ += ']';
      return Status::Ok();
    }
    // Sort the members by the UTF-8 bytes of their keys (memcmp compares
    // unsigned bytes). std::map already iterates in this order; sorting
    // explicitly keeps the output independent of the container's comparator.
    const auto& obj = v.get_ref<const json::object_t&>();
    std::vector<const json::object_t::value_type*> members;
    members.reserve(obj.size());
    for (const auto& m : obj) members.push_back(&m);
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      const std::string& x = a->first;
      const std::string& y = b->first;
      int c = std::memcmp(x.data(), y.data(), std::min(x.size(), y.size()));
      return c != 0 ? c < 0 : x.size() < y.size();
    });
    out_ += '{';
    bool first = true;
    for (const auto* m : members) {
      if (!first) out_ += ',';
      first = false;
      path_.push_back(PathStep{&m->first, 0});
      if (size_t bad = FindInvalidUtf8(m->first); bad != std::string_view::npos) {
        return Error("invalid UTF-8 at byte " + std::to_string(bad) + " of the key");
      }
      AppendJsonString(out_, m->first);
      out_ += ':';
      RETURN_IF_ERROR(Value(m->second, depth + 1));
      path_.pop_back();
    }
    out_ += '}';
    return Status::Ok();
  }

  std::string out_;
  std::vector<PathStep> path_;
  int max_depth_ = 0;
};

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

Result<std::string> CanonicalJson(const nlohmann::json& value, int* max_depth) {
  CanonicalWriter w;
  RETURN_IF_ERROR(w.Write(value));
  if (max_depth != nullptr) *max_depth = w.max_depth();
  return std::move(w.out());
}

Result<std::string> CanonicalJson(const nlohmann::json& value) {
  return CanonicalJson(value, nullptr);
}

}  // namespace accord::domain
