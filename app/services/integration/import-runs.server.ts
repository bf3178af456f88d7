import { and, desc, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { importRuns } from "../../../db/schema";

// The import runs of an operator, for the admin page (/staff/reglages/import).

const SUMMARY_COLUMNS = {
  id: importRuns.id,
  source: importRuns.source,
  fileName: importRuns.fileName,
  status: importRuns.status,
  rowsRead: importRuns.rowsRead,
  rowsCreated: importRuns.rowsCreated,
  rowsUpdated: importRuns.rowsUpdated,
  rowsUnchanged: importRuns.rowsUnchanged,
  rowsRejected: importRuns.rowsRejected,
  startedAt: importRuns.startedAt,
  finishedAt: importRuns.finishedAt,
};

export async function listImportRuns(db: Queryable, operatorId: string, limit = 20) {
  return db
    .select(SUMMARY_COLUMNS)
    .from(importRuns)
    .where(eq(importRuns.operatorId, operatorId))
    .orderBy(desc(importRuns.startedAt))
    .limit(limit);
}

export async function loadImportRun(db: Queryable, operatorId: string, runId: string) {
  const [run] = await db
    .select({ ...SUMMARY_COLUMNS, errors: importRuns.errors })
    .from(importRuns)
    .where(and(eq(importRuns.operatorId, operatorId), eq(importRuns.id, runId)));
  return run ?? null;
}
