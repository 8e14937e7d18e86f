// A list of log events about a record, each with its own verify action.
import type { Api } from "../api";
import { h } from "../dom";
import { historyOf } from "./history";
import { section } from "./states";
import { verifyButton } from "./verify";
import { date } from "../format";
import { label, t } from "../i18n";

export function eventsSection(api: Api, subject: string): HTMLElement {
  const el = h("section", { "aria-label": t("events.of", { subject }) });
  void section(el, t("events.title"), () => historyOf(api, subject), (events) => {
    if (events === null) {
      return h("p", { class: "muted" }, t("events.forbidden"), " ", h("a", { href: "#/log" }, t("verify.logPage")));
    }
    if (events.length === 0) return h("p", { class: "state empty" }, t("events.none"));
    return h(
      "ol",
      { class: "timeline" },
      events.map((e) =>
        h("li", {}, h("strong", { "data-event": e.type }, label("event", e.type)), ` — ${date(e.time)}, ${e.party} (${e.actor}), ${t("common.logEntry", { index: String(e.index) })}`, verifyButton(api, e.index)),
      ),
    );
  });
  return el;
}
