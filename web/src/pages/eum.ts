// End-use monitoring figures as the node reports them (GET /v1/eum/due and
// GET /v1/reports/eum, the JSON of `accord eum due` / `accord report eum`),
// flattened into rows for tables and charts. Pure functions: tested without
// a browser.
import { h, type Child } from "../dom";
import { date, num, percent } from "../format";
import { t } from "../i18n";
import { doughnutChart } from "../ui/chart";
import { renderJson } from "../ui/generic";
import { table } from "../ui/table";

type Rec = Record<string, unknown>;
const n = (v: unknown) => (typeof v === "number" ? v : 0);
const s = (v: unknown) => (v === null || v === undefined ? "" : String(v));

export interface DueRow {
  status: "delinquent" | "due";
  recipient: string;
  unit: string;
  item: string;
  serial: string;
  product: string;
  agreement: string;
  due: string;
  days: number; // delinquent: days overdue; due: days left
  lastInventory: string;
  location: string;
}

export interface DueSummary {
  asOf: string;
  withinDays: number;
  monitored: number | null; // only admins see the total over every party
  rows: DueRow[];
}

// Null when the JSON is not of the expected shape.
export function dueRows(j: unknown): DueSummary | null {
  const o = j as Rec;
  if (!o || !Array.isArray(o.units)) return null;
  const rows: DueRow[] = [];
  for (const u of o.units as Rec[]) {
    for (const status of ["delinquent", "due"] as const) {
      for (const i of (u[status] as Rec[] | undefined) ?? []) {
        rows.push({
          status,
          recipient: s(u.recipient),
          unit: s(u.unit),
          item: s(i.item),
          serial: s(i.serial),
          product: s(i.product),
          agreement: s(i.agreement),
          due: s(i.due),
          days: n(status === "delinquent" ? i.days_overdue : i.days_left),
          lastInventory: s(i.last_inventory),
          location: s(i.location),
        });
      }
    }
  }
  const monitored = o.items_monitored === undefined ? null : n(o.items_monitored);
  return { asOf: s(o.as_of), withinDays: n(o.within_days), monitored, rows };
}

export interface ComplianceRow {
  agreement: string;
  supplier: string;
  recipient: string;
  monitored: number;
  assessed: number;
  onTime: number;
  onTimePercent: number | null;
  delinquent: number;
  maxDaysOverdue: number;
  accessRequests: number;
  accessInTime: number;
  accessLate: number;
  accessUnanswered: number;
  accessPending: number;
  casesOpen: number;
  casesOpenByAge: Record<string, number>;
  casesResolved: number;
  violations: number;
}

export function complianceRows(j: unknown): ComplianceRow[] | null {
  const o = j as Rec;
  if (!o || !Array.isArray(o.rows)) return null;
  return (o.rows as Rec[]).map((r) => {
    const inv = (r.inventory as Rec) ?? {};
    const acc = (r.access as Rec) ?? {};
    const cases = (r.cases as Rec) ?? {};
    const age = (cases.open_by_age as Rec) ?? {};
    return {
      agreement: s(r.agreement),
      supplier: s(r.supplier),
      recipient: s(r.recipient),
      monitored: n(inv.items_monitored),
      assessed: n(inv.items_assessed),
      onTime: n(inv.items_on_time),
      onTimePercent: typeof inv.on_time_percent === "number" ? inv.on_time_percent : null,
      delinquent: n(inv.items_delinquent),
      maxDaysOverdue: n(inv.max_days_overdue),
      accessRequests: n(acc.requests),
      accessInTime: n(acc.answered_in_time),
      accessLate: n(acc.answered_late),
      accessUnanswered: n(acc.unanswered_past_deadline),
      accessPending: n(acc.pending),
      casesOpen: n(cases.open),
      casesOpenByAge: Object.fromEntries(Object.entries(age).map(([k, v]) => [k, n(v)])),
      casesResolved: n(cases.resolved),
      violations: n(cases.confirmed_violations),
    };
  });
}

