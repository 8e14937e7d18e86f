// Reports as tables and charts, each downloadable as the node's own CSV:
// SIPRI TIV, the ATT annual report, the UN Register form, monitoring and
// cooperation.
import type { Api, Json } from "../api";
import type { Ctx } from "../context";
import { h, replace, type Child } from "../dom";
import { milli, num, today } from "../format";
import { t, type Key } from "../i18n";
import { barChart } from "../ui/chart";
import { errorBox } from "../ui/states";
import { download, table } from "../ui/table";
import { dateInput } from "../ui/dateinput";
import { cooperationView, type CoopYear } from "./cooperation";
import { complianceView } from "./eum";

interface Param {
  name: string;
  label: Key;
  type: "text" | "number" | "date";
  value: () => string;
  optional?: boolean;
}

interface ReportSpec {
  id: string;
  title: Key;
  about: Key;
  params: Param[];
  fixed?: Record<string, string>;
  render: (data: unknown, params: Record<string, string>) => Child;
}

const lastYear = () => String(new Date().getFullYear() - 1);

interface TransferRow {
  category: string;
  description?: string;
  partner: string;
  partner_name?: string;
  items?: number;
  actual?: { items: number; value_minor?: number };
  authorized?: { items: number; value_minor?: number };
  comments?: string;
  intermediate_locations?: string[];
  currency?: string;
}
interface TransferReport {
  party: string;
  party_name?: string;
  year: number;
  nil_report?: boolean;
  exports: { nil_report: boolean; rows: TransferRow[] };
  imports: { nil_report: boolean; rows: TransferRow[] };
}

function transfers(kind: "att" | "unroca") {
  return (data: unknown): Child => {
    const r = data as TransferReport;
    const itemsOf = (x: TransferRow) => x.items ?? x.actual?.items ?? 0;
    const part = (title: string, p: { nil_report: boolean; rows: TransferRow[] }) => {
      const cats = [...new Set(p.rows.map((x) => x.category))].sort();
      return h(
        "div",
        {},
        h("h3", {}, title),
        p.nil_report
          ? h("p", { class: "state empty" }, t("reports.nil"))
          : [
              barChart(t("reports.byCategory", { part: title }), cats, [
                { label: t("col.items"), data: cats.map((c) => p.rows.filter((x) => x.category === c).reduce((s, x) => s + itemsOf(x), 0)) },
              ]),
              table(title, [
                { label: t("col.category"), value: (x: TransferRow) => x.category },
                { label: t("col.partner"), value: (x) => x.partner_name ?? x.partner },
                { label: t("col.description"), value: (x) => x.description ?? "" },
                ...(kind === "att"
                  ? [
                      { label: t("col.authorizedItems"), value: (x: TransferRow) => num(x.authorized?.items ?? 0), numeric: true },
                      { label: t("col.actualItems"), value: (x: TransferRow) => num(x.actual?.items ?? 0), numeric: true },
                    ]
                  : [
                      { label: t("col.items"), value: (x: TransferRow) => num(x.items ?? 0), numeric: true },
                      { label: t("col.intermediateLocations"), value: (x: TransferRow) => (x.intermediate_locations ?? []).join(", ") || "—" },
                    ]),
                { label: t("col.comments"), value: (x) => x.comments ?? "" },
              ], p.rows),
            ],
      );
    };
    return h("div", {}, h("p", {}, `${r.party_name ?? r.party}, ${r.year}${r.nil_report ? ` — ${t("reports.nilShort")}` : ""}`), part(t("reports.exports"), r.exports), part(t("reports.imports"), r.imports));
  };
}

export const REPORTS: ReportSpec[] = [
  {
    id: "tiv",
    title: "reports.tiv.title",
    about: "reports.tiv.about",
    params: [
      { name: "from", label: "reports.firstYear", type: "number", value: () => "", optional: true },
      { name: "to", label: "reports.lastYear", type: "number", value: () => "", optional: true },
    ],
    fixed: { dataset: "accord", by: "year" },
    render: (data) => {
      const rows = data as { year: number; tiv_milli: number }[];
      return [
        barChart(t("tiv.chart"), rows.map((r) => String(r.year)), [{ label: t("col.tivMillions"), data: rows.map((r) => r.tiv_milli / 1000) }]),
        table(t("tiv.table"), [
          { label: t("col.year"), value: (r) => r.year },
          { label: t("col.tivMillions"), value: (r) => milli(r.tiv_milli, 2), numeric: true },
        ], rows, t("tiv.noneInYears")),
      ];
    },
  },
  {
    id: "att",
    title: "reports.att.title",
    about: "reports.att.about",
    params: [
      { name: "party", label: "col.party", type: "text", value: () => "UZ" },
      { name: "year", label: "col.year", type: "number", value: lastYear },
    ],
    render: transfers("att"),
  },
  {
    id: "unroca",
    title: "reports.unroca.title",
    about: "reports.unroca.about",
    params: [
      { name: "party", label: "col.party", type: "text", value: () => "RU" },
      { name: "year", label: "col.year", type: "number", value: lastYear },
    ],
    render: transfers("unroca"),
  },
  {
    id: "eum",
    title: "reports.eum.title",
    about: "reports.eum.about",
    params: [{ name: "as-of", label: "common.asOf", type: "date", value: today }],
    render: (data) => complianceView(data),
  },
  {
    id: "cooperation",
    title: "reports.coop.title",
    about: "reports.coop.about",
    params: [
      { name: "from", label: "reports.firstYear", type: "number", value: () => "", optional: true },
      { name: "to", label: "reports.lastYear", type: "number", value: () => "", optional: true },
    ],
    render: (data) => cooperationView(data as CoopYear[]),
  },
];

