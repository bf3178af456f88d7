import { and, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { equipmentReturns, refunds, returnItems } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { dateInZone, type IsoDate } from "../../domain/dates";
import type { Jurisdiction, RefundStatus } from "../../domain/enums";
import { packFor } from "../../domain/jurisdictions";
import { assertRefundTransition, depositStatement } from "../../domain/returns";

/**
 * The deposit's legal clock (L224-35: refunded ≤ 10 days after the equipment is back). Once every
 * item is either back or charged, the deposit refund becomes due — less the charges, with its
 * legal due date counted from the last item back (or the charge) — or is withheld when the charges
 * take all of it. Run inside the transaction that received or charged the items.
 */
export async function settleDeposit(
  tx: Queryable,
  input: {
    caseId: string;
    jurisdiction: Jurisdiction;
    actor: Actor;
    meta: RequestMeta;
    /** The time of the operation that settles it (reception, charge, release). */
    now: Date;
  },
): Promise<void> {
  const [deposit] = await tx
    .select()
    .from(refunds)
    .where(and(eq(refunds.caseId, input.caseId), eq(refunds.kind, "deposit")))
    .for("update");
  if (!deposit || !["scheduled", "due", "withheld"].includes(deposit.status)) return;
  // A deposit withheld for another reason than the charges stays with operations.
  if (deposit.status === "withheld" && deposit.withheldReason !== "equipment_charged") return;
  const [equipmentReturn] = await tx
    .select()
    .from(equipmentReturns)
    .where(eq(equipmentReturns.caseId, input.caseId));
  if (!equipmentReturn) return;
  const items = await tx
    .select()
    .from(returnItems)
    .where(eq(returnItems.returnId, equipmentReturn.id));
  // Settled once every item is back, or the deadline passed and those missing were charged —
  // possibly nothing, for an item announced without a non-return charge.
  if (equipmentReturn.chargedAt === null && items.some((item) => item.receivedAt === null)) return;

  const pack = packFor(input.jurisdiction);
  const settledOn: IsoDate[] = items.map((item) =>
    dateInZone(item.receivedAt ?? equipmentReturn.chargedAt ?? new Date(), pack.timeZone),
  );
  const clockStartedOn = settledOn.reduce((latest, day) => (day > latest ? day : latest));
  const statement = depositStatement(
    deposit.amountCents,
    items.reduce((sum, item) => sum + item.chargeCents, 0),
  );
  const status: RefundStatus = statement.netCents === 0 ? "withheld" : "due";
  const legalDueDate = status === "due" ? pack.refundDueDate("deposit", clockStartedOn) : null;
  if (
    deposit.status === status &&
    deposit.offsetCents === statement.offsetCents &&
    deposit.legalDueDate === legalDueDate
  )
    return;
  assertRefundTransition(deposit.status, status);
  await tx
    .update(refunds)
    .set({
      status,
      offsetCents: statement.offsetCents,
      clockStartedOn,
      legalDueDate,
      withheldReason: status === "withheld" ? "equipment_charged" : null,
      updatedAt: input.now,
    })
    .where(eq(refunds.id, deposit.id));
  await recordEvent(tx, {
    caseId: input.caseId,
    type: "refund.updated",
    actor: input.actor,
    meta: input.meta,
    occurredAt: input.now,
    data: {
      refundId: deposit.id,
      kind: "deposit",
      status,
      amountCents: deposit.amountCents,
      offsetCents: statement.offsetCents,
      ...(legalDueDate ? { legalDueDate } : {}),
      ...(status === "withheld" ? { reasonCode: "equipment_charged" } : {}),
    },
  });
}
