// Charts with Chart.js (canvas), registered piece by piece so the bundle holds
// only bar, line and doughnut charts. Each chart is a figure whose canvas has
// a text alternative; the same numbers are always in a table beside it.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import { h } from "../dom";
import { numberTag } from "../format";

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export const PALETTE = ["#1f5f8b", "#c8702a", "#4f8a3c", "#8c3b6b", "#6b6b6b", "#b8a21f", "#2a9d8f", "#9c2f2f"];

export interface Series {
  label: string;
  data: number[];
  axis?: "y" | "y2";
  type?: "bar" | "line";
}

function figure(title: string, summary: string, config: ChartConfiguration): HTMLElement {
  const canvas = h("canvas", { role: "img", "aria-label": `${title}. ${summary}` });
  const fig = h("figure", { class: "chart" }, h("div", { class: "chart-box" }, canvas), h("figcaption", {}, title));
  // Created once the canvas is in the document, so it can measure itself.
  requestAnimationFrame(() => {
    if (canvas.isConnected) new Chart(canvas, config);
  });
  return fig;
}

const base = () => ({
  locale: numberTag(), // tick and tooltip numbers in the page's language
  animation: false as const,
  responsive: true,
  maintainAspectRatio: false,
});

export function barChart(title: string, labels: string[], series: Series[], opts: { stacked?: boolean; y2?: string; y?: string } = {}): HTMLElement {
  const summary = series.map((s) => `${s.label}: ${labels.map((l, i) => `${l} ${s.data[i] ?? 0}`).join(", ")}`).join("; ");
  const scales: Record<string, unknown> = {
    x: { stacked: !!opts.stacked },
    y: { stacked: !!opts.stacked, beginAtZero: true, title: { display: !!opts.y, text: opts.y } },
  };
  if (series.some((s) => s.axis === "y2")) {
    scales.y2 = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: !!opts.y2, text: opts.y2 } };
  }
  return figure(title, summary, {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s, i) => ({
        type: s.type ?? "bar",
        label: s.label,
        data: s.data,
        yAxisID: s.axis ?? "y",
        backgroundColor: PALETTE[i % PALETTE.length],
        borderColor: PALETTE[i % PALETTE.length],
      })),
    } as ChartConfiguration["data"],
    options: { ...base(), scales } as ChartConfiguration["options"],
  });
}

export function doughnutChart(title: string, labels: string[], data: number[]): HTMLElement {
  const summary = labels.map((l, i) => `${l}: ${data[i]}`).join(", ");
  return figure(title, summary, {
    type: "doughnut",
    data: { labels, datasets: [{ data, backgroundColor: labels.map((_, i) => PALETTE[i % PALETTE.length]) }] },
    options: { ...base(), plugins: { legend: { position: "bottom" } } },
  });
}
