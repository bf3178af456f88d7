import { hash } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import type { Queryable } from "../../db/client";
import { auditEvents, type AuditEventRow } from "../../db/schema";
import { canonicalJson } from "./canonical";
import { JsonbCanonical } from "./jsonb-canonical";
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

// The full scan reads every event in (stream, seq) order: one COPY, or keyset pages on
// `audit_event_stream_seq_key` inside a transaction (see scanClient()). Postgres encodes each text column of the hashed body as a JSON string (to_json escapes strings
// as JSON.stringify does) and the body is put together here around `data`, the only part
// canonicalised in JavaScript: joining the pieces in Postgres (text || text, twenty times a row)
// cost it more than the whole scan. Should Postgres ever format a field differently, the hash
// would not match and the event is checked again the slow way (canonicalJson of the whole body),
// so a difference costs time, never a false alarm; and a match proves the body is the one hashed
// when the event was written.
const SCAN_COLUMNS = `stream, seq, id::text as id, prev_hash, hash,
    coalesce(to_json(actor_id)::text, 'null') as actor_id,
    to_json(actor_type)::text as actor_type,
    coalesce(to_json(case_id)::text, 'null') as case_id,
    data::text as data,
    coalesce(to_json(ip)::text, 'null') as ip,
    to_json(occurred_at at time zone 'UTC')::text as occurred_at,
    to_json(type)::text as type,
    coalesce(to_json(user_agent)::text, 'null') as user_agent`;
/** The columns of SCAN_COLUMNS, in order (the COPY reader finds them by position). */
const SCAN_COLUMN_COUNT = 13;
const SCAN_PAGE = 10_000;

interface ScanRow extends Record<string, unknown> {
  stream: string;
  seq: number;
  id: string;
  prev_hash: string;
  hash: string;
  /** The columns below are JSON texts. */
  actor_id: string;
  actor_type: string;
  case_id: string;
  data: string;
  ip: string;
  /** Without its zone, e.g. `"2026-11-20T10:15:30.12"` (UTC). */
  occurred_at: string;
  type: string;
  user_agent: string;
}

/** `occurred_at` as eventHashBody() writes it: toISOString() (milliseconds, `Z`), in quotes. */
function occurredAtJson(utc: string): string {
  const instant = new Date(`${JSON.parse(utc) as string}Z`);
  return Number.isNaN(instant.getTime()) ? utc : JSON.stringify(instant.toISOString());
}

/** Whether the event's body (data canonicalised) is the one `row.hash` was computed over. */
function bodyMatches(row: ScanRow): boolean {
  const body = `{"actor":{"id":${row.actor_id},"type":${row.actor_type}},"caseId":${row.case_id},"data":${canonicalJson(JSON.parse(row.data))},"ip":${row.ip},"occurredAt":${occurredAtJson(row.occurred_at)},"seq":${row.seq},"stream":${JSON.stringify(row.stream)},"type":${row.type},"userAgent":${row.user_agent}}`;
  return (
    hash("sha256", `${row.prev_hash}\n${body}`, "hex") === row.hash ||
    hash("sha256", `${row.prev_hash}\n${canonicalJson(JSON.parse(body))}`, "hex") === row.hash
  );
}

/**
 * The bookkeeping of the full scan, whichever way the events are read: one stream at a time,
 * the checks in their order (sequence, link, hash), the first broken link of each chain.
 */
class ChainWalk {
  streams = 0;
  events = 0;
  readonly broken: ChainVerification[] = [];
  private stream: string | null = null;
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  private streamEvents = 0;
  private firstBroken: { seq: number; eventId: number; problem: ChainBreak } | null = null;
  private readonly progressEvery: number;

  constructor(private readonly options: ScanOptions) {
    this.progressEvery = options.progressEvery ?? 20_000;
  }

