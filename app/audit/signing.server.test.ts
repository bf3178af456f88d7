import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAuditSigner, verifySignature } from "./signing.server";

const SECRET = "a-session-secret-of-at-least-32-characters!";

describe("audit signing key", () => {
  it("derives one stable key from the session secret, and another from another secret", () => {
    const a = createAuditSigner({ sessionSecret: SECRET });
    const b = createAuditSigner({ sessionSecret: SECRET });
    const c = createAuditSigner({ sessionSecret: `${SECRET}x` });
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(b.keyId).toBe(a.keyId);
    expect(b.publicKeyPem).toBe(a.publicKeyPem);
    expect(c.keyId).not.toBe(a.keyId);
  });

  it("signs with AUDIT_SIGNING_KEY (PEM, newlines written as \\n) and verifies with its public key", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const signer = createAuditSigner({
      signingKeyPem: pem.replace(/\n/g, "\\n"),
      sessionSecret: SECRET,
    });
    expect(signer.publicKeyPem).toContain("BEGIN PUBLIC KEY");
    const signature = signer.sign('{"root":"abc"}');
    expect(verifySignature(signer.publicKeyPem, '{"root":"abc"}', signature)).toBe(true);
    expect(verifySignature(signer.publicKeyPem, '{"root":"abd"}', signature)).toBe(false);
    const other = createAuditSigner({ sessionSecret: SECRET });
    expect(verifySignature(other.publicKeyPem, '{"root":"abc"}', signature)).toBe(false);
    expect(verifySignature("not a key", '{"root":"abc"}', signature)).toBe(false);
  });

  it("refuses a key that is not Ed25519", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => createAuditSigner({ signingKeyPem: pem, sessionSecret: SECRET })).toThrow(
      /Ed25519/,
    );
  });
});
