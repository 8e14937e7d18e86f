#include "registry/demo.h"

#include <string>
#include <utility>

#include "registry/submission.h"

namespace accord::registry {
namespace {

// Comment lines become blank lines, so that line numbers stay those of the
// file; placeholders become the parties' vkeys.
std::string Prepare(std::string_view text, const DemoKeys& keys) {
  std::string out;
  out.reserve(text.size());
  for (std::string_view line : SplitLines(text)) {
    if (!line.starts_with('#')) out += line;
    out += '\n';
  }
  for (const auto& [party, key] : {std::pair{"RU", keys.ru}, {"UZ", keys.uz}}) {
    const std::string placeholder = std::string("\"<vkey of ") + party + ">\"";
    const std::string value = "\"" + key->Verifier().Encode() + "\"";
    for (size_t at = out.find(placeholder); at != std::string::npos;
         at = out.find(placeholder, at + value.size())) {
      out.replace(at, placeholder.size(), value);
    }
  }
  return out;
}

const note::Signer* KeyOf(const DemoKeys& keys, std::string_view party) {
  if (party == "registry") return keys.node;
  if (party == "RU") return keys.ru;
  if (party == "UZ") return keys.uz;
  return nullptr;
}

}  // namespace

Result<size_t> RecordScenario(Registry& registry, const DemoKeys& keys,
                              const std::vector<DemoFile>& files) {
  std::vector<Submission> items;
  // Where each item came from: Record names an item by its position.
  std::vector<std::pair<std::string_view, size_t>> origin;
  for (const DemoFile& file : files) {
    const std::string name(file.name);
    auto subs = ParseSubmissions(Prepare(file.text, keys), kNoEventLimit);
    if (!subs.ok()) return subs.status().WithContext(name);
    for (Submission& sub : *subs) {
      const note::Signer* key = KeyOf(keys, sub.parsed->party);
      if (sub.is_signed() || key == nullptr) {
        return Status::InvalidArgument(name + ": " + LineContext(sub.line) +
                                       ": a demo event must be unsigned, of party registry, RU "
                                       "or UZ");
      }
      SignSubmission(*key, sub);
      origin.emplace_back(file.name, sub.line);
      sub.line = items.size() + 1;
      items.push_back(std::move(sub));
    }
  }
  auto result = registry.Record(items, nullptr, /*keep_going=*/false);
  if (!result.ok()) {
    // Record says "line <position>: ..."; say "<file>: line <line>: ...".
    const std::string& message = result.status().message();
    for (size_t i = 0; i < origin.size(); ++i) {
      const std::string prefix = LineContext(i + 1) + ": ";
      if (message.starts_with(prefix)) {
        return Status(result.status().code(), std::string(origin[i].first) + ": " +
                                                  LineContext(origin[i].second) + ": " +
                                                  message.substr(prefix.size()));
      }
    }
    return result.status();
  }
  return result->recorded.size();
}

Result<size_t> RecordDemo(Registry& registry, const DemoKeys& keys) {
  return RecordScenario(registry, keys, DemoScenario());
}

}  // namespace accord::registry
