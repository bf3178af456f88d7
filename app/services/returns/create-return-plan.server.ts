import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { equipmentReturns, refunds, returnItems } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import type { CancellationSummary } from "../../domain/cancellation-summary";
import type { Jurisdiction, RefundKind } from "../../domain/enums";
import { packFor } from "../../domain/jurisdictions";
import { makeReference } from "../../domain/reference";

export interface ReturnPlanInput {
  caseId: string;
  jurisdiction: Jurisdiction;
  summary: CancellationSummary;
  actor: Actor;
  meta: RequestMeta;
  occurredAt: Date;
}

/**
 * At notification, in the notify transaction: the case's return (its items with the non-return
 * charge shown on the summary, the deadline) and its refunds (one per kind, amounts from the
 * summary). Deposits wait for the equipment; a deposit with nothing to return starts its legal
 * clock on the end date.
 */
export async function createReturnPlan(
  tx: Queryable,
  input: ReturnPlanInput,
): Promise<{ returnId: string | null }> {
  const { summary } = input;
  const pack = packFor(input.jurisdiction);
  const audit = {
    caseId: input.caseId,
    actor: input.actor,
    meta: input.meta,
    occurredAt: input.occurredAt,
  };
  let returnId: string | null = null;
  if (summary.returnItems.length > 0 && summary.returnDeadline !== null) {
    const [created] = await tx
      .insert(equipmentReturns)
      .values({
        caseId: input.caseId,
        returnNumber: makeReference("RT"),
        deadline: summary.returnDeadline,
        createdAt: input.occurredAt,
        updatedAt: input.occurredAt,
      })
      .returning();
    if (!created) throw new Error("return insert returned no row");
    returnId = created.id;
    await tx.insert(returnItems).values(
      summary.returnItems.map((item) => ({
        returnId: created.id,
        equipmentId: item.id,
        nonReturnChargeCents: item.nonReturnChargeCents,
        currency: summary.currency,
      })),
    );
    await recordEvent(tx, {
      ...audit,
      type: "return.created",
      data: {
        returnNumber: created.returnNumber,
        equipmentIds: summary.returnItems.map((item) => item.id),
        deadline: created.deadline,
      },
    });
  }

  const byKind = new Map<RefundKind, number>();
  for (const refund of summary.refunds)
    byKind.set(refund.kind, (byKind.get(refund.kind) ?? 0) + refund.amountCents);
  for (const [kind, amountCents] of byKind) {
    if (amountCents <= 0) continue;
    const startsNow = kind === "deposit" && returnId === null;
    const legalDueDate = startsNow ? pack.refundDueDate(kind, summary.endDate) : null;
    const [refund] = await tx
      .insert(refunds)
      .values({
        caseId: input.caseId,
        kind,
        amountCents,
        currency: summary.currency,
        status: startsNow ? "due" : "scheduled",
        clockStartedOn: startsNow ? summary.endDate : null,
        legalDueDate,
        createdAt: input.occurredAt,
        updatedAt: input.occurredAt,
      })
      .returning({ id: refunds.id, status: refunds.status });
    await recordEvent(tx, {
      ...audit,
      type: "refund.updated",
      data: {
        refundId: refund!.id,
        kind,
        status: refund!.status,
        amountCents,
        ...(legalDueDate ? { legalDueDate } : {}),
      },
    });
  }
  return { returnId };
}

/**
 * A withdrawn case keeps its equipment and its deposit: the return and the refunds not yet paid
 * are cancelled, each change in the case's chain.
 */
export async function cancelReturnPlan(
  tx: Queryable,
  input: { caseId: string; actor: Actor; meta: RequestMeta; occurredAt: Date },
): Promise<void> {
  const audit = {
    caseId: input.caseId,
    actor: input.actor,
    meta: input.meta,
    occurredAt: input.occurredAt,
  };
  const cancelledReturns = await tx
    .update(equipmentReturns)
    .set({ status: "cancelled", updatedAt: input.occurredAt })
    .where(
      and(
        eq(equipmentReturns.caseId, input.caseId),
        inArray(equipmentReturns.status, ["awaiting_shipment", "in_transit"]),
      ),
    )
    .returning({ returnNumber: equipmentReturns.returnNumber, method: equipmentReturns.method });
  for (const cancelled of cancelledReturns)
    await recordEvent(tx, {
      ...audit,
      type: "return.updated",
      data: { returnNumber: cancelled.returnNumber, status: "cancelled", method: cancelled.method },
    });
  const cancelledRefunds = await tx
    .update(refunds)
    .set({ status: "cancelled", updatedAt: input.occurredAt })
    .where(and(eq(refunds.caseId, input.caseId), inArray(refunds.status, ["scheduled", "due"])))
    .returning({ id: refunds.id, kind: refunds.kind, amountCents: refunds.amountCents });
  for (const refund of cancelledRefunds)
    await recordEvent(tx, {
      ...audit,
      type: "refund.updated",
      data: {
        refundId: refund.id,
        kind: refund.kind,
        status: "cancelled",
        amountCents: refund.amountCents,
        reasonCode: "case_withdrawn",
      },
    });
}
