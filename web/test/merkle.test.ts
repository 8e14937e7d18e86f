import { describe, expect, it } from "vitest";
import { fromBase64, fromHex, toHex, utf8 } from "../src/verify/bytes";
import {
  hashChildren,
  hashLeaf,
  ProofError,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "../src/verify/merkle";
import { sha256 } from "../src/verify/sha256";
import { readProbes, readVectors } from "./shared-data";

// RFC 6962 MTH over leaf hashes, by its recursive definition (test oracle).
async function mth(leafHashes: Uint8Array[]): Promise<Uint8Array> {
  if (leafHashes.length === 0) return sha256(new Uint8Array());
  if (leafHashes.length === 1) return leafHashes[0];
  let k = 1;
  while (k * 2 < leafHashes.length) k *= 2;
  return hashChildren(await mth(leafHashes.slice(0, k)), await mth(leafHashes.slice(k)));
}

const { kv, lists } = readVectors();
const v = (k: string) => {
  const x = kv.get(k);
  if (x === undefined) throw new Error(`vector ${k} missing`);
  return fromHex(x);
};
const list = (heading: string) => {
  const x = lists.get(heading);
  if (!x) throw new Error(`vector list "${heading}" missing`);
  return x.map(fromHex);
};

describe("RFC 6962 hashing (VECTORS.txt A, B)", () => {
  it("hashes the eight reference leaves and every prefix root", async () => {
    const leaves = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => hashLeaf(v(`d${i}`))));
    for (let i = 0; i < 8; i++) expect(toHex(leaves[i])).toBe(toHex(v(`lh${i}`)));
    for (let n = 0; n <= 8; n++) expect(toHex(await mth(leaves.slice(0, n)))).toBe(toHex(v(`root${n}`)));
  });
  it("gives the hasher's known answers", async () => {
    expect(toHex(await hashLeaf(utf8("L123456")))).toBe(kv.get('HashLeaf("L123456")'));
    expect(toHex(await hashChildren(utf8("N123"), utf8("N456")))).toBe(kv.get('HashChildren("N123","N456")'));
    expect(toHex(await hashLeaf(new Uint8Array()))).toBe(kv.get("root1"));
  });
});

describe("inclusion proofs (VECTORS.txt C)", () => {
  const cases: [number, number, string][] = [
    [0, 8, "leaf_index=0, tree_size=8, leaf hash lh0, root root8"],
    [5, 8, "leaf_index=5, tree_size=8, leaf hash lh5, root root8"],
    [2, 3, "leaf_index=2, tree_size=3, leaf hash lh2, root root3"],
    [1, 5, "leaf_index=1, tree_size=5, leaf hash lh1, root root5"],
  ];
  for (const [index, size, heading] of cases) {
    it(`verifies leaf ${index} of ${size} and rejects every single-bit change`, async () => {
      const proof = list(heading);
      const root = v(`root${size}`);
      await verifyInclusion(BigInt(index), BigInt(size), v(`lh${index}`), proof, root);
      for (let i = 0; i < proof.length; i++) {
        const bad = proof.map((p) => p.slice());
        bad[i][7] ^= 0x10;
        await expect(verifyInclusion(BigInt(index), BigInt(size), v(`lh${index}`), bad, root)).rejects.toThrow(
          ProofError,
        );
      }
      await expect(verifyInclusion(BigInt(index), BigInt(size), v(`lh${(index + 1) % 8}`), proof, root)).rejects.toThrow(
        ProofError,
      );
      await expect(verifyInclusion(BigInt(index), BigInt(size), v(`lh${index}`), proof.slice(1), root)).rejects.toThrow(
        ProofError,
      );
    });
  }
  it("takes a one-leaf tree with an empty proof", async () => {
    expect(toHex(await rootFromInclusionProof(0n, 1n, v("lh0"), []))).toBe(kv.get("root1"));
    await expect(rootFromInclusionProof(1n, 1n, v("lh0"), [])).rejects.toThrow(ProofError);
  });
});

describe("consistency proofs (VECTORS.txt D)", () => {
  const cases: [number, number, string][] = [
    [1, 8, "size1=1 -> size2=8 (root1 -> root8)"],
    [6, 8, "size1=6 -> size2=8 (root6 -> root8)"],
    [2, 5, "size1=2 -> size2=5 (root2 -> root5)"],
    [6, 7, "size1=6 -> size2=7 (root6 -> root7)"],
  ];
  for (const [m, n, heading] of cases) {
    it(`proves ${m} -> ${n} and rejects a changed proof`, async () => {
      const proof = list(heading);
      await verifyConsistency(BigInt(m), BigInt(n), proof, v(`root${m}`), v(`root${n}`));
      const bad = proof.map((p) => p.slice());
      bad[bad.length - 1][0] ^= 1;
      await expect(verifyConsistency(BigInt(m), BigInt(n), bad, v(`root${m}`), v(`root${n}`))).rejects.toThrow(
        ProofError,
      );
    });
  }
  it("accepts equal sizes with an empty proof and rejects size 0", async () => {
    await verifyConsistency(1n, 1n, [], v("root1"), v("root1"));
    await expect(verifyConsistency(0n, 0n, [], v("root1"), v("root1"))).rejects.toThrow(ProofError);
  });
});

// Every probe file has its expected verdict; a malformed hash (bad base64,
// wrong length) counts as rejected.
async function verdict(run: () => Promise<void>): Promise<boolean> {
  try {
    await run();
    return false;
  } catch {
    return true;
  }
}
const b64s = (x: unknown) => (x as string[]).map(fromBase64);

describe("transparency-dev probe corpus", () => {
  it("gives all 98 inclusion probes their expected verdict", async () => {
    const probes = readProbes("inclusion");
    expect(probes.length).toBe(98);
    let negatives = 0;
    for (const { path, json: j } of probes) {
      const gotErr = await verdict(() =>
        verifyInclusion(
          BigInt(j.leafIdx as number),
          BigInt(j.treeSize as number),
          fromBase64(j.leafHash as string),
          b64s(j.proof ?? []),
          fromBase64(j.root as string),
        ),
      );
      if (j.wantErr) negatives++;
      expect(gotErr, path).toBe(j.wantErr);
    }
    expect(negatives).toBeGreaterThan(50);
  });
  it("gives all 98 consistency probes their expected verdict", async () => {
    const probes = readProbes("consistency");
    expect(probes.length).toBe(98);
    for (const { path, json: j } of probes) {
      const gotErr = await verdict(() =>
        verifyConsistency(
          BigInt(j.size1 as number),
          BigInt(j.size2 as number),
          b64s(j.proof ?? []),
          fromBase64(j.root1 as string),
          fromBase64(j.root2 as string),
        ),
      );
      expect(gotErr, path).toBe(j.wantErr);
    }
  });
});
