// Recording through forms (#/record?type=…&subject=kind/id): the user picks
// an event type they may record (GET /v1/event-types, grouped by
// procedure), fills a form generated from its schema, sees as they type
// what the server would do with it (POST /v1/events?dry_run=1: the same
// checks as recording, nothing written; a refusal is shown at the field it
// names), and records it (POST /v1/events with an Idempotency-Key).
import { ApiError, type Api } from "../api";
import type { Ctx } from "../context";
import { h, replace, route } from "../dom";
import { label, t, type Key } from "../i18n";
import { session, type Me } from "../session";
import { dateInput } from "../ui/dateinput";
import { section } from "../ui/states";
import { renderField, showError, type FieldNode, type FormScope, type Problem } from "../forms/fields";
import { groupTypes, nearestField, newIdempotencyKey, refusalPath, type EventTypeSchema, type Procedure } from "../forms/model";

const PROCEDURE_LABELS: Record<Procedure, Key> = {
  agreements: "procedure.agreements",
  contracts: "procedure.contracts",
  permits: "procedure.permits",
  shipments: "procedure.shipments",
  repairs: "procedure.repairs",
  inspections: "procedure.inspections",
  cases: "procedure.cases",
  monitoring: "procedure.monitoring",
  cooperation: "procedure.cooperation",
  history: "procedure.history",
  other: "procedure.other",
};

// The UI's page of an entity, for the kinds that have one.
export function entityHref(subject: string): string | null {
  const [kind, ...rest] = subject.split("/");
  const id = rest.join("/");
  if (kind === "contract") return route("contracts", id);
  if (kind === "shipment") return route("shipments", id);
  if (kind === "item") return route("items", ...rest);
  return null;
}

// A link to this page, for "record the next step" on an entity's page.
export function recordHref(subject: string, type?: string): string {
  const q = new URLSearchParams({ subject });
  if (type) q.set("type", type);
  return `#/record?${q}`;
}

interface DryRunAnswer {
  would_record: { index: number; type: string; subject: string; changes: { kind: string; id: string }[] }[];
}
interface Recorded {
  recorded: { index: number; type: string; subject: string }[];
}

async function whoAmI(api: Api): Promise<Me | null> {
  const me = session.me();
  if (me) return me;
  try {
    const m = await api.json<Me>("/v1/me");
    session.setMe(m);
    return m;
  } catch {
    return null;
  }
}

export async function recordPage(ctx: Ctx, query: URLSearchParams): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, t("record.title")), h("p", { class: "muted" }, t("record.intro")), el);
  const subject = query.get("subject") ?? "";
  const subjectKind = subject.includes("/") ? subject.slice(0, subject.indexOf("/")) : "";
  await section(
    el,
    t("record.loading"),
    async () => ({ types: (await ctx.api.json<{ event_types: EventTypeSchema[] }>("/v1/event-types")).event_types, me: await whoAmI(ctx.api) }),
    ({ types, me }) => {
      const usable = types.filter((x) => x.may_record && (!subjectKind || x.subject_kind === subjectKind));
      if (usable.length === 0) return h("p", { class: "state empty" }, t("record.noTypes"));
      const groups = groupTypes(usable);
      const select = h(
        "select",
        { id: "event-type", name: "type" },
        h("option", { value: "" }, t("record.chooseType")),
        groups.map((g) => h("optgroup", { label: t(PROCEDURE_LABELS[g.procedure]) }, g.types.map((x) => h("option", { value: x.type }, `${label("event", x.type)} (${x.type})`)))),
      );
      const formHolder = h("div", {});
      const show = () => {
        const schema = usable.find((x) => x.type === select.value);
        replace(formHolder, schema ? eventForm(ctx.api, schema, me, subject) : null);
      };
      select.addEventListener("change", show);
      const wanted = query.get("type");
      if (wanted && usable.some((x) => x.type === wanted)) select.value = wanted;
      show();
      return [
        subject ? h("p", {}, t("record.forSubject", { subject }), " ", h("a", { href: "#/record" }, t("record.allTypes"))) : null,
        h("div", { class: "field" }, h("label", { for: "event-type" }, t("record.type")), select),
        formHolder,
      ];
    },
  );
}

