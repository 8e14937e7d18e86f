// Accord's web UI: the layout, the navigation and the routes.
import "./style.css";
import { Api } from "./api";
import type { Ctx } from "./context";
import { h, replace } from "./dom";
import { match, type Route } from "./router";
import { session, type Me, type Role } from "./session";
import { errorBox } from "./ui/states";
import { LOCALE_NAMES, LOCALES, label, locale, setLocale, t, type Key, type Locale } from "./i18n";
import { signInPage } from "./pages/signin";
import { overviewPage } from "./pages/overview";
import { contractPage, contractsPage } from "./pages/contracts";
import { shipmentPage, shipmentsPage } from "./pages/shipments";
import { itemPage, itemsPage } from "./pages/items";
import { monitoringPage } from "./pages/monitoring";
import { cooperationPage } from "./pages/cooperation";
import { reportsPage } from "./pages/reports";
import { logPage } from "./pages/log";
import { publicPage } from "./pages/public";
import { recordPage } from "./pages/record";

const api = new Api(session.token());

interface NavEntry {
  href: string;
  label: Key;
  roles: Role[] | "any";
}
const NAV: NavEntry[] = [
  { href: "#/", label: "nav.overview", roles: ["reader"] },
  { href: "#/contracts", label: "nav.contracts", roles: ["reader"] },
  { href: "#/shipments", label: "nav.shipments", roles: ["reader"] },
  { href: "#/items", label: "nav.items", roles: ["reader"] },
  { href: "#/monitoring", label: "nav.monitoring", roles: ["reader"] },
  { href: "#/cooperation", label: "nav.cooperation", roles: ["reader"] },
  { href: "#/record", label: "nav.record", roles: ["reader"] },
  { href: "#/reports", label: "nav.reports", roles: ["reader", "observer"] },
  { href: "#/log", label: "nav.log", roles: ["reader", "observer"] },
  { href: "#/public", label: "nav.transparency", roles: "any" },
];

// Pages that need no sign-in.
const OPEN = new Set(["signin", "public"]);

const routes: Route<Ctx>[] = [
  { pattern: "signin", render: (c) => signInPage(c, onSignedIn) },
  { pattern: "", render: (c) => (c.role === "observer" ? publicPage(c) : overviewPage(c)) },
  { pattern: "contracts", render: contractsPage },
  { pattern: "contracts/:id", render: (c, m) => contractPage(c, m.params.id) },
  { pattern: "shipments", render: shipmentsPage },
  { pattern: "shipments/:id", render: (c, m) => shipmentPage(c, m.params.id) },
  { pattern: "items", render: (c, m) => itemsPage(c, m.query) },
  { pattern: "items/*id", render: (c, m) => itemPage(c, m.params.id) },
  { pattern: "monitoring", render: (c, m) => monitoringPage(c, m.query) },
  { pattern: "cooperation", render: cooperationPage },
  { pattern: "reports", render: (c, m) => reportsPage(c, m.query) },
  { pattern: "log", render: (c, m) => logPage(c, m.query) },
  { pattern: "public", render: publicPage },
  { pattern: "record", render: (c, m) => recordPage(c, m.query) },
];

function renderNav(): void {
  const role = session.role();
  const current = location.hash.replace(/\?.*$/, "") || "#/";
  const entries = NAV.filter((n) => n.roles === "any" || (role !== null && n.roles.includes(role)));
  const isCurrent = (href: string) => (href === "#/" ? current === "#/" || current === "#" : current === href || current.startsWith(href + "/"));
  replace(
    document.getElementById("nav")!,
    h("ul", {}, entries.map((n) => h("li", {}, h("a", { href: n.href, "aria-current": isCurrent(n.href) ? "page" : null }, t(n.label))))),
  );
  const who = document.getElementById("who")!;
  if (session.token()) {
    const me = session.me();
    replace(
      who,
      me
        ? h("span", { "data-who": me.user }, t("header.who", { user: me.user, party: me.party, role: label("role", me.role) }))
        : h("span", {}, role === "observer" ? t("header.signedInObserver") : t("header.signedIn")),
      h("button", { type: "button", onclick: signOut }, t("header.signOut")),
      languageSwitcher(),
    );
  } else {
    replace(who, h("a", { href: "#/signin" }, t("header.signIn")), languageSwitcher());
  }
}

// The language switcher: the choice is kept in local storage and the page
// is drawn again in the new language.
function languageSwitcher(): HTMLElement {
  const select = h(
    "select",
    { id: "lang", name: "lang", "aria-label": t("header.language") },
    LOCALES.map((l) => h("option", { value: l, lang: l, selected: l === locale() }, LOCALE_NAMES[l])),
  );
  select.addEventListener("change", () => {
    setLocale(select.value as Locale);
    void render(false);
    document.getElementById("lang")?.focus();
  });
  return select;
}

// The parts of the page outside the routes: title, skip link, landmarks.
function renderShell(): void {
  document.documentElement.lang = locale();
  document.title = t("app.title");
  const skip = document.querySelector(".skip");
  if (skip) skip.textContent = t("shell.skip");
  document.getElementById("nav")?.setAttribute("aria-label", t("shell.mainNav"));
  const brand = document.querySelector(".brand");
  if (brand) brand.setAttribute("title", t("app.title"));
  const foot = document.getElementById("foot");
  if (foot) foot.textContent = t("shell.footer");
}

function signOut(): void {
  session.signOut();
  api.setToken(null);
  location.hash = "#/signin";
}

// Who the token is (GET /v1/me), kept for the tab's session and shown in
// the header; a node without that route leaves the header as it was.
async function loadMe(): Promise<void> {
  if (!session.token() || session.me()) return;
  try {
    session.setMe(await api.json<Me>("/v1/me"));
    renderNav();
  } catch {
    /* an older node, or the token was refused: the pages say so */
  }
}

function onSignedIn(token: string, role: Role): void {
  session.signIn(token, role);
  api.setToken(token);
  void loadMe();
  location.hash = role === "observer" ? "#/public" : "#/";
}

let generation = 0;
async function render(navigated: boolean): Promise<void> {
  const gen = ++generation;
  const main = document.getElementById("main")!;
  renderShell();
  renderNav();
  const found = match(routes, location.hash);
  const first = location.hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  if (!found) {
    replace(main, h("h1", {}, t("notFound.title")), h("p", {}, t("notFound.text"), " "), h("a", { href: "#/" }, t("notFound.back")));
    return;
  }
  if (!session.token() && !OPEN.has(first)) {
    location.replace("#/signin");
    return;
  }
  main.replaceChildren();
  const ctx: Ctx = { api, main, role: session.role() };
  // Pages put their heading in place before they wait for data.
  const rendering = found.route.render(ctx, found.m);
  // After a navigation, move focus to the new page's heading so keyboard and
  // screen reader users start at the new content (a fresh load starts at the
  // top, with the skip link).
  if (navigated) {
    const h1 = main.querySelector("h1");
    if (h1) {
      h1.setAttribute("tabindex", "-1");
      h1.focus();
    }
  }
  try {
    await rendering;
  } catch (e) {
    if (gen === generation) main.append(errorBox(e));
  }
}

window.addEventListener("hashchange", () => void render(true));
void render(false);
void loadMe();
