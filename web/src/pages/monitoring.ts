// End-use monitoring: items due or delinquent, inspections, compliance and
// cases with their age. Parts a node does not serve yet say so in words.
import { ApiError, type Entity } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { daysBetween, date, num, today } from "../format";
import { label, t } from "../i18n";
import { section } from "../ui/states";
import { table } from "../ui/table";
import { verifyButton } from "../ui/verify";
import { dateInput } from "../ui/dateinput";
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
  const what = d.kind ?? d.result ? label("status", String(d.kind ?? d.result)) : t("monitoring.difference");
  const subject = d.serial ?? d.item;
  if (subject) return `${subject} (${what})`;
  return d.days_late !== undefined ? `${what}, ${t("common.days", { count: d.days_late })}` : what;
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
  return h("p", { class: "state unavailable", role: "status" }, `${what}: ${t("state.unavailable")}`);
}

export async function monitoringPage(ctx: Ctx, query?: URLSearchParams): Promise<void> {
  const { api } = ctx;
  const asOf = query?.get("as_of") ?? today();
  const { input, words } = dateInput("as-of", "as_of", asOf);
  const form = h("form", { class: "inline" }, h("label", { for: "as-of" }, t("common.asOf"), input), words, h("button", { type: "submit" }, t("common.show")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#/monitoring?as_of=${encodeURIComponent(input.value)}`;
  });
  const due = h("section", { "aria-labelledby": "m-due" });
  const compliance = h("section", { "aria-labelledby": "m-compliance" });
  const inspections = h("section", { "aria-labelledby": "m-inspections" });
  const cases = h("section", { "aria-labelledby": "m-cases" });
  ctx.main.append(
    h("h1", {}, t("monitoring.title")),
    form,
    h("h2", { id: "m-due" }, t("monitoring.due")),
    due,
    h("h2", { id: "m-compliance" }, t("monitoring.compliance")),
    compliance,
    h("h2", { id: "m-inspections" }, t("monitoring.inspections")),
    inspections,
    h("h2", { id: "m-cases" }, t("monitoring.cases")),
    cases,
  );
  await Promise.all([
    section(due, t("monitoring.loading.due"), () => optional(() => api.json(`/v1/eum/due?as-of=${asOf}`)), (r) =>
      r instanceof ApiError ? unavailable(t("monitoring.dueForInventory")) : dueView(r),
    ),
    section(compliance, t("monitoring.loading.compliance"), () => optional(() => api.report("eum", { "as-of": asOf })), (r) =>
      r instanceof ApiError ? unavailable(t("overview.complianceReport")) : complianceView(r),
    ),
    section(inspections, t("monitoring.loading.inspections"), async () => {
      const r = await optional(() => api.list<Inspection>("inspections"));
      return r instanceof ApiError ? r : r.filter((i) => !i.scheduled || i.scheduled <= asOf);
    }, (r) =>
      r instanceof ApiError
        ? unavailable(t("monitoring.inspections"))
        : table(t("monitoring.inspectionsBy", { date: date(asOf) }), [
            { label: t("col.inspection"), value: (i) => i.id },
            { label: t("col.kind"), value: (i) => label("status", i.kind) },
            { label: t("col.agreement"), value: (i) => String(i.agreement ?? "—") },
            { label: t("col.scheduled"), value: (i) => date(i.scheduled) },
            { label: t("col.access"), value: (i) => (i.access ?? []).map((a) => `${a.answer ? label("status", a.answer) : t("monitoring.noAnswer")}${a.in_time === false ? ` (${t("monitoring.late")})` : a.in_time ? ` (${t("monitoring.inTime")})` : ""}`).join("; ") || "—" },
            { label: t("col.completed"), value: (i) => date(i.completed) },
            { label: t("col.findings"), value: (i) => Object.entries(i.counts ?? {}).map(([k, v]) => `${label("status", k)} ${num(v)}`).join(", ") || "—" },
            { label: t("col.status"), value: (i) => h("span", { class: `badge ${i.case ? "warn" : i.status === "completed" ? "ok" : ""}` }, label("status", i.status)) },
            { label: t("col.case"), value: (i) => String(i.case ?? "—") },
            { label: t("col.log"), value: (i) => {
              const idx = i.completed_index ?? i.scheduled_index;
              return typeof idx === "number" ? verifyButton(api, idx) : "—";
            } },
          ], r, t("monitoring.noInspections")),
    ),
    section(cases, t("monitoring.loading.cases"), async () => (await api.list<Case>("cases")).filter((c) => c.opened <= asOf), (rows) =>
      table(t("monitoring.casesBy", { date: date(asOf) }), [
        { label: t("col.case"), value: (c) => c.id },
        { label: t("col.kind"), value: (c) => label("status", c.kind) },
        { label: t("col.severity"), value: (c) => label("status", c.severity) },
        { label: t("col.status"), value: (c) => {
          const st = String(statusAsOf(c, asOf) ?? "—");
          return h("span", { class: `badge ${st === "open" || st.startsWith("confirmed") ? "bad" : "ok"}` }, label("status", st));
        } },
        { label: t("col.opened"), value: (c) => date(c.opened) },
        { label: t("col.ageDays"), value: (c) => (statusAsOf(c, asOf) === "open" ? num(daysBetween(c.opened, asOf)) : "—"), numeric: true },
        { label: t("col.source"), value: (c) => c.source ?? "—" },
        { label: t("col.differences"), value: (c) => (c.differences ?? []).map(difference).join(", ") || "—" },
        { label: t("col.log"), value: (c) => (c.opened_index !== undefined ? verifyButton(api, c.opened_index) : "—") },
      ], rows, t("monitoring.noCases")),
    ),
  ]);
}