function eventForm(api: Api, schema: EventTypeSchema, me: Me | null, subject: string): HTMLElement {
  const scope: FormScope = { fields: new Map(), changed: () => onChange(), refreshers: [] };
  const prefix = `${schema.subject_kind}/`;
  const idInput = h("input", { id: "f-subject", name: "subject", type: "text", size: 30, autocomplete: "off", required: true, "aria-describedby": "f-subject-err" }) as HTMLInputElement;
  if (subject.startsWith(prefix)) idInput.value = subject.slice(prefix.length);
  const today = new Date().toISOString().slice(0, 10);
  const { input: dateEl, words } = dateInput("f-time", "time", today);
  dateEl.required = true;
  dateEl.setAttribute("aria-describedby", `${dateEl.getAttribute("aria-describedby")} f-time-err`);
  const envelope = (labelText: string, id: string, control: HTMLElement, extra: HTMLElement | null, path: string) => {
    const wrap = h(
      "div",
      { class: "field form-field", "data-path": path },
      h("label", { for: id }, labelText),
      h("div", { class: "control-row" }, control, extra),
      h("p", { id: `${id}-err`, class: "field-error", hidden: true }),
    );
    scope.fields.set(path, wrap);
    return wrap;
  };
  for (const c of [idInput, dateEl]) {
    c.addEventListener("input", () => scope.changed());
    c.addEventListener("change", () => scope.changed());
  }
  const body: FieldNode[] = schema.fields.map((f) => renderField(f, [], scope));
  const status = h("div", { id: "dry-run", class: "dry-run", role: "status", "aria-live": "polite" });
  const result = h("div", { id: "record-result", "aria-live": "assertive" });
  const submit = h("button", { type: "submit" }, t("record.submit"));
  const party = schema.party ?? me?.party ?? "";
  const actor = me?.user ?? "";
  let key = newIdempotencyKey();
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const build = (problems: Problem[]) => {
    const values: Record<string, unknown> = {};
    schema.fields.forEach((f, i) => {
      const v = body[i].read(problems);
      if (v !== undefined) values[f.name] = v;
    });
    const date = dateEl.value || today;
    return {
      v: 1,
      type: schema.type,
      time: `${date}T00:00:00Z`,
      party,
      actor,
      subject: prefix + idInput.value.trim(),
      body: values,
    };
  };
  const clearErrors = () => {
    for (const w of scope.fields.values()) showError(w, "");
  };
  // Shows problems (the form's own, or the server's refusal) at their
  // fields; returns the first field shown, if any.
  const showProblems = (problems: Problem[]): HTMLElement | null => {
    let first: HTMLElement | null = null;
    for (const p of problems) {
      const at = nearestField(p.path, scope.fields.keys());
      const w = at ? scope.fields.get(at)! : null;
      if (w) {
        const err = w.querySelector(":scope > .field-error");
        showError(w, err?.textContent ? `${err.textContent} ${p.message}` : p.message);
        first ??= w;
      }
    }
    return first;
  };
  const refusal = (e: unknown): { message: string; at: HTMLElement | null } => {
    if (!(e instanceof ApiError)) return { message: (e as Error).message, at: null };
    const path = e.detail ? refusalPath(e.detail) : null;
    const at = path ? showProblems([{ path, message: e.detail }]) : null;
    return { message: e.message, at };
  };

  const check = async () => {
    const mine = ++seq;
    clearErrors();
    const problems: Problem[] = [];
    const event = build(problems);
    if (problems.length) {
      showProblems(problems);
      replace(status, h("p", { class: "state error" }, t("record.fixFields")));
      return;
    }
    replace(status, h("p", { class: "state loading" }, t("record.checking")));
    try {
      const r = await api.post<DryRunAnswer>("/v1/events?dry_run=1", event);
      if (mine !== seq) return;
      const w = r.would_record[0];
      const changes = w.changes.map((c) => `${c.kind} ${c.id}`).join(", ");
      replace(status, h("p", { class: "state ok" }, "✓ ", t("record.wouldRecord", { index: w.index, changes })));
    } catch (e) {
      if (mine !== seq) return;
      const { message } = refusal(e);
      replace(status, h("p", { class: "state error" }, "✗ ", message));
    }
  };
  function onChange(): void {
    for (const r of scope.refreshers) r();
    clearTimeout(timer);
    timer = setTimeout(() => void check(), 400);
  }

  const form = h(
    "form",
    { class: "panel record-form", novalidate: true, "aria-labelledby": "record-form-title" },
    h("h2", { id: "record-form-title" }, label("event", schema.type)),
    h("p", { class: "muted" }, t("record.as", { party, actor: actor || "—" })),
    envelope(t("record.subject", { kind: schema.subject_kind }), "f-subject", h("span", { class: "prefix" }, prefix, idInput), null, "subject"),
    envelope(t("record.date"), "f-time", dateEl, words, "time"),
    body.map((b) => b.el),
    status,
    submit,
    result,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    seq++;
    clearErrors();
    const problems: Problem[] = [];
    const event = build(problems);
    if (problems.length) {
      showProblems(problems)?.querySelector<HTMLElement>("input, select, textarea")?.focus();
      replace(status, h("p", { class: "state error" }, t("record.fixFields")));
      return;
    }
    submit.disabled = true;
    replace(result, h("p", { class: "state loading" }, t("record.recording")));
    try {
      const r = await api.post<Recorded>("/v1/events", event, { "Idempotency-Key": key });
      key = newIdempotencyKey();
      const rec = r.recorded[0];
      const entity = entityHref(rec.subject);
      replace(status);
      replace(
        result,
        h(
          "div",
          { class: "state ok record-done", role: "status" },
          h("p", {}, "✓ ", t("record.done", { type: label("event", rec.type), index: rec.index })),
          h(
            "p",
            {},
            entity ? h("a", { href: entity, id: "record-entity" }, t("record.openEntity", { subject: rec.subject })) : rec.subject,
            " · ",
            h("a", { href: `#/log?index=${rec.index}`, id: "record-entry" }, t("common.logEntry", { index: String(rec.index) })),
          ),
        ),
      );
      result.querySelector("a")?.focus();
    } catch (e) {
      const { message, at } = refusal(e);
      replace(result, h("p", { class: "state error", role: "alert" }, message));
      at?.querySelector<HTMLElement>("input, select, textarea")?.focus();
    } finally {
      submit.disabled = false;
    }
  });
  // The subject prefilled from an entity's page: check at once.
  if (idInput.value) queueMicrotask(() => onChange());
  return form;
}
