import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { cancellationCases } from "../../../db/schema";
import { streamForCase } from "~/audit/record-event.server";
import type { AuditExportFilterInput, AuditExportFilters } from "./filters";

// The SQL of an export: the filters as a WHERE clause, and the rows in (stream, seq) order by
// keyset pages on the unique index audit_event_stream_seq_key, so each page is an index range
// scan whatever the size of the trail.

/** Rows per page: large enough to amortise a round trip, small enough to stay a few MB. */
export const EXPORT_PAGE_SIZE = 5000;

export type ResolvedFilters =
  { ok: true; filters: AuditExportFilters } | { ok: false; problem: "case_unknown" };

/** Turns the typed case (reference or id) into the case's id and reference. */
export async function resolveExportFilters(
  db: Queryable,
  input: AuditExportFilterInput,
): Promise<ResolvedFilters> {
  let caseId: string | null = null;
  let caseReference: string | null = null;
  if (input.case !== null) {
    const [found] = await db
      .select({ id: cancellationCases.id, reference: cancellationCases.reference })
      .from(cancellationCases)
      .where(
        "caseId" in input.case
          ? eq(cancellationCases.id, input.case.caseId)
          : eq(cancellationCases.reference, input.case.reference),
      )
      .limit(1);
    if (!found) return { ok: false, problem: "case_unknown" };
    caseId = found.id;
    caseReference = found.reference;
  }
  return {
    ok: true,
    filters: {
      from: input.from?.toISOString() ?? null,
      to: input.to?.toISOString() ?? null,
      caseId,
      caseReference,
      types: input.types,
      actorType: input.actorType,
      actorId: input.actorId,
    },
  };
}

/**
 * The filters as SQL conditions. A case is its chain: every event written with a case id is in
 * the stream `case:<id>` (recordEvent), so the case filter is an index range on the stream.
 */
export function exportConditions(filters: AuditExportFilters, alias = "audit_event"): SQL[] {
  const column = (name: string) => sql.raw(`${alias}.${name}`);
  const conditions: SQL[] = [];
  if (filters.caseId !== null)
    conditions.push(sql`${column("stream")} = ${streamForCase(filters.caseId)}`);
  if (filters.from !== null)
    conditions.push(sql`${column("occurred_at")} >= ${filters.from}::timestamptz`);
  if (filters.to !== null)
    conditions.push(sql`${column("occurred_at")} < ${filters.to}::timestamptz`);
  if (filters.types.length > 0)
    conditions.push(
      sql`${column("type")} in (${sql.join(
        filters.types.map((type) => sql`${type}`),
        sql`, `,
      )})`,
    );
  if (filters.actorType !== null)
    conditions.push(sql`${column("actor_type")} = ${filters.actorType}`);
  if (filters.actorId !== null) conditions.push(sql`${column("actor_id")} = ${filters.actorId}`);
  return conditions;
}

const whereOf = (conditions: SQL[]) =>
  conditions.length === 0 ? sql`` : sql`where ${and(...conditions)}`;

/** How many events and chains the filters select. */
export async function countExportRows(
  db: Queryable,
  filters: AuditExportFilters,
): Promise<{ rows: number; streams: number }> {
  const [row] = await db.execute<{ rows: string; streams: string }>(
    sql`select count(*) as rows, count(distinct stream) as streams from audit_event
        ${whereOf(exportConditions(filters))}`,
  );
  return { rows: Number(row?.rows ?? 0), streams: Number(row?.streams ?? 0) };
}

/** How many events the filters select (the CLI's progress bar). */
export async function countExportEvents(
  db: Queryable,
  filters: AuditExportFilters,
): Promise<number> {
  const [row] = await db.execute<{ rows: string }>(
    sql`select count(*) as rows from audit_event ${whereOf(exportConditions(filters))}`,
  );
  return Number(row?.rows ?? 0);
}

export interface ExportCursor {
  stream: string;
  seq: number;
}

