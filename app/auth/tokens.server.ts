import { createHash, createHmac, randomBytes } from "node:crypto";

/** A secret for a link or a cookie: 256 random bits, URL-safe. Only its hash is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The private link of a case: derived from the journey's idempotency key with the server secret,
 * so a retried or doubled notify shows the same link (the winner's token is never stored in
 * clear) and find-my-case can send it again. Only its SHA-256 is stored.
 */
export function deriveCaseToken(
  secret: string,
  idempotencyKey: string,
): { token: string; hash: string } {
  return deriveToken(secret, `case-link:${idempotencyKey}`);
}

/** A link token derived from a purpose-prefixed value with the server secret; only its hash is stored. */
export function deriveToken(secret: string, value: string): { token: string; hash: string } {
  const token = createHmac("sha256", secret).update(value).digest("base64url");
  return { token, hash: hashToken(token) };
}
