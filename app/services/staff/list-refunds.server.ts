import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cancellationCases, refunds, subscribers } from "../../../db/schema";
import { addDays, type IsoDate } from "../../domain/dates";
import type { RefundStatus } from "../../domain/enums";
import { REFUND_SOON_DAYS } from "../../domain/returns";

/** The tabs of the refunds list and the statuses each shows. */
const REFUND_TAB_STATUSES = {
  to_pay: ["due", "failed"],
  scheduled: ["scheduled"],
  withheld: ["withheld"],
  paid: ["issued"],
  all: null,
} as const satisfies Record<string, readonly RefundStatus[] | null>;

export type RefundTab = keyof typeof REFUND_TAB_STATUSES;

export const REFUNDS_PAGE_SIZE = 50;

/** Refunds whose legal deadline runs: the ones operations must pay. */
const PAYABLE: RefundStatus[] = ["due", "failed"];

/**
 * One tab of the refunds list, the nearest legal due date first (refunds whose clock has not
 * started last); paid refunds most recently paid first.
 */
export async function listRefunds(db: Db, tab: RefundTab) {
  const statuses = REFUND_TAB_STATUSES[tab];
  return db
    .select({
      id: refunds.id,
      kind: refunds.kind,
      status: refunds.status,
      amountCents: refunds.amountCents,
      offsetCents: refunds.offsetCents,
      currency: refunds.currency,
      legalDueDate: refunds.legalDueDate,
      issuedAt: refunds.issuedAt,
      caseId: cancellationCases.id,
      caseReference: cancellationCases.reference,
      firstName: subscribers.firstName,
      lastName: subscribers.lastName,
    })
    .from(refunds)
    .innerJoin(cancellationCases, eq(cancellationCases.id, refunds.caseId))
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .where(statuses === null ? undefined : inArray(refunds.status, [...statuses]))
    .orderBy(
      ...(tab === "paid"
        ? [desc(refunds.issuedAt)]
        : [sql`${refunds.legalDueDate} asc nulls last`, asc(refunds.createdAt)]),
      asc(refunds.id),
    )
    .limit(REFUNDS_PAGE_SIZE);
}

export type RefundListRow = Awaited<ReturnType<typeof listRefunds>>[number];

/**
 * The overdue alarm: refunds to pay whose legal due date has passed, and those due within
 * REFUND_SOON_DAYS days (the same thresholds as `refundUrgency`).
 */
export async function countRefundAlarms(
  db: Db,
  today: IsoDate,
): Promise<{ overdue: number; soon: number }> {
  const [row] = await db
    .select({
      overdue: sql<number>`count(*) filter (where ${lt(refunds.legalDueDate, today)})::int`,
      soon: sql<number>`count(*) filter (where ${and(
        gte(refunds.legalDueDate, today),
        lte(refunds.legalDueDate, addDays(today, REFUND_SOON_DAYS)),
      )})::int`,
    })
    .from(refunds)
    .where(inArray(refunds.status, PAYABLE));
  return { overdue: row?.overdue ?? 0, soon: row?.soon ?? 0 };
}
