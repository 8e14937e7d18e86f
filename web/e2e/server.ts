// Starts `accord serve` on a fresh demo registry, on an ephemeral loopback
// port, with the built UI as its static directory; and Debian's Chromium.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";

const root = resolve(import.meta.dirname, "../..");
export const ACCORD = process.env.ACCORD_BIN ?? join(root, "build/accord");
export const STATIC_DIR = process.env.ACCORD_WEB_OUT ?? join(root, "build/web");
export const ARTIFACTS = process.env.ACCORD_E2E_ARTIFACTS ?? join(root, "build/e2e-artifacts");
export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

export interface Demo {
  url: string;
  dir: string;
  tokens: Record<"officer" | "inspector" | "auditor" | "observer" | "admin", string>;
  logVkey: string;
  server: ChildProcess;
}

function accord(args: string[]): string {
  return execFileSync(ACCORD, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export async function startDemo(extraArgs: string[] = []): Promise<Demo> {
  if (!existsSync(join(STATIC_DIR, "index.html"))) throw new Error(`no built UI in ${STATIC_DIR} (npm run build)`);
  const dir = mkdtempSync(join(tmpdir(), "accord-e2e-"));
  const db = join(dir, "registry.db");
  accord(["demo", "--db", db, "--force"]);
  accord(["log", "cosign", "--db", db, "--key", join(dir, "registry.keys/uz.skey")]);
  const add = (name: string, party: string, role: string) =>
    accord(["user", "add", name, "--party", party, "--role", role, "--db", db]).trim();
  const tokens = {
    officer: add("ru-officer", "RU", "officer"),
    inspector: add("ru-inspector", "RU", "inspector"),
    auditor: add("auditor", "UZ", "auditor"),
    observer: add("observer", "UZ", "observer"),
    admin: add("admin", "RU", "admin"),
  };
  accord(["user", "assign", "auditor", "--agreement", "RU-UZ-2016-MTC", "--db", db]);
  const logVkey = readFileSync(join(dir, "registry.node.vkey"), "utf8").trim();
  const server = spawn(
    ACCORD,
    ["serve", "--db", db, "--listen", "127.0.0.1:0", "--party-keys", join(dir, "registry.keys"), "--static", STATIC_DIR, "--rate", "0", "--public-reports", ...extraArgs],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const url = await new Promise<string>((ok, fail) => {
    let err = "";
    const timer = setTimeout(() => fail(new Error(`accord serve did not start: ${err}`)), 15000);
    server.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    server.on("exit", (code) => fail(new Error(`accord serve exited ${code}: ${err}`)));
  });
  return { url, dir, tokens, logVkey, server };
}

export async function stopDemo(d: Demo | undefined): Promise<void> {
  if (!d) return;
  const exited = new Promise((ok) => d.server.once("exit", ok));
  d.server.kill("SIGTERM");
  await exited;
  rmSync(d.dir, { recursive: true, force: true });
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const args = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-dev-shm-usage", // small /dev/shm in containers
  ];
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}
