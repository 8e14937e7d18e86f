// Sign-in with a bearer token (accord user add prints it once). The token is
// checked against the API and kept for this browser tab only.
import { Api, ApiError } from "../api";
import type { Ctx } from "../context";
import { h, replace } from "../dom";
import type { Role } from "../session";
import { t } from "../i18n";

// What the token may read decides what the UI offers.
export async function detectRole(api: Api): Promise<Role> {
  await api.checkpoint(); // every valid token may read it: checks the token
  try {
    await api.json("/v1/agreements?limit=1");
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return "observer";
    throw e;
  }
  return "reader";
}

export function signInPage(ctx: Ctx, done: (token: string, role: Role) => void): void {
  const input = h("input", {
    id: "token",
    name: "token",
    type: "password",
    autocomplete: "off",
    required: true,
    spellcheck: "false",
    size: 60,
    "aria-describedby": "token-help",
  });
  const msg = h("div", { "aria-live": "assertive" });
  const submit = h("button", { type: "submit" }, t("header.signIn"));
  const form = h(
    "form",
    { class: "panel", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "token" }, t("signin.token")), input),
    h("p", { id: "token-help", class: "muted" }, t("signin.help1"), " (", h("code", {}, "accord user add"), "). ", t("signin.help2")),
    submit,
    msg,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(msg, h("p", { class: "state error", role: "alert" }, t("signin.empty")));
      input.focus();
      return;
    }
    submit.disabled = true;
    replace(msg, h("p", { class: "state loading", role: "status" }, t("signin.checking")));
    try {
      const role = await detectRole(new Api(token));
      done(token, role);
    } catch (e) {
      replace(msg, h("p", { class: "state error", role: "alert" }, (e as Error).message));
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });
  ctx.main.append(
    h("h1", {}, t("header.signIn")),
    form,
    h("p", {}, t("signin.observers"), " ", h("a", { href: "#/public" }, t("signin.observersLink"))),
  );
}
