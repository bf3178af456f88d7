import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

// Optional second factor: RFC 6238 codes (30 s, 6 digits, SHA-1: what every authenticator app
// reads). The shared secret is stored encrypted with a key derived from SESSION_SECRET, so a copy
// of the database alone does not give the codes away.

function keyFrom(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sessionSecret, "easy-exit", "totp-secret", 32));
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function encryptTotpSecret(sessionSecret: string, base32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(sessionSecret), iv);
  const body = Buffer.concat([cipher.update(base32, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptTotpSecret(sessionSecret: string, stored: string): string {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !body) throw new Error("unreadable TOTP secret");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    keyFrom(sessionSecret),
    Buffer.from(iv, "base64url"),
  );
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

function totpFor(base32: string, account = "", issuer = "Easy Exit"): TOTP {
  return new TOTP({
    issuer,
    label: account,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(base32),
  });
}

/** Accepts the current code and its neighbours (±30 s of clock drift). */
export function checkTotpCode(base32: string, code: string, now = Date.now()): boolean {
  const cleaned = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(cleaned)) return false;
  return totpFor(base32).validate({ token: cleaned, timestamp: now, window: 1 }) !== null;
}

export function totpCodeAt(base32: string, now = Date.now()): string {
  return totpFor(base32).generate({ timestamp: now });
}

/** The enrolment QR code (an SVG data URL: no script, allowed by the CSP) and its URI. */
export async function totpEnrolment(
  base32: string,
  account: string,
  issuer: string,
): Promise<{ uri: string; qrSvgDataUrl: string }> {
  const uri = totpFor(base32, account, issuer).toString();
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { uri, qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}