  /** The events that follow belong to `stream` (a stream's events come together). */
  enter(stream: string): void {
    this.finish();
    this.stream = stream;
    this.streams += 1;
    this.prevHash = GENESIS_HASH;
    this.expectedSeq = 1;
    this.streamEvents = 0;
    this.firstBroken = null;
  }

  /**
   * Checks the next event's seq and link to its predecessor. True when its hash is still to be
   * checked: nothing before it in its chain is broken.
   */
  link(seq: number, eventId: number, prevHash: string): boolean {
    if (this.firstBroken !== null) return false;
    if (seq !== this.expectedSeq) this.firstBroken = { seq, eventId, problem: "sequence_gap" };
    else if (prevHash !== this.prevHash)
      this.firstBroken = { seq, eventId, problem: "prev_hash_mismatch" };
    return this.firstBroken === null;
  }

  /** Counts the event; `hashOk` false records it as the chain's first broken link. */
  done(seq: number, eventId: number, prevHash: string, rowHash: string, hashOk: boolean): void {
    if (!hashOk) this.firstBroken = { seq, eventId, problem: "hash_mismatch" };
    this.prevHash = rowHash;
    this.expectedSeq += 1;
    this.streamEvents += 1;
    this.events += 1;
    this.options.onEvent?.({ id: eventId, stream: this.stream!, seq, prevHash, hash: rowHash });
    if (this.events % this.progressEvery === 0)
      this.options.onProgress?.({ events: this.events, streams: this.streams });
  }

  /** One event whose columns are strings (a keyset page, or a COPY row with escapes). */
  row(row: ScanRow): void {
    if (row.stream !== this.stream) this.enter(row.stream);
    const eventId = Number(row.id);
    const check = this.link(row.seq, eventId, row.prev_hash);
    this.done(row.seq, eventId, row.prev_hash, row.hash, !check || bodyMatches(row));
  }

  result(): { streams: number; events: number; broken: ChainVerification[] } {
    this.finish();
    this.stream = null;
    this.options.onProgress?.({ events: this.events, streams: this.streams });
    return { streams: this.streams, events: this.events, broken: this.broken };
  }

  private finish(): void {
    if (this.stream !== null && this.firstBroken)
      this.broken.push({
        ok: false,
        stream: this.stream,
        events: this.streamEvents,
        firstBroken: this.firstBroken,
      });
  }
}

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

/** A field of COPY's text format as a string: backslash escapes decoded. */
export function copyText(buf: Buffer, start: number, end: number): string {
  const slash = buf.indexOf(BACKSLASH, start);
  if (slash === -1 || slash >= end) return buf.toString("utf8", start, end);
  if (end - start === 2 && buf[start + 1] === 78) throw new Error("unexpected NULL in COPY row");
  const out = Buffer.allocUnsafe(end - start);
  let length = 0;
  for (let i = start; i < end; i += 1) {
    const byte = buf[i]!;
    if (byte !== BACKSLASH) {
      out[length++] = byte;
      continue;
    }
    i += 1;
    const escaped = buf[i]!;
    // COPY TO writes these six control characters as letters, and escapes a backslash as
    // itself (PostgreSQL docs, COPY, "Text Format").
    if (escaped === 98) out[length++] = 8;
    else if (escaped === 102) out[length++] = 12;
    else if (escaped === 110) out[length++] = NEWLINE;
    else if (escaped === 114) out[length++] = 13;
    else if (escaped === 116) out[length++] = TAB;
    else if (escaped === 118) out[length++] = 11;
    else out[length++] = escaped;
  }
  return out.toString("utf8", 0, length);
}

/** A decimal integer in ASCII digits, maybe negative (COPY writes integers so). */
function copyInteger(buf: Buffer, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === 45;
  if (negative) i += 1;
  let value = 0;
  for (; i < end; i += 1) value = value * 10 + buf[i]! - 48;
  return negative ? -value : value;
}

