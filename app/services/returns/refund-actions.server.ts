import { eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { cancellationCases, refunds, type Refund } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import type { IsoDate } from "../../domain/dates";
import type { RefundStatus } from "../../domain/enums";
import { packFor } from "../../domain/jurisdictions";
import {
  assertRefundTransition,
  InvalidTransition,
  type REFUND_FAILURE_REASONS,
  type REFUND_WITHHOLD_REASONS,
} from "../../domain/returns";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { settleDeposit } from "./settle-deposit.server";

export type RefundAction =
  | { kind: "issue"; paymentReference: string }
  | { kind: "fail"; reason: (typeof REFUND_FAILURE_REASONS)[number] }
  | { kind: "withhold"; reason: (typeof REFUND_WITHHOLD_REASONS)[number] }
  | { kind: "release" }
  | { kind: "last_invoice_paid"; paidOn: IsoDate };

export type RefundActionResult =
  | { kind: "done"; refund: Refund }
  | { kind: "not_found" }
  | { kind: "refused"; from: RefundStatus };

const TARGET: Record<RefundAction["kind"], RefundStatus> = {
  issue: "issued",
  fail: "failed",
  withhold: "withheld",
  release: "due",
  last_invoice_paid: "due",
};

/**
 * What operations do with a refund: mark it paid (with the payment reference; the subscriber is
 * emailed), record a failed payment, hold it back with a reason or release it, and start the
 * legal clock of an advance payment or credit balance when the last invoice is paid.
 */
export async function applyRefundAction(
  deps: { db: Queryable; jobs: JobQueue<AppJobCatalogue> },
  input: { refundId: string; action: RefundAction; actor: Actor; meta: RequestMeta; now?: Date },
): Promise<RefundActionResult> {
  const now = input.now ?? new Date();
  const { action } = input;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ refund: refunds, jurisdiction: cancellationCases.jurisdiction })
      .from(refunds)
      .innerJoin(cancellationCases, eq(cancellationCases.id, refunds.caseId))
      .where(eq(refunds.id, input.refundId))
      .for("update", { of: refunds });
    if (!row) return { kind: "not_found" };
    const { refund } = row;
    if (
      action.kind === "last_invoice_paid" &&
      (refund.kind === "deposit" || refund.status !== "scheduled")
    )
      return { kind: "refused", from: refund.status };
    // A deposit the charges took whole has nothing to release; a refund withheld before its
    // clock started goes back to waiting for it.
    if (
      action.kind === "release" &&
      (refund.status !== "withheld" || refund.withheldReason === "equipment_charged")
    )
      return { kind: "refused", from: refund.status };
    const target =
      action.kind === "release" && refund.clockStartedOn === null
        ? "scheduled"
        : TARGET[action.kind];
    try {
      assertRefundTransition(refund.status, target);
    } catch (error) {
      if (error instanceof InvalidTransition) return { kind: "refused", from: refund.status };
      throw error;
    }
    if (refund.status === target) return { kind: "refused", from: refund.status };

    const changes: Partial<Refund> = { status: target, updatedAt: now };
    if (action.kind === "issue") {
      changes.paymentReference = action.paymentReference;
      changes.issuedAt = now;
      changes.failureReason = null;
    } else if (action.kind === "fail") {
      changes.failureReason = action.reason;
    } else if (action.kind === "withhold") {
      changes.withheldReason = action.reason;
    } else if (action.kind === "release") {
      changes.withheldReason = null;
    } else {
      changes.clockStartedOn = action.paidOn;
      changes.legalDueDate = packFor(row.jurisdiction).refundDueDate(refund.kind, action.paidOn);
    }
    const [updated] = await tx
      .update(refunds)
      .set(changes)
      .where(eq(refunds.id, refund.id))
      .returning();
    const reasonCode =
      action.kind === "fail" || action.kind === "withhold"
        ? action.reason
        : action.kind === "last_invoice_paid"
          ? "last_invoice_paid"
          : undefined;
    await recordEvent(tx, {
      caseId: refund.caseId,
      type: "refund.updated",
      actor: input.actor,
      meta: input.meta,
      occurredAt: now,
      data: {
        refundId: refund.id,
        kind: refund.kind,
        status: target,
        amountCents: refund.amountCents,
        offsetCents: refund.offsetCents,
        ...(updated!.legalDueDate ? { legalDueDate: updated!.legalDueDate } : {}),
        ...(reasonCode ? { reasonCode } : {}),
      },
    });
    if (action.kind === "issue")
      await deps.jobs.enqueue(tx, "refund.send-issued", {
        caseId: refund.caseId,
        refundId: refund.id,
      });
    // A deposit held back while its equipment came back: its legal clock ran from the return.
    if (action.kind === "release" && refund.kind === "deposit") {
      await settleDeposit(tx, {
        caseId: refund.caseId,
        jurisdiction: row.jurisdiction,
        actor: input.actor,
        meta: input.meta,
        now,
      });
      const [settled] = await tx.select().from(refunds).where(eq(refunds.id, refund.id));
      return { kind: "done", refund: settled! };
    }
    return { kind: "done", refund: updated! };
  });
}
