// The transparency page for observers: aggregates only (no serial numbers,
// no prices, no personal data), readable without sign-in when the node
// publishes its reports (accord serve --public-reports).
import { Api, ApiError } from "../api";
import type { Ctx } from "../context";
import { h } from "../dom";
import { milli } from "../format";
import { t } from "../i18n";
import { session } from "../session";
import { barChart } from "../ui/chart";
import { errorBox, section } from "../ui/states";
import { table } from "../ui/table";
import { cooperationView, type CoopYear } from "./cooperation";

function notPublished(e: unknown): Node {
  if (e instanceof ApiError && e.status === 401) {
    return h("p", { class: "state unavailable", role: "status" }, t("public.notPublished"), " ", h("a", { href: "#/signin" }, t("public.signInObserver")));
  }
  return errorBox(e);
}

export async function publicPage(ctx: Ctx): Promise<void> {
  // Signed-in users see the same aggregates with their token.
  const api = new Api(session.token());
  const tiv = h("section", { "aria-labelledby": "p-tiv" });
  const coop = h("section", { "aria-labelledby": "p-coop" });
  ctx.main.append(
    h("h1", {}, t("public.title")),
    h("p", {}, t("public.about")),
    h("h2", { id: "p-tiv" }, t("public.tiv")),
    tiv,
    h("h2", { id: "p-coop" }, t("coop.perYearTable")),
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
    section(tiv, t("public.loading.tiv"), () => guard(() => api.report<{ year: number; tiv_milli: number; category?: string }[]>("tiv", { dataset: "accord", by: "year" })), (rows) =>
      rows instanceof ApiError
        ? notPublished(rows)
        : [
            barChart(t("tiv.chart"), rows.map((r) => String(r.year)), [{ label: t("col.tivMillions"), data: rows.map((r) => r.tiv_milli / 1000) }]),
            table(t("tiv.table"), [
              { label: t("col.year"), value: (r) => r.year },
              { label: t("col.tivMillions"), value: (r) => milli(r.tiv_milli, 2), numeric: true },
            ], rows, t("tiv.none")),
          ],
    ),
    section(coop, t("overview.loading.coop"), () => guard(() => api.report<CoopYear[]>("cooperation")), (rows) =>
      rows instanceof ApiError ? notPublished(rows) : cooperationView(rows),
    ),
  ]);
}
