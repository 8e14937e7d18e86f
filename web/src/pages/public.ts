// The transparency page for observers: aggregates only (no serial numbers,
// no prices, no personal data), readable without sign-in when the node
// publishes its reports (accord serve --public-reports).
import { Api, ApiError } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { milli, num } from "../format";
import { session } from "../session";
import { barChart } from "../ui/chart";
import { errorBox, section } from "../ui/states";
import { table } from "../ui/table";
import { cooperationView, type CoopYear } from "./cooperation";

function notPublished(e: unknown): Node {
  if (e instanceof ApiError && e.status === 401) {
    return h("p", { class: "state unavailable", role: "status" }, "This node does not publish its reports without sign-in. ", h("a", { href: "#/signin" }, "Sign in"), " with an observer token.");
  }
  return errorBox(e);
}

export async function publicPage(ctx: Ctx): Promise<void> {
  // Signed-in users see the same aggregates with their token.
  const api = new Api(session.token());
  const tiv = h("section", { "aria-labelledby": "p-tiv" });
  const coop = h("section", { "aria-labelledby": "p-coop" });
  ctx.main.append(
    h("h1", {}, "Transparency"),
    h("p", {}, "Aggregate figures of the cooperation recorded on this node, as reported under the Arms Trade Treaty, to the UN Register and in SIPRI's trend-indicator values. No serial numbers, prices or personal data are shown."),
    h("h2", { id: "p-tiv" }, "Deliveries per year (SIPRI TIV)"),
    tiv,
    h("h2", { id: "p-coop" }, "Cooperation per year"),
    coop,
  );
  const guard = async <T>(load: () => Promise<T>): Promise<T | ApiError> => {
    try {
      return await load();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return e;
      throw e;
    }
  };
  await Promise.all([
    section(tiv, "TIV", () => guard(() => api.report<{ year: number; tiv_milli: number; category?: string }[]>("tiv", { dataset: "accord", by: "year" })), (rows) =>
      rows instanceof ApiError
        ? notPublished(rows)
        : [
            barChart("TIV delivered per year (millions)", rows.map((r) => String(r.year)), [{ label: "TIV (millions)", data: rows.map((r) => r.tiv_milli / 1000) }]),
            table("TIV per year", [
              { label: "Year", value: (r) => r.year },
              { label: "TIV (millions)", value: (r) => milli(r.tiv_milli, 2), numeric: true },
            ], rows, "No deliveries recorded."),
          ],
    ),
    section(coop, "cooperation", () => guard(() => api.report<CoopYear[]>("cooperation")), (rows) =>
      rows instanceof ApiError ? notPublished(rows) : cooperationView(rows),
    ),
  ]);
  void num;
}
