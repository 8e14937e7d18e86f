// Cooperation: training, exercises, consultations and visits per year, and
// the records behind them where the node serves them.
import { ApiError, type Api } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { date, num } from "../format";
import { label, t, type Key } from "../i18n";
import { barChart } from "../ui/chart";
import { section } from "../ui/states";
import { table } from "../ui/table";
import { verifyButton } from "../ui/verify";

export interface CoopYear {
  year: number;
  exercises_held?: number;
  exercises_planned?: number;
  participants?: number;
  trainees_enrolled?: number;
  trainees_graduated?: number;
  consultations_held?: number;
  followups_open?: number;
  visits?: number;
  joint_activities?: number;
  training?: { institution: string; enrolled: number; graduated: number }[];
}

export function cooperationView(rows: CoopYear[]): Node[] {
  const years = rows.map((r) => String(r.year));
  return [
    h(
      "div",
      { class: "grid" },
      barChart(t("coop.chart.exercises"), years, [
        { label: t("coop.held"), data: rows.map((r) => r.exercises_held ?? 0) },
        { label: t("coop.planned"), data: rows.map((r) => r.exercises_planned ?? 0) },
      ]),
      barChart(t("coop.chart.trainees"), years, [
        { label: t("coop.enrolled"), data: rows.map((r) => r.trainees_enrolled ?? 0) },
        { label: t("coop.graduated"), data: rows.map((r) => r.trainees_graduated ?? 0) },
      ]),
    ),
    table(t("coop.perYearTable"), [
      { label: t("col.year"), value: (r) => r.year },
      { label: t("col.exercisesHeld"), value: (r) => num(r.exercises_held), numeric: true },
      { label: t("col.exercisesPlanned"), value: (r) => num(r.exercises_planned), numeric: true },
      { label: t("col.participants"), value: (r) => num(r.participants), numeric: true },
      { label: t("col.traineesEnrolled"), value: (r) => num(r.trainees_enrolled), numeric: true },
      { label: t("col.traineesGraduated"), value: (r) => num(r.trainees_graduated), numeric: true },
      { label: t("col.consultationsHeld"), value: (r) => num(r.consultations_held), numeric: true },
      { label: t("col.followupsOpen"), value: (r) => num(r.followups_open), numeric: true },
      { label: t("col.visits"), value: (r) => num(r.visits), numeric: true },
      { label: t("col.jointActivities"), value: (r) => num(r.joint_activities), numeric: true },
    ], rows, t("coop.none")),
  ];
}

type Rec = Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null || v === "" ? "—" : String(v));
const sub = (r: Rec, k: string) => (r[k] as Rec | undefined) ?? {};

// One table per cooperation collection; the log entry that completed (or
// planned) each activity can be verified in place.
function collectionTable(api: Api, kind: string, caption: string, rows: Rec[]): Node {
  const verify = (idx: unknown) => (typeof idx === "number" ? verifyButton(api, idx) : "—");
  const dates = (r: Rec) => `${date(r.start as string)} – ${date(r.end as string)}`;
  const common = [
    { label: t("col.id"), value: (r: Rec) => str(r.id) },
    { label: t("col.agreement"), value: (r: Rec) => str(r.agreement) },
    { label: t("col.status"), value: (r: Rec) => label("status", r.status as string) },
  ];
  switch (kind) {
    case "exercises":
      return table(caption, [
        ...common,
        { label: t("col.name"), value: (r) => str(r.name) },
        { label: t("col.host"), value: (r) => str(r.host) },
        { label: t("col.dates"), value: dates },
        { label: t("col.location"), value: (r) => str(r.location) },
        { label: t("col.participants"), value: (r) => ((r.participants as Rec[]) ?? []).map((p) => `${str(p.party)} ${num(p.headcount as number)}`).join(", ") || "—" },
        { label: t("col.log"), value: (r) => verify(sub(r, "conducted").index ?? r.planned_index) },
      ], rows, t("coop.noExercises"));
    case "courses":
      return table(caption, [
        ...common,
        { label: t("col.subject"), value: (r) => str(r.subject) },
        { label: t("col.institution"), value: (r) => str(r.institution) },
        { label: t("col.dates"), value: dates },
        { label: t("col.seats"), value: (r) => Object.entries(sub(r, "seats")).map(([p, n]) => `${p} ${str(n)}`).join(", ") || "—" },
        { label: t("col.trainees"), value: (r) => num(Object.keys(sub(r, "trainees")).length), numeric: true },
        { label: t("coop.graduated"), value: (r) => num(Object.values(sub(r, "trainees")).filter((t) => (t as Rec).status === "graduated").length), numeric: true },
        { label: t("col.log"), value: (r) => verify(r.planned_index) },
      ], rows, t("coop.noCourses"));
    case "consultations":
      return table(caption, [
        ...common,
        { label: t("col.topic"), value: (r) => str(r.topic) },
        { label: t("col.requestedBy"), value: (r) => `${str(r.requested_by)}, ${date(r.requested as string)}` },
        { label: t("coop.held"), value: (r) => (r.held ? `${date(sub(r, "held").date as string)}, ${str(sub(r, "held").place)}` : "—") },
        { label: t("col.outcome"), value: (r) => str(sub(r, "held").outcome) },
        { label: t("col.log"), value: (r) => verify(sub(r, "held").index ?? r.requested_index) },
      ], rows, t("coop.noConsultations"));
    default:
      return table(caption, [
        ...common,
        { label: t("col.field"), value: (r) => str(r.field) },
        { label: t("col.visitingHost"), value: (r) => `${str(r.visiting_party)} → ${str(r.host)}` },
        { label: t("col.dates"), value: dates },
        { label: t("col.specialists"), value: (r) => num(r.specialists as number), numeric: true },
        { label: t("col.log"), value: (r) => verify(sub(r, "completed").index ?? r.planned_index) },
      ], rows, t("coop.noVisits"));
  }
}

const COLLECTIONS: [string, Key][] = [
  ["exercises", "coop.exercises"],
  ["courses", "coop.courses"],
  ["consultations", "coop.consultations"],
  ["visits", "col.visits"],
];

export async function cooperationPage(ctx: Ctx): Promise<void> {
  const { api } = ctx;
  const yearly = h("section", { "aria-labelledby": "c-yearly" });
  const lists = COLLECTIONS.map(([kind, key]) => [kind, t(key), h("section", { "aria-label": t(key) })] as const);
  ctx.main.append(
    h("h1", {}, t("coop.title")),
    h("h2", { id: "c-yearly" }, t("coop.perYear")),
    yearly,
    ...lists.flatMap(([, name, el]) => [h("h2", {}, name), el]),
  );
  await Promise.all([
    section(yearly, t("coop.loading"), () => api.report<CoopYear[]>("cooperation"), cooperationView),
    ...lists.map(([kind, name, el]) =>
      section(el, name, async () => {
        try {
          return await api.list<Rec & { id: string }>(kind);
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return e;
          throw e;
        }
      }, (r) => (r instanceof ApiError ? h("p", { class: "state unavailable", role: "status" }, `${name}: ${t("state.unavailable")}`) : collectionTable(api, kind, name, r))),
    ),
  ]);
}
