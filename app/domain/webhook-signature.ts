import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SIGNATURE_TOLERANCE_SECONDS } from "./webhooks";

// The signature of a webhook (Stripe's scheme): header `Easy-Exit-Signature:
// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with the endpoint's secret.

/** `whsec_` and 32 random bytes (base64url): what the receiver stores to verify signatures. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** Hex HMAC-SHA256 of `<t>.<raw body>`, keyed with the whole secret string (prefix included). */
export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/**
 * `t=<unix seconds>,v1=<hex>[,v1=<hex>]`: one `v1` per active secret, the current one first,
 * so that a receiver still holding the previous secret keeps verifying during a rotation.
 */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string) {
  const signatures = secrets.map((secret) => `v1=${computeSignature(secret, timestamp, body)}`);
  return [`t=${timestamp}`, ...signatures].join(",");
}

/** What a receiver does: any `v1` matching, with a recent enough timestamp. */
export function verifySignature(input: {
  header: string;
  body: string;
  secret: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): boolean {
  const parts = input.header.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([key]) => key === "t")?.[1]);
  if (!Number.isInteger(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS))
    return false;
  const expected = Buffer.from(computeSignature(input.secret, timestamp, input.body), "hex");
  return parts.some(([key, value]) => {
    if (key !== "v1" || value === undefined || !/^[0-9a-f]{64}$/.test(value)) return false;
    return timingSafeEqual(expected, Buffer.from(value, "hex"));
  });
}
