import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { cancellationCases, caseContracts, contracts, winbackItems } from "../../db/schema";
import type { RequestMeta } from "../audit/events";
import { recordEvent } from "../audit/record-event.server";
import { cancelReturnPlan } from "./returns/create-return-plan.server";
import { closeItems } from "./winback/actions.server";
import { dateInZone } from "../domain/dates";
import { canWithdraw } from "../domain/case-status";
import { OPEN_WINBACK_STATUSES } from "../domain/enums";
import { packFor } from "../domain/jurisdictions";
import type { AppJobCatalogue } from "../jobs/catalogue";
import type { JobQueue } from "../jobs/job-queue.server";

export type WithdrawResult =
  | { kind: "withdrawn"; reference: string }
  | { kind: "refused"; reason: "already_withdrawn" | "too_late" | "not_withdrawable" };

/**
 * "Withdraw my cancellation", until the end date: the case becomes withdrawn, its contracts stay
 * active, and the subscriber gets a confirmation. Once only; refused on or after the end date.
 */
export async function withdrawCancellation(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue>; now?: () => Date },
  input: { caseId: string; meta: RequestMeta },
): Promise<WithdrawResult> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, input.caseId))
      .for("update");
    if (!row) throw new Error("case not found");
    const now = (deps.now ?? (() => new Date()))();
    const today = dateInZone(now, packFor(row.jurisdiction).timeZone);
    const verdict = canWithdraw({
      status: row.status,
      effectiveEndDate: row.effectiveEndDate,
      today,
    });
    if (!verdict.ok) return { kind: "refused", reason: verdict.reason };

    await tx
      .update(cancellationCases)
      .set({ status: "withdrawn", withdrawnAt: now, updatedAt: now })
      .where(eq(cancellationCases.id, row.id));
    const released = await tx
      .update(caseContracts)
      .set({ open: false })
      .where(and(eq(caseContracts.caseId, row.id), eq(caseContracts.open, true)))
      .returning({ contractId: caseContracts.contractId });
    if (released.length > 0) {
      await tx
        .update(contracts)
        .set({ status: "active", updatedAt: now })
        .where(
          inArray(
            contracts.id,
            released.map((item) => item.contractId),
          ),
        );
    }
    await recordEvent(tx, {
      caseId: row.id,
      type: "case.withdrawn",
      actor: { type: "subscriber", id: row.subscriberId },
      meta: input.meta,
      occurredAt: now,
      data: { reference: row.reference },
    });
    await cancelReturnPlan(tx, {
      caseId: row.id,
      actor: { type: "subscriber", id: row.subscriberId },
      meta: input.meta,
      occurredAt: now,
    });
    // The subscriber stays: a win-back call would make no sense, so the case's open item closes.
    const openItems = await tx
      .select()
      .from(winbackItems)
      .where(
        and(
          eq(winbackItems.caseId, row.id),
          inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
        ),
      )
      .for("update");
    await closeItems(tx, openItems, {
      status: "expired",
      closeReason: "case_withdrawn",
      actor: { type: "system", id: null },
      meta: input.meta,
      now,
    });
    await deps.jobs.enqueue(tx, "case.send-withdrawal-confirmation", { caseId: row.id });
    return { kind: "withdrawn", reference: row.reference };
  });
}
