import { describe, expect, it } from "vitest";
import { complianceRows, dueRows } from "../src/pages/eum";

// Shaped as `accord eum due --format json` and `accord report eum --format json` print.
const DUE = {
  report: "eum-due",
  as_of: "2022-01-10",
  within_days: 30,
  items_monitored: 3,
  delinquent: 1,
  due: 1,
  units: [
    {
      recipient: "UZ",
      unit: "uz-ground",
      delinquent: [{ item: "btr-82a/X-1", product: "btr-82a", serial: "X-1", agreement: "A", supplier: "RU", location: "L", due: "2022-01-01", days_overdue: 9, last_inventory: null }],
      due: [{ item: "btr-82a/X-2", product: "btr-82a", serial: "X-2", agreement: "A", supplier: "RU", location: "L", due: "2022-01-20", days_left: 10, last_inventory: "2021-01-20" }],
    },
  ],
};

const COMPLIANCE = {
  report: "eum",
  as_of: "2022-01-10",
  rows: [
    {
      agreement: "A",
      supplier: "RU",
      recipient: "UZ",
      inventory: { items_monitored: 3, items_assessed: 2, items_on_time: 1, on_time_percent: 50, items_delinquent: 1, max_days_overdue: 9 },
      access: { requests: 2, answered_in_time: 1, answered_late: 0, unanswered_past_deadline: 1, pending: 0, in_time_percent: 50 },
      cases: { open: 1, open_by_age: { "0-30": 0, "31-90": 1, "91-365": 0, "over-365": 0 }, resolved: 2, confirmed_violations: 0 },
    },
  ],
};

describe("end-use monitoring figures", () => {
  it("flattens items due and delinquent per unit", () => {
    const d = dueRows(DUE)!;
    expect(d.monitored).toBe(3);
    expect(d.rows.map((r) => [r.status, r.serial, r.days, r.lastInventory])).toEqual([
      ["delinquent", "X-1", 9, ""],
      ["due", "X-2", 10, "2021-01-20"],
    ]);
  });
  it("reads compliance per agreement", () => {
    const [r] = complianceRows(COMPLIANCE)!;
    expect(r).toMatchObject({ monitored: 3, assessed: 2, onTime: 1, onTimePercent: 50, accessUnanswered: 1, casesOpen: 1, casesResolved: 2 });
    expect(r.casesOpenByAge["31-90"]).toBe(1);
  });
  it("gives null for other shapes, so the page falls back to a generic view", () => {
    expect(dueRows({ rows: [] })).toBeNull();
    expect(complianceRows([])).toBeNull();
  });
});
