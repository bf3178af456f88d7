// Factories for the compliance KPIs' tests: acknowledgment emails, unmatched notices, refunds
// and equipment returns with the exact instants and legal dates a scenario needs. Each writes
// what the real flow writes (rows and, where the flow audits, the audit event).
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import {
  cancellationCases,
  emailMessages,
  equipmentReturns,
  refunds,
  returnItems,
  unmatchedNotices,
  type CancellationCase,
  type Equipment,
  type Refund,
  type UnmatchedNotice,
} from "../../db/schema";
import { recordEvent, streamForNotice } from "../../app/audit/record-event.server";
import type { IsoDate } from "../../app/domain/dates";
import type { RefundKind, RefundStatus, ReturnStatus } from "../../app/domain/enums";
import { makeReference } from "../../app/domain/reference";

const SYSTEM = { type: "system", id: null } as const;
const NO_REQUEST = { ip: null, userAgent: null };

/** The case's acknowledgment email, delivered `afterMs` after the notify click (as sendEmail records it). */
export async function insertAcknowledgment(
  db: Queryable,
  row: CancellationCase,
  afterMs: number,
): Promise<void> {
  const sentAt = new Date(row.receivedAt.getTime() + afterMs);
  const smtpMessageId = `<${randomUUID()}@test>`;
  const [email] = await db
    .insert(emailMessages)
    .values({
      caseId: row.id,
      kind: "acknowledgment",
      toAddress: row.acknowledgmentEmail,
      language: row.language,
      status: "sent",
      attempts: 1,
      smtpMessageId,
      sentAt,
      createdAt: row.receivedAt,
    })
    .returning();
  await recordEvent(db, {
    caseId: row.id,
    type: "email.attempted",
    actor: SYSTEM,
    meta: NO_REQUEST,
    occurredAt: sentAt,
    data: {
      emailId: email!.id,
      kind: "acknowledgment",
      attempt: 1,
      outcome: "sent",
      smtpMessageId,
    },
  });
}

/** A notice that matched no contract (and, when `matched`, the case operations made from it). */
export async function insertUnmatchedNotice(
  db: Queryable,
  input: {
    operatorId: string;
    receivedAt: Date;
    status?: "pending" | "rejected";
    resolvedAt?: Date;
  },
): Promise<UnmatchedNotice> {
  const status = input.status ?? "pending";
  const [notice] = await db
    .insert(unmatchedNotices)
    .values({
      operatorId: input.operatorId,
      reference: makeReference("NT"),
      receivedAt: input.receivedAt,
      submitted: { firstName: "Sam", lastName: "Inconnu", reference: "C-0000" },
      email: `notice-${randomUUID().slice(0, 8)}@example.com`,
      language: "fr",
      status,
      rejectionReason: status === "rejected" ? "no_contract_found" : null,
      resolvedAt: status === "rejected" ? (input.resolvedAt ?? input.receivedAt) : null,
      idempotencyKey: `test-${randomUUID()}`,
    })
    .returning();
  await recordEvent(db, {
    stream: streamForNotice(notice!.id),
    type: "notice.received",
    actor: { type: "subscriber", id: null },
    meta: NO_REQUEST,
    occurredAt: input.receivedAt,
    data: { reference: notice!.reference, receivedAt: input.receivedAt.toISOString() },
  });
  return notice!;
}

/**
 * Turns a case into one made by matching `notice` at `matchedAt` (as `matchNotice` does: the
 * case keeps the notice's receipt time and has source `notice_match`).
 */
export async function markMatchedFromNotice(
  db: Queryable,
  input: { notice: UnmatchedNotice; caseRow: CancellationCase; matchedAt: Date },
): Promise<void> {
  await db
    .update(cancellationCases)
    .set({ source: "notice_match" })
    .where(eq(cancellationCases.id, input.caseRow.id));
  await db
    .update(unmatchedNotices)
    .set({ status: "matched", matchedCaseId: input.caseRow.id, resolvedAt: input.matchedAt })
    .where(eq(unmatchedNotices.id, input.notice.id));
  await recordEvent(db, {
    stream: streamForNotice(input.notice.id),
    type: "notice.matched",
    actor: SYSTEM,
    meta: NO_REQUEST,
    occurredAt: input.matchedAt,
    data: { noticeId: input.notice.id, caseReference: input.caseRow.reference },
  });
}

/** A refund whose legal clock started on `clockStartedOn` (due 10 days later), in `status`. */
export async function insertRefund(
  db: Queryable,
  input: {
    caseId: string;
    kind?: RefundKind;
    status: RefundStatus;
    clockStartedOn: IsoDate;
    legalDueDate: IsoDate;
    issuedAt?: Date;
    amountCents?: number;
  },
): Promise<Refund> {
  const [refund] = await db
    .insert(refunds)
    .values({
      caseId: input.caseId,
      kind: input.kind ?? "deposit",
      amountCents: input.amountCents ?? 4900,
      status: input.status,
      clockStartedOn: input.clockStartedOn,
      legalDueDate: input.legalDueDate,
      paymentReference: input.status === "issued" ? `VIR-${randomUUID().slice(0, 8)}` : null,
      issuedAt: input.issuedAt ?? null,
      withheldReason: input.status === "withheld" ? "fraud_check" : null,
      failureReason: input.status === "failed" ? "bank_rejected" : null,
    })
    .returning();
  return refund!;
}

/**
 * What became of a case's equipment return (the plan `insertCase` made, or a new one): its
 * deadline, status, and each item received at the given instant (null: missing).
 */
export async function settleReturn(
  db: Queryable,
  input: {
    caseId: string;
    deadline: IsoDate;
    status: ReturnStatus;
    items: { equipment: Equipment; receivedAt: Date | null }[];
  },
): Promise<void> {
  const received = input.items.flatMap((item) => (item.receivedAt ? [item.receivedAt] : []));
  const values = {
    deadline: input.deadline,
    status: input.status,
    method: "relay_point" as const,
    receivedAt:
      received.length === 0 ? null : new Date(Math.min(...received.map((at) => at.getTime()))),
  };
  const [existing] = await db
    .select({ id: equipmentReturns.id })
    .from(equipmentReturns)
    .where(eq(equipmentReturns.caseId, input.caseId));
  const returnId = existing
    ? existing.id
    : (
        await db
          .insert(equipmentReturns)
          .values({ caseId: input.caseId, returnNumber: makeReference("RT"), ...values })
          .returning({ id: equipmentReturns.id })
      )[0]!.id;
  if (existing)
    await db.update(equipmentReturns).set(values).where(eq(equipmentReturns.id, returnId));
  await db.delete(returnItems).where(eq(returnItems.returnId, returnId));
  await db.insert(returnItems).values(
    input.items.map((item) => ({
      returnId,
      equipmentId: item.equipment.id,
      condition: item.receivedAt ? ("ok" as const) : ("missing" as const),
      receivedAt: item.receivedAt,
      nonReturnChargeCents: item.equipment.nonReturnChargeCents,
      chargeCents: item.receivedAt ? 0 : item.equipment.nonReturnChargeCents,
    })),
  );
}
