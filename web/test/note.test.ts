import { describe, expect, it } from "vitest";
import { fromHex, toBase64 } from "../src/verify/bytes";
import { makeSigner, signNote } from "./signers";
import { ed25519Verify, webCryptoHasEd25519 } from "../src/verify/ed25519";
import {
  ALG_COSIGNATURE_V1,
  ALG_ED25519,
  checkNoteSignatures,
  NoteError,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
} from "../src/verify/note";
import { readVectors } from "./shared-data";

const CHECKPOINT_TEXT = "example.test/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";

describe("Ed25519", () => {
  it("WebCrypto in this runtime has Ed25519", async () => {
    expect(await webCryptoHasEd25519()).toBe(true);
  });
  for (const backend of ["webcrypto", "noble"] as const) {
    it(`${backend}: RFC 8032 test 1 verifies, a changed message or signature does not`, async () => {
      const { kv } = readVectors();
      const pk = fromHex(kv.get("PUBLIC KEY")!);
      const sig = fromHex(kv.get("SIGNATURE")!);
      expect(await ed25519Verify(pk, new Uint8Array(), sig, backend)).toBe(true);
      expect(await ed25519Verify(pk, new Uint8Array([0]), sig, backend)).toBe(false);
      const bad = sig.slice();
      bad[10] ^= 1;
      expect(await ed25519Verify(pk, new Uint8Array(), bad, backend)).toBe(false);
      expect(await ed25519Verify(pk, new Uint8Array(), sig.slice(0, 63), backend)).toBe(false);
    });
  }
});

describe("verifier keys", () => {
  it("parses a key whose id matches and refuses one whose id does not", async () => {
    const s = await makeSigner("example.test/log");
    const k = await parseVerifierKey(s.vkey);
    expect(k.name).toBe("example.test/log");
    expect(k.alg).toBe(ALG_ED25519);
    const wrongId = s.vkey.replace(/\+([0-9a-f]{8})\+/, (_, id: string) => `+${(parseInt(id, 16) ^ 1).toString(16).padStart(8, "0")}+`);
    await expect(parseVerifierKey(wrongId)).rejects.toThrow(NoteError);
    await expect(parseVerifierKey("other.name" + s.vkey.slice(s.vkey.indexOf("+")))).rejects.toThrow(NoteError);
    await expect(parseVerifierKey("no-plus-signs")).rejects.toThrow(NoteError);
  });
});

describe("signed notes and checkpoints", () => {
  it("verifies the log's signature and a cosignature, and reports unknown signers", async () => {
    const log = await makeSigner("example.test/log");
    const party = await makeSigner("uz.example/mod", ALG_COSIGNATURE_V1);
    const stranger = await makeSigner("someone.else");
    const note = await signNote(CHECKPOINT_TEXT, [log, stranger], [party]);
    const parsed = parseNote(note);
    expect(parsed.text).toBe(CHECKPOINT_TEXT);
    const checks = await checkNoteSignatures(parsed, [await parseVerifierKey(log.vkey), await parseVerifierKey(party.vkey)]);
    expect(checks.map((c) => [c.name, c.kind, c.valid])).toEqual([
      ["example.test/log", "signature", true],
      ["someone.else", "unknown key", false],
      ["uz.example/mod", "cosignature", true],
    ]);
    expect(checks[2].timestamp).toBe(1700000000);
    const cp = parseCheckpoint(parsed.text);
    expect(cp.origin).toBe("example.test/log");
    expect(cp.size).toBe(8n);
    expect(toBase64(cp.root)).toBe("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
  });

  it("rejects a note whose text was changed after signing", async () => {
    const log = await makeSigner("example.test/log");
    const note = await signNote(CHECKPOINT_TEXT, [log]);
    const tampered = note.replace("\n8\n", "\n9\n");
    const checks = await checkNoteSignatures(parseNote(tampered), [await parseVerifierKey(log.vkey)]);
    expect(checks[0].valid).toBe(false);
  });

  it("rejects a cosignature whose timestamp was changed", async () => {
    const log = await makeSigner("example.test/log");
    const party = await makeSigner("uz.example/mod", ALG_COSIGNATURE_V1);
    const note = await signNote(CHECKPOINT_TEXT, [log], [party], 1700000000n);
    const parsed = parseNote(note);
    parsed.signatures[1].signature[7] ^= 1;
    const checks = await checkNoteSignatures(parsed, [await parseVerifierKey(party.vkey)]);
    expect(checks[1]).toMatchObject({ kind: "cosignature", valid: false, timestamp: 1700000001 });
  });

  it("refuses malformed notes and checkpoints", () => {
    expect(() => parseNote("no signatures\n")).toThrow(NoteError);
    expect(() => parseNote(`${CHECKPOINT_TEXT}\n- name AAAAAAA=\n`)).toThrow(NoteError);
    expect(() => parseCheckpoint("origin\n-1\nAAAA\n")).toThrow(NoteError);
    expect(() => parseCheckpoint("origin\n1\nAAAA\n")).toThrow(NoteError);
    expect(() => parseCheckpoint("origin\n1\n")).toThrow(NoteError);
  });
});
