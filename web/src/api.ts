// Typed client of Accord's REST API (/v1). Every failure becomes an ApiError
// with a message in words; callers show it as it is.
import { t, type Key } from "./i18n";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // The server's own message, as it came (names the field it refuses).
    readonly detail = "",
  ) {
    super(message);
  }
  get notAvailable(): boolean {
    return this.status === 404 && this.code === "not_found";
  }
}

export type Json = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

// Entities are the API's projections; only the fields the UI relies on are
// named, the rest stay available as unknown values.
export interface Entity extends Json {
  id: string;
}

export const COLLECTIONS = [
  "parties",
  "bodies",
  "agreements",
  "products",
  "contracts",
  "programmes",
  "certificates",
  "licences",
  "shipments",
  "items",
  "repairs",
  "cases",
] as const;

const STATUS_WORDS: Record<number, Key> = {
  401: "api.401",
  403: "api.403",
  404: "api.404",
  429: "api.429",
};
const statusWords = (status: number): string | undefined => (STATUS_WORDS[status] ? t(STATUS_WORDS[status]) : undefined);

export class Api {
  constructor(
    private token: string | null,
    private base = "",
  ) {}

  setToken(token: string | null): void {
    this.token = token;
  }

  hasToken(): boolean {
    return !!this.token;
  }

  private async request(path: string, accept: string, init: { method?: string; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept, ...(init.headers ?? {}) };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, { method: init.method ?? "GET", headers, body: init.body, signal: init.signal });
    } catch (e) {
      throw new ApiError(0, "network", t("api.network", { why: (e as Error).message }));
    }
    if (!res.ok) {
      let code = "http_" + res.status;
      let detail = "";
      let message = statusWords(res.status) ?? t("api.other", { status: `${res.status} ${res.statusText}`.trim() });
      try {
        const body = (await res.json()) as { error?: { code?: string; message?: string } };
        if (body.error?.code) code = body.error.code;
        detail = body.error?.message ?? "";
        if (body.error?.message) message = `${statusWords(res.status) ?? t("api.refused")} ${body.error.message}`.trim();
      } catch {
        /* not JSON: keep the words above */
      }
      throw new ApiError(res.status, code, message, detail);
    }
    return res;
  }

  async json<T = Json>(path: string): Promise<T> {
    const res = await this.request(path, "application/json");
    return (await res.json()) as T;
  }

  async text(path: string, accept = "text/plain"): Promise<string> {
    const res = await this.request(path, accept);
    return res.text();
  }

  // One entity by kind and id (ids may contain slashes: kept as path).
  get<T extends Entity = Entity>(kind: string, id: string): Promise<T> {
    return this.json<T>(`/v1/${kind}/${id.split("/").map(encodeURIComponent).join("/")}`);
  }

  // Every entity of a collection, following cursors (at most `maxPages`).
  async list<T extends Entity = Entity>(kind: string, filters: Record<string, string> = {}, maxPages = 20): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null | undefined;
    for (let i = 0; i < maxPages; i++) {
      const q = new URLSearchParams({ ...filters, limit: "500" });
      if (cursor) q.set("cursor", cursor);
      const page = await this.json<Page<T>>(`/v1/${kind}?${q}`);
      out.push(...page.items);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return out;
  }

  // POST of one JSON document (e.g. an event to /v1/events), answered with
  // JSON; `headers` adds e.g. an Idempotency-Key.
  async post<T = Json>(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
    const res = await this.request(path, "application/json", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", ...headers },
      signal,
    });
    return (await res.json()) as T;
  }

  checkpoint(): Promise<string> {
    return this.text("/v1/log/checkpoint");
  }

  inclusionProof(index: number, size: number | bigint | string): Promise<import("./verify/inclusion").InclusionProofJson> {
    return this.json(`/v1/log/proof/inclusion?index=${index}&size=${size}`);
  }

  consistencyProof(from: number | bigint | string, to: number | bigint | string): Promise<{ proof: string[]; root1: string; root2: string }> {
    return this.json(`/v1/log/proof/consistency?from=${from}&to=${to}`);
  }

  // The exact leaf text of entry `index`, or null when the node withholds it
  // from this user (it then still gives the leaf hash) or the role may not
  // read the log at all.
  async leaf(index: number): Promise<string | null> {
    let r: { entries: { index: number; leaf?: string; withheld?: boolean }[] };
    try {
      r = await this.json(`/v1/log/entries?start=${index}&end=${index + 1}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) return null;
      throw e;
    }
    const e = r.entries.find((x) => x.index === index);
    if (!e) throw new ApiError(404, "not_found", t("api.noEntry", { index: String(index) }));
    return e.withheld || typeof e.leaf !== "string" ? null : e.leaf;
  }

  report<T = Json>(name: string, params: Record<string, string> = {}): Promise<T> {
    const q = new URLSearchParams({ ...params, format: "json" });
    return this.json<T>(`/v1/reports/${name}?${q}`);
  }

  // A report as CSV, with the file name the server suggests (if any).
  async reportCsv(name: string, params: Record<string, string> = {}): Promise<{ text: string; filename: string | null }> {
    const q = new URLSearchParams({ ...params, format: "csv" });
    const res = await this.request(`/v1/reports/${name}?${q}`, "text/csv");
    const m = /filename="?([^";]+)"?/.exec(res.headers.get("Content-Disposition") ?? "");
    return { text: await res.text(), filename: m ? m[1] : null };
  }
}
