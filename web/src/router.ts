// A hash router: "#/contracts/RU-UZ-2018-001" -> the contracts page with
// params ["RU-UZ-2018-001"]. Patterns are path segments; ":x" takes one
// segment, "*x" takes the rest (item ids contain slashes).

export interface RouteMatch {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Route<C> {
  pattern: string;
  render: (ctx: C, m: RouteMatch) => Promise<void> | void;
}

export function parseHash(hash: string): { segments: string[]; query: URLSearchParams } {
  const raw = hash.replace(/^#\/?/, "");
  const [path, qs = ""] = raw.split("?", 2);
  const segments = path === "" ? [] : path.split("/").map((s) => decodeURIComponent(s));
  return { segments, query: new URLSearchParams(qs) };
}

export function match<C>(routes: Route<C>[], hash: string): { route: Route<C>; m: RouteMatch } | null {
  const { segments, query } = parseHash(hash);
  for (const route of routes) {
    const pat = route.pattern === "" ? [] : route.pattern.split("/");
    const params: Record<string, string> = {};
    let ok = true;
    let i = 0;
    for (; i < pat.length; i++) {
      const p = pat[i];
      if (p.startsWith("*")) {
        if (i >= segments.length) ok = false;
        else params[p.slice(1)] = segments.slice(i).join("/");
        i = segments.length;
        break;
      }
      if (i >= segments.length) {
        ok = false;
        break;
      }
      if (p.startsWith(":")) params[p.slice(1)] = segments[i];
      else if (p !== segments[i]) ok = false;
      if (!ok) break;
    }
    if (ok && i === segments.length && (pat.length === segments.length || pat.at(-1)?.startsWith("*"))) {
      return { route, m: { params, query } };
    }
  }
  return null;
}
