// The log entries about one subject ("contract/RU-UZ-2018-001"). The API's
// entities carry only some of their log indices, so the UI reads the entries
// this user may read (1,000 per request, at most 50,000; the others are
// withheld by the node) and indexes them by subject once per session.
import { Api, ApiError } from "../api";

export interface LogEvent {
  index: number;
  type: string;
  time: string;
  party: string;
  actor: string;
  subject: string;
  body: Record<string, unknown>;
  loggedAt: string;
}

let cache: Promise<LogEvent[]> | null = null;
const MAX_ENTRIES = 50000;

export function parseLeaf(index: number, leaf: string): LogEvent | null {
  try {
    const j = JSON.parse(leaf) as { e?: Record<string, unknown>; t?: string };
    const e = j.e ?? {};
    return {
      index,
      type: String(e.type ?? ""),
      time: String(e.time ?? ""),
      party: String(e.party ?? ""),
      actor: String(e.actor ?? ""),
      subject: String(e.subject ?? ""),
      body: (e.body as Record<string, unknown>) ?? {},
      loggedAt: String(j.t ?? ""),
    };
  } catch {
    return null;
  }
}

export function readLog(api: Api, onProgress?: (done: number, total: number) => void): Promise<LogEvent[]> {
  cache ??= (async () => {
    const out: LogEvent[] = [];
    let start = 0;
    for (;;) {
      const r = await api.json<{ entries: { index: number; leaf?: string; withheld?: boolean }[]; size: number; end: number }>(
        `/v1/log/entries?start=${start}`,
      );
      for (const e of r.entries) {
        if (e.withheld || typeof e.leaf !== "string") continue; // not readable by this user
        const ev = parseLeaf(e.index, e.leaf);
        if (ev) out.push(ev);
      }
      onProgress?.(r.end, r.size);
      if (r.entries.length === 0 || r.end >= r.size || r.end >= MAX_ENTRIES) break;
      start = r.end;
    }
    return out;
  })().catch((e) => {
    cache = null;
    throw e;
  });
  return cache;
}

// Entries whose subject is `subject`, or null when the role may not read the log.
export async function historyOf(api: Api, subject: string): Promise<LogEvent[] | null> {
  try {
    return (await readLog(api)).filter((e) => e.subject === subject);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return null;
    throw e;
  }
}

export function resetLogCache(): void {
  cache = null;
}
