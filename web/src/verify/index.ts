// The UI's own log verifier: RFC 6962 proofs and C2SP signed notes, checked in
// the browser with WebCrypto. Independent of the server's code.
export * from "./bytes";
export * from "./merkle";
export * from "./note";
export * from "./ed25519";
export * from "./inclusion";