export function dueView(j: unknown, serials = true): Child {
  const d = dueRows(j);
  if (!d) return renderJson(t("eum.itemsDue"), j);
  const delinquent = d.rows.filter((r) => r.status === "delinquent");
  const due = d.rows.filter((r) => r.status === "due");
  const cols = (days: string) => [
    { label: t("col.recipientUnit"), value: (r: DueRow) => `${r.recipient} / ${r.unit}` },
    { label: t("col.item"), value: (r: DueRow) => (serials ? h("a", { href: `#/items/${r.item.split("/").map(encodeURIComponent).join("/")}` }, r.item) : r.product) },
    { label: t("col.agreement"), value: (r: DueRow) => r.agreement },
    { label: t("col.due"), value: (r: DueRow) => date(r.due) },
    { label: days, value: (r: DueRow) => num(r.days), numeric: true },
    { label: t("col.lastInventory"), value: (r: DueRow) => (r.lastInventory ? date(r.lastInventory) : t("eum.noneYet")) },
    { label: t("col.location"), value: (r: DueRow) => r.location || "—" },
  ];
  return [
    h("p", {}, t("eum.summary", { date: date(d.asOf), monitored: d.monitored === null ? "" : t("eum.monitored", { count: d.monitored }), delinquent: num(delinquent.length), due: num(due.length), days: t("common.days", { count: d.withinDays }) })),
    table(t("eum.delinquentTable"), cols(t("col.daysOverdue")), delinquent, t("eum.noDelinquent")),
    table(t("eum.dueTable", { days: t("common.days", { count: d.withinDays }) }), cols(t("col.daysLeft")), due, t("eum.noDue")),
  ];
}

export function complianceView(j: unknown): Child {
  const rows = complianceRows(j);
  if (!rows) return renderJson(t("eum.compliance"), j);
  const sum = (f: (r: ComplianceRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  const onTime = sum((r) => r.onTime);
  const late = sum((r) => r.assessed - r.onTime);
  const notYet = sum((r) => r.monitored - r.assessed);
  return [
    rows.length
      ? doughnutChart(t("eum.chart"), [t("eum.onTime"), t("eum.lateOrMissed"), t("eum.notYet")], [onTime, late, notYet])
      : null,
    table(t("eum.complianceTable"), [
      { label: t("col.agreement"), value: (r: ComplianceRow) => r.agreement },
      { label: t("col.supplierRecipient"), value: (r) => `${r.supplier} → ${r.recipient}` },
      { label: t("col.itemsMonitored"), value: (r) => num(r.monitored), numeric: true },
      { label: t("col.inventoriedOnTime"), value: (r) => percent(r.onTimePercent), numeric: true },
      { label: t("col.delinquent"), value: (r) => num(r.delinquent), numeric: true },
      { label: t("col.maxDaysOverdue"), value: (r) => num(r.maxDaysOverdue), numeric: true },
      { label: t("col.accessRequests"), value: (r) => `${num(r.accessRequests)} (${num(r.accessInTime)} / ${num(r.accessLate)} / ${num(r.accessUnanswered)} / ${num(r.accessPending)})` },
      { label: t("col.openCasesByAge"), value: (r) => `${num(r.casesOpen)}${r.casesOpen ? ` (${Object.entries(r.casesOpenByAge).filter(([, v]) => v).map(([k, v]) => `${k.startsWith("over-") ? t("eum.ageOver", { days: k.slice(5) }) : t("eum.ageDays", { age: k.replace("-", "–") })}: ${num(v)}`).join(", ")})` : ""}` },
      { label: t("col.resolved"), value: (r) => num(r.casesResolved), numeric: true },
      { label: t("col.violations"), value: (r) => num(r.violations), numeric: true },
    ], rows, t("eum.noneMonitored")),
  ];
}
