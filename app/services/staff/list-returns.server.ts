import { asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cancellationCases, equipmentReturns, returnItems } from "../../../db/schema";
import type { ReturnMethod, ReturnStatus } from "../../domain/enums";
import { normaliseReference } from "../../domain/reference";
import { OPEN_RETURN_STATUSES } from "../../domain/returns";

/** The tabs of the returns list and the statuses each shows. */
export const RETURN_TABS = {
  to_receive: OPEN_RETURN_STATUSES,
  late: ["overdue", "charged"],
  done: ["inspected"],
  all: null,
} as const satisfies Record<string, readonly ReturnStatus[] | null>;

export type ReturnTab = keyof typeof RETURN_TABS;

export const RETURNS_PAGE_SIZE = 50;

export interface ReturnListRow {
  id: string;
  returnNumber: string;
  status: ReturnStatus;
  method: ReturnMethod | null;
  deadline: string;
  caseId: string;
  caseReference: string;
  itemCount: number;
  receivedCount: number;
}

/**
 * One tab of the returns list: items received out of expected per return. Returns still to come
 * (or late) by deadline, soonest first; finished ones and "all" most recent deadline first.
 */
export async function listReturns(db: Db, tab: ReturnTab): Promise<ReturnListRow[]> {
  const statuses = RETURN_TABS[tab];
  const query = db
    .select({
      id: equipmentReturns.id,
      returnNumber: equipmentReturns.returnNumber,
      status: equipmentReturns.status,
      method: equipmentReturns.method,
      deadline: equipmentReturns.deadline,
      caseId: cancellationCases.id,
      caseReference: cancellationCases.reference,
      itemCount: sql<number>`count(${returnItems.id})::int`,
      receivedCount: sql<number>`count(${returnItems.receivedAt})::int`,
    })
    .from(equipmentReturns)
    .innerJoin(cancellationCases, eq(cancellationCases.id, equipmentReturns.caseId))
    .leftJoin(returnItems, eq(returnItems.returnId, equipmentReturns.id))
    .where(statuses === null ? undefined : inArray(equipmentReturns.status, [...statuses]))
    .groupBy(equipmentReturns.id, cancellationCases.id);
  const upcoming = tab === "to_receive" || tab === "late";
  return query
    .orderBy(
      upcoming ? asc(equipmentReturns.deadline) : desc(equipmentReturns.deadline),
      asc(equipmentReturns.returnNumber),
    )
    .limit(RETURNS_PAGE_SIZE);
}

/** Returns that still expect items: the reception desk's workload. */
export async function countReturnsToReceive(db: Db): Promise<number> {
  const [row] = await db
    .select({ count: count() })
    .from(equipmentReturns)
    .where(inArray(equipmentReturns.status, [...OPEN_RETURN_STATUSES]));
  return row?.count ?? 0;
}

/**
 * The return a scanned or typed number designates (`rt 7k3m9qpd` is `RT-7K3M-9QPD`), or null.
 * Exact match only: a near miss must not open another subscriber's parcel.
 */
export async function findReturnNumber(db: Db, typed: string): Promise<string | null> {
  const returnNumber = normaliseReference(typed);
  const [row] = await db
    .select({ returnNumber: equipmentReturns.returnNumber })
    .from(equipmentReturns)
    .where(eq(equipmentReturns.returnNumber, returnNumber));
  return row?.returnNumber ?? null;
}
