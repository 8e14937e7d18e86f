// The controls of a form generated from an event type's schema (model.ts):
// one labelled control per field, fieldsets for objects, rows for arrays of
// objects. Each field reads its value back in the API's terms (minor units,
// arrays) and names the problems it finds on the way; the server's own
// refusal is shown at the field it names (showError).
import { h } from "../dom";
import { label, t } from "../i18n";
import { longDate } from "../format";
import { dateInput } from "../ui/dateinput";
import {
  concretePath,
  controlOf,
  duplicates,
  parseInteger,
  parseList,
  parseUnits,
  toMinor,
  type FieldSchema,
} from "./model";

export interface Problem {
  path: string;
  message: string;
}

// What the fields of one form share.
export interface FormScope {
  // Field wrappers by concrete path ("body.lines[0].quantity").
  fields: Map<string, HTMLElement>;
  // Called after every change a person makes.
  changed: () => void;
  // Run after every change, to keep derived text (a currency beside an
  // amount) up to date.
  refreshers: (() => void)[];
}

export interface FieldNode {
  el: HTMLElement;
  // The value for the API, or undefined to leave the field out.
  read(problems: Problem[]): unknown;
}

export const fieldId = (path: string) => "f-" + path.replace(/[^A-Za-z0-9]+/g, "-");

// The label of a field: its name's label, as the pages label the same names.
export const fieldLabel = (f: FieldSchema) => label("field", f.name);

function wrapper(f: FieldSchema, path: string, scope: FormScope, control: HTMLElement, hint: string | null, extra: HTMLElement | null = null): HTMLElement {
  const id = fieldId(path);
  const described = [hint ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), described].filter(Boolean).join(" "));
  const el = h(
    "div",
    { class: "field form-field", "data-path": path },
    h("label", { for: id }, fieldLabel(f), f.required ? null : h("span", { class: "muted" }, ` (${t("form.optional")})`)),
    h("div", { class: "control-row" }, control, extra),
    hint ? h("p", { id: `${id}-hint`, class: "muted hint" }, hint) : null,
    h("p", { id: `${id}-err`, class: "field-error", hidden: true }),
  );
  scope.fields.set(path, el);
  return el;
}