function progressBox(what: string): { el: HTMLElement; stop: () => void } {
  const started = Date.now();
  const secs = h("span", {}, t("reports.seconds", { count: 0 }));
  const el = h(
    "div",
    { class: "state loading", role: "status" },
    h("progress", { "aria-label": t("reports.preparing", { what }) }),
    ` ${t("reports.preparing", { what })}… `,
    secs,
  );
  const timer = setInterval(() => (secs.textContent = t("reports.seconds", { count: Math.round((Date.now() - started) / 1000) })), 1000);
  return { el, stop: () => clearInterval(timer) };
}

function cleanParams(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ""));
}

export async function runReport(api: Api, spec: ReportSpec, params: Record<string, string>, out: HTMLElement): Promise<void> {
  const p = progressBox(t(spec.title));
  replace(out, p.el);
  out.setAttribute("aria-busy", "true");
  try {
    const data = await api.report<Json>(spec.id, { ...spec.fixed, ...params });
    replace(out, spec.render(data, params));
  } catch (e) {
    replace(out, errorBox(e, t(spec.title)));
  } finally {
    p.stop();
    out.removeAttribute("aria-busy");
  }
}

export function reportsPage(ctx: Ctx, query: URLSearchParams): void {
  const spec = REPORTS.find((r) => r.id === query.get("r")) ?? REPORTS[0];
  const tabs = h(
    "nav",
    { class: "tabs", "aria-label": t("reports.title") },
    REPORTS.map((r) => h("a", { href: `#/reports?r=${r.id}`, "aria-current": r.id === spec.id ? "page" : null }, t(r.title))),
  );
  const inputs = spec.params.map((p) => {
    const value = query.get(p.name) ?? p.value();
    const date = p.type === "date" ? dateInput(`p-${p.name}`, p.name, value) : null;
    const input =
      date?.input ??
      h("input", { id: `p-${p.name}`, name: p.name, type: p.type, value, required: !p.optional, inputmode: p.type === "number" ? "numeric" : null });
    if (!p.optional) input.required = true;
    const text = p.optional ? t("reports.optional", { what: t(p.label) }) : t(p.label);
    return { p, input, label: [h("label", { for: `p-${p.name}` }, text, input), date?.words] };
  });
  const values = () => cleanParams(Object.fromEntries(inputs.map(({ p, input }) => [p.name, input.value.trim()])));
  const out = h("section", { "aria-live": "polite", "aria-label": t(spec.title) });
  const csvMsg = h("span", { role: "status" });
  const csvBtn = h("button", { type: "button", class: "secondary" }, t("reports.downloadCsv"));
  csvBtn.addEventListener("click", async () => {
    csvBtn.disabled = true;
    replace(csvMsg, ` ${t("reports.preparingCsv")}`);
    try {
      const v = values();
      const csv = await ctx.api.reportCsv(spec.id, { ...spec.fixed, ...v });
      // The server's name for the file, else the same scheme: name-party-year.
      const suffix = Object.values(v).join("-");
      download(csv.filename ?? `${spec.id}${suffix ? `-${suffix}` : ""}.csv`, csv.text);
      replace(csvMsg, ` ${t("reports.downloaded")}`);
    } catch (e) {
      replace(csvMsg, errorBox(e, "CSV"));
    } finally {
      csvBtn.disabled = false;
    }
  });
  const form = h("form", { class: "inline" }, inputs.map((i) => i.label), h("button", { type: "submit" }, t("reports.show")), csvBtn, csvMsg);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams({ r: spec.id, ...values() });
    const next = `#/reports?${q}`;
    if (location.hash === next) void runReport(ctx.api, spec, values(), out);
    else location.hash = next;
  });
  ctx.main.append(h("h1", {}, t("reports.title")), tabs, h("h2", {}, t(spec.title)), h("p", {}, t(spec.about)), form, out);
  void runReport(ctx.api, spec, values(), out);
}
