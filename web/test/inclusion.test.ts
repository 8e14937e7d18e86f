import { describe, expect, it } from "vitest";
import { toBase64, utf8 } from "../src/verify/bytes";
import { hashChildren, hashLeaf } from "../src/verify/merkle";
import { ALG_COSIGNATURE_V1, parseVerifierKey } from "../src/verify/note";
import { verifyEntryInclusion, type InclusionProofJson } from "../src/verify/inclusion";
import { makeSigner, signNote } from "./signers";

// RFC 6962 section 2.1.1 MTH and 2.1.3.1 PATH, by their recursive definitions
// (the test's oracle; the verifier under test walks the proof iteratively).
async function mth(h: Uint8Array[]): Promise<Uint8Array> {
  if (h.length === 1) return h[0];
  let k = 1;
  while (k * 2 < h.length) k *= 2;
  return hashChildren(await mth(h.slice(0, k)), await mth(h.slice(k)));
}
async function path(m: number, h: Uint8Array[]): Promise<Uint8Array[]> {
  if (h.length === 1) return [];
  let k = 1;
  while (k * 2 < h.length) k *= 2;
  if (m < k) return [...(await path(m, h.slice(0, k))), await mth(h.slice(k))];
  return [...(await path(m - k, h.slice(k))), await mth(h.slice(0, k))];
}

const LEAVES = Array.from({ length: 11 }, (_, i) => `{"e":{"type":"demo.event","n":${i}}}`);

async function fixture(index: number) {
  const hashes = await Promise.all(LEAVES.map((l) => hashLeaf(utf8(l))));
  const root = await mth(hashes);
  const log = await makeSigner("example.test/registry");
  const party = await makeSigner("uz.example/mod", ALG_COSIGNATURE_V1);
  const text = `example.test/registry\n${LEAVES.length}\n${toBase64(root)}\n`;
  const checkpointNote = await signNote(text, [log], [party]);
  const proof: InclusionProofJson = {
    leafIdx: index,
    treeSize: LEAVES.length,
    root: toBase64(root),
    leafHash: toBase64(hashes[index]),
    proof: (await path(index, hashes)).map(toBase64),
  };
  return {
    index,
    checkpointNote,
    logKey: await parseVerifierKey(log.vkey),
    cosignerKeys: [await parseVerifierKey(party.vkey)],
    proof,
    leafText: LEAVES[index],
  };
}

function flipByte(b64: string, at: number): string {
  const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  raw[at] ^= 0x01;
  return toBase64(raw);
}

describe("verifyEntryInclusion", () => {
  it("verifies every entry of an 11-entry log, with its content and cosignature", async () => {
    for (let i = 0; i < LEAVES.length; i++) {
      const r = await verifyEntryInclusion(await fixture(i));
      expect(r.ok, r.steps.map((s) => s.detail).join("; ")).toBe(true);
      expect(r.leafChecked).toBe(true);
      expect(r.steps.map((s) => s.label)).toEqual(["Checkpoint signature", "Cosignatures", "Entry content", "Inclusion proof"]);
    }
  });

  it("verifies without the leaf text, saying the content was not checked", async () => {
    const f = await fixture(4);
    const r = await verifyEntryInclusion({ ...f, leafText: undefined });
    expect(r.ok).toBe(true);
    expect(r.leafChecked).toBe(false);
  });

  it("rejects a tampered proof (one flipped byte in any hash)", async () => {
    const f = await fixture(6);
    for (let k = 0; k < f.proof.proof.length; k++) {
      const proof = { ...f.proof, proof: f.proof.proof.map((h, j) => (j === k ? flipByte(h, 0) : h)) };
      const r = await verifyEntryInclusion({ ...f, proof });
      expect(r.ok).toBe(false);
      expect(r.steps.at(-1)!.label).toBe("Inclusion proof");
    }
  });

  it("rejects a tampered leaf hash and changed content", async () => {
    const f = await fixture(3);
    const r1 = await verifyEntryInclusion({ ...f, leafText: undefined, proof: { ...f.proof, leafHash: flipByte(f.proof.leafHash, 31) } });
    expect(r1.ok).toBe(false);
    const r2 = await verifyEntryInclusion({ ...f, leafText: f.leafText.replace('"n":3', '"n":4') });
    expect(r2.ok).toBe(false);
    expect(r2.steps.at(-1)!.label).toBe("Entry content");
  });

  it("rejects a checkpoint not signed by the pinned key, or changed", async () => {
    const f = await fixture(0);
    const other = await makeSigner("example.test/registry");
    const r1 = await verifyEntryInclusion({ ...f, logKey: await parseVerifierKey(other.vkey) });
    expect(r1.ok).toBe(false);
    expect(r1.steps.at(-1)!.label).toBe("Checkpoint signature");
    const r2 = await verifyEntryInclusion({ ...f, checkpointNote: f.checkpointNote.replace("\n11\n", "\n12\n") });
    expect(r2.ok).toBe(false);
  });

  it("rejects a proof for another entry or another tree size", async () => {
    const f = await fixture(2);
    expect((await verifyEntryInclusion({ ...f, index: 5 })).ok).toBe(false);
    expect((await verifyEntryInclusion({ ...f, proof: { ...f.proof, treeSize: 10 } })).ok).toBe(false);
  });

  it("rejects a checkpoint whose cosignature does not verify", async () => {
    const f = await fixture(1);
    const lines = f.checkpointNote.split("\n");
    const cosig = lines.findIndex((l) => l.startsWith("\u2014 uz.example/mod "));
    const [dash, name, b64] = lines[cosig].split(" ");
    lines[cosig] = [dash, name, flipByte(b64, 40)].join(" ");
    const r = await verifyEntryInclusion({ ...f, checkpointNote: lines.join("\n") });
    expect(r.ok).toBe(false);
    expect(r.steps.at(-1)!.label).toBe("Cosignatures");
  });
});
