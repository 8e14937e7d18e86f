// Ed25519 signature verification: WebCrypto where the browser has it
// (current Chromium, Firefox and Safari do), otherwise @noble/ed25519, a small
// audited implementation loaded only then.

export type Ed25519Backend = "webcrypto" | "noble";

let webCryptoOk: Promise<boolean> | undefined;

// Whether crypto.subtle knows Ed25519 (probed once by importing a key).
export function webCryptoHasEd25519(): Promise<boolean> {
  webCryptoOk ??= (async () => {
    try {
      if (!globalThis.crypto?.subtle) return false;
      await crypto.subtle.importKey("raw", new Uint8Array(32).fill(1), { name: "Ed25519" }, false, ["verify"]);
      return true;
    } catch {
      return false;
    }
  })();
  return webCryptoOk;
}

export async function ed25519Backend(): Promise<Ed25519Backend> {
  return (await webCryptoHasEd25519()) ? "webcrypto" : "noble";
}

// True when `sig` is a valid signature of `msg` by `publicKey` (32 bytes).
// Malformed keys or signatures give false, never an exception.
export async function ed25519Verify(
  publicKey: Uint8Array,
  msg: Uint8Array,
  sig: Uint8Array,
  backend?: Ed25519Backend,
): Promise<boolean> {
  if (publicKey.length !== 32 || sig.length !== 64) return false;
  const use = backend ?? (await ed25519Backend());
  try {
    if (use === "webcrypto") {
      const key = await crypto.subtle.importKey("raw", publicKey as BufferSource, { name: "Ed25519" }, false, [
        "verify",
      ]);
      return await crypto.subtle.verify({ name: "Ed25519" }, key, sig as BufferSource, msg as BufferSource);
    }
    const noble = await import("@noble/ed25519");
    return await noble.verifyAsync(sig, msg, publicKey);
  } catch {
    return false;
  }
}
