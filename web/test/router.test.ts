import { describe, expect, it } from "vitest";
import { match, type Route } from "../src/router";
import { contractValues, deliveriesPerYear, type Contract, type Product, type Shipment } from "../src/pages/data";

const routes: Route<null>[] = ["", "contracts", "contracts/:id", "items/*id", "log"].map((pattern) => ({ pattern, render: () => {} }));

describe("router", () => {
  it("matches fixed, parameter and rest segments, decoding them", () => {
    expect(match(routes, "#/")?.route.pattern).toBe("");
    expect(match(routes, "")?.route.pattern).toBe("");
    expect(match(routes, "#/contracts")?.route.pattern).toBe("contracts");
    const c = match(routes, "#/contracts/RU-UZ%202018");
    expect(c?.route.pattern).toBe("contracts/:id");
    expect(c?.m.params.id).toBe("RU-UZ 2018");
    const i = match(routes, "#/items/mi-35m/MI35M-UZ-0002");
    expect(i?.m.params.id).toBe("mi-35m/MI35M-UZ-0002");
    expect(match(routes, "#/log?index=7")?.m.query.get("index")).toBe("7");
  });
  it("matches nothing it does not know", () => {
    expect(match(routes, "#/contracts/a/b")).toBeNull();
    expect(match(routes, "#/items")).toBeNull();
    expect(match(routes, "#/nowhere")).toBeNull();
  });
});

describe("overview figures", () => {
  const products = [
    { id: "heli", designation: "H", tiv_per_unit_milli: 11500 },
    { id: "apc", designation: "A", tiv_per_unit_milli: 260 },
  ] as Product[];
  const contracts = [
    { id: "C1", lines: [{ line: 1, product: "heli", quantity: 4, unit_price_minor: 100, domestic_price_minor: 100, currency: "RUB", price_flag: false }] },
    { id: "C2", lines: [{ line: 1, product: "apc", quantity: 20, unit_price_minor: 27, domestic_price_minor: 25, currency: "RUB", price_flag: true, status: "second_hand" }] },
    { id: "C3", lines: [{ line: 1, product: "apc", quantity: 2, unit_price_minor: 5, currency: "USD", price_flag: false }] },
  ] as Contract[];
  const shipments = [
    { id: "S1", contract: "C1", received: "2019-10-04", lines: [{ line: 1, product: "heli", serials: ["a", "b", "c", "d"] }] },
    { id: "S2", contract: "C2", received: "2019-11-21", lines: [{ line: 1, product: "apc", serials: ["1", "2", "3"] }], differences: [{ kind: "missing", product: "apc", serial: "3" }, { kind: "damaged", product: "apc", serial: "2" }] },
    { id: "S3", contract: "C2", lines: [{ line: 1, product: "apc", serials: ["9"] }] },
  ] as Shipment[];

  it("counts items received per year (damaged count, missing do not) and their TIV with SIPRI's status factor", () => {
    expect(deliveriesPerYear(shipments, contracts, products)).toEqual([{ year: 2019, items: 6, tivMilli: 4 * 11500 + Math.floor((260 * 2 * 400) / 1000) }]);
  });
  it("values contracts at contract and at domestic prices", () => {
    expect(contractValues(contracts)).toEqual([
      { id: "C1", currency: "RUB", contractMinor: 400, domesticMinor: 400, flagged: 0 },
      { id: "C2", currency: "RUB", contractMinor: 540, domesticMinor: 500, flagged: 1 },
      { id: "C3", currency: "USD", contractMinor: 10, domesticMinor: null, flagged: 0 },
    ]);
  });
});
