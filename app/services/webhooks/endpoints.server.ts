import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import {
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
} from "../../../db/schema";
import type { AuditEventData, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { generateWebhookSecret } from "../../domain/webhook-signature";
import {
  PREVIOUS_SECRET_HOURS,
  WEBHOOK_TEST_EVENT,
  type WebhookEventType,
  type WebhookPayload,
} from "../../domain/webhooks";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { webhookStream } from "./endpoint-events.server";

// Admin's operations on webhook endpoints (the settings page): each one a transaction with its
// audit event on the `settings:webhooks` chain, the admin as actor.

interface AdminAct {
  staffId: string;
  meta: RequestMeta;
}

export interface EndpointFields {
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
}

async function audit(
  tx: Queryable,
  act: AdminAct,
  data: AuditEventData<"webhook.endpoint_changed">,
): Promise<void> {
  await recordEvent(tx, {
    stream: webhookStream,
    type: "webhook.endpoint_changed",
    actor: { type: "staff", id: act.staffId },
    meta: act.meta,
    data,
  });
}

/** A new endpoint, enabled, with a fresh secret (returned: shown to admin once). */
export async function createWebhookEndpoint(
  db: Db,
  act: AdminAct,
  fields: EndpointFields,
): Promise<WebhookEndpoint> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ ...fields, secret: generateWebhookSecret() })
      .returning();
    await audit(tx, act, {
      endpointId: row!.id,
      action: "created",
      eventTypes: row!.eventTypes,
      enabled: true,
    });
    return row!;
  });
}

export async function updateWebhookEndpoint(
  db: Db,
  act: AdminAct,
  endpointId: string,
  fields: EndpointFields,
): Promise<WebhookEndpoint | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning();
    if (!row) return null;
    await audit(tx, act, {
      endpointId,
      action: "edited",
      eventTypes: row.eventTypes,
      enabled: row.enabled,
    });
    return row;
  });
}

/** Disable or enable by hand; enabling starts a new count of failures. */
export async function setWebhookEndpointEnabled(
  db: Db,
  act: AdminAct,
  endpointId: string,
  enabled: boolean,
): Promise<WebhookEndpoint | null> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set(
        enabled
          ? {
              enabled,
              disabledReason: null,
              disabledAt: null,
              consecutiveFailures: 0,
              updatedAt: now,
            }
          : { enabled, disabledReason: "admin", disabledAt: now, updatedAt: now },
      )
      .where(eq(webhookEndpoints.id, endpointId))
      .returning();
    if (!row) return null;
    await audit(tx, act, {
      endpointId,
      action: enabled ? "enabled" : "disabled",
      eventTypes: row.eventTypes,
      enabled,
    });
    return row;
  });
}

/**
 * A new secret signs from now on; the old one keeps signing (a second `v1=`) for 24 hours, so
 * the receiver can switch without losing an event. Returns the new secret (shown once).
 */
export async function rotateWebhookSecret(
  db: Db,
  act: AdminAct,
  endpointId: string,
  now: Date = new Date(),
): Promise<WebhookEndpoint | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        secret: generateWebhookSecret(),
        previousSecret: sql`${webhookEndpoints.secret}`,
        previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_HOURS * 3600_000),
        updatedAt: now,
      })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning();
    if (!row) return null;
    await audit(tx, act, {
      endpointId,
      action: "secret_rotated",
      eventTypes: row.eventTypes,
      enabled: row.enabled,
    });
    return row;
  });
}

/** The secret, on admin's explicit request (a "reveal" button): recorded like a change. */
export async function revealWebhookSecret(
  db: Db,
  act: AdminAct,
  endpointId: string,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, endpointId));
    if (!row) return null;
    await audit(tx, act, {
      endpointId,
      action: "secret_revealed",
      eventTypes: row.eventTypes,
      enabled: row.enabled,
    });
    return row.secret;
  });
}

/** A `webhook.test` delivery to one endpoint, posted at once (manual attempt). */
export async function sendWebhookTest(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue> },
  act: AdminAct,
  endpointId: string,
): Promise<string | null> {
  return deps.db.transaction(async (tx) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, endpointId));
    if (!endpoint) return null;
    const eventId = randomUUID();
    const payload: WebhookPayload = {
      id: eventId,
      type: WEBHOOK_TEST_EVENT,
      created_at: new Date().toISOString(),
      data: { endpoint_id: endpointId },
    };
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({ endpointId, eventId, eventType: WEBHOOK_TEST_EVENT, payload })
      .returning({ id: webhookDeliveries.id });
    await recordEvent(tx, {
      stream: webhookStream,
      type: "webhook.delivery_requested",
      actor: { type: "staff", id: act.staffId },
      meta: act.meta,
      data: { endpointId, deliveryId: delivery!.id, kind: "test" },
    });
    await deps.jobs.enqueue(tx, "webhook.deliver", {
      deliveryId: delivery!.id,
      trigger: "manual",
    });
    return delivery!.id;
  });
}

/** Posts a delivery again now (a manual attempt, whatever its state). */
export async function redeliverWebhook(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue> },
  act: AdminAct,
  input: { endpointId: string; deliveryId: string },
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const [delivery] = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.id, input.deliveryId),
          eq(webhookDeliveries.endpointId, input.endpointId),
        ),
      );
    if (!delivery) return false;
    await recordEvent(tx, {
      stream: webhookStream,
      type: "webhook.delivery_requested",
      actor: { type: "staff", id: act.staffId },
      meta: act.meta,
      data: { endpointId: input.endpointId, deliveryId: delivery.id, kind: "redeliver" },
    });
    await deps.jobs.enqueue(tx, "webhook.deliver", { deliveryId: delivery.id, trigger: "manual" });
    return true;
  });
}

export type EndpointListItem = Omit<WebhookEndpoint, "secret" | "previousSecret"> & {
  lastDelivery: Pick<WebhookDelivery, "status" | "lastStatusCode" | "lastAttemptAt"> | null;
};

/** Every endpoint with its last delivery (secrets left out). */
export async function listWebhookEndpoints(db: Db): Promise<EndpointListItem[]> {
  const endpoints = await db.select().from(webhookEndpoints).orderBy(webhookEndpoints.createdAt);
  const result: EndpointListItem[] = [];
  for (const endpoint of endpoints) {
    const [last] = await db
      .select({
        status: webhookDeliveries.status,
        lastStatusCode: webhookDeliveries.lastStatusCode,
        lastAttemptAt: webhookDeliveries.lastAttemptAt,
      })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpoint.id))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(1);
    const { secret: _secret, previousSecret: _previous, ...rest } = endpoint;
    result.push({ ...rest, lastDelivery: last ?? null });
  }
  return result;
}

export async function loadWebhookEndpoint(db: Db, endpointId: string) {
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId));
  return endpoint ?? null;
}

export type DeliveryLogItem = WebhookDelivery & { attemptsLog: WebhookDeliveryAttempt[] };

/** The latest deliveries of an endpoint, newest first, each with its attempts. */
export async function loadDeliveryLog(
  db: Db,
  endpointId: string,
  limit = 50,
): Promise<DeliveryLogItem[]> {
  const deliveries = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
  const log: DeliveryLogItem[] = [];
  for (const delivery of deliveries) {
    const attempts = await db
      .select()
      .from(webhookDeliveryAttempts)
      .where(eq(webhookDeliveryAttempts.deliveryId, delivery.id))
      .orderBy(webhookDeliveryAttempts.attempt);
    log.push({ ...delivery, attemptsLog: attempts });
  }
  return log;
}
