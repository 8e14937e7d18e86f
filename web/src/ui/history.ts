// The log entries about one subject ("contract/RU-UZ-2018-001"), read from
// the node's index of events by subject (GET /v1/log/history).
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

interface HistoryPage {
  entries: { index: number; leaf?: string; withheld?: boolean }[];
  more: boolean;
}

// Entries whose subject is `subject` (GET /v1/log/history, page by page), or
// null when the role may not read the log. Entries the node withholds from
// this user are left out.
export async function historyOf(api: Api, subject: string): Promise<LogEvent[] | null> {
  const out: LogEvent[] = [];
  let after: number | null = null;
  try {
    for (;;) {
      const q: string = `subject=${encodeURIComponent(subject)}` + (after === null ? "" : `&after=${String(after)}`);
      const page: HistoryPage = await api.json<HistoryPage>(`/v1/log/history?${q}`);
      for (const e of page.entries) {
        after = e.index;
        if (e.withheld || typeof e.leaf !== "string") continue;
        const ev = parseLeaf(e.index, e.leaf);
        if (ev) out.push(ev);
      }
      if (!page.more || page.entries.length === 0) break;
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return null;
    throw e;
  }
  return out;
}
