// The log: the verifier key this browser trusts, the current signed
// checkpoint with its signatures and cosignatures, consistency with the last
// checkpoint this browser saw, and any entry by index.
import type { Ctx } from "../context";
import { h, replace } from "../dom";
import { session } from "../session";
import { dateTime, num } from "../format";
import { label, t } from "../i18n";
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
  const pin = h("button", { type: "submit" }, t("log.pin"));
  const unpin = h("button", { type: "button", class: "secondary" }, t("log.unpin"));
  const form = h(
    "form",
    { class: "panel" },
    h("div", { class: "field" }, h("label", { for: "vkey" }, t("log.vkey")), input),
    h(
      "p",
      { id: "vkey-help", class: "muted" },
      t("log.vkeyHelp"),
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
      if (k.alg !== 0x01) throw new Error(t("log.notLogKey"));
      session.pinLogKey(k.text);
      replace(msg, h("p", { class: "state", role: "status" }, t("log.pinned", { name: k.name, id: toHex(k.keyId) })));
      onChange();
    } catch (e) {
      replace(msg, h("p", { class: "state error", role: "alert" }, t("log.notPinned", { why: (e as Error).message })));
    }
  });
  unpin.addEventListener("click", () => {
    session.pinLogKey(null);
    input.value = "";
    replace(msg, h("p", { class: "state", role: "status" }, t("log.unpinned")));
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
    h("div", { class: "field" }, h("label", { for: "cosigners" }, t("log.cosignersLabel")), input),
    h("p", { id: "cosigners-help", class: "muted" }, t("log.cosignersHelp")),
    h("button", { type: "submit" }, t("log.keepCosigners")),
    msg,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const lines = input.value.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    try {
      for (const l of lines) {
        const k = await parseVerifierKey(l);
        if (k.alg !== 0x04) throw new Error(t("log.notCosignerKey", { name: k.name }));
      }
      session.setCosignerKeys(lines);
      replace(msg, h("p", { class: "state", role: "status" }, lines.length ? t("log.keptCosigners", { count: lines.length }) : t("log.usingPartyKeys")));
      onChange();
    } catch (e) {
      replace(msg, h("p", { class: "state error", role: "alert" }, t("log.notKept", { why: (e as Error).message })));
    }
  });
  return form;
}

async function checkpointSection(ctx: Ctx, el: HTMLElement): Promise<void> {
  replace(el, loading(t("log.loading.checkpoint")));
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
        [t("log.origin"), cp.origin],
        [t("log.size"), t("log.entries", { count: Number(cp.size) })],
        [t("log.rootHash"), h("code", {}, toHex(cp.root))],
      ]),
      h(
        "p",
        { class: `verdict ${logOk ? "" : "flag"}`, "data-checkpoint": logOk ? "verified" : "unverified", role: "status" },
        logOk
          ? t("log.signedBy", { name: logKey!.name })
          : logKey
            ? t("log.notSignedBy", { name: logKey.name })
            : t("log.noKey"),
      ),
      table(t("log.sigTable"), [
        { label: t("col.signer"), value: (c) => c.name },
        { label: t("col.keyId"), value: (c) => h("code", {}, c.keyId) },
        { label: t("col.kind"), value: (c) => label("status", c.kind) },
        { label: t("col.time"), value: (c) => (c.timestamp !== undefined ? dateTime(c.timestamp) : "—") },
        { label: t("col.checkedHere"), value: (c) => (c.kind === "unknown key" ? h("span", { class: "badge warn" }, t("log.keyNotKnown")) : c.valid ? h("span", { class: "badge ok" }, t("log.valid")) : h("span", { class: "badge bad", "data-invalid": "" }, t("log.invalid"))) },
      ], checks),
      h("p", { class: "muted" }, t("log.cosignerSource", { source: t(cos.source) })),
    ];
    // Consistency with the last checkpoint this browser verified.
    const last = session.lastCheckpoint();
    if (logOk) {
      if (last && BigInt(last.size) <= cp.size && BigInt(last.size) > 0n) {
        try {
          const proof = await ctx.api.consistencyProof(last.size, cp.size);
          await verifyConsistency(BigInt(last.size), cp.size, (proof.proof ?? []).map(fromBase64), fromBase64(last.root), cp.root);
          parts.push(h("p", { class: "state", "data-consistency": "ok" }, t("log.consistent", { size: num(Number(last.size)) })));
          session.setLastCheckpoint({ size: String(cp.size), root: toBase64(cp.root) });
        } catch (e) {
          parts.push(h("p", { class: "state error", role: "alert", "data-consistency": "failed" }, t("log.inconsistent", { size: num(Number(last.size)), why: (e as Error).message })));
        }
      } else if (last && BigInt(last.size) > cp.size) {
        parts.push(h("p", { class: "state error", role: "alert" }, t("log.smaller", { size: num(Number(last.size)) })));
      } else {
        session.setLastCheckpoint({ size: String(cp.size), root: toBase64(cp.root) });
      }
    }
    parts.push(h("details", {}, h("summary", {}, t("log.noteAsServed")), h("pre", {}, note)));
    replace(el, ...parts);
  } catch (e) {
    replace(el, errorBox(e, t("log.checkpoint")));
  }
}

