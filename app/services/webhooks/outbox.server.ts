import { randomUUID } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Queryable } from "../../../db/client";
import { webhookDeliveries, webhookEndpoints } from "../../../db/schema";
import type { AuditEvent } from "../../audit/events";
import {
  WEBHOOK_TEST_EVENT,
  type WebhookEventType,
  type WebhookPayload,
} from "../../domain/webhooks";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";

// The webhook outbox (docs/decisions/015). `recordEvent()` calls `queueWebhookDeliveries` for
// every audit event, inside the business transaction: the audit events that an operator's IT
// can subscribe to become one `webhook_delivery` row per enabled, subscribed endpoint —
// committed, or rolled back, with the business change. recordEvent() holds a transaction but no
// job queue (and the Remix build has its own copy of this module), so the transaction ends with
// a NOTIFY: delivered on commit only, it wakes the workers' listener, which queues the first
// attempt of each new row (job id = delivery id: queued once, however many times it is asked).
// A sweep every minute catches a notification lost while the listener was reconnecting.

export const WEBHOOK_CHANNEL = "easy_exit_webhooks";

interface RecordedEvent {
  event: AuditEvent;
  caseId: string | null;
  occurredAt: Date;
}

/** The webhook an audit event stands for, with its data (ids, references, codes, dates). */
export function webhookEventFor({
  event,
  caseId,
}: RecordedEvent): { type: WebhookEventType; data: Record<string, unknown> } | null {
  switch (event.type) {
    case "case.notified":
      return {
        type: "case.notified",
        data: {
          case_id: caseId,
          reference: event.data.reference,
          received_at: event.data.receivedAt,
          contract_ids: event.data.contractIds,
          effective_end_date: event.data.effectiveEndDate,
          termination_type: event.data.terminationType,
          fee_total_cents: event.data.feeTotalCents,
        },
      };
    case "case.withdrawn":
      return {
        type: "case.withdrawn",
        data: { case_id: caseId, reference: event.data.reference },
      };
    case "case.effective":
      return {
        type: "case.effective",
        data: {
          case_id: caseId,
          reference: event.data.reference,
          effective_end_date: event.data.effectiveEndDate,
        },
      };
    case "return.items_received":
      return {
        type: "return.item_received",
        data: {
          case_id: caseId,
          return_number: event.data.returnNumber,
          reception_id: event.data.receptionId,
          items: event.data.items.map((item) => ({
            equipment_id: item.equipmentId,
            condition: item.condition,
          })),
        },
      };
    case "refund.updated":
      if (event.data.status !== "issued") return null;
      return {
        type: "refund.issued",
        data: {
          case_id: caseId,
          refund_id: event.data.refundId,
          kind: event.data.kind ?? null,
          amount_cents: event.data.amountCents,
        },
      };
    case "survey.answered":
      return {
        type: "survey.answered",
        data: {
          case_id: caseId,
          survey_response_id: event.data.surveyResponseId,
          contact_consent: event.data.contactConsent,
        },
      };
    case "winback.closed":
      if (event.data.closeReason !== "outcome") return null;
      return {
        type: "winback.outcome",
        data: {
          case_id: caseId,
          item_id: event.data.itemId,
          outcome: event.data.status,
          offer_code: event.data.offerCode,
        },
      };
    default:
      return null;
  }
}

/**
 * Queues the first automatic attempt of a delivery; its job id is the delivery's id, so the
 * sweep and the business transaction never queue it twice.
 */
export async function queueFirstAttempt(
  db: Queryable,
  jobs: JobQueue<AppJobCatalogue>,
  deliveryId: string,
): Promise<boolean> {
  return jobs.enqueueOnce(db, "webhook.deliver", { deliveryId, trigger: "automatic" }, deliveryId);
}

export async function queueWebhookDeliveries(db: Queryable, recorded: RecordedEvent) {
  const webhook = webhookEventFor(recorded);
  if (webhook === null) return [];
  const endpoints = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.enabled, true),
        sql`${webhook.type} = any(${webhookEndpoints.eventTypes})`,
      ),
    );
  if (endpoints.length === 0) return [];
  const eventId = randomUUID();
  const payload: WebhookPayload = {
    id: eventId,
    type: webhook.type,
    created_at: recorded.occurredAt.toISOString(),
    data: webhook.data,
  };
  const rows = await db
    .insert(webhookDeliveries)
    .values(
      endpoints.map((endpoint) => ({
        endpointId: endpoint.id,
        eventId,
        eventType: webhook.type,
        payload,
      })),
    )
    .returning({ id: webhookDeliveries.id });
  // Delivered at commit only (never for a rolled-back transaction): the workers' listener
  // queues the first attempts at once.
  await db.execute(sql`select pg_notify(${WEBHOOK_CHANNEL}, '')`);
  return rows.map((row) => row.id);
}

/**
 * The sweep: queues the first attempt of every pending delivery that never ran (already queued
 * ones are no-ops). Run on each notification, on (re)connection, and every minute.
 */
export async function sweepWebhookDeliveries(
  db: Queryable,
  jobs: JobQueue<AppJobCatalogue>,
): Promise<number> {
  const waiting = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        eq(webhookDeliveries.attempts, 0),
        // A test event is posted by its own (manual) job, never automatically.
        ne(webhookDeliveries.eventType, WEBHOOK_TEST_EVENT),
        eq(webhookEndpoints.enabled, true),
      ),
    )
    .orderBy(webhookDeliveries.createdAt)
    .limit(500);
  let queued = 0;
  for (const row of waiting) if (await queueFirstAttempt(db, jobs, row.id)) queued += 1;
  return queued;
}

/**
 * Listens for committed deliveries and queues their first attempts (one sweep at a time; a
 * notification during a sweep runs one more). Returns the function that stops listening.
 */
export async function listenForWebhookDeliveries(deps: {
  sql: postgres.Sql;
  db: Queryable;
  jobs: JobQueue<AppJobCatalogue>;
  onError: (error: unknown) => void;
}): Promise<() => Promise<void>> {
  let running: Promise<void> | null = null;
  let again = false;
  const sweep = (): void => {
    if (running !== null) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await sweepWebhookDeliveries(deps.db, deps.jobs);
        } catch (error) {
          deps.onError(error);
        }
      } while (again);
      running = null;
    })();
  };
  const { unlisten } = await deps.sql.listen(WEBHOOK_CHANNEL, sweep, sweep);
  return async () => {
    await unlisten();
    await running;
  };
}