/** The text between the fields of a hashed body (eventHashBody()'s key order). */
const BODY = [
  '{"actor":{"id":',
  ',"type":',
  '},"caseId":',
  ',"data":',
  ',"ip":',
  ',"occurredAt":',
  ',"seq":',
  ',"stream":"',
  '","type":',
  ',"userAgent":',
  "}",
].map((text) => Buffer.from(text));

/**
 * Copies `source[from, to)` into `target` at `at`; returns the end. A loop: the bytes are few and
 * Buffer#copy costs more per call than it saves (≈ 60 ns, twenty times a row).
 */
function put(source: Uint8Array, from: number, to: number, target: Uint8Array, at: number) {
  for (let i = from; i < to; i += 1) target[at++] = source[i]!;
  return at;
}

/** Whether a stream name is written in JSON as it is, between quotes (no escape needed). */
function plainJsonText(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const byte = buf[i]!;
    if (byte < 0x20 || byte === 0x22 || byte === BACKSLASH) return false;
  }
  return true;
}

/**
 * Reads COPY's text output of SCAN_COLUMNS chunk by chunk, without building a row object or
 * decoding the columns of the body: the hashed bytes are assembled in one reused buffer. Rows
 * with a backslash (an escaped character somewhere), an unusual timestamp or stream name are
 * decoded to strings and checked the ordinary way; they are rare.
 */
class CopyScan {
  private rest: Buffer | null = null;
  private scratch = Buffer.allocUnsafe(4096);
  private streamBytes: Buffer | null = null;
  private streamPlain = false;
  private readonly ends = new Int32Array(SCAN_COLUMN_COUNT);
  private readonly jsonb = new JsonbCanonical();

  constructor(private readonly walk: ChainWalk) {}

