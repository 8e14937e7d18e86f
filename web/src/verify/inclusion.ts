// Verifies that a log entry is in the log a signed checkpoint commits to:
// the checkpoint's signature by the pinned log key, any cosignatures by known
// party keys, and the inclusion proof from the entry's leaf hash to the
// checkpoint's root. Pure: the caller fetches the checkpoint, the proof and
// (when readable) the leaf text.
import { equal, fromBase64, toHex, utf8 } from "./bytes";
import { type Ed25519Backend } from "./ed25519";
import { hashLeaf, verifyInclusion } from "./merkle";
import {
  ALG_ED25519,
  checkNoteSignatures,
  parseCheckpoint,
  parseNote,
  type Checkpoint,
  type SignatureCheck,
  type VerifierKey,
} from "./note";

// The inclusion proof JSON of GET /v1/log/proof/inclusion.
export interface InclusionProofJson {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[];
}

export interface Step {
  label: string;
  ok: boolean;
  detail: string;
}

export interface InclusionResult {
  ok: boolean;
  steps: Step[];
  checkpoint?: Checkpoint;
  signatures: SignatureCheck[];
  leafHashHex?: string;
  leafChecked: boolean; // the leaf hash was computed here from the leaf text
}

export interface InclusionInput {
  index: number;
  checkpointNote: string;
  logKey: VerifierKey; // alg 0x01
  cosignerKeys?: VerifierKey[]; // alg 0x04
  proof: InclusionProofJson;
  leafText?: string; // the exact canonical leaf, when the user may read it
  backend?: Ed25519Backend;
}

function b64(s: unknown, what: string): Uint8Array {
  if (typeof s !== "string") throw new Error(`${what} is missing`);
  return fromBase64(s);
}

export async function verifyEntryInclusion(input: InclusionInput): Promise<InclusionResult> {
  const steps: Step[] = [];
  const result: InclusionResult = { ok: false, steps, signatures: [], leafChecked: false };
  const fail = (label: string, detail: string) => {
    steps.push({ label, ok: false, detail });
    return result;
  };

  // 1. The checkpoint and its signatures.
  let checkpoint: Checkpoint;
  try {
    const note = parseNote(input.checkpointNote);
    checkpoint = parseCheckpoint(note.text);
    result.checkpoint = checkpoint;
    if (input.logKey.alg !== ALG_ED25519) return fail("Checkpoint signature", "the log key is not an Ed25519 signing key");
    const keys = [input.logKey, ...(input.cosignerKeys ?? [])];
    result.signatures = await checkNoteSignatures(note, keys, input.backend);
  } catch (e) {
    return fail("Checkpoint", `the checkpoint cannot be read: ${(e as Error).message}`);
  }
  const logSig = result.signatures.find(
    (s) => s.kind === "signature" && s.name === input.logKey.name && s.keyId === toHex(input.logKey.keyId),
  );
  if (!logSig) return fail("Checkpoint signature", `no signature by the pinned log key ${input.logKey.name}`);
  if (!logSig.valid) return fail("Checkpoint signature", `the signature by ${input.logKey.name} does not verify`);
  steps.push({
    label: "Checkpoint signature",
    ok: true,
    detail: `signed by ${input.logKey.name} (key ${toHex(input.logKey.keyId)}): ${checkpoint.origin}, size ${checkpoint.size}`,
  });
  const badCosig = result.signatures.find((s) => s.kind === "cosignature" && !s.valid);
  if (badCosig) return fail("Cosignatures", `the cosignature by ${badCosig.name} does not verify`);
  const cosigs = result.signatures.filter((s) => s.kind === "cosignature");
  if (cosigs.length > 0) {
    steps.push({ label: "Cosignatures", ok: true, detail: `${cosigs.map((s) => s.name).join(", ")} cosigned this checkpoint` });
  }

  // 2. The proof is for this entry and this checkpoint.
  const p = input.proof;
  if (p.leafIdx !== input.index) return fail("Proof", `the proof is for entry ${p.leafIdx}, not ${input.index}`);
  if (BigInt(p.treeSize) !== checkpoint.size) {
    return fail("Proof", `the proof is for tree size ${p.treeSize}, the checkpoint is at ${checkpoint.size}`);
  }

  // 3. The leaf hash: computed here from the leaf text, or taken from the proof.
  let leafHash: Uint8Array;
  try {
    leafHash = b64(p.leafHash, "leaf hash");
    if (!Array.isArray(p.proof)) throw new Error("proof hashes are missing");
  } catch (e) {
    return fail("Proof", `the proof cannot be read: ${(e as Error).message}`);
  }
  if (input.leafText !== undefined) {
    const own = await hashLeaf(utf8(input.leafText));
    if (!equal(own, leafHash)) {
      return fail("Entry content", "the entry's content does not hash to the leaf hash in the proof");
    }
    result.leafChecked = true;
    steps.push({ label: "Entry content", ok: true, detail: `the entry hashes to ${toHex(own)}` });
  }
  result.leafHashHex = toHex(leafHash);

  // 4. The inclusion proof leads to the signed root.
  try {
    const hashes = p.proof.map((h, i) => b64(h, `proof[${i}]`));
    await verifyInclusion(BigInt(input.index), checkpoint.size, leafHash, hashes, checkpoint.root);
  } catch (e) {
    return fail("Inclusion proof", `the proof does not lead to the signed root: ${(e as Error).message}`);
  }
  steps.push({
    label: "Inclusion proof",
    ok: true,
    detail: `entry ${input.index} is in the tree of ${checkpoint.size} entries whose root the checkpoint signs`,
  });
  result.ok = true;
  return result;
}
