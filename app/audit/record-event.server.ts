import { hash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { auditEvents, type AuditEventRow } from "../../db/schema";
import { queueWebhookDeliveries } from "../services/webhooks/outbox.server";
import { canonicalJson } from "./canonical";
import {
  AuditEventSchema,
  type Actor,
  type AuditEventData,
  type AuditEventType,
  type RequestMeta,
} from "./events";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedFields {
  stream: string;
  seq: number;
  caseId: string | null;
  type: string;
  actorType: string;
  actorId: string | null;
  data: unknown;
  ip: string | null;
  userAgent: string | null;
  occurredAt: Date;
}

/**
 * The same fields with the instant already written as `toISOString()` writes it (the full
 * verification reads it so from Postgres and skips a Date round trip per event).
 */
export type ChainedRow = Omit<ChainedFields, "occurredAt"> & { occurredAt: string };

/** The hashed body of an event: the canonical JSON of its chained fields. */
export function eventHashBody(event: ChainedFields | ChainedRow): string {
  const occurredAt =
    typeof event.occurredAt === "string" ? event.occurredAt : event.occurredAt.toISOString();
  if (
    event.data === undefined ||
    event.caseId === undefined ||
    event.actorId === undefined ||
    event.ip === undefined ||
    event.userAgent === undefined
  ) {
    // canonicalJson drops undefined members; rows from the database never have any.
    return canonicalJson({
      stream: event.stream,
      seq: event.seq,
      caseId: event.caseId,
      type: event.type,
      actor: { type: event.actorType, id: event.actorId },
      data: event.data,
      ip: event.ip,
      userAgent: event.userAgent,
      occurredAt,
    });
  }
  // The same string as canonicalJson of the object above, written out in its key order (actor,
  // caseId, data, ip, occurredAt, seq, stream, type, userAgent; id before type): verifying a
  // million events spends its time here (record-event.server.test.ts checks the equality).
  const json = JSON.stringify;
  return `{"actor":{"id":${json(event.actorId)},"type":${json(event.actorType)}},"caseId":${json(event.caseId)},"data":${canonicalJson(event.data)},"ip":${json(event.ip)},"occurredAt":${json(occurredAt)},"seq":${canonicalJson(event.seq)},"stream":${json(event.stream)},"type":${json(event.type)},"userAgent":${json(event.userAgent)}}`;
}

/**
 * hash = SHA-256( prev_hash ‖ "\n" ‖ canonical JSON of the event's fields ). Documented in the
 * README so that a third party can recompute it from an export.
 */
export function computeEventHash(prevHash: string, event: ChainedFields | ChainedRow): string {
  return hash("sha256", `${prevHash}\n${eventHashBody(event)}`, "hex");
}

export function streamForCase(caseId: string): string {
  return `case:${caseId}`;
}

/** The chain of an unmatched notice, until (and after) it is matched or rejected. */
export function streamForNotice(noticeId: string): string {
  return `notice:${noticeId}`;
}

/** The chain of a staff account: sign-ins, lockouts, changes to the account. */
export function streamForStaff(staffUserId: string): string {
  return `staff:${staffUserId}`;
}

export type RecordEventInput<T extends AuditEventType> = {
  type: T;
  data: AuditEventData<T>;
  actor: Actor;
  meta: RequestMeta;
  occurredAt?: Date;
} & ({ caseId: string; stream?: never } | { caseId?: never; stream: string });

/**
 * Appends one event to its hash chain. Use it inside the business transaction (pass `tx`) so the
 * event exists if and only if the state change commits. Writers to different streams never
 * wait for each other; writers to the same stream queue on a transaction-scoped advisory lock,
 * so the chain stays unbroken under any concurrency.
 */
export async function recordEvent<T extends AuditEventType>(
  db: Queryable,
  input: RecordEventInput<T>,
): Promise<AuditEventRow> {
  const parsed = AuditEventSchema.parse({ type: input.type, data: input.data });
  const caseId = input.caseId ?? null;
  const stream = input.caseId !== undefined ? streamForCase(input.caseId) : input.stream;
  const userAgent = input.meta.userAgent === null ? null : input.meta.userAgent.slice(0, 400);

  // A savepoint when `db` is already a transaction; the advisory lock lasts until the outermost commit.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${stream}, 0))`);
    const [last] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(eq(auditEvents.stream, stream))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const fields: ChainedFields = {
      stream,
      seq: (last?.seq ?? 0) + 1,
      caseId,
      type: parsed.type,
      actorType: input.actor.type,
      actorId: input.actor.id,
      data: parsed.data,
      ip: input.meta.ip,
      userAgent,
      occurredAt: input.occurredAt ?? new Date(),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const [row] = await tx
      .insert(auditEvents)
      .values({
        ...fields,
        actorType: input.actor.type,
        prevHash,
        hash: computeEventHash(prevHash, fields),
      })
      .returning();
    if (row === undefined) throw new Error("audit event insert returned no row");
    // Webhooks for the events an operator's IT subscribes to, in this same transaction.
    await queueWebhookDeliveries(tx, { event: parsed, caseId, occurredAt: fields.occurredAt });
    return row;
  });
}