  push(chunk: Buffer): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    // Searched once per chunk, not once per row: the next backslash may be far away.
    let nextBackslash = -1;
    let start = 0;
    for (let end = buf.indexOf(NEWLINE); end !== -1; end = buf.indexOf(NEWLINE, start)) {
      if (nextBackslash !== Infinity && nextBackslash < start) {
        nextBackslash = buf.indexOf(BACKSLASH, start);
        if (nextBackslash === -1) nextBackslash = Infinity;
      }
      this.row(buf, start, end, nextBackslash < end);
      start = end + 1;
    }
    this.rest = start < buf.length ? buf.subarray(start) : null;
  }

  end(): void {
    if (this.rest) throw new Error("the COPY output ended in the middle of a row");
  }

  private row(buf: Buffer, start: number, end: number, escaped: boolean): void {
    const { ends, walk } = this;
    let from = start;
    for (let column = 0; column < SCAN_COLUMN_COUNT - 1; column += 1) {
      const tab = buf.indexOf(TAB, from);
      if (tab === -1 || tab > end) throw new Error("a COPY row has too few columns");
      ends[column] = tab;
      from = tab + 1;
    }
    ends[SCAN_COLUMN_COUNT - 1] = end;
    // Column k (SCAN_COLUMNS' order) is buf[ends[k - 1] + 1, ends[k]), column 0 starts at start.
    const streamEnd = ends[0]!;
    const known = this.streamBytes;
    if (
      known === null ||
      known.length !== streamEnd - start ||
      buf.compare(known, 0, known.length, start, streamEnd) !== 0
    ) {
      this.streamBytes = Buffer.from(buf.subarray(start, streamEnd));
      this.streamPlain = plainJsonText(buf, start, streamEnd);
      walk.enter(copyText(buf, start, streamEnd));
    }
    const tsStart = ends[9]! + 1;
    const tsLength = ends[10]! - tsStart;
    // `"YYYY-MM-DDTHH:MI:SS"`, with up to six decimals of seconds before the closing quote.
    const usualTimestamp =
      (tsLength === 21 || (tsLength >= 23 && tsLength <= 28 && buf[tsStart + 20] === 46)) &&
      buf[tsStart + 11] === 84;
    if (escaped || !this.streamPlain || !usualTimestamp) {
      walk.row(this.strings(buf, start));
      return;
    }

    const seqStart = ends[0]! + 1;
    const seqEnd = ends[1]!;
    const seq = copyInteger(buf, seqStart, seqEnd);
    const eventId = copyInteger(buf, ends[1]! + 1, ends[2]!);
    const prevStart = ends[2]! + 1;
    const prevEnd = ends[3]!;
    const prevHash = buf.toString("utf8", prevStart, prevEnd);
    const rowHash = buf.toString("utf8", ends[3]! + 1, ends[4]!);
    if (!walk.link(seq, eventId, prevHash)) {
      walk.done(seq, eventId, prevHash, rowHash, true);
      return;
    }
    const dataStart = ends[7]! + 1;
    const dataEnd = ends[8]!;
    // Canonical data is never longer than jsonb's text, nor its UTF-8 over three bytes a char.
    const size = end - start + 3 * (dataEnd - dataStart) + 256;
    if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(size * 2);
    const out = this.scratch;
    // prev_hash "\n" body, as computeEventHash() hashes it.
    let at = put(buf, prevStart, prevEnd, out, 0);
    out[at++] = NEWLINE;
    at = put(BODY[0]!, 0, BODY[0]!.length, out, at);
    at = put(buf, ends[4]! + 1, ends[5]!, out, at); // actor id
    at = put(BODY[1]!, 0, BODY[1]!.length, out, at);
    at = put(buf, ends[5]! + 1, ends[6]!, out, at); // actor type
    at = put(BODY[2]!, 0, BODY[2]!.length, out, at);
    at = put(buf, ends[6]! + 1, ends[7]!, out, at); // case id
    at = put(BODY[3]!, 0, BODY[3]!.length, out, at);
    const canonical = this.jsonb.write(buf, dataStart, dataEnd, out, at);
    at =
      canonical !== -1
        ? canonical
        : at + out.write(canonicalJson(JSON.parse(buf.toString("utf8", dataStart, dataEnd))), at);
    at = put(BODY[4]!, 0, BODY[4]!.length, out, at);
    at = put(buf, ends[8]! + 1, ends[9]!, out, at); // ip
    at = put(BODY[5]!, 0, BODY[5]!.length, out, at);
    // toISOString(): milliseconds (decimals cut or padded to three), then Z.
    at = put(buf, tsStart, tsStart + 20, out, at);
    out[at++] = 46;
    for (let digit = 0; digit < 3; digit += 1) {
      const at20 = tsStart + 21 + digit;
      out[at++] = tsLength > 21 && at20 < tsStart + tsLength - 1 ? buf[at20]! : 48;
    }
    out[at++] = 90;
    out[at++] = 34;
    at = put(BODY[6]!, 0, BODY[6]!.length, out, at);
    at = put(buf, seqStart, seqEnd, out, at);
    at = put(BODY[7]!, 0, BODY[7]!.length, out, at);
    at = put(buf, start, streamEnd, out, at);
    at = put(BODY[8]!, 0, BODY[8]!.length, out, at);
    at = put(buf, ends[10]! + 1, ends[11]!, out, at); // type
    at = put(BODY[9]!, 0, BODY[9]!.length, out, at);
    at = put(buf, ends[11]! + 1, end, out, at); // user agent
    at = put(BODY[10]!, 0, BODY[10]!.length, out, at);
    const ok =
      hash("sha256", out.subarray(0, at), "hex") === rowHash ||
      bodyMatches(this.strings(buf, start));
    walk.done(seq, eventId, prevHash, rowHash, ok);
  }

  /** The row as strings, backslash escapes decoded. */
  private strings(buf: Buffer, start: number): ScanRow {
    const ends = this.ends;
    const column = (k: number) => copyText(buf, ends[k - 1]! + 1, ends[k]!);
    return {
      stream: copyText(buf, start, ends[0]!),
      seq: Number(column(1)),
      id: column(2),
      prev_hash: column(3),
      hash: column(4),
      actor_id: column(5),
      actor_type: column(6),
      case_id: column(7),
      data: column(8),
      ip: column(9),
      occurred_at: column(10),
      type: column(11),
      user_agent: column(12),
    };
  }
}

