import { eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { operators, winbackRoutes } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { EXIT_REASONS } from "../../domain/enums";
import type { WinbackPolicy } from "../../domain/winback-policy";
import { DEFAULT_ROUTING, type RoutingTable } from "../../domain/winback-routing";

/** The audit stream of the retention settings (routing rules and policy). */
export const WINBACK_SETTINGS_STREAM = "settings:winback";

/** The operator's routing table: its stored rules over the defaults. */
export async function loadRoutingTable(db: Queryable, operatorId: string): Promise<RoutingTable> {
  const rows = await db
    .select()
    .from(winbackRoutes)
    .where(eq(winbackRoutes.operatorId, operatorId));
  const table: RoutingTable = { ...DEFAULT_ROUTING };
  for (const row of rows) table[row.reason] = { queue: row.queue, slaHours: row.slaHours };
  return table;
}

export interface WinbackSettings extends WinbackPolicy {
  operatorId: string;
  timeZone: string;
}

export async function loadWinbackSettings(
  db: Queryable,
  operatorId: string,
): Promise<WinbackSettings> {
  const [row] = await db
    .select({
      operatorId: operators.id,
      timeZone: operators.timeZone,
      maxAttempts: operators.winbackMaxAttempts,
      maxAgeDays: operators.winbackMaxAgeDays,
    })
    .from(operators)
    .where(eq(operators.id, operatorId));
  if (!row) throw new Error(`operator ${operatorId} not found`);
  return row;
}

/**
 * Saves the rules admin submitted; each reason that changed is one audit event with its old and
 * new value. New survey answers follow the new rules at once; items already queued stay put.
 */
export async function saveRoutingTable(
  db: Queryable,
  input: { operatorId: string; table: RoutingTable; actor: Actor; meta: RequestMeta },
): Promise<number> {
  return db.transaction(async (tx) => {
    const current = await loadRoutingTable(tx, input.operatorId);
    let changed = 0;
    for (const reason of EXIT_REASONS) {
      const before = current[reason];
      const after = input.table[reason];
      const slaHours = after.queue === null ? before.slaHours : after.slaHours;
      if (before.queue === after.queue && before.slaHours === slaHours) continue;
      await tx
        .insert(winbackRoutes)
        .values({
          operatorId: input.operatorId,
          reason,
          queue: after.queue,
          slaHours,
          updatedBy: input.actor.id,
        })
        .onConflictDoUpdate({
          target: [winbackRoutes.operatorId, winbackRoutes.reason],
          set: { queue: after.queue, slaHours, updatedBy: input.actor.id, updatedAt: new Date() },
        });
      await recordEvent(tx, {
        stream: WINBACK_SETTINGS_STREAM,
        type: "winback.rule_changed",
        actor: input.actor,
        meta: input.meta,
        data: {
          reason,
          queue: after.queue,
          slaHours,
          previousQueue: before.queue,
          previousSlaHours: before.slaHours,
        },
      });
      changed += 1;
    }
    return changed;
  });
}

export async function saveWinbackPolicy(
  db: Queryable,
  input: { operatorId: string; policy: WinbackPolicy; actor: Actor; meta: RequestMeta },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        maxAttempts: operators.winbackMaxAttempts,
        maxAgeDays: operators.winbackMaxAgeDays,
      })
      .from(operators)
      .where(eq(operators.id, input.operatorId))
      .for("update");
    if (!before) throw new Error(`operator ${input.operatorId} not found`);
    const { maxAttempts, maxAgeDays } = input.policy;
    if (before.maxAttempts === maxAttempts && before.maxAgeDays === maxAgeDays) return false;
    await tx
      .update(operators)
      .set({
        winbackMaxAttempts: maxAttempts,
        winbackMaxAgeDays: maxAgeDays,
        updatedAt: new Date(),
      })
      .where(eq(operators.id, input.operatorId));
    await recordEvent(tx, {
      stream: WINBACK_SETTINGS_STREAM,
      type: "winback.policy_changed",
      actor: input.actor,
      meta: input.meta,
      data: {
        maxAttempts,
        maxAgeDays,
        previousMaxAttempts: before.maxAttempts,
        previousMaxAgeDays: before.maxAgeDays,
      },
    });
    return true;
  });
}
