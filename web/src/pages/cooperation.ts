// Cooperation: training, exercises, consultations and visits per year, and
// the records behind them where the node serves them.
import { ApiError, type Api } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { num } from "../format";
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
      barChart("Exercises per year", years, [
        { label: "Held", data: rows.map((r) => r.exercises_held ?? 0) },
        { label: "Planned", data: rows.map((r) => r.exercises_planned ?? 0) },
      ]),
      barChart("Trainees per year", years, [
        { label: "Enrolled", data: rows.map((r) => r.trainees_enrolled ?? 0) },
        { label: "Graduated", data: rows.map((r) => r.trainees_graduated ?? 0) },
      ]),
    ),
    table("Cooperation per year", [
      { label: "Year", value: (r) => r.year },
      { label: "Exercises held", value: (r) => num(r.exercises_held), numeric: true },
      { label: "Exercises planned", value: (r) => num(r.exercises_planned), numeric: true },
      { label: "Participants", value: (r) => num(r.participants), numeric: true },
      { label: "Trainees enrolled", value: (r) => num(r.trainees_enrolled), numeric: true },
      { label: "Trainees graduated", value: (r) => num(r.trainees_graduated), numeric: true },
      { label: "Consultations held", value: (r) => num(r.consultations_held), numeric: true },
      { label: "Open follow-ups", value: (r) => num(r.followups_open), numeric: true },
      { label: "Specialist visits", value: (r) => num(r.visits), numeric: true },
      { label: "Joint activities", value: (r) => num(r.joint_activities), numeric: true },
    ], rows, "No cooperation recorded."),
  ];
}

type Rec = Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null || v === "" ? "—" : String(v));
const sub = (r: Rec, k: string) => (r[k] as Rec | undefined) ?? {};

// One table per cooperation collection; the log entry that completed (or
// planned) each activity can be verified in place.
function collectionTable(api: Api, kind: string, label: string, rows: Rec[]): Node {
  const verify = (idx: unknown) => (typeof idx === "number" ? verifyButton(api, idx, `entry ${idx}`) : "—");
  const common = [
    { label: "Id", value: (r: Rec) => str(r.id) },
    { label: "Agreement", value: (r: Rec) => str(r.agreement) },
    { label: "Status", value: (r: Rec) => str(r.status).replace(/_/g, " ") },
  ];
  switch (kind) {
    case "exercises":
      return table(label, [
        ...common,
        { label: "Name", value: (r) => str(r.name) },
        { label: "Host", value: (r) => str(r.host) },
        { label: "Dates", value: (r) => `${str(r.start)} – ${str(r.end)}` },
        { label: "Location", value: (r) => str(r.location) },
        { label: "Participants", value: (r) => ((r.participants as Rec[]) ?? []).map((p) => `${str(p.party)} ${num(p.headcount as number)}`).join(", ") || "—" },
        { label: "Log", value: (r) => verify(sub(r, "conducted").index ?? r.planned_index) },
      ], rows, "No exercises recorded.");
    case "courses":
      return table(label, [
        ...common,
        { label: "Subject", value: (r) => str(r.subject) },
        { label: "Institution", value: (r) => str(r.institution) },
        { label: "Dates", value: (r) => `${str(r.start)} – ${str(r.end)}` },
        { label: "Seats", value: (r) => Object.entries(sub(r, "seats")).map(([p, n]) => `${p} ${str(n)}`).join(", ") || "—" },
        { label: "Trainees", value: (r) => num(Object.keys(sub(r, "trainees")).length), numeric: true },
        { label: "Graduated", value: (r) => num(Object.values(sub(r, "trainees")).filter((t) => (t as Rec).status === "graduated").length), numeric: true },
        { label: "Log", value: (r) => verify(r.planned_index) },
      ], rows, "No courses recorded.");
    case "consultations":
      return table(label, [
        ...common,
        { label: "Topic", value: (r) => str(r.topic) },
        { label: "Requested by", value: (r) => `${str(r.requested_by)}, ${str(r.requested)}` },
        { label: "Held", value: (r) => (r.held ? `${str(sub(r, "held").date)}, ${str(sub(r, "held").place)}` : "—") },
        { label: "Outcome", value: (r) => str(sub(r, "held").outcome) },
        { label: "Log", value: (r) => verify(sub(r, "held").index ?? r.requested_index) },
      ], rows, "No consultations recorded.");
    default:
      return table(label, [
        ...common,
        { label: "Field", value: (r) => str(r.field) },
        { label: "Visiting → host", value: (r) => `${str(r.visiting_party)} → ${str(r.host)}` },
        { label: "Dates", value: (r) => `${str(r.start)} – ${str(r.end)}` },
        { label: "Specialists", value: (r) => num(r.specialists as number), numeric: true },
        { label: "Log", value: (r) => verify(sub(r, "completed").index ?? r.planned_index) },
      ], rows, "No visits recorded.");
  }
}

const COLLECTIONS: [string, string][] = [
  ["exercises", "Exercises"],
  ["courses", "Courses"],
  ["consultations", "Consultations"],
  ["visits", "Specialist visits"],
];

export async function cooperationPage(ctx: Ctx): Promise<void> {
  const { api } = ctx;
  const yearly = h("section", { "aria-labelledby": "c-yearly" });
  const lists = COLLECTIONS.map(([kind, label]) => [kind, label, h("section", { "aria-label": label })] as const);
  ctx.main.append(
    h("h1", {}, "Cooperation"),
    h("h2", { id: "c-yearly" }, "Per year"),
    yearly,
    ...lists.flatMap(([, label, el]) => [h("h2", {}, label), el]),
  );
  await Promise.all([
    section(yearly, "the cooperation report", () => api.report<CoopYear[]>("cooperation"), cooperationView),
    ...lists.map(([kind, label, el]) =>
      section(el, label.toLowerCase(), async () => {
        try {
          return await api.list<Rec & { id: string }>(kind);
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return e;
          throw e;
        }
      }, (r) => (r instanceof ApiError ? h("p", { class: "state unavailable", role: "status" }, `${label}: not available on this node.`) : collectionTable(api, kind, label, r))),
    ),
  ]);
}
