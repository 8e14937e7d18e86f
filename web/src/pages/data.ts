// Figures the overview derives from the records: deliveries per year (items
// and SIPRI TIV, as `accord report tiv --dataset accord` counts them) and
// contract value at contract and at domestic prices.
import type { Api, Entity } from "../api";

export interface Line {
  line: number;
  product: string;
  quantity: number;
  unit_price_minor: number;
  domestic_price_minor?: number | null;
  currency: string;
  price_flag: boolean;
  status?: string;
  justification?: string;
}
export interface Contract extends Entity {
  agreement: string;
  status: string;
  supplier: string;
  recipient: string;
  lines: Line[];
  delivered?: Record<string, number>;
  in_transit?: Record<string, number>;
  signatures?: Record<string, { actor: string; date: string }>;
  delivery_schedule?: { line: number; quantity: number; year: number }[];
}
export interface Shipment extends Entity {
  contract: string;
  status: string;
  dispatched?: string;
  received?: string;
  lines: { line: number; product: string; serials: string[] }[];
  differences?: { kind: string; product: string; serial: string }[];
  custody?: { date: string; from: string; to: string; place?: string; index: number; seals_intact?: boolean }[];
}
export interface Product extends Entity {
  designation: string;
  description?: string;
  tiv_per_unit_milli?: number;
  unroca_category?: string;
  sipri_category?: string;
}

// SIPRI's status factors in thousandths.
export function statusFactorMilli(status: string | undefined): number {
  if (status === "second_hand") return 400;
  if (status === "second_hand_modernized") return 660;
  return 1000;
}

export interface YearDeliveries {
  year: number;
  items: number;
  tivMilli: number;
}

export function deliveriesPerYear(shipments: Shipment[], contracts: Contract[], products: Product[]): YearDeliveries[] {
  const byContract = new Map(contracts.map((c) => [c.id, c]));
  const byProduct = new Map(products.map((p) => [p.id, p]));
  const years = new Map<number, YearDeliveries>();
  for (const s of shipments) {
    if (!s.received) continue;
    const year = Number(s.received.slice(0, 4));
    const missing = new Set((s.differences ?? []).filter((d) => d.kind === "missing").map((d) => `${d.product}/${d.serial}`));
    const contract = byContract.get(s.contract);
    for (const l of s.lines) {
      const n = l.serials.filter((x) => !missing.has(`${l.product}/${x}`)).length;
      const line = contract?.lines.find((cl) => cl.line === l.line);
      const perUnit = byProduct.get(l.product)?.tiv_per_unit_milli ?? 0;
      const y = years.get(year) ?? { year, items: 0, tivMilli: 0 };
      y.items += n;
      y.tivMilli += Math.floor((perUnit * n * statusFactorMilli(line?.status)) / 1000);
      years.set(year, y);
    }
  }
  return [...years.values()].sort((a, b) => a.year - b.year);
}

export interface ContractValue {
  id: string;
  currency: string;
  contractMinor: number;
  domesticMinor: number | null; // null: no domestic price for some line
  flagged: number; // lines above domestic price + tolerance
}

export function contractValues(contracts: Contract[]): ContractValue[] {
  return contracts.map((c) => {
    let contractMinor = 0;
    let domesticMinor: number | null = 0;
    for (const l of c.lines) {
      contractMinor += l.unit_price_minor * l.quantity;
      if (l.domestic_price_minor === undefined || l.domestic_price_minor === null) domesticMinor = null;
      else if (domesticMinor !== null) domesticMinor += l.domestic_price_minor * l.quantity;
    }
    return {
      id: c.id,
      currency: c.lines[0]?.currency ?? "",
      contractMinor,
      domesticMinor,
      flagged: c.lines.filter((l) => l.price_flag).length,
    };
  });
}

export async function loadDeliveryData(api: Api) {
  const [shipments, contracts, products] = await Promise.all([
    api.list<Shipment>("shipments"),
    api.list<Contract>("contracts"),
    api.list<Product>("products"),
  ]);
  return { shipments, contracts, products };
}
