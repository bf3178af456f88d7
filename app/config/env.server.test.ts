import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySignature } from "../audit/signing.server";
import { auditSignerFor, EnvError, parseEnv } from "./env.server";

const ed25519Pem = () =>
  generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://u@h/x",
  APP_URL: "https://exit.example",
  SMTP_URL: "smtp://mail.example",
  SESSION_SECRET: "a-real-secret-a-real-secret-a-real-secret",
};

describe("environment", () => {
  it("has safe development defaults and uses the embedded database without DATABASE_URL", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      NODE_ENV: "development",
      usesEmbeddedDatabase: true,
      SEED_ON_START: true,
      LOG_LEVEL: "info",
    });
    expect(env.APP_URL).toBe("http://localhost:3000");
  });

  it("uses DATABASE_URL when given, and then seeds nothing unless asked", () => {
    const env = parseEnv({ DATABASE_URL: "postgres://u@db.example:5432/x" });
    expect(env).toMatchObject({ usesEmbeddedDatabase: false, SEED_ON_START: false });
    expect(
      parseEnv({ DATABASE_URL: "postgres://u@h/x", SEED_ON_START: "true" }).SEED_ON_START,
    ).toBe(true);
  });

  it("names the bad variable in one readable line", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "abc" })).toThrow(
      /^Invalid environment variable PORT: .*\(got "abc"\)$/,
    );
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ SMTP_URL: "http://mail" })).toThrow(/SMTP_URL/);
  });

  it("requires real secrets for a production deployment on its own database", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://u@h/x" })).toThrow(
      /APP_URL: is required in production/,
    );
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        DATABASE_URL: "postgres://u@h/x",
        APP_URL: "https://exit.example",
      }),
    ).toThrow(/SESSION_SECRET/);
    expect(() => parseEnv({ SESSION_SECRET: "short" })).toThrow(
      /SESSION_SECRET: must be at least 32 characters/,
    );
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" })).toMatchObject({
      usesEmbeddedDatabase: true,
      PORT: 3000,
    });
  });

  it("requires an Ed25519 audit signing key in production, and accepts one written on one line", () => {
    expect(() => parseEnv(PRODUCTION)).toThrow(
      /^Invalid environment variable AUDIT_SIGNING_KEY: is required in production/,
    );
    const pem = ed25519Pem();
    const oneLine = pem.trim().replace(/\n/g, "\\n");
    const env = parseEnv({ ...PRODUCTION, AUDIT_SIGNING_KEY: oneLine });
    expect(env.AUDIT_SIGNING_KEY).toBe(pem.trim());
    const signer = auditSignerFor(env);
    expect(signer.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(verifySignature(signer.publicKeyPem, "payload", signer.sign("payload"))).toBe(true);
    // The same key however it is written: real newlines or `\n`.
    expect(auditSignerFor(parseEnv({ ...PRODUCTION, AUDIT_SIGNING_KEY: pem })).keyId).toBe(
      signer.keyId,
    );
  });

  it("refuses a signing key that is not Ed25519 or not a key, without echoing it", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const message = (value: string) => {
      try {
        parseEnv({ AUDIT_SIGNING_KEY: value });
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(message(rsa)).toMatch(
      /^Invalid environment variable AUDIT_SIGNING_KEY: must be an Ed25519 private key \(this one is rsa\)[^\n]*$/,
    );
    expect(message("not a key")).toMatch(
      /^Invalid environment variable AUDIT_SIGNING_KEY: must be an Ed25519 private key in PKCS#8 PEM[^\n]*could not be read$/,
    );
    expect(message(rsa)).not.toContain("BEGIN");
  });

  it("derives the signing key from the session secret when none is set", () => {
    const a = auditSignerFor(parseEnv({ SESSION_SECRET: "s".repeat(40) }));
    expect(auditSignerFor(parseEnv({ SESSION_SECRET: "s".repeat(40) })).keyId).toBe(a.keyId);
    expect(auditSignerFor(parseEnv({ SESSION_SECRET: "t".repeat(40) })).keyId).not.toBe(a.keyId);
    expect(auditSignerFor(parseEnv({})).keyId).toMatch(/^[0-9a-f]{16}$/);
  });
});
