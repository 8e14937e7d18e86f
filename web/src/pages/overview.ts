// The state of cooperation at a glance.
import { ApiError, type Entity } from "../api";
import type { Ctx } from "../context";
import { h, route } from "../dom";
import { date, milli, money, num, pct, today } from "../format";
import { label, t } from "../i18n";
import { barChart } from "../ui/chart";
import { complianceView } from "./eum";
import { errorBox, section } from "../ui/states";
import { table } from "../ui/table";
import { contractValues, deliveriesPerYear, loadDeliveryData } from "./data";

interface Agreement extends Entity {
  title?: string;
  status: string;
  parties?: string[];
  signed_date?: string;
  in_force_from?: string;
  pricing_rule?: string;
}

export async function overviewPage(ctx: Ctx): Promise<void> {
  const { api, main } = ctx;
  const agreements = h("section", { "aria-labelledby": "ov-agreements" });
  const figures = h("section", { "aria-labelledby": "ov-deliveries" });
  const monitoring = h("section", { "aria-labelledby": "ov-monitoring" });
  const coop = h("section", { "aria-labelledby": "ov-coop" });
  main.append(
    h("h1", {}, t("overview.title")),
    h("h2", { id: "ov-agreements" }, t("overview.agreements")),
    agreements,
    h("h2", { id: "ov-deliveries" }, t("overview.deliveries")),
    figures,
    h("div", { class: "grid" }, h("div", {}, h("h2", { id: "ov-monitoring" }, t("overview.monitoring")), monitoring), h("div", {}, h("h2", { id: "ov-coop" }, t("overview.coop")), coop)),
  );
  await Promise.all([
    section(agreements, t("overview.loading.agreements"), () => api.list<Agreement>("agreements"), (rows) =>
      table(t("overview.agreementsTable"), [
        { label: t("col.agreement"), value: (a) => a.id },
        { label: t("col.title"), value: (a) => a.title ?? "" },
        { label: t("col.parties"), value: (a) => (a.parties ?? []).join(", ") },
        { label: t("col.signed"), value: (a) => date(a.signed_date) },
        { label: t("col.status"), value: (a) => h("span", { class: `badge ${a.status === "in_force" ? "ok" : "warn"}` }, label("status", a.status)) },
        { label: t("col.inForceFrom"), value: (a) => date(a.in_force_from) },
        { label: t("col.pricingRule"), value: (a) => label("status", a.pricing_rule) },
      ], rows, t("overview.noAgreements")),
    ),
    section(figures, t("overview.loading.deliveries"), () => loadDeliveryData(api), (d) => {
      const years = deliveriesPerYear(d.shipments, d.contracts, d.products);
      const values = contractValues(d.contracts);
      const items = years.reduce((s, y) => s + y.items, 0);
      const tiv = years.reduce((s, y) => s + y.tivMilli, 0);
      const flagged = values.reduce((s, v) => s + v.flagged, 0);
      const priced = values.filter((v) => v.domesticMinor !== null && v.domesticMinor > 0);
      return [
        h(
          "div",
          { class: "cards" },
          card(t("overview.card.contracts"), num(d.contracts.length)),
          card(t("overview.card.shipments"), num(d.shipments.length)),
          card(t("overview.card.items"), num(items)),
          card(t("overview.card.tiv"), milli(tiv, 2)),
          card(t("overview.card.flagged"), num(flagged), flagged > 0 ? "bad" : "ok"),
        ),
        h(
          "div",
          { class: "grid" },
          h("div", {},
            barChart(t("overview.chart.deliveries"), years.map((y) => String(y.year)), [
              { label: t("col.items"), data: years.map((y) => y.items) },
              { label: t("col.tivMillions"), data: years.map((y) => y.tivMilli / 1000), axis: "y2", type: "line" },
            ], { y: t("axis.items"), y2: t("axis.tiv") }),
            table(t("overview.deliveriesTable"), [
              { label: t("col.year"), value: (y) => y.year },
              { label: t("col.items"), value: (y) => num(y.items), numeric: true },
              { label: t("col.tivMillions"), value: (y) => milli(y.tivMilli, 2), numeric: true },
            ], years, t("overview.noDeliveries")),
          ),
          h("div", {},
            barChart(t("overview.chart.ratio"), priced.map((v) => v.id), [
              { label: t("overview.chart.ratioSeries"), data: priced.map((v) => Math.round((1000 * v.contractMinor) / v.domesticMinor!) / 10) },
            ], { y: "%" }),
            table(t("overview.valuesTable"), [
              { label: t("col.contract"), value: (v) => h("a", { href: route("contracts", v.id) }, v.id) },
              { label: t("col.atContractPrices"), value: (v) => money(v.contractMinor, v.currency), numeric: true },
              { label: t("col.atDomesticPrices"), value: (v) => (v.domesticMinor === null ? t("overview.noDomesticPrice") : money(v.domesticMinor, v.currency)), numeric: true },
              { label: t("col.contractToDomestic"), value: (v) => (v.domesticMinor ? pct(v.contractMinor, v.domesticMinor) : "—"), numeric: true },
              { label: t("col.flaggedLines"), value: (v) => (v.flagged ? h("span", { class: "flag" }, t("overview.aboveTolerance", { count: v.flagged })) : t("common.none")) },
            ], values, t("contracts.none")),
          ),
        ),
      ];
    }),
    section(monitoring, t("overview.loading.compliance"), async () => {
      const [cases, eum] = await Promise.all([
        api.list("cases"),
        api.report("eum", { "as-of": today() }).catch((e) => (e instanceof ApiError && e.status === 404 ? e : Promise.reject(e))),
      ]);
      return { cases, eum };
    }, ({ cases, eum }) => {
      const open = cases.filter((c) => c.status === "open").length;
      return [
        h("div", { class: "cards" }, card(t("overview.card.openCases"), num(open), open ? "bad" : "ok"), card(t("overview.card.allCases"), num(cases.length))),
        eum instanceof ApiError ? errorBox(eum, t("overview.complianceReport")) : complianceView(eum),
        h("p", {}, h("a", { href: "#/monitoring" }, t("overview.monitoringLink"))),
      ];
    }),
    section(coop, t("overview.loading.coop"), () => api.report<Record<string, number>[]>("cooperation"), (rows) => [
      barChart(t("overview.chart.coop"), rows.map((r) => String(r.year)), [
        { label: t("col.exercisesHeld"), data: rows.map((r) => r.exercises_held ?? 0) },
        { label: t("col.traineesEnrolled"), data: rows.map((r) => r.trainees_enrolled ?? 0) },
        { label: t("col.traineesGraduated"), data: rows.map((r) => r.trainees_graduated ?? 0) },
      ]),
      table(t("overview.coopTable"), [
        { label: t("col.year"), value: (r) => r.year },
        { label: t("col.exercisesHeld"), value: (r) => num(r.exercises_held), numeric: true },
        { label: t("col.participants"), value: (r) => num(r.participants), numeric: true },
        { label: t("col.traineesEnrolled"), value: (r) => num(r.trainees_enrolled), numeric: true },
        { label: t("col.traineesGraduated"), value: (r) => num(r.trainees_graduated), numeric: true },
      ], rows, t("coop.none")),
    ]),
  ]);
}

function card(label: string, value: string, tone = ""): HTMLElement {
  return h("div", { class: `card ${tone}` }, h("span", { class: "big" }, value), label);
}
