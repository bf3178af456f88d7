import { desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { auditExports, staffUsers } from "../../../db/schema";
import type { AuditExportFilters, AuditExportFormat } from "./filters";
import type { AuditExportManifest } from "./manifest.server";

// The history of exports on the exports page, newest first, and one export's manifest.

export const EXPORTS_PER_PAGE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditExportListItem {
  id: string;
  createdAt: string;
  /** null: the command line. */
  staff: { id: string; displayName: string } | null;
  format: AuditExportFormat;
  gzip: boolean;
  filters: AuditExportFilters;
  status: "running" | "complete" | "failed";
  rows: number | null;
  sha256: string | null;
  checkpointId: number | null;
}

/** A page of the history; `before` is the previous page's `nextCursor`. */
export async function listAuditExports(
  db: Queryable,
  options: { before?: string | null } = {},
): Promise<{ items: AuditExportListItem[]; nextCursor: string | null }> {
  const cursor = options.before && UUID.test(options.before) ? options.before : null;
  const rows = await db
    .select({
      id: auditExports.id,
      createdAt: auditExports.createdAt,
      staffId: staffUsers.id,
      staffName: staffUsers.displayName,
      format: auditExports.format,
      gzip: auditExports.gzip,
      filters: auditExports.filters,
      status: auditExports.status,
      rows: auditExports.rows,
      sha256: auditExports.sha256,
      checkpointId: auditExports.checkpointId,
    })
    .from(auditExports)
    .leftJoin(staffUsers, eq(staffUsers.id, auditExports.staffUserId))
    .where(
      cursor
        ? sql`(${auditExports.createdAt}, ${auditExports.id}) <
            (select created_at, id from audit_export where id = ${cursor}::uuid)`
        : undefined,
    )
    .orderBy(desc(auditExports.createdAt), desc(auditExports.id))
    .limit(EXPORTS_PER_PAGE + 1);
  const items = rows.slice(0, EXPORTS_PER_PAGE).map((row): AuditExportListItem => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    staff:
      row.staffId !== null && row.staffName !== null
        ? { id: row.staffId, displayName: row.staffName }
        : null,
    format: row.format,
    gzip: row.gzip,
    filters: row.filters as AuditExportFilters,
    status: row.status,
    rows: row.rows,
    sha256: row.sha256,
    checkpointId: row.checkpointId,
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > EXPORTS_PER_PAGE && last ? last.id : null,
  };
}

/** The signed manifest of a completed export, or null (unknown id, or not complete). */
export async function loadAuditExportManifest(
  db: Queryable,
  exportId: string,
): Promise<AuditExportManifest | null> {
  if (!UUID.test(exportId)) return null;
  const [row] = await db
    .select({ status: auditExports.status, manifest: auditExports.manifest })
    .from(auditExports)
    .where(eq(auditExports.id, exportId));
  if (row?.status !== "complete" || row.manifest === null) return null;
  return row.manifest as AuditExportManifest;
}
