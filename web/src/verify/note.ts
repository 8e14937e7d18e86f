// C2SP signed notes (c2sp.org/signed-note), checkpoints
// (c2sp.org/tlog-checkpoint) and cosignatures (c2sp.org/tlog-cosignature).
//
// A verifier key is "name+keyid+base64(alg || public key)" with alg 0x01
// (Ed25519) or 0x04 (cosignature/v1); the key id is the first 4 bytes of
// SHA-256(name || 0x0A || alg || public key). A note is its text (ending in a
// newline), a blank line, and signature lines "— name base64(keyid || sig)".
// An Ed25519 signature covers the text; a cosignature/v1 is
// u64 big-endian timestamp || Ed25519 signature over
// "cosignature/v1\ntime <timestamp>\n" || text.
import { concat, equal, fromBase64, fromHex, toHex, utf8 } from "./bytes";
import { ed25519Verify, type Ed25519Backend } from "./ed25519";
import { sha256 } from "./sha256";

export const ALG_ED25519 = 0x01;
export const ALG_COSIGNATURE_V1 = 0x04;

export class NoteError extends Error {}

export interface VerifierKey {
  name: string;
  keyId: Uint8Array; // 4 bytes
  alg: number;
  publicKey: Uint8Array; // 32 bytes
  text: string; // the vkey as given
}

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  signature: Uint8Array; // after the key id
  line: string;
}

export interface ParsedNote {
  text: string; // signed text, ending in "\n"
  signatures: NoteSignature[];
}

function validName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

export async function keyIdOf(name: string, alg: number, publicKey: Uint8Array): Promise<Uint8Array> {
  const h = await sha256(utf8(name), new Uint8Array([0x0a, alg]), publicKey);
  return h.slice(0, 4);
}

// Parses and checks a verifier key: its stated key id must be the one its
// name and public key give.
export async function parseVerifierKey(vkey: string): Promise<VerifierKey> {
  const text = vkey.trim();
  // The base64 part may itself contain '+': split at the first two only.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text);
  if (!m) throw new NoteError("a verifier key is name+keyid+base64key");
  const [, name, idHex, b64] = m;
  if (!validName(name)) throw new NoteError("verifier key: invalid name");
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError("verifier key: key id must be 8 lower-case hex digits");
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64);
  } catch (e) {
    throw new NoteError(`verifier key: ${(e as Error).message}`);
  }
  if (raw.length !== 33) throw new NoteError("verifier key: expected an algorithm byte and a 32-byte key");
  const alg = raw[0];
  if (alg !== ALG_ED25519 && alg !== ALG_COSIGNATURE_V1) {
    throw new NoteError(`verifier key: unsupported algorithm ${alg}`);
  }
  const publicKey = raw.slice(1);
  const keyId = fromHex(idHex);
  if (!equal(keyId, await keyIdOf(name, alg, publicKey))) {
    throw new NoteError("verifier key: key id does not match the name and key");
  }
  return { name, keyId, alg, publicKey, text };
}

export function parseNote(note: string): ParsedNote {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("note has no blank line before its signatures");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (!block.endsWith("\n")) throw new NoteError("note does not end in a newline");
  const signatures: NoteSignature[] = [];
  for (const line of block.slice(0, -1).split("\n")) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m) throw new NoteError(`malformed signature line: ${line.slice(0, 60)}`);
    const [, name, b64] = m;
    if (!validName(name)) throw new NoteError(`invalid signer name: ${name}`);
    let raw: Uint8Array;
    try {
      raw = fromBase64(b64);
    } catch (e) {
      throw new NoteError(`signature of ${name}: ${(e as Error).message}`);
    }
    if (raw.length < 5) throw new NoteError(`signature of ${name} is too short`);
    signatures.push({ name, keyId: raw.slice(0, 4), signature: raw.slice(4), line });
  }
  if (signatures.length === 0) throw new NoteError("note has no signatures");
  return { text, signatures };
}

export interface SignatureCheck {
  name: string;
  keyId: string; // hex
  kind: "signature" | "cosignature" | "unknown key";
  valid: boolean;
  timestamp?: number; // cosignatures: seconds since the epoch
  reason?: string;
}

// Checks every signature line against the given keys. A line whose name and
// key id match no key is reported as "unknown key" (neither valid nor a
// failure of the note).
export async function checkNoteSignatures(
  note: ParsedNote,
  keys: VerifierKey[],
  backend?: Ed25519Backend,
): Promise<SignatureCheck[]> {
  const out: SignatureCheck[] = [];
  const text = utf8(note.text);
  for (const sig of note.signatures) {
    const key = keys.find((k) => k.name === sig.name && equal(k.keyId, sig.keyId));
    const base = { name: sig.name, keyId: toHex(sig.keyId) };
    if (!key) {
      out.push({ ...base, kind: "unknown key", valid: false });
      continue;
    }
    if (key.alg === ALG_ED25519) {
      const ok = sig.signature.length === 64 && (await ed25519Verify(key.publicKey, text, sig.signature, backend));
      out.push({ ...base, kind: "signature", valid: ok, reason: ok ? undefined : "Ed25519 signature does not verify" });
      continue;
    }
    // cosignature/v1
    if (sig.signature.length !== 72) {
      out.push({ ...base, kind: "cosignature", valid: false, reason: "a cosignature is 72 bytes" });
      continue;
    }
    const view = new DataView(sig.signature.buffer, sig.signature.byteOffset, 8);
    const ts = view.getBigUint64(0, false);
    const msg = concat(utf8(`cosignature/v1\ntime ${ts}\n`), text);
    const ok = await ed25519Verify(key.publicKey, msg, sig.signature.slice(8), backend);
    out.push({
      ...base,
      kind: "cosignature",
      valid: ok,
      timestamp: Number(ts),
      reason: ok ? undefined : "Ed25519 cosignature does not verify",
    });
  }
  return out;
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  root: Uint8Array;
  extensions: string[];
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new NoteError("checkpoint text does not end in a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw new NoteError("checkpoint needs origin, size and root lines");
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin.length === 0) throw new NoteError("checkpoint origin is empty");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new NoteError(`checkpoint size is not a number: ${sizeLine}`);
  let root: Uint8Array;
  try {
    root = fromBase64(rootLine);
  } catch (e) {
    throw new NoteError(`checkpoint root: ${(e as Error).message}`);
  }
  if (root.length !== 32) throw new NoteError("checkpoint root is not 32 bytes");
  return { origin, size: BigInt(sizeLine), root, extensions };
}
