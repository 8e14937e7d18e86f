// The form model of the "Record" page: money typed in units to minor
// units, pasted serial lists, the schema's fields to controls, the grouping
// by procedure, and where a server refusal points.
import { describe, expect, it } from "vitest";
import {
  concretePath,
  controlOf,
  duplicates,
  fromMinor,
  groupTypes,
  indexesOf,
  nearestField,
  parseInteger,
  parseList,
  parseUnits,
  procedureOf,
  refusalPath,
  toMinor,
  type EventTypeSchema,
  type FieldSchema,
} from "../src/forms/model";

describe("money in units to the API's minor units", () => {
  it("counts by the currency's ISO 4217 digits", () => {
    expect(toMinor("1 100 000 000", "RUB")).toEqual({ ok: true, value: 110000000000 });
    expect(toMinor("1,100,000,000", "RUB")).toEqual({ ok: true, value: 110000000000 });
    expect(toMinor("1\u00a0100\u00a0000\u00a0000,50", "RUB")).toEqual({ ok: true, value: 110000000050 });
    expect(toMinor("1.100.000.000,5", "RUB")).toEqual({ ok: true, value: 110000000050 });
    expect(toMinor("12.5", "USD")).toEqual({ ok: true, value: 1250 });
    expect(toMinor("12,50", "UZS")).toEqual({ ok: true, value: 1250 });
    expect(toMinor("1500", "JPY")).toEqual({ ok: true, value: 1500 });
    expect(toMinor("1.250", "KWD")).toEqual({ ok: true, value: 1250 }); // three digits: a decimal point
    expect(toMinor("1,250", "RUB")).toEqual({ ok: true, value: 125000 }); // a group separator
    expect(toMinor("0", "RUB")).toEqual({ ok: true, value: 0 });
  });
  it("is exact where floating point is not", () => {
    expect(toMinor("0.29", "USD")).toEqual({ ok: true, value: 29 }); // 0.29 * 100 = 28.999999999999996
    expect(toMinor("90071992547409.91", "USD")).toEqual({ ok: true, value: 9007199254740991 });
  });
  it("refuses what is not an amount, in words the form shows", () => {
    expect(toMinor("12.3456", "RUB")).toEqual({ ok: false, error: "fraction" });
    expect(toMinor("12.345", "RUB")).toEqual({ ok: true, value: 1234500 }); // three digits after one separator: thousands
    expect(toMinor("1.5", "JPY")).toEqual({ ok: false, error: "fraction" });
    expect(toMinor("12 RUB", "RUB")).toEqual({ ok: false, error: "number" });
    expect(toMinor("1.2.3,4,5", "RUB")).toEqual({ ok: false, error: "number" });
    expect(toMinor("", "RUB")).toEqual({ ok: false, error: "empty" });
    expect(toMinor("1,1,00", "RUB")).toEqual({ ok: false, error: "number" });
    expect(toMinor("90071992547409.92", "USD")).toEqual({ ok: false, error: "range" });
  });
  it("gives units back for a field being edited", () => {
    expect(fromMinor(110000000000, "RUB")).toBe("1100000000");
    expect(fromMinor(1250, "USD")).toBe("12.50");
    expect(fromMinor(5, "USD")).toBe("0.05");
    expect(fromMinor(1500, "JPY")).toBe("1500");
    for (const v of [0, 7, 1250, 110000000050]) expect(toMinor(fromMinor(v, "RUB"), "RUB")).toEqual({ ok: true, value: v });
  });
  it("reads thousandths and integers the same way", () => {
    expect(parseUnits("11.5", 3)).toEqual({ ok: true, value: 11500 });
    expect(parseInteger("1 000", 1, 10000)).toEqual({ ok: true, value: 1000 });
    expect(parseInteger("0", 1, 10)).toEqual({ ok: false, error: "range" });
    expect(parseInteger("1.5")).toEqual({ ok: false, error: "number" });
  });
});

describe("serial lists pasted as text", () => {
  it("takes lines, CSV rows and columns, quoted or not", () => {
    expect(parseList("MI35M-UZ-0013\nMI35M-UZ-0014\r\n\n MI35M-UZ-0015 \n")).toEqual(["MI35M-UZ-0013", "MI35M-UZ-0014", "MI35M-UZ-0015"]);
    expect(parseList("A-1, A-2;A-3\tA-4")).toEqual(["A-1", "A-2", "A-3", "A-4"]);
    expect(parseList('"A-1","A-2"\n"A ""3"""')).toEqual(["A-1", "A-2", 'A "3"']);
    expect(parseList("  \n , ;")).toEqual([]);
  });
  it("names the repeated ones", () => {
    expect(duplicates(["A", "B", "A", "C", "B", "A"])).toEqual(["A", "B"]);
    expect(duplicates(["A", "B"])).toEqual([]);
  });
});

