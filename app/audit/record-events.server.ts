import { inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { bulkInsert } from "../../db/seed-bulk";
import {
  AuditEventSchema,
  type Actor,
  type AuditEventData,
  type AuditEventType,
  type RequestMeta,
} from "./events";
import { computeEventHash, GENESIS_HASH, type ChainedFields } from "./record-event.server";

/** One event of a batch, always on a named stream (no case events here). */
export interface BatchEventInput<T extends AuditEventType> {
  type: T;
  data: AuditEventData<T>;
  stream: string;
}

/**
 * Appends many events at once (bulk import: up to one per contract of a 1,000-record batch),
 * with the same chain as `recordEvent`: the streams' advisory locks are taken in a fixed order
 * (no deadlock between two batches), their heads read in one query, and the events inserted by
 * `unnest`. Use it inside the business transaction.
 */
export async function recordEvents<T extends AuditEventType>(
  db: Queryable,
  input: {
    events: BatchEventInput<T>[];
    actor: Actor;
    meta: RequestMeta;
    occurredAt?: Date;
    /**
     * Streams this transaction has just created (e.g. `contract:<id>` of a contract it inserted):
     * nobody else can write to them before it commits, so they need no lock and no head lookup.
     */
    newStreams?: ReadonlySet<string>;
  },
): Promise<number> {
  if (input.events.length === 0) return 0;
  const occurredAt = input.occurredAt ?? new Date();
  const userAgent = input.meta.userAgent === null ? null : input.meta.userAgent.slice(0, 400);
  const streams = [
    ...new Set(
      input.events
        .map((event) => event.stream)
        .filter((stream) => input.newStreams?.has(stream) !== true),
    ),
  ].sort();
  const literal = `{${streams.map((stream) => `"${stream.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
  if (streams.length > 0)
    await db.execute(
      sql`select count(pg_advisory_xact_lock(hashtextextended(s, 0))) from unnest(${literal}::text[]) with ordinality as u(s, n)`,
    );
  const heads = new Map<string, { seq: number; hash: string }>();
  for (let start = 0; start < streams.length; start += 5_000) {
    const rows = await db
      .selectDistinctOn([auditEvents.stream], {
        stream: auditEvents.stream,
        seq: auditEvents.seq,
        hash: auditEvents.hash,
      })
      .from(auditEvents)
      .where(inArray(auditEvents.stream, streams.slice(start, start + 5_000)))
      .orderBy(auditEvents.stream, sql`${auditEvents.seq} desc`);
    for (const row of rows) heads.set(row.stream, { seq: row.seq, hash: row.hash });
  }
  const rows: (typeof auditEvents.$inferInsert)[] = [];
  for (const event of input.events) {
    const parsed = AuditEventSchema.parse({ type: event.type, data: event.data });
    const head = heads.get(event.stream) ?? { seq: 0, hash: GENESIS_HASH };
    const fields: ChainedFields = {
      stream: event.stream,
      seq: head.seq + 1,
      caseId: null,
      type: parsed.type,
      actorType: input.actor.type,
      actorId: input.actor.id,
      data: parsed.data,
      ip: input.meta.ip,
      userAgent,
      occurredAt,
    };
    const hash = computeEventHash(head.hash, fields);
    heads.set(event.stream, { seq: fields.seq, hash });
    rows.push({ ...fields, actorType: input.actor.type, prevHash: head.hash, hash });
  }
  await bulkInsert(db, auditEvents, rows);
  return rows.length;
}
