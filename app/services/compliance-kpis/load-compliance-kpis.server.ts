import type { Queryable } from "../../../db/client";
import type { KpiPeriod } from "../../domain/compliance-kpis";
import type { IsoDate } from "../../domain/dates";
import { acknowledgmentByDay } from "./acknowledgment.server";
import { kpiBounds } from "./bounds.server";
import { effectiveByDay } from "./effective-dates.server";
import { noticesByDay } from "./notices.server";
import { countOverdueRefunds, refundsByDay } from "./refunds.server";
import { returnsByDay } from "./returns.server";
import { countPendingNoticesNow, unmatchedByDay } from "./unmatched-notices.server";
import { withdrawalsByDay } from "./withdrawals.server";

/**
 * Every figure of the KPI page for one period: per day and in total, plus the two figures of
 * now (refunds overdue, notices pending). The queries run side by side on the pool; each reads
 * through an index on its period column (docs/decisions/010).
 */
export async function loadComplianceKpis(
  db: Queryable,
  input: { period: KpiPeriod; today: IsoDate },
) {
  const bounds = kpiBounds(input.period, input.today);
  const [
    notices,
    acknowledgment,
    effective,
    refunds,
    returns,
    unmatched,
    withdrawals,
    refundsOverdue,
    noticesPending,
  ] = await Promise.all([
    noticesByDay(db, bounds),
    acknowledgmentByDay(db, bounds),
    effectiveByDay(db, bounds),
    refundsByDay(db, bounds),
    returnsByDay(db, bounds),
    unmatchedByDay(db, bounds),
    withdrawalsByDay(db, bounds),
    countOverdueRefunds(db, input.today),
    countPendingNoticesNow(db),
  ]);
  return {
    period: input.period,
    today: input.today,
    notices,
    acknowledgment,
    effective,
    refunds,
    returns,
    unmatched,
    withdrawals,
    now: { refundsOverdue, noticesPending },
  };
}

export type ComplianceKpis = Awaited<ReturnType<typeof loadComplianceKpis>>;

/** The staff home's two urgent figures for compliance: refunds overdue and notices pending now. */
export async function loadUrgentComplianceFigures(db: Queryable, today: IsoDate) {
  const [refundsOverdue, noticesPending] = await Promise.all([
    countOverdueRefunds(db, today),
    countPendingNoticesNow(db),
  ]);
  return { refundsOverdue, noticesPending };
}
