import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { KpiCaseSet, KpiPeriod } from "../../domain/compliance-kpis";
import type { IsoDate } from "../../domain/dates";
import { acknowledgedLate, acknowledgmentCohort } from "./acknowledgment.server";
import { kpiBounds, type KpiBounds } from "./bounds.server";
import { effectiveLate, endingCohort } from "./effective-dates.server";
import { receivedCases } from "./notices.server";
import { refundsDueCohort, refundsLate, refundsOverdueNow } from "./refunds.server";
import { returnsDueCohort, returnsLate } from "./returns.server";
import { noticesMatched } from "./unmatched-notices.server";
import { withdrawnCases } from "./withdrawals.server";

// The cases behind each figure: the same SQL as the figure (the KPI's cohort and its
// condition), so that the cases page lists exactly the cases counted.

function caseIdsOf(set: KpiCaseSet, bounds: KpiBounds): SQL {
  const all = (cohort: SQL) => sql`select k.case_id from (${cohort}) k`;
  switch (set) {
    case "received":
      return all(receivedCases(bounds));
    case "acknowledged":
      return all(acknowledgmentCohort(bounds));
    case "acknowledgedLate":
      return acknowledgedLate(bounds);
    case "ending":
      return all(endingCohort(bounds));
    case "effectiveLate":
      return effectiveLate(bounds);
    case "refundsDue":
      return all(refundsDueCohort(bounds));
    case "refundsLate":
      return refundsLate(bounds);
    case "refundsOverdue":
      return all(refundsOverdueNow(bounds.today));
    case "returnsDue":
      return all(returnsDueCohort(bounds));
    case "returnsLate":
      return returnsLate(bounds);
    case "noticesMatched":
      return noticesMatched(bounds);
    case "withdrawn":
      return withdrawnCases(bounds);
  }
}

export interface CaseSetFilter {
  set: KpiCaseSet;
  period: KpiPeriod;
  today: IsoDate;
}

/** `cancellation_case.id in (…the set…)`, for the cases page's query. */
export function inCaseSet(idColumn: SQL | unknown, filter: CaseSetFilter): SQL {
  return sql`${idColumn} in (${caseIdsOf(filter.set, kpiBounds(filter.period, filter.today))})`;
}

/** How many cases the set holds (a case with two late refunds counts once). */
export async function countCaseSet(db: Queryable, filter: CaseSetFilter): Promise<number> {
  const [row] = await db.execute<{ cases: number }>(sql`
    select count(distinct case_id)::int as cases
    from (${caseIdsOf(filter.set, kpiBounds(filter.period, filter.today))}) ids
  `);
  return row?.cases ?? 0;
}
