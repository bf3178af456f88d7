import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  auditEvents,
  cancellationCases,
  equipmentReturns,
  refunds,
  staffUsers,
  subscribers,
} from "../../../db/schema";
import { isUuid } from "../../domain/ids";

/** What the audit trail says of one refund change (`refund.updated` data). */
export interface RefundHistoryData {
  status: string;
  amountCents: number;
  offsetCents?: number;
  legalDueDate?: string;
  reasonCode?: string;
}

/**
 * One refund with its case, subscriber, the case's return (deposits wait for it) and its history:
 * the `refund.updated` events of the case's audit trail that name it. Null when it does not exist.
 */
export async function loadStaffRefund(db: Db, refundId: string) {
  if (!isUuid(refundId)) return null;
  const [row] = await db
    .select({
      refund: refunds,
      case: {
        id: cancellationCases.id,
        reference: cancellationCases.reference,
        status: cancellationCases.status,
        jurisdiction: cancellationCases.jurisdiction,
      },
      subscriber: { firstName: subscribers.firstName, lastName: subscribers.lastName },
      returnNumber: equipmentReturns.returnNumber,
    })
    .from(refunds)
    .innerJoin(cancellationCases, eq(cancellationCases.id, refunds.caseId))
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .leftJoin(equipmentReturns, eq(equipmentReturns.caseId, cancellationCases.id))
    .where(eq(refunds.id, refundId));
  if (!row) return null;
  const history = await db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorName: staffUsers.displayName,
      data: auditEvents.data,
    })
    .from(auditEvents)
    .leftJoin(
      staffUsers,
      and(eq(auditEvents.actorType, "staff"), eq(sql`${staffUsers.id}::text`, auditEvents.actorId)),
    )
    .where(
      and(
        eq(auditEvents.caseId, row.case.id),
        eq(auditEvents.type, "refund.updated"),
        sql`${auditEvents.data}->>'refundId' = ${refundId}`,
      ),
    )
    .orderBy(asc(auditEvents.seq));
  return {
    ...row,
    history: history.map((event) => ({ ...event, data: event.data as RefundHistoryData })),
  };
}

export type StaffRefund = NonNullable<Awaited<ReturnType<typeof loadStaffRefund>>>;
