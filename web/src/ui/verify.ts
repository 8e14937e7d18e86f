// The "verify" action: fetches the signed checkpoint and the inclusion proof
// of one log entry and checks both here, with the UI's own verifier.
import { Api } from "../api";
import { h, replace } from "../dom";
import { session } from "../session";
import { ed25519Backend } from "../verify/ed25519";
import { verifyEntryInclusion, type Step } from "../verify/inclusion";
import { ALG_COSIGNATURE_V1, parseVerifierKey, type VerifierKey } from "../verify/note";
import { fromBase64, toBase64 } from "../verify/bytes";
import { keyIdOf } from "../verify/note";
import { toHex } from "../verify/bytes";
import { t, type Key } from "../i18n";

// Cosigner keys: those the user pinned, else the party keys this node records
// (their Ed25519 keys as cosignature/v1 keys). Unreadable parties give none.
export async function cosignerKeys(api: Api): Promise<{ keys: VerifierKey[]; source: Key }> {
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
    return { keys, source: "verify.source.pinned" };
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
    return { keys, source: "verify.source.parties" };
  } catch {
    return { keys: [], source: "verify.source.none" };
  }
}

// The verifier's step names (web/src/verify has no UI strings of its own
// but these); its details, about hashes and keys, stay as it words them.
const STEPS: Record<string, Key> = {
  "Checkpoint signature": "verify.step.signature", // not UI text
  Cosignatures: "verify.step.cosignatures",
  "Entry content": "verify.step.content", // not UI text
  "Inclusion proof": "verify.step.inclusion", // not UI text
  Checkpoint: "verify.step.checkpoint",
  Proof: "verify.step.proof",
};
function stepLabel(s: string): string {
  return STEPS[s] ? t(STEPS[s]) : s;
}
// Each step's sentence, from its code and values (the verifier's English
// detail for a code the catalogue does not know).
const DETAILS: Record<string, Key> = {
  notEd25519: "verify.detail.notEd25519",
  unreadable: "verify.detail.unreadable",
  noSignature: "verify.detail.noSignature",
  badSignature: "verify.detail.badSignature",
  signed: "verify.detail.signed",
  badCosignature: "verify.detail.badCosignature",
  cosigned: "verify.detail.cosigned",
  otherEntry: "verify.detail.otherEntry",
  otherSize: "verify.detail.otherSize",
  proofUnreadable: "verify.detail.proofUnreadable",
  contentMismatch: "verify.detail.contentMismatch",
  contentOk: "verify.detail.contentOk",
  notIncluded: "verify.detail.notIncluded",
  included: "verify.detail.included",
};
function stepDetail(s: Step): string {
  const key = DETAILS[s.code];
  if (!key) return s.detail;
  const values: Record<string, string | number> = { ...s.values };
  for (const k of ["size", "index", "got", "want"]) if (values[k] !== undefined && /^\d+$/.test(String(values[k]))) values[k] = Number(values[k]);
  return t(key, values);
}

export function verifyButton(api: Api, index: number, what = t("log.entryN", { index: String(index) })): HTMLElement {
  const out = h("div", { class: "verify-result", "aria-live": "polite" });
  const btn = h("button", { type: "button", class: "secondary", "data-verify": index }, t("verify.button", { what }));
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    replace(out, h("span", { class: "spinner", "aria-hidden": "true" }), t("verify.checking"));
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
      h("p", { class: "verdict" }, t("verify.noKey")),
      h("p", {}, t("verify.pinFirst"), " ", h("a", { href: "#/log" }, t("verify.logPage"))),
    );
    return;
  }
  let logKey: VerifierKey;
  try {
    logKey = await parseVerifierKey(pinned);
  } catch (e) {
    out.className = "verify-result bad";
    replace(out, h("p", { class: "verdict" }, t("verify.badKey", { why: (e as Error).message })));
    return;
  }
  try {
    const checkpointNote = await api.checkpoint();
    const sizeLine = checkpointNote.split("\n")[1] ?? "";
    if (!/^[0-9]+$/.test(sizeLine)) throw new Error(t("verify.noSizeLine"));
    const proof = await api.inclusionProof(index, sizeLine);
    const leafText = (await api.leaf(index)) ?? undefined;
    const cos = await cosignerKeys(api);
    const r = await verifyEntryInclusion({ index, checkpointNote, logKey, cosignerKeys: cos.keys, proof, leafText });
    const backend = await ed25519Backend();
    out.className = `verify-result ${r.ok ? "ok" : "bad"}`;
    const steps = h(
      "ol",
      {},
      r.steps.map((s) => h("li", {}, h("strong", {}, `${s.ok ? "✓" : "✗"} ${stepLabel(s.label)}: `), stepDetail(s))),
    );
    const unknown = r.signatures.filter((s) => s.kind === "unknown key").map((s) => s.name);
    replace(
      out,
      h(
        "p",
        { class: "verdict", "data-verdict": r.ok ? "verified" : "rejected" },
        r.ok ? t("verify.ok", { index: String(index) }) : t("verify.rejected", { index: String(index) }),
      ),
      steps,
      r.ok && !r.leafChecked
        ? h("p", { "data-content": "not-checked" }, t("verify.contentNotChecked"), " ", h("code", {}, r.leafHashHex ?? ""))
        : null,
      unknown.length ? h("p", { class: "muted" }, t("verify.unknownKeys", { names: unknown.join(", ") })) : null,
      h("p", { class: "muted" }, t("verify.how", { backend: backend === "webcrypto" ? "WebCrypto" : "@noble/ed25519", source: t(cos.source) })),
    );
  } catch (e) {
    out.className = "verify-result bad";
    replace(out, h("p", { class: "verdict", "data-verdict": "error" }, t("verify.error", { why: (e as Error).message })));
  }
}

// Decodes base64 safely for display.
export function b64hex(s: string): string {
  try {
    return toHex(fromBase64(s));
  } catch {
    return t("verify.notBase64");
  }
}