async function entrySection(ctx: Ctx, el: HTMLElement, index: number): Promise<void> {
  replace(el, loading(t("log.entryN", { index: String(index) })));
  const parts: Node[] = [h("h3", {}, t("log.entryTitle", { index: String(index) }))];
  try {
    const leaf = await ctx.api.leaf(index);
    const ev = leaf === null ? null : parseLeaf(index, leaf);
    if (leaf === null) {
      parts.push(h("p", { class: "muted" }, t("log.withheld")));
    } else {
      if (ev) {
        parts.push(facts([
          [t("col.type"), label("event", ev.type)],
          [t("col.subject"), ev.subject],
          [t("log.partyActor"), `${ev.party} (${ev.actor})`],
          [t("col.time"), dateTime(ev.time)],
          [t("log.loggedAt"), dateTime(ev.loggedAt)],
        ]));
      }
      parts.push(h("details", {}, h("summary", {}, t("log.entryAsLogged")), h("pre", {}, leaf)));
    }
  } catch (e) {
    replace(el, errorBox(e, t("log.entryTitle", { index: String(index) })));
    return;
  }
  parts.push(verifyButton(ctx.api, index));
  replace(el, ...parts);
}

export function logPage(ctx: Ctx, query: URLSearchParams): void {
  const cpEl = h("section", { "aria-labelledby": "log-cp" });
  const entryEl = h("section", { "aria-live": "polite" });
  const idx = h("input", { id: "entry-index", name: "index", type: "number", min: 0, inputmode: "numeric", value: query.get("index") ?? "" });
  const form = h("form", { class: "inline" }, h("label", { for: "entry-index" }, t("log.entryIndex"), idx), h("button", { type: "submit" }, t("log.showEntry")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (idx.value === "") return;
    location.hash = `#/log?index=${encodeURIComponent(idx.value)}`;
  });
  ctx.main.append(
    h("h1", {}, t("log.title")),
    h("p", {}, t("log.about")),
    h("h2", {}, t("log.trustedKey")),
    keySection(() => void checkpointSection(ctx, cpEl)),
    h("details", {}, h("summary", {}, t("log.cosigners")), cosignerSection(() => void checkpointSection(ctx, cpEl))),
    h("h2", { id: "log-cp" }, t("log.current")),
    cpEl,
    h("h2", {}, t("log.anyEntry")),
    form,
    entryEl,
  );
  void checkpointSection(ctx, cpEl);
  const q = query.get("index");
  if (q !== null && /^[0-9]+$/.test(q)) void entrySection(ctx, entryEl, Number(q));
}
