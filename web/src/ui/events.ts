// A list of log events about a record, each with its own verify action.
import type { Api } from "../api";
import { h } from "../dom";
import { historyOf } from "./history";
import { section } from "./states";
import { verifyButton } from "./verify";

export function eventsSection(api: Api, subject: string): HTMLElement {
  const el = h("section", { "aria-label": `Log entries of ${subject}` });
  void section(el, "log entries", () => historyOf(api, subject), (events) => {
    if (events === null) {
      return h("p", { class: "muted" }, "Your role may not read log entries, so this record's entries are not listed here. Any entry can be verified by its index on the ", h("a", { href: "#/log" }, "Log page"), ".");
    }
    if (events.length === 0) return h("p", { class: "state empty" }, "No log entries name this record as their subject.");
    return h(
      "ol",
      { class: "timeline" },
      events.map((e) =>
        h("li", {}, h("strong", {}, e.type), ` — ${e.time.slice(0, 10)}, ${e.party} (${e.actor}), entry ${e.index}`, verifyButton(api, e.index)),
      ),
    );
  });
  return el;
}
