import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";

// The Ed25519 key that signs audit checkpoints and export manifests (docs/decisions/009).
// Production sets AUDIT_SIGNING_KEY (PKCS#8 PEM). Development, tests and the embedded demo derive
// a key from SESSION_SECRET, so every process of one deployment signs with the same key and no
// key file is written anywhere.

export interface AuditSigner {
  keyId: string;
  publicKeyPem: string;
  /** Base64 Ed25519 signature over the UTF-8 bytes of `payload`. */
  sign(payload: string): string;
}

// PKCS#8 DER prefix of an Ed25519 private key: the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Turns `\n` written in an environment variable back into newlines. */
function pemFromEnv(value: string): string {
  return value.includes("\\n") ? value.replace(/\\n/g, "\n") : value;
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

function signerFor(privateKey: KeyObject): AuditSigner {
  if (privateKey.asymmetricKeyType !== "ed25519")
    throw new Error("AUDIT_SIGNING_KEY must be an Ed25519 private key");
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    sign: (payload) => sign(null, Buffer.from(payload, "utf8"), privateKey).toString("base64"),
  };
}

/** The signer of this deployment: AUDIT_SIGNING_KEY, else a key derived from the session secret. */
export function createAuditSigner(input: {
  signingKeyPem?: string | undefined;
  sessionSecret: string;
}): AuditSigner {
  if (input.signingKeyPem) return signerFor(createPrivateKey(pemFromEnv(input.signingKeyPem)));
  const seed = Buffer.from(
    hkdfSync("sha256", input.sessionSecret, "", "easy-exit audit signing key v1", 32),
  );
  return signerFor(
    createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: "der",
      type: "pkcs8",
    }),
  );
}

/** Whether `signature` (base64) is a valid Ed25519 signature of `payload` under the PEM key. */
export function verifySignature(publicKeyPem: string, payload: string, signature: string): boolean {
  try {
    return verify(
      null,
      Buffer.from(payload, "utf8"),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, "base64"),
    );
  } catch {
    // A malformed key or signature is an invalid signature, not a crash of the verifier.
    return false;
  }
}
