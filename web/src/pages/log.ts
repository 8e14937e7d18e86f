// The log: the verifier key this browser trusts, the current signed
// checkpoint with its signatures and cosignatures, consistency with the last
// checkpoint this browser saw, and any entry by index.
import type { Ctx } from "../context";
import { h, replace } from "../dom";
import { session } from "../session";
import { fromBase64, toBase64, toHex } from "../verify/bytes";
import { verifyConsistency } from "../verify/merkle";
import { checkNoteSignatures, parseCheckpoint, parseNote, parseVerifierKey } from "../verify/note";
import { parseLeaf } from "../ui/history";
import { errorBox, loading } from "../ui/states";
import { facts, table } from "../ui/table";
import { cosignerKeys, verifyButton } from "../ui/verify";

function keySection(onChange: () => void): HTMLElement {
  const current = session.pinnedLogKey();
  const input = h("textarea", { id: "vkey", name: "vkey", rows: 2, spellcheck: "false", "aria-describedby": "vkey-help" }, current ?? "");
  const msg = h("div", { "aria-live": "polite" });
  const pin = h("button", { type: "submit" }, "Pin this key");
  const unpin = h("button", { type: "button", class: "secondary" }, "Forget the pinned key");
  const form = h(
    "form",
    { class: "panel" },
    h("div", { class: "field" }, h("label", { for: "vkey" }, "Log verifier key"), input),
    h(
      "p",
      { id: "vkey-help", class: "muted" },
      "The log's public key in signed-note form (name+keyid+key), as the node's operator or your treaty commission gave it to you — not as this page shows it. Once pinned, this browser checks every checkpoint against it.",
    ),
    pin,
    " ",
    unpin,
    msg,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const k = await parseVerifierKey(input.value);
      if (k.alg !== 0x01) throw new Error("this is a cosigner key; the log key is an Ed25519 (type 1) key");
      session.pinLogKey(k.text);
      replace(msg, h("p", { class: "state", role: "status" }, `Pinned ${k.name} (key ID ${toHex(k.keyId)}).`));
      onChange();
    } catch (e) {
      replace(msg, h("p", { class: "state error", role: "alert" }, `Not pinned: ${(e as Error).message}`));
    }
  });
  unpin.addEventListener("click", () => {
    session.pinLogKey(null);
    input.value = "";
    replace(msg, h("p", { class: "state", role: "status" }, "No log key is pinned now."));
    onChange();
  });
  return form;
}

function cosignerSection(onChange: () => void): HTMLElement {
  const input = h("textarea", { id: "cosigners", name: "cosigners", rows: 2, spellcheck: "false", "aria-describedby": "cosigners-help" }, session.cosignerKeys().join("\n"));
  const msg = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "panel" },
    h("div", { class: "field" }, h("label", { for: "cosigners" }, "Cosigner keys (one per line)"), input),
    h("p", { id: "cosigners-help", class: "muted" }, "The parties' cosigning keys (name+keyid+key, type 4) as you hold them. Left empty, the party keys this node records are used, and the page says so."),
    h("button", { type: "submit" }, "Keep these cosigner keys"),
    msg,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const lines = input.value.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    try {
      for (const l of lines) {
        const k = await parseVerifierKey(l);
        if (k.alg !== 0x04) throw new Error(`${k.name}: not a cosigner (type 4) key`);
      }
      session.setCosignerKeys(lines);
      replace(msg, h("p", { class: "state", role: "status" }, lines.length ? `Kept ${lines.length} cosigner key(s).` : "Using the party keys this node records."));
      onChange();
    } catch (e) {
      replace(msg, h("p", { class: "state error", role: "alert" }, `Not kept: ${(e as Error).message}`));
    }
  });
  return form;
}

