import { desc, eq } from "drizzle-orm";
import type { Db, Queryable } from "../../db/client";
import { auditEvents } from "../../db/schema";
import {
  verifyAuditTrail,
  type AuditTrailReport,
  type VerifyProgress,
} from "../audit/checkpoints.server";
import type { Actor, AuditEventData, RequestMeta } from "../audit/events";
import { recordEvent } from "../audit/record-event.server";

export type AuditVerifiedData = AuditEventData<"audit.verified">;

/** The summary an `audit.verified` event keeps of a report: counts and each first problem. */
export function verificationSummary(report: AuditTrailReport): AuditVerifiedData {
  const chain = report.chains.broken[0];
  const checkpoint = report.checkpoints.problems[0];
  const missing = report.deletions.missing[0];
  return {
    ok: report.ok,
    streams: report.chains.streams,
    events: report.chains.events,
    brokenChains: report.chains.broken.length,
    checkpoints: report.checkpoints.total,
    badCheckpoints: report.checkpoints.problems.length,
    latestCheckpointId: report.checkpoints.latest?.id ?? null,
    missingHeads: report.deletions.missing.length,
    firstBrokenChain: chain
      ? { stream: chain.stream, seq: chain.seq, problem: chain.problem }
      : null,
    firstBadCheckpoint: checkpoint
      ? { checkpointId: checkpoint.checkpointId, problems: checkpoint.problems }
      : null,
    firstMissingHead: missing
      ? { stream: missing.stream, seq: missing.seq, problem: missing.problem }
      : null,
    durationMs: report.durationMs,
  };
}

/**
 * Verifies the whole audit trail and records the result as an `audit.verified` event (on the
 * staff member's stream from the compliance page, on `system` from the command line), so that
 * the compliance page shows when the trail was last verified in full, by whom, and what was found.
 */
export async function runAuditVerification(
  db: Db,
  input: {
    actor: Actor;
    meta: RequestMeta;
    stream: string;
    onProgress?: (progress: VerifyProgress) => void;
  },
): Promise<AuditTrailReport> {
  const report = await verifyAuditTrail(db, { onProgress: input.onProgress });
  await recordEvent(db, {
    stream: input.stream,
    type: "audit.verified",
    actor: input.actor,
    meta: input.meta,
    data: verificationSummary(report),
  });
  return report;
}

export interface LastVerification {
  at: Date;
  actorType: string;
  actorId: string | null;
  summary: AuditVerifiedData;
}

/** The latest full verification recorded in the trail (`audit_event_type_idx`), if any. */
export async function lastAuditVerification(db: Queryable): Promise<LastVerification | null> {
  const [row] = await db
    .select({
      at: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      data: auditEvents.data,
    })
    .from(auditEvents)
    .where(eq(auditEvents.type, "audit.verified"))
    .orderBy(desc(auditEvents.occurredAt))
    .limit(1);
  if (!row) return null;
  return {
    at: row.at,
    actorType: row.actorType,
    actorId: row.actorId,
    summary: row.data as AuditVerifiedData,
  };
}
