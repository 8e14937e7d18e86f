// Test signers: Ed25519 keys made with WebCrypto, as signed-note vkeys, and
// notes signed and cosigned with them.
import { concat, toBase64, toHex, utf8 } from "../src/verify/bytes";
import { ALG_ED25519, keyIdOf } from "../src/verify/note";

export async function makeSigner(name: string, alg = ALG_ED25519) {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const pub = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const id = await keyIdOf(name, alg, pub);
  const vkey = `${name}+${toHex(id)}+${toBase64(concat(new Uint8Array([alg]), pub))}`;
  const sign = async (msg: Uint8Array) =>
    new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, msg as BufferSource));
  return { name, id, vkey, sign };
}

export type Signer = Awaited<ReturnType<typeof makeSigner>>;

export async function signNote(text: string, signers: Signer[], cosigners: Signer[] = [], time = 1700000000n) {
  let lines = "";
  for (const s of signers) lines += `\u2014 ${s.name} ${toBase64(concat(s.id, await s.sign(utf8(text))))}\n`;
  for (const c of cosigners) {
    const ts = new Uint8Array(8);
    new DataView(ts.buffer).setBigUint64(0, time, false);
    const sig = await c.sign(concat(utf8(`cosignature/v1\ntime ${time}\n`), utf8(text)));
    lines += `\u2014 ${c.name} ${toBase64(concat(c.id, ts, sig))}\n`;
  }
  return `${text}\n${lines}`;
}

