import { inArray, sql } from "drizzle-orm";
import {
  AuditEventSchema,
  type Actor,
  type AuditEventData,
  type AuditEventType,
  type RequestMeta,
} from "../app/audit/events";
import {
  computeEventHash,
  GENESIS_HASH,
  streamForCase,
  type ChainedFields,
} from "../app/audit/record-event.server";
import type { Queryable } from "./client";
import { auditEvents } from "./schema";
import { bulkInsert } from "./seed-bulk";

// The demo seed writes a year of history: tens of thousands of audit events. One
// `recordEvent` per event (lock, read the chain's head, insert) would take most of the seed's
// time budget, so the history's events are collected here, then chained exactly as
// `recordEvent` chains them (same schema check, same hash) and inserted in batches. Only for
// the seed, which runs alone on a fresh database; the application always uses `recordEvent`.

export interface PendingEvent<T extends AuditEventType = AuditEventType> {
  type: T;
  data: AuditEventData<T>;
  actor: Actor;
  occurredAt: Date;
}

const NO_REQUEST: RequestMeta = { ip: null, userAgent: null };

export class AuditBatch {
  private readonly pending = new Map<string, { caseId: string; events: PendingEvent[] }>();

  /** Adds an event to a case's chain (checked against the catalogue now, chained at `flush`). */
  addForCase<T extends AuditEventType>(caseId: string, event: PendingEvent<T>): void {
    const parsed = AuditEventSchema.parse({ type: event.type, data: event.data });
    const checked = { ...event, data: parsed.data } as PendingEvent;
    const stream = streamForCase(caseId);
    const entry = this.pending.get(stream);
    if (entry) entry.events.push(checked);
    else this.pending.set(stream, { caseId, events: [checked] });
  }

  /**
   * Appends every pending event to its chain: after the chain's last stored event (if any), in
   * the order the events happened (ties in the order they were added).
   */
  async flush(db: Queryable): Promise<number> {
    const streams = [...this.pending.keys()];
    const heads = new Map<string, { seq: number; hash: string }>();
    for (let i = 0; i < streams.length; i += 5_000) {
      const rows = await db
        .selectDistinctOn([auditEvents.stream], {
          stream: auditEvents.stream,
          seq: auditEvents.seq,
          hash: auditEvents.hash,
        })
        .from(auditEvents)
        .where(inArray(auditEvents.stream, streams.slice(i, i + 5_000)))
        .orderBy(auditEvents.stream, sql`${auditEvents.seq} desc`);
      for (const row of rows) heads.set(row.stream, { seq: row.seq, hash: row.hash });
    }

    const rows: (typeof auditEvents.$inferInsert)[] = [];
    for (const [stream, { caseId, events }] of this.pending) {
      // A stable sort: events of the same moment keep the order they were added in.
      events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
      let { seq, hash } = heads.get(stream) ?? { seq: 0, hash: GENESIS_HASH };
      for (const event of events) {
        seq += 1;
        const fields: ChainedFields = {
          stream,
          seq,
          caseId,
          type: event.type,
          actorType: event.actor.type,
          actorId: event.actor.id,
          data: event.data,
          ip: NO_REQUEST.ip,
          userAgent: NO_REQUEST.userAgent,
          occurredAt: event.occurredAt,
        };
        const prevHash = hash;
        hash = computeEventHash(prevHash, fields);
        rows.push({ ...fields, actorType: event.actor.type, prevHash, hash });
      }
    }
    await bulkInsert(db, auditEvents, rows);
    this.pending.clear();
    return rows.length;
  }
}
