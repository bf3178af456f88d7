import type postgres from "postgres";
import { canonicalJson } from "~/audit/canonical";
import { JsonbCanonical } from "~/audit/jsonb-canonical";
import { streamForCase } from "~/audit/record-event.server";
import { copyText } from "~/audit/verify-chain.server";
import { csvField } from "./encode";
import type { AuditExportFilters } from "./filters";
import { LINE_PARTS } from "./query.server";

// The whole export as one `COPY (…) TO STDOUT` on a connection of its own, the technique of
// verifyAllStreams() (app/audit/verify-chain.server.ts): Postgres sorts the stored rows once
// and streams them while Node writes the file, and Node never builds a row object or parses
// `data` — the lines are assembled from the COPY bytes in reused buffers. Keyset pages through
// the driver spent most of the export's CPU on row objects, JSON.parse and garbage collection.
//
// Each COPY row is: stream, the line up to `data` (LINE_PARTS.head, encoded by Postgres), `data`
// as jsonb text, the line after `data` without its end (LINE_PARTS.tail). A row holding a
// backslash (COPY's escapes: a tab, CR, LF or backslash somewhere) or data the fast
// canonicaliser declines is written by the reference path: decoded to strings, JSON.parse and
// canonicalJson, exactly as the keyset pages are.

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
const QUOTE = 0x22;
const COLUMNS = 4;

/** A string as an SQL literal (standard_conforming_strings is set on by openExportCopy). */
function literal(value: string): string {
  if (value.includes("\u0000")) throw new Error("NUL in an export filter");
  return `'${value.replace(/'/g, "''")}'`;
}

/** exportConditions() of ./query.server as literal SQL: COPY takes no bind parameters. */
function copyConditions(filters: AuditExportFilters): string[] {
  const conditions: string[] = [];
  if (filters.caseId !== null)
    conditions.push(`stream = ${literal(streamForCase(filters.caseId))}`);
  if (filters.from !== null)
    conditions.push(`occurred_at >= ${literal(filters.from)}::timestamptz`);
  if (filters.to !== null) conditions.push(`occurred_at < ${literal(filters.to)}::timestamptz`);
  if (filters.types.length > 0)
    conditions.push(`type in (${filters.types.map(literal).join(", ")})`);
  if (filters.actorType !== null) conditions.push(`actor_type = ${literal(filters.actorType)}`);
  if (filters.actorId !== null) conditions.push(`actor_id = ${literal(filters.actorId)}`);
  return conditions;
}

/** The COPY statement of an export (exported for the tests). */
export function exportCopySql(filters: AuditExportFilters, format: "csv" | "jsonl"): string {
  const conditions = copyConditions(filters);
  const where = conditions.length === 0 ? "" : `where ${conditions.join(" and ")}`;
  const parts = LINE_PARTS[format];
  // The sort runs on the stored rows and the line parts are computed on the way out, as the
  // sorted rows stream (verifyAllStreams measured it: an index scan in (stream, seq) order reads
  // the heap in random order and cost Postgres twice the CPU).
  return `copy (select stream, ${parts.head} as head, data::text as data, ${parts.tail} as tail
    from (select * from audit_event ${where} order by stream, seq) audit_event
    order by stream, seq) to stdout`;
}

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i;

/**
 * Starts the COPY of an export on `client` (a connection of its own, max 1), inside a read-only
 * transaction on `snapshot` (pg_export_snapshot() of the export's transaction): the file shows
 * exactly the rows the manifest's checkpoint and anchors are computed from.
 */
export async function openExportCopy(
  client: postgres.Sql,
  snapshot: string,
  filters: AuditExportFilters,
  format: "csv" | "jsonl",
): Promise<AsyncIterable<Buffer>> {
  if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`unexpected snapshot id ${snapshot}`);
  await client.unsafe("begin isolation level repeatable read read only");
  await client.unsafe(`set transaction snapshot '${snapshot}'`);
  await client.unsafe("set local standard_conforming_strings = on");
  // Bitmap scans stay on: a case or a day is still read through its index, then sorted.
  await client.unsafe("set local enable_indexscan = off");
  // Parallel workers would take the core that writes the file.
  await client.unsafe("set local max_parallel_workers_per_gather = 0");
  const query = client.unsafe(exportCopySql(filters, format));
  const copy = await query.readable();
  // The query's own promise fails when the connection is ended under it (the export's end);
  // errors reach the reader through the stream.
  query.catch(() => undefined);
  return copy as AsyncIterable<Buffer>;
}

/** Chunks of about this many bytes leave the reader (V8's young generation frees them cheaply). */
const CHUNK_BYTES = 32 * 1024;

/**
 * Turns COPY's text output of exportCopySql() into the export's bytes, chunk by chunk, in the
 * exact encoding of csvLine() / jsonLine() of ./encode.
 */
export class CopyLines {
  rows = 0;
  private rest: Buffer | null = null;
  private out = Buffer.allocUnsafe(2 * CHUNK_BYTES);
  private at = 0;
  private ready: Buffer[] = [];
  private lastStream: Buffer | null = null;
  private scratch = Buffer.allocUnsafe(4096);
  private readonly ends = new Int32Array(COLUMNS);
  private readonly jsonb = new JsonbCanonical();
  private readonly lineEnd: Buffer;

