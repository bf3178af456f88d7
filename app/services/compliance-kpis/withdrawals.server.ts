import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { IsoDate } from "../../domain/dates";
import { byDay, dayOf, type KpiBounds } from "./bounds.server";

// Withdrawals: of the cases received in the period (whatever their source), how many the
// subscriber has withdrawn since (status `withdrawn`, the `case.withdrawn` audit event) — the
// share moves while recent cases can still be withdrawn (until their end date).

/** Index cancellation_case_received_idx (received_at, id). */
export function casesReceived(bounds: KpiBounds): SQL {
  return sql`
    select c.id as case_id, c.received_at, c.status
    from cancellation_case c
    where c.received_at >= ${bounds.start} and c.received_at < ${bounds.end}`;
}

export function withdrawnCases(bounds: KpiBounds): SQL {
  return sql`select k.case_id from (${casesReceived(bounds)}) k where k.status = 'withdrawn'`;
}

export type WithdrawalsDay = {
  /** The day the case was received. */
  day: IsoDate | null;
  cases: number;
  withdrawn: number;
};

export async function withdrawalsByDay(db: Queryable, bounds: KpiBounds) {
  const rows = await db.execute<WithdrawalsDay>(sql`
    select day::text as day,
      count(*)::int as cases,
      count(*) filter (where status = 'withdrawn')::int as withdrawn
    from (select ${dayOf(sql`k.received_at`)} as day, k.status
      from (${casesReceived(bounds)}) k) cohort
    group by grouping sets ((day), ())
  `);
  return byDay(bounds.period, rows, (day) => ({ day, cases: 0, withdrawn: 0 }));
}
