// Which key must have signed an event: the node's own for registry events,
// otherwise a key of the acting party in force on the event's date.
#include "domain/rule_support.h"
#include "domain/rules.h"
#include "note/note.h"

namespace accord::domain {

using internal::Quote;
using internal::Refuse;
using nlohmann::json;

Result<std::string> SignerKey(const RuleContext& ctx, StateReader& state, const Event& event,
                              uint32_t key_id, std::string_view logged_date) {
  std::string id = KeyIdHex(key_id);
  if (event.party == kRegistryParty) {
    if (key_id != ctx.registry_key_id) {
      return Refuse("signature.registry_key", "key",
                    "registry events must be signed by the node's key " +
                        KeyIdHex(ctx.registry_key_id) + ", not " + id);
    }
    return ctx.registry_public_key;
  }
  ASSIGN_OR_RETURN(std::optional<json> party, state.Get("party", event.party));
  if (!party) return Refuse("party.exists", "party", "no party " + Quote(event.party));
  std::string date = FormatDate(event.time_unix);
  for (const auto& k : (*party)["keys"]) {
    if (k["id"] != id) continue;
    if (k["valid_from"].get<std::string>() > date) {
      return Refuse("signature.key_valid", "key",
                    "key " + id + " of " + event.party + " is valid only from " +
                        k["valid_from"].get<std::string>() + ", the event is dated " + date);
    }
    if (k.contains("retired_from")) {
      const std::string retired = k["retired_from"].get<std::string>();
      if (retired <= date) {
        return Refuse("signature.key_retired", "key",
                      "key " + id + " of " + event.party + " was retired from " + retired);
      }
      if (!logged_date.empty() && retired <= logged_date) {
        return Refuse("signature.key_retired", "key",
                      "key " + id + " of " + event.party + " was retired from " + retired +
                          " and the registry logs this event on " + std::string(logged_date) +
                          ": a retired key signs nothing new, whatever date the event states (" +
                          date + ")");
      }
    }
    auto vkey = note::ParseVerifierKey(k["vkey"].get<std::string>());
    if (!vkey.ok()) return Status::Corruption("stored key of " + event.party + " is unreadable");
    return vkey->public_key;
  }
  return Refuse("signature.key_of_party", "key",
                "key " + id + " is not a registered key of party " + event.party);
}

}  // namespace accord::domain
