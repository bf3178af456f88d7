import { count, desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { auditEvents, staffUsers } from "../../../db/schema";
import { AuditEventSchema, type AuditEventData } from "../../audit/events";
import { WINBACK_SETTINGS_STREAM } from "./settings.server";

export const SETTINGS_HISTORY_SIZE = 50;

export type SettingsChange =
  | { type: "winback.rule_changed"; data: AuditEventData<"winback.rule_changed"> }
  | { type: "winback.policy_changed"; data: AuditEventData<"winback.policy_changed"> }
  | { type: "winback.offer_changed"; data: AuditEventData<"winback.offer_changed"> };

export interface SettingsHistoryEntry {
  seq: number;
  occurredAt: Date;
  /** The staff member's name; null for a change made by the system (e.g. a script). */
  actorName: string | null;
  change: SettingsChange;
}

function isSettingsChange(event: { type: string }): event is SettingsChange {
  return (
    event.type === "winback.rule_changed" ||
    event.type === "winback.policy_changed" ||
    event.type === "winback.offer_changed"
  );
}

/**
 * The latest changes to the retention settings (routing rules, contact policy, offers), newest
 * first, read from their audit stream: what the page shows is what the chain proves.
 */
export async function loadSettingsHistory(
  db: Queryable,
  limit = SETTINGS_HISTORY_SIZE,
): Promise<{ entries: SettingsHistoryEntry[]; total: number }> {
  const [rows, [total]] = await Promise.all([
    db
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
      .where(eq(auditEvents.stream, WINBACK_SETTINGS_STREAM))
      .orderBy(desc(auditEvents.seq))
      .limit(limit),
    db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.stream, WINBACK_SETTINGS_STREAM)),
  ]);
  const entries: SettingsHistoryEntry[] = [];
  for (const row of rows) {
    const parsed = AuditEventSchema.safeParse({ type: row.type, data: row.data });
    // An event type this page does not describe (added later) is left to the compliance export.
    if (!parsed.success || !isSettingsChange(parsed.data)) continue;
    entries.push({
      seq: row.seq,
      occurredAt: row.occurredAt,
      actorName: row.actorName,
      change: parsed.data,
    });
  }
  return { entries, total: total?.n ?? 0 };
}