/** A text column as one CSV field (RFC 4180): null empty, "" quoted, quoted when needed. */
function csvColumn(column: string): string {
  return `case when ${column} is null then '' when ${column} = '' then '""'
    when strpos(${column}, ',') > 0 or strpos(${column}, '"') > 0
      or strpos(${column}, chr(13)) > 0 or strpos(${column}, chr(10)) > 0
    then '"' || replace(${column}, '"', '""') || '"' else ${column} end`;
}

/** A text column as a JSON value: a string, or null (to_json escapes as JSON.stringify does). */
const jsonColumn = (column: string) => `coalesce(to_json(${column})::text, 'null')`;

const OCCURRED_AT = `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Each row's line but its `data`: Postgres writes the columns before and after it (on its own
 * core, while this process canonicalises the data of the previous page), in the exact encoding
 * of `csvLine` / `jsonLine` in ./encode (checked against them by the tests). The line end is
 * apart: the COPY of ./copy-lines.server writes the line without it (COPY would escape it).
 */
export const LINE_PARTS = {
  csv: {
    head: `id || ',' || ${csvColumn("stream")} || ',' || seq || ',' || coalesce(case_id::text, '')
      || ',' || ${csvColumn("type")} || ',' || ${csvColumn("actor_type")} || ','
      || ${csvColumn("actor_id")} || ',' || ${OCCURRED_AT} || ',' || ${csvColumn("ip")} || ','
      || ${csvColumn("user_agent")} || ','`,
    tail: `',' || prev_hash || ',' || hash`,
    end: `chr(13) || chr(10)`,
  },
  jsonl: {
    head: `'{"id":' || id || ',"stream":' || ${jsonColumn("stream")} || ',"seq":' || seq
      || ',"case_id":' || ${jsonColumn("case_id::text")} || ',"type":' || ${jsonColumn("type")}
      || ',"actor_type":' || ${jsonColumn("actor_type")} || ',"actor_id":' || ${jsonColumn("actor_id")}
      || ',"occurred_at":"' || ${OCCURRED_AT} || '","ip":' || ${jsonColumn("ip")}
      || ',"user_agent":' || ${jsonColumn("user_agent")} || ',"data":'`,
    tail: `',"prev_hash":"' || prev_hash || '","hash":"' || hash || '"}'`,
    end: `chr(10)`,
  },
} as const;

export interface EncodedRow extends Record<string, unknown> {
  stream: string;
  seq: number;
  /** The line up to `data`, encoded. */
  head: string;
  data: unknown;
  /** The line after `data`, line end included. */
  tail: string;
}

/** One page of rows after `cursor`, in (stream, seq) order, encoded but for their data. */
export async function exportLinePage(
  db: Queryable,
  filters: AuditExportFilters,
  format: "csv" | "jsonl",
  cursor: ExportCursor | null,
  limit = EXPORT_PAGE_SIZE,
): Promise<EncodedRow[]> {
  const conditions = exportConditions(filters);
  if (cursor !== null)
    conditions.unshift(sql`(stream, seq) > (${cursor.stream}::text, ${cursor.seq}::int)`);
  const parts = LINE_PARTS[format];
  return db.execute<EncodedRow>(sql`
    select stream, seq, ${sql.raw(parts.head)} as head, data,
      ${sql.raw(parts.tail)} || ${sql.raw(parts.end)} as tail
    from audit_event
    ${whereOf(conditions)}
    order by stream, seq
    limit ${limit}::int`);
}

/**
 * Of the given chain heads, those whose row is among the exported rows (same filters): the
 * anchors of the manifest.
 */
export async function headsWithinExport(
  db: Queryable,
  filters: AuditExportFilters,
  heads: readonly ExportCursor[],
): Promise<ExportCursor[]> {
  if (heads.length === 0) return [];
  const conditions = exportConditions(filters, "e");
  const rows = await db.execute<{ stream: string; seq: number }>(sql`
    select e.stream, e.seq
    from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as h(stream text, seq int)
    join audit_event e on e.stream = h.stream and e.seq = h.seq
    ${conditions.length === 0 ? sql`` : sql`where ${and(...conditions)}`}`);
  return rows.map((row) => ({ stream: row.stream, seq: row.seq }));
}
