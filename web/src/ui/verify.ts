// The "verify" action: fetches the signed checkpoint and the inclusion proof
// of one log entry and checks both here, with the UI's own verifier.
import { Api } from "../api";
import { h, replace } from "../dom";
import { session } from "../session";
import { ed25519Backend } from "../verify/ed25519";
import { verifyEntryInclusion } from "../verify/inclusion";
import { ALG_COSIGNATURE_V1, parseVerifierKey, type VerifierKey } from "../verify/note";
import { fromBase64, toBase64 } from "../verify/bytes";
import { keyIdOf } from "../verify/note";
import { toHex } from "../verify/bytes";

// Cosigner keys: those the user pinned, else the party keys this node records
// (their Ed25519 keys as cosignature/v1 keys). Unreadable parties give none.
export async function cosignerKeys(api: Api): Promise<{ keys: VerifierKey[]; source: string }> {
  const pinned = session.cosignerKeys();
  if (pinned.length > 0) {
    const keys: VerifierKey[] = [];
    for (const k of pinned) {
      try {
        keys.push(await parseVerifierKey(k));
      } catch {
        /* a bad pinned key is shown on the log page */
      }
    }
    return { keys, source: "pinned in this browser" };
  }
  try {
    const parties = await api.list("parties");
    const keys: VerifierKey[] = [];
    for (const p of parties) {
      for (const k of (p.keys as { vkey?: string }[] | undefined) ?? []) {
        if (!k.vkey) continue;
        const key = await parseVerifierKey(k.vkey);
        const id = await keyIdOf(key.name, ALG_COSIGNATURE_V1, key.publicKey);
        const raw = new Uint8Array(33);
        raw[0] = ALG_COSIGNATURE_V1;
        raw.set(key.publicKey, 1);
        keys.push(await parseVerifierKey(`${key.name}+${toHex(id)}+${toBase64(raw)}`));
      }
    }
    return { keys, source: "party keys recorded by this node" };
  } catch {
    return { keys: [], source: "none" };
  }
}

export function verifyButton(api: Api, index: number, what = `entry ${index}`): HTMLElement {
  const out = h("div", { class: "verify-result", "aria-live": "polite" });
  const btn = h("button", { type: "button", class: "secondary", "data-verify": index }, `Verify ${what} in the log`);
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    replace(out, h("span", { class: "spinner", "aria-hidden": "true" }), "Checking the proof in this browser…");
    out.className = "verify-result";
    try {
      await runVerification(api, index, out);
    } finally {
      btn.disabled = false;
    }
  });
  return h("div", { class: "verify" }, btn, out);
}

async function runVerification(api: Api, index: number, out: HTMLElement): Promise<void> {
  const pinned = session.pinnedLogKey();
  if (!pinned) {
    out.className = "verify-result bad";
    replace(
      out,
      h("p", { class: "verdict" }, "Not verified: no log key is pinned in this browser."),
      h("p", {}, "Pin the log's verifier key on the ", h("a", { href: "#/log" }, "Log page"), " first (the operator gives it to you out of band)."),
    );
    return;
  }
  let logKey: VerifierKey;
  try {
    logKey = await parseVerifierKey(pinned);
  } catch (e) {
    out.className = "verify-result bad";
    replace(out, h("p", { class: "verdict" }, `Not verified: the pinned log key is invalid (${(e as Error).message}).`));
    return;
  }
  try {
    const checkpointNote = await api.checkpoint();
    const sizeLine = checkpointNote.split("\n")[1] ?? "";
    if (!/^[0-9]+$/.test(sizeLine)) throw new Error("the checkpoint has no size line");
    const proof = await api.inclusionProof(index, sizeLine);
    const leafText = (await api.leaf(index)) ?? undefined;
    const cos = await cosignerKeys(api);
    const r = await verifyEntryInclusion({ index, checkpointNote, logKey, cosignerKeys: cos.keys, proof, leafText });
    const backend = await ed25519Backend();
    out.className = `verify-result ${r.ok ? "ok" : "bad"}`;
    const steps = h(
      "ol",
      {},
      r.steps.map((s) => h("li", {}, h("strong", {}, `${s.ok ? "✓" : "✗"} ${s.label}: `), s.detail)),
    );
    const unknown = r.signatures.filter((s) => s.kind === "unknown key").map((s) => s.name);
    replace(
      out,
      h(
        "p",
        { class: "verdict", "data-verdict": r.ok ? "verified" : "rejected" },
        r.ok ? `Verified: entry ${index} is in the log.` : `Not verified: entry ${index} could not be shown to be in the log.`,
      ),
      steps,
      r.ok && !r.leafChecked
        ? h("p", {}, "The entry's content was not checked: the node withholds this entry from your role, so only its leaf hash ",
            h("code", {}, r.leafHashHex ?? ""), " is proved to be in the log.")
        : null,
      unknown.length ? h("p", { class: "muted" }, `Signatures by keys not known here (not checked): ${unknown.join(", ")}.`) : null,
      h("p", { class: "muted" }, `Checked in this browser with ${backend === "webcrypto" ? "WebCrypto" : "@noble/ed25519"} (Ed25519) and WebCrypto SHA-256; cosigner keys: ${cos.source}.`),
    );
  } catch (e) {
    out.className = "verify-result bad";
    replace(out, h("p", { class: "verdict", "data-verdict": "error" }, `Not verified: ${(e as Error).message}`));
  }
}

// Decodes base64 safely for display.
export function b64hex(s: string): string {
  try {
    return toHex(fromBase64(s));
  } catch {
    return "(not base64)";
  }
}
