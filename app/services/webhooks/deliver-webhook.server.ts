import { and, desc, eq, gt, inArray, min, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import {
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
  type WebhookEndpoint,
} from "../../../db/schema";
import { recordEvent } from "../../audit/record-event.server";
import { SYSTEM_ACTOR, NO_REQUEST } from "../../audit/events";
import type { Logger } from "../../config/logger.server";
import {
  DELIVERY_TIMEOUT_MS,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  nextAttemptAt,
  shouldAutoDisable,
  SIGNATURE_HEADER,
  WEBHOOK_USER_AGENT,
} from "../../domain/webhooks";
import { signatureHeader } from "../../domain/webhook-signature";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { webhookStream } from "./endpoint-events.server";

/** The first characters of a receiver's answer kept in the delivery log. */
const EXCERPT_CHARS = 500;

export interface DeliverDeps {
  db: Db;
  jobs: JobQueue<AppJobCatalogue>;
  logger: Logger;
  /** The unit of the retry schedule: 60 s, or JOB_RETRY_DELAY_SECONDS (tests). */
  baseDelaySeconds: number;
  now?: () => Date;
}

interface HttpOutcome {
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
}

/** The secrets that sign now: the current one, and the previous one until it expires. */
export function activeSecrets(
  endpoint: Pick<WebhookEndpoint, "secret" | "previousSecret" | "previousSecretExpiresAt">,
  now: Date,
): string[] {
  const previousValid =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    endpoint.previousSecretExpiresAt > now;
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** Reads at most EXCERPT_CHARS of the answer, then stops reading. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (response.body === null) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.length < EXCERPT_CHARS) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text.length === 0 ? null : text.slice(0, EXCERPT_CHARS);
}

