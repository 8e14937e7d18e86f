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

// One check: its name and a sentence in English (`label`, `detail`), and
// the same as a code with its values, for a UI that words it in its own
// language.
export interface Step {
  label: string;
  ok: boolean;
  detail: string;
  code: string;
  values: Record<string, string>;
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
  const fail = (label: string, detail: string, code: string, values: Record<string, string> = {}) => {
    steps.push({ label, ok: false, detail, code, values });
    return result;
  };

  // 1. The checkpoint and its signatures.
  let checkpoint: Checkpoint;
  try {
    const note = parseNote(input.checkpointNote);
    checkpoint = parseCheckpoint(note.text);
    result.checkpoint = checkpoint;
    if (input.logKey.alg !== ALG_ED25519) return fail("Checkpoint signature", "the log key is not an Ed25519 signing key", "notEd25519");
    const keys = [input.logKey, ...(input.cosignerKeys ?? [])];
    result.signatures = await checkNoteSignatures(note, keys, input.backend);
  } catch (e) {
    const why = (e as Error).message;
    return fail("Checkpoint", `the checkpoint cannot be read: ${why}`, "unreadable", { why });
  }
  const logSig = result.signatures.find(
    (s) => s.kind === "signature" && s.name === input.logKey.name && s.keyId === toHex(input.logKey.keyId),
  );
  const name = input.logKey.name;
  if (!logSig) return fail("Checkpoint signature", `no signature by the pinned log key ${name}`, "noSignature", { name });
  if (!logSig.valid) return fail("Checkpoint signature", `the signature by ${name} does not verify`, "badSignature", { name });
  const signed = { name, key: toHex(input.logKey.keyId), origin: checkpoint.origin, size: String(checkpoint.size) };
  steps.push({
    label: "Checkpoint signature",
    ok: true,
    detail: `signed by ${name} (key ${signed.key}): ${checkpoint.origin}, size ${checkpoint.size}`,
    code: "signed",
    values: signed,
  });
  const badCosig = result.signatures.find((s) => s.kind === "cosignature" && !s.valid);
  if (badCosig) return fail("Cosignatures", `the cosignature by ${badCosig.name} does not verify`, "badCosignature", { name: badCosig.name });
  const cosigs = result.signatures.filter((s) => s.kind === "cosignature");
  if (cosigs.length > 0) {
    const names = cosigs.map((s) => s.name).join(", ");
    steps.push({ label: "Cosignatures", ok: true, detail: `${names} cosigned this checkpoint`, code: "cosigned", values: { names } });
  }

  // 2. The proof is for this entry and this checkpoint.
  const p = input.proof;
  if (p.leafIdx !== input.index) {
    return fail("Proof", `the proof is for entry ${p.leafIdx}, not ${input.index}`, "otherEntry", { got: String(p.leafIdx), want: String(input.index) });
  }
  if (BigInt(p.treeSize) !== checkpoint.size) {
    const values = { got: String(p.treeSize), want: String(checkpoint.size) };
    return fail("Proof", `the proof is for tree size ${p.treeSize}, the checkpoint is at ${checkpoint.size}`, "otherSize", values);
  }

  // 3. The leaf hash: computed here from the leaf text, or taken from the proof.
  let leafHash: Uint8Array;
  try {
    leafHash = b64(p.leafHash, "leaf hash");
    if (!Array.isArray(p.proof)) throw new Error("proof hashes are missing");
  } catch (e) {
    const why = (e as Error).message;
    return fail("Proof", `the proof cannot be read: ${why}`, "proofUnreadable", { why });
  }
  if (input.leafText !== undefined) {
    const own = await hashLeaf(utf8(input.leafText));
    if (!equal(own, leafHash)) {
      return fail("Entry content", "the entry's content does not hash to the leaf hash in the proof", "contentMismatch");
    }
    result.leafChecked = true;
    steps.push({ label: "Entry content", ok: true, detail: `the entry hashes to ${toHex(own)}`, code: "contentOk", values: { hash: toHex(own) } });
  }
  result.leafHashHex = toHex(leafHash);

  // 4. The inclusion proof leads to the signed root.
  try {
    const hashes = p.proof.map((h, i) => b64(h, `proof[${i}]`));
    await verifyInclusion(BigInt(input.index), checkpoint.size, leafHash, hashes, checkpoint.root);
  } catch (e) {
    const why = (e as Error).message;
    return fail("Inclusion proof", `the proof does not lead to the signed root: ${why}`, "notIncluded", { why });
  }
  steps.push({
    label: "Inclusion proof",
    ok: true,
    detail: `entry ${input.index} is in the tree of ${checkpoint.size} entries whose root the checkpoint signs`,
    code: "included",
    values: { index: String(input.index), size: String(checkpoint.size) },
  });
  result.ok = true;
  return result;
}
