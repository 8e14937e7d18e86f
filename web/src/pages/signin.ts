// Sign-in with a bearer token (accord user add prints it once). The token is
// checked against the API and kept for this browser tab only.
import { Api, ApiError } from "../api";
import type { Ctx } from "../context";
import { h, replace } from "../dom";
import type { Role } from "../session";

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
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    { class: "panel", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "token" }, "Access token"), input),
    h("p", { id: "token-help", class: "muted" }, "The token your node's administrator issued to you (", h("code", {}, "accord user add"), "). It is kept in this tab only and sent to this server only."),
    submit,
    msg,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(msg, h("p", { class: "state error", role: "alert" }, "Enter your access token."));
      input.focus();
      return;
    }
    submit.disabled = true;
    replace(msg, h("p", { class: "state loading", role: "status" }, "Checking the token…"));
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
    h("h1", {}, "Sign in"),
    form,
    h("p", {}, "Observers can read the ", h("a", { href: "#/public" }, "transparency page"), " without signing in if this node publishes it."),
  );
}