  /** `onStream` is called with each chain's name, when its first row arrives. */
  constructor(
    private readonly format: "csv" | "jsonl",
    private readonly onStream: (stream: string) => void,
  ) {
    this.lineEnd = Buffer.from(format === "csv" ? "\r\n" : "\n");
  }

  /** Reads a chunk of COPY output; returns the file's chunks completed so far. */
  push(chunk: Buffer): Buffer[] {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
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
    this.rest = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
    return this.take();
  }

  /** The last chunk of the file. */
  end(): Buffer[] {
    if (this.rest) throw new Error("the COPY output ended in the middle of a row");
    if (this.at > 0) this.flush();
    return this.take();
  }

  private take(): Buffer[] {
    const ready = this.ready;
    if (ready.length > 0) this.ready = [];
    return ready;
  }

  private flush(): void {
    this.ready.push(this.out.subarray(0, this.at));
    this.out = Buffer.allocUnsafe(2 * CHUNK_BYTES);
    this.at = 0;
  }

  /** Room for `bytes` more at the end of the current chunk. */
  private reserve(bytes: number): void {
    if (this.out.length - this.at >= bytes) return;
    if (this.at > 0) this.ready.push(this.out.subarray(0, this.at));
    this.out = Buffer.allocUnsafe(Math.max(2 * CHUNK_BYTES, bytes));
    this.at = 0;
  }

  private row(buf: Buffer, start: number, end: number, escaped: boolean): void {
    const ends = this.ends;
    let from = start;
    for (let column = 0; column < COLUMNS - 1; column += 1) {
      const tab = buf.indexOf(TAB, from);
      if (tab === -1 || tab > end) throw new Error("a COPY row has too few columns");
      ends[column] = tab;
      from = tab + 1;
    }
    ends[COLUMNS - 1] = end;
    this.rows += 1;
    const streamEnd = ends[0]!;
    const known = this.lastStream;
    if (
      known === null ||
      known.length !== streamEnd - start ||
      buf.compare(known, 0, known.length, start, streamEnd) !== 0
    ) {
      this.lastStream = Buffer.from(buf.subarray(start, streamEnd));
      this.onStream(copyText(buf, start, streamEnd));
    }
    const headStart = streamEnd + 1;
    const dataStart = ends[1]! + 1;
    const dataEnd = ends[2]!;
    const tailStart = dataEnd + 1;
    if (escaped || !this.fastRow(buf, headStart, dataStart, dataEnd, tailStart, end))
      this.referenceRow(buf, headStart, dataStart, dataEnd, tailStart, end);
    if (this.at >= CHUNK_BYTES) this.flush();
  }

  /** Writes the row from its bytes; false (nothing written) when `data` is declined. */
  private fastRow(
    buf: Buffer,
    headStart: number,
    dataStart: number,
    dataEnd: number,
    tailStart: number,
    end: number,
  ): boolean {
    const dataLength = dataEnd - dataStart;
    // Canonical data is never longer than jsonb's text; CSV at most doubles it (quotes).
    this.reserve(end - headStart + dataLength + 8);
    const out = this.out;
    const rowStart = this.at;
    let at = rowStart + buf.copy(out, rowStart, headStart, dataStart - 1);
    if (this.format === "jsonl") {
      at = this.jsonb.write(buf, dataStart, dataEnd, out, at);
      if (at === -1) return false;
    } else {
      if (this.scratch.length < dataLength) this.scratch = Buffer.allocUnsafe(2 * dataLength);
      const scratch = this.scratch;
      const length = this.jsonb.write(buf, dataStart, dataEnd, scratch, 0);
      if (length === -1) return false;
      // csvField(): quoted when it holds `,` `"` CR or LF (canonical JSON is never empty).
      let quoted = false;
      for (let i = 0; i < length; i += 1) {
        const byte = scratch[i]!;
        if (byte === 0x2c || byte === QUOTE || byte === 13 || byte === NEWLINE) {
          quoted = true;
          break;
        }
      }
      if (!quoted) at += scratch.copy(out, at, 0, length);
      else {
        out[at++] = QUOTE;
        for (let i = 0; i < length; i += 1) {
          const byte = scratch[i]!;
          if (byte === QUOTE) out[at++] = QUOTE;
          out[at++] = byte;
        }
        out[at++] = QUOTE;
      }
    }
    at += buf.copy(out, at, tailStart, end);
    at += this.lineEnd.copy(out, at);
    this.at = at;
    return true;
  }

  /** The row as the keyset pages write it: strings, JSON.parse and canonicalJson. */
  private referenceRow(
    buf: Buffer,
    headStart: number,
    dataStart: number,
    dataEnd: number,
    tailStart: number,
    end: number,
  ): void {
    const data = canonicalJson(JSON.parse(copyText(buf, dataStart, dataEnd)));
    const line =
      copyText(buf, headStart, dataStart - 1) +
      (this.format === "csv" ? csvField(data) : data) +
      copyText(buf, tailStart, end) +
      (this.format === "csv" ? "\r\n" : "\n");
    const bytes = Buffer.byteLength(line);
    this.reserve(bytes);
    this.at += this.out.write(line, this.at);
  }
}