async function post(url: string, body: string, headers: Record<string, string>) {
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  try {
    const response = await fetch(url, {
      method: "POST",
      body,
      headers,
      // A redirect is an answer, not something to follow: the receiver must fix its URL.
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    let responseExcerpt: string | null = null;
    try {
      responseExcerpt = await readExcerpt(response);
    } catch {
      // The status is what counts; an answer cut short keeps no excerpt.
    }
    return { statusCode: response.status, error: null, responseExcerpt, durationMs: elapsed() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const name = (error as Error).name;
    const code =
      name === "TimeoutError" ? "timeout" : (cause?.code ?? (error as Error).message).slice(0, 200);
    return { statusCode: null, error: code, responseExcerpt: null, durationMs: elapsed() };
  }
}

const succeeded = (outcome: HttpOutcome) =>
  outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;

/** The start of the current run of failures: the first attempt after the last success. */
async function firstFailureOfRun(db: Queryable, endpointId: string): Promise<Date | null> {
  const ofEndpoint = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId));
  const [lastSuccess] = await db
    .select({ at: webhookDeliveryAttempts.attemptedAt })
    .from(webhookDeliveryAttempts)
    .where(
      and(
        inArray(webhookDeliveryAttempts.deliveryId, ofEndpoint),
        sql`${webhookDeliveryAttempts.statusCode} between 200 and 299`,
      ),
    )
    .orderBy(desc(webhookDeliveryAttempts.attemptedAt))
    .limit(1);
  const [first] = await db
    .select({ at: min(webhookDeliveryAttempts.attemptedAt) })
    .from(webhookDeliveryAttempts)
    .where(
      and(
        inArray(webhookDeliveryAttempts.deliveryId, ofEndpoint),
        lastSuccess ? gt(webhookDeliveryAttempts.attemptedAt, lastSuccess.at) : undefined,
      ),
    );
  return first?.at ?? null;
}

/**
 * One attempt of one delivery (the `webhook.deliver` job). Automatic attempts stop once the
 * delivery is delivered or abandoned, or while the endpoint is disabled; a manual redelivery
 * always posts. The attempt, the delivery's state, the next attempt's job and the endpoint's
 * failure count are written in one transaction after the POST.
 */
export async function deliverWebhook(
  deps: DeliverDeps,
  input: { deliveryId: string; trigger: "automatic" | "manual" },
): Promise<"delivered" | "failed" | "abandoned" | "skipped"> {
  const { db } = deps;
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, input.deliveryId));
  if (!row) return "skipped";
  const { delivery, endpoint } = row;
  const automatic = input.trigger === "automatic";
  if (automatic && (delivery.status === "delivered" || delivery.status === "abandoned"))
    return "skipped";
  if (automatic && !endpoint.enabled) {
    // Disabling stops the retries: what was in flight is abandoned (the log can redeliver it).
    await db
      .update(webhookDeliveries)
      .set({ status: "abandoned" })
      .where(
        and(
          eq(webhookDeliveries.id, delivery.id),
          inArray(webhookDeliveries.status, ["pending", "failed"]),
        ),
      );
    return "skipped";
  }

  const now = (deps.now ?? (() => new Date()))();
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  const outcome = await post(endpoint.url, body, {
    "Content-Type": "application/json",
    "User-Agent": WEBHOOK_USER_AGENT,
    [SIGNATURE_HEADER]: signatureHeader(activeSecrets(endpoint, now), timestamp, body),
    [EVENT_ID_HEADER]: delivery.eventId,
    [EVENT_TYPE_HEADER]: delivery.eventType,
  });
  const ok = succeeded(outcome);
  const attemptedAt = new Date(now.getTime() + outcome.durationMs);

  const result = await db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, delivery.id))
      .for("update");
    if (!locked) return "skipped" as const;
    const attempt = locked.attempts + 1;
    await tx.insert(webhookDeliveryAttempts).values({
      deliveryId: delivery.id,
      attempt,
      trigger: input.trigger,
      statusCode: outcome.statusCode,
      durationMs: outcome.durationMs,
      error: outcome.error,
      responseExcerpt: outcome.responseExcerpt,
      attemptedAt,
    });
    let status: "delivered" | "failed" | "abandoned";
    if (ok) status = "delivered";
    else if (locked.status === "delivered") status = "delivered";
    else if (!automatic) status = locked.status === "abandoned" ? "abandoned" : "failed";
    else {
      const next = nextAttemptAt({
        attempts: locked.attempts + 1,
        createdAt: locked.createdAt,
        now: attemptedAt,
        baseDelaySeconds: deps.baseDelaySeconds,
      });
      status = next === null ? "abandoned" : "failed";
      if (next !== null)
        await deps.jobs.enqueue(
          tx,
          "webhook.deliver",
          { deliveryId: delivery.id, trigger: "automatic" },
          { startAfter: next },
        );
    }
    await tx
      .update(webhookDeliveries)
      .set({
        status,
        attempts: attempt,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        lastDurationMs: outcome.durationMs,
        lastAttemptAt: attemptedAt,
        ...(ok && locked.deliveredAt === null ? { deliveredAt: attemptedAt } : {}),
      })
      .where(eq(webhookDeliveries.id, delivery.id));

    const [counted] = await tx
      .update(webhookEndpoints)
      .set({
        consecutiveFailures: ok ? 0 : sql`${webhookEndpoints.consecutiveFailures} + 1`,
        updatedAt: attemptedAt,
      })
      .where(eq(webhookEndpoints.id, endpoint.id))
      .returning({
        consecutiveFailures: webhookEndpoints.consecutiveFailures,
        enabled: webhookEndpoints.enabled,
      });
    if (!ok && counted?.enabled === true) {
      const firstFailureAt = await firstFailureOfRun(tx, endpoint.id);
      if (
        shouldAutoDisable({
          consecutiveFailures: counted.consecutiveFailures,
          firstFailureAt,
          now: attemptedAt,
        })
      ) {
        await tx
          .update(webhookEndpoints)
          .set({
            enabled: false,
            disabledReason: "consecutive_failures",
            disabledAt: attemptedAt,
          })
          .where(eq(webhookEndpoints.id, endpoint.id));
        await recordEvent(tx, {
          stream: webhookStream,
          type: "webhook.endpoint_changed",
          actor: SYSTEM_ACTOR,
          meta: NO_REQUEST,
          data: {
            endpointId: endpoint.id,
            action: "auto_disabled",
            eventTypes: endpoint.eventTypes,
            enabled: false,
            consecutiveFailures: counted.consecutiveFailures,
          },
        });
        await deps.jobs.enqueue(tx, "webhook.notify-disabled", { endpointId: endpoint.id });
        deps.logger.warn(
          { endpointId: endpoint.id, consecutiveFailures: counted.consecutiveFailures },
          "webhook endpoint disabled after a day of failures",
        );
      }
    }
    return status;
  });
  return result;
}
