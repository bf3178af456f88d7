import { desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { auditEvents, operators, staffUsers } from "../../../db/schema";
import {
  AuditEventSchema,
  type Actor,
  type AuditEventData,
  type RequestMeta,
} from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { checkRetentionPolicy, type RetentionPolicy } from "../../domain/retention";

/** The audit stream of the retention policy's changes: the page's history reads it. */
export const RETENTION_SETTINGS_STREAM = "settings:retention";

export type SavePolicyResult = "saved" | "unchanged";

/**
 * Admin sets the retention periods. The new values apply from the next run of the job; one
 * `retention.policy_changed` event with the values before and after, in the same transaction.
 */
export async function saveRetentionPolicy(
  db: Queryable,
  input: { operatorId: string; policy: RetentionPolicy; actor: Actor; meta: RequestMeta },
): Promise<SavePolicyResult> {
  const problems = checkRetentionPolicy(input.policy);
  if (problems.length > 0) throw new RangeError(`invalid retention policy: ${problems.join(", ")}`);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        recordsYears: operators.auditRetentionYears,
        prospectMonths: operators.prospectRetentionMonths,
      })
      .from(operators)
      .where(eq(operators.id, input.operatorId))
      .for("update");
    if (!before) throw new Error(`operator ${input.operatorId} not found`);
    const { recordsYears, prospectMonths } = input.policy;
    if (before.recordsYears === recordsYears && before.prospectMonths === prospectMonths)
      return "unchanged";
    await tx
      .update(operators)
      .set({
        auditRetentionYears: recordsYears,
        prospectRetentionMonths: prospectMonths,
        updatedAt: new Date(),
      })
      .where(eq(operators.id, input.operatorId));
    await recordEvent(tx, {
      stream: RETENTION_SETTINGS_STREAM,
      type: "retention.policy_changed",
      actor: input.actor,
      meta: input.meta,
      data: {
        recordsYears,
        prospectMonths,
        previousRecordsYears: before.recordsYears,
        previousProspectMonths: before.prospectMonths,
      },
    });
    return "saved";
  });
}

export interface PolicyChange {
  seq: number;
  occurredAt: Date;
  actorName: string | null;
  data: AuditEventData<"retention.policy_changed">;
}

/** The latest policy changes, newest first, from their audit stream. */
export async function loadPolicyHistory(db: Queryable, limit = 20): Promise<PolicyChange[]> {
  const rows = await db
    .select({
      seq: auditEvents.seq,
      type: auditEvents.type,
      data: auditEvents.data,
      occurredAt: auditEvents.occurredAt,
      actorName: staffUsers.displayName,
    })
    .from(auditEvents)
    .leftJoin(
      staffUsers,
      sql`${auditEvents.actorType} = 'staff' and ${staffUsers.id}::text = ${auditEvents.actorId}`,
    )
    .where(eq(auditEvents.stream, RETENTION_SETTINGS_STREAM))
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  return rows.flatMap((row) => {
    const parsed = AuditEventSchema.safeParse({ type: row.type, data: row.data });
    return parsed.success && parsed.data.type === "retention.policy_changed"
      ? [
          {
            seq: row.seq,
            occurredAt: row.occurredAt,
            actorName: row.actorName,
            data: parsed.data.data,
          },
        ]
      : [];
  });
}