// Shows `message` at the field wrapper `el` (or clears it with "").
export function showError(el: HTMLElement, message: string): void {
  const err = el.querySelector<HTMLElement>(":scope > .field-error");
  const control = el.querySelector<HTMLElement>("input, select, textarea");
  if (err) {
    err.textContent = message;
    err.hidden = message === "";
  }
  el.classList.toggle("invalid", message !== "");
  if (control) {
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}

const problemWords = (e: "number" | "fraction" | "range" | "empty", f: FieldSchema): string =>
  e === "fraction" ? t("form.tooManyDecimals") : e === "range" ? t("form.outOfRange", { min: String(f.min ?? ""), max: String(f.max ?? "") }) : t("form.notNumber");

export function renderField(f: FieldSchema, indexes: number[], scope: FormScope): FieldNode {
  const path = concretePath(f.path, indexes);
  const id = fieldId(path);
  const control = controlOf(f);
  const onInput = (el: HTMLElement) => {
    el.addEventListener("input", scope.changed);
    el.addEventListener("change", scope.changed);
    return el;
  };
  const textValue = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement) => {
    const v = el.value.trim();
    return v === "" ? undefined : v;
  };
  switch (control) {
    case "group": {
      const children = (f.fields ?? []).map((c) => renderField(c, indexes, scope));
      const el = h("fieldset", { class: "form-group", "data-path": path }, h("legend", {}, fieldLabel(f)), children.map((c) => c.el));
      scope.fields.set(path, el);
      return {
        el,
        read(problems) {
          const out: Record<string, unknown> = {};
          (f.fields ?? []).forEach((c, i) => {
            const v = children[i].read(problems);
            if (v !== undefined) out[c.name] = v;
          });
          return Object.keys(out).length === 0 && !f.required ? undefined : out;
        },
      };
    }
    case "rows": {
      const rows: FieldNode[][] = [];
      const list = h("div", { class: "rows" });
      const remove = h("button", { type: "button", class: "secondary" }, t("form.removeRow"));
      const add = h("button", { type: "button", class: "secondary" }, t("form.addRow"));
      const addRow = () => {
        const i = rows.length;
        const nodes = (f.fields ?? []).map((c) => renderField(c, [...indexes, i], scope));
        rows.push(nodes);
        list.append(h("fieldset", { class: "form-row", "data-row": i }, h("legend", {}, t("form.row", { n: i + 1 })), nodes.map((n) => n.el)));
        remove.disabled = rows.length <= Math.max(f.min ?? 0, 0);
      };
      add.addEventListener("click", () => {
        addRow();
        scope.changed();
        list.lastElementChild?.querySelector<HTMLElement>("input, select, textarea")?.focus();
      });
      remove.addEventListener("click", () => {
        if (rows.length === 0) return;
        rows.pop();
        list.lastElementChild?.remove();
        for (const p of [...scope.fields.keys()]) if (p.startsWith(`${path}[${rows.length}]`)) scope.fields.delete(p);
        remove.disabled = rows.length <= Math.max(f.min ?? 0, 0);
        scope.changed();
      });
      const initial = f.required ? Math.max(1, f.min ?? 0) : 0;
      for (let i = 0; i < initial; i++) addRow();
      const el = h(
        "fieldset",
        { class: "form-group", "data-path": path },
        h("legend", {}, fieldLabel(f), f.required ? null : h("span", { class: "muted" }, ` (${t("form.optional")})`)),
        list,
        h("div", { class: "row-buttons" }, add, remove),
        h("p", { id: `${id}-err`, class: "field-error", hidden: true }),
      );
      el.querySelector(".field-error")?.setAttribute("role", "note");
      scope.fields.set(path, el);
      return {
        el,
        read(problems) {
          if (rows.length === 0) return f.required ? [] : undefined;
          return rows.map((nodes) => {
            const out: Record<string, unknown> = {};
            (f.fields ?? []).forEach((c, i) => {
              const v = nodes[i].read(problems);
              if (v !== undefined) out[c.name] = v;
            });
            return out;
          });
        },
      };
    }
    case "list": {
      const area = onInput(h("textarea", { id, name: path, rows: 3, cols: 40, spellcheck: "false", required: f.required })) as HTMLTextAreaElement;
      const count = h("output", { for: id, class: "muted" });
      const el = wrapper(f, path, scope, area, t("form.listHint"), count);
      scope.refreshers.push(() => {
        const n = parseList(area.value).length;
        count.textContent = n ? t("form.listCount", { count: n }) : "";
      });
      return {
        el,
        read(problems) {
          const values = parseList(area.value);
          if (values.length === 0) return f.required ? [] : undefined;
          const dup = duplicates(values);
          if (dup.length) problems.push({ path, message: t("form.duplicates", { values: dup.join(", ") }) });
          if (f.item === "integer") {
            return values.map((v) => {
              const r = parseInteger(v);
              if (!r.ok) problems.push({ path, message: t("form.notNumber") });
              return r.ok ? r.value : 0;
            });
          }
          if (f.item === "country" || f.item === "currency") return values.map((v) => v.toUpperCase());
          return values;
        },
      };
    }
    case "select": {
      const select = onInput(
        h("select", { id, name: path, required: f.required }, h("option", { value: "" }, "—"), (f.values ?? []).map((v) => h("option", { value: v }, label("status", v)))),
      ) as HTMLSelectElement;
      return { el: wrapper(f, path, scope, select, null), read: () => textValue(select) };
    }
    case "checkbox": {
      const select = onInput(
        h("select", { id, name: path, required: f.required }, h("option", { value: "" }, "—"), h("option", { value: "true" }, t("form.yes")), h("option", { value: "false" }, t("form.no"))),
      ) as HTMLSelectElement;
      return { el: wrapper(f, path, scope, select, null), read: () => (select.value === "" ? undefined : select.value === "true") };
    }
    case "date": {
      const { input, words } = dateInput(id, path, "");
      onInput(input);
      input.required = f.required;
      return { el: wrapper(f, path, scope, input, null, words), read: () => textValue(input) };
    }
    case "datetime": {
      const input = onInput(h("input", { id, name: path, type: "datetime-local", step: 1, required: f.required })) as HTMLInputElement;
      const words = h("output", { for: id, class: "date-words" });
      scope.refreshers.push(() => (words.textContent = input.value ? `${longDate(input.value.slice(0, 10))} ${input.value.slice(11)} UTC` : ""));
      return {
        el: wrapper(f, path, scope, input, t("form.utc"), words),
        read: () => {
          const v = input.value;
          if (!v) return undefined;
          return (v.length === 16 ? v + ":00" : v) + "Z";
        },
      };
    }
    case "country":
    case "currency": {
      const len = control === "country" ? 2 : 3;
      const input = onInput(
        h("input", { id, name: path, type: "text", size: len + 2, maxlength: len, autocomplete: "off", spellcheck: "false", required: f.required, pattern: `[A-Za-z]{${len}}`, class: "code" }),
      ) as HTMLInputElement;
      input.addEventListener("input", () => (input.value = input.value.toUpperCase()));
      return { el: wrapper(f, path, scope, input, control === "country" ? t("form.countryHint") : t("form.currencyHint")), read: () => textValue(input) };
    }
    case "integer":
    case "money":
    case "fixed": {
      const input = onInput(
        h("input", { id, name: path, type: "text", inputmode: control === "integer" ? "numeric" : "decimal", autocomplete: "off", required: f.required, size: 18 }),
      ) as HTMLInputElement;
      const unit = h("span", { class: "unit" });
      const currency = () => {
        if (!f.currency_field) return "";
        const at = scope.fields.get(concretePath(f.currency_field, indexes));
        return at?.querySelector<HTMLInputElement>("input")?.value.trim().toUpperCase() ?? "";
      };
      if (control === "money") scope.refreshers.push(() => (unit.textContent = currency() || t("form.currencyFirst")));
      const hint = control === "money" ? t("form.moneyHint") : control === "fixed" ? t("form.fixedHint") : null;
      return {
        el: wrapper(f, path, scope, input, hint, control === "money" ? unit : null),
        read(problems) {
          const text = input.value.trim();
          if (text === "") return undefined;
          const r = control === "money" ? toMinor(text, currency()) : control === "fixed" ? parseUnits(text, 3) : parseInteger(text, f.min, f.max);
          if (!r.ok) {
            problems.push({ path, message: problemWords(r.error, f) });
            return undefined;
          }
          return r.value;
        },
      };
    }
    case "textarea": {
      const area = onInput(h("textarea", { id, name: path, rows: 2, cols: 50, required: f.required })) as HTMLTextAreaElement;
      return { el: wrapper(f, path, scope, area, null), read: () => textValue(area) };
    }
    default: {
      const input = onInput(h("input", { id, name: path, type: "text", size: 40, autocomplete: "off", required: f.required })) as HTMLInputElement;
      return { el: wrapper(f, path, scope, input, null), read: () => textValue(input) };
    }
  }
}
