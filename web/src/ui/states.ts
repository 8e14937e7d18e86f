// Loading, empty and error states, each in words.
import { ApiError } from "../api";
import { h, replace, type Child } from "../dom";
import { t } from "../i18n";

export function loading(what: string): HTMLElement {
  return h("p", { class: "state loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), t("state.loading", { what }));
}

export function empty(text: string): HTMLElement {
  return h("p", { class: "state empty" }, text);
}

export function errorBox(e: unknown, what = ""): HTMLElement {
  const msg = e instanceof Error ? e.message : String(e);
  // A 404 of a route means the node does not serve that part (yet): said
  // plainly, without the server's technical detail.
  const unavailable = e instanceof ApiError && e.status === 404 && e.message.includes("no route");
  return h(
    "div",
    { class: unavailable ? "state unavailable" : "state error", role: unavailable ? "status" : "alert" },
    what ? h("strong", {}, `${what}: `) : null,
    unavailable ? t("state.unavailable") : msg,
  );
}

// Renders `what` into `el` after `load` resolves; shows loading meanwhile and
// the error in words if it fails.
export async function section<T>(
  el: HTMLElement,
  what: string,
  load: () => Promise<T>,
  render: (v: T) => Child,
): Promise<T | undefined> {
  el.replaceChildren(loading(what));
  el.setAttribute("aria-busy", "true");
  try {
    const v = await load();
    replace(el, render(v));
    return v;
  } catch (e) {
    el.replaceChildren(errorBox(e, what.charAt(0).toUpperCase() + what.slice(1)));
    return undefined;
  } finally {
    el.removeAttribute("aria-busy");
  }
}
