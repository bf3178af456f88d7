import { hash } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { auditEvents, type AuditEventRow } from "../../db/schema";
import { canonicalJson } from "./canonical";
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

/** One event as the full scan sees it: where it sits in its chain, and its hash. */
export interface ScannedEvent {
  id: number;
  stream: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ScanOptions {
  /** Called every `progressEvery` events (default 20,000) with the running totals. */
  onProgress?: (progress: { events: number; streams: number }) => void;
  progressEvery?: number;
  /** Called for every event, in (stream, seq) order, after its link was checked. */
  onEvent?: (event: ScannedEvent) => void;
}

// The full scan reads the events by keyset pages on (stream, seq) (index
// `audit_event_stream_seq_key`), and Postgres already writes each event's hashed body around its
// `data` — the same canonical JSON as eventHashBody() (to_json escapes strings as
// JSON.stringify does). Only `data` is canonicalised here. Should Postgres ever format a field
// differently, the hash would not match and the event is checked again the slow way
// (canonicalJson of the whole body), so a difference costs time, never a false alarm; and a match
// proves the body is the one hashed when the event was written. (COPY … TO STDOUT would be
// faster still, but a postgres.js COPY stream can leave its pool stuck: porsager/postgres#499.)
const SCAN_COLUMNS = sql.raw(`id::text as id, stream, seq, prev_hash, hash, data::text as data,
    '{"actor":{"id":' || coalesce(to_json(actor_id)::text, 'null')
      || ',"type":' || to_json(actor_type)::text
      || '},"caseId":' || coalesce(to_json(case_id::text)::text, 'null') || ',"data":' as before,
    ',"ip":' || coalesce(to_json(ip)::text, 'null')
      || ',"occurredAt":"' || to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      || '","seq":' || seq
      || ',"stream":' || to_json(stream)::text
      || ',"type":' || to_json(type)::text
      || ',"userAgent":' || coalesce(to_json(user_agent)::text, 'null') || '}' as after`);
const SCAN_PAGE = 10_000;

interface ScanRow extends Record<string, unknown> {
  id: string;
  stream: string;
  seq: number;
  prev_hash: string;
  hash: string;
  data: string;
  before: string;
  after: string;
}

/**
 * Verifies every chain in one pass over the events in (stream, seq) order, one event at a time
 * (memory stays bounded whatever the size of the trail). Returns the counts and the broken
 * chains, each with its first broken link.
 */
export async function verifyAllStreams(
  db: Queryable,
  options: ScanOptions = {},
): Promise<{ streams: number; events: number; broken: ChainVerification[] }> {
  const { onProgress, onEvent, progressEvery = 20_000 } = options;
  let streams = 0;
  let events = 0;
  const broken: ChainVerification[] = [];

  let stream: string | null = null;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let streamEvents = 0;
  let firstBroken: { seq: number; eventId: number; problem: ChainBreak } | null = null;
  const finish = () => {
    if (stream !== null && firstBroken)
      broken.push({ ok: false, stream, events: streamEvents, firstBroken });
  };

  const check = (row: ScanRow) => {
    const {
      id,
      stream: name,
      seq,
      prev_hash: rowPrevHash,
      hash: rowHash,
      data,
      before,
      after,
    } = row;
    if (name !== stream) {
      finish();
      stream = name;
      streams += 1;
      prevHash = GENESIS_HASH;
      expectedSeq = 1;
      streamEvents = 0;
      firstBroken = null;
    }
    streamEvents += 1;
    events += 1;
    if (firstBroken === null) {
      let problem: ChainBreak | null = null;
      if (seq !== expectedSeq) problem = "sequence_gap";
      else if (rowPrevHash !== prevHash) problem = "prev_hash_mismatch";
      else {
        const body = `${before}${canonicalJson(JSON.parse(data))}${after}`;
        if (
          hash("sha256", `${rowPrevHash}\n${body}`, "hex") !== rowHash &&
          hash("sha256", `${rowPrevHash}\n${canonicalJson(JSON.parse(body))}`, "hex") !== rowHash
        )
          problem = "hash_mismatch";
      }
      if (problem) firstBroken = { seq, eventId: Number(id), problem };
      prevHash = rowHash;
      expectedSeq += 1;
    }
    onEvent?.({ id: Number(id), stream: name, seq, prevHash: rowPrevHash, hash: rowHash });
    if (events % progressEvery === 0) onProgress?.({ events, streams });
  };

  let last: { stream: string; seq: number } | null = null;
  for (;;) {
    const page: ScanRow[] = await db.execute<ScanRow>(
      sql`select ${SCAN_COLUMNS} from audit_event
          ${last ? sql`where (stream, seq) > (${last.stream}, ${last.seq})` : sql``}
          order by stream, seq limit ${SCAN_PAGE}`,
    );
    for (const row of page) check(row);
    const end: ScanRow | undefined = page.at(-1);
    if (!end || page.length < SCAN_PAGE) break;
    last = { stream: end.stream, seq: end.seq };
  }
  finish();
  onProgress?.({ events, streams });
  return { streams, events, broken };
}
