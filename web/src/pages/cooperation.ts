// Cooperation: training, exercises, consultations and visits per year, and
// the records behind them where the node serves them.
import { ApiError } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { num } from "../format";
import { barChart } from "../ui/chart";
import { renderJson } from "../ui/generic";
import { section } from "../ui/states";
import { table } from "../ui/table";

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

const COLLECTIONS: [string, string][] = [
  ["courses", "Courses"],
  ["exercises", "Exercises"],
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
          return await api.list(kind);
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return e;
          throw e;
        }
      }, (r) => (r instanceof ApiError ? h("p", { class: "state unavailable", role: "status" }, `${label}: not available on this node.`) : (renderJson(label, r) as Node))),
    ),
  ]);
}