/**
 * A connection of its own for the COPY, ended after it. A postgres.js COPY stream can leave a
 * pooled connection stuck (porsager/postgres#499), and the pool's other queries need not wait
 * behind a long scan. Null inside a transaction: its own writes are visible on its connection
 * only, so the scan reads pages through it instead.
 */
export function scanClient(db: Queryable): postgres.Sql | null {
  // drizzle() sets `$client` (the postgres.js pool) on the database, not on a transaction.
  const pool: unknown = "$client" in db ? db.$client : null;
  if (typeof pool !== "function" || !("options" in pool)) return null;
  // The pool's parsed options, reused as postgres.js itself reuses them for the private
  // connection of subscribe(): same server, credentials, TLS and connection parameters.
  const options = pool.options as postgres.Options<Record<string, never>>;
  return postgres({
    ...options,
    max: 1,
    fetch_types: false,
    onnotice: () => undefined,
  });
}

async function scanByCopy(client: postgres.Sql, walk: ChainWalk): Promise<void> {
  let finished = false;
  try {
    // One sort of the stored rows, then the columns computed on the way out, streamed as the
    // sort returns them (1 M events: ≈ 2 s before the first row, ≈ 6 s of Postgres CPU in all).
    // An index scan instead visits the heap in random order (≈ 11 s of CPU); parallel workers
    // would take the core that hashes. Set on this connection only, which ends after the scan.
    await client.unsafe("set enable_indexscan = off");
    await client.unsafe("set max_parallel_workers_per_gather = 0");
    const copy = await client
      .unsafe(
        `copy (select ${SCAN_COLUMNS} from (select * from audit_event order by stream, seq) audit_event order by stream, seq) to stdout`,
      )
      .readable();
    const reader = new CopyScan(walk);
    // Chunk by chunk with backpressure: Postgres fills the next chunks while these are hashed.
    for await (const chunk of copy) reader.push(chunk as Buffer);
    reader.end();
    finished = true;
  } finally {
    // After a failure the COPY may still be running: close the connection at once.
    await client.end({ timeout: finished ? 5 : 0 });
  }
}

/** Keyset pages on (stream, seq), the next page requested before the current one is checked. */
async function scanByPages(db: Queryable, walk: ChainWalk): Promise<void> {
  const page = (last: ScanRow | undefined) =>
    db.execute<ScanRow>(
      sql`select ${sql.raw(SCAN_COLUMNS)} from audit_event
          ${last ? sql`where (stream, seq) > (${last.stream}, ${last.seq})` : sql``}
          order by stream, seq limit ${SCAN_PAGE}`,
    );
  let next: Promise<ScanRow[]> | null = page(undefined);
  while (next) {
    const rows: ScanRow[] = await next;
    const end = rows.at(-1);
    next = end && rows.length === SCAN_PAGE ? page(end) : null;
    try {
      for (const row of rows) walk.row(row);
    } catch (error) {
      // Settle the page already asked for before giving up.
      await next?.catch(() => undefined);
      throw error;
    }
  }
}

/**
 * Verifies every chain in one pass over the events in (stream, seq) order, one event at a time
 * (memory stays bounded whatever the size of the trail). Returns the counts and the broken
 * chains, each with its first broken link. Outside a transaction, one COPY on a connection of
 * its own reads a single snapshot of the trail.
 */
export async function verifyAllStreams(
  db: Queryable,
  options: ScanOptions = {},
): Promise<{ streams: number; events: number; broken: ChainVerification[] }> {
  const walk = new ChainWalk(options);
  const client = scanClient(db);
  if (client) await scanByCopy(client, walk);
  else await scanByPages(db, walk);
  return walk.result();
}
