// End-use monitoring: items due or delinquent, inspections, compliance and
// cases with their age. Parts a node does not serve yet say so in words.
import { ApiError, type Entity } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { daysBetween, date, today } from "../format";
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
  differences?: { kind?: string; result?: string; product?: string; serial?: string; item?: string; days_late?: number }[];
  status_history?: { date: string; status: string; index?: number }[];
}

// A case's status on a date: its last status change on or before it.
export function statusAsOf(c: Case, asOf: string): string {
  const changes = (c.status_history ?? []).filter((x) => x.date <= asOf);
  return changes.length ? changes[changes.length - 1].status : c.status;
}

function difference(d: NonNullable<Case["differences"]>[number]): string {
  const what = String(d.kind ?? d.result ?? "difference").replace(/_/g, " ");
  const subject = d.serial ?? d.item;
  if (subject) return `${subject} (${what})`;
  return d.days_late !== undefined ? `${what}, ${d.days_late} days` : what;
}

interface Inspection extends Entity {
  kind?: string;
  agreement?: string;
  status?: string;
  scheduled?: string;
  completed?: string;
  scheduled_index?: number;
  completed_index?: number;
  counts?: Record<string, number>;
  case?: string;
  access?: { answer?: string; in_time?: boolean }[];
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
    section(due, "items due", () => optional(() => api.json(`/v1/eum/due?as-of=${asOf}`)), (r) =>
      r instanceof ApiError ? unavailable("Items due for inventory") : dueView(r),
    ),
    section(compliance, "compliance", () => optional(() => api.report("eum", { "as-of": asOf })), (r) =>
      r instanceof ApiError ? unavailable("The monitoring compliance report") : complianceView(r),
    ),
    section(inspections, "inspections", async () => {
      const r = await optional(() => api.list<Inspection>("inspections"));
      return r instanceof ApiError ? r : r.filter((i) => !i.scheduled || i.scheduled <= asOf);
    }, (r) =>
      r instanceof ApiError
        ? unavailable("Inspections")
        : table(`Inspections scheduled by ${asOf}`, [
            { label: "Inspection", value: (i) => i.id },
            { label: "Kind", value: (i) => String(i.kind ?? "").replace(/_/g, " ") },
            { label: "Agreement", value: (i) => String(i.agreement ?? "—") },
            { label: "Scheduled", value: (i) => date(i.scheduled) },
            { label: "Access", value: (i) => (i.access ?? []).map((a) => `${(a.answer ?? "no answer").replace(/_/g, " ")}${a.in_time === false ? " (late)" : a.in_time ? " (in time)" : ""}`).join("; ") || "—" },
            { label: "Completed", value: (i) => date(i.completed) },
            { label: "Findings", value: (i) => Object.entries(i.counts ?? {}).map(([k, v]) => `${k.replace(/_/g, " ")} ${v}`).join(", ") || "—" },
            { label: "Status", value: (i) => h("span", { class: `badge ${i.case ? "warn" : i.status === "completed" ? "ok" : ""}` }, String(i.status ?? "—")) },
            { label: "Case", value: (i) => String(i.case ?? "—") },
            { label: "Log", value: (i) => {
              const idx = i.completed_index ?? i.scheduled_index;
              return typeof idx === "number" ? verifyButton(api, idx, `entry ${idx}`) : "—";
            } },
          ], r, "No inspections recorded."),
    ),
    section(cases, "cases", async () => (await api.list<Case>("cases")).filter((c) => c.opened <= asOf), (rows) =>
      table(`Cases opened by ${asOf}`, [
        { label: "Case", value: (c) => c.id },
        { label: "Kind", value: (c) => String(c.kind ?? "—").replace(/_/g, " ") },
        { label: "Severity", value: (c) => c.severity ?? "—" },
        { label: "Status", value: (c) => {
          const st = String(statusAsOf(c, asOf) ?? "—");
          return h("span", { class: `badge ${st === "open" || st.startsWith("confirmed") ? "bad" : "ok"}` }, st.replace(/_/g, " "));
        } },
        { label: "Opened", value: (c) => date(c.opened) },
        { label: "Age (days)", value: (c) => (statusAsOf(c, asOf) === "open" ? String(daysBetween(c.opened, asOf)) : "—"), numeric: true },
        { label: "Source", value: (c) => c.source ?? "—" },
        { label: "Differences", value: (c) => (c.differences ?? []).map(difference).join(", ") || "—" },
        { label: "Log", value: (c) => (c.opened_index !== undefined ? verifyButton(api, c.opened_index, `opening entry ${c.opened_index}`) : "—") },
      ], rows, "No cases opened by this date."),
    ),
  ]);
}
