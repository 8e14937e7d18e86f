// RFC 6962 / RFC 9162 Merkle tree hashing and proof verification.
//
// Leaf hash H(0x00 || data), interior node H(0x01 || left || right), SHA-256.
// Verification follows RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2
// (consistency), and additionally rejects any hash that is not 32 bytes and a
// consistency proof from size 0. Indices and sizes are bigints so that trees
// beyond 2^53 leaves are handled exactly.
import { equal, toHex } from "./bytes";
import { sha256 } from "./sha256";

export const HASH_SIZE = 32;

export class ProofError extends Error {}

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);

export function hashLeaf(data: Uint8Array): Promise<Uint8Array> {
  return sha256(LEAF, data);
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(NODE, left, right);
}

function checkHash(h: Uint8Array, what: string): void {
  if (h.length !== HASH_SIZE) throw new ProofError(`${what} is ${h.length} bytes, not ${HASH_SIZE}`);
}

const isOdd = (x: bigint) => (x & 1n) === 1n;

// The root that an inclusion proof for `leafHash` at `index` in a tree of
// `size` leaves implies. Throws ProofError when the proof cannot be one.
export async function rootFromInclusionProof(
  index: bigint,
  size: bigint,
  leafHash: Uint8Array,
  proof: Uint8Array[],
): Promise<Uint8Array> {
  if (index < 0n || size < 0n) throw new ProofError("negative index or size");
  if (index >= size) throw new ProofError(`index ${index} is not below tree size ${size}`);
  checkHash(leafHash, "leaf hash");
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));
  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) throw new ProofError("proof is longer than the tree is deep");
    if (isOdd(fn) || fn === sn) {
      r = await hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new ProofError("proof is shorter than the tree is deep");
  return r;
}

export async function verifyInclusion(
  index: bigint,
  size: bigint,
  leafHash: Uint8Array,
  proof: Uint8Array[],
  root: Uint8Array,
): Promise<void> {
  checkHash(root, "root");
  const got = await rootFromInclusionProof(index, size, leafHash, proof);
  if (!equal(got, root)) {
    throw new ProofError(`proof leads to root ${toHex(got)}, expected ${toHex(root)}`);
  }
}

// Checks that the tree of size1 leaves with root1 is a prefix of the tree of
// size2 leaves with root2.
export async function verifyConsistency(
  size1: bigint,
  size2: bigint,
  proof: Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): Promise<void> {
  if (size1 <= 0n) throw new ProofError("consistency from an empty tree is not proved");
  if (size2 < size1) throw new ProofError(`size ${size2} is smaller than ${size1}`);
  if (size1 === size2) {
    // Nothing to hash: the two roots must simply be the same value.
    if (proof.length !== 0) throw new ProofError("equal sizes need an empty proof");
    if (!equal(root1, root2)) throw new ProofError("equal sizes with different roots");
    return;
  }
  checkHash(root1, "first root");
  checkHash(root2, "second root");
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));
  if (proof.length === 0) throw new ProofError("empty consistency proof");
  let path = proof;
  if ((size1 & (size1 - 1n)) === 0n) path = [root1, ...proof];
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while (isOdd(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new ProofError("proof is longer than needed");
    if (isOdd(fn) || fn === sn) {
      fr = await hashChildren(c, fr);
      sr = await hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = await hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new ProofError("proof is shorter than needed");
  if (!equal(fr, root1)) throw new ProofError("proof does not lead to the first root");
  if (!equal(sr, root2)) throw new ProofError("proof does not lead to the second root");
}
