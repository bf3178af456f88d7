import type { Queryable } from "../../../db/client";
import type { AuditExportFilters, AuditExportRequest } from "./filters";
import { countExportRows, resolveExportFilters } from "./query.server";

export type AuditExportPreview =
  | { ok: false; problem: "case_unknown" }
  | { ok: true; filters: AuditExportFilters; rows: number; streams: number };

/** What an export with these filters would hold: its events and chains, counted. */
export async function previewAuditExport(
  db: Queryable,
  request: AuditExportRequest,
): Promise<AuditExportPreview> {
  const resolved = await resolveExportFilters(db, request.filters);
  if (!resolved.ok) return resolved;
  const counts = await countExportRows(db, resolved.filters);
  return { ok: true, filters: resolved.filters, ...counts };
}
