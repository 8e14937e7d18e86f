// Accord's web UI: the layout, the navigation and the routes.
import "./style.css";
import { Api } from "./api";
import type { Ctx } from "./context";
import { h, replace } from "./dom";
import { match, type Route } from "./router";
import { session, type Role } from "./session";
import { errorBox } from "./ui/states";
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

const api = new Api(session.token());

interface NavEntry {
  href: string;
  label: string;
  roles: Role[] | "any";
}
const NAV: NavEntry[] = [
  { href: "#/", label: "Overview", roles: ["reader"] },
  { href: "#/contracts", label: "Contracts", roles: ["reader"] },
  { href: "#/shipments", label: "Shipments", roles: ["reader"] },
  { href: "#/items", label: "Items", roles: ["reader"] },
  { href: "#/monitoring", label: "Monitoring", roles: ["reader"] },
  { href: "#/cooperation", label: "Cooperation", roles: ["reader"] },
  { href: "#/reports", label: "Reports", roles: ["reader", "observer"] },
  { href: "#/log", label: "Log", roles: ["reader", "observer"] },
  { href: "#/public", label: "Transparency", roles: "any" },
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
];

function renderNav(): void {
  const role = session.role();
  const current = location.hash.replace(/\?.*$/, "") || "#/";
  const entries = NAV.filter((n) => n.roles === "any" || (role !== null && n.roles.includes(role)));
  const isCurrent = (href: string) => (href === "#/" ? current === "#/" || current === "#" : current === href || current.startsWith(href + "/"));
  replace(
    document.getElementById("nav")!,
    h("ul", {}, entries.map((n) => h("li", {}, h("a", { href: n.href, "aria-current": isCurrent(n.href) ? "page" : null }, n.label)))),
  );
  const who = document.getElementById("who")!;
  if (session.token()) {
    const words: Record<Role, string> = {
      reader: "signed in",
      observer: "signed in: observer (aggregates only)",
    };
    replace(
      who,
      h("span", {}, role ? words[role] : "signed in"),
      h("button", { type: "button", onclick: signOut }, "Sign out"),
    );
  } else {
    replace(who, h("a", { href: "#/signin" }, "Sign in"));
  }
}

function signOut(): void {
  session.signOut();
  api.setToken(null);
  location.hash = "#/signin";
}

function onSignedIn(token: string, role: Role): void {
  session.signIn(token, role);
  api.setToken(token);
  location.hash = role === "observer" ? "#/public" : "#/";
}

let generation = 0;
async function render(navigated: boolean): Promise<void> {
  const gen = ++generation;
  const main = document.getElementById("main")!;
  renderNav();
  const found = match(routes, location.hash);
  const first = location.hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  if (!found) {
    replace(main, h("h1", {}, "Not found"), h("p", {}, "There is no such page. "), h("a", { href: "#/" }, "Go to the overview"));
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