// contract.drafted as GET /v1/event-types describes it (abridged).
const LINES: FieldSchema = {
  name: "lines",
  path: "body.lines",
  type: "array",
  required: true,
  min: 1,
  max: 1000,
  item: "object",
  fields: [
    { name: "line", path: "body.lines[].line", type: "integer", required: true, min: 1, max: 100000 },
    { name: "product", path: "body.lines[].product", type: "string", required: true },
    { name: "unit_price_minor", path: "body.lines[].unit_price_minor", type: "integer", required: true, min: 0, max: 9007199254740991, unit: "money_minor", currency_field: "body.lines[].currency" },
    { name: "currency", path: "body.lines[].currency", type: "currency", required: true },
    { name: "status", path: "body.lines[].status", type: "enum", required: false, values: ["new", "second_hand"] },
    { name: "justification", path: "body.lines[].justification", type: "text", required: false },
    { name: "enhanced_monitoring", path: "body.lines[].enhanced_monitoring", type: "boolean", required: false },
  ],
};

describe("schema to form controls", () => {
  it("gives each field type its control", () => {
    expect(controlOf(LINES)).toBe("rows");
    expect(LINES.fields!.map(controlOf)).toEqual(["integer", "text", "money", "currency", "select", "textarea", "checkbox"]);
    expect(controlOf({ name: "serials", path: "body.lines[].serials", type: "array", required: true, item: "string" })).toBe("list");
    expect(controlOf({ name: "date", path: "body.date", type: "date", required: true })).toBe("date");
    expect(controlOf({ name: "route", path: "body.route", type: "array", item: "country", required: true })).toBe("list");
    expect(controlOf({ name: "transit_state", path: "body.transit_state", type: "country", required: false })).toBe("country");
    expect(controlOf({ name: "tiv_per_unit_milli", path: "body.tiv_per_unit_milli", type: "integer", unit: "milli", required: true })).toBe("fixed");
    expect(controlOf({ name: "scope", path: "body.scope", type: "object", required: true, fields: [] })).toBe("group");
    expect(controlOf({ name: "at", path: "body.at", type: "datetime", required: true })).toBe("datetime");
  });
  it("fills row numbers into paths and finds a refusal's field", () => {
    expect(concretePath("body.lines[].currency", [2])).toBe("body.lines[2].currency");
    expect(concretePath("body.a[].b[].c", [1, 0])).toBe("body.a[1].b[0].c");
    expect(indexesOf("body.a[2].b[0].c")).toEqual([2, 0]);
    const known = ["subject", "time", "body.lines", "body.lines[0].unit_price_minor", "body.lines[0].serials"];
    expect(nearestField("body.lines[0].serials[3]", known)).toBe("body.lines[0].serials");
    expect(nearestField("body.lines[1].quantity", known)).toBe("body.lines");
    expect(nearestField("contract.agreement", known)).toBeNull();
  });
  it("reads the field a server refusal names", () => {
    expect(refusalPath("rule contract.domestic_price: body.lines[0].unit_price_minor: 130000000000 RUB is above ...")).toBe("body.lines[0].unit_price_minor");
    expect(refusalPath("body.lines[2].quantity: must be an integer")).toBe("body.lines[2].quantity");
    expect(refusalPath("rule agreement.exists: body.agreement: no agreement \"X\"")).toBe("body.agreement");
    expect(refusalPath("time: 2999-01-01T00:00:00Z is in the future (now ...)")).toBe("time");
    expect(refusalPath("rule contract.unique: subject: contract \"A\" already exists")).toBe("subject");
    expect(refusalPath("this event is already in the log at index 5")).toBeNull();
  });
});

describe("event types by procedure", () => {
  const t = (type: string, may = true): EventTypeSchema => ({ type, subject_kind: type.split(".")[0], fields: [], may_record: may });
  it("puts each type under its procedure, leaving out what the user may not record", () => {
    expect(procedureOf("shipment.dispatched")).toBe("shipments");
    expect(procedureOf("licence.issued")).toBe("permits");
    expect(procedureOf("visit.planned")).toBe("cooperation");
    expect(procedureOf("something.new")).toBe("other");
    const groups = groupTypes([t("shipment.received"), t("contract.signed"), t("shipment.dispatched"), t("case.closed", false), t("contract.drafted")]);
    expect(groups.map((g) => [g.procedure, g.types.map((x) => x.type)])).toEqual([
      ["contracts", ["contract.drafted", "contract.signed"]],
      ["shipments", ["shipment.dispatched", "shipment.received"]],
    ]);
  });
});
