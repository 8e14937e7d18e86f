// End-use monitoring: items due or delinquent, inspections, compliance and
// cases with their age. Parts a node does not serve yet say so in words.
import { ApiError, type Entity } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { daysBetween, date, today } from "../format";
import { renderJson } from "../ui/generic";
import { section } from "../ui/states";
import { table } from "../ui/table";
import { verifyButton } from "../ui/verify";
import { complianceView, dueView } from "./eum";

interface Case extends Entity {
  kind: string;
  status: string;
  severity?: string;
  opened: string;
  closed?: string;
  opened_index?: number;
  source?: string;
  contract?: string;
  differences?: { kind: string; product: string; serial: string }[];
}

// A collection or report that may not exist on this node yet: 404 becomes
// a plain sentence rather than an error.
async function optional<T>(load: () => Promise<T>): Promise<T | ApiError> {
  try {
    return await load();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return e;
    throw e;
  }
}

function unavailable(what: string): HTMLElement {
  return h("p", { class: "state unavailable", role: "status" }, `${what}: not available on this node.`);
}

export async function monitoringPage(ctx: Ctx, query?: URLSearchParams): Promise<void> {
  const { api } = ctx;
  const asOf = query?.get("as_of") ?? today();
  const input = h("input", { id: "as-of", name: "as_of", type: "date", value: asOf });
  const form = h("form", { class: "inline" }, h("label", { for: "as-of" }, "As of", input), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#/monitoring?as_of=${encodeURIComponent(input.value)}`;
  });
  const due = h("section", { "aria-labelledby": "m-due" });
  const compliance = h("section", { "aria-labelledby": "m-compliance" });
  const inspections = h("section", { "aria-labelledby": "m-inspections" });
  const cases = h("section", { "aria-labelledby": "m-cases" });
  ctx.main.append(
    h("h1", {}, "End-use monitoring"),
    form,
    h("h2", { id: "m-due" }, "Items due and delinquent"),
    due,
    h("h2", { id: "m-compliance" }, "Compliance"),
    compliance,
    h("h2", { id: "m-inspections" }, "Inspections"),
    inspections,
    h("h2", { id: "m-cases" }, "Cases"),
    cases,
  );
  await Promise.all([
    section(due, "items due", () => optional(() => api.json(`/v1/eum/due?as_of=${asOf}`)), (r) =>
      r instanceof ApiError ? unavailable("Items due for inventory") : dueView(r),
    ),
    section(compliance, "compliance", () => optional(() => api.report("eum", { as_of: asOf })), (r) =>
      r instanceof ApiError ? unavailable("The monitoring compliance report") : complianceView(r),
    ),
    section(inspections, "inspections", () => optional(() => api.list("inspections")), (r) =>
      r instanceof ApiError ? unavailable("Inspections") : (renderJson("Inspections", r) as Node),
    ),
    section(cases, "cases", () => api.list<Case>("cases"), (rows) =>
      table("Discrepancy and violation cases", [
        { label: "Case", value: (c) => c.id },
        { label: "Kind", value: (c) => c.kind },
        { label: "Severity", value: (c) => c.severity ?? "—" },
        { label: "Status", value: (c) => h("span", { class: `badge ${c.status === "closed" ? "ok" : "bad"}` }, c.status) },
        { label: "Opened", value: (c) => date(c.opened) },
        { label: "Age (days)", value: (c) => String(daysBetween(c.opened, c.closed ?? asOf)), numeric: true },
        { label: "Source", value: (c) => c.source ?? "—" },
        { label: "Items", value: (c) => (c.differences ?? []).map((d) => `${d.serial} (${d.kind})`).join(", ") || "—" },
        { label: "Log", value: (c) => (c.opened_index !== undefined ? verifyButton(api, c.opened_index, `opening entry ${c.opened_index}`) : "—") },
      ], rows, "No cases opened."),
    ),
  ]);
}
