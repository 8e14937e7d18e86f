// What the browser keeps: the bearer token (for this tab's session only) and
// the verifier keys the auditor pinned (local storage, kept across visits).

const TOKEN = "accord.token";
const ROLE = "accord.role";
const ME = "accord.me";
const LOG_KEY = "accord.pinned.logkey";
const COSIGNER_KEYS = "accord.pinned.cosigners";
const LAST_CHECKPOINT = "accord.last.checkpoint";

// Access as found at sign-in: a "reader" reads records (those of their party
// or assigned agreements) and the log entries about them (officer, inspector,
// auditor, admin); an "observer" reads aggregates only.
export type Role = "reader" | "observer";

// Who the token is, as GET /v1/me says (absent on nodes without that route).
export interface Me {
  user: string;
  party: string;
  role: string;
}

export const session = {
  token(): string | null {
    return sessionStorage.getItem(TOKEN);
  },
  role(): Role | null {
    return sessionStorage.getItem(ROLE) as Role | null;
  },
  signIn(token: string, role: Role): void {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(ROLE, role);
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(ROLE);
    sessionStorage.removeItem(ME);
  },
  me(): Me | null {
    try {
      const v = JSON.parse(sessionStorage.getItem(ME) ?? "null") as Me | null;
      return v && typeof v.user === "string" && typeof v.party === "string" && typeof v.role === "string" ? v : null;
    } catch {
      return null;
    }
  },
  setMe(me: Me): void {
    sessionStorage.setItem(ME, JSON.stringify(me));
  },
  pinnedLogKey(): string | null {
    return localStorage.getItem(LOG_KEY);
  },
  pinLogKey(vkey: string | null): void {
    if (vkey) localStorage.setItem(LOG_KEY, vkey);
    else localStorage.removeItem(LOG_KEY);
  },
  cosignerKeys(): string[] {
    try {
      const v = JSON.parse(localStorage.getItem(COSIGNER_KEYS) ?? "[]");
      return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
    } catch {
      return [];
    }
  },
  setCosignerKeys(keys: string[]): void {
    localStorage.setItem(COSIGNER_KEYS, JSON.stringify(keys));
  },
  // The last checkpoint this browser verified (size and root), so that the
  // next one can be checked to extend it.
  lastCheckpoint(): { size: string; root: string } | null {
    try {
      return JSON.parse(localStorage.getItem(LAST_CHECKPOINT) ?? "null");
    } catch {
      return null;
    }
  },
  setLastCheckpoint(v: { size: string; root: string }): void {
    localStorage.setItem(LAST_CHECKPOINT, JSON.stringify(v));
  },
};
