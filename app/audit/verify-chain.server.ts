import { asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { auditEvents, type AuditEventRow } from "../../db/schema";
import { computeEventHash, GENESIS_HASH, streamForCase } from "./record-event.server";

export type ChainBreak = "sequence_gap" | "prev_hash_mismatch" | "hash_mismatch";

export type ChainVerification =
  | { ok: true; stream: string; events: number; headHash: string }
  | {
      ok: false;
      stream: string;
      events: number;
      firstBroken: { seq: number; eventId: number; problem: ChainBreak };
    };

/** Checks a list of events of one stream, in sequence order; names the first broken link. */
export function verifyEvents(stream: string, rows: readonly AuditEventRow[]): ChainVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    const broken = (problem: ChainBreak): ChainVerification => ({
      ok: false,
      stream,
      events: rows.length,
      firstBroken: { seq: row.seq, eventId: row.id, problem },
    });
    if (row.seq !== expectedSeq) return broken("sequence_gap");
    if (row.prevHash !== prevHash) return broken("prev_hash_mismatch");
    if (computeEventHash(row.prevHash, row) !== row.hash) return broken("hash_mismatch");
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, stream, events: rows.length, headHash: prevHash };
}

export async function verifyStream(db: Queryable, stream: string): Promise<ChainVerification> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.stream, stream))
    .orderBy(asc(auditEvents.seq));
  return verifyEvents(stream, rows);
}

/** Verifies the hash chain of one cancellation case. */
export function verifyCaseChain(db: Queryable, caseId: string): Promise<ChainVerification> {
  return verifyStream(db, streamForCase(caseId));
}

/**
 * Verifies every chain, reading events in (stream, seq) order by keyset pages so memory stays
 * bounded whatever the size of the trail. Returns the counts and the broken chains.
 */
export async function verifyAllStreams(
  db: Queryable,
  pageSize = 5000,
): Promise<{ streams: number; events: number; broken: ChainVerification[] }> {
  let streams = 0;
  let events = 0;
  const broken: ChainVerification[] = [];
  let current: string | null = null;
  let rows: AuditEventRow[] = [];
  const finish = () => {
    if (current === null) return;
    streams += 1;
    const result = verifyEvents(current, rows);
    if (!result.ok) broken.push(result);
  };
  let after: { stream: string; seq: number } | null = null;
  for (;;) {
    const page: AuditEventRow[] = await db
      .select()
      .from(auditEvents)
      .where(
        after
          ? sql`(${auditEvents.stream}, ${auditEvents.seq}) > (${after.stream}, ${after.seq})`
          : undefined,
      )
      .orderBy(asc(auditEvents.stream), asc(auditEvents.seq))
      .limit(pageSize);
    for (const row of page) {
      if (row.stream !== current) {
        finish();
        current = row.stream;
        rows = [];
      }
      rows.push(row);
      events += 1;
    }
    if (page.length < pageSize) break;
    const last = page.at(-1)!;
    after = { stream: last.stream, seq: last.seq };
  }
  finish();
  return { streams, events, broken };
}