async function checkpointSection(ctx: Ctx, el: HTMLElement): Promise<void> {
  replace(el, loading("the checkpoint"));
  try {
    const note = await ctx.api.checkpoint();
    const parsed = parseNote(note);
    const cp = parseCheckpoint(parsed.text);
    const pinned = session.pinnedLogKey();
    const logKey = pinned ? await parseVerifierKey(pinned) : null;
    const cos = await cosignerKeys(ctx.api);
    const checks = await checkNoteSignatures(parsed, [...(logKey ? [logKey] : []), ...cos.keys]);
    const logOk = !!logKey && checks.some((c) => c.kind === "signature" && c.valid && c.name === logKey.name);
    const parts: Node[] = [
      facts([
        ["Origin", cp.origin],
        ["Size", `${cp.size} entries`],
        ["Root hash", h("code", {}, toHex(cp.root))],
      ]),
      h(
        "p",
        { class: `verdict ${logOk ? "" : "flag"}`, "data-checkpoint": logOk ? "verified" : "unverified", role: "status" },
        logOk
          ? `The checkpoint is signed by the pinned log key ${logKey!.name}.`
          : logKey
            ? `The checkpoint is NOT signed by the pinned log key ${logKey.name}.`
            : "No log key is pinned: the signature cannot be checked.",
      ),
      table("Signatures and cosignatures", [
        { label: "Signer", value: (c) => c.name },
        { label: "Key ID", value: (c) => h("code", {}, c.keyId) },
        { label: "Kind", value: (c) => c.kind },
        { label: "Time", value: (c) => (c.timestamp !== undefined ? new Date(c.timestamp * 1000).toISOString().replace(".000", "") : "—") },
        { label: "Checked here", value: (c) => (c.kind === "unknown key" ? h("span", { class: "badge warn" }, "key not known") : c.valid ? h("span", { class: "badge ok" }, "valid") : h("span", { class: "badge bad" }, "INVALID")) },
      ], checks),
      h("p", { class: "muted" }, `Cosigner keys: ${cos.source}.`),
    ];
    // Consistency with the last checkpoint this browser verified.
    const last = session.lastCheckpoint();
    if (logOk) {
      if (last && BigInt(last.size) <= cp.size && BigInt(last.size) > 0n) {
        try {
          const proof = await ctx.api.consistencyProof(last.size, cp.size);
          await verifyConsistency(BigInt(last.size), cp.size, (proof.proof ?? []).map(fromBase64), fromBase64(last.root), cp.root);
          parts.push(h("p", { class: "state", "data-consistency": "ok" }, `This log extends the one this browser last saw (size ${last.size}): consistency proof verified.`));
          session.setLastCheckpoint({ size: String(cp.size), root: toBase64(cp.root) });
        } catch (e) {
          parts.push(h("p", { class: "state error", role: "alert", "data-consistency": "failed" }, `This log does NOT extend the one this browser last saw (size ${last.size}): ${(e as Error).message}`));
        }
      } else if (last && BigInt(last.size) > cp.size) {
        parts.push(h("p", { class: "state error", role: "alert" }, `The log is smaller than the one this browser last saw (size ${last.size}).`));
      } else {
        session.setLastCheckpoint({ size: String(cp.size), root: toBase64(cp.root) });
      }
    }
    parts.push(h("details", {}, h("summary", {}, "The signed note as served"), h("pre", {}, note)));
    replace(el, ...parts);
  } catch (e) {
    replace(el, errorBox(e, "Checkpoint"));
  }
}

async function entrySection(ctx: Ctx, el: HTMLElement, index: number): Promise<void> {
  replace(el, loading(`entry ${index}`));
  const parts: Node[] = [h("h3", {}, `Entry ${index}`)];
  try {
    const leaf = await ctx.api.leaf(index);
    const ev = leaf === null ? null : parseLeaf(index, leaf);
    if (leaf === null) {
      parts.push(h("p", { class: "muted" }, "This entry is withheld from your role; its inclusion can still be verified."));
    } else {
      if (ev) {
        parts.push(facts([
          ["Type", ev.type],
          ["Subject", ev.subject],
          ["Party and actor", `${ev.party} (${ev.actor})`],
          ["Time", ev.time],
          ["Logged at", ev.loggedAt],
        ]));
      }
      parts.push(h("details", {}, h("summary", {}, "The entry as logged (the exact text that is hashed)"), h("pre", {}, leaf)));
    }
  } catch (e) {
    replace(el, errorBox(e, `Entry ${index}`));
    return;
  }
  parts.push(verifyButton(ctx.api, index));
  replace(el, ...parts);
}

export function logPage(ctx: Ctx, query: URLSearchParams): void {
  const cpEl = h("section", { "aria-labelledby": "log-cp" });
  const entryEl = h("section", { "aria-live": "polite" });
  const idx = h("input", { id: "entry-index", name: "index", type: "number", min: 0, inputmode: "numeric", value: query.get("index") ?? "" });
  const form = h("form", { class: "inline" }, h("label", { for: "entry-index" }, "Entry index", idx), h("button", { type: "submit" }, "Show entry"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (idx.value === "") return;
    location.hash = `#/log?index=${encodeURIComponent(idx.value)}`;
  });
  ctx.main.append(
    h("h1", {}, "The log"),
    h("p", {}, "Every record is an entry of this append-only Merkle log (RFC 6962). The checks on this page run in your browser, with code independent of the server's."),
    h("h2", {}, "Trusted key"),
    keySection(() => void checkpointSection(ctx, cpEl)),
    h("details", {}, h("summary", {}, "Cosigner keys"), cosignerSection(() => void checkpointSection(ctx, cpEl))),
    h("h2", { id: "log-cp" }, "Current checkpoint"),
    cpEl,
    h("h2", {}, "Any entry by index"),
    form,
    entryEl,
  );
  void checkpointSection(ctx, cpEl);
  const q = query.get("index");
  if (q !== null && /^[0-9]+$/.test(q)) void entrySection(ctx, entryEl, Number(q));
}
