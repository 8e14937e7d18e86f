// Locates the shared test data (RFC 6962 vectors and probes) beside the
// checkout, as the C++ tests do; ACCORD_SHARED_DATA overrides it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const SHARED_DATA = process.env.ACCORD_SHARED_DATA ?? resolve(import.meta.dirname, "../../../shared/data");

export function sharedDataPresent(): boolean {
  return existsSync(join(SHARED_DATA, "tlog/VECTORS.txt"));
}

// "key = value" lines of VECTORS.txt, plus the indented hash lists that
// follow each "# ..." heading of sections C and D.
export function readVectors(): { kv: Map<string, string>; lists: Map<string, string[]> } {
  const text = readFileSync(join(SHARED_DATA, "tlog/VECTORS.txt"), "utf8");
  const kv = new Map<string, string>();
  const lists = new Map<string, string[]>();
  let heading = "";
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z0-9_]+) = (?:"")?([0-9a-f]*)$/.exec(line);
    if (m) kv.set(m[1], m[2]);
    const b = /^(HashLeaf|HashChildren)\((.*)\)\s+= ([0-9a-f]{64})$/.exec(line);
    if (b) kv.set(`${b[1]}(${b[2]})`, b[3]);
    if (line.startsWith("# ")) heading = line.slice(2).replace(/:$/, "");
    const h = /^ {2}([0-9a-f]{64})$/.exec(line);
    if (h) {
      if (!lists.has(heading)) lists.set(heading, []);
      lists.get(heading)!.push(h[1]);
    }
    const e = /^(SECRET KEY|PUBLIC KEY|SIGNATURE): ([0-9a-f]+)$/.exec(line);
    if (e) kv.set(e[1], e[2]);
  }
  return { kv, lists };
}

export interface ProbeFile {
  path: string;
  json: Record<string, unknown>;
}

export function readProbes(kind: "inclusion" | "consistency"): ProbeFile[] {
  const out: ProbeFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".json")) out.push({ path: p, json: JSON.parse(readFileSync(p, "utf8")) });
    }
  };
  walk(join(SHARED_DATA, "tlog/probes", kind));
  return out;
}
