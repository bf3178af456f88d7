import type { WEBHOOK_EVENT_TYPES } from "./enums";

// Signed webhooks (issue #9): the retry schedule, the rule that disables an endpoint, the URL
// rule. Pure and browser-safe; the signature is webhook-signature.ts, the delivery services/webhooks/.

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** The event an admin sends from the settings page to try an endpoint. */
export const WEBHOOK_TEST_EVENT = "webhook.test";
export type WebhookDeliveryType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

export const SIGNATURE_HEADER = "Easy-Exit-Signature";
export const EVENT_ID_HEADER = "Easy-Exit-Event-Id";
export const EVENT_TYPE_HEADER = "Easy-Exit-Event-Type";
export const WEBHOOK_USER_AGENT = "EasyExit-Webhooks/1.0 (+https://github.com/easy-exit)";
/** A POST that has not answered in this time is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How long the secret before a rotation still signs (a second `v1=`). */
export const PREVIOUS_SECRET_HOURS = 24;
/** A receiver may reject a signature whose timestamp is older than this (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** The body every receiver gets: ids, references, statuses and dates — never free text. */
export interface WebhookPayload {
  /** The event's id: the same on every retry and redelivery (receivers deduplicate on it). */
  id: string;
  type: WebhookDeliveryType;
  created_at: string;
  data: Record<string, unknown>;
}

/**
 * Waits before the automatic attempts 2, 3 … in units of the base delay (60 s in production,
 * `JOB_RETRY_DELAY_SECONDS` in tests): 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, then every 24 h.
 */
const RETRY_STEPS = [1, 5, 30, 120, 360, 720, 1440];
/** Deliveries are retried for 3 days (in units of the base delay), then abandoned. */
export const RETRY_WINDOW_UNITS = 3 * 24 * 60;

/**
 * When the next automatic attempt runs after `attempts` failed ones, or null when it would fall
 * outside the retry window that started with the delivery (abandoned).
 */
export function nextAttemptAt(input: {
  attempts: number;
  createdAt: Date;
  now: Date;
  baseDelaySeconds: number;
}): Date | null {
  const step = RETRY_STEPS[Math.min(input.attempts, RETRY_STEPS.length) - 1] ?? RETRY_STEPS[0]!;
  const next = new Date(input.now.getTime() + step * input.baseDelaySeconds * 1000);
  const windowEnd = input.createdAt.getTime() + RETRY_WINDOW_UNITS * input.baseDelaySeconds * 1000;
  return next.getTime() > windowEnd ? null : next;
}

/**
 * An endpoint is disabled after this many failed attempts in a row (any delivery; a 2xx resets
 * the count) when the first of them is at least a day old: a receiver down for a whole day, not
 * a burst of events during a short outage.
 */
export const AUTO_DISABLE_FAILURES = 20;
export const AUTO_DISABLE_MIN_HOURS = 24;

export function shouldAutoDisable(input: {
  consecutiveFailures: number;
  firstFailureAt: Date | null;
  now: Date;
}): boolean {
  if (input.consecutiveFailures < AUTO_DISABLE_FAILURES || input.firstFailureAt === null)
    return false;
  return input.now.getTime() - input.firstFailureAt.getTime() >= AUTO_DISABLE_MIN_HOURS * 3600_000;
}

/** https:// always; http:// only to the loopback interface, and only outside production. */
export function webhookUrlProblem(
  value: string,
  options: { allowLoopbackHttp: boolean },
): "invalid" | "https_required" | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "invalid";
  }
  if (url.username !== "" || url.password !== "") return "invalid";
  if (url.protocol === "https:") return null;
  if (url.protocol !== "http:") return "invalid";
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  return loopback && options.allowLoopbackHttp ? null : "https_required";
}
