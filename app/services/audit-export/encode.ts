import { canonicalJson } from "~/audit/canonical";

// The bytes of an export (docs/decisions/009, "Export format"). The format is part of what the
// manifest signs and what tools/verify-audit-export.mjs reads back, so it is written here by
// hand, to the letter: no library option can drift under it.

/** Columns (CSV) and keys (JSON Lines), in this order. */
export const EXPORT_COLUMNS = [
  "id",
  "stream",
  "seq",
  "case_id",
  "type",
  "actor_type",
  "actor_id",
  "occurred_at",
  "ip",
  "user_agent",
  "data",
  "prev_hash",
  "hash",
] as const;

/** One audit event as exported; `occurredAt` is already `toISOString()` (UTC, milliseconds). */
export interface ExportRow {
  id: number;
  stream: string;
  seq: number;
  caseId: string | null;
  type: string;
  actorType: string;
  actorId: string | null;
  occurredAt: string;
  ip: string | null;
  userAgent: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field (RFC 4180): quoted when it holds `,` `"` CR or LF, quotes doubled. null is an
 * empty field; an empty string is written `""`, so that the two stay apart and every hash can be
 * recomputed from the file.
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  if (value === "") return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const CSV_HEADER = `${EXPORT_COLUMNS.join(",")}\r\n`;

export function csvLine(row: ExportRow): string {
  return (
    `${row.id},${csvField(row.stream)},${row.seq},${csvField(row.caseId)},${csvField(row.type)},` +
    `${csvField(row.actorType)},${csvField(row.actorId)},${row.occurredAt},${csvField(row.ip)},` +
    `${csvField(row.userAgent)},${csvField(canonicalJson(row.data))},${row.prevHash},${row.hash}\r\n`
  );
}

/**
 * One JSON Lines record: the same keys in the same order, `data` as an object written in
 * canonical form (so that two exports of the same rows are byte-identical).
 */
export function jsonLine(row: ExportRow): string {
  const text = (value: string | null) => (value === null ? "null" : JSON.stringify(value));
  return (
    `{"id":${row.id},"stream":${text(row.stream)},"seq":${row.seq},"case_id":${text(row.caseId)},` +
    `"type":${text(row.type)},"actor_type":${text(row.actorType)},"actor_id":${text(row.actorId)},` +
    `"occurred_at":${text(row.occurredAt)},"ip":${text(row.ip)},"user_agent":${text(row.userAgent)},` +
    `"data":${canonicalJson(row.data)},"prev_hash":${text(row.prevHash)},"hash":${text(row.hash)}}\n`
  );
}
